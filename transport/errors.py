"""The one error family: structured diagnostics for programs, rendered with a caret for people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from transport.source import Source, Span

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a file: a stable code, a message, where, and how to fix it."""

    code: str
    severity: Severity
    message: str
    span: Span | None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        span = self.span or Span(0, 0, 0, 0)
        return (span.line, span.column, self.code, self.message)

    def to_json(self) -> dict:
        span = self.span
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "hint": self.hint,
        }

    def render(self, source: Source) -> str:
        """`file:line:col: severity[CODE]: message`, the source line, a caret, the hint."""
        span = self.span
        if span is None:
            head = f"{source.name}: {self.severity}[{self.code}]: {self.message}"
            return head + (f"\n  = help: {self.hint}" if self.hint else "")
        where = f"{source.name}:{span.line}:{span.column}"
        head = f"{where}: {self.severity}[{self.code}]: {self.message}"
        text = source.line_text(span.line)
        gutter = str(span.line)
        pad = " " * len(gutter)
        start = min(span.column - 1, len(text))
        if span.end_line == span.line:
            width = max(1, span.end_column - span.column)
        else:
            width = max(1, len(text) - start)
        width = max(1, min(width, max(1, len(text) - start)))
        shown = "".join(
            " " if ch == "\t" else ("\ufffd" if ch < " " or ch == "\x7f" else ch) for ch in text
        )
        lines = [head, f" {gutter} | {shown}", f" {pad} | {' ' * start}{'^' * width}"]
        if self.hint:
            lines.append(f" {pad} = help: {self.hint}")
        return "\n".join(lines)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Sorted by position, duplicates removed."""
    return tuple(sorted(set(diagnostics), key=Diagnostic.sort_key))


class TransportError(Exception):
    """The root of every error the toolkit raises on purpose: catch this one type to catch
    them all (a bug in the toolkit is anything else)."""


class TdagError(TransportError):
    """Raised when a file has errors: carries every diagnostic found, sorted by position."""

    def __init__(self, diagnostics: Sequence[Diagnostic], source: Source) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.render(self.source) for d in self.diagnostics)


class UsageError(TransportError):
    """A mistake in how the toolkit was called (a missing file, a bad option): exit code 2."""


class DataError(TransportError):
    """Data that do not fit what the study declares: exit code 1. `span` is the data
    statement the file belongs to, when one does (as a diagnostic, code DATA)."""

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.span = span

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic("DATA", "error", str(self), self.span)


class NotEstimable(DataError):
    """The effect is not identified and nothing in the file lets a model borrow strength:
    `estimate` refuses (exit code 1) rather than give a number the file does not license."""


class ProblemError(TransportError):
    """An identification problem that does not describe a question (an unknown variable, a
    cyclic graph, a treatment that is also the outcome): raised by `transport.identification`
    for problems built by hand; a checked study never produces one."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, as a hint, or None."""
    import difflib

    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return f"did you mean '{lowered[name.lower()]}'?"
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None
