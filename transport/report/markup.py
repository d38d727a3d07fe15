"""Small HTML builders that escape by default: a plain `str` is always escaped, and only
values wrapped in `Html` (built here or by trusted renderers such as the SVG and MathML
writers) pass through unchanged. Also the number formats shared by HTML and Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from transport.report.escape import h


class Html(str):
    """A string that is already safe HTML."""


def esc(value: object) -> Html:
    """`value` as safe HTML: escaped unless it is already `Html`."""
    return value if isinstance(value, Html) else Html(h(value))


def tag(name: str, *children: object, cls: str | None = None, **attrs: str) -> Html:
    """`<name class=... attr=...>children</name>`, every child and attribute escaped
    unless `Html`. Attribute names ending in `_` lose it (`for_` → `for`)."""
    pairs = ([("class", cls)] if cls else []) + [(k.rstrip("_").replace("_", "-"), v)
                                                   for k, v in attrs.items()]
    head = "".join(f' {k}="{h(v)}"' for k, v in pairs)
    return Html(f"<{name}{head}>{''.join(esc(c) for c in children)}</{name}>")


def code_spans(text: str) -> Html:
    """Text whose `backticked` parts (the toolkit's way of quoting `.tdag` in messages) are
    shown as code, everything escaped; unpaired backticks are left as written."""
    pieces = str(text).split("`")
    if len(pieces) % 2 == 0:
        return esc(text)
    return Html("".join(tag("code", p) if i % 2 else esc(p) for i, p in enumerate(pieces)))


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(sep.join(esc(p) for p in parts))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "grid") -> Html:
    """A table with a header row; cells escaped unless `Html`."""
    head = tag("thead", tag("tr", *(tag("th", x, scope="col") for x in headers)))
    body = tag("tbody", *(tag("tr", *(tag("td", c) for c in row)) for row in rows))
    return tag("table", head, body, cls=cls)


def section(number: int, key: str, title: str, *body: object) -> Html:
    """A numbered report section whose `id` is `key` (the table of contents links to it)."""
    heading = tag("h2", tag("span", f"{number}.", cls="num"), title)
    return tag("section", heading, *body, id=key)


def badge(text: str, kind: str) -> Html:
    """A coloured label (`kind` selects the colour in the stylesheet)."""
    return tag("span", text, cls=f"badge b-{kind}")


def num(value: object, digits: int = 3, signed: bool = False) -> str:
    """A number for reading: fixed digits, a sign when asked, "–" for none."""
    if value is None:
        return "–"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return f"{number:+.{digits}f}" if signed else f"{number:.{digits}f}"


def interval(values: Sequence[float] | None, digits: int = 3) -> str:
    if not values:
        return "–"
    return f"[{num(values[0], digits, True)}, {num(values[1], digits, True)}]"
