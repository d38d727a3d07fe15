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
    refusal: str | None = None
    warnings: tuple[str, ...] = field(default=())
    decision: dict | None = None
    ppi: dict | None = None
    calibrated: tuple = ()
    # Posterior draws of the target effect and of each source's own effect, for plots;
    # not part of the JSON contract.
    effect_draws: object = field(default=None, compare=False, repr=False)
    source_draws: dict = field(default_factory=dict, compare=False, repr=False)

    def _repr_html_(self) -> str | None:
        """The result as HTML in a notebook (drawn by the report stage's registered renderer)."""
        from transport.display import html_of

        return html_of("estimate", self)

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
            "refusal": self.refusal,
            "decision": self.decision,
            "ppi": self.ppi,
            "calibrated": list(self.calibrated),
            "warnings": list(self.warnings),
        }
