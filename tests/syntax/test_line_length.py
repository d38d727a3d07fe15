"""fmt keeps to the line length where the language lets it break: a long `columns { }`
block gets a binding per line (regression: wrapped blocks were joined into one 157-character
line), and the result parses to the same statements and formats to itself."""

from __future__ import annotations

import pytest

from transport.api import format_source, parse
from transport.syntax.unparse import LINE_LENGTH

HEAD = """\
population gpt source
population human target
var keep binary treatment
var frame binary outcome
keep -> frame
shared frame
"""

BINDINGS = 'keep = "answer.keep_the_value_column", frame = "scenario.frame_of_the_prompt"'


@pytest.mark.parametrize(("data", "expected"), [
    (f'data gpt "runs.csv" experiment(keep) columns {{ {BINDINGS} }}\n',
     'data gpt "runs.csv" experiment(keep) columns {\n'
     '  keep = "answer.keep_the_value_column",\n'
     '  frame = "scenario.frame_of_the_prompt"\n'
     "}\n"),
    (f'data gpt "data/some_rather_long_file_name_for_the_runs.csv" columns {{ {BINDINGS} }} '
     "experiment(keep) measures(keep, frame)\n",
     'data gpt "data/some_rather_long_file_name_for_the_runs.csv"\n'
     "  experiment(keep)\n"
     "  measures(keep, frame)\n"
     "  columns {\n"
     '    keep = "answer.keep_the_value_column",\n'
     '    frame = "scenario.frame_of_the_prompt"\n'
     "  }\n"),
    ('data gpt "runs.csv" experiment(keep) columns { keep = "k" }\n',
     'data gpt "runs.csv" experiment(keep) columns { keep = "k" }\n'),
])
def test_long_columns_blocks_are_wrapped(data, expected):
    formatted = format_source(HEAD + data)
    assert formatted.endswith(expected)
    assert max(len(line) for line in formatted.splitlines()) <= LINE_LENGTH
    assert format_source(formatted) == formatted


def test_wrapping_changes_no_statement():
    text = HEAD + (f'data gpt "runs.csv" experiment(keep) columns {{ {BINDINGS} }}\n'
                   f'calibration "calibration_of_the_gpt_runs.json" for gpt '
                   f"columns {{ {BINDINGS} }}\n")
    formatted = format_source(text)
    assert formatted.splitlines()[-4:] == [
        'calibration "calibration_of_the_gpt_runs.json" for gpt columns {',
        '  keep = "answer.keep_the_value_column",',
        '  frame = "scenario.frame_of_the_prompt"',
        "}",
    ]
    before, after = parse(text).statements, parse(formatted).statements
    assert [type(s) for s in before] == [type(s) for s in after]
    data_before, data_after = before[6], after[6]
    assert [(b.variable.text, b.column.value) for b in data_before.clauses[1].bindings] == [
        (b.variable.text, b.column.value) for b in data_after.clauses[1].bindings]
