"""Prediction-powered inference (PPI++) for mixed subjects: many LLM responses, a small
random human experiment, and the covariates of many target units.

The LLM experiment gives a predictor f(z, arm): the LLM's mean outcome in covariate cell z
under each arm. With a labelled human experiment (n units, randomized arms) and N
unlabelled target units (covariates only), the effect estimate is

    θ̂(λ) = λ · mean_N[f(z, a) − f(z, b)] + mean_{arm a}[Y − λ f(z, a)]
                                          − mean_{arm b}[Y − λ f(z, b)],

unbiased for every λ because the labelled units are a random sample of the same
population as the unlabelled ones; λ = 0 is the classical difference in means. λ is
chosen to minimise the estimated variance (power tuning, Angelopoulos, Duchi & Zrnic
2023, "PPI++: Efficient Prediction-Powered Inference") and kept in [0, 1]. The
interval is the normal one; the effective sample size is the number of human units a
classical difference in means would need for the same variance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.cells import cell_index, is_discrete
from transport.estimate.mixed_subjects.results import ClassicalFit
from transport.graph.mechanisms import adjustable_covariates
from transport.study import Study

Z_95 = 1.959963984540054
CELL_MEANS = "cell means of an LLM experiment"


@dataclass(frozen=True)
class PPINotApplied:
    """Why no prediction-powered estimate is reported; `kind` names the estimator that
    could not apply when it is the per-unit one."""

    reason: str
    kind: str | None = None
    applies = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"applies": False}
        if self.kind is not None:
            out["kind"] = self.kind
        out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class PPIDifference:
    """PPI++ for a difference in means: the estimate, its standard error and normal 95%
    interval, the power-tuning weight λ, the human-only estimate (λ = 0), the labelled and
    unlabelled units, and the effective sample size (the human units a classical difference
    in means would need for the same variance)."""

    estimate: float
    se: float
    ci_95: tuple[float, float]
    lam: float
    classical: ClassicalFit
    n_labelled: int
    n_unlabelled: int
    effective_n: float

    @property
    def effective_human_n(self) -> float:
        return self.effective_n

    @property
    def llm_worth_n(self) -> float:
        """The human units the predictions are worth beyond the labelled ones."""
        return float(self.effective_n - self.n_labelled)

    def to_json(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate, "se": self.se, "ci_95": list(self.ci_95),
            "lambda": self.lam,
            "classical": {"estimate": self.classical.estimate, "se": self.classical.se,
                          "ci_95": list(self.classical.ci)},
            "n_labelled": self.n_labelled, "n_unlabelled": self.n_unlabelled,
            "effective_n": self.effective_n, "effective_human_n": self.effective_human_n,
            "llm_worth_n": self.llm_worth_n,
        }


@dataclass(frozen=True)
class CellMeansPPI:
    """PPI++ with the cell means of an LLM experiment as the predictor (no per-unit
    predictions in the file), and the one assumption it rests on."""

    fit: PPIDifference
    predictor: str
    predictor_detail: str
    labelled: str
    unlabelled: str
    assumption: str
    applies = True
    kind = CELL_MEANS
    cluster = None
    weighted = False

    @property
    def warnings(self) -> tuple[str, ...]:
        return ()

    @property
    def estimate(self) -> float:
        return self.fit.estimate

    @property
    def se(self) -> float:
        return self.fit.se

    @property
    def ci_95(self) -> tuple[float, float]:
        return self.fit.ci_95

    @property
    def classical(self) -> ClassicalFit:
        return self.fit.classical

    @property
    def n_labelled(self) -> int:
        return self.fit.n_labelled

    @property
    def effective_human_n(self) -> float:
        return self.fit.effective_human_n

    @property
    def llm_worth_n(self) -> float:
        return self.fit.llm_worth_n

    def to_json(self) -> dict[str, Any]:
        return {"applies": True, "kind": self.kind, **self.fit.to_json(),
                "predictor": self.predictor, "predictor_detail": self.predictor_detail,
                "cluster": None, "weighted": False, "labelled": self.labelled,
                "unlabelled": self.unlabelled, "assumption": self.assumption}


def _first(loaded, test):
    """The first matching data statement in a fixed order (population, path, design), so
    the choice never depends on the order of data statements in the file."""
    ordered = sorted(loaded, key=lambda d: (d.population, d.spec.path, d.spec.design()))
    return next((d for d in ordered if test(d)), None)


def _arm_values(study: Study) -> tuple:
    return tuple(study.query.contrast)


def ppi_estimate(study: Study, loaded: Sequence[LoadedData]) -> CellMeansPPI | PPINotApplied:
    """The PPI++ estimate with its 95% interval, or why it does not apply."""
    query = study.query
    target = study.target.name
    treatment, outcome = query.treatment, query.outcome
    if study.variable(outcome).kind == "categorical":
        return PPINotApplied("the outcome is categorical")

    def experiment(d: LoadedData) -> bool:
        return d.spec.randomized == (treatment,) and outcome in d.spec.measures

    labelled = _first(loaded, lambda d: d.population == target and experiment(d))
    if labelled is None:
        return PPINotApplied(f"needs a {target} experiment on {treatment} that measures "
                             f"{outcome}")
    source = _first(loaded, lambda d: d.population != target and experiment(d))
    if source is None:
        return PPINotApplied(f"needs an LLM experiment on {treatment} that measures {outcome}")
    candidates = sorted(
        v for v in adjustable_covariates(study, labelled.spec)
        if v in source.spec.measures and is_discrete(study.variable(v))
    )
    unlabelled = _first(
        loaded,
        lambda d: d.population == target and not d.spec.randomized and d is not labelled
        and set(candidates) <= set(d.spec.measures) and candidates,
    )
    if unlabelled is None:
        return PPINotApplied(f"needs {target} data that record the covariates "
                             f"({', '.join(candidates) or 'none shared with the LLM data'}) "
                             "of many units")
    covariates = tuple(candidates)
    arms = _arm_values(study)
    predictor = _predictor(study, source, covariates, arms)
    f_unlabelled = [predictor(unlabelled, arm) for arm in arms]
    difference = f_unlabelled[0] - f_unlabelled[1]
    groups = []
    for index, arm in enumerate(arms):
        in_arm = np.asarray(labelled.frame[treatment]) == arm
        frame = labelled.frame[in_arm]
        y = np.asarray(frame[outcome], dtype=float)
        f = predictor(frame, arm) if len(frame) else np.zeros(0)
        groups.append((y, f, index))
    if any(len(y) < 2 for y, _, _ in groups):
        return PPINotApplied("each arm of the human experiment needs 2+ units")
    (y1, f1, _), (y0, f0, _) = groups
    return CellMeansPPI(
        fit=ppi_difference(y1, f1, y0, f0, difference),
        predictor=source.population,
        predictor_detail=f"{source.population}'s mean {outcome} per arm and cell of "
        f"({', '.join(covariates) or 'no covariates'}), from {source.spec.path}",
        labelled=labelled.spec.path,
        unlabelled=unlabelled.spec.path,
        assumption=f"the {target} experiment's units are a random sample of the same "
        f"population as the units in {unlabelled.spec.path}; nothing is assumed about the "
        "LLM predictions, which only make the interval narrower when they predict well",
    )


def ppi_difference(
    y1: np.ndarray, f1: np.ndarray, y0: np.ndarray, f0: np.ndarray, unlabelled: np.ndarray
) -> PPIDifference:
    """PPI++ for a difference in means: outcomes and predictions of the labelled units in
    each arm, and the predicted differences f(z, a) − f(z, b) of the unlabelled units."""
    big_n, n1, n0 = len(unlabelled), len(y1), len(y0)

    def variance(lam: float) -> float:
        return (lam**2 * unlabelled.var(ddof=1) / big_n
                + np.var(y1 - lam * f1, ddof=1) / n1 + np.var(y0 - lam * f0, ddof=1) / n0)

    covariance = np.cov(y1, f1, ddof=1)[0, 1] / n1 + np.cov(y0, f0, ddof=1)[0, 1] / n0
    curvature = unlabelled.var(ddof=1) / big_n + f1.var(ddof=1) / n1 + f0.var(ddof=1) / n0
    lam = float(np.clip(covariance / curvature, 0.0, 1.0)) if curvature > 0 else 0.0
    estimate = float(lam * unlabelled.mean() + (y1 - lam * f1).mean() - (y0 - lam * f0).mean())
    se = float(np.sqrt(variance(lam)))
    classical = float(y1.mean() - y0.mean())
    classical_se = float(np.sqrt(variance(0.0)))
    effective = (n1 + n0) * classical_se**2 / se**2 if se > 0 else float("inf")
    return PPIDifference(
        estimate=estimate,
        se=se,
        ci_95=(estimate - Z_95 * se, estimate + Z_95 * se),
        lam=lam,
        classical=ClassicalFit(classical, classical_se, (classical - Z_95 * classical_se,
                                                         classical + Z_95 * classical_se)),
        n_labelled=n1 + n0,
        n_unlabelled=big_n,
        effective_n=float(effective),
    )


def _predictor(study: Study, source: LoadedData, covariates: tuple[str, ...], arms: tuple):
    """f(frame, arm): the source's mean outcome per covariate cell under that arm (the arm's
    overall mean where the source has no such cell)."""
    treatment, outcome = study.query.treatment, study.query.outcome
    frame = source.frame
    flat, shape = cell_index(frame, covariates, study)
    size = int(np.prod(shape)) if shape else 1
    y = np.asarray(frame[outcome], dtype=float)
    arm_of = np.asarray(frame[treatment])
    tables = {}
    for arm in arms:
        mask = arm_of == arm
        n = np.bincount(flat[mask], minlength=size)
        total = np.bincount(flat[mask], weights=y[mask], minlength=size)
        fallback = y[mask].mean() if mask.any() else y.mean()
        tables[arm] = np.where(n > 0, total / np.maximum(n, 1), fallback)

    def predict(rows, arm) -> np.ndarray:
        data = rows.frame if isinstance(rows, LoadedData) else rows
        cells, _ = cell_index(data, covariates, study)
        return tables[arm][cells]

    return predict
