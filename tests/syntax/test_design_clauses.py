"""The version 2 clauses: predictions, cluster, weight and recode on data statements, scale
on the query. Parsed into AST nodes with positions, formatted canonically (parse(fmt(x)) ==
parse(x), idempotent, comments kept, long blocks broken at the line length)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transport.api import format_source, parse
from transport.source import Source, Span
from transport.syntax import ast
from transport.syntax.unparse import LINE_LENGTH

ROOT = Path(__file__).resolve().parents[2]


def mixed_subjects_example() -> str:
    """The conjoint example of docs/language.md (the language brief's version 2 example)."""
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```tdag\n(.*?)^```", text, re.M | re.S)
    return next(b for b in blocks if "predictions { saved by gpt4o" in b)


def test_the_clauses_parse_into_their_nodes_with_positions() -> None:
    document = parse(
        'data human "labelled.csv" experiment(more)\n'
        '  predictions { saved by gpt4o = "gpt4o_saved", saved by claude = "c_saved" }\n'
        '  cluster "respondent_id"\n'
        '  weight "design_w"\n'
        '  recode color { "Red" = red, "Blue" = blue }\n'
        '  recode agree { "Strongly disagree" = 1 "Agree" = 5 }\n'
    )
    (data,) = document.statements
    experiment, predictions, cluster, weight, color, agree = data.clauses
    assert isinstance(experiment, ast.ExperimentClause)
    assert [(b.variable.text, b.source.text, b.column.value) for b in predictions.bindings] == [
        ("saved", "gpt4o", "gpt4o_saved"), ("saved", "claude", "c_saved"),
    ]
    assert predictions.span == Span(2, 3, 2, 78)
    assert predictions.bindings[1].source.span == Span(2, 58, 2, 64)
    assert cluster == ast.ClusterClause(ast.Text("respondent_id"))
    assert cluster.span == Span(3, 3, 3, 26)
    assert weight.column.value == "design_w" and weight.column.span == Span(4, 10, 4, 20)
    assert color.variable.text == "color"
    assert [(e.raw.value, e.value.value.text) for e in color.entries] == [
        ("Red", "red"), ("Blue", "blue"),
    ]
    assert [(e.raw.value, e.value.value.value) for e in agree.entries] == [
        ("Strongly disagree", 1), ("Agree", 5),
    ]
    assert agree.entries[1].raw.span == Span(6, 42, 6, 49)
    assert data.span == Span(1, 1, 6, 55)


def test_scale_ends_the_query() -> None:
    text = "estimate effect of more on saved in human contrast 1 vs 0 scale ratio"
    (query,) = parse(text).statements
    assert isinstance(query.clauses[-1], ast.ScaleClause)
    assert query.clauses[-1].scale.text == "ratio"
    assert query.clauses[-1].span == Span(1, 59, 1, 70)


def test_the_clause_words_stay_names_elsewhere() -> None:
    document = parse(
        "var weight continuous\nvar cluster binary\nvar scale binary\n"
        "var recode binary\nvar by binary\nvar predictions binary\ncluster -> weight\n"
    )
    assert [s.name.text for s in document.statements[:6]] == [
        "weight", "cluster", "scale", "recode", "by", "predictions",
    ]


def test_the_mixed_subjects_example_formats_to_this_layout() -> None:
    text = mixed_subjects_example()
    formatted = format_source(Source(text))
    assert parse(formatted) == parse(text)
    assert format_source(Source(formatted)) == formatted
    assert formatted.splitlines()[10:18] == [
        'data gpt4o "gpt4o.csv"      experiment(more)',
        'data human "labelled.csv"   experiment(more)',
        '  predictions { saved by gpt4o = "gpt4o_saved" }',
        '  cluster "respondent_id"',
        '  weight "design_w"',
        'data human "unlabelled.csv" observational measures(more, age)',
        '  predictions { saved by gpt4o = "gpt4o_saved" }',
        '  cluster "respondent_id"',
    ]
    assert formatted.rstrip().endswith("contrast 1 vs 0 scale difference")


def test_long_blocks_break_one_entry_per_line_and_comments_are_kept() -> None:
    sources = ", ".join(f'saved by model_number_{i} = "prediction_column_{i}"' for i in range(3))
    text = (
        f'# labelled\ndata human "l.csv" predictions {{ {sources} }} experiment(more)\n'
        '  recode saved { "Yes" = 1, "No" = 0 } # words\n'
        'x -> y\n'
    )
    formatted = format_source(Source(text))
    assert formatted == (
        "# labelled\n"
        'data human "l.csv"\n'
        "  predictions {\n"
        '    saved by model_number_0 = "prediction_column_0"\n'
        '    saved by model_number_1 = "prediction_column_1"\n'
        '    saved by model_number_2 = "prediction_column_2"\n'
        "  }\n"
        "  experiment(more)\n"
        '  recode saved { "Yes" = 1, "No" = 0 }  # words\n'
        "x -> y\n"
    )
    assert parse(formatted) == parse(text)
    assert max(len(line) for line in formatted.splitlines()) <= LINE_LENGTH
    assert [c.text for c in parse(formatted).comments] == ["# labelled", "# words"]


def test_a_comment_inside_a_data_statement_moves_above_it() -> None:
    text = 'data human "h.csv" experiment(x)\n  # the design weights\n  weight "w"\n'
    formatted = format_source(Source(text))
    assert formatted == '# the design weights\ndata human "h.csv" experiment(x)\n  weight "w"\n'
    assert parse(formatted) == parse(text)


_RAW = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12)
_VALUE = st.one_of(
    st.integers(-5, 9).map(str),
    st.sampled_from(["red", "blue", '"very high"', "0.5", "-1"]),
)
_NAME = st.sampled_from(["x", "saved", "agree", "gpt", "claude_3"])


@st.composite
def _data_statements(draw) -> str:
    clauses = [draw(st.sampled_from(["experiment(x)", "observational", "measures(x, y)"]))]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["predictions", "cluster", "weight", "recode", "columns"]))
        if kind == "predictions":
            entries = [
                f'{draw(_NAME)} by {draw(_NAME)} = "{draw(st.sampled_from(["p", "q r", "é"]))}"'
                for _ in range(draw(st.integers(0, 6)))
            ]
            clauses.append("predictions { " + " ".join(entries) + " }")
        elif kind in ("cluster", "weight"):
            clauses.append(f'{kind} "{draw(st.sampled_from(["id", "w", "a b"]))}"')
        elif kind == "recode":
            raws = draw(st.lists(_RAW, max_size=8))
            entries = [
                '"' + r.replace("\\", "\\\\").replace('"', '\\"') + f'" = {draw(_VALUE)}'
                for r in raws
            ]
            clauses.append(f"recode {draw(_NAME)} {{ {', '.join(entries)} }}")
        else:
            clauses.append('columns { x = "c" }')
    separator = draw(st.sampled_from([" ", "\n  ", "\n"]))
    return f'data human "h.csv"{separator}' + separator.join(clauses) + "\n"


@settings(max_examples=150, deadline=None)
@given(_data_statements(), _data_statements())
def test_random_data_statements_round_trip_through_the_formatter(first: str, second: str) -> None:
    text = first + second + "estimate effect of x on y scale odds_ratio\n"
    formatted = format_source(Source(text))
    assert parse(formatted) == parse(text)
    assert format_source(Source(formatted)) == formatted


@pytest.mark.parametrize("word", ["difference", "ratio", "odds_ratio"])
def test_each_scale_round_trips(word: str) -> None:
    text = f"estimate effect of x on y scale {word}\n"
    assert format_source(Source(text)) == text
