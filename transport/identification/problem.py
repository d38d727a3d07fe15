"""The input of identification: a selection diagram and the data each population provides.

This is the contract between the language front end (which builds it from a checked
study) and the identification algorithms. It is plain data over variable names so
that the algorithms can be tested on graphs that never came from a `.tdag` file.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dataset:
    """What one data statement provides: a distribution over `measured` in `population`,
    with the variables in `experiment` randomized (empty for observational data). The
    algorithms use the same value with `measured` cut to the observed variables
    (`api.build_sources`): P_population(v | do(experiment)) observed on `measured`."""

    population: str
    experiment: frozenset[str]
    measured: frozenset[str]

    def label(self) -> str:
        """e.g. "gpt's experiment on {x}" or "human's observational data"."""
        if self.experiment:
            return (f"{self.population}'s experiment on "
                    f"{{{', '.join(sorted(self.experiment))}}}")
        return f"{self.population}'s observational data"


@dataclass(frozen=True)
class TransportProblem:
    """Is P_target(outcome | do(treatment)) computable from `datasets`?

    `nodes` are all variables of the causal graph, observed and latent; `latent` names the
    unobserved ones (an unmeasured common cause written `a <-> b` may be given either as a
    bidirected edge or as an explicit latent node with edges into a and b). The graph is the
    same in every population. `selection[source]` is the set of nodes (observed or latent)
    whose mechanism may differ between that source and the target: a selection node of that
    source points at each of them.

    For a study, `from_study.problem_from_study` writes its one SelectionDiagram in these
    names (an explicit `<->` cause becomes a latent node `U[a,b]`; a source's selection nodes
    become `selection[source]`); the algorithms read it only through the ProjectedDiagram
    that `api.build_diagram` makes of it.
    """

    nodes: tuple[str, ...]
    directed: tuple[tuple[str, str], ...]
    bidirected: tuple[tuple[str, str], ...]
    latent: frozenset[str]
    target: str
    sources: tuple[str, ...]
    selection: dict[str, frozenset[str]] = field(hash=False)
    datasets: tuple[Dataset, ...]
    treatment: tuple[str, ...]
    outcome: tuple[str, ...]
