"""The sampler's diagnostics of an estimate: R-hat, effective sample sizes, divergences;
for exact posteriors (independent draws) the note that there is no MCMC to diagnose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXACT_NOTE = "independent draws from exact posteriors: no MCMC to diagnose"


@dataclass(frozen=True)
class Diagnostics:
    """Worst R-hat (None without MCMC), smallest bulk and tail ESS, divergences; `note`
    for exact draws, `sampler` and `ok` (every threshold met) where MCMC ran."""

    rhat_max: float | None
    ess_bulk_min: float | None
    ess_tail_min: float | None
    divergences: int
    note: str | None = None
    sampler: str | None = None
    ok: bool | None = None

    @classmethod
    def exact(cls, draws: int) -> Diagnostics:
        """Independent draws from exact posteriors: every draw is an effective one."""
        return cls(None, float(draws), float(draws), 0, note=EXACT_NOTE)

    def statistics(self) -> tuple[tuple[str, object], ...]:
        """(field, value) of every statistic reported, in the JSON's order, the note left
        out: what the report's diagnostics table lists."""
        rows: list[tuple[str, object]] = [
            ("rhat_max", self.rhat_max), ("ess_bulk_min", self.ess_bulk_min),
            ("ess_tail_min", self.ess_tail_min), ("divergences", self.divergences)]
        if self.sampler is not None:
            rows += [("sampler", self.sampler), ("ok", self.ok)]
        return tuple(rows)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rhat_max": self.rhat_max, "ess_bulk_min": self.ess_bulk_min,
                               "ess_tail_min": self.ess_tail_min,
                               "divergences": self.divergences}
        if self.note is not None:
            out["note"] = self.note
        if self.sampler is not None:
            out.update(sampler=self.sampler, ok=self.ok)
        return out
