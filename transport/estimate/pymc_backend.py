"""The model spec compiled to PyMC: the only module (with `arviz_backend`) importing PyMC.

Parameters are anchored at the target: the target's blocks are free with the default
priors of `MechanismSpec.prior`; each source's blocks are the target's (shared), the
target's plus a shift `delta ~ Normal(0, sd)` (partial, or shared under a robustness
shift), or free (differs, undeclared), with edge-level ties copying single coefficient rows.
Every population's blocks are stored as `{variable}__{population}__{block}` (a free
variable or a Deterministic), so the effect simulation reads them from any sampler's draws.
Observed rows enter as sufficient statistics per cell (`aggregate=True`), whose
log-likelihood equals the sum over rows exactly (no binomial or multinomial constants).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Mapping

import numpy as np

# PyTensor warns on import when it finds no BLAS (pip installs); PyMC logs every sampling
# call. Neither is something a user of `transport` can act on, so keep the terminal quiet.
warnings.filterwarnings("ignore", message="PyTensor could not link to a BLAS")

import pymc as pm  # noqa: E402
import pytensor.tensor as pt  # noqa: E402

logging.getLogger("pymc").setLevel(logging.WARNING)  # after import: PyMC sets it on import

from transport.estimate.mechanisms import Cells, MechanismSpec, ModelSpec, param_name  # noqa: E402


def _free(name: str, spec: MechanismSpec, block: str, shape: tuple[int, ...], rows=None):
    mean, sd = spec.prior(block)
    mean = np.broadcast_to(np.asarray(mean, dtype=float), shape) if np.ndim(mean) else mean
    sd = np.broadcast_to(np.asarray(sd, dtype=float), shape) if np.ndim(sd) else sd
    if rows is not None:
        shape = (len(rows), *shape[1:])
    if int(np.prod(shape)) == 0:
        return pt.zeros(shape)
    return pm.Normal(name, mu=mean, sigma=sd, shape=shape)


def _source_block(spec: MechanismSpec, source: str, block: str, shape, base):
    """A source's block given the target's (`base`) and the tie."""
    tie = spec.ties[source]
    name = param_name(spec.variable, source, block)
    tied = list(tie.tied_columns) if block == "beta" else []
    free_rows = [j for j in range(shape[0]) if j not in tied] if block == "beta" else None
    if tie.mode == "same":
        return pm.Deterministic(name, base)
    if tie.mode == "shift":
        if block == "beta" and tied:
            if not free_rows:
                return pm.Deterministic(name, base)
            delta = pm.Normal(name + "_shift", 0.0, tie.sd, shape=(len(free_rows), shape[1]))
            shifted = pt.set_subtensor(base[free_rows], base[free_rows] + delta)
            return pm.Deterministic(name, shifted)
        if int(np.prod(shape)) == 0:
            return pm.Deterministic(name, base)
        delta = pm.Normal(name + "_shift", 0.0, tie.sd, shape=shape)
        return pm.Deterministic(name, base + delta)
    # free
    if block == "beta" and tied:
        if not free_rows:
            return pm.Deterministic(name, base)
        own = _free(name + "_free", spec, block, shape, rows=free_rows)
        return pm.Deterministic(name, pt.set_subtensor(base[free_rows], own))
    value = _free(name, spec, block, shape)
    return value if int(np.prod(shape)) else pm.Deterministic(name, value)


def _eta(theta, X):
    eta = pt.dot(pt.as_tensor(X), theta["beta"]) if X.shape[1] else pt.zeros((X.shape[0], 1))
    if "alpha" in theta:
        eta = eta + theta["alpha"][None, :]
    return eta


def _ordinal_probs(eta, cut):
    c = pt.cumsum(pt.concatenate([cut[:1], pt.exp(cut[1:])]))
    cdf = pm.math.sigmoid(c[None, :] - eta)
    n = eta.shape[0]
    cdf = pt.concatenate([pt.zeros((n, 1)), cdf, pt.ones((n, 1))], axis=1)
    return pt.clip(cdf[:, 1:] - cdf[:, :-1], 1e-300, 1.0)


def _log_probs(spec: MechanismSpec, theta, X):
    eta = _eta(theta, X)
    if spec.kind == "binary":
        return pt.stack([pt.log(pm.math.sigmoid(-eta[:, 0])),
                         pt.log(pm.math.sigmoid(eta[:, 0]))], axis=1)
    if spec.kind == "categorical":
        full = pt.concatenate([pt.zeros((eta.shape[0], 1)), eta], axis=1)
        return full - pt.logsumexp(full, axis=1, keepdims=True)
    return pt.log(_ordinal_probs(eta, theta["cut"]))


def _logp_counts(value, logp):
    return value * logp


def _logp_binary(value, eta, n):
    return value * pt.log(pm.math.sigmoid(eta)) + (n - value) * pt.log(pm.math.sigmoid(-eta))


def _logp_count(value, eta, n, log_fact):
    return value * eta - n * pt.exp(eta) - log_fact


def _logp_normal(value, mu, log_sigma, n, sum_y2):
    sigma = pt.exp(log_sigma)
    quad = sum_y2 - 2 * mu * value + n * mu**2
    return -n * (0.5 * np.log(2 * np.pi) + log_sigma) - 0.5 * quad / sigma**2


def _likelihood(spec: MechanismSpec, population: str, theta, cells: Cells, aggregate: bool):
    name = f"obs__{spec.variable}__{population}"
    X, s = cells.X, cells.stats
    if not aggregate:
        y = cells.rows_y
        eta = _eta(theta, X)
        if spec.kind == "binary":
            return pm.Bernoulli(name, logit_p=eta[:, 0], observed=y.astype(int))
        if spec.kind == "categorical":
            return pm.Categorical(name, logit_p=pt.concatenate(
                [pt.zeros((X.shape[0], 1)), eta], axis=1), observed=y.astype(int))
        if spec.kind == "ordinal":
            cut = theta["cut"]
            c = pt.cumsum(pt.concatenate([cut[:1], pt.exp(cut[1:])]))
            return pm.OrderedLogistic(name, eta=eta[:, 0], cutpoints=c, observed=y.astype(int))
        if spec.kind == "count":
            return pm.Poisson(name, mu=pt.exp(eta[:, 0]), observed=y.astype(int))
        return pm.Normal(name, mu=eta[:, 0], sigma=pt.exp(theta["log_sigma"][0]), observed=y)
    if spec.kind == "binary":
        return pm.CustomDist(name, _eta(theta, X)[:, 0], cells.n, logp=_logp_binary,
                             observed=s["k"])
    if spec.kind in ("categorical", "ordinal"):
        return pm.CustomDist(name, _log_probs(spec, theta, X), logp=_logp_counts,
                             observed=s["counts"])
    if spec.kind == "count":
        return pm.CustomDist(name, _eta(theta, X)[:, 0], cells.n, s["log_fact"],
                             logp=_logp_count, observed=s["sum_y"])
    return pm.CustomDist(name, _eta(theta, X)[:, 0], theta["log_sigma"][0], cells.n, s["sum_y2"],
                         logp=_logp_normal, observed=s["sum_y"])


def build_model(spec: ModelSpec, aggregate: bool = True) -> pm.Model:
    """The PyMC model of every mechanism in `spec`."""
    with pm.Model() as model:
        for mech in spec.mechanisms.values():
            thetas: dict[str, dict] = {}
            base = None
            if mech.has_target:
                base = {}
                for block, shape in mech.blocks().items():
                    name = param_name(mech.variable, mech.target, block)
                    value = _free(name, mech, block, shape)
                    if int(np.prod(shape)) == 0:
                        value = pm.Deterministic(name, value)
                    base[block] = value
                thetas[mech.target] = base
            for population in mech.populations:
                if population == mech.target:
                    continue
                theta = {}
                for block, shape in mech.blocks().items():
                    if base is None:
                        name = param_name(mech.variable, population, block)
                        value = _free(name, mech, block, shape)
                        if int(np.prod(shape)) == 0:
                            value = pm.Deterministic(name, value)
                        theta[block] = value
                    else:
                        theta[block] = _source_block(mech, population, block, shape, base[block])
                thetas[population] = theta
            for population, cells in mech.cells.items():
                _likelihood(mech, population, thetas[population], cells, aggregate)
    return model


def parameter_names(spec: ModelSpec) -> list[str]:
    """The per-population block names (free or Deterministic) the simulation reads."""
    return [param_name(m.variable, p, b) for m in spec.mechanisms.values()
            for p in m.populations for b in m.blocks()]


def sample_posterior(model: pm.Model, *, draws: int, tune: int, chains: int, seed: int | None,
                     sampler: str = "pymc", cores: int = 2, target_accept: float = 0.9,
                     progressbar: bool = False):
    """NUTS with PyMC or nutpie; the log-likelihood group is added for both. Returns
    (InferenceData, wall seconds including compilation)."""
    start = time.perf_counter()
    with model:
        if sampler == "nutpie":
            idata = pm.sample(draws=draws, tune=tune, chains=chains, random_seed=seed,
                              nuts_sampler="nutpie", target_accept=target_accept,
                              progressbar=progressbar,
                              nuts_sampler_kwargs={"cores": cores})
        elif sampler == "pymc":
            idata = pm.sample(draws=draws, tune=tune, chains=chains, cores=cores,
                              random_seed=seed, target_accept=target_accept,
                              progressbar=progressbar, compute_convergence_checks=False)
        else:
            raise ValueError(f"unknown sampler '{sampler}' (use pymc or nutpie)")
        pm.compute_log_likelihood(idata, progressbar=False)
    return idata, time.perf_counter() - start


def sample_prior(model: pm.Model, spec: ModelSpec, draws: int, seed: int | None):
    """Prior draws of every population's parameter blocks (no observed variables)."""
    with model:
        return pm.sample_prior_predictive(draws=draws, var_names=parameter_names(spec),
                                          random_seed=seed,
                                          compile_kwargs={"mode": "FAST_COMPILE"})


def flat_draws(group, names) -> dict[str, np.ndarray]:
    """{name: (chains*draws, ...)} from an InferenceData group."""
    out = {}
    for name in names:
        values = np.asarray(group[name].values)
        out[name] = values.reshape(values.shape[0] * values.shape[1], *values.shape[2:])
    return out


def model_logp(model: pm.Model, point: Mapping[str, np.ndarray]) -> float:
    """The model's joint log density at a point of its free variables (tests)."""
    fn = model.compile_logp(jacobian=False, mode="FAST_COMPILE")
    return float(fn(dict(point)))
