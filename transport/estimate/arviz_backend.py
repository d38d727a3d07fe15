"""ArviZ calls behind small helpers: convergence summaries and LOO."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Convergence:
    """The worst convergence numbers over the model's free parameters."""

    max_rhat: float
    min_ess_bulk: float
    min_ess_tail: float
    divergences: int
    draws: int
    chains: int

    @property
    def ok(self) -> bool:
        return self.max_rhat < 1.01 and self.min_ess_bulk >= 400 and self.divergences == 0

    def to_json(self) -> dict:
        return {**self.__dict__, "ok": self.ok}


@dataclass(frozen=True)
class Elpd:
    """PSIS-LOO expected log predictive density of some observations."""

    elpd: float
    se: float
    p_loo: float
    n: int
    max_pareto_k: float

    def to_json(self) -> dict:
        return dict(self.__dict__)


def summary(idata, var_names: list[str] | None = None) -> pd.DataFrame:
    """Mean, sd, 94% HDI, R-hat, bulk and tail ESS per parameter."""
    import arviz as az

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return az.summary(idata, var_names=var_names, kind="all")


def convergence(idata, var_names: list[str] | None = None) -> Convergence:
    import arviz as az

    post = idata.posterior
    names = [n for n in (var_names or list(post.data_vars)) if n in post]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rhat = az.rhat(post, var_names=names)
        bulk = az.ess(post, var_names=names, method="bulk")
        tail = az.ess(post, var_names=names, method="tail")

    def extreme(ds, fn):
        values = [np.asarray(ds[n].values, dtype=float).ravel() for n in ds.data_vars]
        values = np.concatenate(values) if values else np.array([np.nan])
        values = values[np.isfinite(values)]
        return float(fn(values)) if len(values) else float("nan")

    divergences = 0
    if "sample_stats" in idata.groups() and "diverging" in idata.sample_stats:
        divergences = int(np.asarray(idata.sample_stats["diverging"].values).sum())
    return Convergence(
        max_rhat=extreme(rhat, np.max),
        min_ess_bulk=extreme(bulk, np.min),
        min_ess_tail=extreme(tail, np.min),
        divergences=divergences,
        draws=int(post.sizes["draw"]),
        chains=int(post.sizes["chain"]),
    )


def loo(log_lik: np.ndarray) -> Elpd:
    """PSIS-LOO from a pointwise log-likelihood array (chains, draws, n)."""
    import arviz as az

    chains, draws, n = log_lik.shape
    idata = az.from_dict(posterior={"_": np.zeros((chains, draws))}, log_likelihood={"y": log_lik})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = az.loo(idata, var_name="y", pointwise=True)
    return Elpd(
        elpd=float(result["elpd_loo"]),
        se=float(result["se"]),
        p_loo=float(result["p_loo"]),
        n=int(n),
        max_pareto_k=float(np.max(result["pareto_k"].values)),
    )


def loo_difference(log_lik_a: np.ndarray, log_lik_b: np.ndarray) -> tuple[float, float, float]:
    """elpd_loo(a) − elpd_loo(b) over the same observations, the standard error of that
    difference (from the pointwise differences) and the larger Pareto k of the two."""
    import arviz as az

    pointwise, worst = [], 0.0
    for log_lik in (log_lik_a, log_lik_b):
        chains, draws, _ = log_lik.shape
        idata = az.from_dict(posterior={"_": np.zeros((chains, draws))},
                             log_likelihood={"y": log_lik})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = az.loo(idata, var_name="y", pointwise=True)
        pointwise.append(np.asarray(result["loo_i"].values, dtype=float))
        worst = max(worst, float(np.max(result["pareto_k"].values)))
    difference = pointwise[0] - pointwise[1]
    se = float(np.sqrt(len(difference) * difference.var())) if len(difference) > 1 else np.nan
    return float(difference.sum()), se, worst


def draws_mcse(values: np.ndarray, chains: int) -> tuple[float, float]:
    """(Monte Carlo standard error of the mean, bulk ESS) of flattened chain-major draws."""
    import arviz as az

    array = np.asarray(values, dtype=float).reshape(chains, -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = az.convert_to_dataset({"x": array})
        mcse = float(az.mcse(dataset, method="mean")["x"].item())
        ess = float(az.ess(dataset, method="bulk")["x"].item())
    return mcse, ess


def inference_data(effect: np.ndarray, chains: int, sources: dict[str, np.ndarray],
                   prior: np.ndarray | None, rows: dict[str, int], diagnostics: dict):
    """An ArviZ InferenceData of an estimate: the target effect and each source's own effect
    in the posterior group (chains kept: the draws are split into `chains` equal runs, in
    the order they were drawn), the prior effect where one was drawn, the rows each data
    statement gave as observed data, and the sampler's statistics where MCMC ran."""
    import arviz as az

    def shaped(values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        k = chains if chains > 0 and values.size % chains == 0 else 1
        return values.reshape(k, -1)

    posterior = {"effect": shaped(effect)}
    posterior.update({f"effect_{name}": shaped(draws) for name, draws in sources.items()
                      if np.asarray(draws).size == np.asarray(effect).size})
    groups = {"posterior": posterior}
    if prior is not None:
        groups["prior"] = {"effect": shaped(prior)}
    idata = az.from_dict(
        **groups,
        observed_data={"rows": np.asarray(list(rows.values()), dtype=float)},
        coords={"data_statement": list(rows)},
        dims={"rows": ["data_statement"]},
    )
    numbers = {k: v for k, v in diagnostics.items() if isinstance(v, int | float)}
    idata.attrs.update({f"diagnostic_{k}": v for k, v in numbers.items()})
    return idata
