"""PPI++ agrees with the reference implementation, ppi_py (Angelopoulos, Duchi & Zrnic), to 3
decimals on the same data wherever the two compute the same interval.

Both compute the same point estimate for every λ. The intervals coincide for means, and for
regression coefficients at λ = 0; for λ > 0 ppi_py evaluates the gradients at the combined
estimate with a Hessian pooled over labelled and unlabelled units (the M-estimation form),
while this package uses each fit's own residuals and Hessian (the exact linearisation of the
estimate), so the two agree when the two samples' designs agree (balanced arms) and as the
samples grow; docs/mixed_subjects.md explains the difference.
"""

from __future__ import annotations

import numpy as np
import pytest

ppi_py = pytest.importorskip("ppi_py")

from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, Units  # noqa: E402
from transport.estimate.mixed_subjects.ppi import ppi_difference, ppi_mean  # noqa: E402

DECIMALS = 1e-3


@pytest.fixture(autouse=True)
def _uncompiled_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """ppi_py's OLS statistics are a numba function whose compilation takes ~8 s; its
    Python original (`py_func`, the same code) keeps these tests fast."""
    from ppi_py import ppi as reference

    stats = reference._ols_get_stats
    monkeypatch.setattr(reference, "_ols_get_stats", getattr(stats, "py_func", stats))


def _units(rng: np.random.Generator, size: int, balanced: bool, bias: float = 0.0):
    arm = rng.permutation(np.arange(size) % 2) if balanced else rng.integers(0, 2, size)
    z = rng.normal(size=size)
    y = 0.3 * arm + z + rng.normal(size=size)
    f = y + rng.normal(size=size) + bias
    return arm, z, y, f


def _data(lab, unl, w=None, w_unl=None) -> MixedSubjectsData:
    arm, z, y, f = lab
    arm_u, z_u, _, f_u = unl
    return MixedSubjectsData(Units(arm, {"llm": f}, y, covariates=z, weight=w),
                             Units(arm_u, {"llm": f_u}, covariates=z_u, weight=w_unl))


def _designs(lab, unl, adjust: bool):
    def design(units):
        arm, z = units[0], units[1]
        return np.column_stack([np.ones(len(arm)), arm] + ([z] if adjust else []))

    return design(lab), design(unl)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("lam", [None, 0.0, 0.5, 1.0])
def test_mean_interval_agrees_with_ppi_mean_ci(seed: int, lam: float | None) -> None:
    rng = np.random.default_rng(seed)
    y = rng.normal(size=300)
    f = 0.7 * y + rng.normal(scale=0.8, size=300) + 0.2
    f_unl = 0.7 * rng.normal(size=3000) + rng.normal(scale=0.8, size=3000) + 0.2
    data = MixedSubjectsData(Units(np.zeros(300), {"llm": f}, y),
                             Units(np.zeros(3000), {"llm": f_unl}))
    ours = ppi_mean(data, 0.0, lam=lam)
    low, high = ppi_py.ppi_mean_ci(y, f, f_unl, alpha=0.05, lam=lam)
    assert ours.ci == pytest.approx((float(low[0]), float(high[0])), abs=DECIMALS)
    point = ppi_py.ppi_mean_pointestimate(y, f, f_unl, lam=ours.chosen.lam["llm"])
    assert ours.estimate == pytest.approx(float(np.ravel(point)[0]), abs=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_weighted_mean_agrees_with_ppi_ols_ci_on_an_intercept(seed: int) -> None:
    """A Hájek-weighted mean is the weighted least-squares intercept."""
    rng = np.random.default_rng(seed)
    y = rng.normal(size=300)
    f, f_unl = y + rng.normal(size=300), rng.normal(size=3000) + rng.normal(size=3000)
    w, w_unl = rng.uniform(0.5, 2, 300), rng.uniform(0.5, 2, 3000)
    data = MixedSubjectsData(Units(np.zeros(300), {"llm": f}, y, weight=w),
                             Units(np.zeros(3000), {"llm": f_unl}, weight=w_unl))
    for lam in (0.0, 0.5, 1.0):
        ours = ppi_mean(data, 0.0, lam=lam)
        low, high = ppi_py.ppi_ols_ci(np.ones((300, 1)), y, f, np.ones((3000, 1)), f_unl,
                                      alpha=0.05, lam=lam, w=w, w_unlabeled=w_unl)
        assert ours.ci == pytest.approx((float(low[0]), float(high[0])), abs=DECIMALS)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("adjust", [False, True])
def test_classical_regression_interval_agrees_exactly(seed: int, adjust: bool) -> None:
    rng = np.random.default_rng(seed)
    lab, unl = _units(rng, 300, False, bias=0.4), _units(rng, 3000, False, bias=0.4)
    w, w_unl = rng.uniform(0.5, 2, 300), rng.uniform(0.5, 2, 3000)
    x, x_unl = _designs(lab, unl, adjust)
    ours = ppi_difference(_data(lab, unl, w, w_unl), 1, 0, adjust=adjust, lam=0.0)
    low, high = ppi_py.ppi_ols_ci(x, lab[2], lab[3], x_unl, unl[3], alpha=0.05, lam=0.0,
                                  w=w, w_unlabeled=w_unl)
    assert ours.ci == pytest.approx((low[1], high[1]), abs=1e-10)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("lam", [0.5, 1.0])
def test_difference_in_means_agrees_with_ppi_ols_ci(seed: int, lam: float) -> None:
    rng = np.random.default_rng(seed)
    lab, unl = _units(rng, 300, True), _units(rng, 3000, True)
    x, x_unl = _designs(lab, unl, False)
    ours = ppi_difference(_data(lab, unl), 1, 0, lam=lam)
    low, high = ppi_py.ppi_ols_ci(x, lab[2], lab[3], x_unl, unl[3], alpha=0.05, lam=lam)
    assert ours.ci == pytest.approx((low[1], high[1]), abs=DECIMALS)
    point = ppi_py.ppi_ols_pointestimate(x, lab[2], lab[3], x_unl, unl[3], lam=lam)
    assert ours.estimate == pytest.approx(point[1], abs=1e-10)


@pytest.mark.parametrize("weighted", [False, True])
def test_tuned_adjusted_interval_agrees_with_ppi_ols_ci(weighted: bool) -> None:
    rng = np.random.default_rng(11)
    lab, unl = _units(rng, 3000, True), _units(rng, 30000, True)
    w = rng.uniform(0.5, 2, 3000) if weighted else None
    w_unl = rng.uniform(0.5, 2, 30000) if weighted else None
    x, x_unl = _designs(lab, unl, True)
    ours = ppi_difference(_data(lab, unl, w, w_unl), 1, 0, adjust=True)
    low, high = ppi_py.ppi_ols_ci(x, lab[2], lab[3], x_unl, unl[3], alpha=0.05, coord=1,
                                  w=w, w_unlabeled=w_unl)
    assert ours.ci == pytest.approx((low[1], high[1]), abs=DECIMALS)
    assert ours.chosen.lam["llm"] > 0.3  # the predictor is used, not ignored
