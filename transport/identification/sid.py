"""sID (Bareinboim & Pearl 2012), written as its own recursion.

sID is ID run on the target's observational distribution, except at the hedge of line 5:
there, if (S ⊥ Y | X) holds in the current subdiagram with the edges into X cut, the
sub-effect P(y | do(x)) of the subdiagram is the same in the source, and the source (where
every experiment is assumed available) provides it as P_source(y | do(x, V \\ subdiagram)).
Otherwise the hedge together with the selection nodes pointing into it is an s-hedge and
the effect is not transportable. `transport_alg.transport_effect` on `sid_datasets`
decides the same problems; this independent implementation is kept to cross-check it.
"""

from __future__ import annotations

from collections.abc import Iterable

from transport.errors import TransportError

from .expr import Expr, prob
from .graph import ProjectedDiagram, SourceIndicator, m_separated, names
from .id_alg import Hedge, run_id


class NotTransportable(TransportError):  # noqa: N818 - reads as a result, not an error condition
    """sID failed; `hedge` and `selection` (the selection nodes involved) form the s-hedge."""

    def __init__(self, hedge: Hedge, selection: tuple[SourceIndicator, ...]) -> None:
        self.hedge = hedge
        self.selection = selection
        sel = ", ".join(str(s) for s in selection)
        super().__init__(f"s-hedge: {hedge.describe()}; selection node(s) {sel} point into "
                         f"{names(hedge.subforest)}")


def sid_line5(d: ProjectedDiagram, source: str, y: frozenset[str], x: frozenset[str],
              v: frozenset[str], hedge: Hedge, log: list[str]) -> Expr:
    """sID's replacement of ID line 5: the source experiment, or FAIL with the s-hedge."""
    s = SourceIndicator(source)
    sub = d.induced(v)
    if s not in sub.selection or m_separated(sub, {s}, y, x, cut_incoming=x):
        do = x | (d.nodes - v)
        log.append(f"sID: ({s} ⊥ {names(y)} | {names(x)}) once edges into {names(x)} are cut in "
                   f"the subdiagram {names(v)}; read P_{source}({names(y)} | do({names(do)})).")
        return prob(source, y, do=do)
    log.append(f"sID: {s} points into {names(sub.selection[s])}; s-hedge on {names(v)}.")
    raise NotTransportable(hedge, (s,))


def sid(d: ProjectedDiagram, y: Iterable[str], x: Iterable[str], target: str, source: str,
        trace: list[str] | None = None) -> Expr:
    """P_target(y | do(x)) from target observations and all source experiments, or raise
    NotTransportable with the s-hedge."""
    y_set, x_set = frozenset(y), frozenset(x)
    base = prob(target, d.nodes)

    def hook(yy: frozenset[str], xx: frozenset[str], v: frozenset[str], hedge: Hedge,
             log: list[str]) -> Expr:
        return sid_line5(d, source, yy, xx, v, hedge, log)

    return run_id(d, y_set, x_set, base, d.nodes, trace, hook)
