"""The inputs of mixed-subjects estimation: labelled units (a human answer and each source's
prediction of it) and unlabelled units (predictions only), as plain numpy arrays.

Nothing here knows about studies or files: the caller extracts columns and builds a
`MixedSubjectsData`; the estimators (`ppi`, `bayes_ppi`) read only this. Construction
validates shapes and values once, so the estimators can trust their input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np


class MixedSubjectsError(ValueError):
    """Input that the mixed-subjects estimators cannot use, with a message for people."""


@dataclass(frozen=True)
class Units:
    """One set of units (all labelled or all unlabelled).

    `outcome`: the human answer per unit, or None for unlabelled units.
    `arm`: the treatment value each unit received (any hashable values).
    `predictions`: source name -> that source's prediction of the outcome for each unit.
    `covariates`: an (n, q) array for regression adjustment, or None.
    `cluster`: a cluster label per unit (rows sharing a label are not independent; labels
    are compared across the labelled and unlabelled units, so a respondent with both kinds
    of rows is one cluster), or None: every unit is its own cluster.
    `weight`: a positive design or survey weight per unit, or None (all equal).
    """

    arm: np.ndarray
    predictions: Mapping[str, np.ndarray]
    outcome: np.ndarray | None = None
    covariates: np.ndarray | None = None
    cluster: np.ndarray | None = None
    weight: np.ndarray | None = None

    def __post_init__(self) -> None:
        arm = np.asarray(self.arm)
        if arm.ndim != 1 or len(arm) == 0:
            raise MixedSubjectsError("the arm must be a non-empty one-dimensional array")
        n = len(arm)
        predictions = {}
        for name, values in self.predictions.items():
            predictions[name] = _finite(values, n, f"the predictions of {name}")
        if not predictions:
            raise MixedSubjectsError("needs at least one source's predictions")
        outcome = None if self.outcome is None else _finite(self.outcome, n, "the outcome")
        covariates = None
        if self.covariates is not None:
            covariates = np.asarray(self.covariates, dtype=float)
            if covariates.ndim == 1:
                covariates = covariates[:, None]
            if covariates.shape[0] != n or not np.all(np.isfinite(covariates)):
                raise MixedSubjectsError(
                    f"the covariates must be a finite ({n}, q) array, one row per unit")
        cluster = None
        if self.cluster is not None:
            cluster = np.asarray(self.cluster)
            if cluster.shape != (n,):
                raise MixedSubjectsError(f"the cluster labels must be {n} values, one per unit")
        weight = None
        if self.weight is not None:
            weight = _finite(self.weight, n, "the weights")
            if np.any(weight <= 0):
                raise MixedSubjectsError("the weights must all be positive")
        object.__setattr__(self, "arm", arm)
        object.__setattr__(self, "predictions", MappingProxyType(predictions))
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "covariates", covariates)
        object.__setattr__(self, "cluster", cluster)
        object.__setattr__(self, "weight", weight)

    def __len__(self) -> int:
        return len(self.arm)

    def weights(self) -> np.ndarray:
        """The weights scaled to mean 1 (ones when the units carry none)."""
        if self.weight is None:
            return np.ones(len(self))
        return self.weight / self.weight.mean()


@dataclass(frozen=True)
class MixedSubjectsData:
    """Labelled and unlabelled units of the same target population.

    The one assumption the frequentist path needs: the labelled units are a random sample
    (with the stated weights, of the stated clusters) of the population the unlabelled units
    represent. Nothing is assumed about the predictions.
    """

    labelled: Units
    unlabelled: Units
    predictors: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if self.labelled.outcome is None:
            raise MixedSubjectsError("the labelled units need the human outcome")
        names = tuple(self.labelled.predictions)
        missing = [name for name in names if name not in self.unlabelled.predictions]
        if missing:
            raise MixedSubjectsError(
                f"the unlabelled units lack the predictions of {', '.join(missing)}")
        q_lab = _width(self.labelled.covariates)
        q_unl = _width(self.unlabelled.covariates)
        if q_lab != q_unl:
            raise MixedSubjectsError(
                f"the labelled units have {q_lab} covariates and the unlabelled {q_unl}")
        object.__setattr__(self, "predictors", names)

    @property
    def clustered(self) -> bool:
        return self.labelled.cluster is not None or self.unlabelled.cluster is not None

    @property
    def weighted(self) -> bool:
        return self.labelled.weight is not None or self.unlabelled.weight is not None

    def cluster_codes(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Integer cluster codes for the labelled and the unlabelled units in one namespace
        (equal labels on both sides give the same code; a unit without a label is its own
        cluster), and the number of clusters."""
        labelled, unlabelled = self.labelled, self.unlabelled
        n, big_n = len(labelled), len(unlabelled)
        given = [c for c in (labelled.cluster, unlabelled.cluster) if c is not None]
        kinds = {c.dtype.kind for c in given}
        labels = []
        for units in (labelled, unlabelled):
            if units.cluster is None:
                labels.append(None)
            elif kinds <= {"b", "i", "u", "f"}:
                labels.append(units.cluster.astype(float))
            elif len(kinds) > 1 or units.cluster.dtype.kind == "O":
                labels.append(units.cluster.astype(str))
            else:
                labels.append(units.cluster)
        present = [lab for lab in labels if lab is not None]
        if present:
            _, codes = np.unique(np.concatenate(present), return_inverse=True)
            codes = codes.ravel()
            offset = int(codes.max()) + 1
        else:
            codes, offset = np.zeros(0, dtype=int), 0
        out = []
        start = 0
        for lab, size in zip(labels, (n, big_n), strict=True):
            if lab is None:
                out.append(np.arange(offset, offset + size))
                offset += size
            else:
                out.append(codes[start:start + size])
                start += size
        return out[0], out[1], offset


def _finite(values: object, n: int, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != (n,):
        raise MixedSubjectsError(f"{what} must be {n} values, one per unit")
    if not np.all(np.isfinite(array)):
        raise MixedSubjectsError(f"{what} contain missing or infinite values")
    return array


def _width(covariates: np.ndarray | None) -> int:
    return 0 if covariates is None else covariates.shape[1]
