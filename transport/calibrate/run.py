"""`run_calibration`: paired effects in, a `CalibrationResult` out (the stage's one entry)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from transport.calibrate.arviz_calls import convergence
from transport.calibrate.loo import LooCheck, Refit, exact_loo_check, loo_check
from transport.calibrate.pairs import NewEffects, Pairs, load_new_effects, load_pairs
from transport.calibrate.posterior import Draws, thin
from transport.calibrate.predictive import interval
from transport.calibrate.priors import Priors, scaled_priors
from transport.calibrate.result import POSTERIOR_KEEP, CalibrationResult, GroupSummary
from transport.calibrate.stats import (
    corrected_correlation,
    ols_slope,
    pearson_r,
    sign_agreement,
    summary,
)
from transport.errors import UsageError


def _check_options(level: float, draws: int, chains: int, cores: int) -> None:
    if not 0 < level < 1:
        raise UsageError(f"--level must be between 0 and 1 (exclusive), not {level}")
    for name, value in (("draws", draws), ("chains", chains), ("cores", cores)):
        if int(value) != value or value < 1:
            raise UsageError(f"{name} must be a positive whole number, not {value}")


class _Fitter:
    """Builds and compiles the grouped (partially pooled) model once; fits the full data
    and leave-out refits with it."""

    def __init__(self, pairs: Pairs, priors: Priors, *, draws: int, chains: int, cores: int,
                 seed: int):
        from transport.calibrate import pymc_model

        self._pm = pymc_model
        model = pymc_model.build_model(
            pairs.x, pairs.y, pairs.se, priors, group=pairs.group_index(),
            n_groups=len(pairs.groups)
        )
        self.compiled = pymc_model.compile_model(model)
        self.options = {"draws": draws, "tune": draws, "chains": chains, "cores": cores,
                        "seed": seed}

    def fit(self, keep: np.ndarray | None = None):
        weights = None if keep is None else keep.astype(float)
        return self._pm.sample(self.compiled, weights=weights, **self.options)


def _exact_fit(pairs: Pairs, priors: Priors, *, draws: int, chains: int, seed: int):
    """The ungrouped model's exact posterior (no sampler): draws, the convergence record
    of independent draws (nothing to diagnose) and the sampler record."""
    from transport.calibrate.exact import GRID, exact_posterior

    post = exact_posterior(pairs.x, pairs.y, pairs.se, priors, draws=draws * chains,
                           seed=seed)
    sampler = {"name": "exact", "method": "conjugate (a, b) given tau, quadrature over tau",
               "grid": GRID, "draws": draws, "chains": chains, "seed": seed}
    checks = {"max_rhat": None, "min_ess_bulk": float(post.size), "divergences": 0,
              "note": "independent draws from the exact posterior: no MCMC to diagnose"}
    return post, checks, sampler


def _reml_preview(pairs: Pairs) -> dict | None:
    """The REML line and tau of all pairs pooled (flat priors; groups ignored), or None
    with fewer than 3 pairs or no spread in the LLM effects."""
    from transport.calibrate.exact import reml

    if pairs.n < 3 or np.ptp(pairs.x) == 0:
        return None
    fit = reml(pairs.x, pairs.y, pairs.se)
    return {**fit.to_json(), "pooled": bool(any(pairs.group))}


def _group_summaries(pairs: Pairs, draws: Draws) -> tuple[GroupSummary, ...]:
    index = pairs.group_index()
    out = []
    for k, name in enumerate(pairs.groups):
        a, b, tau = draws.for_group(k)
        mask = index == k
        x, y = pairs.x[mask], pairs.y[mask]
        varied = mask.sum() >= 3 and np.ptp(x) > 0
        corr = corrected_correlation(b, tau, x) if mask.sum() >= 2 else np.full_like(b, np.nan)
        out.append(GroupSummary(
            name=name, n_pairs=int(mask.sum()), intercept=summary(a), slope=summary(b),
            tau=summary(tau), corrected_correlation=summary(corr),
            sign_agreement=sign_agreement(x, y),
            pearson_r=pearson_r(x, y) if varied else None,
            ols_slope=ols_slope(x, y) if varied else None,
            posterior={"a": thin(a, POSTERIOR_KEEP), "b": thin(b, POSTERIOR_KEEP),
                       "tau": thin(tau, POSTERIOR_KEEP)},
        ))
    return tuple(out)


def _predictions(new: NewEffects, pairs: Pairs, draws: Draws, level: float, seed: int):
    """One dict per new LLM effect; grouped fits use the row's group, or a new group's
    draws when the row names none or one not in the pairs."""
    rng = np.random.default_rng([seed, 1])
    fresh = draws.new_group(rng)
    order = {g: k for k, g in enumerate(pairs.groups)}
    columns = []
    for g in new.group:
        k = order.get(g) if draws.grouped else None
        columns.append(draws.for_group(k) if k is not None else fresh)
    if not columns:
        return ()
    a, b, tau = (np.stack([c[j] for c in columns], axis=1) for j in range(3))
    mean, lo, hi = interval(a, b, tau, new.x, new.se, level)
    return tuple(
        {"id": new.ids[i], "llm": float(new.x[i]),
         "se": None if np.isnan(new.se[i]) else float(new.se[i]),
         **({"group": new.group[i]} if draws.grouped else {}),
         "mean": float(mean[i]), "lo": float(lo[i]), "hi": float(hi[i])}
        for i in range(len(new.x))
    )


def summarise(
    pairs: Pairs, post: Draws, *, columns: dict[str, str | None], level: float, seed: int,
    priors: Priors, convergence: dict | None = None, sampler: dict | None = None,
    new: NewEffects | None = None, refit: Refit | None = None, loo: LooCheck | None = None,
) -> CalibrationResult:
    """The result from posterior draws, whatever produced them (the sampler, or tests'
    known draws): summaries, plain comparison numbers, leave-one-study-out coverage
    (refitting through `refit` where Pareto k is high; or `loo` when it was computed
    exactly) and predictions for `new`."""
    return CalibrationResult(
        pairs=pairs,
        columns=dict(columns),
        level=level,
        seed=seed,
        intercept=summary(post.a),
        slope=summary(post.b),
        tau=summary(post.tau),
        corrected_correlation=summary(corrected_correlation(post.b, post.tau, pairs.x)),
        sign_agreement=sign_agreement(pairs.x, pairs.y),
        pearson_r=pearson_r(pairs.x, pairs.y),
        ols_slope=ols_slope(pairs.x, pairs.y),
        loo=loo if loo is not None else loo_check(pairs, post, level, refit),
        predictions=_predictions(new, pairs, post, level, seed) if new else (),
        groups=_group_summaries(pairs, post) if post.grouped else None,
        priors=priors,
        convergence=dict(convergence or {}),
        draws=post,
        sampler=dict(sampler or {}),
        reml=_reml_preview(pairs),
    )


def run_calibration(
    pairs_csv: str | Path, *, llm: str, human: str, se: str, id: str | None = None,
    by: str | None = None, predict: str | Path | None = None, level: float = 0.9,
    seed: int = 0, draws: int = 1000, chains: int = 4, cores: int = 2,
) -> CalibrationResult:
    """Fit the measurement-error model y_i ~ Normal(a + b x_i, sqrt(se_i^2 + tau^2)) to paired
    effects (partially pooled by `by`), check it by leave-one-study-out coverage, and
    translate the LLM effects of `predict` into predictive intervals for human effects.

    `id` names the study of each contrast (the unit left out; rows without it are their own
    study). Deterministic for a `seed`. Raises UsageError (missing file, bad option) or
    DataError (bad pairs: see docs/calibration.md)."""
    _check_options(level, draws, chains, cores)
    pairs = load_pairs(pairs_csv, llm=llm, human=human, se=se, id=id, by=by)
    new = load_new_effects(predict, llm=llm, se=se, id=id, by=by) if predict else None
    priors = scaled_priors(pairs.x, pairs.y)
    columns = {"llm": llm, "human": human, "se": se, "id": id, "by": by}
    if not any(pairs.group):
        post, checks, sampler = _exact_fit(pairs, priors, draws=draws, chains=chains,
                                           seed=seed)
        return summarise(pairs, post, columns=columns, level=level, seed=seed, priors=priors,
                         convergence=checks, sampler=sampler, new=new,
                         loo=exact_loo_check(pairs, level, priors))
    fitter = _Fitter(pairs, priors, draws=draws, chains=chains, cores=cores, seed=seed)
    sampled = fitter.fit()
    post = Draws.from_chains(sampled.draws)
    names = ["a", "b", "tau", "a_g", "b_g", "tau_g", "sigma_a", "sigma_b"]
    return summarise(
        pairs, post, columns=columns, level=level, seed=seed, priors=priors,
        convergence=convergence(sampled.idata, names),
        sampler={"name": "nutpie", **fitter.options},
        new=new,
        refit=lambda keep: Draws.from_chains(fitter.fit(keep).draws),
    )
