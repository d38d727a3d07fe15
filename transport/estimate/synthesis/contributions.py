"""What each population's rows contributed to the target effect.

For every source whose rows enter some target mechanism: the posterior without that
source (leave-one-population-out, same random streams), and the estimate's worth in human
participants against the design without it: n_human x (variance without it / variance
with it), n_human being the target rows that inform the outcome's mechanism, or their
effective number where clusters or per-unit predictions adjusted them (so the
source's own worth is that minus n_human). The same for all sources together gives
the human-only posterior and the LLM data's total worth; where the human rows alone cannot
estimate the effect, the LLM data carry it and no worth in humans is defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from transport.estimate.summary import hdi
from transport.estimate.synthesis.joint import JointModel, effect_draws


@dataclass(frozen=True)
class Contribution:
    """One population's contribution (population "all sources" for the LLM data together)."""

    population: str
    effect_without: tuple[float, tuple[float, float]] | None
    effective_human_n: float | None
    note: str

    def to_json(self) -> dict:
        without = None
        if self.effect_without is not None:
            mean, interval = self.effect_without
            without = {"mean": mean, "hdi_95": list(interval)}
        return {"population": self.population, "effect_without": without,
                "effective_human_n": self.effective_human_n, "note": self.note}


def outcome_basis(model: JointModel) -> tuple[float, str]:
    """The target's observations that inform the outcome's mechanism, and their unit: its
    rows, or, where clusters or per-unit predictions made its statistics effective, the
    number of independent observations they are worth (so that a source's worth is counted
    in the same units as the human rows it is compared with)."""
    own = model.evidence[model.study.query.outcome].target
    if own is None:
        return 0.0, "human participants"
    if own.effective is not None and (own.effective.cluster or own.effective.prediction):
        return float(own.effective.effective_n), "independent human observations"
    return float(own.rows), "human participants"


def _without(model: JointModel, excluded: frozenset[str], draws: int, seed: int
             ) -> np.ndarray | None:
    remaining = [v for v in model.order
                 if not any(g.population not in excluded for g in model.evidence[v].groups)]
    if remaining:
        return None
    return effect_draws(model.study, model.draw(draws, seed, exclude=excluded))


def contributions(
    model: JointModel, effect: np.ndarray, draws: int, seed: int
) -> tuple[Contribution, ...]:
    """Leave-one-population-out for each borrowed population, then all of them together."""
    n_human, unit = outcome_basis(model)
    variance = float(np.var(effect, ddof=1))
    sources = model.populations()
    found = []
    sets: Sequence[tuple[str, frozenset[str]]] = [(s, frozenset({s})) for s in sources]
    if len(sources) > 1:
        sets = [*sets, ("all sources", frozenset(sources))]
    for name, excluded in sets:
        without = _without(model, excluded, draws, seed)
        if without is None:
            found.append(Contribution(
                name, None, None,
                "the effect cannot be estimated without these rows: they carry it",
            ))
            continue
        low, high = hdi(without)
        ratio = float(np.var(without, ddof=1)) / variance if variance > 0 else None
        worth = n_human * ratio if (ratio is not None and n_human > 0) else None
        owner = "all the sources'" if name == "all sources" else f"{name}'s"
        note = (f"with {owner} rows the estimate is worth {worth:.0f} {unit} "
                f"({worth - n_human:+.0f} on the {n_human:.0f} observed)"
                if worth is not None else
                "no human rows inform the outcome's mechanism, so no worth in participants")
        found.append(Contribution(name, (float(without.mean()), (low, high)), worth, note))
    return tuple(found)
