"""DoWhy for a study: one population's data with the study's graph as a `dowhy.CausalModel`,
and DoWhy's GCM attribution of a distribution change between a source and the target.

DoWhy is an optional extra (`pip install transport[dowhy]`); it is imported only here, when
a function is called, and a missing install is a UsageError saying how to get it.

The graph handed to DoWhy is the study's graph as it holds in that population: every
`<->` becomes an explicit latent common cause `U_<a>_<b>` (DoWhy has no bidirected edges),
declared latent variables stay in the graph unobserved, and the edges into a variable that
this population's data randomise are cut (randomisation removes them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from transport.errors import UsageError
from transport.study import Study, VariableMechanism

if TYPE_CHECKING:
    import pandas as pd

INSTALL = "DoWhy is not installed: pip install 'transport[dowhy]' (or pip install dowhy)"


def _dowhy() -> Any:
    try:
        import dowhy
    except ImportError:
        raise UsageError(INSTALL) from None
    return dowhy


def latent_cause_name(study: Study, a: str, b: str) -> str:
    """The node standing for the common cause of `a <-> b`, clear of every variable name."""
    taken = {v.name for v in study.variables}
    base = re.sub(r"\W", "_", f"U_{a}_{b}")
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    return name


def randomized_in(study: Study, population: str) -> tuple[str, ...]:
    """Variables this population's data randomise (experiment(...))."""
    out: list[str] = []
    for spec in study.data_for(population):
        out += [v for v in spec.randomized if v not in out]
    return tuple(out)


def population_graph(study: Study, population: str) -> nx.DiGraph:
    """The study's graph in `population`: `<->` as latent nodes, randomised variables'
    incoming edges cut. Nodes carry `observed` ("yes"/"no") as DoWhy reads it."""
    _check_population(study, population)
    cut = set(randomized_in(study, population))
    graph = nx.DiGraph()
    for variable in study.variables:
        graph.add_node(variable.name, observed="yes" if variable.observed else "no")
    graph.add_edges_from((a, b) for a, b in study.directed if b not in cut)
    for a, b in study.bidirected:
        cause = latent_cause_name(study, a, b)
        graph.add_node(cause, observed="no")
        graph.add_edges_from((cause, end) for end in (a, b) if end not in cut)
    return graph


def _check_population(study: Study, population: str) -> None:
    names = [p.name for p in study.populations]
    if population not in names:
        from transport.errors import did_you_mean

        hint = did_you_mean(population, names)
        raise UsageError(f"'{population}' is not a population of this study"
                         + (f"; {hint}" if hint else f" (populations: {', '.join(names)})"))


def population_frame(study: Study, population: str, drop_missing: bool = False) -> pd.DataFrame:
    """That population's data, one column per measured variable (coded as the estimate codes
    them). Several data statements for one population must measure the same variables and
    are stacked."""
    from transport.data.load import load_data

    _check_population(study, population)
    specs = study.data_for(population)
    if not specs:
        raise UsageError(f"the study has no data statement for '{population}'")
    frames = [load_data(spec, study, drop_missing).frame for spec in specs]
    if any(list(f.columns) != list(frames[0].columns) for f in frames):
        raise UsageError(f"the data statements of '{population}' measure different variables; "
                         "pass the frame you want as data=")
    import pandas as pd

    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def to_dowhy(study: Study, population: str, data: pd.DataFrame | None = None) -> Any:
    """A `dowhy.CausalModel` for the study's effect over `population`'s data (or `data`),
    with the graph of `population_graph`. Categorical and binary columns are passed as
    DoWhy's estimators expect numbers: levels are coded 0, 1, ... in declared order."""
    dowhy = _dowhy()
    frame = population_frame(study, population) if data is None else data
    frame = numeric_frame(study, frame)
    graph = population_graph(study, population)
    query = study.query
    return dowhy.CausalModel(data=frame, treatment=query.treatment, outcome=query.outcome,
                             graph=graph)


def numeric_frame(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Discrete columns as integer codes (levels in declared order); others unchanged."""
    out = frame.copy()
    for column in out.columns:
        variable = study.variable(column)
        if variable.kind in ("categorical", "ordinal") and variable.levels:
            order = {level: i for i, level in enumerate(variable.levels)}
            out[column] = out[column].map(lambda v, order=order: order.get(v, v)).astype(int)
        elif variable.kind == "binary":
            out[column] = out[column].astype(int)
    return out


@dataclass(frozen=True)
class MechanismChange:
    """One mechanism P(variable | parents) in DoWhy's attribution of a distribution change.

    `contribution` is DoWhy's Shapley share of the change in the outcome's distribution
    (by its difference measure, KL divergence by default) due to this mechanism;
    `changed` is whether DoWhy's mechanism-change test rejected invariance at `level`;
    `declared` is the study's own statement for that source (shared, differs, partial,
    undeclared), or "randomized" when the source's data randomise the variable."""

    variable: str
    parents: tuple[str, ...]
    contribution: float
    changed: bool
    declared: str

    def to_json(self) -> dict:
        return {"variable": self.variable, "parents": list(self.parents),
                "contribution": self.contribution, "changed": self.changed,
                "declared": self.declared}


@dataclass(frozen=True)
class DistributionChange:
    """Which mechanisms DoWhy's GCM finds different between a source and the target, over
    the variables both measure (their graph: the study's, restricted to them)."""

    source: str
    target: str
    outcome: str
    variables: tuple[str, ...]
    mechanisms: tuple[MechanismChange, ...]
    level: float
    seed: int

    def disagreements(self) -> tuple[MechanismChange, ...]:
        """Mechanisms declared shared that DoWhy finds changed."""
        return tuple(m for m in self.mechanisms if m.declared == "shared" and m.changed)

    def to_json(self) -> dict:
        return {"source": self.source, "target": self.target, "outcome": self.outcome,
                "variables": list(self.variables), "level": self.level, "seed": self.seed,
                "mechanisms": [m.to_json() for m in self.mechanisms]}


def shared_measurements(study: Study, source: str, frames: dict[str, pd.DataFrame]) -> list[str]:
    """Observed variables both populations measure, in declaration order."""
    target = study.target.name
    both = set(frames[source].columns) & set(frames[target].columns)
    return [v.name for v in study.variables if v.name in both]


def distribution_change(study: Study, source: str, *, outcome: str | None = None,
                        data: dict[str, pd.DataFrame] | None = None, level: float = 0.05,
                        num_samples: int = 500, seed: int = 0) -> DistributionChange:
    """DoWhy's `gcm.distribution_change` between `source` (old) and the target (new) for
    `outcome` (the study's outcome by default), over the variables both populations
    measure; requires that every parent of each of those variables is measured too (a
    mechanism whose parents are not all measured in both cannot be compared)."""
    _dowhy()
    import numpy as np
    from dowhy import gcm

    target = study.target.name
    if source not in [p.name for p in study.sources]:
        _check_population(study, source)
        raise UsageError(f"'{source}' is not a source population")
    frames = dict(data or {})
    for name in (source, target):
        if name not in frames:
            frames[name] = population_frame(study, name)
    variables = shared_measurements(study, source, frames)
    outcome = outcome or study.query.outcome
    if outcome not in variables:
        raise UsageError(f"'{outcome}' is not measured by both {source} and {target}, so "
                         "its distributions cannot be compared")
    keep = set(nx.ancestors(nx.DiGraph(study.directed), outcome)) | {outcome} \
        if outcome in {n for e in study.directed for n in e} else {outcome}
    variables = [v for v in variables if v in keep]
    unmeasured = {v: [p for p in study.parents(v) if p not in variables] for v in variables}
    missing = {v: ps for v, ps in unmeasured.items() if ps}
    if missing:
        listed = "; ".join(f"{v} (parents {', '.join(ps)})" for v, ps in missing.items())
        raise UsageError(f"these mechanisms' parents are not measured by both {source} and "
                         f"{target}: {listed}")
    confounded = [(a, b) for a, b in study.bidirected if a in variables and b in variables]
    if confounded:
        pairs = ", ".join(f"{a} <-> {b}" for a, b in confounded)
        raise UsageError(f"DoWhy's GCM needs a graph without unmeasured common causes; "
                         f"{pairs} links measured variables")
    graph = nx.DiGraph()
    graph.add_nodes_from(variables)
    graph.add_edges_from((a, b) for a, b in study.directed if a in variables and b in variables)
    old, new = (_gcm_frame(study, frames[name][variables]) for name in (source, target))
    gcm.util.general.set_random_seed(seed)
    np.random.seed(seed)
    model = gcm.ProbabilisticCausalModel(graph)
    gcm.auto.assign_causal_mechanisms(model, old)
    contributions, changed, _, _ = gcm.distribution_change(
        model, old, new, outcome, num_samples=num_samples,
        mechanism_change_test_significance_level=level, return_additional_info=True)
    randomized = set(randomized_in(study, source))
    mechanisms = tuple(
        MechanismChange(
            v, tuple(sorted(graph.predecessors(v))), float(contributions.get(v, 0.0)),
            bool(changed.get(v, False)),
            "randomized" if v in randomized
            else study.sharing(source, VariableMechanism(v)).status)
        for v in variables
    )
    return DistributionChange(source, target, outcome, tuple(variables), mechanisms, level, seed)


def _gcm_frame(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Discrete variables as strings (DoWhy then models them as categorical), the rest as
    floats."""
    out = frame.copy()
    for column in out.columns:
        if study.variable(column).discrete:
            out[column] = out[column].astype(str)
        else:
            out[column] = out[column].astype(float)
    return out


__all__ = ["DistributionChange", "MechanismChange", "distribution_change", "numeric_frame",
           "population_frame", "population_graph", "randomized_in", "to_dowhy"]
