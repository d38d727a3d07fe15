"""The evidence-synthesis path of `estimate`: the joint model's effect, each source's own
effect, the checks between populations, what each source contributed, and the tipping
point of every tie, as one value for the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.scales import null_value, scale_of
from transport.estimate.summary import describe
from transport.estimate.synthesis.continuous import extrapolation_notes
from transport.estimate.synthesis.contributions import Contribution, contributions
from transport.estimate.synthesis.joint import JointModel, MechanismPosterior, effect_draws
from transport.estimate.synthesis.pair_checks import PairCheck, pair_checks
from transport.estimate.synthesis.sensitivity import GRID, TippingPoint, tipping_points
from transport.study import Study

BORROWING_DISCOUNTED = 0.5
METHOD = (
    "joint model of every population's mechanisms under the declared ties (exact conjugate "
    "draws; sparse cells pooled towards a lower-order model; robust mixture where human rows "
    "can check a tie), target effect by the g-formula over the target's mechanisms"
)
CONTINUOUS_METHOD = (
    "; continuous parents by penalised-spline regressions (Laplace posterior, smoothness by "
    "marginal likelihood) or the file's `model` statements, continuous covariates by "
    "Bayesian-bootstrap atoms"
)


@dataclass(frozen=True)
class Borrowing:
    """The posterior weight with which one source's rows enter one target mechanism."""

    mechanism: str
    population: str
    statement: str
    weight: float
    checked: bool

    def to_json(self) -> dict:
        return {"mechanism": self.mechanism, "population": self.population,
                "statement": self.statement, "weight": self.weight,
                "checked_by_target_rows": self.checked}


@dataclass(frozen=True)
class SynthesisResult:
    effect: np.ndarray
    prior_effect: np.ndarray
    source_effects: dict[str, np.ndarray]
    checks: tuple[PairCheck, ...]
    contributions: tuple[Contribution, ...]
    tipping_points: tuple[TippingPoint, ...]
    criterion: str
    borrowing: tuple[Borrowing, ...]
    untested: tuple[str, ...]
    unused_sources: tuple[str, ...]
    together: dict | None
    effective_samples: tuple[dict, ...] = ()
    method: str = METHOD
    notes: tuple[str, ...] = ()


def _borrowing(model: JointModel, posterior: dict[str, MechanismPosterior]
               ) -> tuple[Borrowing, ...]:
    found = []
    for variable in model.order:
        item = posterior[variable]
        own = item.evidence.target
        checked = own is not None and own.rows > 0
        for group in item.evidence.borrowed:
            weight = item.borrow_weight(group.population)
            found.append(Borrowing(variable, group.population, group.statement or "",
                                   1.0 if weight is None else weight, checked))
    return tuple(found)


def _effective_samples(model: JointModel) -> tuple[dict, ...]:
    """Every group of rows whose statistics clusters or predictions made effective."""
    return tuple(g.effective.to_json(variable, g.population, g.rows)
                 for variable in model.order for g in model.evidence[variable].groups
                 if g.effective is not None)


def _source_effects(study: Study, loaded: Sequence[LoadedData], draws: int, seed: int
                    ) -> dict[str, np.ndarray]:
    """Each source's own effect from its own rows alone (where they inform every mechanism)."""
    found = {}
    for source in sorted(s.name for s in study.sources):
        own = JointModel.build(study, loaded, source, weigh_conflicts=False)
        if own.missing():
            continue
        found[source] = effect_draws(study, own.draw(draws, seed, robust=False))
    return found


def _together_curve(model: JointModel, seed: int, draws: int) -> dict | None:
    """Every tie loosened at once: the 95% interval per shift scale (for the plot)."""
    ties = [(g.population, v, g.sd or 0.0) for v in model.order
            for g in model.evidence[v].borrowed]
    if not ties:
        return None
    null = null_value(scale_of(model.study))
    intervals, positive = [], []
    for scale in GRID:
        sds = {(p, v): max(sd, scale) for p, v, sd in ties}
        effect = effect_draws(model.study, model.draw(draws, seed, sds=sds))
        summary = describe(effect, null)
        intervals.append(summary["hdi_95"])
        positive.append(summary["prob_positive"])
    flip = next((s for s, (low, high) in zip(GRID, intervals, strict=True)
                 if low <= null <= high), None)
    return {"scales": list(GRID), "intervals": intervals, "prob_positive": positive,
            "scale_at_flip": flip}


def synthesise(
    study: Study, loaded: Sequence[LoadedData], draws: int, seed: int, *,
    checks: bool = True, robustness: bool = True,
) -> SynthesisResult:
    """Everything the joint model says about the target effect."""
    model = JointModel.build(study, loaded, seed=seed)
    posterior = model.draw(draws, seed)
    effect = effect_draws(study, posterior)
    prior = effect_draws(study, model.draw(draws, seed, prior_only=True))
    used = set(model.populations())
    unused = tuple(sorted(s.name for s in study.sources if s.name not in used))
    found_checks = pair_checks(study, model.evidence, seed) if checks else ()
    found_checks = tuple(_with_without(model, c, draws, seed) for c in found_checks)
    criterion, points, together = "", (), None
    if robustness:
        criterion, points = tipping_points(model, seed, posterior)
        together = _together_curve(model, seed, min(draws, 1000))
    return SynthesisResult(
        effect=effect,
        prior_effect=prior,
        source_effects=_source_effects(study, loaded, draws, seed),
        checks=found_checks,
        contributions=contributions(model, effect, draws, seed),
        tipping_points=points,
        criterion=criterion,
        borrowing=_borrowing(model, posterior),
        untested=model.untested(),
        unused_sources=unused,
        together=together,
        effective_samples=_effective_samples(model),
        method=METHOD + (CONTINUOUS_METHOD if _continuous(model) else ""),
        notes=extrapolation_notes(model.evidence, study.target.name),
    )


def _continuous(model: JointModel) -> bool:
    return any(e.regression is not None or e.atoms is not None
               for e in model.evidence.values())


def _with_without(model: JointModel, check: PairCheck, draws: int, seed: int) -> PairCheck:
    """A contradicted claim between the target and a source: the estimate without it."""
    first, second = check.between
    if check.verdict != "contradicted" or first != model.population:
        return check
    variable = check.mechanism
    remaining = [g for g in model.evidence[variable].groups if g.population != second]
    if not remaining:
        return replace(check, without={"transportable": False, "mean": None, "hdi_95": None})
    effect = effect_draws(model.study, model.draw(draws, seed, drop=frozenset({(second,
                                                                                 variable)})))
    summary = describe(effect)
    return replace(check, without={"transportable": True, "mean": summary["mean"],
                                   "hdi_95": summary["hdi_95"]})


def joint_supported(study: Study, loaded: Sequence[LoadedData]) -> bool:
    """Whether every mechanism the effect needs is informed by some dataset."""
    return not JointModel.build(study, loaded, weigh_conflicts=False).missing()
