"""The result of `transport estimate`: one frozen value built from the typed values of
the estimate stage, rendered as JSON (a documented contract, produced here at the edge)
and as text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transport.study import Query

if TYPE_CHECKING:
    from transport.diagnose.implications import ImplicationTest
    from transport.estimate.calibrated import CalibratedEstimate
    from transport.estimate.checks import AssumptionCheck
    from transport.estimate.diagnostics import Diagnostics
    from transport.estimate.effects import (
        DecisionOutcome,
        EffectSummary,
        NaiveEstimate,
        PriorSummary,
        SourceEffect,
    )
    from transport.estimate.frequentist import FrequentistCheck
    from transport.estimate.mixed_subjects.from_study import BayesPPIEstimate, PredictionsPPI
    from transport.estimate.ppi import CellMeansPPI, PPINotApplied
    from transport.estimate.robustness_value import Robustness
    from transport.estimate.synthesis.contributions import Contribution
    from transport.estimate.synthesis.effective import EffectiveSample
    from transport.estimate.synthesis.pair_checks import PairCheck
    from transport.estimate.synthesis.path import Borrowing

    #: The prediction-powered estimate: per-unit predictions, cell means, or why neither.
    PPIEstimate = PredictionsPPI | CellMeansPPI | PPINotApplied

SCHEMA_VERSION = 1


def query_json(query: Query) -> dict[str, Any]:
    """The effect of interest as the estimate's JSON states it."""
    return {"treatment": query.treatment, "outcome": query.outcome,
            "population": query.population, "contrast": list(query.contrast or ()),
            "generalize": query.generalize}


@dataclass(frozen=True)
class DataSummary:
    """What one data statement gave the estimate: its rows read, used and dropped."""

    population: str
    path: str
    design: str
    rows: int
    rows_used: int
    rows_dropped: int

    def to_json(self) -> dict[str, Any]:
        return {"population": self.population, "path": self.path, "design": self.design,
                "rows": self.rows, "rows_used": self.rows_used,
                "rows_dropped": self.rows_dropped}


@dataclass(frozen=True)
class Basis:
    """Whose rows carry the estimate: `label` is "transported" only when a source's rows
    enter it; `carried_by` says by which rows, in words."""

    label: str
    sources_used: tuple[str, ...]
    carried_by: str
    prior_driven: bool

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "sources_used": list(self.sources_used),
                "carried_by": self.carried_by, "prior_driven": self.prior_driven}


def _json(value: Any) -> Any:
    return None if value is None else value.to_json()


@dataclass(frozen=True)
class EstimateResult:
    """The posterior of the target effect under the stated assumptions and everything shown
    beside it: each source's own effect, the naive estimate, the checks of the sharing
    claims, their robustness, the diagnostics, what each source contributed, and the other
    estimates (PPI++, its Bayesian counterpart, the frequentist cross-check, calibrations).
    Renderers read these fields; `to_json()` is the documented JSON."""

    query: Query
    transportable: bool
    status: str
    method: str
    effect: EffectSummary | None
    effect_scale: str
    source_effects: Mapping[str, SourceEffect]
    naive: NaiveEstimate | None
    assumption_checks: tuple[AssumptionCheck | PairCheck, ...]
    robustness: Robustness | None
    diagnostics: Diagnostics
    prior: PriorSummary | None
    estimand: str | None
    data: tuple[DataSummary, ...]
    seed: int
    draws: int
    warnings: tuple[str, ...] = field(default=())
    decision: DecisionOutcome | None = None
    ppi: PPIEstimate | None = None
    bayes_ppi: BayesPPIEstimate | None = None
    frequentist: FrequentistCheck | None = None
    implications: tuple[ImplicationTest, ...] = ()
    calibrated: tuple[CalibratedEstimate, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    prior_driven: bool = False
    borrowing: tuple[Borrowing, ...] = ()
    effective_samples: tuple[EffectiveSample, ...] = ()
    sources_used: tuple[str, ...] = ()
    # Posterior draws of the target effect and of each source's own effect, for plots;
    # not part of the JSON contract.
    effect_draws: object = field(default=None, compare=False, repr=False)
    source_draws: dict = field(default_factory=dict, compare=False, repr=False)
    prior_draws: object = field(default=None, compare=False, repr=False)
    chains: int = field(default=1, compare=False, repr=False)

    def _repr_html_(self) -> str | None:
        """The result as HTML in a notebook (drawn by the report stage's registered renderer)."""
        from transport.display import html_of

        return html_of("estimate", self)

    @property
    def idata(self):
        """The estimate as an ArviZ InferenceData (posterior: the target effect and each
        source's own effect, chains kept; prior; observed rows per data statement), so that
        `az.summary(result.idata)` and `az.plot_trace(result.idata)` work."""
        from transport.estimate.arviz_backend import inference_data

        rows = {f"{d.population}:{d.path}": d.rows_used for d in self.data}
        return inference_data(self.effect_draws, self.chains, dict(self.source_draws),
                              self.prior_draws, rows, dict(self.diagnostics.statistics()))

    def to_frame(self):
        """One row per estimate shown: the target effect, each source's own effect, the
        naive one, the effect without each source, PPI++ and its Bayesian counterpart, the
        frequentist cross-check and the calibrated effects (a pandas DataFrame)."""
        import pandas as pd

        rows = []

        def add(kind: str, label: str, mean, low, high, sd=None) -> None:
            rows.append({"kind": kind, "label": label, "mean": mean, "sd": sd,
                         "lower_95": low, "upper_95": high})

        effect = self.effect
        if effect is not None:
            add("target", f"{self.query.population} ({self.basis().label})",
                effect.mean, *effect.hdi_95, effect.sd)
        for name, summary in self.source_effects.items():
            add("source", f"{name}: own effect", summary.mean, *summary.hdi_95, summary.sd)
        if self.naive:
            add("naive", f"naive: {self.naive.source}", self.naive.mean, *self.naive.hdi_95)
        for item in self.contributions:
            if item.effect_without:
                mean, interval = item.effect_without
                add("without", f"without {item.population}", mean, *interval)
        ppi = self.ppi
        if ppi is not None and ppi.applies:
            add("ppi", f"PPI++ ({ppi.predictor})", ppi.estimate, *ppi.ci_95, ppi.se)
        if self.bayes_ppi:
            add("bayes_ppi", f"Bayesian PPI ({self.bayes_ppi.predictor})",
                self.bayes_ppi.mean, *self.bayes_ppi.hdi_95)
        for name in ("ipsw", "g_transport", "aipsw"):
            item = getattr(self.frequentist, name, None)
            if item:
                add("frequentist", name, item.estimate, *item.ci_95)
        for item in self.calibrated:
            if item.applies and item.summary is not None:
                add("calibrated", f"calibrated: {item.source}", item.summary.mean,
                    *item.summary.hdi_95, item.summary.sd)
        return pd.DataFrame(rows, columns=["kind", "label", "mean", "sd", "lower_95",
                                           "upper_95"])

    def basis(self) -> Basis:
        """Whose rows carry the estimate, in one place for every renderer: the word
        "transported" is used only when a source's rows enter it."""
        target = self.query.population
        every = "all sources" if len(self.sources_used) > 1 else next(iter(self.sources_used), "")
        without = next((c for c in self.contributions if c.population == every), None)
        if not self.sources_used:
            label, carried_by = f"{target} data alone", f"{target} data only"
        elif without is not None and without.effect_without is None:
            label, carried_by = "transported", "source data, through the sharing claims"
        else:
            label, carried_by = "transported", f"{target} and source data together"
        if self.prior_driven:
            carried_by += "; prior-driven where only `partial` claims inform a mechanism"
        return Basis(label, tuple(self.sources_used), carried_by, self.prior_driven)

    def to_json(self) -> dict[str, Any]:
        """The estimate's JSON contract (docs/estimation.md,
        transport/schemas/estimate.schema.json), built from the typed fields."""
        return {
            "schema_version": SCHEMA_VERSION,
            "query": query_json(self.query),
            "transportable": self.transportable,
            "status": self.status,
            "method": self.method,
            "estimand": self.estimand,
            "effect": _json(self.effect),
            "effect_scale": self.effect_scale,
            "source_effects": {name: e.to_json() for name, e in self.source_effects.items()},
            "naive": _json(self.naive),
            "assumption_checks": [c.to_json() for c in self.assumption_checks],
            "robustness": _json(self.robustness),
            "diagnostics": self.diagnostics.to_json(),
            "prior": _json(self.prior),
            "data": [d.to_json() for d in self.data],
            "seed": self.seed,
            "draws": self.draws,
            "refusal": None,  # a refusal is raised (NotEstimable), never returned
            "decision": _json(self.decision),
            "ppi": _json(self.ppi),
            "bayes_ppi": _json(self.bayes_ppi),
            "frequentist": _json(self.frequentist),
            "implications": [t.to_json() for t in self.implications],
            "calibrated": [c.to_json() for c in self.calibrated],
            "contributions": [c.to_json() for c in self.contributions],
            "prior_driven": self.prior_driven,
            "borrowing": [b.to_json() for b in self.borrowing],
            "effective_samples": [e.to_json() for e in self.effective_samples],
            "basis": self.basis().to_json(),
            "warnings": list(self.warnings),
        }
