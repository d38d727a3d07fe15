"""Mixed-subjects estimates for a study: the target's rows that carry sources' per-unit
predictions of the outcome (`predictions { }` on a data statement) become PPI++ and its
Bayesian counterpart, with the statements' clusters and weights.

Labelled units are the target's rows that measure the outcome, with the treatment
measured (randomised or not: PPI++ assumes only that labelled units are a random sample of
the units it speaks about); unlabelled units are the target's rows with predictions but no
outcome. Data statements are taken in a fixed order (path, design), so statement order
never matters. With no predictions in the file, the older cell-means PPI++ (ppi.py) is
reported instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError, Units
from transport.estimate.mixed_subjects.ppi import ppi_difference
from transport.estimate.mixed_subjects.results import BayesPPIResult, ClassicalFit, PPIResult
from transport.estimate.ppi import PPINotApplied
from transport.estimate.summary import hdi
from transport.study import Study

PER_UNIT = "per-unit predictions"


@dataclass(frozen=True)
class PredictionsPPI:
    """PPI++ from the target rows' per-unit predictions, with the clusters the data
    statements declare and the one assumption it rests on."""

    result: PPIResult
    cluster: str | None
    assumption: str
    applies = True
    kind = PER_UNIT

    @property
    def predictor(self) -> str:
        return self.result.chosen.predictor

    @property
    def estimate(self) -> float:
        return self.result.estimate

    @property
    def se(self) -> float:
        return self.result.se

    @property
    def ci_95(self) -> tuple[float, float]:
        return self.result.ci

    @property
    def classical(self) -> ClassicalFit:
        return self.result.classical

    @property
    def n_labelled(self) -> int:
        return self.result.n_labelled

    @property
    def effective_human_n(self) -> float:
        return self.result.chosen.effective_human_n

    @property
    def llm_worth_n(self) -> float:
        """The human units the predictions are worth beyond the labelled ones."""
        return self.result.chosen.effective_human_n - self.result.n_labelled

    @property
    def weighted(self) -> bool:
        return self.result.weighted

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.result.warnings

    def to_json(self) -> dict[str, Any]:
        classical = self.result.classical.to_json()
        return dict(self.result.to_json(), applies=True, kind=self.kind,
                    ci_95=[float(c) for c in self.result.ci], cluster=self.cluster,
                    weighted=self.result.weighted,
                    classical=dict(classical, ci_95=classical["ci"]),
                    assumption=self.assumption, llm_worth_n=self.llm_worth_n)


@dataclass(frozen=True)
class BayesPPIEstimate:
    """The Bayesian counterpart of PPI++ as the estimate reports it: the chosen fit's
    posterior mean and 95% HDI (the toolkit's HDI, as every other estimate shown)."""

    result: BayesPPIResult
    mean: float
    hdi_95: tuple[float, float]

    @property
    def predictor(self) -> str:
        return self.result.chosen.predictor

    def to_json(self) -> dict[str, Any]:
        return dict(self.result.to_json(), mean=self.mean, hdi_95=list(self.hdi_95),
                    predictor=self.predictor)


@dataclass(frozen=True)
class MixedSubjectsEstimates:
    """PPI++ (or why it does not apply), its Bayesian counterpart and that one's draws."""

    ppi: PredictionsPPI | PPINotApplied
    bayes: BayesPPIEstimate | None
    draws: np.ndarray | None


def _ordered(loaded: Sequence[LoadedData]) -> list[LoadedData]:
    return sorted(loaded, key=lambda d: (d.population, d.spec.path, d.spec.design()))


def _units(study: Study, items: Sequence[LoadedData], labelled: bool) -> Units | None:
    """The rows of `items` as one set of units (None when there are none)."""
    query = study.query
    outcome = query.outcome
    arms, outcomes, clusters, weights = [], [], [], []
    predictions: dict[str, list[np.ndarray]] = {}
    sources = sorted({s for d in items for s in d.design.sources_for(outcome)})
    for data in items:
        if set(data.design.sources_for(outcome)) != set(sources):
            continue
        arms.append(np.asarray(data.frame[query.treatment]).astype(object))
        if labelled:
            outcomes.append(np.asarray(data.frame[outcome], dtype=float))
        for source in sources:
            predictions.setdefault(source, []).append(data.design.prediction(outcome, source))
        cluster = data.design.cluster
        clusters.append(None if cluster is None else
                        np.asarray([f"{data.spec.cluster}={label}" for label in
                                    np.asarray(cluster.labels)[cluster.codes]], dtype=object))
        weight = data.design.weight
        weights.append(None if weight is None else np.asarray(weight.values, dtype=float))
    if not arms:
        return None
    n = sum(len(a) for a in arms)
    cluster = (np.concatenate([c if c is not None else np.asarray(
        [f"row {i}" for i in range(len(a))], dtype=object) for c, a in zip(clusters, arms,
                                                                             strict=True)])
        if any(c is not None for c in clusters) else None)
    weight = (np.concatenate([w if w is not None else np.ones(len(a))
                              for w, a in zip(weights, arms, strict=True)])
              if any(w is not None for w in weights) else None)
    return Units(
        arm=np.concatenate(arms),
        predictions={s: np.concatenate(v) for s, v in predictions.items()},
        outcome=np.concatenate(outcomes) if labelled else None,
        cluster=cluster, weight=weight,
    ) if n else None


def _column(items: Sequence[LoadedData], attribute: str) -> str | None:
    names = sorted({getattr(d.spec, attribute) for d in items if getattr(d.spec, attribute)})
    return ", ".join(names) if names else None


def mixed_subjects(study: Study, loaded: Sequence[LoadedData], seed: int, draws: int
                   ) -> MixedSubjectsEstimates | None:
    """PPI++ and the Bayesian joint model from per-unit predictions; None when no target
    data statement carries predictions of the outcome."""
    query = study.query
    target, outcome = study.target.name, query.outcome
    carrying = [d for d in _ordered(loaded)
                if d.population == target and d.design.sources_for(outcome)
                and query.treatment in d.spec.measures]
    if not carrying:
        return None
    labelled = [d for d in carrying if outcome in d.spec.measures]
    unlabelled = [d for d in carrying if outcome not in d.spec.measures]
    treated, control = query.contrast or (1, 0)
    cluster = _column(carrying, "cluster")
    if not labelled or not unlabelled:
        missing = "labelled rows (with the outcome)" if not labelled else \
            "unlabelled rows (predictions without the outcome)"
        return MixedSubjectsEstimates(PPINotApplied(f"needs {target} {missing}", PER_UNIT),
                                      None, None)
    try:
        data = MixedSubjectsData(_units(study, labelled, True), _units(study, unlabelled,
                                                                        False))
        result = ppi_difference(data, treated, control)
        bayes = bayes_ppi(data, treated, control, draws=draws, seed=seed)
    except MixedSubjectsError as error:
        return MixedSubjectsEstimates(PPINotApplied(str(error), PER_UNIT), None, None)
    ppi = PredictionsPPI(
        result, cluster,
        assumption=f"the labelled {target} units are a random sample of the units the "
        "estimate speaks about (here: the labelled and unlabelled units together)"
        + ("; rows that share a cluster are dependent" if cluster else ""))
    estimate = BayesPPIEstimate(bayes, float(np.mean(bayes.draws)), hdi(bayes.draws))
    return MixedSubjectsEstimates(ppi, estimate, bayes.draws)
