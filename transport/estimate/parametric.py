"""Parametric Bayesian estimation of the target effect under the file's sharing assumptions.

`fit_parametric(study, loaded, ...)` fits one model per mechanism and population (see
`transport.estimate.mechanisms` for the likelihoods, codings, priors and ties), samples it
with PyMC's NUTS or nutpie, and computes the target effect by simulating the target's
mechanisms under do(treatment = a) and do(treatment = b) for every posterior draw:

* the target's pre-treatment covariates that one of its data statements measures (closed
  under parents) come from that file's rows, reweighted per draw with Dirichlet(1) weights
  (the Bayesian bootstrap);
* every other variable the outcome depends on is simulated from the target's fitted
  mechanism (its own data, or a source's via the stated sharing), in causal order, with
  the same random numbers under both treatment values;
* the outcome enters through its expected value given its parents, so the effect is a
  difference in P(Y = 1) for a binary outcome and a difference in means otherwise.

Each source's own effect is computed the same way from its own mechanisms and rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from transport.errors import DataError
from transport.estimate import mechanism_draws as draws_math
from transport.estimate import mechanisms as mech
from transport.study import Study

CHUNK = 250  # draws simulated at once
SIMULATED_UNITS = 2000  # units when no data give the covariate distribution


@dataclass
class ParametricFit:
    """The posterior of the target effect and everything needed to check it."""

    effect: np.ndarray
    source_effects: dict[str, np.ndarray]
    idata: Any
    spec: mech.ModelSpec
    contrast: tuple
    sampler: str
    seed: int | None
    wall_time: float
    prior_effect: np.ndarray | None = None
    prior_only: bool = False
    notes: tuple[str, ...] = ()
    free_names: tuple[str, ...] = ()

    # --- summaries -------------------------------------------------------------------

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        lo = (1 - level) / 2
        return tuple(float(x) for x in np.quantile(self.effect, [lo, 1 - lo]))

    @property
    def mean(self) -> float:
        return float(np.mean(self.effect))

    def mcse(self) -> tuple[float, float]:
        """(Monte Carlo standard error of the effect's posterior mean, its bulk ESS)."""
        from transport.estimate import arviz_backend

        self._require_posterior()
        return arviz_backend.draws_mcse(self.effect, int(self.idata.posterior.sizes["chain"]))

    def free_parameters(self) -> list[str]:
        group = self.idata.posterior if not self.prior_only else self.idata.prior
        return [n for n in group.data_vars if n in self.free_names]

    def summary(self):
        """ArviZ summary (mean, sd, HDI, R-hat, bulk/tail ESS) of the free parameters."""
        from transport.estimate import arviz_backend

        return arviz_backend.summary(self.idata, self.free_parameters())

    def convergence(self):
        """Worst R-hat, ESS and the number of divergences."""
        from transport.estimate import arviz_backend

        self._require_posterior()
        return arviz_backend.convergence(self.idata, self.free_parameters())

    # --- log-likelihoods for assumption checks ----------------------------------------

    def log_likelihood_of(self, variable: str, population: str | None = None) -> np.ndarray:
        """Pointwise log-likelihood (chains, draws, rows) of one population's observations
        of one mechanism (default: the target's), under the fitted model."""
        self._require_posterior()
        population = population or self.spec.target
        spec = self.spec.mechanisms.get(variable)
        if spec is None or population not in spec.cells:
            raise DataError(f"no {population} data inform the mechanism of '{variable}'")
        from transport.estimate.pymc_backend import flat_draws

        names = [mech.param_name(variable, population, b) for b in spec.blocks()]
        post = self.idata.posterior
        chains, draws = post.sizes["chain"], post.sizes["draw"]
        theta = draws_math.theta_of(flat_draws(post, names), spec, population)
        ll = draws_math.row_log_likelihood(spec, theta, spec.cells[population])
        return ll.reshape(chains, draws, -1)

    def elpd_of(self, variable: str, population: str | None = None):
        """PSIS-LOO elpd of one population's observations of one mechanism."""
        from transport.estimate import arviz_backend

        return arviz_backend.loo(self.log_likelihood_of(variable, population))

    def _require_posterior(self) -> None:
        if self.prior_only:
            raise DataError("this fit holds prior draws only (prior_only=True)")


# --- the effect by simulation -----------------------------------------------------------


def _internal(study: Study, name: str, value) -> float:
    var = study.variable(name)
    if var.kind in ("categorical", "ordinal"):
        levels = list(var.levels)
        for i, level in enumerate(levels):
            if str(level) == str(value):
                return float(i)
        raise DataError(f"contrast value {value!r} is not a level of '{name}' ({levels})")
    return float(value)


def contrast_of(study: Study) -> tuple:
    q = study.query
    if q.contrast is not None:
        return tuple(q.contrast)
    var = study.variable(q.treatment)
    if var.kind == "binary":
        return (1, 0)
    raise DataError(
        f"the treatment '{q.treatment}' is {var.kind}: state the contrast, e.g. "
        f"`estimate effect of {q.treatment} on {q.outcome} in {q.population} contrast a vs b`"
    )


def _topological(study: Study, names: set[str]) -> list[str]:
    import networkx as nx

    graph = mech._graph(study)
    return [n for n in nx.lexicographical_topological_sort(graph) if n in names]


def empirical_covariates(study: Study, loaded, population: str, pre: set[str]):
    """(names, frame) of the data statement of `population` measuring the largest set of
    pre-treatment variables closed under (observed) parents; (set(), None) if none."""
    best: tuple[set[str], Any] = (set(), None)
    for item in loaded:
        if item.spec.population != population:
            continue
        have = (pre & set(item.frame.columns)) - set(item.spec.randomized)
        changed = True
        while changed:
            changed = False
            for v in sorted(have):
                parents = [p for p in study.parents(v) if study.variable(p).observed]
                if any(p not in have for p in parents):
                    have.discard(v)
                    changed = True
        if len(have) > len(best[0]):
            best = (have, item)
    return best


def _population_theta(spec: mech.ModelSpec, variable: str, population: str):
    """Which parameter set stands for `population`'s mechanism of `variable`, or None."""
    m = spec.mechanisms.get(variable)
    if m is None:
        return None
    if population in m.populations:
        return population
    if population != m.target and m.has_target and m.ties[population].mode == "same":
        return m.target
    return None


def simulate_effect(study: Study, spec: mech.ModelSpec, loaded, draws: Mapping[str, np.ndarray],
                    population: str, contrast: tuple, rng: np.random.Generator,
                    memo: dict | None = None):
    """Effect draws (D,) in `population` from flattened parameter draws; also a note on
    where the covariates came from.

    `memo` (a dict the caller keeps) remembers each chunk's bootstrap weights and seed
    drawn from `rng`, so calls with a generator in the same state (the robustness curve
    re-simulates one posterior under many shifts) skip redrawing them; the numbers are
    the same either way."""
    relevant, after = mech.relevant_variables(study)
    pre = {v for v in relevant - after if study.variable(v).observed}
    empirical, item = empirical_covariates(study, loaded, population, pre)
    order = _topological(study, {v for v in relevant if study.variable(v).observed})
    simulated = [v for v in order if v not in empirical]
    thetas = {}
    for v in simulated:
        owner = _population_theta(spec, v, population)
        if owner is None:
            raise DataError(f"no fitted {population} mechanism for '{v}'")
        thetas[v] = (spec.mechanisms[v], owner)
    D = len(next(iter(draws.values())))
    if item is not None:
        frame_values = draws_math.values_of(item.frame, study, sorted(empirical))
        # rows in a canonical order, so that the bootstrap's random weights (one per row)
        # do not depend on the order of the file's rows
        order = np.lexsort([np.asarray(frame_values[k]) for k in sorted(frame_values)][::-1])
        frame_values = {k: np.asarray(v)[order] for k, v in frame_values.items()}
        n = len(item.frame)
        where = f"{', '.join(sorted(empirical))} from {item.spec.path} (Bayesian bootstrap)"
    else:
        frame_values, n = {}, SIMULATED_UNITS
        where = "all simulated from the fitted mechanisms"
    exact = simulated == [spec.outcome] and item is not None
    if exact:
        # only the outcome is simulated, by its expected value: units with the same
        # covariates are one cell, and the bootstrap weights add up per cell
        matrix = np.column_stack([frame_values[k] for k in sorted(frame_values)])
        cells, inverse = np.unique(matrix, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        # the rows grouped by cell, and where each cell's rows start: the weights of a
        # cell's rows are summed with one reduceat (a dense rows x cells product costs
        # rows x cells per draw, which dominates once a covariate is continuous)
        by_cell = np.argsort(inverse, kind="stable")
        starts = np.searchsorted(inverse[by_cell], np.arange(len(cells)))
        base_values = {k: cells[:, i] for i, k in enumerate(sorted(frame_values))}
        units = len(cells)
    else:
        base_values, units = frame_values, n
    a, b = (_internal(study, spec.treatment, c) for c in contrast)
    out = np.empty(D)
    for start in range(0, D, CHUNK):
        stop = min(D, start + CHUNK)
        d = stop - start
        chunk_draws = {k: v[start:stop] for k, v in draws.items()}
        remembered = None if memo is None else memo.get((population, start))
        if remembered is not None:
            weights, seed = remembered
        else:
            if item is not None:
                weights = rng.standard_exponential((d, n))
                weights /= weights.sum(axis=1, keepdims=True)  # Dirichlet(1, ..., 1)
                if exact:
                    weights = np.add.reduceat(weights[:, by_cell], starts, axis=1)
            else:
                weights = np.full((d, n), 1 / n)
            seed = rng.integers(2**63)
            if memo is not None:
                memo[(population, start)] = (weights, seed)
        means = []
        for value in (a, b):
            arm_rng = np.random.default_rng(seed)  # the same random numbers in both arms
            if exact:
                values = dict(base_values)
                values[spec.treatment] = np.full(units, value)
            else:
                values = {k: np.broadcast_to(v, (d, units)) for k, v in base_values.items()}
                values[spec.treatment] = np.full((d, units), value)
            for v in simulated:
                m, owner = thetas[v]
                theta = draws_math.theta_of(chunk_draws, m, owner)
                if m.encoding.parents:
                    X = m.encoding.design({p.name: values[p.name] for p in m.encoding.parents})
                else:
                    X = np.zeros((units, 0) if exact else (d, units, 0))
                if v == spec.outcome:
                    values[v] = draws_math.expected_value(m, theta, X)
                else:
                    values[v] = draws_math.simulate(m, theta, X, arm_rng)
            means.append((weights * values[spec.outcome]).sum(axis=1))
        out[start:stop] = means[0] - means[1]
    return out, where


# --- the entry point --------------------------------------------------------------------


def fit_parametric(study: Study, loaded, *, draws: int, tune: int, chains: int,
                   seed: int | None, sampler: str = "pymc", cores: int = 2,
                   target_accept: float = 0.9,
                   shift_scale: float | Mapping[str, float] | None = None,
                   prior_only: bool = False, with_prior: bool = False,
                   aggregate: bool = True, progressbar: bool = False) -> ParametricFit:
    """Fit the parametric transport model and return the target effect's posterior.

    `shift_scale` relaxes every shared mechanism (a float) or the named ones (a dict
    {variable: sd}) with a Normal(0, sd) shift between each source and the target.
    `prior_only=True` skips NUTS: the effect draws are prior draws (`prior_effect` too);
    `with_prior=True` adds prior effect draws to a posterior fit (for contraction).
    """
    from transport.estimate import pymc_backend as backend

    if sampler not in ("pymc", "nutpie"):
        raise DataError(f"unknown sampler '{sampler}' (use pymc or nutpie)")
    contrast = contrast_of(study)
    q = study.query
    if study.variable(q.outcome).kind == "categorical":
        raise DataError(
            f"'{q.outcome}' is categorical: an effect on it is not one number; recode it as "
            "binary (one level against the rest) or make it ordinal"
        )
    spec = mech.build_spec(study, loaded, shift_scale=shift_scale, aggregate_rows=aggregate)
    where = q.population or spec.target
    model = backend.prepared(spec, aggregate=aggregate)  # compiled once per structure
    names = backend.parameter_names(spec)
    free = tuple(v.name for v in model.model.free_RVs)
    base_seed = 0 if seed is None else int(seed)
    notes = list(spec.notes)

    prior_effect = None
    idata = None
    wall = 0.0
    if prior_only or with_prior:
        prior = backend.sample_prior(model, spec, draws * chains, seed)
        prior_draws = backend.flat_draws(prior.prior, names)
        rng = np.random.default_rng([base_seed, 7])
        prior_effect, _ = simulate_effect(study, spec, loaded, prior_draws, where,
                                          contrast, rng)
        idata = prior
    if prior_only:
        fit = ParametricFit(prior_effect, {}, idata, spec, contrast, "prior", seed, 0.0,
                            prior_effect=prior_effect, prior_only=True, notes=tuple(notes),
                            free_names=free)
        return fit

    posterior, wall = backend.sample_posterior(
        model, draws=draws, tune=tune, chains=chains, seed=seed, sampler=sampler,
        cores=cores, target_accept=target_accept, progressbar=progressbar)
    backend.add_log_likelihood(posterior, spec)
    if idata is not None:
        posterior.extend(idata)
    idata = posterior
    flat = backend.flat_draws(idata.posterior, names)
    effect, _ = simulate_effect(
        study, spec, loaded, flat, where, contrast, np.random.default_rng([base_seed, 1]))
    source_effects = {}
    for i, source in enumerate(spec.sources):
        try:
            source_effects[source], _ = simulate_effect(
                study, spec, loaded, flat, source, contrast,
                np.random.default_rng([base_seed, 2, i]))
        except DataError as error:
            notes.append(f"no effect for source {source}: {error}")
    fit = ParametricFit(effect, source_effects, idata, spec, contrast, sampler, seed, wall,
                        prior_effect=prior_effect, notes=tuple(notes), free_names=free)
    return fit
