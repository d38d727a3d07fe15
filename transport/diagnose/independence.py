"""Tests of one conditional independence `x ⊥ y | Z` in one dataset.

Which test depends on the variables' types:

- all discrete (binary, categorical, ordinal): the G-test (likelihood-ratio chi-square)
  stratified by the values of Z, with degrees of freedom summed over strata from the levels
  each stratum shows; when the table is sparse (fewer than 5 rows per degree of freedom and
  cell) the p-value comes from a permutation of y within strata instead of the chi-square;
- any count or continuous variable: a regression test. x and y (categorical ones as
  indicator columns) are regressed on Z (indicators for categorical Z, a cubic polynomial
  of continuous and count Z); with one column each the
  residuals' correlation is the partial correlation and Fisher's z gives the p-value;
  with more, Bartlett's chi-square on the canonical correlations of the residuals.

Every test returns a `TestResult`; a test that the data cannot support (a constant variable,
too few rows, no stratum with two values of both) is `testable=False` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from transport.study import Variable

PERMUTATIONS = 999
_SPARSE_ROWS_PER_CELL = 5.0


@dataclass(frozen=True)
class TestResult:
    """The outcome of one test: its name, statistic, degrees of freedom, rows and p-value,
    or why it could not be run."""

    __test__ = False  # not a pytest test class

    test: str
    n: int
    statistic: float | None = None
    df: float | None = None
    p_value: float | None = None
    reason: str | None = None

    @property
    def testable(self) -> bool:
        return self.p_value is not None


def independence_test(
    frame: pd.DataFrame, variables: dict[str, Variable], first: str, second: str,
    given: tuple[str, ...], seed: int = 0,
) -> TestResult:
    """Test `first ⊥ second | given` on the rows of `frame` (columns coded by
    transport.data: binary and ordinal as integers, categorical as pandas Categorical)."""
    names = (first, second, *given)
    if all(variables[v].discrete for v in names):
        return _g_test(frame, first, second, given, seed)
    return _linear_test(frame, variables, first, second, given)


def _codes(series: pd.Series) -> np.ndarray:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64)
    return pd.factorize(series, sort=True)[0].astype(np.int64)


def _g_statistic(counts: np.ndarray) -> float:
    """2 Σ O log(O / E) summed over strata; counts has shape (strata, x levels, y levels)."""
    n = counts.sum(axis=(1, 2), keepdims=True)
    rows = counts.sum(axis=2, keepdims=True)
    cols = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = rows * cols / np.where(n == 0, 1, n)
        terms = np.where(counts > 0, counts * np.log(counts / expected), 0.0)
    return float(2.0 * terms.sum())


def _g_test(
    frame: pd.DataFrame, first: str, second: str, given: tuple[str, ...], seed: int
) -> TestResult:
    n = len(frame)
    x = _codes(frame[first])
    y = _codes(frame[second])
    if given:
        strata = pd.MultiIndex.from_arrays([_codes(frame[z]) for z in given])
        stratum = pd.factorize(strata)[0].astype(np.int64)
    else:
        stratum = np.zeros(n, dtype=np.int64)
    shape = (int(stratum.max()) + 1, int(x.max()) + 1, int(y.max()) + 1)

    def table(y_codes: np.ndarray) -> np.ndarray:
        flat = (stratum * shape[1] + x) * shape[2] + y_codes
        return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)

    counts = table(y)
    levels_x = (counts.sum(axis=2) > 0).sum(axis=1)
    levels_y = (counts.sum(axis=1) > 0).sum(axis=1)
    df = int(np.sum(np.clip(levels_x - 1, 0, None) * np.clip(levels_y - 1, 0, None)))
    if df == 0:
        return TestResult("G-test", n, reason=f"no stratum shows two values of both {first} "
                          f"and {second}")
    statistic = _g_statistic(counts)
    cells = int(np.sum(levels_x * levels_y * (levels_x > 1) * (levels_y > 1)))
    if n >= _SPARSE_ROWS_PER_CELL * cells:
        return TestResult("G-test", n, statistic, float(df), float(stats.chi2.sf(statistic, df)))
    rng = np.random.default_rng(seed)
    base = np.argsort(stratum, kind="stable")
    exceed = 0
    shuffled = np.empty_like(y)
    for _ in range(PERMUTATIONS):
        order = np.argsort(stratum + rng.random(n), kind="stable")
        shuffled[base] = y[order]
        exceed += _g_statistic(table(shuffled)) >= statistic - 1e-9
    p_value = (1 + exceed) / (PERMUTATIONS + 1)
    return TestResult("permutation G-test", n, statistic, float(df), float(p_value))


def _design(series: pd.Series, variable: Variable) -> np.ndarray:
    """Numeric columns for one variable: indicators (first level dropped) for categorical,
    the value itself otherwise."""
    if variable.kind == "categorical":
        codes = _codes(series)
        levels = np.unique(codes)
        return (codes[:, None] == levels[None, 1:]).astype(float)
    return series.to_numpy(dtype=float)[:, None]


def _conditioning(series: pd.Series, variable: Variable) -> np.ndarray:
    """Columns for a conditioning variable: a cubic polynomial of a continuous or count one
    (so that a smooth nonlinear dependence on it is removed, not left in both residuals),
    else as `_design`."""
    if variable.kind not in ("continuous", "count"):
        return _design(series, variable)
    values = series.to_numpy(dtype=float)
    spread = values.std()
    scaled = (values - values.mean()) / (spread if spread > 0 else 1.0)
    return np.column_stack([scaled, scaled**2, scaled**3])


def _linear_test(
    frame: pd.DataFrame, variables: dict[str, Variable], first: str, second: str,
    given: tuple[str, ...],
) -> TestResult:
    n = len(frame)
    dx = _design(frame[first], variables[first])
    dy = _design(frame[second], variables[second])
    dz = np.column_stack([np.ones(n)] + [_conditioning(frame[z], variables[z]) for z in given])
    rank_z = int(np.linalg.matrix_rank(dz))
    name = "Fisher z" if dx.shape[1] == dy.shape[1] == 1 else "canonical correlation"
    room = n - rank_z - 2  # n - |Z| - 3: Fisher's z has variance 1 / room
    if room < 1:
        return TestResult(name, n, reason=f"{n} rows are too few for {rank_z - 1} "
                          "conditioning columns")
    coef, *_ = np.linalg.lstsq(dz, np.column_stack([dx, dy]), rcond=None)
    residuals = np.column_stack([dx, dy]) - dz @ coef
    rx, ry = residuals[:, : dx.shape[1]], residuals[:, dx.shape[1]:]
    for label, part in ((first, rx), (second, ry)):
        if np.allclose(part.std(axis=0).max(), 0.0):
            return TestResult(name, n, reason=f"{label} does not vary once "
                              f"{', '.join(given) if given else 'nothing'} is known")
    if name == "Fisher z":
        r = float(np.corrcoef(rx[:, 0], ry[:, 0])[0, 1])
        r = min(max(r, -0.999999999), 0.999999999)
        z = float(np.arctanh(r) * np.sqrt(room))
        return TestResult(name, n, z, None, float(2.0 * stats.norm.sf(abs(z))))
    canonical = _canonical_correlations(rx, ry)
    statistic = float(-(n - 1 - (rank_z - 1) - (dx.shape[1] + dy.shape[1] + 1) / 2)
                      * np.sum(np.log1p(-np.minimum(canonical**2, 1 - 1e-12))))
    df = float(_rank(rx) * _rank(ry))
    return TestResult(name, n, statistic, df, float(stats.chi2.sf(statistic, df)))


def _rank(matrix: np.ndarray) -> int:
    return int(np.linalg.matrix_rank(matrix - matrix.mean(axis=0)))


def _canonical_correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The canonical correlations between the columns of a and of b (rank-safe)."""

    def basis(m: np.ndarray) -> np.ndarray:
        u, s, _ = np.linalg.svd(m - m.mean(axis=0), full_matrices=False)
        return u[:, s > s.max() * 1e-10]

    return np.clip(np.linalg.svd(basis(a).T @ basis(b), compute_uv=False), 0.0, 1.0)
