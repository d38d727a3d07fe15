"""The exact ungrouped posterior and REML (transport.calibrate.exact) against independent
dense-matrix computations, a direct numerical maximisation, brute-force leave-outs and,
in the slow test, NUTS on the bundled GPT-4 pairs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import minimize_scalar

from transport.calibrate import exact
from transport.calibrate.pairs import load_pairs
from transport.calibrate.priors import scaled_priors

from .conftest import BUNDLED, GPT4, simulate_pairs


def _dense_restricted_loglik(tau, x, y, se):
    """-(log|V| + log|X'V^-1 X| + y'Py) / 2 with the n x n projection P."""
    X = np.column_stack([np.ones_like(x), x])
    V = np.diag(se**2 + tau**2)
    Vi = np.linalg.inv(V)
    A = X.T @ Vi @ X
    P = Vi - Vi @ X @ np.linalg.solve(A, X.T @ Vi)
    return -0.5 * (np.linalg.slogdet(V)[1] + np.linalg.slogdet(A)[1] + y @ P @ y)


@pytest.mark.parametrize(("tau", "seed"), [(0.05, 1), (0.02, 2), (0.0, 3)])
def test_reml_tau_is_the_maximiser_of_the_restricted_likelihood(tau, seed):
    x, y, se, _ = simulate_pairs(60, a=0.01, b=0.6, tau=tau, seed=seed)
    fit = exact.reml(x, y, se)
    best = minimize_scalar(lambda t: -_dense_restricted_loglik(t, x, y, se),
                           bounds=(0.0, 0.5), method="bounded", options={"xatol": 1e-10})
    assert fit.tau == pytest.approx(best.x, abs=1e-6)
    # the O(n) likelihood is the dense one up to a constant
    for t in (0.0, 0.03, 0.1):
        assert (exact.restricted_loglik(t, x, y, se) - exact.restricted_loglik(0.05, x, y, se)
                == pytest.approx(_dense_restricted_loglik(t, x, y, se)
                                 - _dense_restricted_loglik(0.05, x, y, se), abs=1e-8))
    # and the line is GLS given that tau
    X = np.column_stack([np.ones_like(x), x])
    Vi = np.diag(1 / (se**2 + fit.tau**2))
    gls = np.linalg.solve(X.T @ Vi @ X, X.T @ Vi @ y)
    np.testing.assert_allclose([fit.a, fit.b], gls, rtol=1e-8)
    np.testing.assert_allclose(fit.cov, np.linalg.inv(X.T @ Vi @ X), rtol=1e-8)


def test_reml_leaves_out_zero_weight_pairs():
    x, y, se, _ = simulate_pairs(40, a=0.0, b=0.5, tau=0.03, seed=4)
    keep = np.arange(40) % 4 != 0
    assert exact.reml(x, y, se, keep=keep).tau == pytest.approx(
        exact.reml(x[keep], y[keep], se[keep]).tau, rel=1e-9)


def test_tau_posterior_is_prior_times_dense_marginal_likelihood():
    x, y, se, _ = simulate_pairs(30, a=0.02, b=0.4, tau=0.04, seed=5)
    priors = scaled_priors(x, y)
    X = np.column_stack([np.ones_like(x), x])
    m0 = np.array([priors.a_mean, 0.0])
    S0 = np.diag([priors.a_sd**2, priors.b_sd**2])
    taus = np.array([0.0, 0.02, 0.05, 0.1])
    got = exact._log_posterior_tau(taus, x, y, se, np.ones(30), priors)
    want = np.array([stats.multivariate_normal(X @ m0, np.diag(se**2 + t**2) + X @ S0 @ X.T)
                     .logpdf(y) + stats.halfnorm(scale=priors.tau_sd).logpdf(t)
                     for t in taus])
    np.testing.assert_allclose(got - got[0], want - want[0], atol=1e-8)


def test_posterior_moments_match_dense_quadrature():
    x, y, se, _ = simulate_pairs(25, a=0.0, b=0.7, tau=0.05, seed=6)
    priors = scaled_priors(x, y)
    X = np.column_stack([np.ones_like(x), x])
    m0 = np.array([priors.a_mean, 0.0])
    S0i = np.diag([1 / priors.a_sd**2, 1 / priors.b_sd**2])
    grid, _ = exact.tau_grid(x, y, se, priors)  # only its range: where the mass is
    grid = np.linspace(grid[0], grid[-1], 801)
    logp, means = [], []
    for t in grid:
        V = np.diag(se**2 + t**2)
        logp.append(stats.multivariate_normal(X @ m0, V + X @ np.linalg.inv(S0i) @ X.T)
                    .logpdf(y) + stats.halfnorm(scale=priors.tau_sd).logpdf(t))
        Vi = np.linalg.inv(V)
        means.append(np.linalg.solve(S0i + X.T @ Vi @ X, S0i @ m0 + X.T @ Vi @ y))
    dens = np.exp(np.array(logp) - max(logp))
    dens /= np.trapezoid(dens, grid)
    means = np.array(means)
    got = exact.posterior_moments(x, y, se, priors)
    assert got["tau"]["mean"] == pytest.approx(np.trapezoid(grid * dens, grid), rel=1e-5)
    assert got["b"]["mean"] == pytest.approx(np.trapezoid(means[:, 1] * dens, grid), rel=1e-6)
    assert got["a"]["mean"] == pytest.approx(np.trapezoid(means[:, 0] * dens, grid),
                                             abs=1e-7)


def test_draws_follow_the_quadrature_posterior_and_a_seed():
    x, y, se, _ = simulate_pairs(80, a=0.01, b=0.5, tau=0.03, seed=7)
    priors = scaled_priors(x, y)
    draws = exact.exact_posterior(x, y, se, priors, draws=20000, seed=3)
    again = exact.exact_posterior(x, y, se, priors, draws=20000, seed=3)
    np.testing.assert_array_equal(draws.b, again.b)
    moments = exact.posterior_moments(x, y, se, priors)
    for name in ("a", "b", "tau"):
        values = getattr(draws, name)
        m = moments[name]
        assert abs(values.mean() - m["mean"]) < 4 * m["sd"] / np.sqrt(len(values)), name
        assert values.std() == pytest.approx(m["sd"], rel=0.03), name
    taus, density = exact.tau_grid(x, y, se, priors)
    cdf = np.concatenate([[0], np.cumsum(np.diff(taus) * (density[1:] + density[:-1]) / 2)])
    ks = stats.kstest(draws.tau, lambda t: np.interp(t, taus, cdf / cdf[-1]))
    assert ks.pvalue > 0.001


def test_exact_loo_equals_refits_without_each_study():
    x, y, se, study = simulate_pairs(36, a=0.0, b=0.6, tau=0.04, seed=8, studies=9)
    priors = scaled_priors(x, y)
    label = np.array(study, dtype=object)
    members = [label == s for s in sorted(set(study))]
    pit = exact.loo_pit(x, y, se, priors, members)
    for mask in members[:2]:
        keep = ~mask
        taus, density = exact.tau_grid(x, y, se, priors, keep=keep, points=201)
        brute = []
        for i in np.flatnonzero(mask):
            cdf = []
            for t in taus:
                X = np.column_stack([np.ones(keep.sum()), x[keep]])
                Vi = np.diag(1 / (se[keep] ** 2 + t**2))
                S0i = np.diag([1 / priors.a_sd**2, 1 / priors.b_sd**2])
                cov = np.linalg.inv(S0i + X.T @ Vi @ X)
                mean = cov @ (S0i @ [priors.a_mean, 0.0] + X.T @ Vi @ y[keep])
                xi = np.array([1.0, x[i]])
                sd = np.sqrt(xi @ cov @ xi + se[i] ** 2 + t**2)
                cdf.append(stats.norm.cdf((y[i] - xi @ mean) / sd))
            brute.append(np.trapezoid(np.array(cdf) * density, taus))
        np.testing.assert_allclose(pit[mask], brute, atol=1e-6)


@pytest.mark.slow
def test_exact_posterior_agrees_with_nuts_on_the_bundled_pairs():
    """Tolerance: posterior means within 0.1 posterior sd, sds within 10% (4 chains x
    1,000 NUTS draws have Monte Carlo errors of about 0.02 sd)."""
    from transport.calibrate import pymc_model

    pairs = load_pairs(BUNDLED, **GPT4, by=None)
    priors = scaled_priors(pairs.x, pairs.y)
    compiled = pymc_model.compile_model(pymc_model.build_model(pairs.x, pairs.y, pairs.se,
                                                               priors))
    nuts = pymc_model.sample(compiled, draws=1000, tune=1000, chains=4, cores=2, seed=0).draws
    moments = exact.posterior_moments(pairs.x, pairs.y, pairs.se, priors)
    for name in ("a", "b", "tau"):
        values = nuts[name].ravel()
        m = moments[name]
        assert abs(values.mean() - m["mean"]) < 0.1 * m["sd"], name
        assert values.std() == pytest.approx(m["sd"], rel=0.1), name


def test_the_one_hdi_refuses_no_draws_with_a_clear_error() -> None:
    from transport.calibrate.stats import hdi
    from transport.estimate.summary import hdi as estimate_hdi

    assert estimate_hdi is hdi  # one implementation for both stages
    with pytest.raises(ValueError, match="^the highest-density interval of no draws is "
                                         "undefined$"):
        hdi(np.array([]))
    assert hdi(np.arange(100.0)) == (0.0, 94.0)
