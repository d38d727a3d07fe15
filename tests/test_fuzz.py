"""Property tests: whatever the input, the front end answers with diagnostics, never a crash.

Inputs are mutations of the bundled examples and of the language brief's example: tokens
deleted, duplicated, swapped or replaced, random bytes and unicode inserted, names of
100,000 characters, braces and parentheses nested 10,000 deep, and non-UTF-8 files. For
each, only TdagError (or UsageError, for file-level problems) may escape
`transport.api.parse` / `check_source` / `check_file`; every diagnostic points at a line
and column inside the file, and renders.

The default run is quick; `pytest -m slow tests/test_fuzz.py` runs many more examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fuzz_vocabulary import LANGUAGE_WORDS, TOKEN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transport.api import check_file, check_source, parse, read_source
from transport.errors import Diagnostic, TdagError, UsageError
from transport.source import Source

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = ROOT / "docs" / "language.md"


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/*/study.tdag"))]
    texts += re.findall(r"```tdag\n(.*?)```", LANGUAGE.read_text(encoding="utf-8"), re.S)
    return texts


CORPUS = _corpus()
WORDS = [*LANGUAGE_WORDS, "\n", " "]

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
HEAVY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
SLOW_HEAVY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


# --- the invariants ------------------------------------------------------------------------


def assert_usable(diagnostic: Diagnostic, source: Source) -> None:
    """The diagnostic points inside the file and renders, as text and as JSON."""
    span = diagnostic.span
    assert span is not None, f"{diagnostic.code} has no position: {diagnostic.message}"
    assert 1 <= span.line <= source.line_count, (diagnostic, source.line_count)
    assert 1 <= span.column <= len(source.line_text(span.line)) + 1, (
        diagnostic,
        source.line_text(span.line)[:80],
    )
    rendered = diagnostic.render(source)
    assert f"[{diagnostic.code}]" in rendered
    assert diagnostic.to_json()["code"] == diagnostic.code


def assert_robust(text: str) -> None:
    """Only TdagError escapes parse and check, and every diagnostic is usable."""
    source = Source(text, "fuzz.tdag")
    try:
        parse(source)
    except TdagError as error:
        assert error.diagnostics, "TdagError without diagnostics"
        assert all(d.is_error for d in error.diagnostics)
        for diagnostic in error.diagnostics:
            assert_usable(diagnostic, source)
        error.render()
        return
    result = check_source(source)  # parsed: check must not raise at all
    assert (result.study is None) == bool(result.errors)
    for diagnostic in result.diagnostics:
        assert_usable(diagnostic, source)


# --- mutations -----------------------------------------------------------------------------


def _edit(data: st.DataObject, parts: list[str]) -> list[str]:
    if not parts:
        return [data.draw(st.sampled_from(WORDS))]
    i = data.draw(st.integers(0, len(parts) - 1), label="at")
    op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert"]))
    if op == "delete":
        del parts[i]
    elif op == "duplicate":
        parts.insert(i, parts[i])
    elif op == "swap":
        j = data.draw(st.integers(0, len(parts) - 1), label="with")
        parts[i], parts[j] = parts[j], parts[i]
    elif op == "replace":
        parts[i] = data.draw(st.sampled_from(WORDS))
    else:
        parts.insert(i, " " + data.draw(st.sampled_from(WORDS)) + " ")
    return parts


def _insert(data: st.DataObject, text: str, piece: str) -> str:
    at = data.draw(st.integers(0, len(text)), label="offset")
    return text[:at] + piece + text[at:]


def token_mutations(data: st.DataObject) -> None:
    parts = TOKEN.findall(data.draw(st.sampled_from(CORPUS)))
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        parts = _edit(data, parts)
    assert_robust("".join(parts))


def random_bytes(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(CORPUS))
    noise = data.draw(st.binary(min_size=1, max_size=16)).decode("latin-1")
    assert_robust(_insert(data, text, noise))


def random_unicode(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(CORPUS))
    noise = data.draw(st.text(min_size=1, max_size=24))
    assert_robust(_insert(data, text, noise))


def arbitrary_text(data: st.DataObject) -> None:
    alphabet = st.one_of(st.sampled_from(WORDS), st.characters(), st.sampled_from('{}()"#\n'))
    assert_robust("".join(data.draw(st.lists(alphabet, max_size=60))))


def huge_names(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(CORPUS))
    names = sorted(set(re.findall(r"\b[a-z_]+\b", text)))
    name = data.draw(st.sampled_from(names))
    huge = data.draw(st.sampled_from(["a", "x_", "é", "Z9"])) * (100_000 // 2)
    everywhere = data.draw(st.booleans())
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    assert_robust(pattern.sub(huge, text, count=0 if everywhere else 1))


def deep_nesting(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(CORPUS))
    opener, closer = data.draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ")"), ("(", "}")]))
    depth = data.draw(st.sampled_from([100, 1000, 10_000]))
    closed = data.draw(st.booleans())
    piece = opener * depth + (closer * depth if closed else "")
    assert_robust(_insert(data, text, piece))


def non_utf8_files(data: st.DataObject, folder: Path) -> None:
    raw = data.draw(st.sampled_from(CORPUS)).encode("utf-8")
    if data.draw(st.booleans(), label="bom"):
        raw = b"\xef\xbb\xbf" + raw
    bad = data.draw(st.sampled_from([b"\xff", b"\xc3(", b"\xe2\x82", b"\x80", b"\xed\xa0\x80"]))
    at = data.draw(st.integers(0, len(raw)), label="offset")
    payload = raw[:at] + bad + data.draw(st.binary(max_size=8)) + raw[at:]
    path = folder / "bad.tdag"
    path.write_bytes(payload)
    try:
        source = read_source(path)
    except TdagError as error:
        assert [d.code for d in error.diagnostics] == ["E001"]
        for diagnostic in error.diagnostics:
            assert_usable(diagnostic, error.source)
        return
    except UsageError:
        return
    # the bytes happened to decode (for example the invalid byte was cut in a valid place)
    try:
        _, result = check_file(path)
    except TdagError as error:
        for diagnostic in error.diagnostics:
            assert_usable(diagnostic, error.source)
        return
    for diagnostic in result.diagnostics:
        assert_usable(diagnostic, source)


# --- the tests: quick by default, many more examples with -m slow ---------------------------


def _property(body, config):
    @config
    @given(st.data())
    def test(data):
        body(data)

    test.__doc__ = body.__doc__
    return test


test_token_mutations = _property(token_mutations, FAST)
test_random_bytes = _property(random_bytes, FAST)
test_random_unicode = _property(random_unicode, FAST)
test_arbitrary_text = _property(arbitrary_text, FAST)
test_huge_names = _property(huge_names, HEAVY)
test_deep_nesting = _property(deep_nesting, HEAVY)

test_token_mutations_slow = pytest.mark.slow(_property(token_mutations, SLOW))
test_random_bytes_slow = pytest.mark.slow(_property(random_bytes, SLOW))
test_random_unicode_slow = pytest.mark.slow(_property(random_unicode, SLOW))
test_arbitrary_text_slow = pytest.mark.slow(_property(arbitrary_text, SLOW))
test_huge_names_slow = pytest.mark.slow(_property(huge_names, SLOW_HEAVY))
test_deep_nesting_slow = pytest.mark.slow(_property(deep_nesting, SLOW_HEAVY))


@FAST
@given(st.data())
def test_non_utf8_files(tmp_path_factory, data):
    non_utf8_files(data, tmp_path_factory.mktemp("bytes"))


@pytest.mark.slow
@SLOW
@given(st.data())
def test_non_utf8_files_slow(tmp_path_factory, data):
    non_utf8_files(data, tmp_path_factory.mktemp("bytes"))


def test_corpus_is_clean():
    """The unmutated inputs check without errors, so mutations start from valid files."""
    assert len(CORPUS) >= 3
    for text in CORPUS:
        assert not check_source(Source(text)).errors


@pytest.mark.parametrize("text", ["", "\n", "   ", "# only a comment", "\ufeff", "\x00", "\r"])
def test_degenerate_inputs(text):
    assert_robust(text)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UsageError):
        check_file(tmp_path / "absent.tdag")
    with pytest.raises(UsageError):
        check_file(tmp_path)
