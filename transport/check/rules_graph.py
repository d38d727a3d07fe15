"""Rules about the causal graph: names in edges, self-loops, repeats, cycles, isolated nodes."""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import error, warning
from transport.errors import Diagnostic, did_you_mean
from transport.graph.algorithms import directed_cycles
from transport.syntax import ast


def unknown_variable(name: ast.Name, ctx: Context) -> Diagnostic:
    """The one message for a name that no `var` statement declares."""
    hint = did_you_mean(name.text, ctx.variables)
    if hint is None and name.text in ctx.populations:
        hint = f"'{name.text}' is a population, not a variable"
    elif hint is None:
        hint = f"declare it: var {name.text} binary"
    return error("E040", f"unknown variable '{name.text}'", name.span, hint)


def check_edges(ctx: Context) -> Iterator[Diagnostic]:
    reported: set[tuple[int, int]] = set()
    for use in ctx.edge_uses:
        for name in (use.tail, use.head):
            key = (name.span.line, name.span.column)
            if name.text not in ctx.variables and key not in reported:
                reported.add(key)
                yield unknown_variable(name, ctx)
        if use.tail.text == use.head.text:
            kind = "an edge" if use.kind == "->" else "a confounding arc"
            yield error(
                "E042", f"{kind} from '{use.tail.text}' to itself", use.span
            )


def check_cycles(ctx: Context) -> Iterator[Diagnostic]:
    directed = [e for e in ctx.known_edges() if e.kind == "->" and e.tail.text != e.head.text]
    cycles = directed_cycles(ctx.variables, [(e.tail.text, e.head.text) for e in directed])
    for cycle in cycles:
        members = set(cycle)
        closing = [
            e for e in directed if e.tail.text in members and e.head.text in members
        ]
        where = max(closing, key=lambda e: (e.span.line, e.span.column)).span
        path = " -> ".join([*cycle, cycle[0]])
        yield error(
            "E041",
            f"directed cycle: {path}",
            where,
            "the directed edges must form a DAG: model feedback as an unmeasured common "
            "cause (X <-> Y) or split a variable by time",
        )


def check_connected(ctx: Context) -> Iterator[Diagnostic]:
    touched = {e.tail.text for e in ctx.edge_uses} | {e.head.text for e in ctx.edge_uses}
    for name, decl in ctx.variables.items():
        if name not in touched:
            yield warning(
                "W102",
                f"variable '{name}' is not connected to anything",
                decl.name.span,
                "add its edges, or remove it",
            )
