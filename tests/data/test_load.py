"""Loading data: column binding, validation by declared type, and the exact messages."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from transport.api import load
from transport.data.load import load_study_data
from transport.errors import DataError

STUDY = """
population gpt source "G"
population human target "H"
var x binary treatment
var z categorical(lo, hi)
var w ordinal(1..3)
var y binary outcome
z -> y
w -> y
x -> y
shared y
data gpt "{path}" experiment(x){extra}
estimate effect of x on y in human
"""


def _study(tmp_path: Path, frame: pd.DataFrame, extra: str = "", name: str = "runs.csv"):
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    tdag = tmp_path / "study.tdag"
    tdag.write_text(STUDY.format(path=name, extra=extra), encoding="utf-8")
    return load(tdag), path


def _good() -> pd.DataFrame:
    return pd.DataFrame(
        {"x": [0, 1, 0, 1], "z": ["lo", "hi", "hi", "lo"], "w": [1, 2, 3, 2], "y": [0, 1, 1, 0]}
    )


def test_values_are_coded_by_type_and_files_are_untouched(tmp_path: Path) -> None:
    study, path = _study(tmp_path, _good())
    before = path.read_bytes()
    (data,) = load_study_data(study)
    assert list(data.frame.columns) == ["x", "z", "w", "y"]
    assert list(data.frame["z"].cat.categories) == ["lo", "hi"]
    assert data.frame["w"].tolist() == [1, 2, 3, 2]
    assert path.read_bytes() == before


def test_llm_survey_columns_bind_by_their_last_dotted_part(tmp_path: Path) -> None:
    frame = _good().rename(columns={"x": "scenario.x", "z": "agent.z", "y": "answer.y"})
    frame["model.model"] = "gpt-4"
    study, _ = _study(tmp_path, frame)
    (data,) = load_study_data(study)
    assert data.columns == {"x": "scenario.x", "z": "agent.z", "w": "w", "y": "answer.y"}


def test_parquet_files_load(tmp_path: Path) -> None:
    study, _ = _study(tmp_path, _good(), name="runs.parquet")
    (data,) = load_study_data(study)
    assert data.frame["y"].tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("change", "extra", "message"),
    [
        (lambda f: f.assign(y=[0, 1, 2, "maybe"]), "",
         "column 'y' (y, binary): 2 values are not 0/1: rows 3, 4 (values '2', 'maybe')"),
        (lambda f: f.assign(z=["lo", "mid", "hi", "lo"]), "",
         "column 'z' (z, categorical): 1 values are not among the declared levels (lo, hi): "
         "rows 2 (values 'mid')"),
        (lambda f: f.assign(w=[1, 2, 4, 2.5]), "",
         "column 'w' (w, ordinal): values must be whole numbers from 1 to 3: rows 3, 4 "
         "(values 4.0, 2.5)"),
        (lambda f: f.assign(x=[1, 1, 1, 1]), "",
         "'x' is declared randomized (experiment(x)) but every row has the value 1"),
        (lambda f: f.rename(columns={"y": "Y"}), "",
         "no column for 'y'; did you mean 'Y'?"),
        (lambda f: f.rename(columns={"y": "outcome"}), "",
         "no column for 'y' (columns: x, z, w, outcome); bind one with columns "
         "{ y = \"...\" } or drop 'y' from measures(...)"),
        (lambda f: f.rename(columns={"y": "answer.y"}).assign(**{"other.y": 0}), "",
         "several columns could hold 'y': answer.y, other.y; choose one with columns "
         '{ y = "..." }'),
        (lambda f: f, ' columns { y = "answer.y" }',
         "column 'answer.y' (bound to y by columns {...}) is not in the file"),
        (lambda f: f.assign(y=[0, None, 1, None]), "",
         "missing values: 'y' 2 (rows 2, 4). Drop those rows explicitly with --drop-missing"),
    ],
)
def test_bad_data_is_named_precisely(tmp_path, change, extra, message) -> None:
    study, path = _study(tmp_path, change(_good()), extra)
    with pytest.raises(DataError, match=re.escape(f"{path}: {message}")):
        load_study_data(study)


def test_missing_rows_are_dropped_only_when_asked_and_counted(tmp_path: Path) -> None:
    study, _ = _study(tmp_path, _good().assign(w=[1, None, 3, 2]))
    (data,) = load_study_data(study, drop_missing=True)
    assert (data.rows_read, len(data.frame), data.rows_dropped) == (4, 3, 1)


def test_every_missing_file_is_listed_at_once(tmp_path: Path) -> None:
    tdag = tmp_path / "study.tdag"
    tdag.write_text(STUDY.format(path="nowhere.csv", extra="")
                    + 'data human "absent.csv" observational measures(z, w)\n')
    with pytest.raises(DataError) as caught:
        load_study_data(load(tdag))
    text = str(caught.value)
    assert "nowhere.csv" in text and "absent.csv" in text
