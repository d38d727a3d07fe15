"""Parse `.tdag` text into a Document, or raise TdagError naming every syntax error.

The whole file is parsed at once; only when that fails is it re-read statement by
statement, so that one mistake does not hide the others.
"""

from __future__ import annotations

from functools import cache

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from transport.errors import Diagnostic, TdagError, did_you_mean
from transport.source import Source, Span
from transport.syntax import ast
from transport.syntax.grammar import STATEMENT_KEYWORDS, parser
from transport.syntax.scan import comments, statement_starts

_FRIENDLY = {
    "NAME": "a name",
    "STRING": "a quoted string",
    "NUMBER": "a number",
    "ARROW": "an arrow ('->', '<-' or '<->')",
    "$END": "the end of the file",
}


def parse(source: Source | str) -> ast.Document:
    """The syntax tree of a `.tdag` text; raises TdagError listing every syntax error."""
    if isinstance(source, str):
        source = Source(source)
    found = [
        ast.Comment(c.text, source.span(c.start, c.end)) for c in comments(source.text)
    ]
    try:
        statements = parser().parse(source.text)
    except UnexpectedInput:
        raise TdagError(_recover(source), source) from None
    return ast.Document(tuple(statements), tuple(found))


def _recover(source: Source) -> list[Diagnostic]:
    """Parse each statement-sized chunk on its own and collect their errors."""
    text = source.text
    starts = statement_starts(text) + [len(text)]
    diagnostics: list[Diagnostic] = []
    for begin, end in zip(starts, starts[1:], strict=False):
        line, column = source.position(begin)
        padded = "\n" * (line - 1) + " " * (column - 1) + text[begin:end]
        try:
            parser().parse(padded)
        except UnexpectedInput as error:
            diagnostics.append(_diagnose(error, source, text[begin:end], begin))
    if not diagnostics:  # the chunks parse alone but not together: report the whole-file error
        try:
            parser().parse(text)
        except UnexpectedInput as error:
            diagnostics.append(_diagnose(error, source, text, 0))
    return diagnostics


def _describe_expected(expected: set[str]) -> str:
    grammar = parser()
    names = []
    for terminal in sorted(expected):
        if terminal in _FRIENDLY:
            names.append(_FRIENDLY[terminal])
            continue
        try:
            pattern = grammar.get_terminal(terminal).pattern
        except KeyError:
            continue
        names.append(f"'{pattern.value}'" if pattern.type == "str" else terminal.lower())
    names = sorted(set(names), key=lambda n: (not n.startswith("a"), n))
    if len(names) > 8:
        names = names[:8] + ["..."]
    return ", ".join(names)


def _diagnose(error: UnexpectedInput, source: Source, chunk: str, begin: int) -> Diagnostic:
    """The diagnostic of one chunk's parse error; `begin` is the chunk's offset in the text."""
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = source.line_text(line)[column - 1 : column] or chunk[:1]
        span = Span(line, column, line, column + 1)
        if char == '"':
            return Diagnostic(
                "E003",
                "error",
                "unterminated string",
                span,
                hint='close the string with " on the same line',
            )
        shown = repr(char)[1:-1] if char.isprintable() and char else f"\\u{ord(char or ' '):04x}"
        return Diagnostic("E002", "error", f"unexpected character '{shown}'", span)
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        expected = getattr(error, "expected", None) or getattr(error, "accepts", set())
        last = max(1, source.line_count)
        if chunk.strip():
            line = last
            stripped = chunk.rstrip()
            end_line, end_column = source.position(begin + len(stripped))
            line = end_line
            span = Span(line, end_column, line, end_column + 1)
        else:
            span = Span(last, 1, last, 2)
        return Diagnostic(
            "E004",
            "error",
            f"the statement is not finished; expected {_describe_expected(set(expected))}",
            span,
        )
    assert isinstance(error, UnexpectedToken)
    token: Token = error.token
    span = Span(token.line, token.column, token.end_line, token.end_column)
    expected = set(error.accepts or error.expected)
    shown = str(token)
    what = {"NAME": "name", "STRING": "string", "NUMBER": "number"}.get(token.type, "")
    expected_text = _describe_expected(expected)
    message = f"unexpected {what + ' ' if what else ''}'{shown}'; expected {expected_text}"
    hint = None
    first_word = chunk.split(None, 1)[0] if chunk.split() else ""
    previous_word = _word_before(source.line_text(token.line)[: token.column - 1])
    keywords = _word_keywords()
    if first_word in STATEMENT_KEYWORDS and token.type == "ARROW" and (
        previous_word == first_word
    ):
        hint = (
            f"'{first_word}' starts a {first_word} statement, so it cannot name a variable "
            f"(rename it, e.g. '{first_word}_')"
        )
    elif token.type == "ARROW" and previous_word in keywords:
        hint = (
            f"'{previous_word}' is read as part of the statement before it, not as a "
            f"variable; rename the variable (e.g. '{previous_word}_') or write this edge "
            "after another kind of statement"
        )
    elif previous_word and previous_word not in keywords and previous_word != first_word and (
        did_you_mean(previous_word, keywords)
    ):
        hint = did_you_mean(previous_word, keywords)
    elif first_word and first_word not in STATEMENT_KEYWORDS and "ARROW" in expected:
        hint = did_you_mean(first_word, STATEMENT_KEYWORDS)
        if hint:
            hint = f"'{first_word}' is read as a variable starting an edge; {hint}"
    elif token.type == "NAME":
        keywords = {
            parser().get_terminal(t).pattern.value
            for t in expected
            if t not in _FRIENDLY and _is_word_terminal(t)
        }
        hint = did_you_mean(shown, keywords)
    return Diagnostic("E005", "error", message, span, hint)


def _word_before(text: str) -> str:
    """The word (letters, digits, _ and -) that ends `text`, ignoring trailing spaces; a
    backwards scan, linear in the word's length (a regex search here is quadratic on the
    100,000-character names the fuzzer feeds it)."""
    end = len(text.rstrip())
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-"):
        start -= 1
    word = text[start:end]
    return word if word[:1].isalpha() or word[:1] == "_" else ""


@cache
def _word_keywords() -> frozenset[str]:
    """Every keyword of the grammar that is a word (statement and clause keywords)."""
    return frozenset(
        t.pattern.value for t in parser().terminals
        if t.pattern.type == "str" and t.pattern.value.replace("_", "a").isalpha()
    )


def _is_word_terminal(terminal: str) -> bool:
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return False
    return pattern.type == "str" and pattern.value.replace("_", "a").isalpha()

