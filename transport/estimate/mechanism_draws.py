"""Mechanism models evaluated on posterior draws with numpy: linear predictors, level
probabilities, expected values, simulation and log-likelihoods (the PyMC model lives in
pymc_backend.py; the specification of each mechanism in mechanisms.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.special import expit

from transport.errors import DataError
from transport.estimate.mechanisms import (
    Cells,
    MechanismSpec,
    internal_values,
    param_name,
)
from transport.study import Study

# --- numpy evaluation for posterior draws -----------------------------------------------


def linear_predictor(spec: MechanismSpec, theta: Mapping[str, np.ndarray],
                     X: np.ndarray) -> np.ndarray:
    """eta for draws: theta blocks have a leading draws axis D; X is (n, P) or (D, n, P).
    Returns (D, n, width)."""
    beta = theta["beta"]
    eta = np.matmul(X, beta)  # (n, P) or (D, n, P) times (D, P, k): one BLAS call per draw
    if "alpha" in theta:
        eta = eta + theta["alpha"][:, None, :]
    return eta


def cutpoints(cut: np.ndarray) -> np.ndarray:
    steps = np.concatenate([cut[..., :1], np.exp(cut[..., 1:])], axis=-1)
    return np.cumsum(steps, axis=-1)


def level_probabilities(spec: MechanismSpec, theta, X) -> np.ndarray:
    """(D, n, K) for discrete outcomes."""
    eta = linear_predictor(spec, theta, X)
    if spec.kind == "binary":
        p1 = expit(eta[..., 0])
        return np.stack([1.0 - p1, p1], axis=-1)
    if spec.kind == "categorical":
        full = np.concatenate([np.zeros(eta.shape[:-1] + (1,)), eta], axis=-1)
        full -= full.max(axis=-1, keepdims=True)
        e = np.exp(full)
        return e / e.sum(axis=-1, keepdims=True)
    if spec.kind == "ordinal":
        c = cutpoints(theta["cut"])[:, None, :]
        cdf = expit(c - eta)
        ones = np.ones(cdf.shape[:-1] + (1,))
        cdf = np.concatenate([np.zeros_like(ones), cdf, ones], axis=-1)
        return np.clip(np.diff(cdf, axis=-1), 1e-300, None)
    raise ValueError(spec.kind)


def level_values(spec: MechanismSpec) -> np.ndarray:
    if spec.kind == "binary":
        return np.array([0.0, 1.0])
    try:
        return np.asarray(spec.levels, dtype=float)
    except (TypeError, ValueError):
        return np.arange(len(spec.levels), dtype=float)


def expected_value(spec: MechanismSpec, theta, X) -> np.ndarray:
    """E[v | parents] per draw and unit, (D, n), on the variable's own scale."""
    if spec.kind in ("continuous",):
        return linear_predictor(spec, theta, X)[..., 0]
    if spec.kind == "count":
        return np.exp(np.minimum(linear_predictor(spec, theta, X)[..., 0], 30.0))
    if spec.kind == "binary":  # P(v = 1), without building both levels' probabilities
        return expit(linear_predictor(spec, theta, X)[..., 0])
    if spec.kind == "categorical":
        raise DataError(
            f"'{spec.variable}' is categorical: an effect on it is not one number (a difference "
            "in the probability of each level); recode it as binary for one level"
        )
    return level_probabilities(spec, theta, X) @ level_values(spec)


def simulate(spec: MechanismSpec, theta, X, rng: np.random.Generator) -> np.ndarray:
    """Draw internal values (level indices for categorical/ordinal), (D, n)."""
    if spec.kind == "continuous":
        mu = linear_predictor(spec, theta, X)[..., 0]
        sigma = np.exp(theta["log_sigma"][:, :1])
        return mu + sigma * rng.standard_normal(mu.shape)
    if spec.kind == "count":
        rate = np.exp(np.minimum(linear_predictor(spec, theta, X)[..., 0], 30.0))
        return rng.poisson(rate).astype(float)
    probs = level_probabilities(spec, theta, X)
    u = rng.random(probs.shape[:-1] + (1,))
    return (probs.cumsum(axis=-1) < u).sum(axis=-1).clip(0, probs.shape[-1] - 1).astype(float)


def row_log_likelihood(spec: MechanismSpec, theta, cells: Cells) -> np.ndarray:
    """Pointwise log-likelihood of each row, (D, n_rows); cells are evaluated once."""
    y = cells.rows_y
    row_cell = cells.cell_of_row
    if spec.kind in ("binary", "categorical", "ordinal"):
        probs = level_probabilities(spec, theta, cells.X)  # (D, cells, K)
        return np.log(np.clip(probs[:, row_cell, y.astype(int)], 1e-300, None))
    eta = linear_predictor(spec, theta, cells.X)[..., 0][:, row_cell]
    if spec.kind == "count":
        from scipy.special import gammaln

        return y * eta - np.exp(eta) - gammaln(y + 1.0)
    sigma = np.exp(theta["log_sigma"][:, :1])
    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - 0.5 * ((y - eta) / sigma) ** 2


def cell_log_likelihoods(spec: MechanismSpec, theta, cells: Cells) -> np.ndarray:
    """The log-likelihood of each cell's rows together per draw, (D, cells), from the
    sufficient statistics."""
    s = cells.stats
    if spec.kind in ("binary", "categorical", "ordinal"):
        probs = level_probabilities(spec, theta, cells.X)
        counts = s["counts"] if "counts" in s else np.stack([cells.n - s["k"], s["k"]], axis=-1)
        return (counts[None] * np.log(np.clip(probs, 1e-300, None))).sum(axis=2)
    eta = linear_predictor(spec, theta, cells.X)[..., 0]
    if spec.kind == "count":
        return s["sum_y"] * eta - cells.n * np.exp(eta) - s["log_fact"]
    sigma = np.exp(theta["log_sigma"][:, :1])
    quad = s["sum_y2"] - 2 * eta * s["sum_y"] + cells.n * eta**2
    log_norm = -cells.n * (0.5 * np.log(2 * np.pi) + np.log(sigma))
    return log_norm - 0.5 * quad / sigma**2


def cells_log_likelihood(spec: MechanismSpec, theta, cells: Cells) -> np.ndarray:
    """The total log-likelihood of the cells per draw, (D,), from sufficient statistics."""
    return cell_log_likelihoods(spec, theta, cells).sum(axis=1)


def theta_of(draws: Mapping[str, np.ndarray], spec: MechanismSpec, population: str) -> dict:
    """A population's parameter blocks from flattened draws {name: (D, ...)}."""
    out = {}
    for block, shape in spec.blocks().items():
        values = np.asarray(draws[param_name(spec.variable, population, block)])
        out[block] = values.reshape(len(values), *shape)
    return out


def values_of(frame: pd.DataFrame, study: Study, names: Sequence[str]) -> dict[str, np.ndarray]:
    return {n: internal_values(frame[n], study.variable(n).kind, study.variable(n).levels)
            for n in names}
