"""Which of a study's mechanisms and claims the estimate involves, read from the study
alone (no data, no pandas), so that `prereg` and the estimators decide alike."""

from __future__ import annotations

from collections.abc import Sequence

from transport.errors import DataError
from transport.graph.algorithms import ancestors_without_incoming
from transport.study import CoefficientMechanism, Study, VariableMechanism


def relevant_variables(study: Study) -> tuple[str, ...]:
    """The variables whose mechanisms E_target[Y | do(X)] depends on: the ancestors of the
    outcome once the treatment's incoming edges are cut, without the treatment, in a
    topological order (ties broken by name)."""
    query = study.query
    found = ancestors_without_incoming(study.directed, query.outcome, query.treatment)
    found.discard(query.treatment)
    order: list[str] = []
    placed: set[str] = {query.treatment}
    remaining = sorted(found)
    while remaining:
        for name in remaining:
            if all(p in placed or p not in found for p in study.parents(name)):
                order.append(name)
                placed.add(name)
                remaining.remove(name)
                break
        else:  # pragma: no cover - the checker rejects cycles
            raise DataError("the graph has a cycle among the effect's ancestors")
    return tuple(order)


def unsupported_reason(study: Study) -> str | None:
    """Why the joint model cannot represent this study (None when it can). Continuous
    covariates and parents are admitted (continuous.py), except a continuous covariate with
    more than one continuous parent and a mechanism with more than two continuous parents
    (their grids of atoms would be too large)."""
    query = study.query
    relevant = relevant_variables(study)
    if not study.variable(query.treatment).discrete:
        return f"the treatment '{query.treatment}' is not discrete"
    touched = set(relevant) | {query.treatment}
    for a, b in study.bidirected:
        if a in touched or b in touched:
            return f"'{a} <-> {b}' confounds variables the effect depends on"
    for name in relevant:
        variable = study.variable(name)
        if not variable.observed:
            children = [b for a, b in study.directed if a == name]
            if len(children) != 1 or study.parents(name):
                return f"the latent '{name}' is a common cause of {', '.join(children)}"
            continue
        continuous = [p for p in study.parents(name)
                      if study.variable(p).observed and not study.variable(p).discrete]
        if name != query.outcome and not variable.discrete and len(continuous) > 1:
            return (f"'{name}' is {variable.kind} with {len(continuous)} continuous parents "
                    f"({', '.join(sorted(continuous))}): the joint model's atoms keep a "
                    "continuous covariate jointly with at most one continuous parent")
        if len(continuous) > 2:
            return (f"'{name}' has {len(continuous)} continuous parents "
                    f"({', '.join(sorted(continuous))}): the joint model's grid of atoms "
                    "takes at most two")
    return None


def borrows_through_partial(study: Study, relevant: Sequence[str]) -> bool:
    """Whether a `partial` or edge-level `shared` statement ties a relevant mechanism of
    the target to a source (something the parametric model can borrow)."""
    for row in study.assumptions + study.coefficients:
        mechanism = row.mechanism
        name = (mechanism.variable if isinstance(mechanism, VariableMechanism)
                else mechanism.head if isinstance(mechanism, CoefficientMechanism) else None)
        if name in relevant and (
            row.sharing.status == "partial"
            or (isinstance(mechanism, CoefficientMechanism) and row.sharing.status == "shared")
        ):
            return True
    return False
