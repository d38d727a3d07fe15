"""One sanitiser for text that reaches a terminal, a report or an export.

A study file, a data file's header or a path can carry control characters: ESC and the
C1 controls start terminal escape sequences (which can retitle a window, rewrite the
screen or hide text), `\\r` and the bidirectional overrides make what is shown differ from
what is there, NUL breaks DOT and most of them make GraphML invalid XML. `visible` writes
each such character as its `\\uXXXX` code, so nothing is lost or hidden and nothing acts on
the terminal. The `\\uXXXX` form is also a valid escape inside a JSON string, so JSON text
can pass through `visible` and stay valid JSON. Tabs and newlines are kept.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, bidirectional marks, embeddings,
#: overrides and isolates, and the Unicode line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every unsafe character written as its `\\uXXXX` code."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_visible(text: str) -> bool:
    """True when `text` has no character `visible` would replace."""
    return _UNSAFE.search(text) is None


__all__ = ["is_visible", "visible"]
