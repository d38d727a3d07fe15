"""Rules about declarations: version, study block, populations and variables."""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import START, error
from transport.errors import Diagnostic, did_you_mean
from transport.limits import LEVELS
from transport.study import VAR_KINDS
from transport.syntax import ast
from transport.syntax.grammar import STATEMENT_KEYWORDS

STUDY_FIELDS = ("question", "author", "description", "registration", "url", "license", "funding")
REPEATABLE_STUDY_FIELDS = ("author",)


def check_version(ctx: Context) -> Iterator[Diagnostic]:
    statements = ctx.document.statements
    for index, version in enumerate(ctx.versions):
        if version.number.value != 1:
            yield error(
                "E010",
                f"unsupported language version {version.number.text}; this toolkit reads tdag 1",
                version.number.span,
            )
        if index > 0 or statements[0] is not version:
            yield error("E013", "'tdag' must be the first statement, and only once", version.span)


def check_study(ctx: Context) -> Iterator[Diagnostic]:
    for study in ctx.studies[1:]:
        first = ctx.studies[0].span.line
        yield error("E011", f"the study is already described on line {first}", study.span)
    for study in ctx.studies[:1]:
        seen: set[str] = set()
        for item in study.fields or ():
            key = item.key.text
            if key not in STUDY_FIELDS:
                yield error(
                    "E012",
                    f"unknown study field '{key}'",
                    item.key.span,
                    did_you_mean(key, STUDY_FIELDS)
                    or f"the fields are: {', '.join(STUDY_FIELDS)}",
                )
            elif key in seen and key not in REPEATABLE_STUDY_FIELDS:
                yield error("E014", f"the study field '{key}' is given twice", item.key.span)
            seen.add(key)


def check_populations(ctx: Context) -> Iterator[Diagnostic]:
    first_line: dict[str, int] = {}
    for decl in ctx.population_decls:
        name = decl.name.text
        if name in first_line:
            yield error(
                "E020",
                f"population '{name}' is already declared on line {first_line[name]}",
                decl.name.span,
            )
        else:
            first_line[name] = decl.span.line
        yield from _check_name(decl.name, "population")
    anchor = ctx.population_decls[-1].span if ctx.population_decls else START
    targets = [d for d in ctx.populations.values() if d.role.text == "target"]
    if not targets:
        yield error(
            "E021",
            "no target population: declare the humans the claim is about",
            anchor,
            'add a line such as: population human target "US adults"',
        )
    for extra in targets[1:]:
        yield error(
            "E022",
            f"several target populations ('{targets[0].name.text}' and "
            f"'{extra.name.text}'); a study has exactly one",
            extra.role.span,
            "make the others sources, or write a separate study for each target",
        )
    if not ctx.source_names:
        yield error(
            "E023",
            "no source population: declare at least one LLM population",
            anchor,
            'add a line such as: population gpt source "GPT-class agents"',
        )


def check_variables(ctx: Context) -> Iterator[Diagnostic]:
    first_line: dict[str, int] = {}
    for decl in ctx.variable_decls:
        name = decl.name.text
        if name in first_line:
            yield error(
                "E030",
                f"variable '{name}' is already declared on line {first_line[name]}",
                decl.name.span,
            )
        else:
            first_line[name] = decl.span.line
        yield from _check_name(decl.name, "variable")
        yield from _check_type(decl.type)
        roles = [r.text for r in decl.roles]
        for role in decl.roles[1:]:
            if roles.count(role.text) > 1:
                yield error("E035", f"'{role.text}' is given twice", role.span)
                break
        if "treatment" in roles and "outcome" in roles:
            yield error(
                "E035",
                f"'{name}' cannot be both the treatment and the outcome",
                decl.roles[-1].span,
            )
        if roles and decl.type.kind.text == "latent":
            yield error(
                "E071",
                f"latent variable '{name}' cannot be a {roles[0]}: it is never observed",
                decl.roles[0].span,
            )


def _check_name(name: ast.Name, what: str) -> Iterator[Diagnostic]:
    if "-" in name.text:
        fixed = name.text.replace("-", "_")
        yield error(
            "E033",
            f"{what} name '{name.text}' contains '-', which dagitty reads as an edge",
            name.span,
            f"use '{fixed}'",
        )
    elif name.text in STATEMENT_KEYWORDS:
        yield error(
            "E034",
            f"'{name.text}' is a keyword and cannot name a {what}",
            name.span,
            f"use another name, such as '{name.text}_'",
        )


def _check_type(var_type: ast.VarType) -> Iterator[Diagnostic]:
    kind = var_type.kind.text
    if kind not in VAR_KINDS:
        yield error(
            "E031",
            f"unknown type '{kind}'",
            var_type.kind.span,
            did_you_mean(kind, VAR_KINDS) or f"the types are: {', '.join(VAR_KINDS)}",
        )
        return
    args = var_type.args
    if kind in ("binary", "continuous", "count", "latent"):
        if args is not None:
            yield error("E032", f"type '{kind}' takes no arguments", var_type.span)
        return
    if kind == "categorical":
        levels = [a for a in args or () if isinstance(a, ast.Level)]
        if args is None or len(args) != len(levels) or len(levels) < 2:
            yield error(
                "E032",
                "categorical needs at least two levels, as in categorical(low, mid, high)",
                var_type.span,
            )
            return
        seen: set[str] = set()
        for level in levels:
            text = level_text(level)
            if text in seen:
                yield error("E032", f"level '{text}' appears twice", level.span)
            seen.add(text)
        if len(levels) > LEVELS.value():
            yield error("E032", f"categorical has {len(levels):,} levels, more than the limit "
                        f"of {LEVELS.value():,}", var_type.span,
                        f"group rare levels together, or set {LEVELS.variable} to raise the "
                        "limit")
        return
    ranges = [a for a in args or () if isinstance(a, ast.Range)]
    if args is None or len(args) != 1 or len(ranges) != 1:
        yield error("E032", "ordinal needs one range, as in ordinal(1..7)", var_type.span)
        return
    low, high = ranges[0].low, ranges[0].high
    if not (float(low.value).is_integer() and float(high.value).is_integer()):
        yield error("E032", "the bounds of an ordinal range must be whole numbers", ranges[0].span)
    elif low.value >= high.value:
        yield error(
            "E032",
            f"ordinal({low.text}..{high.text}): the lower bound must be below the upper bound",
            ranges[0].span,
        )
    elif high.value - low.value + 1 > LEVELS.value():
        yield error(
            "E032",
            f"ordinal({low.text}..{high.text}) has {int(high.value - low.value + 1):,} levels, "
            f"more than the limit of {LEVELS.value():,}",
            ranges[0].span,
            f"declare it count or continuous, or set {LEVELS.variable} to raise the limit",
        )


def level_text(level: ast.Level) -> str:
    """A level as the text users compare it by."""
    value = level.value
    if isinstance(value, ast.Number):
        return value.text
    if isinstance(value, ast.Name):
        return value.text
    return value.value
