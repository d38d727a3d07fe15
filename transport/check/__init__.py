"""The checker: every rule runs, every finding is collected, sorted by position.

`check` turns a parsed document into a Study when it has no errors; warnings never block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from transport.check.build import build_study
from transport.check.context import Context, gather
from transport.check.rules_assumptions import check_assumptions
from transport.check.rules_coverage import check_coverage
from transport.check.rules_data import check_data, check_data_paths
from transport.check.rules_declarations import (
    check_populations,
    check_study,
    check_variables,
    check_version,
)
from transport.check.rules_design import check_design
from transport.check.rules_graph import check_connected, check_cycles, check_edges
from transport.check.rules_models import check_models
from transport.check.rules_post_treatment import check_post_treatment
from transport.check.rules_query import (
    check_calibrations,
    check_fit,
    check_hypotheses,
    check_query,
)
from transport.errors import Diagnostic, sort_diagnostics
from transport.study import Study
from transport.syntax.ast import Document

Rule = Callable[[Context], Iterable[Diagnostic]]

RULES: tuple[Rule, ...] = (
    check_version,
    check_study,
    check_populations,
    check_variables,
    check_edges,
    check_cycles,
    check_connected,
    check_assumptions,
    check_data,
    check_design,
    check_data_paths,
    check_query,
    check_fit,
    check_hypotheses,
    check_calibrations,
    check_coverage,
    check_post_treatment,
    check_models,
)


@dataclass(frozen=True)
class CheckResult:
    """Every diagnostic, and the study when there were no errors."""

    diagnostics: tuple[Diagnostic, ...]
    study: Study | None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)


def check(document: Document, path: Path | None = None) -> CheckResult:
    """Run every rule over the document; build the study if nothing is wrong."""
    context = gather(document)
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(context))
    diagnostics = sort_diagnostics(found)
    if any(d.is_error for d in diagnostics):
        return CheckResult(diagnostics, None)
    return CheckResult(diagnostics, build_study(context, path))


__all__ = ["CheckResult", "RULES", "check"]
