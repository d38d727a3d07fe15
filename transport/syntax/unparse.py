"""The formatter: a document back to text in canonical layout, every comment kept.

Layout rules: one statement per line; `because` and `cite` clauses of an assumption, the
fields of a study block and a data statement's `predictions`, `cluster`, `weight` and `recode`
clauses (and any clause after them) on indented lines of their own, a braced block broken one
entry per line when it would pass LINE_LENGTH; runs of consecutive `population`, `var` and
`data` statements aligned in columns; at most one blank line where the original had any.
Comments inside a statement move above it; a comment after a statement's last token stays at
the end of its last line.
"""

from __future__ import annotations

from transport.syntax import ast

_INDENT = "  "
LINE_LENGTH = 100
_BLOCK_CLAUSES = (ast.PredictionsClause, ast.ClusterClause, ast.WeightClause, ast.RecodeClause)


def quote(value: str) -> str:
    """A string literal that reads back as `value`."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _level(level: ast.Level) -> str:
    value = level.value
    if isinstance(value, ast.Text):
        return quote(value.value)
    return value.text


def _number(number: ast.Number) -> str:
    return number.text or repr(number.value)


def _type(var_type: ast.VarType) -> str:
    if var_type.args is None:
        return var_type.kind.text
    parts = []
    for arg in var_type.args:
        if isinstance(arg, ast.Range):
            parts.append(f"{_number(arg.low)}..{_number(arg.high)}")
        else:
            parts.append(_level(arg))
    return f"{var_type.kind.text}({', '.join(parts)})"


def _names(names: tuple[ast.Name, ...]) -> str:
    return ", ".join(n.text for n in names)


def _mechanism(ref: ast.MechanismRef) -> str:
    if ref.arrow is None:
        return ref.first.text
    return f"{ref.first.text} {ref.arrow.text} {ref.second.text}"


def _group(group: ast.NodeGroup) -> str:
    if group.braced:
        return "{" + " ".join(n.text for n in group.names) + "}"
    return group.names[0].text


def _braced(head: str, entries: list[str], indent: str) -> list[str]:
    """`head { a, b }` on one line when it fits in LINE_LENGTH, else one entry per line."""
    if not entries:
        return [f"{indent}{head} {{}}"]
    one_line = f"{indent}{head} {{ {', '.join(entries)} }}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [f"{indent}{head} {{", *(f"{indent}{_INDENT}{e}" for e in entries), f"{indent}}}"]


def _block_clause(clause: ast.DataClause) -> list[str]:
    """A data clause on indented lines of its own (the clauses after the first block clause)."""
    if isinstance(clause, ast.PredictionsClause):
        entries = [
            f"{b.variable.text} by {b.source.text} = {quote(b.column.value)}"
            for b in clause.bindings
        ]
        return _braced("predictions", entries, _INDENT)
    if isinstance(clause, ast.ClusterClause):
        return [f"{_INDENT}cluster {quote(clause.column.value)}"]
    if isinstance(clause, ast.WeightClause):
        return [f"{_INDENT}weight {quote(clause.column.value)}"]
    if isinstance(clause, ast.RecodeClause):
        entries = [f"{quote(e.raw.value)} = {_level(e.value)}" for e in clause.entries]
        return _braced(f"recode {clause.variable.text}", entries, _INDENT)
    if isinstance(clause, ast.ColumnsClause):
        entries = [f"{b.variable.text} = {quote(b.column.value)}" for b in clause.bindings]
        return _braced("columns", entries, _INDENT)
    return [f"{_INDENT}{_data_clause(clause)}"]


def _split_data(statement: ast.DataDecl) -> tuple[list[ast.DataClause], list[ast.DataClause]]:
    """The clauses written on the head line, and those from the first block clause on
    (order is kept, so that the formatted file parses to the same tree)."""
    clauses = list(statement.clauses)
    first = next(
        (i for i, c in enumerate(clauses) if isinstance(c, _BLOCK_CLAUSES)), len(clauses)
    )
    return clauses[:first], clauses[first:]


def _data_clause(clause: ast.DataClause) -> str:
    if isinstance(clause, ast.ExperimentClause):
        return f"experiment({_names(clause.variables)})"
    if isinstance(clause, ast.ObservationalClause):
        return "observational"
    if isinstance(clause, ast.MeasuresClause):
        return f"measures({_names(clause.variables)})"
    bindings = ", ".join(f"{b.variable.text} = {quote(b.column.value)}" for b in clause.bindings)
    return "columns { " + bindings + " }" if bindings else "columns {}"


def cells(statement: ast.Statement) -> list[str]:
    """A single-line statement as columns (the first few are aligned within a run)."""
    if isinstance(statement, ast.PopulationDecl):
        out = ["population", statement.name.text, statement.role.text]
        return out + ([quote(statement.label.value)] if statement.label else [])
    if isinstance(statement, ast.VariableDecl):
        out = ["var", statement.name.text, _type(statement.type)]
        if statement.label:
            out.append(quote(statement.label.value))
        return out + [r.text for r in statement.roles]
    if isinstance(statement, ast.DataDecl):
        out = ["data", statement.population.text, quote(statement.path.value)]
        return out + [_data_clause(c) for c in _split_data(statement)[0]]
    raise TypeError(type(statement).__name__)


_ALIGNED = {ast.PopulationDecl: 3, ast.VariableDecl: 3, ast.DataDecl: 3}

#: The line length `fmt` keeps to where the language lets it break a line: a `columns { }`
#: block that would pass it gets one binding per line.
LINE_LENGTH = 100


def _columns_block(head: str, bindings: tuple[ast.ColumnBinding, ...],
                   indent: str = "") -> list[str]:
    """`head columns {`, one `V = "column"` per indented line, then `}`."""
    shown = [f"{indent}{_INDENT}{b.variable.text} = {quote(b.column.value)}" for b in bindings]
    opening = f"{head} columns {{" if head else f"{indent}columns {{"
    return [opening, *[s + "," for s in shown[:-1]], shown[-1], f"{indent}}}"]


def _wrapped(statement: ast.Statement, line: str, parts: list[str] | None = None) -> list[str]:
    """The line, or, when it is longer than LINE_LENGTH, the statement with its `columns`
    bindings on lines of their own (a data statement's columns clause moved last: clause
    order carries no meaning). `parts` are a data statement's aligned cells."""
    if len(line) <= LINE_LENGTH:
        return [line]
    if isinstance(statement, ast.DataDecl) and parts is not None:
        found = [(i, c) for i, c in enumerate(statement.clauses)
                 if isinstance(c, ast.ColumnsClause) and c.bindings]
        if found:
            index, columns = found[0]
            head = [p for i, p in enumerate(parts) if i != 3 + index]
            if len(" ".join(head).rstrip()) + len(" columns {") <= LINE_LENGTH:
                return _columns_block(" ".join(head).rstrip(), columns.bindings)
            # still too long: every clause on an indented line of its own
            lines = [" ".join(p.strip() for p in parts[:3])]
            lines += [_INDENT + p.strip() for p in head[3:]]
            return lines + _columns_block("", columns.bindings, _INDENT)
    if isinstance(statement, ast.CalibrationDecl) and statement.columns:
        head = line.split(" columns {", 1)[0]
        return _columns_block(head, statement.columns)
    return [line]


def render(statement: ast.Statement, widths: list[int] | None = None) -> list[str]:
    """The statement's lines in canonical layout."""
    if type(statement) in _ALIGNED:
        parts = cells(statement)
        if widths:
            parts = [
                p.ljust(widths[i]) if i < len(widths) and i + 1 < len(parts) else p
                for i, p in enumerate(parts)
            ]
        line = " ".join(parts)
        if isinstance(statement, ast.DataDecl) and _split_data(statement)[1]:
            lines = [line]
            for clause in _split_data(statement)[1]:
                lines.extend(_block_clause(clause))
            return lines
        return _wrapped(statement, line, parts)
    if isinstance(statement, ast.Version):
        return [f"tdag {_number(statement.number)}"]
    if isinstance(statement, ast.StudyDecl):
        head = f"study {quote(statement.title.value)}"
        if statement.fields is None:
            return [head]
        body = [f"{_INDENT}{f.key.text} {quote(f.value.value)}" for f in statement.fields]
        return [head + " {", *body, "}"]
    if isinstance(statement, ast.EdgeChain):
        text = _group(statement.groups[0])
        for arrow, group in zip(statement.arrows, statement.groups[1:], strict=True):
            text += f" {arrow.text} {_group(group)}"
        return [text]
    if isinstance(statement, ast.AssumptionDecl):
        lines = [f"{statement.kind.text} {', '.join(_mechanism(m) for m in statement.mechanisms)}"]
        for clause in statement.clauses:
            if isinstance(clause, ast.BecauseClause):
                lines.append(f"{_INDENT}because {quote(clause.reason.value)}")
            elif isinstance(clause, ast.CiteClause):
                lines.append(f"{_INDENT}cite {quote(clause.citation.value)}")
            elif isinstance(clause, ast.SdClause):
                lines[-1] += f" sd {_number(clause.sd)}"
            elif isinstance(clause, ast.RobustClause):
                lines[-1] += f" robust {_number(clause.weight)}"
            else:
                lines[-1] += f" for {_names(clause.populations)}"
        return lines
    if isinstance(statement, ast.QueryDecl):
        text = f"estimate effect of {statement.treatment.text} on {statement.outcome.text}"
        for clause in statement.clauses:
            if isinstance(clause, ast.InClause):
                text += f" in {clause.population.text}"
            elif isinstance(clause, ast.ScaleClause):
                text += f" scale {clause.scale.text}"
            else:
                text += f" contrast {_level(clause.treated)} vs {_level(clause.control)}"
        return [text]
    if isinstance(statement, ast.CalibrationDecl):
        text = f"calibration {quote(statement.path.value)}"
        if statement.source is not None:
            text += f" for {statement.source.text}"
        if statement.columns is not None:
            bindings = ", ".join(
                f"{b.variable.text} = {quote(b.column.value)}" for b in statement.columns
            )
            text += " columns { " + bindings + " }" if bindings else " columns {}"
        return _wrapped(statement, text)
    if isinstance(statement, ast.HypothesisDecl):
        return [f"hypothesis {quote(statement.text.value)}"]
    if isinstance(statement, ast.ModelDecl):
        return [f"model {statement.variable.text} ~ {model_text(statement)}"]
    if isinstance(statement, ast.DecisionDecl):
        return [
            f"decide {statement.label.text} if prob(effect {statement.effect_comparison.text} "
            f"{_number(statement.effect_threshold)}) {statement.prob_comparison.text} "
            f"{_number(statement.prob_threshold)}"
        ]
    if isinstance(statement, ast.FitDecl):
        options = "".join(
            f" {o.key.text} {o.value.text if isinstance(o.value, ast.Name) else _number(o.value)}"
            for o in statement.options
        )
        return [f"fit{options}"]
    raise TypeError(type(statement).__name__)


def model_text(statement: ast.ModelDecl) -> str:
    """A `model` statement's right-hand side in canonical form."""
    return " + ".join(" * ".join(_model_factor(f) for f in term.factors)
                      for term in statement.terms)


def _model_factor(factor: ast.ModelFactorRef) -> str:
    if factor.function is not None:
        argument = f", {_number(factor.argument)}" if factor.argument is not None else ""
        return f"{factor.function.text}({factor.variable.text}{argument})"
    if factor.power is not None:
        return f"{factor.variable.text}^{_number(factor.power)}"
    return factor.variable.text


def _blank_between(lines: list[str], after: int, before: int) -> bool:
    """Did the original have an empty line strictly between lines `after` and `before`?"""
    return any(not lines[i - 1].strip() for i in range(after + 1, before) if 0 < i <= len(lines))


def unparse(document: ast.Document, original: str = "") -> str:
    """Canonical text for a document. `original` (the text it was parsed from) supplies
    where blank lines were; without it, none are kept."""
    source_lines = original.split("\n") if original else []
    statements = list(document.statements)
    leading: list[list[ast.Comment]] = [[] for _ in statements]
    trailing: list[ast.Comment | None] = [None for _ in statements]
    tail: list[ast.Comment] = []
    ordered = sorted(document.comments, key=lambda c: (c.span.line, c.span.column))
    index = 0
    for comment in ordered:
        while index < len(statements) and statements[index].span.end_line < comment.span.line:
            index += 1
        owner = None
        k = index
        while k < len(statements) and statements[k].span.end_line == comment.span.line:
            if statements[k].span.end_column <= comment.span.column:
                owner = k
            k += 1
        if owner is not None:
            trailing[owner] = comment
        elif index == len(statements):
            tail.append(comment)
        else:
            leading[index].append(comment)

    # Elements in output order: (first original line, last original line, rendered lines).
    elements: list[tuple[int, int, list[str], int]] = []
    runs = _alignment(statements, leading, source_lines)
    for i, statement in enumerate(statements):
        for comment in leading[i]:
            elements.append((comment.span.line, comment.span.line, [comment.text], -1))
        lines = render(statement, runs[i])
        if trailing[i] is not None:
            lines[-1] += f"  {trailing[i].text}"
        elements.append((statement.span.line, statement.span.end_line, lines, i))
    for comment in tail:
        elements.append((comment.span.line, comment.span.line, [comment.text], -1))

    out: list[str] = []
    previous_end = None
    for first, last, lines, _ in elements:
        if previous_end is not None and source_lines and _blank_between(
            source_lines, previous_end, first
        ):
            out.append("")
        out.extend(lines)
        previous_end = last
    return "\n".join(out) + "\n" if out else ""


def _alignment(
    statements: list[ast.Statement], leading: list[list[ast.Comment]], source_lines: list[str]
) -> list[list[int] | None]:
    """Column widths for each statement that belongs to an aligned run, else None."""
    widths: list[list[int] | None] = [None] * len(statements)
    i = 0
    while i < len(statements):
        kind = type(statements[i])
        if kind not in _ALIGNED:
            i += 1
            continue
        j = i + 1
        while (
            j < len(statements)
            and type(statements[j]) is kind
            and not leading[j]
            and not _blank_between(
                source_lines, statements[j - 1].span.end_line, statements[j].span.line
            )
        ):
            j += 1
        rows = [cells(s) for s in statements[i:j]]
        columns = _ALIGNED[kind]
        run_widths = [max(len(r[c]) for r in rows if len(r) > c + 1) if any(
            len(r) > c + 1 for r in rows) else 0 for c in range(columns)]
        for k in range(i, j):
            widths[k] = run_widths
        i = j
    return widths
