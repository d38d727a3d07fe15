"""The effect-relevant summary of a mechanism in each population, and what it says about a
conflict between them.

A mechanism's *effect-relevant statistic* is its treatment contrast when the treatment is a
parent (else its mean), standardised over one common distribution of the other parents'
cells: the target's own when the target is compared, else the compared populations' pooled
rows. It is computed per population from that population's own rows alone (with the
sparse-cell prior of discrete.py), so two populations that share the mechanism have the
same statistic whatever their covariate mix.

The robust mixture of borrowing.py weighs borrowing with these statistics, in the manner of
RBesT's robustified priors: for a configuration that borrows the sources in a set, their
statistics differ from the target's by Normal noise plus the shift their claim allows
(0 for `shared`, the `partial` scale on this scale); sources outside it differ by the spread
ROBUST_SPREAD that LLM/human gaps show in published paired data. The configurations'
weights are the multivariate normal densities of the observed differences (the target's
own noise is common to all of them). Comparing one effect-relevant number keeps the
comparison from penalising or excusing a source for the many cells that do not move the
effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from transport.estimate.levels import contrast_positions
from transport.estimate.synthesis.draws import draw_function
from transport.estimate.synthesis.evidence import Group, MechanismEvidence
from transport.estimate.synthesis.gaussian import group_sigma
from transport.study import Study

STATISTIC_DRAWS = 2000
# How far a source that does not share the mechanism is expected to be from the target, on
# the statistic's scale: 0.1 per level of a discrete mechanism's mean (the sd of GPT-4's
# predicted minus the observed human effects over the 469 contrasts of the paired-effects
# data, outcomes on [0, 1], is 0.107), and a quarter of an outcome sd for a continuous one.
ROBUST_SPREAD = 0.1
ROBUST_SPREAD_CONTINUOUS = 0.25


@dataclass(frozen=True)
class Statistic:
    """Posterior mean and variance of one population's effect-relevant statistic."""

    mean: float
    variance: float


def common_weights(evidence: MechanismEvidence, groups: Sequence[Group]) -> np.ndarray:
    """Frequencies of the non-treatment parent cells in `groups` (shape: the parents' grid
    with the treatment axis of size 1)."""
    column = (lambda g: g.stats.sum(axis=1)) if evidence.kind == "discrete" else (
        lambda g: g.stats[:, 0])
    rows = sum(column(g) for g in groups)
    grid = rows.reshape(evidence.shape) if evidence.shape else np.asarray(rows).reshape(())
    axis = evidence.treatment_axis
    if axis is not None:
        grid = grid.sum(axis=axis, keepdims=True)
    total = grid.sum()
    return grid / total if total > 0 else np.full_like(grid, 1.0 / max(grid.size, 1))


def statistic_draws(evidence: MechanismEvidence, values: np.ndarray, weights: np.ndarray,
                    study: Study) -> np.ndarray:
    """Per draw: the standardised treatment contrast (or mean) of the mechanism."""
    draws = values.shape[0]
    if evidence.kind == "discrete":
        values = values @ level_values(evidence)
    grid = values.reshape((draws, *evidence.shape))
    axis = evidence.treatment_axis
    if axis is None:
        return (grid * weights[None]).reshape(draws, -1).sum(axis=1)
    a, b = contrast_positions(study)
    diff = np.take(grid, [a], axis=1 + axis) - np.take(grid, [b], axis=1 + axis)
    return (diff * weights[None]).reshape(draws, -1).sum(axis=1)


def level_values(evidence: MechanismEvidence) -> np.ndarray:
    """The number each level of a discrete mechanism stands for in its mean: the level's
    position, or a continuous covariate's atom value."""
    if evidence.atoms is not None:
        return np.asarray(evidence.atoms.values, dtype=float)
    return np.arange(evidence.levels, dtype=float)


def scale_of_mechanism(evidence: MechanismEvidence, group: Group) -> float:
    """The unit of a shift: the outcome's pooled within-cell sd for a continuous child, a
    continuous covariate's sd over its atoms, 1 (log-odds) for a discrete child."""
    if evidence.atoms is not None:
        a = level_values(evidence)
        counts = group.stats.sum(axis=0)
        total = counts.sum()
        if total <= 0:
            return 1.0
        mean = counts @ a / total
        sd = float(np.sqrt(max(counts @ (a - mean) ** 2 / total, 0.0)))
        return sd if sd > 0 else 1.0
    return group_sigma(group.stats) if evidence.kind != "discrete" else 1.0


def own_values(evidence: MechanismEvidence, group: Group, rng: np.random.Generator,
               draws: int = STATISTIC_DRAWS) -> np.ndarray:
    """Posterior draws of a population's mechanism from its own rows alone."""
    alone = replace(evidence, groups=(replace(group, relation="own", sd=None),))
    return draw_function(evidence)(alone, draws, rng).values


def shift_spread(evidence: MechanismEvidence, values: np.ndarray, sd: float,
                 sigma: float) -> float:
    """How far a Normal(0, sd) shift of the effect-relevant coefficient moves the statistic:
    sd times the average slope of the mean in the log-odds (sd outcome sds, continuous)."""
    if evidence.kind != "discrete" or evidence.atoms is not None:
        return sd * sigma
    probabilities = values.mean(axis=0)
    levels = np.arange(evidence.levels, dtype=float)
    mean = probabilities @ levels
    variance = probabilities @ levels**2 - mean**2
    return float(sd * np.mean(variance))


def robust_spread(evidence: MechanismEvidence, sigma: float) -> float:
    """The spread of a source that does not share the mechanism, on the statistic's scale."""
    if evidence.kind == "discrete" and evidence.atoms is None:
        return ROBUST_SPREAD * max(evidence.levels - 1, 1)
    return ROBUST_SPREAD_CONTINUOUS * sigma


def log_normal(x: np.ndarray, cov: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(cov)
    return float(-0.5 * (x @ np.linalg.solve(cov, x) + logdet + x.size * np.log(2 * np.pi)))


def configuration_log_marginals(
    target: Statistic, sources: Sequence[Statistic], shifts: Sequence[float],
    robust: Sequence[float], subsets: Sequence[tuple[int, ...]],
) -> dict[tuple[int, ...], float]:
    """log density of the sources' differences from the target under each configuration
    (`shifts`: each claim's spread on the statistic's scale; `robust`: each source's spread
    when its claim fails)."""
    diff = np.array([s.mean - target.mean for s in sources])
    base = np.full((len(sources), len(sources)), target.variance)
    base[np.diag_indices(len(sources))] += [s.variance for s in sources]
    found = {}
    for subset in subsets:
        extra = np.array([shifts[i] ** 2 if i in subset else robust[i] ** 2
                          for i in range(len(sources))])
        found[subset] = log_normal(diff, base + np.diag(extra))
    return found


@dataclass(frozen=True)
class MechanismConflict:
    """The effect-relevant statistic of every population with rows on one mechanism,
    standardised over the target's cells, and what a shift scale means on its scale."""

    statistics: dict[str, Statistic]
    slopes: dict[str, float]
    robust: float


def mechanism_conflict(study: Study, evidence: MechanismEvidence, seed_stream
                       ) -> MechanismConflict | None:
    """None when the target has no rows on the mechanism or nothing is borrowed."""
    own = evidence.target
    if own is None or own.rows == 0 or not evidence.borrowed:
        return None
    weights = common_weights(evidence, (own,))
    sigma = scale_of_mechanism(evidence, own)
    statistics, slopes = {}, {}
    for group in (own, *evidence.borrowed):
        values = own_values(evidence, group, seed_stream(group.population))
        draws = statistic_draws(evidence, values, weights, study)
        statistics[group.population] = Statistic(float(draws.mean()), float(draws.var()))
        slopes[group.population] = shift_spread(evidence, values, 1.0, sigma)
    return MechanismConflict(statistics, slopes, robust_spread(evidence, sigma))
