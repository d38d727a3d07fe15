"""Data errors a person can act on: they cite the `.tdag` line of the data statement, a
file read with the wrong delimiter says so once (not once per variable), and the spellings
of a binary column that are accepted are exactly the documented ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport.api import load
from transport.data.load import load_study_data
from transport.errors import DataError

STUDY = """\
population gpt source "G"
population human target "H"
var x binary treatment
var y binary outcome
x -> y
shared y
data gpt "runs.csv" experiment(x)
estimate effect of x on y in human
"""


def _write(tmp_path: Path, text: str):
    (tmp_path / "runs.csv").write_text(text, encoding="utf-8")
    (tmp_path / "study.tdag").write_text(STUDY, encoding="utf-8")
    return load(tmp_path / "study.tdag")


def test_a_semicolon_file_gets_one_message_naming_the_delimiter(tmp_path):
    study = _write(tmp_path, "x;y\n1;0\n0;1\n")
    with pytest.raises(DataError) as caught:
        load_study_data(study)
    assert str(caught.value) == (
        f"study.tdag:7: data gpt: {tmp_path / 'runs.csv'}: the file seems to separate its "
        "columns with ';' (its header reads as one column: x;y); save it with commas between "
        "columns, or tabs as a .tsv file")
    assert caught.value.span.line == 7
    diagnostic = caught.value.to_diagnostic().to_json()
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == ("DATA", 7, 1)


def test_a_data_error_cites_the_data_statement(tmp_path):
    study = _write(tmp_path, "x,y\n1,0\n0,maybe\n")
    with pytest.raises(DataError, match=r"^study\.tdag:7: data gpt: .*runs\.csv: "):
        load_study_data(study)


# the documented spellings (docs/language.md, the types table); any case
ACCEPTED = [("true", "false"), ("yes", "no"), ("T", "F"), ("Y", "n"), ("1.0", "0.0")]


@pytest.mark.parametrize(("one", "zero"), ACCEPTED)
def test_binary_spellings_that_are_accepted(tmp_path, one, zero):
    study = _write(tmp_path, f"x,y\n{one},{zero}\n{zero},{one}\n")
    frame = load_study_data(study)[0].frame
    assert frame["x"].tolist() == [1, 0] and frame["y"].tolist() == [0, 1]


@pytest.mark.parametrize("word", ["si", "on", "2", "positive"])
def test_other_spellings_are_refused(tmp_path, word):
    study = _write(tmp_path, f"x,y\n1,{word}\n0,1\n")
    with pytest.raises(DataError, match="runs.csv"):
        load_study_data(study)


def test_the_documented_spellings_are_the_coded_ones():
    from transport.data.validate import _FALSE, _TRUE

    docs = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text("utf-8")
    row = next(line for line in docs.splitlines() if line.startswith("| `binary` |"))
    assert row.startswith("| `binary` | 0, 1 |")
    for word in (_TRUE | _FALSE) - {"1", "0"}:
        assert f"`{word}`" in row, word
