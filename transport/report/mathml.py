"""A transport formula as MathML, so the HTML report shows typeset math with no script and
no network (browsers render MathML Core natively). Bound variables are renamed exactly as
the text and LaTeX forms rename them (a prime when a sum rebinds a name in scope)."""

from __future__ import annotations

from transport.identification.expr import One, Prob, Product, Quotient, Sum, free_vars
from transport.report.escape import h


def _mi(name: str) -> str:
    primes = len(name) - len(name.rstrip("'"))
    base = name.rstrip("'")
    variant = "" if len(base) == 1 else ' mathvariant="italic"'
    core = f"<mi{variant}>{h(base)}</mi>"
    return f"<msup>{core}<mo>{'′' * primes}</mo></msup>" if primes else core


def _list(names: list[str]) -> str:
    return '<mo separator="true">,</mo>'.join(_mi(n) for n in names)


def _scope(e: Sum, bound: dict[str, str], taken: set[str]) -> tuple[dict[str, str], set[str]]:
    bound, taken = dict(bound), set(taken)
    for v in e.over:
        shown = v
        if v in taken:
            shown = v + "'"
            while shown in taken:
                shown += "'"
        bound[v] = shown
        taken.add(shown)
    return bound, taken


def _math(e, bound: dict[str, str], taken: set[str]) -> str:
    show = lambda v: bound.get(v, v)  # noqa: E731
    if isinstance(e, One):
        return "<mn>1</mn>"
    if isinstance(e, Prob):
        cond = []
        if e.do:
            cond.append(f"<mi>do</mi><mo>(</mo>{_list([show(v) for v in e.do])}<mo>)</mo>")
        cond.extend(_mi(show(v)) for v in e.given)
        inside = _list([show(v) for v in e.vars])
        if cond:
            inside += '<mo>|</mo>' + '<mo separator="true">,</mo>'.join(cond)
        return (f"<msub><mi>P</mi><mtext>{h(e.population)}</mtext></msub>"
                f"<mo>(</mo>{inside}<mo>)</mo>")
    if isinstance(e, Sum):
        b, t = _scope(e, bound, taken)
        over = _list([b[v] for v in e.over])
        return (f"<munder><mo>∑</mo><mrow>{over}</mrow></munder>"
                f"<mrow>{_math(e.body, b, t)}</mrow>")
    if isinstance(e, Product):
        parts = []
        for f in e.factors:
            inner = _math(f, bound, taken)
            if isinstance(f, Sum) and f is not e.factors[-1]:
                inner = f"<mo>[</mo>{inner}<mo>]</mo>"
            parts.append(f"<mrow>{inner}</mrow>")
        return "<mo>&#8290;</mo>".join(parts)
    assert isinstance(e, Quotient)
    return (f"<mfrac><mrow>{_math(e.numerator, bound, taken)}</mrow>"
            f"<mrow>{_math(e.denominator, bound, taken)}</mrow></mfrac>")


def estimand_mathml(estimand, lhs: str | None = None) -> str:
    """`<math display="block">` for an estimand expression, optionally `lhs =` before it."""
    body = _math(estimand, {}, set(free_vars(estimand)))
    head = f"<mrow>{lhs}</mrow><mo>=</mo>" if lhs else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{head}{body}</math>'


def query_mathml(population: str, outcome: str, treatment: str) -> str:
    """The left-hand side P_target(outcome | do(treatment)) as MathML content."""
    return (f"<msub><mi>P</mi><mtext>{h(population)}</mtext></msub><mo>(</mo>{_mi(outcome)}"
            f"<mo>|</mo><mi>do</mi><mo>(</mo>{_mi(treatment)}<mo>)</mo><mo>)</mo>")
