"""Shorthands for the rules: one line per finding."""

from __future__ import annotations

from transport.errors import Diagnostic
from transport.source import Span


def error(code: str, message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, "error", message, span, hint)


def warning(code: str, message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, "warning", message, span, hint)


START = Span(1, 1, 1, 2)
