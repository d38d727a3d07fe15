"""Error recovery: every unfinished statement is reported where it is, even when two are
written identically (regression: both were located at the first, the second dropped)."""

from __future__ import annotations

import pytest

from transport.errors import TdagError
from transport.source import Source
from transport.syntax.parser import parse


def test_two_identical_unfinished_statements_are_two_errors():
    text = "var a binary\nvar b binary\nvar a\nvar a\n"
    with pytest.raises(TdagError) as caught:
        parse(Source(text, "t.tdag"))
    assert [(d.code, d.span.line, d.span.column) for d in caught.value.diagnostics] == [
        ("E004", 3, 6), ("E004", 4, 6)]


def test_an_unfinished_statement_is_found_at_its_own_place_not_at_an_earlier_copy():
    # the same text occurs earlier inside a comment: the error is still on line 3
    text = "# x ->\nvar x binary\nx ->\n"
    with pytest.raises(TdagError) as caught:
        parse(Source(text, "t.tdag"))
    assert [(d.code, d.span.line, d.span.column) for d in caught.value.diagnostics] == [
        ("E004", 3, 5)]
