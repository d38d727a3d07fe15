"""Plain-language witnesses of non-transportability (hedges and s-hedges).

A district D_j of the query that no dataset provides is the witness: for the target's own
data there is a hedge (two C-forests F' = D_j ⊂ F, Shpitser & Pearl 2006), and for every
source either a selection node points into D_j (an s-hedge, Bareinboim & Pearl 2012), or
its experiment randomizes part of D_j, or again a hedge blocks identification from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import names
from .transport_alg import DistrictFailure


def district_sentence(failure: DistrictFailure, target: str) -> str:
    """Why no dataset determines the factor of one district."""
    d = names(failure.district)
    head = (f"The effect needs the mechanism of {d} in {target} (jointly with any unobserved "
            f"common causes of {d}), and no dataset determines it")
    if not failure.obstacles:
        return head + ": no dataset was given."
    reasons = "; ".join(o.sentence() for o in failure.obstacles)
    shedge = [o for o in failure.obstacles if o.kind == "selection"]
    hedges = [o for o in failure.obstacles if o.kind == "hedge" and o.hedge is not None]
    tail = ""
    if shedge:
        sel = ", ".join(sorted({str(o.selection) for o in shedge}))
        forest = hedges[0].hedge.forest if hedges and hedges[0].hedge else failure.district
        tail = (f" Together these form an s-hedge: F = {names(forest)}, F' = {d}, with "
                f"selection node(s) {sel} pointing into F'.")
    return f"{head}: {reasons}.{tail}"


def witness_text(failures: Sequence[DistrictFailure], outcome: Sequence[str],
                 treatment: Sequence[str], target: str) -> str:
    """The whole witness: one paragraph per failing district plus the reason it is a proof."""
    query = f"P_{target}({', '.join(outcome)} | do({', '.join(treatment)}))"
    parts = [f"{query} is not transportable from the given data."]
    parts.extend(district_sentence(f, target) for f in failures)
    parts.append("Because the algorithm is complete (Shpitser & Pearl 2006; Bareinboim & Pearl "
                 "2012; Lee, Correa & Bareinboim 2020), there are two models that agree on "
                 "every dataset listed, even fully measured, yet give different effects; only "
                 "new assumptions or new data (see suggestions) can change this.")
    return " ".join(parts)
