"""Partial observation: a sound, bounded search for formulas over measured variables only.

The complete algorithms assume every dataset measures every variable. When a formula they
return reads an unmeasured variable, we look for another one: the per-district choice of
dataset is already varied by `transport_effect`; here we also re-run it on latent
projections of the diagram onto subsets W of the variables (treating V \\ W as unobserved).
A formula derived in the projection is valid in the original model, because the projection
preserves every d-separation and district factorization among W, including after cutting
edges into intervened variables (Verma & Pearl 1990; Tian & Pearl 2002). A failed search
proves nothing, so its verdict is "not found", never "not transportable".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from .graph import ProjectedDiagram
from .problem import Dataset
from .transport_alg import EngineResult, transport_effect

DEFAULT_BUDGET = 48


@dataclass(frozen=True)
class ProjectionHit:
    """A formula found on the projection onto `kept` (the other variables treated as latent)."""

    kept: frozenset[str]
    result: EngineResult


def projection_candidates(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str],
                          sources: Sequence[Dataset], budget: int = DEFAULT_BUDGET
                          ) -> Iterator[frozenset[str]]:
    """Subsets W with X ∪ Y ⊆ W ⊊ V to project onto, most promising first, at most `budget`.

    Order: what one dataset sees, what two datasets both see, V minus one or two variables
    some dataset lacks, and finally X ∪ Y alone.
    """
    core = x | y
    relevant = d.ancestors(core)
    seen: set[frozenset[str]] = {d.nodes}
    views = [(s.measured | s.experiment) & relevant for s in sources]

    def candidates() -> Iterator[frozenset[str]]:
        for view in views:
            yield view | core
        for a, b in combinations(views, 2):
            yield (a & b) | core
        lacking = sorted(set().union(*(relevant - v for v in views)) - core) if views else []
        for k in (1, 2):
            for drop in combinations(lacking, k):
                yield relevant - frozenset(drop)
        yield core

    count = 0
    for w in candidates():
        if w in seen:
            continue
        seen.add(w)
        yield w
        count += 1
        if count >= budget:
            return


def search_projections(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str],
                       sources: Sequence[Dataset], target: str,
                       budget: int = DEFAULT_BUDGET) -> ProjectionHit | None:
    """The first projection on which every district's factor is available, if any."""
    for kept in projection_candidates(d, y, x, sources, budget):
        usable = [Dataset(s.population, s.experiment, s.measured & kept) for s in sources
                  if s.experiment <= kept]
        if not usable:
            continue
        result = transport_effect(d.project(kept), y, x, usable, target)
        if result.estimand is not None:
            return ProjectionHit(kept, result)
    return None
