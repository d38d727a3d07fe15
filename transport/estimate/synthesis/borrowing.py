"""How much of a source's rows a target mechanism borrows, and the robust mixture that
lets borrowing shrink by itself when the target's own rows disagree.

`shared` borrows every row. `partial V sd X` says the target's parameter (a log-odds, or a
mean in outcome standard deviations) is the source's plus a Normal(0, X) shift; on the
scale of one cell's parameter this is the power prior that keeps a fraction
v / (v + X^2) of the source's rows, v being the variance of the source's estimate of that
parameter (the commensurate-prior / power-prior correspondence, Hobbs et al. 2011). A
source with thousands of rows per cell is thus worth at most about 1 / (p (1 - p) X^2) rows
per cell to the target, whatever its size.

When the target has rows of its own on the mechanism, each borrowed source enters through a
two-component robust mixture, as in RBesT's robustified priors (Schmidli et al. 2014): with
prior weight 1 - ROBUST_WEIGHT the source's rows are borrowed as the claim says, with
ROBUST_WEIGHT the claim fails: a `shared` source's rows are then not borrowed at all. For a
`partial V sd X` claim the mixture is the heavy-tailed form of the stated shift: two normal
components whose scales differ by ROBUST_FACTOR and whose mixture has standard deviation X
(`mixture_scales`), so `sd X` means the same spread with or without target rows to weigh
it, and a conflict the target's rows see moves the weight to the wide component. The posterior
weight of each configuration is proportional to its prior weight times
the likelihood of what the target's rows say about the mechanism's effect-relevant
statistic (conflict.py), so a source whose rows disagree with the target's loses its
weight. Without target rows there is nothing to weigh: the stated
assumption is used as stated, and the output says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# The prior probability that a claim fails when the file states none (`robust W` states one).
ROBUST_WEIGHT = 0.1
# A `partial` claim that fails is taken to fail by this factor: its robust alternative keeps
# the source at a shift scale this many times the claim's core one (at least the non-sharing
# spread of conflict.py), an adaptive commensurate prior (Hobbs et al. 2012). A `shared`
# claim that fails lets the source's rows go entirely.
ROBUST_FACTOR = 4.0
MAX_ROBUST_SOURCES = 6


def core_fraction(weight: float = ROBUST_WEIGHT) -> float:
    """The core component's scale as a fraction of the stated sd, so that the mixture
    (1 - w) N(0, (cX)^2) + w N(0, (F cX)^2) has variance X^2: c = 1 / sqrt(1 - w + w F^2)
    (0.632 for w = 0.1 and F = 4, where the mixture's kurtosis is 12.7, a Student t's with
    4.6 degrees of freedom; 1 for w = 0, the normal shift as stated)."""
    return 1.0 / float(np.sqrt(1.0 - weight + weight * ROBUST_FACTOR**2))


def mixture_scales(sd: float, floor: float = 0.0, weight: float = ROBUST_WEIGHT
                   ) -> tuple[float, float]:
    """The core and the wide component's shift scales of a `partial ... sd X` claim under
    the robust mixture of prior weight `weight` on the wide one: together they have standard
    deviation `sd`, unless `floor` (the spread of a source that does not share the
    mechanism, in the claim's units) makes the wide one wider still."""
    core = core_fraction(weight) * sd
    return core, max(ROBUST_FACTOR * core, floor)


def prior_log_weights(failure: Sequence[float], subset_list: Sequence[tuple[int, ...]]
                      ) -> dict[tuple[int, ...], float]:
    """log prior weight of each configuration: the claims of the groups it uses hold, the
    others fail, each independently with its own prior probability of failing (`robust W`,
    else ROBUST_WEIGHT); a claim stated with `robust 0` cannot fail (weight -inf)."""
    found = {}
    for subset in subset_list:
        total = 0.0
        for i, w in enumerate(failure):
            p = 1.0 - w if i in subset else w
            total += float(np.log(p)) if p > 0 else -np.inf
        found[subset] = total
    return found


@dataclass(frozen=True)
class Configuration:
    """Which borrowed groups are used, and the posterior weight of that choice."""

    used: tuple[int, ...]
    weight: float


def entering(config: Configuration, borrowed: Sequence[Any],
             sds: Mapping[str, float | None], fallback: Mapping[str, float]
             ) -> list[tuple[Any, float | None]]:
    """The borrowed groups whose rows enter under `config`, each with its shift scale: the
    declared one (or its override in `sds`) where the configuration uses the group, the
    robust fallback where it does not and the claim has one; the others are left out."""
    found = []
    for i, group in enumerate(borrowed):
        if i in config.used:
            found.append((group, sds.get(group.population, group.sd)))
        elif group.population in fallback:
            found.append((group, fallback[group.population]))
    return found


def configurations(
    log_marginal: dict[tuple[int, ...], float], groups: int, robust: bool
) -> tuple[Configuration, ...]:
    """Posterior weights of every subset of borrowed groups (all of them when not robust),
    from each subset's log prior weight plus log marginal likelihood (`log_marginal`; the
    prior part from prior_log_weights)."""
    everything = tuple(range(groups))
    if not robust or groups == 0 or groups > MAX_ROBUST_SOURCES:
        return (Configuration(everything, 1.0),)
    subsets = list(log_marginal)
    logs = np.array([log_marginal[s] for s in subsets])
    weights = np.exp(logs - logs.max())
    weights /= weights.sum()
    return tuple(Configuration(s, float(w)) for s, w in zip(subsets, weights, strict=True))


def subsets(groups: int) -> list[tuple[int, ...]]:
    """Every subset of range(groups), the full set first."""
    items = range(groups)
    found = [tuple(c) for r in range(groups, -1, -1) for c in itertools.combinations(items, r)]
    return found


def allocate(configs: Sequence[Configuration], draws: int, rng: np.random.Generator) -> list[int]:
    """How many posterior draws each configuration gets (multinomial, seeded)."""
    if len(configs) == 1:
        return [draws]
    return list(rng.multinomial(draws, [c.weight for c in configs]))


def borrow_weight(configs: Sequence[Configuration], group: int) -> float:
    """The posterior probability that a borrowed group's rows are used."""
    return float(sum(c.weight for c in configs if group in c.used))


@dataclass(frozen=True)
class MechanismDraws:
    """Posterior draws of one mechanism from either likelihood kind: probabilities
    (draws x cells x levels) for a discrete variable, cell means (draws x cells) for a
    continuous one; the borrowing configurations and the borrowed populations, in order."""

    values: np.ndarray
    configurations: tuple[Configuration, ...]
    borrowed: tuple[str, ...]


def mixture(
    configs: Sequence[Configuration], draws: int, rng: np.random.Generator,
    draw_one: Callable[[Configuration, int], np.ndarray],
) -> np.ndarray:
    """Draws from the mixture over configurations: each gets its multinomial share of the
    draws, and the pooled draws are shuffled so no configuration sits in one block."""
    out = [draw_one(config, n) for config, n in zip(configs, allocate(configs, draws, rng),
                                                     strict=True) if n > 0]
    values = np.concatenate(out, axis=0)
    return values[rng.permutation(draws)] if len(out) > 1 else values
