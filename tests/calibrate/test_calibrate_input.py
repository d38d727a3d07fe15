"""Reading paired effects: the bundled data's plain numbers and the exact messages for bad
input (missing file, columns, non-numeric values, bad SEs, duplicates, too few pairs)."""

from __future__ import annotations

import numpy as np
import pytest

from transport.calibrate.pairs import load_new_effects, load_pairs
from transport.calibrate.run import run_calibration
from transport.calibrate.stats import ols_slope, pearson_r, sign_agreement
from transport.errors import DataError, UsageError

from .conftest import GPT4

GOOD = "study,llm,human,se\ns1,0.1,0.05,0.02\ns1,0.2,0.09,0.02\ns2,-0.1,-0.04,0.03\n"
COLS = {"llm": "llm", "human": "human", "se": "se"}


def test_bundled_pearson_and_ols(bundled):
    pairs = load_pairs(bundled, **GPT4)
    assert pairs.n == 469 and len(pairs.studies) == 70
    assert round(pearson_r(pairs.x, pairs.y), 2) == 0.79
    assert round(ols_slope(pairs.x, pairs.y), 2) == 0.52
    assert 0.5 < sign_agreement(pairs.x, pairs.y) < 1


def test_rows_and_studies(write_csv):
    pairs = load_pairs(write_csv(GOOD), **COLS, id="study")
    assert pairs.studies == ("s1", "s2")
    assert pairs.rows == (1, 2, 3)
    np.testing.assert_allclose(pairs.x, [0.1, 0.2, -0.1])
    alone = load_pairs(write_csv(GOOD), **COLS)
    assert alone.studies == ("row 1", "row 2", "row 3")


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_pairs(tmp_path / "nope.csv", **COLS)
    assert str(caught.value) == f"{tmp_path / 'nope.csv'}: file not found"


def test_missing_predict_file_is_a_usage_error(write_csv, tmp_path):
    with pytest.raises(UsageError, match="new.csv: file not found"):
        run_calibration(write_csv(GOOD), **COLS, predict=tmp_path / "new.csv")


def test_missing_columns_with_did_you_mean(write_csv):
    path = write_csv(GOOD)
    with pytest.raises(DataError) as caught:
        load_pairs(path, llm="LLM", human="humans", se="se", id="studyid")
    assert str(caught.value) == (
        f"{path}: no column 'LLM' (--llm); did you mean 'llm'?; "
        "no column 'humans' (--human); did you mean 'human'?; "
        "no column 'studyid' (--id); did you mean 'study'?. "
        "The columns are: study, llm, human, se"
    )


def test_non_numeric_values_name_rows(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n0.2,n/a,0.02\n0.15,1e-2,0.01\n0.3,abc,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == (
        f"{path}: column 'human' has non-numeric values in rows 2 ('n/a'), 4 ('abc')"
    )


def test_empty_cells_name_rows(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n,0.05,0.02\n0.3,0.1,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == f"{path}: column 'llm' is empty in rows 2"


def test_non_positive_standard_errors(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n0.2,0.1,0\n0.3,0.1,-0.01\n0.4,0.2,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == (
        f"{path}: column 'se' must hold standard errors > 0; rows 2 ('0'), 3 ('-0.01') are not"
    )


def test_duplicated_pairs_same_id_and_values(write_csv):
    path = write_csv(GOOD + "s1,0.1,0.05,0.02\ns2,0.1,0.05,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS, id="study")
    assert str(caught.value) == (
        f"{path}: duplicated pairs (same id, llm, human and se): rows 4 repeats 1"
    )


def test_repeated_study_ids_are_contrasts_not_duplicates(write_csv):
    pairs = load_pairs(write_csv(GOOD), **COLS, id="study")
    assert pairs.study.count("s1") == 2


def test_duplicates_without_id_are_identical_values(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n0.2,0.1,0.02\n0.1,0.05,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == (
        f"{path}: duplicated pairs (same llm, human and se): rows 3 repeats 1"
    )


def test_same_values_in_another_group_are_not_duplicates(write_csv):
    text = "study,model,llm,human,se\ns1,a,0.1,0.05,0.02\ns1,b,0.1,0.05,0.02\ns2,a,0.2,0.1,0.02\n"
    pairs = load_pairs(write_csv(text), **COLS, id="study", by="model")
    assert pairs.groups == ("a", "b")


def test_fewer_than_three_pairs(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n0.2,0.1,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == f"{path}: 2 pair(s); calibration needs at least 3"


def test_constant_llm_effects(write_csv):
    path = write_csv("llm,human,se\n0.1,0.05,0.02\n0.1,0.1,0.02\n0.1,0.2,0.02\n")
    with pytest.raises(DataError, match="every value of 'llm' is the same"):
        load_pairs(path, **COLS)


def test_empty_group_label(write_csv):
    path = write_csv("g,llm,human,se\na,0.1,0.05,0.02\n,0.2,0.1,0.02\na,0.3,0.2,0.02\n")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS, by="g")
    assert str(caught.value) == f"{path}: column 'g' is empty in rows 2"


def test_empty_file(write_csv):
    path = write_csv("")
    with pytest.raises(DataError) as caught:
        load_pairs(path, **COLS)
    assert str(caught.value) == f"{path}: the file is empty"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"level": 1.0}, "--level must be between 0 and 1 (exclusive), not 1.0"),
        ({"draws": 0}, "draws must be a positive whole number, not 0"),
        ({"chains": 1.5}, "chains must be a positive whole number, not 1.5"),
    ],
)
def test_bad_options(write_csv, option, message):
    with pytest.raises(UsageError) as caught:
        run_calibration(write_csv(GOOD), **COLS, **option)
    assert str(caught.value) == message


def test_new_effects_optional_columns(write_csv):
    path = write_csv("name,llm,se\nA,0.1,0.02\nB,0.2,\n", name="new.csv")
    new = load_new_effects(path, llm="llm", se="se", id="name")
    assert new.ids == ("A", "B")
    assert new.se[0] == 0.02 and np.isnan(new.se[1])
    bare = load_new_effects(write_csv("llm\n0.1\n0.3\n", name="bare.csv"), llm="llm", se="se")
    assert bare.ids == (1, 2) and np.isnan(bare.se).all()


def test_new_effects_need_the_llm_column(write_csv):
    path = write_csv("gpt4,se\n0.1,0.02\n", name="new.csv")
    with pytest.raises(DataError) as caught:
        load_new_effects(path, llm="gpt-4", se="se")
    assert str(caught.value) == (
        f"{path}: no column 'gpt-4' (--llm); did you mean 'gpt4'?. The columns are: gpt4, se"
    )
