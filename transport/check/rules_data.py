"""Rules about `data` statements: population, design, measured variables and columns."""

from __future__ import annotations

import ntpath
import posixpath
from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import error, warning
from transport.check.rules_assumptions import unknown_population
from transport.check.rules_graph import unknown_variable
from transport.errors import Diagnostic
from transport.study import DATA_READERS
from transport.syntax import ast

_CLAUSE_NAMES = {
    ast.ExperimentClause: "experiment",
    ast.ObservationalClause: "observational",
    ast.MeasuresClause: "measures",
    ast.ColumnsClause: "columns",
    ast.PredictionsClause: "predictions",
    ast.ClusterClause: "cluster",
    ast.WeightClause: "weight",
}


def _names_ok(names: tuple[ast.Name, ...], ctx: Context, why: str) -> Iterator[Diagnostic]:
    for name in names:
        if name.text not in ctx.variables:
            yield unknown_variable(name, ctx)
        elif ctx.is_latent(name.text):
            yield error(
                "E060",
                f"'{name.text}' is latent: no data can {why} it",
                name.span,
                f"declare '{name.text}' with an observed type if it was measured",
            )


def check_data(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.data:
        if decl.population.text not in ctx.populations:
            yield unknown_population(decl.population, ctx)
        if not decl.path.value.strip():
            yield error("E067", "the data path is empty", decl.path.span)
        seen: set[type] = set()
        designs = [c for c in decl.clauses
                   if isinstance(c, ast.ExperimentClause | ast.ObservationalClause)]
        for clause in decl.clauses:
            kind = type(clause)
            if kind is ast.RecodeClause:
                continue  # one per variable: rules_design checks them
            if kind in seen:
                yield error("E065", f"'{_CLAUSE_NAMES[kind]}' is given twice", clause.span)
            seen.add(kind)
        if not designs:
            yield error(
                "E061",
                "the data statement does not say its design",
                decl.span,
                "add experiment(X, ...) naming the randomized variables, or observational",
            )
        elif len({type(d) for d in designs}) > 1:
            yield error(
                "E061",
                "a data statement is either an experiment or observational, not both",
                designs[1].span,
            )
        experiment = next((c for c in decl.clauses if isinstance(c, ast.ExperimentClause)), None)
        measures = next((c for c in decl.clauses if isinstance(c, ast.MeasuresClause)), None)
        columns = next((c for c in decl.clauses if isinstance(c, ast.ColumnsClause)), None)
        if experiment is not None:
            if not experiment.variables:
                yield error(
                    "E061", "experiment() must name the randomized variables", experiment.span
                )
            yield from _names_ok(experiment.variables, ctx, "randomize")
        if measures is not None:
            yield from _names_ok(measures.variables, ctx, "measure")
            listed = {n.text for n in measures.variables}
            for name in experiment.variables if experiment else ():
                if name.text in ctx.variables and name.text not in listed:
                    yield error(
                        "E062",
                        f"'{name.text}' is randomized but not in measures(...)",
                        name.span,
                        f"add '{name.text}' to measures(...)",
                    )
        if columns is not None:
            yield from _check_columns(columns, measures, ctx)


def _check_columns(
    columns: ast.ColumnsClause, measures: ast.MeasuresClause | None, ctx: Context
) -> Iterator[Diagnostic]:
    listed = {n.text for n in measures.variables} if measures else None
    used: dict[str, str] = {}
    bound: set[str] = set()
    for binding in columns.bindings:
        name = binding.variable
        yield from _names_ok((name,), ctx, "measure")
        if name.text in bound:
            yield error("E066", f"'{name.text}' is bound to a column twice", name.span)
        bound.add(name.text)
        if listed is not None and name.text in ctx.variables and name.text not in listed:
            yield error(
                "E063",
                f"'{name.text}' has a column but is not in measures(...)",
                name.span,
                f"add '{name.text}' to measures(...), or drop its column",
            )
        column = binding.column.value
        if not column:
            yield error("E066", "the column name is empty", binding.column.span)
        elif column in used:
            yield error(
                "E066",
                f"column '{column}' is already bound to '{used[column]}'",
                binding.column.span,
            )
        else:
            used[column] = name.text


#: The data file types `transport` reads (the one list: transport.study.DATA_READERS).
DATA_SUFFIXES = tuple(DATA_READERS)


def check_data_paths(ctx: Context) -> Iterator[Diagnostic]:
    """E068: a data file of a type that is not read; W107: a path that leaves the study's
    folder (absolute, or climbing out with `..`), which a copy of the folder, a report or a
    preregistration will not carry along."""
    for decl in ctx.data:
        path = decl.path.value.strip()
        if not path:
            continue
        suffix = posixpath.splitext(path.replace("\\", "/"))[1]
        if suffix.lower() not in DATA_SUFFIXES:
            shown = f"'{suffix}'" if suffix else "without a suffix"
            spreadsheet = suffix.lower() in (".xlsx", ".xls", ".ods")
            yield error("E068", f"unsupported data file type {shown}", decl.path.span,
                        "export the sheet as CSV (in a spreadsheet: Save As, CSV)" if spreadsheet
                        else f"data files are {', '.join(DATA_SUFFIXES[:-1])} or "
                        f"{DATA_SUFFIXES[-1]}")
        normal = posixpath.normpath(path.replace("\\", "/"))
        if posixpath.isabs(normal) or ntpath.isabs(path) or normal.split("/")[0] == "..":
            yield warning("W107", f"the data file '{path}' is outside the study's folder",
                          decl.path.span, "keep data beside the .tdag file (in it or below), "
                          "so that the study travels as one folder")
