"""Leave-one-study-out predictive coverage.

For each study s, the posterior without s is approximated by importance weights
w_d ∝ 1 / p(y_s | draw d) (Pareto smoothed, PSIS; Vehtari, Gelman and Gabry 2017, and
Vehtari et al. 2024). Each of its pairs i gets the LOO probability integral transform

    PIT_i = sum_d w_d Phi((y_i - a_d - b_d x_i) / sqrt(se_i^2 + tau_d^2)),

and y_i lies inside the central `level` predictive interval exactly when
(1 - level)/2 <= PIT_i <= (1 + level)/2. Studies whose Pareto k exceeds 0.7 (weights not
trustworthy) are refitted without their pairs instead, and PIT_i is the plain mean over
the refit's draws.

Without groups the posterior is exact (`transport.calibrate.exact`), and so is the
leave-one-study-out predictive: `exact_loo_check` integrates over tau with the study's
pairs removed from the sufficient sums — no importance weights, no Pareto k, no refits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from transport.calibrate.arviz_calls import psis_log_weights
from transport.calibrate.pairs import Pairs
from transport.calibrate.posterior import Draws
from transport.calibrate.stats import normal_cdf, normal_logpdf

K_THRESHOLD = 0.7

Refit = Callable[[np.ndarray], Draws]


@dataclass(frozen=True)
class LooCheck:
    """Coverage of the leave-one-study-out intervals and how each study was left out."""

    coverage: float
    level: float
    pit: np.ndarray
    pareto_k: dict[str, float]
    refitted: tuple[str, ...]
    exact: bool = False

    @property
    def max_pareto_k(self) -> float:
        return max(self.pareto_k.values()) if self.pareto_k else float("nan")

    def to_json(self) -> dict:
        return {
            "coverage": self.coverage,
            "level": self.level,
            "method": "exact" if self.exact else "psis" + ("+refit" if self.refitted else ""),
            "k_threshold": K_THRESHOLD,
            "max_pareto_k": self.max_pareto_k if np.isfinite(self.max_pareto_k) else None,
            "refitted": list(self.refitted),
            "pareto_k": dict(self.pareto_k),
        }


def _moments(draws: Draws, pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    a, b, tau = draws.for_pairs(pairs.group_index())
    mu = a + b * pairs.x[None, :]
    sd = np.sqrt(pairs.se[None, :] ** 2 + tau**2)
    return mu, sd


def covered(pit: np.ndarray, level: float) -> np.ndarray:
    """Whether each PIT value lies in the central `level` interval."""
    tail = (1 - level) / 2
    return (pit >= tail) & (pit <= 1 - tail)


def loo_check(pairs: Pairs, draws: Draws, level: float, refit: Refit | None) -> LooCheck:
    """PSIS leave-one-study-out PITs, with refits (when `refit` is given) for studies whose
    Pareto k exceeds K_THRESHOLD; NaN coverage when there is a single study."""
    studies = pairs.studies
    if len(studies) < 2:
        return LooCheck(float("nan"), level, np.full(pairs.n, np.nan), {}, ())
    mu, sd = _moments(draws, pairs)
    loglik = normal_logpdf(pairs.y[None, :], mu, sd)
    cdf = normal_cdf((pairs.y[None, :] - mu) / sd)
    label = np.array(pairs.study, dtype=object)
    members = [label == s for s in studies]
    log_ratios = np.stack([-loglik[:, m].sum(axis=1) for m in members])
    log_w, k = psis_log_weights(log_ratios)
    pit = np.empty(pairs.n)
    refitted = []
    for s, mask, lw, ks in zip(studies, members, log_w, k, strict=True):
        if ks > K_THRESHOLD and refit is not None:
            refitted.append(s)
            mu_r, sd_r = _moments(refit(~mask), pairs)
            pit[mask] = normal_cdf((pairs.y[None, mask] - mu_r[:, mask]) / sd_r[:, mask]).mean(0)
        else:
            w = np.exp(lw - lw.max())
            pit[mask] = (w / w.sum()) @ cdf[:, mask]
    coverage = float(covered(pit, level).mean())
    return LooCheck(coverage, level, pit, dict(zip(studies, map(float, k), strict=True)),
                    tuple(refitted))


def exact_loo_check(pairs: Pairs, level: float, priors) -> LooCheck:
    """Exact leave-one-study-out PITs of the ungrouped model (quadrature over tau); NaN
    coverage when there is a single study."""
    from transport.calibrate.exact import loo_pit

    studies = pairs.studies
    if len(studies) < 2:
        return LooCheck(float("nan"), level, np.full(pairs.n, np.nan), {}, (), exact=True)
    label = np.array(pairs.study, dtype=object)
    pit = loo_pit(pairs.x, pairs.y, pairs.se, priors, [label == s for s in studies])
    return LooCheck(float(covered(pit, level).mean()), level, pit, {}, (), exact=True)
