"""Identification core: is the target effect transportable from LLM experiments and human data?

Public entry points: `identify(problem) -> Identification` for a problem built by hand, and
`identify_study(study) -> Identification` for a checked study. See docs/identification.md.
"""

from .api import Identification, Use, identify
from .evaluate import evaluate, evaluate_counts, tables_from_counts
from .expr import Expr, Prob, Product, Quotient, Sum, to_json, to_latex, to_text
from .from_study import identify_study, problem_from_study
from .id_alg import Hedge, NotIdentifiable, identify_conditional, identify_effect
from .problem import Dataset, TransportProblem
from .suggest import Suggestion

__all__ = [
    "Dataset",
    "Expr",
    "Hedge",
    "Identification",
    "NotIdentifiable",
    "Prob",
    "Product",
    "Quotient",
    "Suggestion",
    "Sum",
    "TransportProblem",
    "Use",
    "evaluate",
    "evaluate_counts",
    "identify",
    "identify_conditional",
    "identify_effect",
    "identify_study",
    "problem_from_study",
    "tables_from_counts",
    "to_json",
    "to_latex",
    "to_text",
]
