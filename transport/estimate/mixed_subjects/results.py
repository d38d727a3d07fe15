"""What the mixed-subjects estimators return: frozen values with a JSON form each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

UNINFORMATIVE_CORRELATION = 0.1


def uninformative_warning(predictor: str, correlation: float) -> str | None:
    """The plain warning for a predictor whose within-arm correlation with the human answer
    is below 0.1, or None."""
    if correlation >= UNINFORMATIVE_CORRELATION:
        return None
    return (f"{predictor}'s predictions are nearly uninformative: their within-arm correlation "
            f"with the human answers is {correlation:.2f} (below "
            f"{UNINFORMATIVE_CORRELATION}), so they add little beyond the human sample")


@dataclass(frozen=True)
class ClassicalFit:
    """The human-only estimate (λ = 0) with the same clusters and weights."""

    estimate: float
    se: float
    ci: tuple[float, float]

    def to_json(self) -> dict:
        return {"estimate": self.estimate, "se": self.se, "ci": [float(c) for c in self.ci]}


@dataclass(frozen=True)
class PPIFit:
    """PPI++ with one predictor, or with the optimal combination of all of them.

    `lam`: the power-tuning weight of each predictor (one entry for a single predictor).
    `effective_human_n`: n_labelled × var(human only) / var(PPI++): how many human units a
    human-only study would need for the same variance. `within_arm_correlation`: the
    (weighted) correlation of prediction and human answer after removing arm means, None for
    a combination.
    """

    predictor: str
    estimate: float
    se: float
    ci: tuple[float, float]
    lam: Mapping[str, float]
    effective_human_n: float
    within_arm_correlation: float | None
    warning: str | None

    def to_json(self) -> dict:
        return {
            "predictor": self.predictor,
            "estimate": self.estimate,
            "se": self.se,
            "ci": [float(c) for c in self.ci],
            "lambda": dict(self.lam),
            "effective_human_n": self.effective_human_n,
            "within_arm_correlation": self.within_arm_correlation,
            "warning": self.warning,
        }


@dataclass(frozen=True)
class PPIResult:
    """The reported PPI++ estimate (`chosen`), every predictor's own fit, the optimal
    combination (None with one predictor), the human-only estimate, and the design.

    `choice`: "smallest_interval" (the default: the predictor whose interval is narrowest),
    "combined" or "named" (the caller named the predictor).
    """

    chosen: PPIFit
    choice: str
    fits: tuple[PPIFit, ...]
    combined: PPIFit | None
    classical: ClassicalFit
    level: float
    n_labelled: int
    n_unlabelled: int
    n_clusters: int | None
    weighted: bool

    @property
    def estimate(self) -> float:
        return self.chosen.estimate

    @property
    def se(self) -> float:
        return self.chosen.se

    @property
    def ci(self) -> tuple[float, float]:
        return self.chosen.ci

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(fit.warning for fit in self.fits if fit.warning)

    def to_json(self) -> dict:
        return {
            "estimate": self.estimate,
            "se": self.se,
            "ci": [float(c) for c in self.ci],
            "level": self.level,
            "predictor": self.chosen.predictor,
            "choice": self.choice,
            "lambda": dict(self.chosen.lam),
            "effective_human_n": self.chosen.effective_human_n,
            "classical": self.classical.to_json(),
            "predictors": [fit.to_json() for fit in self.fits],
            "combined": None if self.combined is None else self.combined.to_json(),
            "n_labelled": self.n_labelled,
            "n_unlabelled": self.n_unlabelled,
            "n_clusters": self.n_clusters,
            "weighted": self.weighted,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class BayesPredictorFit:
    """The Bayesian joint model with one predictor: posterior draws of the target effect."""

    predictor: str
    model: str
    draws: np.ndarray
    within_arm_correlation: float
    warning: str | None

    @property
    def mean(self) -> float:
        return float(self.draws.mean())

    @property
    def sd(self) -> float:
        return float(self.draws.std(ddof=1))

    @property
    def hdi_95(self) -> tuple[float, float]:
        return hdi(self.draws, 0.95)

    def to_json(self) -> dict:
        return {"predictor": self.predictor, "model": self.model, "mean": self.mean,
                "sd": self.sd, "hdi_95": list(self.hdi_95),
                "within_arm_correlation": self.within_arm_correlation,
                "warning": self.warning}


@dataclass(frozen=True)
class BayesPPIResult:
    """The reported Bayesian fit (`chosen`, by the narrowest 95% HDI unless named) and every
    predictor's fit. `draws` are the chosen fit's posterior draws of the target effect."""

    chosen: BayesPredictorFit
    choice: str
    fits: tuple[BayesPredictorFit, ...]
    n_clusters: int | None
    weighted: bool

    @property
    def draws(self) -> np.ndarray:
        return self.chosen.draws

    @property
    def mean(self) -> float:
        return self.chosen.mean

    @property
    def hdi_95(self) -> tuple[float, float]:
        return self.chosen.hdi_95

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(fit.warning for fit in self.fits if fit.warning)

    def to_json(self) -> dict:
        return {"mean": self.mean, "sd": self.chosen.sd, "hdi_95": list(self.hdi_95),
                "predictor": self.chosen.predictor, "model": self.chosen.model,
                "choice": self.choice, "draws": len(self.draws),
                "predictors": [fit.to_json() for fit in self.fits],
                "n_clusters": self.n_clusters, "weighted": self.weighted,
                "warnings": list(self.warnings)}


def hdi(draws: np.ndarray, mass: float) -> tuple[float, float]:
    """The shortest interval holding `mass` of the draws."""
    ordered = np.sort(np.asarray(draws, dtype=float))
    size = len(ordered)
    inside = max(1, int(np.ceil(mass * size)))
    if inside >= size:
        return float(ordered[0]), float(ordered[-1])
    widths = ordered[inside - 1:] - ordered[:size - inside + 1]
    start = int(np.argmin(widths))
    return float(ordered[start]), float(ordered[start + inside - 1])
