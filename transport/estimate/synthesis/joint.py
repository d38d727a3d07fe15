"""The joint model of all populations under the declared ties, and the target effect from
the target's mechanisms through the g-formula.

E_target[Y | do(X = x)] = sum over the effect's ancestors of the product of the target's
mechanisms P(v | parents(v)) with X set to x, times E[Y | parents(Y)] (the truncated
factorisation; Robins 1986, Pearl 2009 section 3.2). Every mechanism's posterior is
computed from every dataset the ties license (evidence.py), independently of the others
given the data, so the effect's draws are exact posterior draws: no MCMC, no file order.

Random numbers: each mechanism draws from its own stream, seeded by the run's seed and the
mechanism's name, so the same seed gives the same numbers in any order of statements, and a
leave-one-source-out or sensitivity refit reuses the same streams (common random numbers).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from transport.data.load import LoadedData
from transport.errors import DataError
from transport.estimate.levels import contrast_positions, outcome_values
from transport.estimate.scales import on_scale, scale_of
from transport.estimate.synthesis.borrowing import (
    Configuration,
    borrow_weight,
    mixture_scales,
    prior_log_weights,
    subsets,
)
from transport.estimate.synthesis.conflict import (
    MechanismConflict,
    configuration_log_marginals,
    mechanism_conflict,
)
from transport.estimate.synthesis.continuous import (
    continuous_evidence,
    covariate_atoms,
    involves_continuous,
)
from transport.estimate.synthesis.draws import draw_function
from transport.estimate.synthesis.evidence import (
    MechanismEvidence,
    failure_weight,
    mechanism_evidence,
    mechanism_variables,
)
from transport.study import Study


def stream(seed: int, *names: str) -> np.random.Generator:
    """A random stream named by the run's seed and a path of names (stable across runs)."""
    words = [seed & 0xFFFFFFFF] + [zlib.crc32(n.encode("utf-8")) for n in names]
    return np.random.default_rng(np.random.SeedSequence(words))


@dataclass(frozen=True)
class MechanismPosterior:
    """Draws of one mechanism: probabilities (draws x cells x levels) for a discrete
    variable, cell means (draws x cells) for a continuous one."""

    evidence: MechanismEvidence
    values: np.ndarray
    configurations: tuple[Configuration, ...]
    borrowed: tuple[str, ...]

    def borrow_weight(self, population: str) -> float | None:
        """The posterior probability that this population's rows are borrowed."""
        if population not in self.borrowed:
            return None
        return borrow_weight(self.configurations, self.borrowed.index(population))


@dataclass(frozen=True)
class JointModel:
    """The evidence for every mechanism of one population (the target, or a source on its
    own rows), ready to be drawn from under any variation of the ties."""

    study: Study
    population: str
    evidence: Mapping[str, MechanismEvidence]
    order: tuple[str, ...]
    conflicts: Mapping[str, MechanismConflict | None]

    @staticmethod
    def build(study: Study, loaded: Sequence[LoadedData],
              population: str | None = None, seed: int = 0,
              weigh_conflicts: bool = True) -> JointModel:
        """The model of `population` (the target by default). `weigh_conflicts=False` skips
        the per-population statistics the robust mixture needs (for a model that is only
        asked which mechanisms have data)."""
        order = mechanism_variables(study)
        own = population or study.target.name
        is_target = own == study.target.name
        atoms = covariate_atoms(study, loaded, order, own)
        evidence = {
            v: continuous_evidence(study, loaded, v, atoms, None if is_target else own)
            if involves_continuous(study, v) else
            mechanism_evidence(study, loaded, v, None if is_target else own)
            for v in order
        }
        conflicts = {
            v: mechanism_conflict(study, evidence[v],
                                  lambda p, v=v: stream(seed, "conflict", v, p))
            if is_target and weigh_conflicts else None
            for v in order
        }
        return JointModel(study, own, evidence, order, conflicts)

    def missing(self) -> tuple[str, ...]:
        """Mechanisms that no dataset informs: the effect cannot be computed without them."""
        return tuple(v for v in self.order if not self.evidence[v].groups)

    def untested(self) -> tuple[str, ...]:
        """Mechanisms that only `partial` sources inform: the answer there rests on the
        stated shift scale, which no dataset can check."""
        return tuple(
            v for v in self.order
            if self.evidence[v].groups
            and all(g.relation == "partial" for g in self.evidence[v].groups)
        )

    def populations(self) -> tuple[str, ...]:
        """Every other population whose rows enter some mechanism."""
        found = {g.population for e in self.evidence.values() for g in e.borrowed}
        return tuple(sorted(found))

    def draw(
        self,
        draws: int,
        seed: int,
        *,
        exclude: frozenset[str] = frozenset(),
        drop: frozenset[tuple[str, str]] = frozenset(),
        sds: Mapping[tuple[str, str], float] | None = None,
        robust: bool = True,
        prior_only: bool = False,
    ) -> dict[str, MechanismPosterior]:
        """Posterior draws of every mechanism. `exclude` drops populations' rows (leave-one-
        out), `drop` drops single (population, variable) ties, `sds` overrides the shift scale
        of (population, variable) ties (0 = shared)."""
        sds = sds or {}
        found = {}
        for variable in self.order:
            evidence = self.evidence[variable]
            groups = tuple(g for g in evidence.borrowed if g.population not in exclude
                           and (g.population, variable) not in drop)
            scales = {p: s for (p, v), s in sds.items() if v == variable}
            rng = stream(seed, self.population, variable)
            draw = draw_function(evidence)
            conflict = self.conflicts.get(variable)
            logs, fallback = None, None
            if robust and conflict is not None and groups and not prior_only:
                declared = {g.population: scales.get(g.population, g.sd) or 0.0
                            for g in groups}
                failure = {g.population: failure_weight(self.study, g.population, variable)
                           for g in groups}
                mixed = {p: mixture_scales(sd, conflict.robust / max(conflict.slopes[p], 1e-9),
                                           failure[p])
                         for p, sd in declared.items() if sd > 0}
                core = {p: mixed[p][0] if p in mixed else 0.0 for p in declared}
                fallback = {p: wide for p, (_, wide) in mixed.items()}
                scales = {**scales, **{p: c for p, c in core.items() if p in mixed}}
                logs = configuration_log_marginals(
                    conflict.statistics[evidence.target.population],
                    [conflict.statistics[g.population] for g in groups],
                    [core[g.population] * conflict.slopes[g.population] for g in groups],
                    [fallback[g.population] * conflict.slopes[g.population]
                     if g.population in fallback else conflict.robust for g in groups],
                    subsets(len(groups)),
                )
                prior = prior_log_weights([failure[g.population] for g in groups], list(logs))
                logs = {s: value + prior[s] for s, value in logs.items()}
            result = draw(evidence, draws, rng, groups=groups, sds=scales, log_marginal=logs,
                          fallback_sds=fallback, prior_only=prior_only)
            found[variable] = MechanismPosterior(evidence, result.values,
                                                 result.configurations, result.borrowed)
        return found


def _letters(names: Sequence[str]) -> dict[str, str]:
    alphabet = "abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY"
    if len(names) > len(alphabet):
        raise DataError(f"the effect depends on {len(names)} variables, more than the "
                        f"{len(alphabet)} the joint model's g-formula can multiply; merge "
                        "variables, or leave out those the effect does not need (`transport "
                        "identify` shows the formula)")
    return {name: alphabet[i] for i, name in enumerate(names)}


def mean_under(study: Study, posterior: Mapping[str, MechanismPosterior], level: int
               ) -> np.ndarray:
    """Draws of E[Y | do(X = the treatment's level-th value)] from the mechanisms."""
    treatment, outcome = study.query.treatment, study.query.outcome
    names = [v for v in posterior]
    letters = _letters(names)
    arrays, subscripts = [], []
    for variable, item in posterior.items():
        evidence = item.evidence
        draws = item.values.shape[0]
        values = item.values
        if variable == outcome:
            numeric = outcome_values(study)
            if numeric is not None:
                values = values @ numeric
            values = values.reshape((draws, *evidence.shape))
            own = ""
        else:
            values = values.reshape((draws, *evidence.shape, evidence.levels))
            own = letters[variable]
        keep = []
        for parent in evidence.parents:
            if parent == treatment:
                values = np.take(values, level, axis=1 + len(keep))
            else:
                keep.append(letters[parent])
        arrays.append(values)
        subscripts.append("Z" + "".join(keep) + own)
    return np.einsum(",".join(subscripts) + "->Z", *arrays, optimize="greedy")


def effect_draws(study: Study, posterior: Mapping[str, MechanismPosterior]) -> np.ndarray:
    """The target effect per draw on the query's scale."""
    a, b = contrast_positions(study)
    treated, control = mean_under(study, posterior, a), mean_under(study, posterior, b)
    return on_scale(treated, control, scale_of(study))
