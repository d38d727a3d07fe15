"""The parser: every construct of the language reference, positions, and our own AST."""

from __future__ import annotations

import pytest
from shared_fixtures import language_examples

from transport.api import parse
from transport.errors import TdagError
from transport.source import Span

#: The statement keyword each AST statement type is written with.
KEYWORDS = {
    "Version": "tdag", "StudyDecl": "study", "PopulationDecl": "population",
    "VariableDecl": "var", "DataDecl": "data", "QueryDecl": "estimate", "FitDecl": "fit",
    "HypothesisDecl": "hypothesis", "DecisionDecl": "decide", "CalibrationDecl": "calibration",
    "ModelDecl": "model",
}


@pytest.mark.parametrize("text", language_examples())
def test_every_language_example_parses_statement_by_statement(text: str) -> None:
    from transport.source import Source

    source = Source(text)
    statements = parse(source).statements
    # as many statements as lines that start one (a keyword, a name or `{` in column 1)
    starts = [line for line in text.splitlines()
              if line[:1].isalpha() or line[:1] == "{"]
    assert len(statements) == len(starts)
    for statement, line in zip(statements, starts, strict=True):
        assert source.line_text(statement.span.line) == line  # each where it is written
        keyword = KEYWORDS.get(type(statement).__name__)
        if keyword is not None:
            assert line.split()[0] == keyword
        elif type(statement).__name__ == "AssumptionDecl":
            assert line.split()[0] in ("shared", "differs", "partial")
        else:
            assert type(statement).__name__ == "EdgeChain"
            assert any(arrow in line for arrow in ("->", "<-"))


def test_the_examples_use_every_kind_of_statement() -> None:
    kinds = {type(s).__name__ for text in language_examples() for s in parse(text).statements}
    assert kinds >= set(KEYWORDS) - {"Version"} | {"EdgeChain", "AssumptionDecl"}


def test_edge_forms_expand_as_dagitty_does() -> None:
    from transport.check.context import expand_chain

    document = parse("a -> b <- c\n{a b} -> {c d}\na <-> d")
    edges = [
        (e.tail.text, e.head.text, e.kind)
        for chain in document.statements
        for e in expand_chain(chain)
    ]
    assert edges == [
        ("a", "b", "->"), ("c", "b", "->"),
        ("a", "c", "->"), ("a", "d", "->"), ("b", "c", "->"), ("b", "d", "->"),
        ("a", "d", "<->"),
    ]


def test_nodes_carry_their_positions() -> None:
    document = parse("var x binary\n  shared x for gpt")
    variable, assumption = document.statements
    assert variable.name.span == Span(1, 5, 1, 6)
    assert assumption.clauses[0].populations[0].span == Span(2, 16, 2, 19)


def test_lark_tree_does_not_leak() -> None:
    document = parse('data gpt "a.csv" experiment(x) columns { x = "c.x" }')
    (data,) = document.statements

    def walk(node: object) -> None:
        assert type(node).__module__ in ("transport.syntax.ast", "builtins"), type(node)
        if isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    walk(getattr(node, name))

    walk(data)


def test_statement_keywords_are_reserved_but_clause_words_are_not() -> None:
    document = parse("var effect binary\nvar because binary\neffect -> because")
    assert [s.name.text for s in document.statements[:2]] == ["effect", "because"]


def test_numbers_in_ranges_are_not_floats() -> None:
    (variable,) = parse("var v ordinal(-3..3)").statements
    (bounds,) = variable.type.args
    assert (bounds.low.value, bounds.high.value) == (-3, 3)


def test_all_syntax_errors_are_reported_together() -> None:
    with pytest.raises(TdagError) as caught:
        parse('population gpt source "x"\nvar x binary (\nvar y binary\nshared y for\nx -> y\n')
    lines = [d.span.line for d in caught.value.diagnostics]
    assert lines == [2, 4]


def test_error_hints_stay_linear_on_huge_names() -> None:
    """A 100,000-character name before a syntax error once took minutes (a backtracking
    regex looked for the word before the error); it must be diagnosed promptly."""
    import signal

    def too_slow(*_):
        raise AssertionError("diagnosing the error took more than 20 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        with pytest.raises(TdagError) as caught:
            parse("data " + "b" * 100_000 + ' "x.csv" observational measures(a, b)(')
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert caught.value.diagnostics[0].code == "E005"
