"""Rules about `model V ~ ...` statements: the variable and every factor are declared, each
factor is a parent of V in the graph, `spline` and powers apply to continuous parents with
sensible sizes, one model per variable, and only mechanisms the joint model fits as a
regression (a discrete child, or the outcome) take a stated form (E120-E126)."""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import error
from transport.check.rules_graph import unknown_variable
from transport.errors import Diagnostic, did_you_mean
from transport.syntax import ast

FUNCTIONS = ("spline",)
SPLINE_SIZES = (4, 40)
POWERS = (2, 4)
_DISCRETE = ("binary", "categorical", "ordinal")


def _kind(ctx: Context, name: str) -> str:
    return ctx.variables[name].type.kind.text


def _whole(number: ast.Number | None, bounds: tuple[int, int]) -> bool:
    if number is None:
        return True
    value = number.value
    return float(value).is_integer() and bounds[0] <= value <= bounds[1]


def _factor(ctx: Context, model: ast.ModelDecl, factor: ast.ModelFactorRef,
            parents: list[str]) -> Iterator[Diagnostic]:
    child, name = model.variable.text, factor.variable.text
    if factor.function is not None and factor.function.text not in FUNCTIONS:
        yield error(
            "E122", f"unknown function '{factor.function.text}' in a model term",
            factor.function.span,
            did_you_mean(factor.function.text, FUNCTIONS)
            or f"the functions are: {', '.join(FUNCTIONS)}",
        )
    if name not in ctx.variables:
        yield unknown_variable(factor.variable, ctx)
        return
    if name not in parents:
        listed = ", ".join(parents) if parents else "none"
        yield error(
            "E121", f"'{name}' is not a parent of '{child}' (its parents: {listed})",
            factor.variable.span,
            did_you_mean(name, parents) or f"add the edge {name} -> {child}, or drop the factor",
        )
        return
    kind = _kind(ctx, name)
    if kind == "latent":
        yield error("E123", f"'{name}' is latent: a model term names observed parents",
                    factor.variable.span)
        return
    shaped = factor.function is not None or factor.power is not None
    if shaped and kind in _DISCRETE:
        what = f"{factor.function.text}()" if factor.function is not None else "a power"
        yield error(
            "E123", f"'{name}' is {kind}: {what} applies to a continuous or count parent",
            factor.span, f"write {name} alone: a {kind} parent enters by its levels",
        )
    if factor.function is not None and not _whole(factor.argument, SPLINE_SIZES):
        yield error(
            "E124", f"a spline's basis size is a whole number from {SPLINE_SIZES[0]} to "
            f"{SPLINE_SIZES[1]}", factor.argument.span,
        )
    if factor.power is not None and not _whole(factor.power, POWERS):
        yield error(
            "E124", f"a power is a whole number from {POWERS[0]} to {POWERS[1]}",
            factor.power.span, f"write {name} for its linear term",
        )


def check_models(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, ast.ModelDecl] = {}
    treatments = [d.name.text for d in ctx.variables.values()
                  if any(r.text == "treatment" for r in d.roles)]
    outcomes = [d.name.text for d in ctx.variables.values()
                if any(r.text == "outcome" for r in d.roles)]
    for query in ctx.queries[:1]:
        treatments, outcomes = [query.treatment.text], [query.outcome.text]
    for model in ctx.models:
        child = model.variable.text
        if child not in ctx.variables:
            yield unknown_variable(model.variable, ctx)
            continue
        if child in first:
            yield error("E120", f"'{child}' already has a model on line "
                                f"{first[child].span.line}", model.span)
            continue
        first[child] = model
        kind = _kind(ctx, child)
        if child in treatments:
            yield error(
                "E125", f"'{child}' is the treatment: the effect sets it, so its mechanism "
                "is not modelled", model.variable.span,
            )
            continue
        if kind not in _DISCRETE and child not in outcomes:
            yield error(
                "E126", f"'{child}' is a {kind} covariate: the joint model takes its "
                "distribution from its rows, so it has no model to state",
                model.variable.span,
                "a model states the form of the outcome's mechanism or of a discrete one",
            )
            continue
        parents = sorted(a for a, b in ctx.directed_pairs() if b == child)
        for term in model.terms:
            for factor in term.factors:
                yield from _factor(ctx, model, factor, parents)
