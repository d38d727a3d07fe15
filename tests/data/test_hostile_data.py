"""Garbage in data files is an error or a warning naming file, column and rows, never a
silent estimate (issue 14, items 3 and 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from transport.api import load
from transport.cli import main
from transport.data.load import load_study_data, missing_files, read_table
from transport.data.positivity import positivity_warnings, sample_size_warnings
from transport.errors import DataError

STUDY = """
population gpt source "G"
population human target "H"
var x binary treatment
var z categorical({levels})
var n count
var c continuous
var y binary outcome
z -> y
n -> y
c -> y
x -> y
shared y
data gpt "{path}" experiment(x)
estimate effect of x on y in human
"""


def _study(tmp_path: Path, csv: str, name: str = "runs.csv", levels: str = "lo, hi"):
    (tmp_path / name).write_text(csv, encoding="utf-8")
    tdag = tmp_path / "study.tdag"
    tdag.write_text(STUDY.format(path=name, levels=levels), encoding="utf-8")
    return load(tdag), tmp_path / name


# every data error cites the data statement's line of the .tdag file first
CITED = "study.tdag:14: data gpt: "
GOOD_ROWS = "0,lo,1,0.5,0\n1,hi,2,1.5,1\n0,hi,0,2.5,1\n1,lo,3,3.5,0\n"
HEADER = "x,z,n,c,y\n"


def _error(tmp_path: Path, csv: str, **options) -> str:
    study, _ = _study(tmp_path, csv, **options)
    with pytest.raises(DataError) as caught:
        load_study_data(study)
    assert str(caught.value).startswith(CITED)
    return str(caught.value)[len(CITED):]


@pytest.mark.parametrize("value", ["inf", "1e20", "-inf"])
def test_a_count_beyond_what_a_count_can_be_is_refused(tmp_path: Path, value: str) -> None:
    csv = HEADER + GOOD_ROWS + f"0,lo,{value},0.5,1\n"
    assert _error(tmp_path, csv) == (
        f"{tmp_path / 'runs.csv'}: column 'n' (n, count): counts must be whole numbers from 0 "
        f"to 9,007,199,254,740,992: rows 5 (values {float(value)!r})")


def test_a_continuous_value_whose_square_overflows_is_refused(tmp_path: Path) -> None:
    csv = HEADER + GOOD_ROWS + "0,lo,1,1e200,1\n"
    assert _error(tmp_path, csv) == (
        f"{tmp_path / 'runs.csv'}: column 'c' (c, continuous): values beyond ±1e+150 at rows 5 "
        "(values 1e+200); their squares overflow: rescale the column")


def test_a_number_too_long_for_a_float_is_refused_not_a_crash(tmp_path: Path) -> None:
    csv = HEADER + GOOD_ROWS + f"0,lo,{'9' * 400},0.5,1\n"
    assert _error(tmp_path, csv) == (
        f"{tmp_path / 'runs.csv'}: column 'n' (n, count): counts must be whole numbers from 0 "
        f"to 9,007,199,254,740,992: rows 5 (values {'9' * 39}…)")


def test_a_column_named_twice_in_the_header_is_refused(tmp_path: Path) -> None:
    csv = "x,z,n,c,y,y\n" + "".join(row + ",0\n" for row in GOOD_ROWS.splitlines())
    assert _error(tmp_path, csv) == (
        f"{tmp_path / 'runs.csv'}: the header names a column more than once: 'y' (columns 5, "
        "6); name each column once")


def test_an_unused_column_named_twice_is_no_problem(tmp_path: Path) -> None:
    csv = "x,z,n,c,y,junk,junk\n" + "".join(row + ",1,2\n" for row in GOOD_ROWS.splitlines())
    study, _ = _study(tmp_path, csv)
    (data,) = load_study_data(study)
    assert data.frame["y"].tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize("level", ["None", "NA", "null", "NaN"])
def test_a_level_spelt_like_missing_is_a_level(tmp_path: Path, level: str) -> None:
    csv = HEADER + GOOD_ROWS.replace(",hi,", f",{level},")
    study, _ = _study(tmp_path, csv, levels=f"lo, \"{level}\"")
    (data,) = load_study_data(study)
    assert data.frame["z"].tolist() == ["lo", level, level, "lo"]
    assert data.rows_dropped == 0


def test_missing_spellings_elsewhere_are_missing_and_named(tmp_path: Path) -> None:
    csv = HEADER + GOOD_ROWS + "0,lo,NA,0.5,1\n1,,2,null,0\n"
    assert _error(tmp_path, csv) == (
        f"{tmp_path / 'runs.csv'}: missing values: 'z' 1 (rows 6); 'n' 1 (rows 5); 'c' 1 "
        "(rows 6). Drop those rows explicitly with --drop-missing (the count dropped is "
        "reported)")
    study, _ = _study(tmp_path, csv)
    (data,) = load_study_data(study, drop_missing=True)
    assert (data.rows_read, data.rows_dropped, len(data.frame)) == (6, 2, 4)


def test_a_declared_level_3_0_matches_3_in_the_data(tmp_path: Path) -> None:
    csv = HEADER + GOOD_ROWS.replace(",lo,", ",3,").replace(",hi,", ",1.50,")
    study, _ = _study(tmp_path, csv, levels="3.0, 1.5")
    (data,) = load_study_data(study)
    assert data.frame["z"].astype(str).tolist() == ["3.0", "1.5", "1.5", "3.0"]


def test_a_decode_error_names_the_line_and_row(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_bytes(
        (HEADER + GOOD_ROWS).encode() + b"0,l\xe9,1,0.5,1\n" + b"0,lo,1,0.5,1\n" * 3)
    study, _ = _study(tmp_path, "", name="other.csv")
    offset = len((HEADER + GOOD_ROWS).encode()) + 3
    with pytest.raises(DataError) as caught:
        read_table(tmp_path / "runs.csv")
    assert str(caught.value) == (
        f"{tmp_path / 'runs.csv'}: line 6 (data row 5) is not valid UTF-8 (byte 0xe9 at file "
        f"offset {offset}); save the file as UTF-8")


def test_a_decode_error_far_into_a_large_file(tmp_path: Path) -> None:
    row = b"0,lo,1,0.5,1\n"
    count = (3 << 20) // len(row)  # past several 1 MiB blocks
    (tmp_path / "big.csv").write_bytes(HEADER.encode() + row * count + b"0,\xff,1,0.5,1\n")
    with pytest.raises(DataError, match=rf"line {count + 2} \(data row {count + 1}\)"):
        read_table(tmp_path / "big.csv")


def test_a_txt_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "runs.txt").write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(tmp_path / "runs.txt")
    assert str(caught.value) == (f"{tmp_path / 'runs.txt'}: unsupported file type '.txt'; "
                                 "data files are .csv, .tsv, .parquet or .pq")


def _not_a_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "runs.csv"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(tmp_path / "runs.csv")
    else:
        path.symlink_to(tmp_path / "gone.csv")
    return path


@pytest.mark.parametrize(("kind", "message"), [
    ("folder", "is a folder, not a data file"),
    ("fifo", "is not a regular file (a FIFO); give a data file"),
    ("loop", "the symbolic links loop (a link that leads back to itself)"),
    ("dangling", "a symbolic link to a file that does not exist ({tmp}/gone.csv)"),
])
def test_a_path_that_is_no_data_file_says_what_it_is(tmp_path: Path, kind: str,
                                                     message: str) -> None:
    path = _not_a_file(tmp_path, kind)
    tdag = tmp_path / "study.tdag"
    tdag.write_text(STUDY.format(path="runs.csv", levels="lo, hi"), encoding="utf-8")
    study = load(tdag)
    assert missing_files(study) == []  # it is there: not a planned file not made yet
    with pytest.raises(DataError) as caught:
        load_study_data(study)
    assert str(caught.value) == f"{CITED}{path}: " + message.format(tmp=tmp_path)


def test_an_unreadable_data_file_is_a_data_error(tmp_path: Path, monkeypatch, capsys) -> None:
    study, path = _study(tmp_path, HEADER + GOOD_ROWS)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pd, "read_csv", denied)
    code = main(["estimate", str(tmp_path / "study.tdag")])
    assert code == 1
    assert capsys.readouterr().err == (f"error: {CITED}{path}: cannot be read: [Errno 13] "
                                       f"Permission denied: '{path}'\n")


POSITIVITY = """
population gpt source "G"
population human target "H"
var x binary treatment
var a categorical(young, old)
var y binary outcome
a -> y
x -> y
shared y
differs a
data gpt "gpt.csv" experiment(x)
data human "human.csv" observational measures(a)
estimate effect of x on y in human
"""


def _positivity(tmp_path: Path, human_rows: str):
    (tmp_path / "gpt.csv").write_text("x,a,y\n" + "0,young,0\n1,young,1\n" * 20,
                                      encoding="utf-8")
    (tmp_path / "human.csv").write_text("a\n" + human_rows, encoding="utf-8")
    (tmp_path / "study.tdag").write_text(POSITIVITY, encoding="utf-8")
    study = load(tmp_path / "study.tdag")
    return study, load_study_data(study)


def test_a_target_stratum_the_source_never_has_is_named(tmp_path: Path) -> None:
    study, loaded = _positivity(tmp_path, "young\nold\nyoung\nold\n")
    assert positivity_warnings(study, loaded) == (
        f"{tmp_path / 'human.csv'}: 2 of 4 rows (50%) are in strata of 'a' that "
        f"{tmp_path / 'gpt.csv'} (gpt) never has: a=old (rows 2, 4). Positivity fails there: "
        "the human effect in those strata comes from the model, not from data",)
    assert positivity_warnings(study, loaded, variables=()) == ()


def test_no_positivity_warning_when_the_source_covers_the_target(tmp_path: Path) -> None:
    study, loaded = _positivity(tmp_path, "young\n" * 40)
    assert positivity_warnings(study, loaded) == ()
    assert sample_size_warnings(loaded) == ()


def test_a_one_row_file_is_named(tmp_path: Path) -> None:
    _, loaded = _positivity(tmp_path, "young\n")
    assert sample_size_warnings(loaded) == (
        f"{tmp_path / 'human.csv'}: only 1 usable row for human; with so few the interval "
        "restates the model more than the data (at least 30 rows are advisable)",)


def test_report_exits_1_when_the_data_do_not_fit(tmp_path: Path, capsys) -> None:
    _study(tmp_path, HEADER + GOOD_ROWS + "0,lo,inf,0.5,1\n")
    code = main(["report", str(tmp_path / "study.tdag"), "-o", str(tmp_path / "out"),
                 "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == (f"error: {CITED}{tmp_path / 'runs.csv'}: column 'n' (n, count): counts must be "
                   "whole numbers from 0 to 9,007,199,254,740,992: rows 5 (values inf)\n")
    assert (tmp_path / "out" / "report.html").is_file()  # the report says why, too
