"""The design matrix of a mechanism with a continuous parent: its terms (the file's `model`
statement, or the flexible default), each parent's columns, and the smoothing penalty.

The default form keeps what transport depends on, effect modification: every parent's main
effect plus the treatment's interaction with every other parent, a discrete parent by
indicators of its levels, a continuous one by a penalised cubic B-spline (splines.py). So
`{A L W} -> Y` with A the treatment and W continuous is `A * (L + spline(W))`: a separate
smooth curve of W for each arm, and L's effect in each arm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from transport.estimate.synthesis.splines import SplineBasis
from transport.study import DEFAULT_SPLINE_BASIS, ModelFactor, ModelTerm, Study

DEFAULT_BASIS = DEFAULT_SPLINE_BASIS
INTERCEPT_SD = 5.0
COEFFICIENT_SD = 2.5
# A spline coefficient is the curve's height near its knot: the smoothing penalty, not the
# ridge, keeps it in check, so its ridge only makes the prior proper.
SPLINE_SD = 10.0


def default_terms(study: Study, parents: Sequence[str]) -> tuple[ModelTerm, ...]:
    """Main effects of every parent and the treatment's interaction with each other one."""
    def factor(name: str) -> ModelFactor:
        if study.variable(name).discrete:
            return ModelFactor(name, "level")
        return ModelFactor(name, "spline", DEFAULT_BASIS)

    treatment = study.query.treatment
    terms = [ModelTerm((factor(p),)) for p in parents]
    if treatment in parents:
        terms += [ModelTerm((factor(treatment), factor(p))) for p in parents
                  if p != treatment]
    return tuple(terms)


def terms_of(study: Study, variable: str, parents: Sequence[str]) -> tuple[ModelTerm, ...]:
    """The file's `model` statement for `variable`, else the default."""
    stated = study.model_of(variable)
    return stated.terms if stated is not None else default_terms(study, parents)


@dataclass(frozen=True)
class Design:
    """Turns rows of parent values (discrete parents as level codes) into design columns.
    The scalings and spline ranges come from the pooled rows of every population that may
    inform the mechanism, so every configuration of borrowing uses the same columns."""

    parents: tuple[str, ...]
    levels: tuple[int | None, ...]  # a discrete parent's level count, None if continuous
    terms: tuple[ModelTerm, ...]
    centre: tuple[float, ...]
    scale: tuple[float, ...]
    bases: dict[tuple[str, int], SplineBasis] = field(default_factory=dict)

    @staticmethod
    def build(parents: Sequence[str], levels: Sequence[int | None],
              terms: Sequence[ModelTerm], rows: np.ndarray) -> Design:
        centre, scale = [], []
        for j, count in enumerate(levels):
            column = rows[:, j] if rows.size else np.zeros(1)
            if count is None and column.size:
                spread = float(np.std(column))
                centre.append(float(np.mean(column)))
                scale.append(spread if spread > 0 else 1.0)
            else:
                centre.append(0.0)
                scale.append(1.0)
        bases = {}
        for term in terms:
            for f in term.factors:
                if f.transform == "spline":
                    j = list(parents).index(f.variable)
                    column = rows[:, j] if rows.size else np.zeros(1)
                    bases[(f.variable, f.degree)] = SplineBasis.over(column, f.degree)
        return Design(tuple(parents), tuple(levels), tuple(terms), tuple(centre),
                      tuple(scale), bases)

    def _factor(self, f: ModelFactor, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The factor's columns and its own penalty (zeros when unpenalised)."""
        j = self.parents.index(f.variable)
        x = rows[:, j]
        if f.transform == "level":
            count = self.levels[j] or 1
            codes = x.astype(int)
            columns = np.column_stack([(codes == k).astype(float) for k in range(1, count)]
                                      ) if count > 1 else np.zeros((len(x), 0))
            return columns, np.zeros((count - 1, count - 1))
        z = (x - self.centre[j]) / self.scale[j]
        if f.transform == "linear":
            return z[:, None], np.zeros((1, 1))
        if f.transform == "power":
            return (z ** f.degree)[:, None], np.zeros((1, 1))
        basis = self.bases[(f.variable, f.degree)]
        return basis(x), basis.penalty()

    def matrix(self, rows: np.ndarray) -> np.ndarray:
        """The (rows x columns) design, intercept first."""
        blocks = [np.ones((len(rows), 1))]
        for term in self.terms:
            blocks.append(self._term(term, rows)[0])
        return np.concatenate(blocks, axis=1)

    def _term(self, term: ModelTerm, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        columns = np.ones((len(rows), 1))
        penalties: list[np.ndarray] = []
        identity = np.eye(1)
        for f in term.factors:
            own, penalty = self._factor(f, rows)
            columns = (columns[:, :, None] * own[:, None, :]).reshape(len(rows), -1)
            width = own.shape[1]
            penalties = [np.kron(p, np.eye(width)) for p in penalties]
            if penalty.any():
                penalties.append(np.kron(identity, penalty))
            identity = np.eye(columns.shape[1])
        size = columns.shape[1]
        total = sum(penalties) if penalties else np.zeros((size, size))
        return columns, total

    def penalty(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """The prior precision's parts over the columns: a ridge diagonal (the coefficients'
        weakly informative scale) and one smoothing penalty per penalised term (each times
        its own lambda: a flat baseline curve and a strongly curved effect modification
        need different smoothness)."""
        probe = np.zeros((1, len(self.parents)))
        sizes, blocks = [1], [np.zeros((1, 1))]
        for term in self.terms:
            columns, penalty = self._term(term, probe)
            sizes.append(columns.shape[1])
            blocks.append(penalty)
        width = sum(sizes)
        smooths = []
        ridge = np.full(width, 1.0 / COEFFICIENT_SD**2)
        ridge[0] = 1.0 / INTERCEPT_SD**2
        start = 0
        for size, block in zip(sizes, blocks, strict=True):
            if block.any():
                smooth = np.zeros((width, width))
                smooth[start:start + size, start:start + size] = block
                smooths.append(smooth)
                ridge[start:start + size] = 1.0 / SPLINE_SD**2
            start += size
        return ridge, smooths
