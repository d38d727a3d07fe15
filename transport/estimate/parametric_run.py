"""The parametric path of `estimate`: when the exact path cannot serve (continuous variables
in the formula, or no nonparametric formula but `partial` statements that let the model
borrow strength), the joint PyMC model of `parametric.py` is fitted and summarised in the
same value as the other paths' (a PathEstimate)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.diagnostics import Diagnostics
from transport.estimate.effects import PriorSummary, SourceEffect
from transport.estimate.path_result import PathEstimate
from transport.estimate.robustness import SCALES, shared_in
from transport.estimate.robustness_value import Robustness, TogetherCurve
from transport.estimate.summary import describe, hdi
from transport.study import Study

BLOCKS_SHIFTED = ("alpha", "beta")


def parametric_estimate(study: Study, loaded: Sequence[LoadedData], seed: int,
                        robustness: bool = True) -> PathEstimate:
    """Fit, then the effect, each source's effect, prior contraction, diagnostics and (with
    `robustness`) the robustness curve, with the draws."""
    from transport.estimate import pymc_backend
    from transport.estimate.mechanisms import param_name
    from transport.estimate.parametric import fit_parametric, simulate_effect

    settings = study.fit
    fit = fit_parametric(
        study, loaded, draws=settings.draws, tune=settings.tune, chains=settings.chains,
        seed=seed, sampler=settings.sampler, cores=settings.cores,
        target_accept=settings.target_accept, with_prior=True,
    )
    convergence = fit.convergence()
    names = pymc_backend.parameter_names(fit.spec)
    flat = pymc_backend.flat_draws(fit.idata.posterior, names)
    target = study.target.name
    rng = np.random.default_rng([seed, 11])
    noise: dict[str, np.ndarray] = {}
    shifted: dict[str, list[str]] = {}
    for source in sorted(study.sources, key=lambda s: s.name):
        for variable in sorted(shared_in(study, source.name)):
            mechanism = fit.spec.mechanisms.get(variable)
            if mechanism is None:
                continue
            scale = 1.0
            if study.variable(variable).kind == "continuous":
                values = [np.asarray(d.frame[variable], dtype=float) for d in loaded
                          if variable in d.frame]
                scale = float(np.std(np.concatenate(values))) if values else 1.0
            for block in BLOCKS_SHIFTED:
                name = param_name(variable, target, block)
                if name in flat and name not in noise:
                    noise[name] = scale * rng.standard_normal(flat[name].shape)
                    shifted.setdefault(variable, []).append(name)

    memo: dict = {}  # every shifted simulation uses the same bootstrap weights and seeds

    def effect_at(scale: float, only: str | None) -> np.ndarray:
        draws = dict(flat)
        for variable, params in shifted.items():
            if only is None or variable == only:
                for name in params:
                    draws[name] = flat[name] + scale * noise[name]
        effect, _ = simulate_effect(study, fit.spec, loaded, draws, target, fit.contrast,
                                    np.random.default_rng([seed, 1]), memo=memo)
        return effect

    def curve(only: str | None) -> TogetherCurve:
        intervals, positive = [], []
        for scale in SCALES:
            effect = fit.effect if scale == 0 else effect_at(scale, only)
            intervals.append(tuple(hdi(effect)))
            positive.append(float((effect > 0).mean()))
        flip = next((s for s, (lo, hi) in zip(SCALES, intervals, strict=True) if lo <= 0 <= hi),
                    None)
        return TogetherCurve(tuple(SCALES), tuple(intervals), tuple(positive), flip)

    criterion = "the 95% HDI of the target effect includes 0"
    if shifted:
        together = curve(None)
        curves = Robustness(
            criterion, True,
            units="sd of shifts of the target's coefficients of each shared mechanism, on "
            "the logit scale or in outcome sds for a continuous variable, added to the "
            "posterior without refitting",
            together=together,
            # with one shifted mechanism its own curve is the joint one
            by_mechanism=({v: together.scale_at_flip for v in shifted}
                          if len(shifted) == 1
                          else {v: curve(v).scale_at_flip for v in sorted(shifted)}),
            mechanisms=tuple(sorted(shifted)),
        )
    else:
        curves = Robustness(
            criterion, False,
            note="no shared mechanism enters the model, so no sharing assumption can fail"
            if not any(r.sharing.status == "partial" for r in study.assumptions) else
            "no `shared` claim enters the model, so none is loosened here; the `partial` "
            "claims enter at their stated shift scales, which this check does not vary")
    summary = describe(fit.effect)
    prior_sd = float(np.std(fit.prior_effect, ddof=1)) if fit.prior_effect is not None else None
    source_draws = dict(fit.source_effects)
    return PathEstimate(
        method=f"parametric joint model ({settings.sampler} NUTS, {settings.chains} chains x "
        f"{settings.draws} draws), mechanisms tied as declared, target effect simulated per "
        "draw",
        effect_draws=fit.effect,
        effect=summary,
        prior=PriorSummary(prior_sd, float(1 - summary.sd ** 2 / prior_sd**2)
                           if prior_sd else None),
        source_effects={source: SourceEffect.of(describe(draws))
                        for source, draws in source_draws.items()},
        source_draws=source_draws,
        robustness=curves if robustness else None,
        diagnostics=Diagnostics(
            rhat_max=float(convergence.max_rhat),
            ess_bulk_min=float(convergence.min_ess_bulk),
            ess_tail_min=float(convergence.min_ess_tail),
            divergences=int(convergence.divergences),
            sampler=fit.sampler, ok=bool(convergence.ok),
        ),
        used_sources=tuple(source_draws),
        draws=len(fit.effect),
        notes=tuple(fit.notes),
    )
