"""Which mechanisms an effect depends on: graph reachability read in terms of the study's
mechanisms. The checker (W101 for undeclared ones) and the estimate stage (which variables
the model needs) both ask, so it lives here, below both."""

from __future__ import annotations

from transport.graph.algorithms import ancestors_without_incoming, descendants
from transport.study import DataSpec, Mechanism, Study, VariableMechanism, confounder


def relevant_mechanisms(
    directed: set[tuple[str, str]], bidirected: set[tuple[str, str]], treatment: str, outcome: str
) -> list[Mechanism]:
    """Mechanisms that P*(outcome | do(treatment)) depends on: every ancestor of the outcome
    once the treatment's incoming edges are cut, and the confounders that touch them."""
    ancestors = ancestors_without_incoming(directed, outcome, treatment) - {treatment}
    found: list[Mechanism] = [VariableMechanism(v) for v in sorted(ancestors)]
    for a, b in sorted(bidirected):
        if (a in ancestors) or (b in ancestors):
            found.append(confounder(a, b))
    return found


def adjustable_covariates(study: Study, spec: DataSpec) -> tuple[str, ...]:
    """The variables of a data statement that an adjusting estimator (PPI++ regression
    adjustment, covariate cells) may condition on: measured, neither the treatment nor the
    outcome, and not a descendant of the treatment (post-treatment variables, mediators
    included, must not be held fixed)."""
    query = study.query
    after = descendants(study.directed, query.treatment)
    skip = {query.treatment, query.outcome}
    return tuple(v for v in spec.measures if v not in skip and v not in after)
