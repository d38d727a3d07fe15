"""The model spec compiled to PyMC: the only module (with `arviz_backend`) importing PyMC.

Parameters are anchored at the target: the target's blocks are free with the default
priors of `MechanismSpec.prior`; each source's blocks are the target's (shared), the
target's plus a shift `delta ~ Normal(0, sd)` (partial, or shared under a robustness
shift), or free (differs, undeclared), with edge-level ties copying single coefficient rows.
Every population's blocks are stored as `{variable}__{population}__{block}` (a free
variable or a Deterministic), so the effect simulation reads them from any sampler's draws.
Observed rows enter as sufficient statistics per cell (`aggregate=True`), whose
log-likelihood equals the sum over rows exactly (no binomial or multinomial constants).

Compile once per model structure. Everything that depends on the data — design rows,
cell statistics, the data-scaled prior means and sds, the shift sds — enters the graph as
`pm.Data` (shared variables of free shape), so the graph depends only on the structure
(`structure_key`: kinds, parents' design widths, populations, ties). `prepared(spec)` keeps
one built model per structure in this process, with its compiled nutpie model, PyMC NUTS
step and prior sampler made on first use; a re-estimate, a refit without one mechanism's
tie, a leave-out refit or a report build on the same structure swaps the data in
(`pm.set_data`, `CompiledPyMCModel.with_data`) instead of compiling again. Across
processes, PyTensor's own compile directory (C modules, and numba's cache of the generated
functions, under `pytensor.config.compiledir`) is what is reused; see docs/performance.md.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# PyTensor warns on import when it finds no BLAS (pip installs); PyMC logs every sampling
# call. Neither is something a user of `transport` can act on, so keep the terminal quiet.
warnings.filterwarnings("ignore", message="PyTensor could not link to a BLAS")
# ArviZ 0.2x announces its coming refactor on import (a FutureWarning to developers)
warnings.filterwarnings("ignore", message=r"\s*ArviZ is undergoing a major refactor",
                        category=FutureWarning)

import pymc as pm  # noqa: E402
import pytensor.tensor as pt  # noqa: E402

logging.getLogger("pymc").setLevel(logging.WARNING)  # after import: PyMC sets it on import

from transport.estimate.mechanisms import MechanismSpec, ModelSpec, param_name  # noqa: E402


def data_name(kind: str, *parts: str) -> str:
    """The name of one data container of the model."""
    return "__".join(("data", kind, *parts))


def _prior_data(name: str, spec: MechanismSpec, block: str, shape: tuple[int, ...]) -> dict:
    mean, sd = spec.prior(block)
    return {data_name("mu", name): np.broadcast_to(np.asarray(mean, dtype=float), shape).copy(),
            data_name("sd", name): np.broadcast_to(np.asarray(sd, dtype=float), shape).copy()}


def _free_names(spec: MechanismSpec, population: str, block: str) -> str | None:
    """The name of the free Normal of this block, if the block has one."""
    shape = spec.blocks()[block]
    if int(np.prod(shape)) == 0:
        return None
    name = param_name(spec.variable, population, block)
    if population == spec.target or not spec.has_target:
        return name
    tie = spec.ties[population]
    tied = list(tie.tied_columns) if block == "beta" else []
    free_rows = [j for j in range(shape[0]) if j not in tied] if block == "beta" else None
    if tie.mode == "same" or (tied and not free_rows):
        return None
    if tie.mode == "shift":
        return name + "_shift"
    return name + "_free" if tied else name


def model_data(spec: ModelSpec, aggregate: bool = True) -> dict[str, np.ndarray]:
    """Every data container's value: what changes between fits of one structure."""
    out: dict[str, np.ndarray] = {}
    for m in spec.mechanisms.values():
        for population in m.populations:
            for block, shape in m.blocks().items():
                free = _free_names(m, population, block)
                if free is None:
                    continue
                if free.endswith("_shift"):
                    out[data_name("sd", free)] = np.asarray(float(m.ties[population].sd))
                else:
                    out.update(_prior_data(free, m, block, shape))
        for population, cells in m.cells.items():
            key = (m.variable, population)
            if m.encoding.width:
                out[data_name("X", *key)] = np.asarray(
                    cells.X if aggregate else cells.rows_X, dtype=float)
            if not aggregate:
                out[data_name("y", *key)] = np.asarray(
                    cells.rows_y, dtype=float if m.kind == "continuous" else int)
                continue
            out[data_name("n", *key)] = np.asarray(cells.n, dtype=float)
            for stat, value in sorted(cells.stats.items()):
                out[data_name(stat, *key)] = np.asarray(value, dtype=float)
    return out


def structure_key(spec: ModelSpec, aggregate: bool = True) -> tuple:
    """What the model's graph depends on (not its data): two specs with one key have one
    compiled model."""
    parts = []
    for m in spec.mechanisms.values():
        ties = tuple((p, m.ties[p].mode, tuple(m.ties[p].tied_columns))
                     for p in m.populations if p != m.target and p in m.ties)
        parts.append((m.variable, m.kind, m.n_levels, m.encoding.width,
                      tuple(sorted(m.blocks().items())), m.populations, m.target,
                      m.has_target, ties, tuple(sorted(m.cells))))
    return (bool(aggregate), tuple(parts))


class _Inputs:
    """The model's data containers by name (created on first use, inside the model)."""

    def __init__(self, values: Mapping[str, np.ndarray]):
        self.values = values
        self.made: dict = {}

    def __call__(self, name: str):
        if name not in self.made:
            self.made[name] = pm.Data(name, self.values[name])
        return self.made[name]


def _free(name: str, block_shape: tuple[int, ...], data: _Inputs, rows=None):
    if int(np.prod(block_shape)) == 0:
        return pt.zeros(block_shape)
    mean, sd = data(data_name("mu", name)), data(data_name("sd", name))
    shape = block_shape
    if rows is not None:
        mean, sd = mean[rows], sd[rows]
        shape = (len(rows), *block_shape[1:])
    return pm.Normal(name, mu=mean, sigma=sd, shape=shape)


def _source_block(spec: MechanismSpec, source: str, block: str, shape, base, data: _Inputs):
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
            delta = pm.Normal(name + "_shift", 0.0, data(data_name("sd", name + "_shift")),
                              shape=(len(free_rows), shape[1]))
            shifted = pt.set_subtensor(base[free_rows], base[free_rows] + delta)
            return pm.Deterministic(name, shifted)
        if int(np.prod(shape)) == 0:
            return pm.Deterministic(name, base)
        delta = pm.Normal(name + "_shift", 0.0, data(data_name("sd", name + "_shift")),
                          shape=shape)
        return pm.Deterministic(name, base + delta)
    # free
    if block == "beta" and tied:
        if not free_rows:
            return pm.Deterministic(name, base)
        own = _free(name + "_free", shape, data, rows=free_rows)
        return pm.Deterministic(name, pt.set_subtensor(base[free_rows], own))
    value = _free(name, shape, data)
    return value if int(np.prod(shape)) else pm.Deterministic(name, value)


def _eta(theta, X, width: int, n_units):
    """The linear predictor (units, width); `X` is None when the mechanism has no parents."""
    eta = pt.dot(X, theta["beta"]) if X is not None else pt.zeros((n_units, width))
    if "alpha" in theta:
        eta = eta + theta["alpha"][None, :]
    return eta


def _ordinal_probs(eta, cut):
    c = pt.cumsum(pt.concatenate([cut[:1], pt.exp(cut[1:])]))
    cdf = pm.math.sigmoid(c[None, :] - eta)
    n = eta.shape[0]
    cdf = pt.concatenate([pt.zeros((n, 1)), cdf, pt.ones((n, 1))], axis=1)
    return pt.clip(cdf[:, 1:] - cdf[:, :-1], 1e-300, 1.0)


def _log_probs(spec: MechanismSpec, eta, theta):
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


def _likelihood(spec: MechanismSpec, population: str, theta, data: _Inputs, aggregate: bool):
    name = f"obs__{spec.variable}__{population}"
    key = (spec.variable, population)
    X = data(data_name("X", *key)) if spec.encoding.width else None
    if not aggregate:
        y = data(data_name("y", *key))
        eta = _eta(theta, X, spec.width, y.shape[0])
        if spec.kind == "binary":
            return pm.Bernoulli(name, logit_p=eta[:, 0], observed=y)
        if spec.kind == "categorical":
            return pm.Categorical(name, logit_p=pt.concatenate(
                [pt.zeros((eta.shape[0], 1)), eta], axis=1), observed=y)
        if spec.kind == "ordinal":
            cut = theta["cut"]
            c = pt.cumsum(pt.concatenate([cut[:1], pt.exp(cut[1:])]))
            return pm.OrderedLogistic(name, eta=eta[:, 0], cutpoints=c, observed=y)
        if spec.kind == "count":
            return pm.Poisson(name, mu=pt.exp(eta[:, 0]), observed=y)
        return pm.Normal(name, mu=eta[:, 0], sigma=pt.exp(theta["log_sigma"][0]), observed=y)
    n = data(data_name("n", *key))
    eta = _eta(theta, X, spec.width, n.shape[0])

    def stat(which):
        return data(data_name(which, *key))

    if spec.kind == "binary":
        return pm.CustomDist(name, eta[:, 0], n, logp=_logp_binary, observed=stat("k"))
    if spec.kind in ("categorical", "ordinal"):
        return pm.CustomDist(name, _log_probs(spec, eta, theta), logp=_logp_counts,
                             observed=stat("counts"))
    if spec.kind == "count":
        return pm.CustomDist(name, eta[:, 0], n, stat("log_fact"), logp=_logp_count,
                             observed=stat("sum_y"))
    return pm.CustomDist(name, eta[:, 0], theta["log_sigma"][0], n, stat("sum_y2"),
                         logp=_logp_normal, observed=stat("sum_y"))


def build_model(spec: ModelSpec, aggregate: bool = True) -> pm.Model:
    """The PyMC model of every mechanism in `spec` (a fresh one; `prepared` reuses one)."""
    data = _Inputs(model_data(spec, aggregate))
    with pm.Model() as model:
        for m in spec.mechanisms.values():
            thetas: dict[str, dict] = {}
            base = None
            if m.has_target:
                base = {}
                for block, shape in m.blocks().items():
                    name = param_name(m.variable, m.target, block)
                    value = _free(name, shape, data)
                    if int(np.prod(shape)) == 0:
                        value = pm.Deterministic(name, value)
                    base[block] = value
                thetas[m.target] = base
            for population in m.populations:
                if population == m.target:
                    continue
                theta = {}
                for block, shape in m.blocks().items():
                    if base is None:
                        name = param_name(m.variable, population, block)
                        value = _free(name, shape, data)
                        if int(np.prod(shape)) == 0:
                            value = pm.Deterministic(name, value)
                        theta[block] = value
                    else:
                        theta[block] = _source_block(m, population, block, shape, base[block],
                                                     data)
                thetas[population] = theta
            for population in m.cells:
                _likelihood(m, population, thetas[population], data, aggregate)
    unused = set(data.values) - set(data.made)
    if unused:  # model_data and the graph disagree: a bug, not a user error
        raise AssertionError(f"data containers not in the model: {sorted(unused)}")
    return model


def parameter_names(spec: ModelSpec) -> list[str]:
    """The per-population block names (free or Deterministic) the simulation reads."""
    return [param_name(m.variable, p, b) for m in spec.mechanisms.values()
            for p in m.populations for b in m.blocks()]


# --- one compiled model per structure ----------------------------------------------------

#: Structures kept compiled in one process (least recently used dropped first).
CACHE_SIZE = 16


@dataclass
class Prepared:
    """One structure's model and what was compiled from it, with the current data set.

    `nutpie`, `steps` (PyMC's compiled log density and gradient) and `prior_fn` are
    filled on first use; `compiled` counts the
    compilations (tests and benchmarks read it)."""

    key: tuple
    model: pm.Model
    nutpie: Any = None
    steps: dict = field(default_factory=dict)
    prior_fn: Any = None
    data: dict = field(default_factory=dict)
    compiled: dict = field(default_factory=dict)


_CACHE: OrderedDict[tuple, Prepared] = OrderedDict()


def prepared(spec: ModelSpec, aggregate: bool = True) -> Prepared:
    """The model of `spec`'s structure, built once per process, holding `spec`'s data.

    The entry is shared: sample from it before preparing another spec of the same
    structure (one fit at a time per process; the cache is not thread-safe)."""
    key = structure_key(spec, aggregate)
    entry = _CACHE.get(key)
    if entry is None:
        entry = Prepared(key, build_model(spec, aggregate))
        _CACHE[key] = entry
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    values = model_data(spec, aggregate)
    pm.set_data(values, model=entry.model)
    entry.data = values
    return entry


def clear_cache() -> None:
    """Forget every compiled model (tests)."""
    _CACHE.clear()


def _as_prepared(model: Prepared | pm.Model) -> Prepared:
    """A bare model (tests, one-off use) wrapped as an uncached entry."""
    return model if isinstance(model, Prepared) else Prepared(None, model)


def _count(entry: Prepared, what: str) -> None:
    entry.compiled[what] = entry.compiled.get(what, 0) + 1


def _nutpie(entry: Prepared):
    import nutpie

    if entry.nutpie is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            entry.nutpie = nutpie.compile_pymc_model(entry.model, freeze_model=False)
        _count(entry, "nutpie")
    names = set(entry.nutpie.shared_data)
    return entry.nutpie.with_data(**{k: v for k, v in entry.data.items() if k in names})


def _pymc_step(entry: Prepared, target_accept: float, chains: int, seed: int | None):
    """PyMC's NUTS as `pm.sample` would set it up by default (init "jitter+adapt_diag":
    jittered starting points per chain, a diagonal mass matrix adapted from their mean),
    around a log density and gradient function compiled once per structure."""
    from pymc.blocking import DictToArrayBijection
    from pymc.sampling.mcmc import _init_jitter
    from pymc.step_methods.hmc.quadpotential import QuadPotentialDiagAdapt
    from pymc.util import _get_seeds_per_chain

    model = entry.model
    if "logp_dlogp" not in entry.steps:
        with model:
            func = model.logp_dlogp_function(ravel_inputs=True)
        func.trust_input = True
        entry.steps["logp_dlogp"] = func
        _count(entry, "pymc")
    func = entry.steps["logp_dlogp"]
    seeds = _get_seeds_per_chain(seed, chains)

    def logp(point):
        q, _ = DictToArrayBijection.map(point)
        return func([q], extra_vars={})[0]

    starts = _init_jitter(model, None, seeds=seeds, jitter=True, jitter_max_retries=10,
                          logp_fn=logp)
    flat = [DictToArrayBijection.map(p).data for p in starts]
    mean = np.mean(flat, axis=0)
    potential = QuadPotentialDiagAdapt(len(mean), mean, np.ones_like(mean), 10, rng=seeds[0])
    with model:
        step = pm.NUTS(potential=potential, target_accept=target_accept, rng=seeds[0],
                       initial_point=starts[0], logp_dlogp_func=func)
    names = {v.name for v in model.value_vars}
    return step, [{k: v for k, v in p.items() if k in names} for p in starts]


def _seed(seed: int | None) -> int:
    """PyMC's own reduction of a seed to one integer (so that numbers stay as they were)."""
    from pymc.util import _get_seeds_per_chain

    return int(_get_seeds_per_chain(seed, 1)[0])


def sample_posterior(model: Prepared | pm.Model, *, draws: int, tune: int, chains: int,
                     seed: int | None, sampler: str = "pymc", cores: int = 2,
                     target_accept: float = 0.9, progressbar: bool = False):
    """NUTS with PyMC or nutpie on a prepared model (compiled on its first use only).
    Returns (InferenceData, wall seconds including any compilation)."""
    start = time.perf_counter()
    model = _as_prepared(model)
    if sampler == "nutpie":
        import nutpie

        compiled = _nutpie(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            idata = nutpie.sample(compiled, draws=draws, tune=tune, chains=chains,
                                  target_accept=target_accept, seed=_seed(seed),
                                  progress_bar=progressbar, cores=cores)
    elif sampler == "pymc":
        step, starts = _pymc_step(model, target_accept, chains, seed)
        with model.model:
            idata = pm.sample(draws=draws, tune=tune, chains=chains, cores=cores, step=step,
                              initvals=starts, random_seed=seed, progressbar=progressbar,
                              compute_convergence_checks=False)
    else:
        raise ValueError(f"unknown sampler '{sampler}' (use pymc or nutpie)")
    return idata, time.perf_counter() - start


def add_log_likelihood(idata, spec: ModelSpec) -> None:
    """The `log_likelihood` group: each population's log-likelihood per cell and draw,
    `obs__{variable}__{population}` (chains, draws, cells), computed with numpy from the
    draws (what `pm.compute_log_likelihood` gives, without compiling a function)."""
    import xarray as xr

    from transport.estimate.mechanism_draws import cell_log_likelihoods, theta_of

    post = idata.posterior
    chains, n_draws = post.sizes["chain"], post.sizes["draw"]
    group = {}
    for m in spec.mechanisms.values():
        for population, cells in m.cells.items():
            names = [param_name(m.variable, population, b) for b in m.blocks()]
            theta = theta_of(flat_draws(post, names), m, population)
            values = cell_log_likelihoods(m, theta, cells).reshape(chains, n_draws, -1)
            name = f"obs__{m.variable}__{population}"
            group[name] = xr.DataArray(
                values, dims=("chain", "draw", f"{name}_dim_0"),
                coords={"chain": post.chain.values, "draw": post.draw.values})
    idata.add_groups(log_likelihood=xr.Dataset(group))


def _prior_sampler(entry: Prepared, names: list[str]):
    """Compile, once per structure, (1) the Normal prior's (mu, sigma) of every free
    variable, read from the current data, and (2) every parameter block as a function of
    the free variables with a leading draws axis (the graph vectorised), so that all prior
    draws are one numpy draw and one call."""
    import pytensor
    from pytensor.graph.replace import vectorize_graph

    model = entry.model
    free = list(model.free_RVs)
    if any(rv.owner.op.name != "normal" for rv in free):  # build_model makes only Normals
        raise AssertionError("the prior sampler expects Normal free variables")
    params = [p for rv in free for p in rv.owner.op.dist_params(rv.owner)]
    batched = {rv: pt.tensor(f"{rv.name}_draws", shape=(None, *[None] * rv.ndim))
               for rv in free}
    outputs = vectorize_graph([model[n] for n in names], replace=batched)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        moments = pytensor.function([], params, mode="FAST_COMPILE")
        blocks = pytensor.function([batched[rv] for rv in free], outputs, mode="FAST_COMPILE",
                                   on_unused_input="ignore")
    shapes = [tuple(int(d) for d in rv.shape.eval()) for rv in free]
    return moments, blocks, shapes


def sample_prior(model: Prepared | pm.Model, spec: ModelSpec, draws: int, seed: int | None):
    """Prior draws of every population's parameter blocks (no observed variables): every
    free variable is Normal, drawn with numpy; the blocks (shared, shifted, tied) follow
    from them through a function compiled once per structure."""
    import arviz as az

    names = sorted(parameter_names(spec))
    model = _as_prepared(model)
    if model.prior_fn is None:
        model.prior_fn = _prior_sampler(model, names)
        _count(model, "prior")
    moments, blocks, shapes = model.prior_fn
    values = moments()
    rng = np.random.default_rng(None if seed is None else [int(seed), 5])
    free = []
    for k, shape in enumerate(shapes):
        mu, sigma = (np.broadcast_to(v, shape) for v in values[2 * k: 2 * k + 2])
        free.append(mu + sigma * rng.standard_normal((draws, *shape)))
    out = blocks(*free)
    shape_of = {param_name(m.variable, p, b): shape for m in spec.mechanisms.values()
                for p in m.populations for b, shape in m.blocks().items()}
    # a block that depends on no free variable (an empty one) has no draws axis yet
    prior = {n: np.broadcast_to(np.asarray(v), (draws, *shape_of[n]))[None].copy()
             for n, v in zip(names, out, strict=True)}
    return az.from_dict(prior=prior)


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
