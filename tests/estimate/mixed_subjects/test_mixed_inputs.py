"""The inputs of the mixed-subjects estimators: one cluster namespace across labelled and
unlabelled units, weights scaled to mean 1, frozen and validated arrays."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError, Units


def _units(arm, cluster=None, outcome=None, weight=None) -> Units:
    arm = np.asarray(arm)
    return Units(arm, {"llm": np.zeros(len(arm))}, outcome, cluster=cluster, weight=weight)


def test_equal_labels_on_both_sides_are_one_cluster() -> None:
    data = MixedSubjectsData(_units([0, 1, 0], np.array([7, 3, 7]), [1.0, 0.0, 1.0]),
                             _units([1, 0], np.array([3.0, 9.0])))
    lab, unl, groups = data.cluster_codes()
    assert groups == 3
    assert lab[0] == lab[2] and lab[1] == unl[0]
    assert len({lab[0], lab[1], unl[1]}) == 3


def test_units_without_labels_are_their_own_clusters() -> None:
    data = MixedSubjectsData(_units([0, 1, 0], np.array(["a", "a", "b"]), [1.0, 0.0, 1.0]),
                             _units([1, 0, 1]))
    lab, unl, groups = data.cluster_codes()
    assert groups == 5
    assert lab[0] == lab[1] != lab[2]
    assert len(set(unl.tolist()) | {lab[0], lab[2]}) == 5
    assert data.clustered and not data.weighted


def test_string_and_number_labels_are_compared_as_text() -> None:
    data = MixedSubjectsData(_units([0, 1], np.array(["1", "2"]), [1.0, 0.0]),
                             _units([0, 1], np.array([2, 5])))
    lab, unl, groups = data.cluster_codes()
    assert groups == 3 and lab[1] == unl[0]


def test_weights_are_scaled_to_mean_one_and_arrays_are_frozen() -> None:
    units = _units([0, 1, 1], weight=[2.0, 4.0, 6.0])
    assert units.weights() == pytest.approx([0.5, 1.0, 1.5])
    assert np.array_equal(_units([0, 1]).weights(), [1.0, 1.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        units.arm = np.zeros(3)  # type: ignore[misc]
    with pytest.raises(TypeError):
        units.predictions["other"] = np.zeros(3)  # type: ignore[index]


def test_shape_errors_are_plain() -> None:
    for call, message in [
        (lambda: Units(np.zeros(0), {"llm": []}),
         "the arm must be a non-empty one-dimensional array"),
        (lambda: Units(np.zeros(2), {}), "needs at least one source's predictions"),
        (lambda: Units(np.zeros(2), {"llm": [0, 1]}, covariates=np.zeros((3, 1))),
         "the covariates must be a finite (2, q) array, one row per unit"),
        (lambda: Units(np.zeros(2), {"llm": [0, 1]}, cluster=[1, 2, 3]),
         "the cluster labels must be 2 values, one per unit"),
        (lambda: MixedSubjectsData(
            Units(np.zeros(2), {"llm": [0, 1]}, [0, 1], covariates=np.zeros((2, 2))),
            Units(np.zeros(2), {"llm": [0, 1]})),
         "the labelled units have 2 covariates and the unlabelled 0"),
    ]:
        with pytest.raises(MixedSubjectsError) as caught:
            call()
        assert str(caught.value) == message
