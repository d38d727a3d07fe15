"""What every estimation path hands `estimate_study`: the joint model (synthesis/path.py),
the exact formula path and the parametric PyMC model (parametric_run.py) each return one
`PathEstimate`, so the result is assembled the same way whichever path served."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from transport.estimate.diagnostics import Diagnostics
from transport.estimate.effects import PriorSummary, SourceEffect
from transport.estimate.robustness_value import Robustness
from transport.estimate.summary import DrawSummary

if TYPE_CHECKING:
    from transport.estimate.checks import AssumptionCheck
    from transport.estimate.synthesis.contributions import Contribution
    from transport.estimate.synthesis.effective import EffectiveSample
    from transport.estimate.synthesis.pair_checks import PairCheck
    from transport.estimate.synthesis.path import Borrowing


@dataclass(frozen=True)
class PathEstimate:
    """One path's posterior of the target effect and what it says about it.

    `effect` summarises `effect_draws` (P(effect > 0); the result restates it on the
    query's scale). `used_sources` are the populations whose rows entered. `checks` is None
    when the path leaves the checks of the sharing claims to `estimate_study`; the joint
    model makes its own. `effective_samples` is None for the paths that count every row as
    independent (the joint model says which rows clusters or predictions adjusted)."""

    method: str
    effect_draws: np.ndarray
    effect: DrawSummary
    prior: PriorSummary
    source_effects: Mapping[str, SourceEffect]
    source_draws: Mapping[str, np.ndarray]
    robustness: Robustness | None
    diagnostics: Diagnostics
    used_sources: tuple[str, ...]
    draws: int
    notes: tuple[str, ...] = ()
    prior_draws: np.ndarray | None = None
    checks: tuple[AssumptionCheck | PairCheck, ...] | None = None
    contributions: tuple[Contribution, ...] = ()
    prior_driven: bool = False
    borrowing: tuple[Borrowing, ...] = ()
    effective_samples: tuple[EffectiveSample, ...] | None = None


def prior_summary(effect: DrawSummary, prior_draws: np.ndarray | None) -> PriorSummary:
    """The prior's sd of the effect and the share of its variance the data remove."""
    if prior_draws is None:
        return PriorSummary(None, None)
    prior_sd = float(np.std(prior_draws, ddof=1))
    return PriorSummary(prior_sd, float(1 - effect.sd ** 2 / prior_sd**2)
                        if prior_sd > 0 else None)
