"""A frequentist cross-check of a transported effect: IPSW and doubly robust AIPSW.

Where the identified formula is an adjustment form,
`Σ_z P_source(y | do(x), z) · P_target(z)` (a trial in a source population, a sample of the
target's covariates), three classical estimators exist beside the Bayesian posterior:

- **IPSW** (inverse odds of sampling weights; Westreich et al. 2017, AJE 186:1010): a
  logistic model of being in the trial given z; trial rows weighted by
  P(S=0 | z) / P(S=1 | z); the effect is the difference of the weighted arm means.
- **g-transport** (Lesko et al. 2017, Epidemiology 28:553): an outcome model fitted in the
  trial, averaged over the target sample's covariates under each arm.
- **AIPSW** (Dahabreh et al. 2020, Stat Med 39:1999, the normalised augmented estimator):
  g-transport plus the IPSW-weighted mean of the trial residuals in each arm. It is
  consistent when either the sampling or the outcome model is right. (zEpid 0.9.1's
  `AIPSW` scales the residual term by P(S=1)/P(S=0) and does not divide it by the arm's
  probability, which makes it nearly its g-transport estimate; this module follows the paper.)

`generalize=True` makes the target everyone sampled (trial plus target sample), as zEpid's
`generalize=True`: weights 1 / P(S=1 | z), averages over all rows.

Intervals: nonparametric bootstrap, resampling the trial and the target sample separately,
every model refitted per replicate; percentile 95% intervals. Models are numpy-only
(Newton-IRLS logistic regression, least squares), so the estimate stage needs no new
dependency.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Terms = tuple[tuple[str, ...], ...]
Scale = Literal["difference", "ratio", "odds_ratio"]
SCALES: tuple[str, ...] = ("difference", "ratio", "odds_ratio")


# ----- small regression models ----------------------------------------------------------------
def design_matrix(columns: Mapping[str, np.ndarray], terms: Terms) -> np.ndarray:
    """An intercept and one block per term: the elementwise product of the named columns
    (a categorical column is a 2-D block of indicators; products take every combination)."""
    n = len(next(iter(columns.values()))) if columns else 0
    blocks = [np.ones((n, 1))]
    for term in terms:
        block = np.ones((n, 1))
        for name in term:
            values = np.asarray(columns[name], dtype=float)
            values = values[:, None] if values.ndim == 1 else values
            block = (block[:, :, None] * values[:, None, :]).reshape(n, -1)
        blocks.append(block)
    return np.hstack(blocks)


def fit_logistic(x: np.ndarray, y: np.ndarray, max_iter: int = 50,
                 tol: float = 1e-10) -> np.ndarray:
    """Maximum-likelihood logistic regression by Newton-IRLS, stopping when the deviance
    changes by less than `tol` relative (R's glm rule). Steps are minimum-norm, so a
    rank-deficient design, as a bootstrap replicate can give, still fits; under separation
    the fitted probabilities approach 0 or 1 and the iteration cap ends the search."""
    beta = np.zeros(x.shape[1])
    deviance = np.inf
    for _ in range(max_iter):
        eta = np.clip(x @ beta, -30, 30)
        mu = 1 / (1 + np.exp(-eta))
        w = np.maximum(mu * (1 - mu), 1e-10)
        z = eta + (y - mu) / w
        beta = _weighted_least_squares(x, z, w)
        eta = np.clip(x @ beta, -30, 30)
        new = float(2 * np.sum(np.logaddexp(0, eta) - y * eta))
        if abs(new - deviance) < tol * (abs(new) + 0.1):
            break
        deviance = new
    return beta


def fit_linear(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares (minimum-norm when the design is rank deficient)."""
    return _weighted_least_squares(x, y, np.ones(len(y)))


def _weighted_least_squares(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """argmin Σ w (y - x b)² through the normal equations (p × p, so cheap for the few
    columns these models have), minimum-norm when they are singular."""
    xw = x * w[:, None]
    return np.linalg.lstsq(xw.T @ x, xw.T @ y, rcond=1e-12)[0]


def _logistic(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))


# ----- the estimators on arrays ---------------------------------------------------------------
@dataclass(frozen=True)
class TransportSample:
    """Trial rows and target-sample rows together. `treated` is 1 for the contrast's first
    value and 0 for its second (undefined outside the trial); `covariates` hold every row's
    values, 1-D numeric or 2-D indicator blocks, keyed by name; `treatment` names the
    treatment inside outcome-model terms."""

    in_trial: np.ndarray
    treated: np.ndarray
    outcome: np.ndarray
    covariates: Mapping[str, np.ndarray]
    treatment: str
    binary_outcome: bool

    def take(self, rows: np.ndarray) -> TransportSample:
        """The sample restricted to (or resampled at) the given row indices."""
        return TransportSample(self.in_trial[rows], self.treated[rows], self.outcome[rows],
                               {k: v[rows] for k, v in self.covariates.items()},
                               self.treatment, self.binary_outcome)


def sampling_probabilities(sample: TransportSample, terms: Terms) -> np.ndarray:
    """P(in the trial | covariates) for every row, from a logistic model with `terms`."""
    x = design_matrix(sample.covariates, terms)
    return _logistic(x, fit_logistic(x, sample.in_trial.astype(float)))


def outcome_predictions(sample: TransportSample, terms: Terms) -> tuple[np.ndarray, np.ndarray]:
    """E[Y | treated = 1, z] and E[Y | treated = 0, z] for every row, from an outcome model
    with `terms` (which may name the treatment) fitted on the trial rows."""
    trial = sample.in_trial

    def columns(treated: np.ndarray) -> dict[str, np.ndarray]:
        return {**sample.covariates, sample.treatment: treated}

    x = design_matrix(columns(sample.treated), terms)[trial]
    y = sample.outcome[trial]
    if sample.binary_outcome:
        beta = fit_logistic(x, y)
        predict = _logistic
    else:
        beta = fit_linear(x, y)

        def predict(design: np.ndarray, coef: np.ndarray) -> np.ndarray:
            return design @ coef
    n = len(trial)
    return (predict(design_matrix(columns(np.ones(n)), terms), beta),
            predict(design_matrix(columns(np.zeros(n)), terms), beta))


def _weights(sample: TransportSample, p: np.ndarray, generalize: bool) -> np.ndarray:
    return 1 / p if generalize else (1 - p) / p


def _target_rows(sample: TransportSample, generalize: bool) -> np.ndarray:
    return np.ones(len(sample.in_trial), bool) if generalize else ~sample.in_trial


def ipsw_means(sample: TransportSample, p: np.ndarray, generalize: bool = False
               ) -> tuple[float, float]:
    """(mean under treated = 1, under 0): weighted arm means of the trial's outcomes."""
    w = _weights(sample, p, generalize)
    means = []
    for arm in (1, 0):
        rows = sample.in_trial & (sample.treated == arm)
        means.append(float(np.average(sample.outcome[rows], weights=w[rows])))
    return means[0], means[1]


def g_transport_means(sample: TransportSample, m1: np.ndarray, m0: np.ndarray,
                      generalize: bool = False) -> tuple[float, float]:
    """The outcome model's predictions averaged over the target rows, per arm."""
    rows = _target_rows(sample, generalize)
    return float(m1[rows].mean()), float(m0[rows].mean())


def aipsw_means(sample: TransportSample, p: np.ndarray, m1: np.ndarray, m0: np.ndarray,
                generalize: bool = False) -> tuple[float, float]:
    """g-transport plus the weighted mean of the trial residuals in each arm (normalised
    augmented estimator; consistent if either model is right)."""
    w = _weights(sample, p, generalize)
    target = _target_rows(sample, generalize)
    means = []
    for arm, m in ((1, m1), (0, m0)):
        rows = sample.in_trial & (sample.treated == arm)
        residual = np.average(sample.outcome[rows] - m[rows], weights=w[rows])
        means.append(float(m[target].mean() + residual))
    return means[0], means[1]


def on_scale(mean1: float, mean0: float, scale: Scale = "difference") -> float:
    """The effect of the contrast on the stated scale."""
    if scale == "difference":
        return mean1 - mean0
    if scale == "ratio":
        return mean1 / mean0
    if scale == "odds_ratio":
        return (mean1 / (1 - mean1)) / (mean0 / (1 - mean0))
    raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")


def point_estimates(sample: TransportSample, sampling_terms: Terms, outcome_terms: Terms,
                    generalize: bool = False, scale: Scale = "difference") -> dict[str, float]:
    """{"ipsw", "g_transport", "aipsw"} on the stated scale."""
    p = sampling_probabilities(sample, sampling_terms)
    m1, m0 = outcome_predictions(sample, outcome_terms)
    return {
        "ipsw": on_scale(*ipsw_means(sample, p, generalize), scale),
        "g_transport": on_scale(*g_transport_means(sample, m1, m0, generalize), scale),
        "aipsw": on_scale(*aipsw_means(sample, p, m1, m0, generalize), scale),
    }


@dataclass(frozen=True)
class FrequentistEstimate:
    """A point estimate and its bootstrap percentile 95% interval."""

    estimate: float
    ci_95: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {"estimate": self.estimate, "ci_95": list(self.ci_95)}


@dataclass(frozen=True)
class FrequentistCheck:
    """IPSW, g-transport and AIPSW estimates of one effect, with how they were made."""

    ipsw: FrequentistEstimate
    aipsw: FrequentistEstimate
    g_transport: FrequentistEstimate
    scale: str
    generalize: bool
    bootstrap: int
    bootstrap_failed: int
    n_trial: int
    n_target: int
    source: str | None = None
    covariates: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """{"ipsw": {estimate, ci_95}, "aipsw": {...}, "g_transport": {...}, and details}."""
        return {
            "ipsw": self.ipsw.to_json(), "aipsw": self.aipsw.to_json(),
            "g_transport": self.g_transport.to_json(), "scale": self.scale,
            "generalize": self.generalize, "bootstrap": self.bootstrap,
            "bootstrap_failed": self.bootstrap_failed, "n_trial": self.n_trial,
            "n_target": self.n_target, "source": self.source,
            "covariates": list(self.covariates),
        }


def cross_check(sample: TransportSample, sampling_terms: Terms, outcome_terms: Terms, *,
                generalize: bool = False, scale: Scale = "difference", bootstrap: int = 1000,
                seed: int = 0) -> FrequentistCheck:
    """Point estimates and bootstrap intervals (trial and target resampled separately; a
    replicate in which an arm is empty or a model cannot be evaluated is dropped and
    counted in `bootstrap_failed`)."""
    point = point_estimates(sample, sampling_terms, outcome_terms, generalize, scale)
    rng = np.random.default_rng(seed)
    trial_rows = np.flatnonzero(sample.in_trial)
    target_rows = np.flatnonzero(~sample.in_trial)
    draws: dict[str, list[float]] = {k: [] for k in point}
    failed = 0
    for _ in range(bootstrap):
        rows = np.concatenate([rng.choice(trial_rows, len(trial_rows)),
                               rng.choice(target_rows, len(target_rows))])
        replicate = sample.take(rows)
        arms = replicate.treated[replicate.in_trial]
        if not (arms == 1).any() or not (arms == 0).any():
            failed += 1
            continue
        with np.errstate(all="ignore"):
            values = point_estimates(replicate, sampling_terms, outcome_terms, generalize,
                                     scale)
        if not all(np.isfinite(v) for v in values.values()):
            failed += 1
            continue
        for key, value in values.items():
            draws[key].append(value)

    def summary(key: str) -> FrequentistEstimate:
        if not draws[key]:
            return FrequentistEstimate(point[key], (float("nan"), float("nan")))
        low, high = np.percentile(draws[key], [2.5, 97.5])
        return FrequentistEstimate(point[key], (float(low), float(high)))

    return FrequentistCheck(summary("ipsw"), summary("aipsw"), summary("g_transport"), scale,
                            generalize, bootstrap, failed, int(sample.in_trial.sum()),
                            int((~sample.in_trial).sum()))


def default_terms(covariates: Sequence[str], numeric: Sequence[str], treatment: str
                  ) -> tuple[Terms, Terms]:
    """The models used when the study does not say: for sampling, every covariate, the
    square of each non-binary numeric one and every pairwise product; for the outcome,
    the same terms each also interacted with the treatment (one model per arm)."""
    names = sorted(covariates)
    sampling: list[tuple[str, ...]] = [(c,) for c in names]
    sampling += [(c, c) for c in names if c in numeric]
    sampling += list(itertools.combinations(names, 2))
    outcome = [(treatment,), *sampling, *((treatment, *t) for t in sampling)]
    return tuple(sampling), tuple(outcome)
