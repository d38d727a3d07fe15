"""How far may each sharing claim fail before the conclusion flips?

Every tie that lets a source's rows into a target mechanism is re-run as `partial` with a
growing shift scale (a `shared` claim is sd 0; a `partial` one starts at its stated sd),
the whole joint model redrawn each time with the same random streams. The conclusion is the
preregistered decision rule when the file has one ("met" or "not met"), else the sign of the
effect as the 95% interval states it (no conclusion when the interval includes 0). The
tipping point is the smallest scale at which the conclusion changes, refined by bisection,
and is also stated in the effect's own units: how much the effect moves when that
mechanism's effect-relevant coefficient (its treatment contrast, or its level) is shifted by
that much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from transport.estimate.levels import contrast_positions
from transport.estimate.scales import null_value, scale_of
from transport.estimate.summary import hdi
from transport.estimate.synthesis.evidence import MechanismEvidence
from transport.estimate.synthesis.gaussian import group_sigma
from transport.estimate.synthesis.joint import JointModel, MechanismPosterior, effect_draws
from transport.study import Study

GRID: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)
CURVE_DRAWS = 1000
BISECTIONS = 4


@dataclass(frozen=True)
class TippingPoint:
    """How far one tie may loosen before the conclusion changes: the claim, its mechanism
    and source, the sd it was declared with, the conclusion at that sd (None: none to
    flip), the smallest shift sd that flips it (None: none in the range tried), that shift
    in the effect's own units, and the 95% interval at each sd tried."""

    statement: str
    mechanism: str
    population: str
    declared_sd: float
    conclusion: str | None
    sd_at_flip: float | None
    effect_gap_at_flip: float | None
    scales: tuple[float, ...]
    intervals: tuple[tuple[float, float], ...]

    def to_json(self) -> dict:
        return {"statement": self.statement, "mechanism": self.mechanism,
                "population": self.population, "declared_sd": self.declared_sd,
                "conclusion": self.conclusion,
                "sd_at_flip": self.sd_at_flip, "effect_gap_at_flip": self.effect_gap_at_flip,
                "scales": list(self.scales), "intervals": [list(i) for i in self.intervals]}


def conclusion_of(study: Study) -> tuple[str, Callable[[np.ndarray], object]]:
    """The criterion's description and a function from effect draws to the conclusion."""
    if study.decision is not None:
        rule = study.decision
        return (f"the decision rule '{rule.describe()}'",
                lambda d: "met" if rule.holds(d) else "not met")

    null = null_value(scale_of(study))

    def sign(draws: np.ndarray) -> object:
        low, high = hdi(draws)
        return "above" if low > null else "below" if high < null else None

    return (f"whether the 95% interval of the effect lies above or below {null:g} "
            "(no effect)", sign)


def _shifted_effect(study: Study, posterior: dict[str, MechanismPosterior], variable: str,
                    sd: float) -> float:
    """|effect change| when `variable`'s effect-relevant coefficient moves by sd, at the
    posterior mean of every mechanism."""
    means = {v: _mean_posterior(p) for v, p in posterior.items()}
    base = float(effect_draws(study, means)[0])
    item = means[variable]
    values = item.values.copy()
    evidence = item.evidence
    axis = evidence.treatment_axis
    mask = np.ones(evidence.cells, dtype=bool)
    if axis is not None:
        treated, _ = contrast_positions(study)
        grid = np.unravel_index(np.arange(evidence.cells), evidence.shape)
        mask = grid[axis] == treated
    if evidence.kind == "discrete":
        logs = np.log(np.clip(values[0], 1e-12, None))
        k = evidence.levels
        tilt = np.linspace(-0.5, 0.5, k) * sd
        logs[mask] += tilt
        shifted = np.exp(logs - logs.max(axis=-1, keepdims=True))
        values[0] = shifted / shifted.sum(axis=-1, keepdims=True)
    else:
        sigma = _outcome_sigma(evidence)
        values[0, mask] += sd * sigma
    means[variable] = MechanismPosterior(evidence, values, item.configurations, item.borrowed)
    return abs(float(effect_draws(study, means)[0]) - base)


def _outcome_sigma(evidence: MechanismEvidence) -> float:
    return group_sigma(sum(g.stats for g in evidence.groups))


def _mean_posterior(item: MechanismPosterior) -> MechanismPosterior:
    return MechanismPosterior(item.evidence, item.values.mean(axis=0, keepdims=True),
                              item.configurations, item.borrowed)


def tipping_points(
    model: JointModel, seed: int, posterior: dict[str, MechanismPosterior],
    draws: int = CURVE_DRAWS,
) -> tuple[str, tuple[TippingPoint, ...]]:
    """The criterion and one tipping point per tie that enters the estimate."""
    study = model.study
    criterion, conclude = conclusion_of(study)
    found = []
    for variable in model.order:
        for group in model.evidence[variable].borrowed:
            key = (group.population, variable)
            declared = group.sd or 0.0

            def at(sd: float, key=key) -> np.ndarray:
                return effect_draws(study, model.draw(draws, seed, sds={key: sd}))

            reference = conclude(at(declared))
            scales, intervals, flip = [], [], None
            if reference is None:
                found.append(TippingPoint(
                    group.statement or f"{variable} for {group.population}", variable,
                    group.population, declared, None, None, None, (), (),
                ))
                continue
            previous = declared
            for sd in [declared] + [s for s in GRID if s > declared]:
                effect = at(sd)
                scales.append(sd)
                intervals.append(tuple(hdi(effect)))
                if conclude(effect) != reference:
                    low, high = previous, sd
                    for _ in range(BISECTIONS):
                        middle = 0.5 * (low + high)
                        if conclude(at(middle)) != reference:
                            high = middle
                        else:
                            low = middle
                    flip = high
                    break
                previous = sd
            gap = _shifted_effect(study, posterior, variable, flip) if flip else None
            found.append(TippingPoint(
                group.statement or f"{variable} for {group.population}", variable,
                group.population, declared, None if reference is None else str(reference),
                flip, gap, tuple(scales), tuple(intervals),
            ))
    return criterion, tuple(found)
