"""The evidence-synthesis path of `estimate`: the joint model's effect, each source's own
effect, the checks between populations, what each source contributed, and the tipping
point of every tie (`synthesise`), packaged as the PathEstimate every path returns
(`joint_estimate`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.diagnostics import Diagnostics
from transport.estimate.effects import EffectWithout, SourceEffect
from transport.estimate.path_result import PathEstimate, prior_summary
from transport.estimate.robustness_value import Robustness, TogetherCurve
from transport.estimate.scales import null_value, scale_of
from transport.estimate.scope import relevant_variables
from transport.estimate.summary import describe
from transport.estimate.synthesis.continuous import extrapolation_notes
from transport.estimate.synthesis.contributions import Contribution, contributions
from transport.estimate.synthesis.effective import EffectiveSample
from transport.estimate.synthesis.evidence import failure_weight
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
    """The posterior weight with which one source's rows enter one target mechanism, and its
    prior weight (1 minus the claim's `robust W`, 0.9 by default); without target rows to
    weigh the claim the two are 1 (the claim is used as stated)."""

    mechanism: str
    population: str
    statement: str
    weight: float
    checked: bool
    prior_weight: float = 1.0

    def to_json(self) -> dict:
        return {"mechanism": self.mechanism, "population": self.population,
                "statement": self.statement, "weight": self.weight,
                "prior_weight": self.prior_weight, "checked_by_target_rows": self.checked}


@dataclass(frozen=True)
class SynthesisResult:
    """Everything the joint model computed: draws of the target effect, of its prior and of
    each source's own effect, the checks, contributions, tipping points and the curve with
    every tie loosened (`together`), the borrowing weights, the mechanisms only `partial`
    claims inform (`untested`), and the sources whose rows do not enter."""

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
    together: TogetherCurve | None
    effective_samples: tuple[EffectiveSample, ...] = ()
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
            mixed = len(item.configurations) > 1  # the robust mixture weighed the claim
            prior = (1.0 - failure_weight(model.study, group.population, variable)
                     if mixed else 1.0)
            found.append(Borrowing(variable, group.population, group.statement or "",
                                   1.0 if weight is None else weight, checked, prior))
    return tuple(found)


def _effective_samples(model: JointModel) -> tuple[EffectiveSample, ...]:
    """Every group of rows whose statistics clusters or predictions made effective."""
    return tuple(EffectiveSample(variable, g.population, g.rows, g.effective)
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


def _together_curve(model: JointModel, seed: int, draws: int) -> TogetherCurve | None:
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
        intervals.append(summary.hdi_95)
        positive.append(summary.prob_positive)
    flip = next((s for s, (low, high) in zip(GRID, intervals, strict=True)
                 if low <= null <= high), None)
    return TogetherCurve(tuple(GRID), tuple(intervals), tuple(positive), flip)


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
        return replace(check, without=EffectWithout(False))
    effect = effect_draws(model.study, model.draw(draws, seed, drop=frozenset({(second,
                                                                                 variable)})))
    summary = describe(effect)
    return replace(check, without=EffectWithout(True, summary.mean, summary.hdi_95))


def joint_supported(study: Study, loaded: Sequence[LoadedData]) -> bool:
    """Whether every mechanism the effect needs is informed by some dataset."""
    return not JointModel.build(study, loaded, weigh_conflicts=False).missing()


def _robustness(found: SynthesisResult) -> Robustness:
    """The tipping point of every tie and the curve with all of them loosened at once."""
    if not found.tipping_points:
        return Robustness(
            found.criterion, False,
            note="no source's rows enter the estimate through a shared or partial claim, "
            "so the estimate rests on the target's own rows and no sharing claim can fail",
            tipping_points=(),
        )
    return Robustness(
        found.criterion, True,
        units="sd of a shift of each tie's effect-relevant coefficient (log-odds; outcome "
        "sds for a continuous mechanism), every tie loosened at once",
        together=found.together,
        by_mechanism=_by_mechanism(found),
        mechanisms=tuple(sorted({p.mechanism for p in found.tipping_points})),
        tipping_points=found.tipping_points,
    )


def _by_mechanism(found: SynthesisResult) -> dict[str, float | None]:
    """The smallest tipping point of each mechanism (None: beyond the range, or no
    conclusion to flip)."""
    out: dict[str, float | None] = {}
    for point in found.tipping_points:
        current = out.get(point.mechanism)
        if point.sd_at_flip is not None and (current is None or point.sd_at_flip < current):
            out[point.mechanism] = point.sd_at_flip
        else:
            out.setdefault(point.mechanism, current)
    return out


def _unused_coefficient_ties(study: Study, found: SynthesisResult) -> list[str]:
    """Edge-level `shared A -> B` claims on a mechanism the effect depends on whose source
    gives B's mechanism no other tie: the joint model ties whole mechanisms, not single
    coefficients, so the claim adds nothing there and the output says so."""
    relevant = set(relevant_variables(study))
    borrowed = {(b.population, b.mechanism) for b in found.borrowing}
    notes = []
    for row in study.coefficients:
        mechanism = row.mechanism
        if (row.sharing.status != "shared" or mechanism.head not in relevant
                or (row.source, mechanism.head) in borrowed):
            continue
        notes.append(
            f"'shared {mechanism.tail} -> {mechanism.head} for {row.source}' is not used: "
            f"the joint model ties whole mechanisms, not single coefficients, and "
            f"{row.source}'s rows enter {mechanism.head}'s only through a `shared` or "
            f"`partial {mechanism.head}` claim"
        )
    return notes


def _notes(study: Study, found: SynthesisResult) -> list[str]:
    """What the reader must know about this joint estimate: extrapolations, prior-driven
    mechanisms, discounted borrowing, sources and claims that do not enter."""
    notes = list(found.notes)
    if found.untested:
        notes.append(
            "prior-driven: the target's mechanism of "
            + ", ".join(found.untested)
            + " is informed only through `partial` claims that no human rows can check, so "
            "the interval's width there comes from the stated shift scale, not from data"
        )
    for item in found.borrowing:
        if item.checked and item.weight < BORROWING_DISCOUNTED:
            notes.append(
                f"borrowing discounted: the {study.target.name} rows conflict with "
                f"'{item.statement}', so {item.population}'s rows enter {item.mechanism} "
                f"with posterior weight {item.weight:.2f}"
            )
    for source in found.unused_sources:
        notes.append(f"{source}'s rows do not enter this estimate: no mechanism the effect "
                     f"depends on is declared shared or partial for {source} with rows that "
                     "measure it and its parents")
    return notes + _unused_coefficient_ties(study, found)


def joint_estimate(
    study: Study, loaded: Sequence[LoadedData], draws: int, seed: int, *,
    checks: bool = True, robustness: bool = True,
) -> PathEstimate:
    """The joint model of every population as the estimate's path result."""
    found = synthesise(study, loaded, draws, seed, checks=checks, robustness=robustness)
    summary = describe(found.effect)
    return PathEstimate(
        method=found.method,
        effect_draws=found.effect,
        effect=summary,
        prior=prior_summary(summary, found.prior_effect),
        source_effects={s: SourceEffect.of(describe(d)) for s, d in found.source_effects.items()},
        source_draws=found.source_effects,
        robustness=_robustness(found) if robustness else None,
        diagnostics=Diagnostics.exact(draws),
        used_sources=tuple(sorted({b.population for b in found.borrowing})),
        draws=draws,
        notes=tuple(_notes(study, found)),
        prior_draws=found.prior_effect,
        checks=found.checks,
        contributions=found.contributions,
        prior_driven=bool(found.untested),
        borrowing=found.borrowing,
        effective_samples=found.effective_samples,
    )
