"""Simulated evidence-synthesis studies with an exactly known target effect.

A study here is a discrete causal model shared in form by every population:

    z_1 .. z_k   categorical covariates (1 to 4 of them), independent, with a
                 population-specific distribution (this is what transport corrects for)
    x            binary treatment, randomised with probability 1/2 in every experiment
    y            binary outcome, P(y = 1 | x, z) = expit(eta),
                 eta = a + b x + sum_j c_j[z_j] + x sum_j d_j[z_j]
                       + x * shift_pop

`shift_pop` is the population's own log-odds shift of the treatment coefficient: 0 for the
target, and for a source either 0 (the outcome mechanism is truly shared) or the value at
which the source's mechanism, averaged over the target's covariates, gives an effect that
differs from the target's by a chosen gap on the effect (risk-difference) scale.

Everything a benchmark needs comes from here: the exact target effect (a sum over every
covariate cell), finite samples written as CSV files, and a `.tdag` file stating the
sharing assumptions under test. Only numpy; the estimator is reached through the public
API (`run_estimate`), so these measure whatever estimator is in the tree.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

LEVEL_NAMES = ("a", "b", "c", "d", "e", "f")


def expit(value: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-value))


@dataclass(frozen=True)
class OutcomeModel:
    """Log-odds coefficients of P(y = 1 | x, z), the same for every population up to the
    population's treatment shift."""

    intercept: float
    treatment: float
    main: tuple[tuple[float, ...], ...]  # per covariate, per level
    modifier: tuple[tuple[float, ...], ...]  # per covariate, per level: effect modification

    def p(self, x: np.ndarray, z: np.ndarray, shift: float = 0.0) -> np.ndarray:
        """P(y = 1) for rows of treatment x (n,) and covariate levels z (n, k)."""
        eta = np.full(len(x), self.intercept) + (self.treatment + shift) * x
        for j, (main, mod) in enumerate(zip(self.main, self.modifier, strict=True)):
            eta += np.asarray(main)[z[:, j]] + x * np.asarray(mod)[z[:, j]]
        return expit(eta)


@dataclass(frozen=True)
class Population:
    """One population of a simulated study: who it is, what its data are."""

    name: str
    role: str  # "source" or "target"
    covariate_probs: tuple[tuple[float, ...], ...]  # per covariate, per level
    rows: int
    design: str = "experiment"  # "experiment" (x randomised, y measured) or "survey" (z only)
    shift: float = 0.0  # log-odds shift of the treatment coefficient
    label: str = ""


@dataclass(frozen=True)
class SynthesisModel:
    """A discrete causal model with its populations; the target is the one with role target."""

    outcome: OutcomeModel
    populations: tuple[Population, ...]

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(len(m) for m in self.outcome.main)

    @property
    def target(self) -> Population:
        return next(p for p in self.populations if p.role == "target")

    def population(self, name: str) -> Population:
        return next(p for p in self.populations if p.name == name)

    def _grid(self) -> np.ndarray:
        """Every covariate cell: an array of levels (cells, k)."""
        return np.array(list(itertools.product(*(range(n) for n in self.levels))), dtype=int)

    def effect(self, shift: float, covariate_probs) -> float:
        """Exact average effect E[P(y|x=1,z) - P(y|x=0,z)] of a mechanism with treatment
        shift `shift`, over independent covariates with `covariate_probs`."""
        z = self._grid()
        weight = np.ones(len(z))
        for j, probs in enumerate(covariate_probs):
            weight *= np.asarray(probs)[z[:, j]]
        ones, zeros = np.ones(len(z)), np.zeros(len(z))
        diff = self.outcome.p(ones, z, shift) - self.outcome.p(zeros, z, shift)
        return float(np.sum(weight * diff))

    def true_effect(self) -> float:
        """The target population's average treatment effect, exact."""
        target = self.target
        return self.effect(target.shift, target.covariate_probs)

    def own_effect(self, name: str) -> float:
        """A population's own average effect (what its experiment estimates, taken as is)."""
        pop = self.population(name)
        return self.effect(pop.shift, pop.covariate_probs)

    def shift_for_gap(self, gap: float) -> float:
        """The log-odds treatment shift at which a source's mechanism, applied to the target's
        covariates, gives the target effect plus `gap` (bisection; the effect rises with it)."""
        probs = self.target.covariate_probs
        goal = self.effect(0.0, probs) + gap
        low, high = -8.0, 8.0
        if not self.effect(low, probs) < goal < self.effect(high, probs):
            raise ValueError(f"an effect gap of {gap} is out of reach for this model")
        for _ in range(80):
            mid = (low + high) / 2
            low, high = (mid, high) if self.effect(mid, probs) < goal else (low, mid)
        return (low + high) / 2

    def with_gap(self, name: str, gap: float, either_sign: bool = False) -> SynthesisModel:
        """The same model with source `name`'s outcome mechanism shifted by an effect gap;
        with `either_sign`, by -gap where +gap is out of reach (an effect near its ceiling)."""
        if not gap:
            shift = 0.0
        elif either_sign:
            try:
                shift = self.shift_for_gap(gap)
            except ValueError:
                shift = self.shift_for_gap(-gap)
        else:
            shift = self.shift_for_gap(gap)
        pops = tuple(replace(p, shift=shift) if p.name == name else p for p in self.populations)
        return replace(self, populations=pops)

    def with_shift(self, name: str, shift: float) -> SynthesisModel:
        """The same model with source `name`'s treatment coefficient shifted by `shift` on the
        log-odds scale (the coefficient a `partial y sd X` claim shifts)."""
        pops = tuple(replace(p, shift=shift) if p.name == name else p for p in self.populations)
        return replace(self, populations=pops)

    def with_rows(self, name: str, rows: int, design: str | None = None) -> SynthesisModel:
        pops = tuple(
            replace(p, rows=rows, design=design or p.design) if p.name == name else p
            for p in self.populations
        )
        return replace(self, populations=pops)

    def sample(self, pop: Population, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Finite data of one population: columns z1.., x, y (z only for a survey)."""
        n = pop.rows
        z = np.column_stack(
            [rng.choice(len(p), size=n, p=np.asarray(p)) for p in pop.covariate_probs]
        ).astype(int)
        columns = {f"z{j + 1}": z[:, j] for j in range(z.shape[1])}
        if pop.design == "survey":
            return columns
        x = rng.integers(0, 2, size=n)
        y = (rng.random(n) < self.outcome.p(x, z, pop.shift)).astype(int)
        columns.update({"x": x, "y": y})
        return columns


def random_model(
    rng: np.random.Generator,
    levels: tuple[int, ...],
    sources: dict[str, int],
    target_rows: int,
    target_design: str = "experiment",
    imbalance: float = 1.0,
) -> SynthesisModel:
    """A random outcome model and populations: every source's outcome mechanism equals the
    target's (apply `with_gap` to break it); covariate distributions differ, each drawn from
    a Dirichlet whose concentration 1/imbalance controls how far apart they are."""
    outcome = OutcomeModel(
        intercept=float(rng.normal(-0.3, 0.4)),
        treatment=float(rng.normal(0.9, 0.3)),
        main=tuple(tuple(float(v) for v in rng.normal(0, 0.6, n)) for n in levels),
        modifier=tuple(tuple(float(v) for v in rng.normal(0, 0.5, n)) for n in levels),
    )

    def probs() -> tuple[tuple[float, ...], ...]:
        return tuple(
            tuple(float(v) for v in rng.dirichlet(np.full(n, 2.0 / imbalance)) * 0.9 + 0.1 / n)
            for n in levels
        )

    pops = [Population(name, "source", probs(), rows) for name, rows in sources.items()]
    pops.append(Population("human", "target", probs(), target_rows, target_design))
    return SynthesisModel(outcome, tuple(pops))


# --- writing a study -----------------------------------------------------------------------


@dataclass(frozen=True)
class StudyText:
    """How the `.tdag` file states the study: one sharing statement per source for y."""

    sharing: dict[str, str]  # source -> "shared" | "differs" | "partial sd X", then clauses
    reasons: dict[str, str] = field(default_factory=dict)
    title: str = "Simulated evidence-synthesis study"


def write_csv(path: Path, columns: dict[str, np.ndarray], levels: tuple[int, ...]) -> None:
    """Columns as CSV, covariates written as level names (a, b, ...)."""
    names = list(columns)
    values = []
    for name in names:
        col = columns[name]
        if name.startswith("z"):
            values.append([LEVEL_NAMES[v] for v in col])
        else:
            values.append([str(int(v)) for v in col])
    lines = [",".join(names)] + [",".join(row) for row in zip(*values, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def study_text(model: SynthesisModel, text: StudyText) -> str:
    """The `.tdag` text of a simulated study whose data files sit beside it."""
    covariates = [f"z{j + 1}" for j in range(len(model.levels))]
    lines = ["tdag 1", f'study "{text.title}" {{', '  author "tests/benchmarks"', "}"]
    for pop in model.populations:
        lines.append(f'population {pop.name} {pop.role} "{pop.label or pop.name}"')
    for name, n in zip(covariates, model.levels, strict=True):
        lines.append(f'var {name} categorical({", ".join(LEVEL_NAMES[:n])}) "covariate {name}"')
    lines.append('var x binary "treatment" treatment')
    lines.append('var y binary "outcome" outcome')
    lines.append(f"{{{' '.join(covariates + ['x'])}}} -> y")
    for source, sharing in text.sharing.items():
        reason = text.reasons.get(source, "the assumption under test")
        lines.append(f'{sharing.split()[0]} y{_sd(sharing)} for {source} because "{reason}"')
    lines.append(f'differs {", ".join(covariates)} because "who takes part differs"')
    lines.append('shared x because "randomised with probability one half everywhere"')
    for pop in model.populations:
        if pop.design == "survey":
            lines.append(
                f'data {pop.name} "{pop.name}.csv" observational measures({", ".join(covariates)})'
            )
        else:
            lines.append(f'data {pop.name} "{pop.name}.csv" experiment(x)')
    lines.append(f"estimate effect of x on y in {model.target.name} contrast 1 vs 0")
    return "\n".join(lines) + "\n"


def _sd(sharing: str) -> str:
    """The claim's clauses after its kind: "partial sd 0.2 robust 0" -> " sd 0.2 robust 0"."""
    words = sharing.split()
    return "".join(f" {w}" for w in words[1:])


def write_study(
    folder: Path, model: SynthesisModel, text: StudyText, rng: np.random.Generator
) -> Path:
    """Sample every population into `folder`, write study.tdag there, return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    for pop in model.populations:
        if pop.rows > 0:
            write_csv(folder / f"{pop.name}.csv", model.sample(pop, rng), model.levels)
    path = folder / "study.tdag"
    path.write_text(study_text(model, text), encoding="ascii")
    return path


# --- running the estimator through the public API ------------------------------------------


def run_estimate(path: Path, seed: int, draws: int, **options) -> dict:
    """`transport estimate FILE --format json` in process: the result's JSON contract."""
    import transport

    estimate = getattr(transport, "estimate", None)
    if callable(estimate):  # the path-or-study API, where the tree has it
        return estimate(path, seed=seed, draws=draws, **options).to_json()
    return transport.estimate_study(transport.load(path), seed=seed, draws=draws,
                                    **options).to_json()


def interval(result: dict) -> tuple[float, float]:
    low, high = result["effect"]["hdi_95"]
    return float(low), float(high)


def covers(result: dict, truth: float) -> bool:
    low, high = interval(result)
    return low <= truth <= high


def contradicted_between(result: dict, first: str, second: str) -> bool:
    """Does any assumption check about y call the pair (first, second) contradicted?
    Reads `between` when present, else the older `source` field (source vs target)."""
    for check in result.get("assumption_checks", []):
        if check.get("verdict") != "contradicted" or check.get("mechanism") != "y":
            continue
        pair = check.get("between") or [check.get("source"), "human"]
        if set(pair) == {first, second}:
            return True
    return False


def any_contradicted(result: dict) -> bool:
    return any(c.get("verdict") == "contradicted" for c in result.get("assumption_checks", []))


def difference_in_means(folder: Path, population: str) -> tuple[float, float, float]:
    """The naive alternative for a randomised experiment: difference in means with a normal
    95% interval (mean, low, high)."""
    lines = (folder / f"{population}.csv").read_text(encoding="ascii").splitlines()
    header = lines[0].split(",")
    ix, iy = header.index("x"), header.index("y")
    rows = np.array([[int(r.split(",")[ix]), int(r.split(",")[iy])] for r in lines[1:]])
    y1, y0 = rows[rows[:, 0] == 1, 1], rows[rows[:, 0] == 0, 1]
    est = y1.mean() - y0.mean()
    se = math.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    return float(est), float(est - 1.96 * se), float(est + 1.96 * se)


def truth_json(model: SynthesisModel, seed: int) -> str:
    """truth.json in the examples' format: true effect, naive source effects, contrast, seed."""
    naive = {p.name: round(model.own_effect(p.name), 6)
             for p in model.populations if p.role == "source"}
    body = {"true_effect": round(model.true_effect(), 6), "naive_effect": naive,
            "contrast": [1, 0], "seed": seed}
    return json.dumps(body, indent=2) + "\n"


@dataclass
class Tally:
    """Interval coverage, error and width over simulated studies.

    `bias` is the mean signed error (estimate minus truth) over studies, with its standard
    error; `median signed error` is its robust twin; `median absolute error` is the typical
    distance of one study's estimate from the truth (precision and bias together)."""

    label: str
    covered: list[bool] = field(default_factory=list)
    errors: list[float] = field(default_factory=list)  # signed: estimate - truth
    widths: list[float] = field(default_factory=list)

    def add(self, mean: float, low: float, high: float, truth: float) -> None:
        self.covered.append(low <= truth <= high)
        self.errors.append(mean - truth)
        self.widths.append(high - low)

    def add_estimate(self, estimate: dict, truth: float) -> None:
        """A `{mean, hdi_95}` summary, as in the JSON's `effect` or `naive`."""
        low, high = estimate["hdi_95"]
        self.add(float(estimate["mean"]), float(low), float(high), truth)

    def line(self) -> str:
        n = len(self.covered)
        errors = np.asarray(self.errors)
        coverage_se = math.sqrt(0.95 * 0.05 / max(n, 1))
        bias_se = errors.std(ddof=1) / math.sqrt(n) if n > 1 else float("nan")
        return (f"{self.label}: 95% interval coverage {np.mean(self.covered):.3f} over {n} "
                f"studies (binomial se at 0.95: {coverage_se:.3f}); bias {errors.mean():+.4f} "
                f"(se {bias_se:.4f}), median signed error {np.median(errors):+.4f}, median "
                f"absolute error {np.median(np.abs(errors)):.4f}; mean interval width "
                f"{np.mean(self.widths):.3f}")
