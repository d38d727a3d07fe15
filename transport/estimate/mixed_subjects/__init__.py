"""Mixed-subjects designs: human answers, each source's per-unit predictions of them, and
unlabelled units with predictions only. PPI++ (`ppi`) and a Bayesian joint model
(`bayes_ppi`), both cluster-robust and weighted; numpy and scipy only, no Study objects.
docs/mixed_subjects.md gives the theory."""

from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError, Units
from transport.estimate.mixed_subjects.ppi import ppi_difference, ppi_linear, ppi_mean
from transport.estimate.mixed_subjects.results import (
    BayesPPIResult,
    BayesPredictorFit,
    ClassicalFit,
    PPIFit,
    PPIResult,
)

__all__ = [
    "BayesPPIResult",
    "BayesPredictorFit",
    "ClassicalFit",
    "MixedSubjectsData",
    "MixedSubjectsError",
    "PPIFit",
    "PPIResult",
    "Units",
    "bayes_ppi",
    "ppi_difference",
    "ppi_linear",
    "ppi_mean",
]
