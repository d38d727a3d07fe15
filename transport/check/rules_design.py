"""Rules about a data statement's mixed-subjects clauses: `predictions { V by POP = "col" }`,
`cluster "col"`, `weight "col"`, and `recode V { "raw" = value }`.

Which column holds which variable is decided from the file alone, as loading will decide it:
an explicit `columns { V = "col" }` binding, else the column named like the variable. A
column that holds a variable cannot also hold a prediction, cluster ids or weights.
"""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import error
from transport.check.rules_assumptions import unknown_population
from transport.check.rules_declarations import level_text
from transport.check.rules_graph import unknown_variable
from transport.errors import Diagnostic, did_you_mean
from transport.syntax import ast


def measured(decl: ast.DataDecl, ctx: Context) -> list[str]:
    """The variables a data statement measures: its measures(...) list, else every declared
    observed variable (the same default the study uses)."""
    clause = next((c for c in decl.clauses if isinstance(c, ast.MeasuresClause)), None)
    if clause is not None:
        return [n.text for n in clause.variables]
    return [name for name in ctx.variables if not ctx.is_latent(name)]


def variable_columns(decl: ast.DataDecl, ctx: Context) -> dict[str, tuple[str, bool]]:
    """column -> (variable, explicit?) for every measured variable: its `columns { }`
    binding, else the column named like it (bound automatically)."""
    explicit: dict[str, str] = {}
    for clause in decl.clauses:
        if isinstance(clause, ast.ColumnsClause):
            for binding in clause.bindings:
                explicit.setdefault(binding.variable.text, binding.column.value)
    found: dict[str, tuple[str, bool]] = {}
    for variable in measured(decl, ctx):
        column = explicit.get(variable)
        found.setdefault(column or variable, (variable, column is not None))
    return found


def _bound_elsewhere(column: str, columns: dict[str, tuple[str, bool]]) -> str | None:
    """How a column already holds a variable, in words, or None."""
    if column not in columns:
        return None
    variable, explicit = columns[column]
    if explicit:
        return f"column '{column}' is bound to '{variable}' by columns {{ }}"
    return f"column '{column}' holds '{variable}' (it is named like the variable)"


def check_design(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.data:
        columns = variable_columns(decl, ctx)
        yield from _predictions(decl, ctx, columns)
        yield from _cluster_and_weight(decl, columns)
        yield from _recodes(decl, ctx)


def _predictions(
    decl: ast.DataDecl, ctx: Context, columns: dict[str, tuple[str, bool]]
) -> Iterator[Diagnostic]:
    clauses = [c for c in decl.clauses if isinstance(c, ast.PredictionsClause)]
    if not clauses:
        return
    population = decl.population.text
    if population in ctx.populations and ctx.populations[population].role.text != "target":
        yield error(
            "E105",
            f"predictions belong to data of the target's units, and '{population}' is a source",
            clauses[0].span,
            "put the LLM's per-unit predictions on the data statement of the human units "
            "they predict",
        )
    randomized = {
        n.text for c in decl.clauses if isinstance(c, ast.ExperimentClause) for n in c.variables
    }
    seen_pairs: dict[tuple[str, str], int] = {}
    seen_columns: dict[str, str] = {}
    for binding in (b for c in clauses for b in c.bindings):
        variable, source, column = binding.variable, binding.source, binding.column
        if variable.text not in ctx.variables:
            yield unknown_variable(variable, ctx)
        elif ctx.is_latent(variable.text):
            yield error(
                "E101",
                f"'{variable.text}' is latent: there is no observed answer for a prediction "
                "of it to predict",
                variable.span,
                "predictions are of observed variables, such as the outcome",
            )
        elif variable.text in randomized:
            yield error(
                "E102",
                f"'{variable.text}' is randomized in this data statement: its values are set "
                "by the design, not predicted",
                variable.span,
            )
        if source.text not in ctx.populations:
            yield unknown_population(source, ctx)
        elif ctx.populations[source.text].role.text != "source":
            yield error(
                "E100",
                f"'{source.text}' is the target; predictions come from a source population",
                source.span,
                _source_hint(ctx),
            )
        pair = (variable.text, source.text)
        if pair in seen_pairs:
            yield error(
                "E104",
                f"{source.text}'s prediction of '{variable.text}' is already given",
                binding.span,
            )
        seen_pairs.setdefault(pair, binding.span.line)
        name = column.value
        if not name:
            yield error("E066", "the column name is empty", column.span)
            continue
        clash = _bound_elsewhere(name, columns)
        if clash is not None:
            yield error(
                "E103",
                f"{clash}; a prediction needs a column of its own",
                column.span,
                f"a column holds either '{columns[name][0]}' or a prediction of it, not both",
            )
        elif name in seen_columns:
            yield error(
                "E104",
                f"column '{name}' already holds the prediction {seen_columns[name]}",
                column.span,
            )
        seen_columns.setdefault(name, f"{variable.text} by {source.text}")


def _source_hint(ctx: Context) -> str | None:
    if not ctx.source_names:
        return None
    return f"name a source: {', '.join(ctx.source_names)}"


def _cluster_and_weight(
    decl: ast.DataDecl, columns: dict[str, tuple[str, bool]]
) -> Iterator[Diagnostic]:
    predicted = {
        b.column.value: f"{b.variable.text} by {b.source.text}"
        for c in decl.clauses if isinstance(c, ast.PredictionsClause) for b in c.bindings
    }
    taken: dict[str, str] = {}
    for clause in decl.clauses:
        if not isinstance(clause, ast.ClusterClause | ast.WeightClause):
            continue
        word = "cluster" if isinstance(clause, ast.ClusterClause) else "weight"
        name = clause.column.value
        if not name:
            yield error("E066", "the column name is empty", clause.column.span)
            continue
        clash = _bound_elsewhere(name, columns)
        if clash is None and name in predicted:
            clash = f"column '{name}' holds the prediction {predicted[name]}"
        if clash is None and name in taken and taken[name] != word:
            clash = f"column '{name}' is already the {taken[name]} column"
        if clash is not None:
            yield error(
                "E106",
                f"{clash}; the {word} column must be a column of its own",
                clause.column.span,
            )
        taken.setdefault(name, word)


def _recodes(decl: ast.DataDecl, ctx: Context) -> Iterator[Diagnostic]:
    listed = set(measured(decl, ctx))
    first: dict[str, int] = {}
    for clause in decl.clauses:
        if not isinstance(clause, ast.RecodeClause):
            continue
        name = clause.variable
        if name.text not in ctx.variables:
            yield unknown_variable(name, ctx)
            continue
        if name.text in first:
            yield error(
                "E109",
                f"'{name.text}' is already recoded on line {first[name.text]}",
                name.span,
                "give one recode per variable, with every raw value in it",
            )
            continue
        first[name.text] = clause.span.line
        if name.text not in listed:
            why = "is latent" if ctx.is_latent(name.text) else "is not measured here"
            yield error(
                "E107",
                f"'{name.text}' {why}: this data statement has no column of it to recode",
                name.span,
                None if ctx.is_latent(name.text) else f"add '{name.text}' to measures(...), "
                "or drop the recode",
            )
            continue
        domain = _domain(ctx.variables[name.text])
        keys: set[str] = set()
        for entry in clause.entries:
            if entry.raw.value in keys:
                yield error(
                    "E109",
                    f"\"{entry.raw.value}\" is recoded twice for '{name.text}'",
                    entry.raw.span,
                )
            keys.add(entry.raw.value)
            problem = _invalid(entry.value, ctx.variables[name.text], domain)
            if problem is not None:
                message, hint = problem
                yield error("E108", message, entry.value.span, hint)


def _domain(decl: ast.VariableDecl) -> list[str] | None:
    """The values a variable can take, as text, when they are finite and known."""
    kind = decl.type.kind.text
    if kind == "binary":
        return ["0", "1"]
    if kind == "categorical":
        return [level_text(a) for a in decl.type.args or () if isinstance(a, ast.Level)]
    if kind == "ordinal" and decl.type.args and isinstance(decl.type.args[0], ast.Range):
        low, high = decl.type.args[0].low.value, decl.type.args[0].high.value
        if float(low).is_integer() and float(high).is_integer() and high - low < 10_000:
            return [str(v) for v in range(int(low), int(high) + 1)]
    return None


def _invalid(
    level: ast.Level, decl: ast.VariableDecl, domain: list[str] | None
) -> tuple[str, str | None] | None:
    """(message, hint) when `level` is not a value of the variable, else None."""
    kind = decl.type.kind.text
    name = decl.name.text
    value = level.value
    text = level_text(level)
    if kind == "categorical":
        if text in (domain or []):
            return None
        levels = ", ".join(domain or [])
        return (f"'{text}' is not a level of '{name}' ({levels})", did_you_mean(text, domain or []))
    if not isinstance(value, ast.Number):
        return (f"'{name}' is {kind}: a recode gives it a number, not '{text}'", None)
    number = value.value
    if kind in ("binary", "ordinal"):
        if domain is None:
            return None  # a malformed ordinal range is reported by E032
        whole = float(number).is_integer() and str(int(number)) in (domain or [])
        if whole:
            return None
        shown = "0 or 1" if kind == "binary" else f"a whole number from {domain[0]} to {domain[-1]}"
        return (f"{value.text} is not a value of '{name}' ({kind}: {shown})", None)
    if kind == "count" and not (float(number).is_integer() and number >= 0):
        return (f"{value.text} is not a value of '{name}' (count: a whole number of at least 0)",
                None)
    return None
