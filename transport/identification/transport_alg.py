"""Transportability from several populations with arbitrary experiments.

The target effect factorizes over the districts (c-components) D_j of the ancestors of Y once
X is removed: P*(y | do(x)) = Σ_{D \\ Y} Π_j Q*[D_j] (Tian & Pearl 2002). The factor Q*[D_j]
(the joint mechanism of D_j with its unobserved confounders) can be read from a dataset
P^i(v | do(z)) exactly when
  * z does not randomize any node of D_j (their mechanisms must be present in the data),
  * population i is the target, or no selection node of i points into D_j, i.e.
    (S_i ⊥ D_j | do(V \\ D_j)): then Q^i[D_j] = Q*[D_j], and
  * Q[D_j] is identifiable from P(v | do(z)) in G[V \\ z] (ID, Shpitser & Pearl 2006).
This is the general transportability algorithm (gTR, Lee, Correa & Bareinboim 2020), which
contains sID (Bareinboim & Pearl 2012), z-transportability (Bareinboim & Pearl 2013) and
mz-transportability (Bareinboim & Pearl 2014) as the special cases built by `sid_datasets`,
`z_datasets` and `mz_datasets`; all are complete, so a district no dataset can provide is
a proof of non-transportability (witnessed by a hedge or by the selection node).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from .expr import Expr, Prob, product, summation, terms
from .graph import ProjectedDiagram, SourceIndicator, m_separated, names
from .id_alg import Hedge, NotIdentifiable, identify_effect
from .problem import Dataset


@dataclass(frozen=True)
class Obstacle:
    """Why one source cannot provide the factor of a district."""

    source: Dataset
    kind: str  # "randomized" | "selection" | "hedge"
    nodes: frozenset[str]
    hedge: Hedge | None = None
    selection: SourceIndicator | None = None
    # (observed node, the latent targets of the selection node that landed on it, and the
    # node itself if it is a target too); empty when no latent target is involved
    latent: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def sentence(self) -> str:
        """A plain-language explanation naming the mechanisms."""
        if self.kind == "randomized":
            return (f"{self.source.label()} randomizes {names(self.nodes)}, so it carries no "
                    f"information about their natural mechanisms")
        if self.kind == "selection":
            return (f"the selection node {self.selection} points at {names(self.nodes)}: "
                    + " and ".join(self._blamed()))
        assert self.hedge is not None
        return f"from {self.source.label()} it is not identifiable ({self.hedge.describe()})"


    def _blamed(self) -> list[str]:
        """What may differ: the nodes' own mechanisms, and the unmeasured causes whose
        difference reaches them (a node the user declared shared is blamed only for what
        it is really selected for)."""
        population = self.source.population
        landed = dict(self.latent)
        causes: dict[str, set[str]] = {}
        for node, origins in self.latent:
            for t in origins:
                if t != node:
                    causes.setdefault(t, set()).add(node)
        own = frozenset(n for n in self.nodes if n not in landed or n in landed[n])
        out = []
        if own:
            out.append(f"{population}'s mechanism for {names(own)} may differ from the "
                       "target's")
        for t in sorted(causes):
            out.append(f"{population} may differ from the target in the unmeasured {t}, "
                       f"which causes {names(causes[t])}")
        return out


@dataclass(frozen=True)
class DistrictFailure:
    """A district whose factor no source provides, even if every variable were measured."""

    district: frozenset[str]
    obstacles: tuple[Obstacle, ...]


@dataclass
class EngineResult:
    """Outcome of one run: an estimand, or the districts that failed and why."""

    estimand: Expr | None
    failures: tuple[DistrictFailure, ...] = ()
    unavailable: tuple[frozenset[str], ...] = ()
    trace: list[str] = field(default_factory=list)


# ----- step 1: districts of the query ---------------------------------------------------------
def query_districts(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str]
                    ) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """D = An(Y) in G[V \\ X] and its districts: P*(y|do(x)) = Σ_{D\\Y} Π_j Q*[D_j]."""
    ancestors = d.ancestors(y, d.nodes - x)
    return ancestors, d.districts(ancestors)


# ----- step 2: is the district's mechanism shared with the source? ---------------------------
def selection_obstacle(d: ProjectedDiagram, district: frozenset[str], source: Dataset, target: str
                       ) -> Obstacle | None:
    """The selection node of `source` pointing into the district, if any.

    Checks (S ⊥ D_j | V \\ D_j) in G with the edges into V \\ D_j cut, the s-calculus
    condition for Q^i[D_j] = Q*[D_j].
    """
    if source.population == target:
        return None
    s = SourceIndicator(source.population)
    if s not in d.selection:
        return None
    rest = d.nodes - district
    if m_separated(d, {s}, district, rest, cut_incoming=rest):
        return None
    hit = d.selection[s] & district
    landed = d.origins.get(s, {})
    return Obstacle(source, "selection", hit, selection=s,
                    latent=tuple(sorted((n, tuple(sorted(landed[n]))) for n in hit
                                        if n in landed)))


def invariance_sentence(d: ProjectedDiagram, district: frozenset[str], source: Dataset) -> str:
    """Trace sentence for a source whose selection node was shown irrelevant for a district."""
    s = SourceIndicator(source.population)
    targets = d.selection.get(s, frozenset())
    where = f"points only at {names(targets)}" if targets else "points at nothing"
    return (f"{s} {where}; ({s} ⊥ {names(district)} | do({names(d.nodes - district)})) holds, "
            f"so the mechanism of {names(district)} is shared by {source.population} and the "
            "target")


# ----- step 3: identify the district's factor from one source --------------------------------
def district_factor(d: ProjectedDiagram, district: frozenset[str], source: Dataset, target: str,
                    log: list[str] | None = None) -> Expr | Obstacle:
    """Q*[D_j] from one source, or the obstacle that prevents it."""
    hit = source.experiment & district
    if hit:
        return Obstacle(source, "randomized", hit)
    blocked = selection_obstacle(d, district, source, target)
    if blocked is not None:
        return blocked
    rest = d.nodes - source.experiment - district
    try:
        return identify_effect(d, district, rest, source.population, source.experiment, log)
    except NotIdentifiable as err:
        return Obstacle(source, "hedge", district, hedge=err.hedge)


def is_available(e: Expr, sources: Iterable[Dataset]) -> bool:
    """Does every probability term read only variables some matching source measured?"""
    pool = list(sources)
    return all(term_available(t, pool) for t in terms(e))


def term_available(t: Prob, sources: Iterable[Dataset]) -> bool:
    """Is P_pop(vars | given, do(z)) computable from a source of that population and z?"""
    needed = set(t.vars) | set(t.given)
    return any(s.population == t.population and s.experiment == frozenset(t.do)
               and needed <= s.measured | s.experiment for s in sources)


# ----- step 4: combine ------------------------------------------------------------------------
def transport_effect(d: ProjectedDiagram, y: Iterable[str], x: Iterable[str],
                     sources: Sequence[Dataset], target: str) -> EngineResult:
    """gTR: P_target(y | do(x)) from `sources`, trying the sources in order for each district.

    A district's factor is taken from the first source that provides it with measured
    variables only; if some source provides it only with unmeasured variables the district is
    reported as unavailable (not a proof), and if none provides it at all it is a failure.
    """
    y_set, x_set = frozenset(y), frozenset(x)
    log: list[str] = []
    ancestors, districts = query_districts(d, y_set, x_set)
    log.append(f"The effect of {names(x_set)} on {names(y_set)} factorizes over the districts "
               + ", ".join(names(c) for c in districts) + f" of the ancestors {names(ancestors)}"
               f" of {names(y_set)} with {names(x_set)} removed.")
    factors: list[Expr] = []
    failures: list[DistrictFailure] = []
    unavailable: list[frozenset[str]] = []
    for district in districts:
        obstacles: list[Obstacle] = []
        found: Expr | None = None
        possible = False
        for source in sources:
            steps: list[str] = []
            got = district_factor(d, district, source, target, steps)
            if isinstance(got, Obstacle):
                obstacles.append(got)
                continue
            possible = True
            if not is_available(got, [source]):
                continue
            found = got
            if source.population != target:
                log.append(invariance_sentence(d, district, source))
            log.append(f"The factor of {names(district)} is read from {source.label()}.")
            log.extend("  " + s for s in steps)
            break
        if found is not None:
            factors.append(found)
        elif possible:
            unavailable.append(district)
            log.append(f"The factor of {names(district)} is identifiable only from terms "
                       "over variables that were not measured.")
        else:
            failures.append(DistrictFailure(district, tuple(obstacles)))
            log.append(f"No dataset provides the factor of {names(district)}: "
                       + "; ".join(o.sentence() for o in obstacles) + ".")
    if failures or unavailable:
        return EngineResult(None, tuple(failures), tuple(unavailable), log)
    estimand = summation(ancestors - y_set, product(factors))
    return EngineResult(estimand, (), (), log)


# ----- dataset collections of the classical special cases ------------------------------------
def sid_datasets(d: ProjectedDiagram, y: Iterable[str], x: Iterable[str], target: str, source: str
                 ) -> list[Dataset]:
    """sID (Bareinboim & Pearl 2012): target observational data, every source experiment.

    Only the experiments do(V \\ D_j) on the complements of the query's districts (and do(X))
    can matter, so only those are listed.
    """
    everything = d.nodes
    out = [Dataset(target, frozenset(), everything), Dataset(source, frozenset(x), everything)]
    _, districts = query_districts(d, frozenset(y), frozenset(x))
    out.extend(Dataset(source, everything - c, everything) for c in districts)
    return out


def z_datasets(d: ProjectedDiagram, target: str, source: str, z: Iterable[str]) -> list[Dataset]:
    """z-transportability (Bareinboim & Pearl 2013): source experiments on every subset of Z."""
    return mz_datasets(d, target, {source: z})


def mz_datasets(d: ProjectedDiagram, target: str, experiments: dict[str, Iterable[str]]
                ) -> list[Dataset]:
    """mz-transportability (Bareinboim & Pearl 2014): per source, experiments on subsets of Z_i.

    The target contributes observational data; each source i contributes P^i(v | do(z')) for
    every z' ⊆ Z_i (z' = ∅ being its observational data).
    """
    everything = d.nodes
    out = [Dataset(target, frozenset(), everything)]
    for population, z in experiments.items():
        zs = sorted(set(z))
        for k in range(len(zs) + 1):
            out.extend(Dataset(population, frozenset(c), everything) for c in combinations(zs, k))
    return out
