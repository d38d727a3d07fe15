"""Estimands as immutable, canonical expression values.

An estimand is built from probability terms P_pop(vars | given, do(...)) read from one
population's (experimental) distribution, sums over variables, products and quotients.
Build expressions through `prob`, `summation`, `product` and `quotient`: they put the result
in canonical form (sorted, flattened, simplified), so equal formulas compare equal and the
text is stable. Sums bind their variables: the same name inside and outside a sum refers to
different values (rendered with a prime in text, e.g. the x' of the front-door formula).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from transport.errors import ProblemError

Expr = Union["One", "Prob", "Sum", "Product", "Quotient"]


class _Rendered:
    """Methods shared by all expression values (they delegate to the module functions)."""

    __slots__ = ()

    def to_text(self) -> str:
        """Plain-text rendering (see module function `to_text`)."""
        return to_text(self)  # type: ignore[arg-type]

    def to_latex(self) -> str:
        """LaTeX rendering (see module function `to_latex`)."""
        return to_latex(self)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """JSON-able tree (see module function `to_json`)."""
        return to_json(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class One(_Rendered):
    """The constant 1 (an empty product, or a distribution summed over all its variables)."""


@dataclass(frozen=True)
class Prob(_Rendered):
    """P_population(vars | given, do(do)): a conditional of one population's distribution."""

    population: str
    vars: tuple[str, ...]
    given: tuple[str, ...] = ()
    do: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sum(_Rendered):
    """Σ over `over` (bound variables) of `body`."""

    over: tuple[str, ...]
    body: Expr


@dataclass(frozen=True)
class Product(_Rendered):
    """The product of two or more factors."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True)
class Quotient(_Rendered):
    """numerator / denominator."""

    numerator: Expr
    denominator: Expr


ONE = One()


# ----- free variables and ordering ------------------------------------------------------------
def free_vars(e: Expr) -> frozenset[str]:
    """Variables whose values the expression depends on (not bound by a sum)."""
    if isinstance(e, One):
        return frozenset()
    if isinstance(e, Prob):
        return frozenset(e.vars) | frozenset(e.given) | frozenset(e.do)
    if isinstance(e, Sum):
        return free_vars(e.body) - frozenset(e.over)
    if isinstance(e, Product):
        return frozenset().union(*(free_vars(f) for f in e.factors))
    return free_vars(e.numerator) | free_vars(e.denominator)


def sort_key(e: Expr) -> tuple:
    """Total order on expressions used to canonicalize products."""
    if isinstance(e, One):
        return (0,)
    if isinstance(e, Prob):
        return (1, e.population, e.do, len(e.vars), e.vars, e.given)
    if isinstance(e, Sum):
        return (2, sort_key(e.body), e.over)
    if isinstance(e, Product):
        return (3, tuple(sort_key(f) for f in e.factors))
    return (4, sort_key(e.numerator), sort_key(e.denominator))


def _sorted(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(names)))


# ----- smart constructors ---------------------------------------------------------------------
def prob(population: str, vars: Iterable[str], given: Iterable[str] = (),
         do: Iterable[str] = ()) -> Expr:
    """A probability term; P(∅ | ...) is 1 and variables repeated in `given` are dropped."""
    do_t = _sorted(do)
    given_t = _sorted(set(given) - set(do_t))
    vars_t = _sorted(set(vars) - set(given_t) - set(do_t))
    if not vars_t:
        return ONE
    return Prob(population, vars_t, given_t, do_t)


def product(factors: Iterable[Expr]) -> Expr:
    """Product of factors: flattened, ones dropped, sorted; a single factor is returned as is."""
    flat: list[Expr] = []
    for f in factors:
        if isinstance(f, Product):
            flat.extend(f.factors)
        elif not isinstance(f, One):
            flat.append(f)
    flat = _chain_merge(flat)
    if not flat:
        return ONE
    if len(flat) == 1:
        return flat[0]
    return Product(tuple(sorted(flat, key=sort_key)))


def _chain_merge(factors: list[Expr]) -> list[Expr]:
    """Chain rule backwards: P(A | C) P(B | A, C) = P(A, B | C) (same population, same do)."""
    out = list(factors)
    merged = True
    while merged:
        merged = False
        for i, f in enumerate(out):
            if not isinstance(f, Prob):
                continue
            for j, g in enumerate(out):
                if i == j or not isinstance(g, Prob):
                    continue
                if (f.population == g.population and f.do == g.do
                        and set(g.given) == set(f.vars) | set(f.given)):
                    joint = Prob(f.population, _sorted(set(f.vars) | set(g.vars)), f.given, f.do)
                    out = [h for k, h in enumerate(out) if k not in (i, j)] + [joint]
                    merged = True
                    break
            if merged:
                break
    return out


def _factors(e: Expr) -> list[Expr]:
    if isinstance(e, Product):
        return list(e.factors)
    if isinstance(e, One):
        return []
    return [e]


def quotient(numerator: Expr, denominator: Expr) -> Expr:
    """numerator / denominator with identical factors cancelled.

    P(A ∪ B | C) / P(B | C) from the same population and experiment becomes P(A | B, C).
    """
    num = Counter(_factors(numerator))
    den = Counter(_factors(denominator))
    common = num & den
    num -= common
    den -= common
    num_l = list(num.elements())
    den_l = list(den.elements())
    if not den_l:
        return product(num_l)
    # Joint over marginal -> conditional.
    if len(den_l) == 1 and isinstance(den_l[0], Prob):
        d = den_l[0]
        for i, n in enumerate(num_l):
            if (isinstance(n, Prob) and n.population == d.population and n.do == d.do
                    and n.given == d.given and set(d.vars) < set(n.vars)):
                cond = prob(n.population, set(n.vars) - set(d.vars), set(d.vars) | set(n.given),
                            n.do)
                return product(num_l[:i] + [cond] + num_l[i + 1:])
    return Quotient(product(num_l), product(den_l))


def summation(over: Iterable[str], body: Expr) -> Expr:
    """Σ_over body, simplified.

    Variables that do not occur free in the body are dropped; a variable occurring in a single
    factor, as a head variable of a probability term, is marginalized out of that term
    (Σ_b P(a, b | c) = P(a | c)); factors not mentioning any summed variable move outside.
    """
    over_set = set(over) & free_vars(body)
    if not over_set:
        return body
    if isinstance(body, Prob) and over_set <= set(body.vars):
        return prob(body.population, set(body.vars) - over_set, body.given, body.do)
    if isinstance(body, Sum) and not (set(body.over) & over_set):
        return summation(over_set | set(body.over), body.body)
    factors = _factors(body)
    changed = True
    while changed and over_set:
        changed = False
        frees = [free_vars(f) for f in factors]
        for v in sorted(over_set):
            holders = [i for i, fv in enumerate(frees) if v in fv]
            if not holders:
                over_set.discard(v)
                changed = True
                break
            if len(holders) == 1:
                f = factors[holders[0]]
                if isinstance(f, Prob) and v in f.vars:
                    # every summed head variable of f found only in f goes at once
                    others = set().union(*(fv for i, fv in enumerate(frees) if i != holders[0]))
                    drop = {u for u in over_set & set(f.vars) if u not in others}
                    factors[holders[0]] = prob(f.population, set(f.vars) - drop, f.given, f.do)
                    over_set -= drop
                    changed = True
                    break
    factors = [f for f in factors if not isinstance(f, One)]
    if not over_set:
        return product(factors)
    inside = [f for f in factors if free_vars(f) & over_set]
    outside = [f for f in factors if not free_vars(f) & over_set]
    inner = product(inside)
    if isinstance(inner, Sum) and not (set(inner.over) & over_set):
        inner_sum = Sum(_sorted(over_set | set(inner.over)), inner.body)
    else:
        inner_sum = Sum(_sorted(over_set), inner)
    return product(outside + [inner_sum])


def marginal(e: Expr, keep: Iterable[str], domain: Iterable[str]) -> Expr:
    """Σ over domain \\ keep of e: the marginal of a distribution over `domain`."""
    return summation(set(domain) - set(keep), e)


def conditional(e: Expr, heads: Iterable[str], given: Iterable[str], domain: Iterable[str]) -> Expr:
    """e(heads | given) for a distribution e over `domain`, as a (simplified) quotient."""
    heads, given = set(heads), set(given)
    if isinstance(e, Prob) and not e.given:
        return prob(e.population, heads, given, e.do)
    return quotient(marginal(e, heads | given, domain), marginal(e, given, domain))


# ----- rendering ------------------------------------------------------------------------------
def _display(bound: dict[str, str], v: str) -> str:
    return bound.get(v, v)


def _fresh(v: str, taken: set[str]) -> str:
    name = v + "'"
    while name in taken:
        name += "'"
    return name


def _scope(e: Sum, bound: dict[str, str], taken: set[str]) -> tuple[dict[str, str], set[str]]:
    new_bound = dict(bound)
    new_taken = set(taken)
    for v in e.over:
        shown = _fresh(v, new_taken) if v in new_taken else v
        new_bound[v] = shown
        new_taken.add(shown)
    return new_bound, new_taken


def to_text(e: Expr) -> str:
    """Plain-text rendering, e.g. "Σ_{z} P_gpt(y | do(x), z) P_human(z)"."""
    return _text(e, {}, set(free_vars(e)))


def _text(e: Expr, bound: dict[str, str], taken: set[str]) -> str:
    if isinstance(e, One):
        return "1"
    if isinstance(e, Prob):
        head = ", ".join(_display(bound, v) for v in e.vars)
        cond = []
        if e.do:
            cond.append("do(" + ", ".join(_display(bound, v) for v in e.do) + ")")
        cond.extend(_display(bound, v) for v in e.given)
        inside = head + (" | " + ", ".join(cond) if cond else "")
        return f"P_{e.population}({inside})"
    if isinstance(e, Sum):
        b, t = _scope(e, bound, taken)
        over = ",".join(b[v] for v in e.over)
        return f"Σ_{{{over}}} " + _text(e.body, b, t)
    if isinstance(e, Product):
        parts = []
        for f in e.factors:
            s = _text(f, bound, taken)
            last = f is e.factors[-1]
            parts.append(f"[{s}]" if isinstance(f, Quotient) or (isinstance(f, Sum) and not last)
                         else s)
        return " ".join(parts)
    num = _text(e.numerator, bound, taken)
    den = _text(e.denominator, bound, taken)
    wrap_n = isinstance(e.numerator, Product | Sum)
    wrap_d = isinstance(e.denominator, Product | Sum)
    return f"{'(' + num + ')' if wrap_n else num} / {'(' + den + ')' if wrap_d else den}"


def to_latex(e: Expr) -> str:
    r"""LaTeX rendering, e.g. "\sum_{z} P_{\text{gpt}}(y \mid do(x), z) P_{\text{human}}(z)"."""
    return _latex(e, {}, set(free_vars(e)))


def _tex_var(name: str) -> str:
    primes = len(name) - len(name.rstrip("'"))
    base = name.rstrip("'")
    body = base if len(base) == 1 else r"\mathit{" + base.replace("_", r"\_") + "}"
    return body + "'" * primes


def _latex(e: Expr, bound: dict[str, str], taken: set[str]) -> str:
    if isinstance(e, One):
        return "1"
    if isinstance(e, Prob):
        head = ", ".join(_tex_var(_display(bound, v)) for v in e.vars)
        cond = []
        if e.do:
            cond.append(r"do(" + ", ".join(_tex_var(_display(bound, v)) for v in e.do) + ")")
        cond.extend(_tex_var(_display(bound, v)) for v in e.given)
        inside = head + (r" \mid " + ", ".join(cond) if cond else "")
        pop = e.population.replace("_", r"\_")
        return rf"P_{{\text{{{pop}}}}}({inside})"
    if isinstance(e, Sum):
        b, t = _scope(e, bound, taken)
        over = ", ".join(_tex_var(b[v]) for v in e.over)
        return rf"\sum_{{{over}}} " + _latex(e.body, b, t)
    if isinstance(e, Product):
        parts = []
        for f in e.factors:
            s = _latex(f, bound, taken)
            last = f is e.factors[-1]
            parts.append(rf"\left[{s}\right]" if isinstance(f, Sum) and not last else s)
        return " ".join(parts)
    return rf"\frac{{{_latex(e.numerator, bound, taken)}}}{{{_latex(e.denominator, bound, taken)}}}"


def to_json(e: Expr) -> dict[str, Any]:
    """A JSON-able tree: {"type": "prob"|"sum"|"product"|"quotient"|"one", ...}."""
    if isinstance(e, One):
        return {"type": "one"}
    if isinstance(e, Prob):
        return {"type": "prob", "population": e.population, "vars": list(e.vars),
                "given": list(e.given), "do": list(e.do)}
    if isinstance(e, Sum):
        return {"type": "sum", "over": list(e.over), "body": to_json(e.body)}
    if isinstance(e, Product):
        return {"type": "product", "factors": [to_json(f) for f in e.factors]}
    return {"type": "quotient", "numerator": to_json(e.numerator),
            "denominator": to_json(e.denominator)}


def from_json(tree: dict[str, Any]) -> Expr:
    """Inverse of `to_json` (rebuilds through the canonicalizing constructors)."""
    kind = tree["type"]
    if kind == "one":
        return ONE
    if kind == "prob":
        return prob(tree["population"], tree["vars"], tree["given"], tree["do"])
    if kind == "sum":
        return summation(tree["over"], from_json(tree["body"]))
    if kind == "product":
        return product(from_json(f) for f in tree["factors"])
    if kind == "quotient":
        return quotient(from_json(tree["numerator"]), from_json(tree["denominator"]))
    raise ProblemError(f"unknown expression node {kind!r}")


def leaves(e: Any) -> list[Any]:
    """Every node below sums, products and quotients, in order of appearance (probability
    terms, ones, and any leaf node a caller substituted, such as a conditional mean)."""
    if isinstance(e, Sum):
        return leaves(e.body)
    if isinstance(e, Product):
        return [t for f in e.factors for t in leaves(f)]
    if isinstance(e, Quotient):
        return leaves(e.numerator) + leaves(e.denominator)
    return [e]


def terms(e: Expr) -> list[Prob]:
    """All probability terms of the expression, in order of appearance."""
    return [t for t in leaves(e) if isinstance(t, Prob)]


def evaluate(e: Expr, tables: Any, assignment: Any) -> float:
    """Numeric value of an estimand; see `transport.identification.evaluate.evaluate`."""
    from .evaluate import evaluate as _evaluate

    return _evaluate(e, tables, assignment)
