"""Making user text safe: every string a study author wrote (titles, labels, reasons,
citations, paths) passes through one of these before it reaches HTML, SVG or Markdown.

Every function first writes control characters and bidirectional overrides as `\\uXXXX`
(`text_safety.visible`), so no escape sequence survives into a file someone may `cat`.
HTML and SVG need entity escaping (`html.escape` with quotes). Markdown needs more: a
renderer may interpret `*`, `_`, `[`, `|` or a leading `#`, and GitHub passes some inline
HTML through, so `<` and `>` become entities (and `&` when it would start a character
reference such as `&lt;`), and Markdown punctuation is backslash-escaped: backslash,
backtick, `*`, `_`, brackets, `|`, `~` and `$`. Parentheses need no escape once brackets
are; a leading `#`, `+`, `-`, `=` or `1.` is escaped in case the text starts a line.
"""

from __future__ import annotations

import html
import re

from transport.text_safety import visible

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # an `&` that would start a character reference
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def h(value: object) -> str:
    """Text for HTML or SVG element content and attribute values."""
    return html.escape(visible("" if value is None else str(value)), quote=True)


def md(value: object) -> str:
    """Text for inline Markdown: entities for `<`, `>` (and an `&` that would start an
    entity), backslashes for Markdown punctuation, and line breaks folded into spaces (a
    table cell or list item stays one line)."""
    text = visible("" if value is None else str(value))
    text = " ".join(text.split())
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("#", "+", "-", "="):
        text = "\\" + text
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def md_code(value: object) -> str:
    """Text in an inline code span: backticks inside are replaced (a span cannot escape
    them), line breaks folded. Code spans show `<` literally, so no entities are needed."""
    text = " ".join(visible("" if value is None else str(value)).split())
    return "`" + text.replace("`", "'") + "`"


def md_block(value: str) -> str:
    """A fenced code block that the text cannot close early."""
    value = visible(value)
    fence = "```"
    while fence in value:
        fence += "`"
    return f"{fence}text\n{value}\n{fence}"
