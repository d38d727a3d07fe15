"""The result of `transport estimate`: one value, rendered as JSON (a documented contract)
and as text."""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class EstimateResult:
    query: dict
    transportable: bool
    status: str
    method: str
    effect: dict | None
    effect_scale: str
    source_effects: dict
    naive: dict | None
    assumption_checks: tuple
    robustness: dict | None
    diagnostics: dict
    prior: dict | None
    estimand: str | None
    data: tuple
    seed: int
    draws: int
    warnings: tuple[str, ...] = field(default=())
    decision: dict | None = None
    ppi: dict | None = None
    bayes_ppi: dict | None = None
    frequentist: dict | None = None
    implications: tuple = ()
    calibrated: tuple = ()
    contributions: tuple = ()
    prior_driven: bool = False
    borrowing: tuple = ()
    effective_samples: tuple = ()
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

        rows = {f"{d['population']}:{d['path']}": d["rows_used"] for d in self.data}
        return inference_data(self.effect_draws, self.chains, dict(self.source_draws),
                              self.prior_draws, rows, self.diagnostics)

    def to_frame(self):
        """One row per estimate shown: the target effect, each source's own effect, the
        naive one, the effect without each source, PPI++ and its Bayesian counterpart, the
        frequentist cross-check and the calibrated effects (a pandas DataFrame)."""
        import pandas as pd

        rows = []

        def add(kind: str, label: str, mean, low, high, sd=None) -> None:
            rows.append({"kind": kind, "label": label, "mean": mean, "sd": sd,
                         "lower_95": low, "upper_95": high})

        if self.effect is not None:
            add("target", f"{self.query.get('population')} ({self.basis()['label']})",
                self.effect["mean"], *self.effect["hdi_95"], self.effect.get("sd"))
        for name, summary in self.source_effects.items():
            add("source", f"{name}: own effect", summary["mean"], *summary["hdi_95"],
                summary.get("sd"))
        if self.naive:
            add("naive", f"naive: {self.naive['source']}", self.naive["mean"],
                *self.naive["hdi_95"])
        for item in self.contributions:
            if item.get("effect_without"):
                add("without", f"without {item['population']}", item["effect_without"]["mean"],
                    *item["effect_without"]["hdi_95"])
        if self.ppi and self.ppi.get("applies"):
            add("ppi", f"PPI++ ({self.ppi.get('predictor')})", self.ppi["estimate"],
                *self.ppi["ci_95"], self.ppi.get("se"))
        if self.bayes_ppi:
            add("bayes_ppi", f"Bayesian PPI ({self.bayes_ppi['predictor']})",
                self.bayes_ppi["mean"], *self.bayes_ppi["hdi_95"])
        for name in ("ipsw", "g_transport", "aipsw"):
            item = (self.frequentist or {}).get(name)
            if item:
                add("frequentist", name, item["estimate"], *item["ci_95"])
        for item in self.calibrated:
            if item.get("applies"):
                add("calibrated", f"calibrated: {item['source']}", item["mean"],
                    *item["hdi_95"], item.get("sd"))
        return pd.DataFrame(rows, columns=["kind", "label", "mean", "sd", "lower_95",
                                           "upper_95"])

    def basis(self) -> dict:
        """Whose rows carry the estimate, in one place for every renderer: the word
        "transported" is used only when a source's rows enter it."""
        target = self.query.get("population", "target")
        every = "all sources" if len(self.sources_used) > 1 else next(iter(self.sources_used), "")
        without = next((c for c in self.contributions if c.get("population") == every), None)
        if not self.sources_used:
            label, carried_by = f"{target} data alone", f"{target} data only"
        elif without is not None and without.get("effect_without") is None:
            label, carried_by = "transported", "source data, through the sharing claims"
        else:
            label, carried_by = "transported", f"{target} and source data together"
        if self.prior_driven:
            carried_by += "; prior-driven where only `partial` claims inform a mechanism"
        return {"label": label, "sources_used": list(self.sources_used),
                "carried_by": carried_by, "prior_driven": self.prior_driven}

    def to_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "query": self.query,
            "transportable": self.transportable,
            "status": self.status,
            "method": self.method,
            "estimand": self.estimand,
            "effect": self.effect,
            "effect_scale": self.effect_scale,
            "source_effects": self.source_effects,
            "naive": self.naive,
            "assumption_checks": [c.to_json() for c in self.assumption_checks],
            "robustness": self.robustness,
            "diagnostics": self.diagnostics,
            "prior": self.prior,
            "data": list(self.data),
            "seed": self.seed,
            "draws": self.draws,
            "refusal": None,  # a refusal is raised (NotEstimable), never returned
            "decision": self.decision,
            "ppi": self.ppi,
            "bayes_ppi": self.bayes_ppi,
            "frequentist": self.frequentist,
            "implications": list(self.implications),
            "calibrated": list(self.calibrated),
            "contributions": list(self.contributions),
            "prior_driven": self.prior_driven,
            "borrowing": list(self.borrowing),
            "effective_samples": list(self.effective_samples),
            "basis": self.basis(),
            "warnings": list(self.warnings),
        }
