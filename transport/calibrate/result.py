"""The calibration result: one immutable value with its JSON contract and text rendering."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from transport.calibrate.loo import LooCheck
from transport.calibrate.pairs import Pairs
from transport.calibrate.posterior import Draws, thin
from transport.calibrate.predictive import interval
from transport.calibrate.priors import Priors

POSTERIOR_KEEP = 1000


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _line_json(result) -> dict:
    """The fitted line and its comparison numbers, shared by the whole result and each
    `by` group."""
    return {
        "intercept": result.intercept,
        "slope": result.slope,
        "tau": result.tau,
        "corrected_correlation": result.corrected_correlation,
        "sign_agreement": result.sign_agreement,
        "pearson_r": _finite(result.pearson_r),
        "ols_slope": _finite(result.ols_slope),
    }


@dataclass(frozen=True)
class GroupSummary:
    """One `by` group's line, spread and plain comparison numbers."""

    name: str
    n_pairs: int
    intercept: dict
    slope: dict
    tau: dict
    corrected_correlation: dict
    sign_agreement: float
    pearson_r: float | None
    ols_slope: float | None
    posterior: dict[str, np.ndarray]

    def to_json(self) -> dict:
        return {
            "n_pairs": self.n_pairs,
            **_line_json(self),
            "posterior": {k: [float(v) for v in vs] for k, vs in self.posterior.items()},
        }


@dataclass(frozen=True)
class CalibrationResult:
    """What paired LLM/human effects say about translating LLM effects into human ones.

    Summaries are posterior means with 95% HDIs; `predictions` hold central predictive
    intervals at `level`. `draws` keeps every posterior draw for `predict` and plots."""

    pairs: Pairs
    columns: dict[str, str | None]
    level: float
    seed: int
    intercept: dict
    slope: dict
    tau: dict
    corrected_correlation: dict
    sign_agreement: float
    pearson_r: float
    ols_slope: float
    loo: LooCheck
    predictions: tuple[dict, ...]
    groups: tuple[GroupSummary, ...] | None
    priors: Priors
    convergence: dict
    draws: Draws = field(repr=False)
    sampler: dict = field(default_factory=dict)
    reml: dict | None = None

    @property
    def n_pairs(self) -> int:
        return self.pairs.n

    @property
    def n_studies(self) -> int:
        return len(self.pairs.studies)

    @property
    def loo_coverage(self) -> float:
        return self.loo.coverage

    def posterior(self, keep: int = POSTERIOR_KEEP) -> dict[str, np.ndarray]:
        """Thinned draws of a, b, tau (population means when grouped)."""
        return {
            "a": thin(self.draws.a, keep),
            "b": thin(self.draws.b, keep),
            "tau": thin(self.draws.tau, keep),
        }

    def predict(
        self, llm_effects, se=None, level: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, lo, hi) of the human effect a new experiment would observe for each LLM
        effect; with `se` (per effect, NaN = none) its sampling error is included. Uses
        a, b, tau as reported (the population means when grouped)."""
        x = np.atleast_1d(np.asarray(llm_effects, dtype=float))
        s = np.full(len(x), np.nan) if se is None else np.broadcast_to(se, x.shape)
        d = self.draws
        return interval(d.a, d.b, d.tau, x, np.asarray(s, float), level or self.level)

    def to_json(self) -> dict:
        """The JSON contract of docs/calibration.md."""
        out = {
            "kind": "transport.calibration",
            "version": 1,
            "pairs": self.pairs.path,
            "columns": dict(self.columns),
            "n_pairs": self.n_pairs,
            "n_studies": self.n_studies,
            "level": self.level,
            "seed": self.seed,
            **_line_json(self),
            "loo_coverage": _finite(self.loo.coverage),
            "loo": {**self.loo.to_json(), "coverage": _finite(self.loo.coverage)},
            "predictions": [dict(p) for p in self.predictions],
            "priors": self.priors.to_json(),
            "convergence": dict(self.convergence),
            "sampler": dict(self.sampler),
            "reml": None if self.reml is None else dict(self.reml),
            "posterior": {k: [float(v) for v in vs] for k, vs in self.posterior().items()},
        }
        if self.groups is not None:
            out["by"] = self.columns.get("by")
            out["groups"] = {g.name: g.to_json() for g in self.groups}
        return out

    def to_text(self) -> str:
        from transport.calibrate.render import render_text

        return render_text(self)
