"""Every ArviZ call of calibration: PSIS weights and convergence numbers.

Kept in one function-level module so that it can be merged with the project's ArviZ
backend; ArviZ is imported only when these functions run.
"""

from __future__ import annotations

import warnings

import numpy as np


def psis_log_weights(log_ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pareto-smoothed, normalised log importance weights and Pareto k.

    `log_ratios` is (units, draws): for leave-one-study-out, minus the study's summed
    log-likelihood per posterior draw. Returns weights of the same shape and k per unit."""
    import arviz as az

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights, k = az.psislw(np.asarray(log_ratios, dtype=float))
    return np.asarray(weights, dtype=float), np.atleast_1d(np.asarray(k, dtype=float))


def convergence(idata, var_names: list[str]) -> dict[str, float | int]:
    """The worst R-hat and bulk ESS over `var_names`, and the number of divergences."""
    import arviz as az

    post = idata.posterior
    names = [n for n in var_names if n in post]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rhat = az.rhat(post, var_names=names)
        ess = az.ess(post, var_names=names, method="bulk")

    def values(ds) -> np.ndarray:
        flat = np.concatenate([np.asarray(ds[n].values, dtype=float).ravel() for n in names])
        return flat[np.isfinite(flat)]

    divergences = 0
    if "sample_stats" in idata.groups() and "diverging" in idata.sample_stats:
        divergences = int(np.asarray(idata.sample_stats["diverging"].values).sum())
    r, e = values(rhat), values(ess)
    return {
        "max_rhat": float(r.max()) if len(r) else float("nan"),
        "min_ess_bulk": float(e.min()) if len(e) else float("nan"),
        "divergences": divergences,
    }
