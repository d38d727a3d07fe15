"""How far may the sharing assumptions fail before the conclusion flips?

A failure of `shared v` of size s: in every table borrowed from a source, the conditional
distribution of v given the table's other variables is moved on the log-probability scale
by independent Normal(0, s) shifts, one per cell (for a binary v this is a log-odds shift
with sd s*sqrt(2)); a continuous outcome's conditional means move by Normal(0, s) outcome
standard deviations. The formula is re-evaluated with the same shifts scaled up (common
random numbers), all shared mechanisms together and each alone, and the smallest scale at
which the 95% interval of the target effect includes the null (0 for a difference, 1 for
a ratio or an odds ratio) is reported.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transport.estimate.conjugate import ConjugateInputs
from transport.estimate.robustness_value import Robustness, TogetherCurve
from transport.estimate.scales import null_value, scale_of
from transport.estimate.summary import hdi
from transport.estimate.tensor import Labelled, TableKey, evaluate_draws
from transport.identification.expr import Expr
from transport.study import Study, VariableMechanism

SCALES: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def _shift_conditional(
    table: Labelled, variable: str, noise: np.ndarray, scale: float
) -> Labelled:
    """Move P(variable | other variables of the table) by scale*noise on the log scale,
    keeping the distribution of the other variables and every do-slice's total."""
    axis = 1 + table.dims.index(variable)
    data = table.data
    rest = data.sum(axis=axis, keepdims=True)
    conditional = np.divide(data, rest, out=np.zeros_like(data), where=rest > 0)
    shifted = conditional * np.exp(scale * noise)
    shifted /= shifted.sum(axis=axis, keepdims=True)
    return Labelled(table.dims, shifted * rest)


def shared_in(study: Study, source: str) -> set[str]:
    """Variables whose mechanisms the file declares shared for this source."""
    return {
        row.mechanism.variable
        for row in study.assumptions
        if row.source == source and row.sharing.status == "shared"
        and isinstance(row.mechanism, VariableMechanism)
    }


def _perturbed(
    inputs: ConjugateInputs, study: Study, chosen: set[str] | None, scale: float,
    noise: dict[tuple[TableKey, str], np.ndarray], outcome_sd: float,
) -> tuple[dict[TableKey, Labelled], dict[TableKey, Labelled]]:
    target = study.target.name
    tables = dict(inputs.tables)
    means = dict(inputs.means)
    for key, table in inputs.tables.items():
        population, do = key
        if population == target:
            continue
        for variable in sorted(shared_in(study, population)):
            if chosen is not None and variable not in chosen:
                continue
            if variable in table.dims and variable not in do:
                tables[key] = _shift_conditional(
                    tables[key], variable, noise[(key, variable)], scale
                )
    outcome = study.query.outcome
    for key, mean in inputs.means.items():
        if key[0] == target or outcome not in shared_in(study, key[0]):
            continue
        if chosen is None or outcome in chosen:
            shift = scale * outcome_sd * noise[(key, f"{outcome}#mean")]
            means[key] = Labelled(mean.dims, mean.data + shift)
    return tables, means


def robustness(
    formula: Expr,
    inputs: ConjugateInputs,
    study: Study,
    effect_of,
    draws: int,
    rng: np.random.Generator,
    outcome_sd: float,
    scales: Sequence[float] = SCALES,
) -> Robustness:
    """The robustness curve: per scale, the 95% interval and P(effect > null), all shared
    mechanisms together and each alone, on the query's scale (null 0 for a difference, 1
    for a ratio or odds ratio). `effect_of` maps an evaluated formula to effect draws."""
    null = null_value(scale_of(study))
    criterion = f"the 95% HDI of the target effect includes {null:g}"
    noise: dict[tuple[TableKey, str], np.ndarray] = {}
    target = study.target.name
    mechanisms: set[str] = set()
    for key, table in inputs.tables.items():
        if key[0] == target:
            continue
        for variable in shared_in(study, key[0]):
            if variable in table.dims and variable not in key[1]:
                noise[(key, variable)] = rng.standard_normal(table.data.shape)
                mechanisms.add(variable)
    for key, mean in inputs.means.items():
        if key[0] != target and study.query.outcome in shared_in(study, key[0]):
            noise[(key, f"{study.query.outcome}#mean")] = rng.standard_normal(mean.data.shape)
            mechanisms.add(study.query.outcome)

    def curve(chosen: set[str] | None) -> TogetherCurve:
        intervals, positive = [], []
        for scale in scales:
            tables, means = _perturbed(inputs, study, chosen, scale, noise, outcome_sd)
            effect = effect_of(evaluate_draws(formula, tables, draws, means))
            low, high = hdi(effect)
            intervals.append((low, high))
            positive.append(float((effect > null).mean()))
        flip = next(
            (s for s, (low, high) in zip(scales, intervals, strict=True)
             if low <= null <= high),
            None,
        )
        return TogetherCurve(tuple(scales), tuple(intervals), tuple(positive), flip)

    if not mechanisms:
        return Robustness(
            criterion, False,
            note="the formula borrows nothing from a source through a shared mechanism, so "
            "no sharing assumption can fail",
        )
    together = curve(None)
    alone = {v: curve({v}).scale_at_flip for v in sorted(mechanisms)}
    return Robustness(
        criterion, True,
        units="sd of log-probability shifts of each shared mechanism; outcome sds for "
        "a continuous outcome's mean",
        together=together, by_mechanism=alone, mechanisms=tuple(sorted(mechanisms)),
    )
