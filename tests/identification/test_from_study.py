"""identify_study: the answer for a checked study speaks `.tdag`, not the algorithm's
internal names, and blames the mechanism that really differs."""

from __future__ import annotations

import transport
from transport.identification import identify_study

# y is declared shared; the common cause behind x <-> y is not declared, so it is treated
# as differing: that, not y's mechanism, is why the effect is not transportable.
UNDECLARED_CONFOUNDER = """\
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
x <-> y
shared x, y for gpt
data gpt "g.csv" experiment(x) measures(x, y)
data human "h.csv" observational measures(x, y)
estimate effect of x on y in human
"""


def test_a_shared_mechanism_is_not_blamed_for_an_undeclared_confounder():
    answer = identify_study(transport.loads(UNDECLARED_CONFOUNDER))
    assert answer.status == "not_transportable"
    assert ("gpt may differ from the target in the unmeasured common cause behind x <-> y, "
            "which causes {y}") in answer.witness
    assert "gpt's mechanism for {y} may differ" not in answer.witness


def test_suggestions_name_a_common_cause_as_tdag_writes_it():
    answer = identify_study(transport.loads(UNDECLARED_CONFOUNDER))
    assert [s.to_json() for s in answer.suggestions] == [
        {"kind": "share", "population": "gpt", "variables": ["x <-> y"]},
        {"kind": "experiment", "population": "human", "variables": ["x"]},
    ]
    assert not any("U[" in step for step in answer.trace)


def test_a_declared_differing_mechanism_is_still_blamed():
    text = UNDECLARED_CONFOUNDER.replace("shared x, y for gpt",
                                         "shared x for gpt\ndiffers y for gpt\n"
                                         "shared x <-> y for gpt")
    answer = identify_study(transport.loads(text))
    assert answer.status == "not_transportable"
    assert "gpt's mechanism for {y} may differ from the target's" in answer.witness
    assert "unmeasured" not in answer.witness


def test_the_api_takes_a_path(tmp_path):
    path = tmp_path / "study.tdag"
    path.write_text(UNDECLARED_CONFOUNDER, encoding="utf-8")
    assert transport.identify(path) == transport.identify(transport.load(path))
    assert transport.identify(str(path)).status == "not_transportable"


def test_the_api_refuses_what_is_neither_a_study_nor_a_path():
    import pytest

    with pytest.raises(transport.UsageError,
                       match="expected a Study or the path of a .tdag file, not int"):
        transport.identify(3)
