"""Rules about `shared` / `differs` / `partial`, and the table of what they declare."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from transport.check.context import Context
from transport.check.diagnostics import error, warning
from transport.check.rules_graph import unknown_variable
from transport.errors import Diagnostic, did_you_mean
from transport.source import Span
from transport.study import (
    CoefficientMechanism,
    Mechanism,
    VariableMechanism,
    confounder,
)
from transport.syntax import ast


@dataclass(frozen=True)
class Declaration:
    """One assumption statement's claim about one mechanism and one source."""

    kind: str
    mechanism: Mechanism
    source: str
    sd: float | None
    because: str | None
    cite: str | None
    span: Span
    robust: float | None = None


def unknown_population(name: ast.Name, ctx: Context) -> Diagnostic:
    hint = did_you_mean(name.text, ctx.populations)
    if hint is None and name.text in ctx.variables:
        hint = f"'{name.text}' is a variable, not a population"
    return error("E024", f"unknown population '{name.text}'", name.span, hint)


def _mechanism(ref: ast.MechanismRef, ctx: Context) -> tuple[Mechanism | None, list[Diagnostic]]:
    problems = [unknown_variable(n, ctx) for n in (ref.first, ref.second) if n is not None
                and n.text not in ctx.variables]
    if problems:
        return None, problems
    if ref.arrow is None:
        return VariableMechanism(ref.first.text), []
    a, b = ref.first.text, ref.second.text
    if ref.arrow.text == "<->":
        if (min(a, b), max(a, b)) not in ctx.bidirected_pairs():
            return None, [error(
                "E050",
                f"there is no confounding arc {a} <-> {b} in the graph",
                ref.span,
                f"add '{a} <-> {b}' to the graph, or name a variable's mechanism",
            )]
        return confounder(a, b), []
    tail, head = (a, b) if ref.arrow.text == "->" else (b, a)
    if (tail, head) not in ctx.directed_pairs():
        return None, [error(
            "E050",
            f"there is no edge {tail} -> {head} in the graph",
            ref.span,
            f"add '{tail} -> {head}' to the graph, or name a variable's mechanism",
        )]
    return CoefficientMechanism(tail, head), []


def _clauses(decl: ast.AssumptionDecl) -> Iterator[Diagnostic]:
    seen: dict[type, ast.AssumptionClause] = {}
    names = {
        ast.ForClause: "for", ast.BecauseClause: "because",
        ast.CiteClause: "cite", ast.SdClause: "sd", ast.RobustClause: "robust",
    }
    for clause in decl.clauses:
        if type(clause) in seen:
            yield error("E055", f"'{names[type(clause)]}' is given twice", clause.span)
        seen[type(clause)] = clause
    kind = decl.kind.text
    sd = seen.get(ast.SdClause)
    if kind == "partial":
        if sd is None:
            yield error(
                "E053",
                "'partial' needs a positive sd: how far the target may drift from the source",
                decl.kind.span,
                "add, for example: sd 0.5",
            )
        elif not sd.sd.value > 0:
            yield error("E053", f"sd must be positive, not {sd.sd.text}", sd.sd.span)
        elif not math.isfinite(sd.sd.value):
            yield error("E053", f"sd must be a finite number, not {sd.sd.text}", sd.sd.span,
                        "a very large sd is the same as 'differs'")
    elif sd is not None:
        yield error(
            "E054",
            f"'sd' belongs to 'partial', not '{kind}'",
            sd.span,
            f"write 'partial ...' instead of '{kind} ...', or drop the sd",
        )
    robust = seen.get(ast.RobustClause)
    if robust is not None:
        yield from _robust_clause(decl, robust)


def _robust_clause(decl: ast.AssumptionDecl, robust: ast.RobustClause) -> Iterator[Diagnostic]:
    """`robust W` is a probability below 1, on a `shared` or `partial` claim about whole
    mechanisms (the robust mixture weighs a mechanism's borrowing, not one coefficient)."""
    weight = robust.weight
    if decl.kind.text == "differs":
        yield error("E057", "'robust' belongs to 'shared' and 'partial', not 'differs'",
                    robust.span, "a 'differs' claim borrows nothing, so there is nothing to "
                    "protect: drop the robust clause")
    if not (math.isfinite(weight.value) and 0 <= weight.value < 1):
        hint = ("robust 1 says the claim always fails: write 'differs'"
                if weight.value == 1 else
                "the prior probability that the claim fails, for example robust 0.2; "
                "robust 0 uses the claim exactly as stated")
        yield error("E056", f"robust must be at least 0 and below 1, not {weight.text}",
                    weight.span, hint)
    for ref in decl.mechanisms:
        if ref.arrow is not None:
            yield error("E057", "'robust' weighs the claim about a whole mechanism, not an "
                        "edge or an arc", ref.span,
                        "drop it: an edge-level claim is used as stated, in the parametric model")


def declarations(ctx: Context, report: list[Diagnostic] | None = None) -> list[Declaration]:
    """Every (mechanism, source) claim the file makes that refers to known things."""
    found: list[Declaration] = []
    sink = report if report is not None else []
    sources = ctx.source_names
    for decl in ctx.assumptions:
        sink.extend(_clauses(decl))
        targets: list[str] = []
        for_clause = next((c for c in decl.clauses if isinstance(c, ast.ForClause)), None)
        if for_clause is None:
            targets = list(sources)
        else:
            for name in for_clause.populations:
                if name.text not in ctx.populations:
                    sink.append(unknown_population(name, ctx))
                elif ctx.populations[name.text].role.text == "target":
                    sink.append(error(
                        "E051",
                        f"'{name.text}' is the target; 'for' names source populations",
                        name.span,
                        "assumptions always compare a source with the target",
                    ))
                elif name.text not in targets:
                    targets.append(name.text)
        sd = next((c.sd.value for c in decl.clauses if isinstance(c, ast.SdClause)), None)
        robust = next((c.weight.value for c in decl.clauses
                       if isinstance(c, ast.RobustClause)), None)
        because = next((c.reason.value for c in decl.clauses
                        if isinstance(c, ast.BecauseClause)), None)
        cite = next((c.citation.value for c in decl.clauses if isinstance(c, ast.CiteClause)), None)
        for ref in decl.mechanisms:
            mechanism, problems = _mechanism(ref, ctx)
            sink.extend(problems)
            if mechanism is None:
                continue
            for source in targets:
                found.append(Declaration(
                    decl.kind.text, mechanism, source,
                    float(sd) if sd is not None else None, because, cite, ref.span,
                    float(robust) if robust is not None else None,
                ))
    return found


def check_assumptions(ctx: Context) -> Iterator[Diagnostic]:
    problems: list[Diagnostic] = []
    found = declarations(ctx, problems)
    yield from problems
    first: dict[tuple[str, Mechanism], Declaration] = {}
    for item in found:
        key = (item.source, item.mechanism)
        earlier = first.get(key)
        if earlier is None:
            first[key] = item
            continue
        what = item.mechanism.describe()
        if earlier.kind != item.kind:
            yield error(
                "E052",
                f"'{what}' is declared {earlier.kind} for {item.source} on line "
                f"{earlier.span.line} but {item.kind} for {item.source} here",
                item.span,
                "a mechanism is either shared with the target or not: keep one declaration",
            )
        elif earlier.sd != item.sd:
            yield error(
                "E052",
                f"'{what}' is declared partial for {item.source} with sd {earlier.sd:g} on "
                f"line {earlier.span.line} and sd {item.sd:g} here",
                item.span,
            )
        elif earlier.robust != item.robust:
            yield error(
                "E052",
                f"'{what}' is declared {item.kind} for {item.source} with "
                f"{_robust_text(earlier.robust)} on line {earlier.span.line} and "
                f"{_robust_text(item.robust)} here",
                item.span,
            )
        elif earlier.span != item.span:
            yield warning(
                "W104",
                f"'{what}' is already declared {item.kind} for {item.source} on line "
                f"{earlier.span.line}",
                item.span,
            )


def _robust_text(weight: float | None) -> str:
    return "the default robust weight" if weight is None else f"robust {weight:g}"
