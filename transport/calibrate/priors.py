"""Weakly informative priors scaled by the data (no PyMC here: plain numbers).

With s_x and s_y the standard deviations of the LLM and the human effects and ybar the mean
human effect (in the style of rstanarm's default priors):

    a   ~ Normal(ybar, 2.5 s_y)          intercept: the human effect when the LLM sees none
    b   ~ Normal(0, 2.5 s_y / s_x)       slope: centred on "no relation", wide enough for
                                         any slope the data could support
    tau ~ HalfNormal(s_y)                spread of true human effects around the line

With `by`, each group's a_g, b_g and log tau_g are partially pooled (non-centred):

    a_g = mu_a + sigma_a z_a[g],   mu_a ~ prior of a,  sigma_a ~ HalfNormal(s_y)
    b_g = mu_b + sigma_b z_b[g],   mu_b ~ prior of b,  sigma_b ~ HalfNormal(s_y / s_x)
    log tau_g = mu_t + sigma_t z_t[g],  mu_t ~ Normal(log(s_y / 2), 1),  sigma_t ~ HalfNormal(0.5)
    z ~ Normal(0, 1)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Priors:
    """The scales of every prior; `to_json` records them in the result."""

    a_mean: float
    a_sd: float
    b_sd: float
    tau_sd: float
    log_tau_mean: float
    log_tau_sd: float = 1.0
    sigma_log_tau_sd: float = 0.5

    def to_json(self) -> dict:
        return asdict(self)


def scaled_priors(x: np.ndarray, y: np.ndarray) -> Priors:
    """Priors from the spread of the LLM (x) and human (y) effects."""
    sx = float(np.std(x, ddof=1)) if len(x) > 1 else 1.0
    sy = float(np.std(y, ddof=1)) if len(y) > 1 else 1.0
    sx = sx if sx > 0 else 1.0
    sy = sy if sy > 0 else 1.0
    return Priors(
        a_mean=float(np.mean(y)),
        a_sd=2.5 * sy,
        b_sd=2.5 * sy / sx,
        tau_sd=sy,
        log_tau_mean=float(np.log(sy / 2)),
    )
