"""The robust mixture of a `partial ... sd X` claim is the heavy-tailed form of the stated
shift: its two normal components mix to standard deviation X (borrowing.mixture_scales)."""

from __future__ import annotations

import numpy as np
import pytest

from transport.estimate.synthesis.borrowing import (
    ROBUST_FACTOR,
    ROBUST_WEIGHT,
    core_fraction,
    mixture_scales,
    prior_log_weights,
)


@pytest.mark.parametrize("weight", [0.0, 0.05, ROBUST_WEIGHT, 0.5, 0.9])
@pytest.mark.parametrize("sd", [0.01, 0.15, 0.3, 1.0, 5.0])
def test_the_mixture_has_the_stated_standard_deviation(sd: float, weight: float) -> None:
    core, wide = mixture_scales(sd, weight=weight)
    variance = (1 - weight) * core**2 + weight * wide**2
    assert variance == pytest.approx(sd**2, rel=1e-12)
    assert wide == pytest.approx(ROBUST_FACTOR * core, rel=1e-12)


def test_the_core_scale_and_the_tails_are_the_documented_ones() -> None:
    assert core_fraction() == pytest.approx(0.632, abs=5e-4)
    assert core_fraction(0.0) == 1.0  # `robust 0`: the normal shift exactly as stated
    core, wide = mixture_scales(1.0)
    fourth = (1 - ROBUST_WEIGHT) * 3 * core**4 + ROBUST_WEIGHT * 3 * wide**4
    assert fourth == pytest.approx(12.7, abs=0.05)  # a normal's kurtosis is 3
    # a Student t with nu degrees of freedom has kurtosis 3 + 6 / (nu - 4)
    assert 4 + 6 / (fourth - 3) == pytest.approx(4.6, abs=0.05)


def test_the_floor_widens_only_the_wide_component() -> None:
    core, wide = mixture_scales(0.05, floor=0.4)
    assert core == pytest.approx(core_fraction() * 0.05)
    assert wide == 0.4
    assert mixture_scales(0.5, floor=0.4)[1] == pytest.approx(ROBUST_FACTOR * core_fraction()
                                                               * 0.5)


def test_draws_from_the_mixture_have_the_stated_spread() -> None:
    rng = np.random.default_rng(7)
    core, wide = mixture_scales(0.2)
    n = 400_000
    wide_ones = rng.random(n) < ROBUST_WEIGHT
    shifts = rng.normal(0.0, np.where(wide_ones, wide, core))
    assert shifts.std() == pytest.approx(0.2, rel=0.01)
    # heavier tails than the normal of the same sd: P(|shift| > 3 sd) is 0.27% for a normal
    assert np.mean(np.abs(shifts) > 0.6) > 0.01


def test_prior_weights_multiply_each_claims_own_probability_of_holding() -> None:
    subsets = [(0, 1), (0,), (1,), ()]
    logs = prior_log_weights([0.1, 0.3], subsets)
    assert np.exp(logs[(0, 1)]) == pytest.approx(0.9 * 0.7)
    assert np.exp(logs[(0,)]) == pytest.approx(0.9 * 0.3)
    assert np.exp(logs[(1,)]) == pytest.approx(0.1 * 0.7)
    assert np.exp(logs[()]) == pytest.approx(0.1 * 0.3)
    assert sum(np.exp(v) for v in logs.values()) == pytest.approx(1.0)
    # `robust 0`: the claim cannot fail, so no configuration leaves its group out
    zero = prior_log_weights([0.0, 0.3], subsets)
    assert zero[(1,)] == -np.inf and zero[()] == -np.inf and np.isfinite(zero[(0,)])
