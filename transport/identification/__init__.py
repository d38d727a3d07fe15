"""Identification core: is the target effect transportable from LLM experiments and human data?

Public entry point: `identify(problem) -> Identification`. See docs/identification.md.
"""

from .api import Identification, Use, identify
from .evaluate import evaluate, evaluate_counts, tables_from_counts
from .expr import Expr, Prob, Product, Quotient, Sum, to_json, to_latex, to_text
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
    "tables_from_counts",
    "to_json",
    "to_latex",
    "to_text",
]
