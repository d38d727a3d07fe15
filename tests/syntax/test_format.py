"""The formatter: canonical layout, every comment kept, idempotent, meaning unchanged."""

from __future__ import annotations

import pytest
from shared_fixtures import EXAMPLES, language_examples

from transport.api import format_source, parse
from transport.source import Source


def _texts() -> list[tuple[str, str]]:
    found = [(p.parent.name, p.read_text(encoding="utf-8")) for p in EXAMPLES]
    found += [(f"language-{i}", t) for i, t in enumerate(language_examples())]
    return found


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_format_keeps_meaning_and_comments_and_is_idempotent(name: str, text: str) -> None:
    formatted = format_source(Source(text))
    assert parse(formatted) == parse(text)
    assert format_source(Source(formatted)) == formatted
    original_comments = [c.text for c in parse(text).comments]
    assert [c.text for c in parse(formatted).comments] == original_comments


def test_layout_of_a_messy_file() -> None:
    messy = (
        "# head\n\n\n"
        "population   gpt source \"G\"  population human target \"H\"\n"
        "var x binary treatment   var longer_name   binary outcome # why\n"
        "x->longer_name\n"
        "shared longer_name # inside\n"
        "   because \"a \\\"quoted\\\" reason\" cite \"Horton 2023\"\n"
        "estimate effect of x on longer_name in human\n"
        "# tail\n"
    )
    assert format_source(Source(messy)) == (
        "# head\n"
        "\n"
        'population gpt   source "G"\n'
        'population human target "H"\n'
        "var x           binary treatment\n"
        "var longer_name binary outcome  # why\n"
        "x -> longer_name\n"
        "# inside\n"
        "shared longer_name\n"
        '  because "a \\"quoted\\" reason"\n'
        '  cite "Horton 2023"\n'
        "estimate effect of x on longer_name in human\n"
        "# tail\n"
    )


def test_language_example_keeps_its_layout(language_example: str) -> None:
    formatted = format_source(Source(language_example))
    for line in (
        "population gpt    source \"GPT-class agents prompted with manager personas\"",
        "var ideology ordinal(1..7) \"Self-placed ideology\"",
        "partial age sd 0.5 for claude",
        "age <-> keep  # an unmeasured common cause",
    ):
        assert line in formatted.splitlines()


def test_strings_round_trip_escapes() -> None:
    text = 'study "tab\\there \\"q\\" back\\\\slash \\x kept"\n'
    document = parse(text)
    assert document.statements[0].title.value == 'tab\there "q" back\\slash \\x kept'
    assert parse(format_source(Source(text))) == document


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_bundled_examples_are_in_canonical_layout(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_source(Source(text)) == text
