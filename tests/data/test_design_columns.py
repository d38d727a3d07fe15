"""Loading the version 2 columns: per-unit predictions, cluster ids and weights (validated,
row-aligned with the frame, never bound to a variable), and recodes of raw cell strings,
with the exact messages for bad data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from transport.api import load
from transport.data.design_columns import NO_DESIGN
from transport.data.load import load_study_data
from transport.errors import DataError

STUDY = """
population gpt4o source "GPT-4o"
population claude source "Claude"
population human target "Respondents"
var more  binary treatment
var saved binary outcome
var agree ordinal(1..5)
var color categorical(red, blue)
{more agree color} -> saved
shared saved
data human "labelled.csv" experiment(more)
  predictions { saved by gpt4o = "gpt4o_saved", saved by claude = "claude_saved" }
  cluster "respondent"
  weight "w"
  recode agree { "Strongly disagree" = 1, "Agree" = 5 }
  recode color { "Red" = red, "Blue" = blue }
data human "unlabelled.csv" observational measures(more, agree, color)
  predictions { saved by gpt4o = "gpt4o.saved" }
  cluster "respondent"
"""


def labelled() -> pd.DataFrame:
    return pd.DataFrame({
        "more": [0, 1, 0, 1, 0, 1],
        "saved": [0, 1, 1, 1, 0, 0],
        "agree": ["Strongly disagree", "3", "Agree", 2, "Agree", "4"],
        "color": ["Red", "blue", "Blue", "red", "Red", "Blue"],
        "gpt4o_saved": [0.1, 0.9, "yes", 0.7, 0.2, 0.4],
        "claude_saved": [0, 1, 1, 1, 0, 1],
        "respondent": ["r7", "r7", "r2", "r2", "r9", "r9"],
        "w": [1.0, 1.0, 2.5, 2.5, 0.0, 0.0],
    })


def unlabelled() -> pd.DataFrame:
    return pd.DataFrame({
        "more": [1, 0, 1], "agree": [1, 5, 3], "color": ["red", "blue", "red"],
        "gpt4o.saved": [0.25, 0.5, 0.75], "respondent": [11, 12, 12],
    })


def write(folder: Path, study: str = STUDY, first=None, second=None):
    (labelled() if first is None else first).to_csv(folder / "labelled.csv", index=False)
    (unlabelled() if second is None else second).to_csv(folder / "unlabelled.csv", index=False)
    (folder / "study.tdag").write_text(study, encoding="utf-8")
    return load(folder / "study.tdag")


def test_predictions_clusters_and_weights_are_loaded_row_aligned(tmp_path: Path) -> None:
    study = write(tmp_path)
    before = (tmp_path / "labelled.csv").read_bytes()
    first, second = load_study_data(study)
    design = first.design
    assert design.sources_for("saved") == ("gpt4o", "claude")
    assert design.prediction("saved", "gpt4o").tolist() == [0.1, 0.9, 1.0, 0.7, 0.2, 0.4]
    assert design.prediction("saved", "claude").tolist() == [0, 1, 1, 1, 0, 1]
    assert design.cluster.codes.tolist() == [0, 0, 1, 1, 2, 2]
    assert design.cluster.labels == ("r7", "r2", "r9") and design.cluster.count == 3
    assert design.weight.values.tolist() == [1.0, 1.0, 2.5, 2.5, 0.0, 0.0]
    assert list(first.frame.columns) == ["more", "saved", "agree", "color"]
    assert first.frame["agree"].tolist() == [1, 3, 5, 2, 5, 4]
    assert first.frame["color"].tolist() == ["red", "blue", "blue", "red", "red", "blue"]
    assert "saved" not in second.frame.columns
    assert second.design.prediction("saved", "gpt4o").tolist() == [0.25, 0.5, 0.75]
    assert second.design.cluster.labels == (11, 12) and second.design.weight is None
    with pytest.raises(KeyError):
        second.design.prediction("saved", "claude")
    assert (tmp_path / "labelled.csv").read_bytes() == before


def test_statements_without_design_clauses_carry_no_design(tmp_path: Path) -> None:
    text = STUDY.split("data human")[0] + 'data human "unlabelled.csv" observational ' \
        "measures(more, agree)\n"
    (second,) = load_study_data(write(tmp_path, text))
    assert second.design is NO_DESIGN


def test_a_prediction_column_is_never_bound_to_its_variable(tmp_path: Path) -> None:
    """`gpt4o.saved` would be bound to `saved` by its last dotted part, were it not a
    prediction column: the file then has no column for `saved`."""
    text = STUDY.replace("observational measures(more, agree, color)", "observational")
    with pytest.raises(DataError, match=re.escape("no column for 'saved'")):
        load_study_data(write(tmp_path, text))


def test_dropped_rows_are_dropped_from_the_design_columns_too(tmp_path: Path) -> None:
    first = labelled().assign(saved=[0, None, 1, None, 0, 0])
    data, _ = load_study_data(write(tmp_path, first=first), drop_missing=True)
    assert data.rows_dropped == 2
    assert data.design.prediction("saved", "gpt4o").tolist() == [0.1, 1.0, 0.2, 0.4]
    assert data.design.cluster.codes.tolist() == [0, 1, 2, 2]
    assert data.design.cluster.labels == ("r7", "r2", "r9")
    assert data.design.weight.values.tolist() == [1.0, 2.5, 0.0, 0.0]


def test_a_recode_applies_to_the_variables_prediction_columns(tmp_path: Path) -> None:
    text = STUDY.replace(
        'recode agree { "Strongly disagree" = 1, "Agree" = 5 }',
        'recode agree { "Strongly disagree" = 1, "Agree" = 5 }\n  recode saved { "Spared" = 1, '
        '"Sacrificed" = 0 }',
    )
    first = labelled().assign(gpt4o_saved=["Spared", "Sacrificed", 1, 0, 0.5, "Spared"],
                              saved=["Spared", "Sacrificed", 1, 1, 0, "Sacrificed"])
    data, _ = load_study_data(write(tmp_path, text, first=first))
    assert data.frame["saved"].tolist() == [1, 0, 1, 1, 0, 0]
    assert data.design.prediction("saved", "gpt4o").tolist() == [1, 0, 1, 0, 0.5, 1]


LABELLED = "labelled.csv"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["w"]).assign(wt=1.0),
         "column 'w' (the weight column) is not in the file"),
        (lambda f: f.rename(columns={"claude_saved": "claude_save"}),
         "column 'claude_saved' (claude's prediction of saved) is not in the file; "
         "did you mean 'claude_save'?"),
        (lambda f: f.assign(respondent=["r7", None, "r2", "r2", None, "r9"]),
         "column 'respondent' (cluster): 2 cells are empty: rows 2, 5"),
        (lambda f: f.assign(w=[1, -1, 2, -0.5, 1, 1]),
         "column 'w' (weight): weights must be at least 0: rows 2, 4 (values -1.0, -0.5)"),
        (lambda f: f.assign(w=[1, "heavy", 2, 1, "inf", 1]),
         "column 'w' (weight): 2 values are not finite numbers: rows 2, 5 "
         "(values 'heavy', 'inf')"),
        (lambda f: f.assign(w=0),
         "column 'w' (weight): every weight is 0"),
        (lambda f: f.assign(w=[1, None, 1, 1, 1, 1]),
         "column 'w' (weight): 1 cells are empty: rows 2"),
        (lambda f: f.assign(gpt4o_saved=[0.1, 1.5, 0.2, -0.1, 0.3, 0.3]),
         "column 'gpt4o_saved' (prediction of saved, binary): a prediction of a binary "
         "variable is a probability or a 0/1 label, from 0 to 1: rows 2, 4 (values 1.5, -0.1)"),
        (lambda f: f.assign(gpt4o_saved=[0.1, "maybe", 0.2, 0.1, 0.3, 0.3]),
         "column 'gpt4o_saved' (prediction of saved, binary): 1 values are not finite "
         "numbers: rows 2 (values 'maybe')"),
        (lambda f: f.assign(claude_saved=[0, 1, None, 1, 0, 1]),
         "column 'claude_saved' (prediction of saved): 1 cells are empty: rows 3"),
        (lambda f: f.assign(agree=["Agree", "Disagree", "3", "Neutral", "Disagree", "7"]),
         "column 'agree' (agree, ordinal): 4 cells are neither recoded nor a value of agree: "
         "rows 2, 4, 5, 6 (unmapped: 'Disagree', 'Neutral', '7'); add them to "
         "recode agree { ... }"),
        (lambda f: f.assign(color=["Red", "Green", "blue", "red", "Red", "Blue"]),
         "column 'color' (color, categorical): 1 cells are neither recoded nor a value of "
         "color: rows 2 (unmapped: 'Green'); add them to recode color { ... }"),
    ],
)
def test_bad_design_columns_and_recodes_are_named_precisely(tmp_path, change, message) -> None:
    study = write(tmp_path, first=change(labelled()))
    with pytest.raises(DataError, match=re.escape(f"{tmp_path / LABELLED}: {message}")):
        load_study_data(study)


def test_categorical_predictions_are_level_indices(tmp_path: Path) -> None:
    text = STUDY.replace('predictions { saved by gpt4o = "gpt4o_saved", saved by claude = '
                         '"claude_saved" }', 'predictions { color by gpt4o = "gpt4o_color" }')
    first = labelled().assign(gpt4o_color=["Blue", "red", "blue", "Red", "red", "blue"])
    data, _ = load_study_data(write(tmp_path, text, first=first))
    assert data.design.prediction("color", "gpt4o").tolist() == [1, 0, 1, 0, 0, 1]
    bad = labelled().assign(gpt4o_color=["Blue", "green", "blue", "Red", "red", "blue"])
    with pytest.raises(DataError, match=re.escape(
        "column 'gpt4o_color' (prediction of color, categorical): 1 values are not among the "
        "declared levels (red, blue): rows 2 (values 'green')"
    )):
        load_study_data(write(tmp_path, text, first=bad))


def test_weights_of_the_rows_kept_must_not_all_be_zero(tmp_path: Path) -> None:
    first = labelled().assign(w=[0, 0, 0, 0, 1, 1], saved=[0, 1, 1, 1, None, None])
    study = write(tmp_path, first=first)
    with pytest.raises(DataError, match=re.escape(
        f"{tmp_path / LABELLED}: column 'w' (weight): every weight of the rows kept is 0"
    )):
        load_study_data(study, drop_missing=True)
