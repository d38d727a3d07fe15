"""Which column holds which variable: explicit `columns { ... }` bindings first, then a
column named exactly like the variable, then an LLM-survey export column whose last dotted
part is the variable's name (`answer.keep`, `agent.age`, `scenario.frame`)."""

from __future__ import annotations

from collections.abc import Sequence

from transport.errors import DataError, did_you_mean
from transport.study import DataSpec


def bind_columns(spec: DataSpec, available: Sequence[str], where: str) -> dict[str, str]:
    """variable -> column for every variable the data statement measures."""
    bound: dict[str, str] = {}
    problems: list[str] = []
    columns = list(available)
    for variable in spec.measures:
        explicit = spec.column_for(variable)
        if explicit is not None:
            if explicit not in columns:
                hint = did_you_mean(explicit, columns)
                problems.append(
                    f"column '{explicit}' (bound to {variable} by columns {{...}}) is not in "
                    f"the file" + (f"; {hint}" if hint else "")
                )
            else:
                bound[variable] = explicit
            continue
        if variable in columns:
            bound[variable] = variable
            continue
        dotted = [c for c in columns if c.rsplit(".", 1)[-1] == variable and "." in c]
        if len(dotted) == 1:
            bound[variable] = dotted[0]
        elif len(dotted) > 1:
            problems.append(
                f"several columns could hold '{variable}': {', '.join(dotted)}; "
                f"choose one with columns {{ {variable} = \"...\" }}"
            )
        else:
            hint = did_you_mean(variable, columns)
            problems.append(
                f"no column for '{variable}'"
                + (f"; {hint}" if hint else f" (columns: {_shown(columns)})")
                + f"; bind one with columns {{ {variable} = \"...\" }} or drop '{variable}' "
                "from measures(...)"
            )
    used: dict[str, str] = {}
    for variable, column in bound.items():
        if column in used:
            problems.append(f"column '{column}' would hold both '{used[column]}' and '{variable}'")
        used[column] = variable
    if problems:
        delimiter = _other_delimiter(columns)
        if delimiter is not None:  # one problem, not one per variable: the file is misread
            problems = [f"the file seems to separate its columns with '{delimiter}' (its "
                        f"header reads as one column: {_shown(columns)}); save it with commas "
                        "between columns, or tabs as a .tsv file"]
        raise DataError("\n".join(f"{where}: {p}" for p in problems))
    return bound


def _other_delimiter(columns: Sequence[str]) -> str | None:
    """';' or '|' when a comma-separated reading found one column whose name holds it."""
    if len(columns) == 1:
        for delimiter in (";", "|", "\t"):
            if delimiter in columns[0]:
                return "tab" if delimiter == "\t" else delimiter
    return None


def _shown(columns: Sequence[str], limit: int = 12) -> str:
    if len(columns) <= limit:
        return ", ".join(columns)
    return ", ".join(columns[:limit]) + f", ... ({len(columns)} in all)"
