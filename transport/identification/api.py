"""`identify(problem)`: is the target effect transportable, by which formula, and if not, why.

Order of attempts: the target's own experiment on the treatment; ID on the target's
observational data; general transportability over all datasets; if that succeeds only with
unmeasured variables, a bounded search over latent projections. "not_transportable" is
returned only when the algorithms fail with every dataset fully measured (a proof, with a
witness); a failure due only to unmeasured variables is "not_found".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transport.errors import ProblemError

from .expr import Expr, prob, terms, to_json, to_latex, to_text
from .graph import (
    ProjectedDiagram,
    SourceIndicator,
    land_selection,
    latent_origins,
    names,
    project_admg,
)
from .id_alg import NotIdentifiable, identify_effect
from .partial import search_projections
from .problem import Dataset, TransportProblem
from .suggest import Suggestion, suggest
from .transport_alg import is_available, transport_effect
from .witness import witness_text

TRANSPORTABLE = "transportable"
NOT_TRANSPORTABLE = "not_transportable"
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Use:
    """A distribution the estimand reads: population, its experiment, and the columns read."""

    population: str
    experiment: tuple[str, ...]
    variables: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """{"population", "experiment", "variables"}."""
        return {"population": self.population, "experiment": list(self.experiment),
                "variables": list(self.variables)}


@dataclass(frozen=True)
class Identification:
    """The answer for one TransportProblem."""

    status: str
    estimand: Expr | None
    uses: tuple[Use, ...]
    witness: str | None
    suggestions: tuple[Suggestion, ...]
    trace: tuple[str, ...]
    treatment: tuple[str, ...]
    outcome: tuple[str, ...]
    target: str

    def _repr_html_(self) -> str | None:
        """The answer as HTML in a notebook (drawn by the report stage's registered renderer)."""
        from transport.display import html_of

        return html_of("identification", self)

    @property
    def transportable(self) -> bool:
        """True iff status is "transportable"."""
        return self.status == TRANSPORTABLE

    def to_json(self) -> dict[str, Any]:
        """The JSON document described in docs/identification.md."""
        estimand = None
        if self.estimand is not None:
            estimand = {"text": to_text(self.estimand), "latex": to_latex(self.estimand),
                        "tree": to_json(self.estimand)}
        return {
            "query": {"treatment": list(self.treatment), "outcome": list(self.outcome),
                      "population": self.target},
            "transportable": self.transportable,
            "status": self.status,
            "estimand": estimand,
            "uses": [u.to_json() for u in self.uses],
            "witness": self.witness,
            "suggestions": [s.to_json() for s in self.suggestions],
            "trace": list(self.trace),
        }


@dataclass(frozen=True)
class _Verdict:
    status: str
    estimand: Expr | None
    witness: str | None
    trace: tuple[str, ...]


def build_diagram(problem: TransportProblem) -> ProjectedDiagram:
    """The selection diagram over observed variables (latent projection of the problem)."""
    selection = {SourceIndicator(src): set(problem.selection.get(src, frozenset()))
                 for src in problem.sources}
    base, landing = project_admg(tuple(problem.nodes), tuple(problem.directed),
                                 tuple(problem.bidirected), frozenset(problem.latent))
    return base.with_selection(land_selection(selection, landing),
                               latent_origins(selection, landing))


def build_sources(problem: TransportProblem, diagram: ProjectedDiagram) -> list[Dataset]:
    """Datasets as sources over observed variables: target first, then sources in order."""
    known = {problem.target, *problem.sources}
    rank = {problem.target: 0, **{s: i + 1 for i, s in enumerate(problem.sources)}}
    out = []
    for ds in problem.datasets:
        if ds.population not in known:
            raise ProblemError(f"dataset from unknown population {ds.population!r}")
        if not ds.experiment <= diagram.nodes:
            unknown = ", ".join(sorted(ds.experiment - diagram.nodes))
            raise ProblemError(f"experiment on unobserved or unknown variables: {unknown}")
        out.append(Dataset(ds.population, frozenset(ds.experiment),
                           frozenset(ds.measured) & diagram.nodes))
    out.sort(key=lambda s: (rank[s.population], len(s.experiment)))
    return out


def _validate(problem: TransportProblem) -> None:
    observed = set(problem.nodes) - set(problem.latent)
    for v in (*problem.treatment, *problem.outcome):
        if v not in observed:
            raise ProblemError(f"query variable {v!r} is not an observed variable")
    if not problem.outcome:
        raise ProblemError("the query needs an outcome")
    if set(problem.treatment) & set(problem.outcome):
        raise ProblemError("treatment and outcome overlap")
    if problem.target in problem.sources:
        raise ProblemError("the target population is also listed as a source")


def decide(problem: TransportProblem) -> _Verdict:
    """Status, estimand, witness and trace, without suggestions."""
    _validate(problem)
    diagram = build_diagram(problem)
    sources = build_sources(problem, diagram)
    y, x, target = frozenset(problem.outcome), frozenset(problem.treatment), problem.target
    trace: list[str] = []
    if problem.latent:
        trace.append(f"Latent variables {names(problem.latent)} were projected out "
                     "(Verma–Pearl latent projection).")
    for s in sources:
        if x and s.population == target and s.experiment == x and y <= s.measured:
            trace.append(f"{target}'s own experiment on {names(x)} measures {names(y)}: "
                         "the effect is read off directly.")
            return _Verdict(TRANSPORTABLE, prob(target, y, do=x), None, tuple(trace))
    for s in sources:
        if s.population != target or s.experiment:
            continue
        steps: list[str] = []
        try:
            estimand = identify_effect(diagram, y, x, target, trace=steps)
        except NotIdentifiable as err:
            trace.append(f"Not identifiable from {target}'s observational data alone: "
                         f"{err.hedge.describe()}.")
            break
        if is_available(estimand, [t for t in sources if t.population == target
                                   and not t.experiment]):
            trace.append(f"Identifiable from {target}'s observational data alone (ID).")
            trace.extend(steps)
            return _Verdict(TRANSPORTABLE, estimand, None, tuple(trace))
        trace.append(f"ID on {target}'s data needs variables it did not measure.")
        break
    result = transport_effect(diagram, y, x, sources, target)
    trace.extend(result.trace)
    if result.estimand is not None:
        return _Verdict(TRANSPORTABLE, result.estimand, None, tuple(trace))
    if result.failures:
        witness = witness_text(result.failures, problem.outcome, problem.treatment, target)
        return _Verdict(NOT_TRANSPORTABLE, None, witness, tuple(trace))
    hit = search_projections(diagram, y, x, sources, target)
    if hit is not None:
        trace.append(f"Treating {names(diagram.nodes - hit.kept)} as unobserved (latent "
                     "projection) gives a formula over measured variables only.")
        trace.extend(hit.result.trace)
        return _Verdict(TRANSPORTABLE, hit.result.estimand, None, tuple(trace))
    unconstrained = unconstrained_outcome(problem)
    if unconstrained is not None:
        trace.append(unconstrained)
        return _Verdict(NOT_TRANSPORTABLE, None, unconstrained, tuple(trace))
    trace.append("Every formula found needs a variable that the dataset providing it did not "
                 "measure, and the bounded search over alternatives found none; this is a "
                 "limit of the search, not a proof.")
    return _Verdict(NOT_FOUND, None, None, tuple(trace))


def unconstrained_outcome(problem: TransportProblem) -> str | None:
    """A proof of non-transportability that holds under partial observation: when an
    outcome's mechanism differs from the target's in every source and no target data
    observe it or anything it causes, the target's mechanism of that outcome can be replaced
    (say, by a constant distribution) without changing any available distribution, while
    P*(y | do(x)) changes. Returns the witness sentence, or None."""
    children: dict[str, set[str]] = {}
    for a, b in problem.directed:
        children.setdefault(a, set()).add(b)
    for y in problem.outcome:
        if y in problem.latent or y in problem.treatment:
            continue
        if not problem.sources or any(
            y not in problem.selection.get(s, frozenset()) for s in problem.sources
        ):
            continue
        affected, stack = {y}, [y]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in affected:
                    affected.add(child)
                    stack.append(child)
        observed_in_target = [
            d for d in problem.datasets
            if d.population == problem.target and y not in d.experiment
            and d.measured & affected
        ]
        if observed_in_target:
            continue
        return (
            f"Nothing available constrains how {y} arises in {problem.target}: its mechanism "
            f"may differ from {problem.target}'s in every source "
            f"({', '.join(problem.sources)}), and no {problem.target} data observe {y} or "
            f"anything it causes. Two models that agree on every available distribution can "
            f"give {y} any distribution in {problem.target}, so P_{problem.target}({y} | "
            f"do({', '.join(problem.treatment)})) is not determined."
        )
    return None


def uses_of(estimand: Expr) -> tuple[Use, ...]:
    """The (population, experiment, variables) records an estimand reads."""
    reads: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for t in terms(estimand):
        reads.setdefault((t.population, t.do), set()).update(t.vars, t.given, t.do)
    return tuple(Use(pop, exp, tuple(sorted(vs))) for (pop, exp), vs in sorted(reads.items()))


def identify(problem: TransportProblem, suggestions: bool = True) -> Identification:
    """Decide whether P_target(outcome | do(treatment)) is transportable, and how.

    With `suggestions`, a non-transportable (or not found) answer lists the smallest
    additional shared mechanisms, measurements or experiments that would make it so.
    """
    verdict = decide(problem)
    found: tuple[Suggestion, ...] = ()
    if suggestions and verdict.status != TRANSPORTABLE:
        diagram = build_diagram(problem)
        y = frozenset(problem.outcome)
        candidates = diagram.ancestors(y) - y

        def works(p: TransportProblem) -> bool:
            return decide(p).status == TRANSPORTABLE

        found = suggest(problem, works, candidates)
    uses = uses_of(verdict.estimand) if verdict.estimand is not None else ()
    return Identification(
        status=verdict.status,
        estimand=verdict.estimand,
        uses=uses,
        witness=verdict.witness,
        suggestions=found,
        trace=verdict.trace,
        treatment=tuple(problem.treatment),
        outcome=tuple(problem.outcome),
        target=problem.target,
    )
