"""ID and IDC (Shpitser & Pearl 2006): identification of P(y | do(x)) from one distribution.

`identify_effect` runs the ID algorithm on a base distribution P_pop(v | do(z)) (observational
when z is empty) over the subgraph G[V \\ z], and returns an estimand or raises
`NotIdentifiable` carrying the hedge (two C-forests F' ⊂ F) that proves the failure. Each line
of the published pseudocode is one function below, so it can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from transport.errors import ProblemError, TransportError

from .expr import Expr, conditional, marginal, prob, product, quotient, summation
from .graph import ProjectedDiagram, m_separated, names


@dataclass(frozen=True)
class Hedge:
    """A hedge for P(y | do(x)): C-forests `forest` (F, meets x) ⊃ `subforest` (F', avoids x).

    F' is a district (c-component) whose factor the query needs; F is a district containing
    it, all of whose nodes are ancestors of F' inside F. Two models that differ only on F \\ F'
    agree on the data but not on the effect (Shpitser & Pearl 2006, Theorem 4).
    """

    forest: frozenset[str]
    subforest: frozenset[str]

    def describe(self) -> str:
        """A plain sentence naming the two C-forests."""
        extra = self.forest - self.subforest
        return (f"hedge: F = {names(self.forest)} and F' = {names(self.subforest)} are both "
                f"confounded districts and every node of {names(extra)} is an ancestor of F' "
                f"inside F, so the mechanisms of {names(extra)} cannot be separated from "
                "those of F'")


class NotIdentifiable(TransportError):  # noqa: N818 - reads as a result, not an error condition
    """The query is not identifiable; `hedge` is the witness."""

    def __init__(self, hedge: Hedge) -> None:
        super().__init__(hedge.describe())
        self.hedge = hedge


# ----- the lines of ID ------------------------------------------------------------------------
def line1_no_intervention(y: frozenset[str], p: Expr, v: frozenset[str]) -> Expr:
    """Line 1: with nothing intervened, P(y) = Σ_{v \\ y} P(v)."""
    return marginal(p, y, v)


def line2_ancestors(d: ProjectedDiagram, y: frozenset[str], v: frozenset[str]) -> frozenset[str]:
    """Line 2: the ancestors of y in G[v]; non-ancestors can be summed out first."""
    return d.ancestors(y, v)


def line3_extra_interventions(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str],
                              v: frozenset[str]) -> frozenset[str]:
    """Line 3: W = (V \\ X) \\ An(Y)_{G_{X-bar}}: intervening on W too leaves P(y|do(x)) as is."""
    return (v - x) - d.ancestors_without_incoming(y, x, v)


def line4_districts(d: ProjectedDiagram, x: frozenset[str], v: frozenset[str]
                    ) -> tuple[frozenset[str], ...]:
    """Line 4: the districts of G[V \\ X]; the effect factorizes over them."""
    return d.districts(v - x)


def line5_hedge(d: ProjectedDiagram, s: frozenset[str], v: frozenset[str]) -> Hedge | None:
    """Line 5: if G[v] is a single district (and S, a district of G[V\\X], is smaller), fail."""
    comps = d.districts(v)
    if len(comps) == 1:
        return Hedge(v, s)
    return None


def markov_given(d: ProjectedDiagram, vi: str, before: Iterable[str]) -> frozenset[str]:
    """The part of v_π^{(i-1)} that P(v_i | v_π^{(i-1)}) depends on.

    With T the district of v_i in G[v_π^{(i)}], v_i is independent of the other predecessors
    given (T ∪ Pa(T)) minus v_i (Tian & Pearl 2002, Lemma 4), so the conditioning set shrinks.
    """
    prefix = frozenset(before) | {vi}
    district = d.district_of(vi, prefix)
    parents = frozenset().union(*(d.parents[t] for t in district)) & prefix
    return (district | parents) - {vi}


def line6_factor(d: ProjectedDiagram, s: frozenset[str], y: frozenset[str], p: Expr,
                 v: frozenset[str]) -> Expr:
    """Line 6: S is a district of G: Σ_{s \\ y} Π_{v_i ∈ S} P(v_i | v_π^{(i-1)})."""
    order = d.sort(v)
    factors = []
    for i, vi in enumerate(order):
        if vi in s:
            factors.append(conditional(p, {vi}, markov_given(d, vi, order[:i]), v))
    return summation(s - y, product(factors))


def line7_restrict(d: ProjectedDiagram, s_big: frozenset[str], p: Expr, v: frozenset[str]) -> Expr:
    """Line 7: S ⊂ S' ∈ C(G): P' = Π_{v_i ∈ S'} P(v_i | v_π^{(i-1)} ∩ S', v_π^{(i-1)} \\ S')."""
    order = d.sort(v)
    return product(conditional(p, {vi}, markov_given(d, vi, order[:i]), v)
                   for i, vi in enumerate(order) if vi in s_big)


HedgeHook = Callable[[frozenset[str], frozenset[str], frozenset[str], Hedge, list[str]], Expr]


def run_id(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str], p: Expr, v: frozenset[str],
           trace: list[str] | None = None, on_hedge: HedgeHook | None = None) -> Expr:
    """ID(y, x, P, G[v]) of Shpitser & Pearl (2006), Figure 3. Raises NotIdentifiable.

    `on_hedge(y, x, v, hedge, trace)` replaces the failure of line 5 (sID uses it to read the
    sub-effect from a source experiment, Bareinboim & Pearl 2012); it may raise itself.
    """
    log = trace if trace is not None else []
    x = x & v
    if not x:
        rest = v - y
        log.append(f"ID line 1: nothing intervened; sum {names(rest)} out of P." if rest
                   else "ID line 1: nothing intervened; the factor is P itself.")
        return line1_no_intervention(y, p, v)
    anc = line2_ancestors(d, y, v)
    if anc != v:
        log.append(f"ID line 2: {names(v - anc)} are not ancestors of {names(y)}; "
                   "they are summed out.")
        return run_id(d, y, x & anc, marginal(p, anc, v), anc, log, on_hedge)
    w = line3_extra_interventions(d, y, x, v)
    if w:
        log.append(f"ID line 3: once {names(x)} is fixed, {names(w)} no longer affect "
                   f"{names(y)}; intervene on them as well.")
        return run_id(d, y, x | w, p, v, log, on_hedge)
    comps = line4_districts(d, x, v)
    if len(comps) > 1:
        log.append("ID line 4: the effect factorizes over the districts "
                   + ", ".join(names(c) for c in comps) + ".")
        parts = [run_id(d, c, v - c, p, v, log, on_hedge) for c in comps]
        return summation(v - (y | x), product(parts))
    s = comps[0]
    hedge = line5_hedge(d, s, v)
    if hedge is not None:
        if on_hedge is not None:
            return on_hedge(y, x, v, hedge, log)
        log.append(f"ID line 5: {names(v)} is a single district containing {names(s)}: "
                   + hedge.describe() + ".")
        raise NotIdentifiable(hedge)
    if s in d.districts(v):
        log.append(f"ID line 6: {names(s)} is a district of the whole graph; "
                   "its factor is a product of conditionals.")
        return line6_factor(d, s, y, p, v)
    s_big = next(c for c in d.districts(v) if s <= c)
    log.append(f"ID line 7: {names(s)} lies inside the district {names(s_big)}; "
               "restrict to it.")
    return run_id(d, y, x & s_big, line7_restrict(d, s_big, p, v), s_big, log, on_hedge)


def identify_effect(d: ProjectedDiagram, y: Iterable[str], x: Iterable[str],
                    population: str = "target", experiment: Iterable[str] = (),
                    trace: list[str] | None = None) -> Expr:
    """P(y | do(x)) from P_population(v | do(experiment)) in diagram `d`.

    The experiment's variables are removed from the graph (their values are fixed), so this
    also answers "is the effect identifiable from this surrogate experiment" (Lee et al. 2019).
    """
    z = frozenset(experiment)
    y_set, x_set = frozenset(y), frozenset(x) - z
    if y_set & (x_set | z):
        raise ProblemError("outcome and treatment overlap")
    v = d.nodes - z
    base = prob(population, v, do=z)
    return run_id(d, y_set, x_set, base, v, trace)


def identify_conditional(d: ProjectedDiagram, y: Iterable[str], x: Iterable[str],
                         given: Iterable[str],
                         population: str = "target",
                         trace: list[str] | None = None) -> Expr:
    """IDC (Shpitser & Pearl 2006b): P(y | do(x), given) from P_population(v)."""
    log = trace if trace is not None else []
    y_set, x_set, z_set = frozenset(y), frozenset(x), frozenset(given)
    for z in sorted(z_set):
        rest = z_set - {z}
        if idc_rule2_applies(d, y_set, x_set, z, rest):
            log.append(f"IDC: ({names(y_set)} ⊥ {z} | {names(x_set | rest)}) once edges into "
                       f"{names(x_set)} and out of {z} are cut; condition on {z} becomes do({z}).")
            return identify_conditional(d, y_set, x_set | {z}, rest, population, log)
    joint = identify_effect(d, y_set | z_set, x_set, population, trace=log)
    domain = y_set | z_set
    return quotient(joint, marginal(joint, z_set, domain))


def idc_rule2_applies(d: ProjectedDiagram, y: frozenset[str], x: frozenset[str], z: str,
                      rest: frozenset[str]) -> bool:
    """IDC line 1 test: (Y ⊥ Z | X, W)_{G_{X-bar, Z-underbar}} (do-calculus rule 2)."""
    return m_separated(d, {z}, y, x | rest, cut_incoming=x, cut_outgoing={z})
