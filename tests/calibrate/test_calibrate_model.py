"""The PyMC model's structure without sampling: its log density is the marginal normal
likelihood (with leave-out weights) plus the documented priors, and prior draws have the
documented scales."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pymc")

from transport.calibrate import pymc_model  # noqa: E402
from transport.calibrate.priors import scaled_priors  # noqa: E402
from transport.calibrate.stats import normal_logpdf  # noqa: E402

X = np.array([-0.2, 0.0, 0.1, 0.3])
Y = np.array([-0.1, 0.01, 0.02, 0.2])
SE = np.array([0.02, 0.03, 0.02, 0.04])


def test_log_density_is_the_marginal_likelihood_plus_priors():
    priors = scaled_priors(X, Y)
    model = pymc_model.build_model(X, Y, SE, priors)
    a, b, tau = 0.01, 0.6, 0.05
    got = pymc_model.log_density(model, {"a": a, "b": b, "tau_log__": np.log(tau)})
    likelihood = normal_logpdf(Y, a + b * X, np.sqrt(SE**2 + tau**2)).sum()
    prior = (normal_logpdf(a, priors.a_mean, priors.a_sd)
             + normal_logpdf(b, 0.0, priors.b_sd)
             + normal_logpdf(tau, 0.0, priors.tau_sd) + np.log(2))
    assert got == pytest.approx(likelihood + prior, rel=1e-9)


def test_weights_leave_pairs_out():
    priors = scaled_priors(X, Y)
    model = pymc_model.build_model(X, Y, SE, priors)
    point = {"a": 0.0, "b": 0.5, "tau_log__": np.log(0.05)}
    full = pymc_model.log_density(model, point)
    with model:
        import pymc as pm

        pm.set_data({"w": np.array([1.0, 1.0, 1.0, 0.0])})
    dropped = pymc_model.log_density(model, point)
    last = normal_logpdf(Y[3], 0.5 * X[3], np.sqrt(SE[3] ** 2 + 0.05**2))
    assert full - dropped == pytest.approx(last, rel=1e-9)


def test_prior_scales():
    priors = scaled_priors(X, Y)
    draws = pymc_model.prior_draws(pymc_model.build_model(X, Y, SE, priors), 4000, seed=0)
    assert np.std(draws["b"]) == pytest.approx(priors.b_sd, rel=0.05)
    assert np.mean(draws["a"]) == pytest.approx(priors.a_mean, abs=0.1 * priors.a_sd)
    assert (draws["tau"] > 0).all()


def test_grouped_model_has_group_parameters():
    priors = scaled_priors(X, Y)
    model = pymc_model.build_model(X, Y, SE, priors, group=np.array([0, 0, 1, 1]), n_groups=2)
    draws = pymc_model.prior_draws(model, 200, seed=1)
    assert draws["b_g"].shape == (1, 200, 2)
    assert {"a", "b", "tau", "a_g", "b_g", "tau_g"} <= set(draws)
