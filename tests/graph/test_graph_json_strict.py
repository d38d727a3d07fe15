"""`graph --format json` is strict JSON whatever the numbers (issue 14, item 3)."""

from __future__ import annotations

import json
import math

from shared_fixtures import MINIMAL_STUDY

from transport.api import export_graph, loads
from transport.json_text import json_text, non_finite_warning


def test_graph_json_parses_strictly() -> None:
    study = loads(MINIMAL_STUDY.replace("shared y", "partial y sd 1e300"))
    text = export_graph(study, "json")
    data = json.loads(text, parse_constant=lambda token: (_ for _ in ()).throw(ValueError(token)))
    assert [m["sd"] for m in data["mechanisms"] if m["mechanism"] == "y"] == [1e300]


def test_non_finite_numbers_become_null_and_are_named() -> None:
    written = json_text({"a": [1.0, math.nan], "b": {"c": math.inf}, "d": -math.inf})
    assert json.loads(written.text) == {"a": [1.0, None], "b": {"c": None}, "d": None}
    assert "NaN" not in written.text and "Infinity" not in written.text
    assert written.replaced == ("a[1]", "b.c", "d")
    assert non_finite_warning(written.replaced) == (
        "3 numbers in the JSON output were not finite (NaN or infinite) and written as null: "
        "a[1], b.c, d")


def test_c1_controls_in_strings_are_escaped_and_read_back() -> None:
    written = json_text({"t": "a\x9b31mb\u202e"})
    assert "\x9b" not in written.text and "\u202e" not in written.text
    assert json.loads(written.text) == {"t": "a\x9b31mb\u202e"}
