"""Notebook display without upward imports: value types ask this registry for their HTML
(`_repr_html_`), and the report stage, which knows how to draw them, registers renderers.

The value types (`Study`, `Identification`, `EstimateResult`) sit below the report stage,
so they cannot import it; `import transport` imports `transport.report.notebook`, which
fills the registry, so any value a user can hold has its renderer registered. A kind with
no renderer displays as its plain repr (Jupyter falls back when `_repr_html_` returns None).
"""

from __future__ import annotations

from collections.abc import Callable

_RENDERERS: dict[str, Callable[[object], str]] = {}


def register_html(kind: str, render: Callable[[object], str]) -> None:
    """Make `render(value)` the HTML of every value of `kind` ("study", "identification",
    "estimate"); a later registration replaces an earlier one."""
    _RENDERERS[kind] = render


def html_of(kind: str, value: object) -> str | None:
    """The registered HTML of `value`, or None when no renderer is registered for `kind`."""
    render = _RENDERERS.get(kind)
    return None if render is None else render(value)
