"""Checks of the sharing claims between every pair of populations whose rows speak to one
mechanism: the target against each source declared shared or partial, and two sources both
declared shared (or partial) with the target against each other, which needs no human data.

Two statistics, each from the populations' own rows:
- the effect-relevant gap: the mechanism's treatment contrast (when the treatment is a
  parent; else its mean), standardised over the target's cells when the target is one of
  the pair (else over both populations' cells pooled; see conflict.py), from each
  population's own posterior (with the sparse-cell prior of
  discrete.py); under `partial sd X` the gap may be as large as the shift allows, so the
  shift's spread on this scale is added before the two-sided posterior p-value is read;
- for `shared`, the Bayes factor of separate against pooled parameters, cell by cell
  (exact beta-binomial marginal likelihoods; the elpd of the comparison).
A claim is contradicted when the gap's p-value is below ALPHA, or when a `shared` claim's
Bayes factor favours separate mechanisms by more than BF_LIMIT (log scale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import special

from transport.estimate.effects import EffectWithout
from transport.estimate.summary import hdi
from transport.estimate.synthesis.conflict import (
    common_weights,
    own_values,
    scale_of_mechanism,
    shift_spread,
    statistic_draws,
)
from transport.estimate.synthesis.discrete import FLAT, sticks
from transport.estimate.synthesis.evidence import (
    Group,
    MechanismEvidence,
    tie,
)
from transport.estimate.synthesis.joint import stream
from transport.study import Study

ALPHA = 0.05
BF_LIMIT = float(np.log(100.0))
CHECK_DRAWS = 4000


@dataclass(frozen=True)
class PairCheck:
    """The verdict on one claim that two populations share (or nearly share) a mechanism."""

    mechanism: str
    between: tuple[str, str]
    declared: str
    verdict: str  # consistent | contradicted | not_testable
    gap_mean: float | None = None
    gap_hdi: tuple[float, float] | None = None
    p_value: float | None = None
    log_bayes_factor: float | None = None
    reason: str = ""
    without: EffectWithout | None = None

    @property
    def source(self) -> str:
        """The source population of the pair (the second one when both are sources)."""
        return self.between[1]

    def to_json(self) -> dict:
        return {
            "mechanism": self.mechanism,
            "between": list(self.between),
            "source": self.source,
            "declared": self.declared,
            "verdict": self.verdict,
            "gap": None if self.gap_mean is None else {
                "mean": self.gap_mean, "hdi_95": list(self.gap_hdi or ())},
            "p_value": self.p_value,
            "log_bayes_factor": self.log_bayes_factor,
            "summary": self.summary(),
            "reason": self.reason,
            "elpd_diff": None, "elpd_se": None, "ppc_p": None,
            "without": None if self.without is None else self.without.to_json(),
        }

    def summary(self) -> str:
        """The statistics behind the verdict, in a few words."""
        if self.gap_mean is None:
            return "–"
        low, high = self.gap_hdi or (float("nan"), float("nan"))
        text = f"gap {self.gap_mean:+.3f} [{low:+.3f}, {high:+.3f}], p = {self.p_value:.3f}"
        if self.log_bayes_factor is not None:
            text += f", log BF(separate) {self.log_bayes_factor:+.1f}"
        return text


def _log_bayes_factor(first: Group, second: Group) -> float:
    """log BF of separate against pooled cell probabilities (flat sticks)."""
    def marginal(stats: np.ndarray) -> float:
        s, f = sticks(stats)
        return float(np.sum(special.betaln(FLAT + s, FLAT + f) - special.betaln(FLAT, FLAT)))

    return marginal(first.stats) + marginal(second.stats) - marginal(first.stats + second.stats)


def compare(
    study: Study, evidence: MechanismEvidence, first: Group, second: Group, declared: str,
    sd: float | None, seed: int,
) -> PairCheck:
    """One pair's verdict."""
    pair = (first.population, second.population)
    mechanism = evidence.variable
    target = study.target.name
    # the gap that matters is the one in the target's population when the target is compared
    weights = common_weights(evidence, [g for g in (first, second) if g.population == target]
                             or (first, second))
    stats = []
    for group in (first, second):
        values = own_values(evidence, group, stream(seed, "check", mechanism, group.population),
                            CHECK_DRAWS)
        stats.append((statistic_draws(evidence, values, weights, study), values))
    gap = stats[0][0] - stats[1][0]
    if sd:
        sigma = scale_of_mechanism(evidence, first)
        spread = shift_spread(evidence, stats[1][1], sd, sigma)
        gap = gap + spread * stream(seed, "shift", mechanism, *pair).standard_normal(gap.size)
    p_value = float(min(1.0, 2 * min((gap > 0).mean(), (gap < 0).mean()) + 1.0 / gap.size))
    # the cell-by-cell Bayes factor needs cells that are the mechanism's own parameters: not
    # a regression's grid, nor a continuous covariate's atoms
    cellwise = (evidence.kind == "discrete" and evidence.regression is None
                and evidence.atoms is None)
    log_bf = _log_bayes_factor(first, second) if (cellwise and not sd) else None
    contradicted = p_value < ALPHA or (log_bf is not None and log_bf > BF_LIMIT)
    what = "treatment contrast" if evidence.treatment_axis is not None else "mean"
    low, high = hdi(gap)
    verdict = "contradicted" if contradicted else "consistent"
    claim = ("each declared with the target" if study.target.name not in pair
             else "as declared")
    reason = (
        f"{claim}: the {what} of {mechanism} differs by {gap.mean():+.3f} "
        f"[{low:+.3f}, {high:+.3f}] between {pair[0]} and {pair[1]} (p = {p_value:.3f}"
        + (f", log Bayes factor for separate mechanisms {log_bf:+.1f}" if log_bf is not None
           else "")
        + ")"
    )
    return PairCheck(mechanism, pair, declared, verdict, float(gap.mean()), (low, high),
                     p_value, log_bf, reason)


def _declared(status: str, sd: float | None) -> str:
    return f"partial sd {sd:g}" if status == "partial" else status


def pair_checks(study: Study, evidence: Mapping[str, MechanismEvidence], seed: int
                ) -> tuple[PairCheck, ...]:
    """Every testable pair for every mechanism of `evidence` (the target's, as the joint
    model gathered it: the target's own rows and each tied source's rows) that some claim
    ties."""
    target = study.target.name
    found: list[PairCheck] = []
    for variable, item in evidence.items():
        own_groups: dict[str, Group] = {
            g.population: g for g in (item.target, *item.borrowed)
            if g is not None and g.rows > 0
        }
        ties = {}
        for source in sorted(s.name for s in study.sources):
            status, sd, _ = tie(study, source, variable)
            if status in ("shared", "partial"):
                ties[source] = (status, sd)
        pairs = [(target, s) for s in ties]
        names = sorted(ties)
        pairs += [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
        for a, b in pairs:
            if a == target:
                status, sd = ties[b]
            else:
                sa, sb = ties[a], ties[b]
                status = "shared" if sa[0] == sb[0] == "shared" else "partial"
                sd = float(np.hypot(sa[1] or 0.0, sb[1] or 0.0)) or None
            declared = _declared(status, sd)
            missing = [p for p in (a, b) if p not in own_groups]
            if missing:
                found.append(PairCheck(
                    variable, (a, b), declared, "not_testable",
                    reason=f"no {' or '.join(missing)} data observe '{variable}' "
                           "unrandomised with its parents",
                ))
                continue
            found.append(compare(study, item, own_groups[a], own_groups[b], declared,
                                 sd, seed))
    return tuple(found)
