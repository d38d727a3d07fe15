"""A transport formula as MathML, so the HTML report shows typeset math with no script and
no network (browsers render MathML Core natively). Bound variables are renamed exactly as
the text and LaTeX forms rename them (a prime when a sum rebinds a name in scope)."""

from __future__ import annotations

from transport.identification.expr import One, Prob, Product, Quotient, Sum, free_vars, to_text
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


#: A formula longer than this (in characters of its text form) is set on several lines,
#: broken between the factors of its product, so neither a page nor a print clips it.
LINE_CHARS = 64
_MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'


def estimand_mathml(estimand, lhs: str | None = None) -> str:
    """`<math display="block">` for an estimand expression, optionally `lhs =` before it;
    a long product is broken into aligned lines (MathML Core has no automatic breaking)."""
    lines = _lines(estimand)
    if len(lines) > 1:
        head = f"<mrow>{lhs}</mrow>" if lhs else ""
        equals = "<mo>=</mo>" if lhs else ""
        rows = [f"<mtr><mtd>{head}</mtd><mtd>{equals}{lines[0]}</mtd></mtr>"]
        rows += [f"<mtr><mtd></mtd><mtd><mo>×</mo>{line}</mtd></mtr>" for line in lines[1:]]
        return (f'{_MATH}<mtable columnalign="right left" displaystyle="true">'
                f'{"".join(rows)}</mtable></math>')
    body = _math(estimand, {}, set(free_vars(estimand)))
    head = f"<mrow>{lhs}</mrow><mo>=</mo>" if lhs else ""
    return f"{_MATH}{head}{body}</math>"


def _lines(estimand) -> list[str]:
    """The formula as lines of MathML: the leading sums and as many factors of the product
    under them as fit LINE_CHARS on the first line, the other factors on further lines."""
    bound: dict[str, str] = {}
    taken = set(free_vars(estimand))
    heads, body = [], estimand
    while isinstance(body, Sum):
        bound, taken = _scope(body, bound, taken)
        heads.append(f"<munder><mo>∑</mo><mrow>{_list([bound[v] for v in body.over])}</mrow>"
                     "</munder>")
        body = body.body
    if not isinstance(body, Product) or len(to_text(estimand)) <= LINE_CHARS:
        return [_math(estimand, {}, set(free_vars(estimand)))]
    lines: list[list[str]] = [[]]
    width = sum(len(h) for h in heads) // 40  # a sum sign is about as wide as two letters
    for factor in body.factors:
        inner = _math(factor, bound, taken)
        if isinstance(factor, Sum) and factor is not body.factors[-1]:
            inner = f"<mo>[</mo>{inner}<mo>]</mo>"
        size = len(to_text(factor))
        if lines[-1] and width + size > LINE_CHARS:
            lines.append([])
            width = 0
        lines[-1].append(f"<mrow>{inner}</mrow>")
        width += size
    text = ["<mo>&#8290;</mo>".join(line) for line in lines]
    text[0] = "".join(heads) + text[0]
    return text


def query_mathml(population: str, outcome: str, treatment: str) -> str:
    """The left-hand side P_target(outcome | do(treatment)) as MathML content."""
    return (f"<msub><mi>P</mi><mtext>{h(population)}</mtext></msub><mo>(</mo>{_mi(outcome)}"
            f"<mo>|</mo><mi>do</mi><mo>(</mo>{_mi(treatment)}<mo>)</mo><mo>)</mo>")
