"""Every PyMC call of calibration: the measurement-error model and its sampling.

Kept in one function-level module so that it can be merged with the project's PyMC backend;
nothing here is imported by `import transport` or `import transport.calibrate`.

The model (theta_i marginalised out; see docs/calibration.md):

    y_i ~ Normal(a + b x_i, sqrt(se_i^2 + tau^2))

and, with groups, a, b, tau replaced by the partially pooled a_g, b_g, tau_g of
`transport.calibrate.priors`. Draws are returned as arrays shaped (chains, draws[, groups]).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np

from transport.calibrate.priors import Priors

TOP = ("a", "b", "tau")
GROUPED = ("a_g", "b_g", "tau_g")
HYPER = ("sigma_a", "sigma_b", "sigma_log_tau")


@dataclass(frozen=True)
class Sampled:
    """Posterior draws by name, shaped (chains, draws[, groups]), and the InferenceData
    (kept for convergence checks in `arviz_calls`)."""

    draws: dict[str, np.ndarray]
    idata: object


def build_model(
    x: np.ndarray, y: np.ndarray, se: np.ndarray, priors: Priors,
    group: np.ndarray | None = None, n_groups: int = 1,
):
    """The PyMC model; `group` (an index per pair) switches on partial pooling.

    The pairs enter as data containers `x`, `y`, `se` and a weight `w` per pair (1 = in the
    fit, 0 = left out), so that leave-one-study-out refits reuse the compiled model."""
    import pymc as pm
    import pytensor.tensor as pt

    with pm.Model() as model:
        xs = pm.Data("x", np.asarray(x, dtype=float))
        ys = pm.Data("y", np.asarray(y, dtype=float))
        ss = pm.Data("se", np.asarray(se, dtype=float))
        w = pm.Data("w", np.ones(len(x)))
        if group is None:
            a = pm.Normal("a", priors.a_mean, priors.a_sd)
            b = pm.Normal("b", 0.0, priors.b_sd)
            tau = pm.HalfNormal("tau", priors.tau_sd)
            mu, scale = a + b * xs, pt.sqrt(ss**2 + tau**2)
        else:
            mu_a = pm.Normal("mu_a", priors.a_mean, priors.a_sd)
            mu_b = pm.Normal("mu_b", 0.0, priors.b_sd)
            mu_t = pm.Normal("mu_log_tau", priors.log_tau_mean, priors.log_tau_sd)
            sigma_a = pm.HalfNormal("sigma_a", priors.a_sd / 2.5)
            sigma_b = pm.HalfNormal("sigma_b", priors.b_sd / 2.5)
            sigma_t = pm.HalfNormal("sigma_log_tau", priors.sigma_log_tau_sd)
            z = pm.Normal("z", 0.0, 1.0, shape=(3, n_groups))
            a_g = pm.Deterministic("a_g", mu_a + sigma_a * z[0])
            b_g = pm.Deterministic("b_g", mu_b + sigma_b * z[1])
            tau_g = pm.Deterministic("tau_g", pt.exp(mu_t + sigma_t * z[2]))
            pm.Deterministic("a", mu_a)
            pm.Deterministic("b", mu_b)
            pm.Deterministic("tau", pt.exp(mu_t))
            index = np.asarray(group, dtype=int)
            mu = a_g[index] + b_g[index] * xs
            scale = pt.sqrt(ss**2 + tau_g[index] ** 2)
        logp = pm.logp(pm.Normal.dist(mu=mu, sigma=scale), ys)
        pm.Potential("loglik", pt.sum(w * logp))
    return model


def compile_model(model):
    """The model compiled once by nutpie (numba); reused by every `sample` call."""
    import nutpie

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nutpie.compile_pymc_model(model, freeze_model=False)


def sample(
    compiled, *, draws: int, tune: int, chains: int, cores: int, seed: int,
    weights: np.ndarray | None = None, target_accept: float = 0.9,
) -> Sampled:
    """NUTS draws with nutpie, deterministic for a seed; `weights` (0/1 per pair) leave
    pairs out of the likelihood without recompiling. `target_accept` above nutpie's 0.8
    default: grouped fits with few groups have funnel-shaped hyper-spreads."""
    import nutpie

    if weights is not None:
        compiled = compiled.with_data(w=np.asarray(weights, dtype=float))
    logging.getLogger("pymc").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        idata = nutpie.sample(
            compiled, draws=draws, tune=tune, chains=chains, cores=cores, seed=seed,
            progress_bar=False, target_accept=target_accept,
        )
    names = [n for n in (*TOP, *GROUPED, *HYPER) if n in idata.posterior]
    out = {n: np.asarray(idata.posterior[n].values, dtype=float) for n in names}
    return Sampled(out, idata)


def log_density(model, point: dict[str, float | np.ndarray]) -> float:
    """The model's log density (no Jacobian) at a point of its free variables (tests)."""
    return float(model.compile_logp(jacobian=False)(point))


def prior_draws(model, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Prior draws of the reported parameters, shaped (1, draws[, groups]) (tests)."""
    import pymc as pm

    names = [n for n in (*TOP, *GROUPED) if n in model.named_vars]
    with model, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the likelihood Potential plays no part in priors
        prior = pm.sample_prior_predictive(draws=draws, var_names=names, random_seed=seed)
    return {n: np.asarray(prior.prior[n].values, dtype=float) for n in names}
