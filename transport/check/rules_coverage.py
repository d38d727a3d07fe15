"""Warnings about what the query depends on: undeclared mechanisms, an effect that
cannot exist because the outcome does not descend from the treatment."""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import warning
from transport.check.rules_assumptions import declarations
from transport.check.rules_query import roles
from transport.errors import Diagnostic
from transport.graph.algorithms import descendants
from transport.graph.mechanisms import relevant_mechanisms
from transport.study import VariableMechanism


def query_names(ctx: Context) -> tuple[str, str] | None:
    """(treatment, outcome) from the estimate statement, or from the roles when it is absent."""
    if ctx.queries:
        query = ctx.queries[0]
        return query.treatment.text, query.outcome.text
    treatments, outcomes = roles(ctx, "treatment"), roles(ctx, "outcome")
    if len(treatments) == 1 and len(outcomes) == 1:
        return treatments[0].name.text, outcomes[0].name.text
    return None


def check_coverage(ctx: Context) -> Iterator[Diagnostic]:
    names = query_names(ctx)
    if names is None or any(n not in ctx.variables for n in names):
        return
    treatment, outcome = names
    directed, bidirected = ctx.directed_pairs(), ctx.bidirected_pairs()
    bidirected = {(a, b) for a, b in bidirected if a != b}
    if treatment != outcome and outcome not in descendants(directed, treatment):
        decl = ctx.variables[outcome]
        yield warning(
            "W105",
            f"'{outcome}' does not descend from '{treatment}': the graph says the effect is zero",
            ctx.queries[0].span if ctx.queries else decl.name.span,
            f"add the causal path from '{treatment}' to '{outcome}'",
        )
    declared = {(d.source, d.mechanism) for d in declarations(ctx)}
    sources = ctx.source_names
    for mechanism in relevant_mechanisms(directed, bidirected, treatment, outcome):
        missing = [s for s in sources if (s, mechanism) not in declared]
        if not missing:
            continue
        if isinstance(mechanism, VariableMechanism):
            if "-" in mechanism.variable:
                continue  # E033 already asks for a new name
            span = ctx.variables[mechanism.variable].name.span
            what = f"P({mechanism.variable} | parents)"
            fix = f"shared {mechanism.variable}"
        else:
            pair = {mechanism.first, mechanism.second}
            if any("-" in name for name in pair):
                continue
            written = next(
                e for e in ctx.known_edges()
                if e.kind == "<->" and {e.tail.text, e.head.text} == pair
            )
            span = written.span
            arc = f"{written.tail.text} <-> {written.head.text}"
            what = f"the common cause behind {arc}"
            fix = f"shared {arc}"
        who = ", ".join(missing)
        yield warning(
            "W101",
            f"no assumption about {what} for {who}: it is treated as differing",
            span,
            f"state it, for example: {fix} for {who} because \"...\", or differs ...",
        )
