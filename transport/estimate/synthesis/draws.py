"""One entry point for a mechanism's posterior draws, whatever its kind: the conjugate cell
models (discrete.py, gaussian.py), a continuous covariate's atoms (continuous.py), or a
regression on a continuous parent (regression.py)."""

from __future__ import annotations

from collections.abc import Callable

from transport.estimate.synthesis.borrowing import MechanismDraws
from transport.estimate.synthesis.continuous import atom_draws
from transport.estimate.synthesis.discrete import discrete_draws
from transport.estimate.synthesis.evidence import MechanismEvidence
from transport.estimate.synthesis.gaussian import gaussian_draws
from transport.estimate.synthesis.regression import regression_draws


def draw_function(evidence: MechanismEvidence) -> Callable[..., MechanismDraws]:
    """The function that draws this mechanism (all share discrete_draws' signature)."""
    if evidence.regression is not None:
        return regression_draws
    if evidence.atoms is not None:
        return atom_draws
    return discrete_draws if evidence.kind == "discrete" else gaussian_draws
