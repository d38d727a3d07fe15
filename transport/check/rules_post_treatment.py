"""A post-treatment variable used as a covariate (E112), and a mediator that looks like an
LLM's prediction (W106).

What "used as a covariate" means here. A variable is a covariate of the effect of X on Y
when a data statement of the target measures it beside X and Y: it describes the units
whose outcomes the target effect is estimated from, and estimators that adjust (PPI++
regression adjustment, covariate cells, weighting) hold it fixed. Holding a variable C
fixed biases the effect when C is caused by the treatment and is tied to the outcome
other than through the treatment's effect. Not every descendant of X is such a case:

* a **mediator** (a descendant of X that is also a cause of Y) is a legitimate part of the
  graph: identification and the parametric model integrate over it under do(X) instead of
  holding it fixed, so it is not an error (but W106 warns when its name or column looks like
  an LLM's prediction, the usual way a prediction gets smuggled in as a variable);
* a descendant of X that the graph d-separates from Y given X and the pre-treatment
  covariates measured beside it (a pure side effect of the treatment) changes nothing
  when held fixed, so it is not an error either.

E112 is the rest: a descendant of X, not a cause of Y, that the graph connects to Y given X
and the pre-treatment covariates (it is caused by Y, shares an unmeasured cause with Y, or
descends from a mediator). Adjusting for it opens a path from X to Y that is not the effect.
"""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import error, warning
from transport.check.rules_coverage import query_names
from transport.check.rules_design import measured, variable_columns
from transport.check.separation import ancestors, d_separated
from transport.errors import Diagnostic
from transport.graph.algorithms import descendants, directed_cycles
from transport.source import Span
from transport.syntax import ast

_PREDICTION_WORDS = ("pred", "gpt", "llm", "claude", "llama", "gemini", "mistral")


def looks_like_prediction(text: str, sources: list[str]) -> str | None:
    """The source population the name seems to come from ('' when only a word such as
    'pred' or 'llm' gives it away), or None when it does not look like a prediction."""
    lowered = text.lower()
    for source in sources:
        if source.lower() in lowered:
            return source
    if any(word in lowered for word in _PREDICTION_WORDS):
        return ""
    return None


def check_post_treatment(ctx: Context) -> Iterator[Diagnostic]:
    names = query_names(ctx)
    if names is None or any(n not in ctx.variables for n in names) or names[0] == names[1]:
        return
    treatment, outcome = names
    directed = sorted(ctx.directed_pairs())
    if directed_cycles(ctx.variables, directed):
        return  # E041 first: descendants mean little in a cyclic graph
    bidirected = sorted((a, b) for a, b in ctx.bidirected_pairs() if a != b)
    after = descendants(directed, treatment)
    causes_of_outcome = ancestors(directed, {outcome})
    for decl in ctx.data:
        if decl.population.text not in ctx.target_names:
            continue
        listed = measured(decl, ctx)
        if treatment not in listed or outcome not in listed:
            continue
        known = [v for v in listed if v in ctx.variables and not ctx.is_latent(v)]
        before = {v for v in known if v not in after and v not in (treatment, outcome)}
        bound = variable_columns(decl, ctx)
        columns = {variable: column for column, (variable, _) in bound.items()}
        for variable in known:
            if variable in (treatment, outcome) or variable not in after:
                continue
            column = columns.get(variable, variable)
            source = _prediction_source(variable, column, ctx)
            span = _where(decl, variable)
            if variable in causes_of_outcome:
                if source is not None:
                    yield _smuggled_mediator(variable, column, source, treatment, outcome, span)
                continue
            if d_separated(directed, bidirected, variable, outcome, before | {treatment}):
                continue
            yield error(
                "E112",
                f"'{variable}' is adjusted for as a covariate (it is measured beside "
                f"'{treatment}' and '{outcome}'), but the graph makes it an effect of the "
                f"treatment that is tied to '{outcome}': holding it fixed biases the effect",
                span,
                _hint(variable, column, source, treatment, outcome, _listed(decl)),
            )


def _prediction_source(variable: str, column: str, ctx: Context) -> str | None:
    found = looks_like_prediction(variable, ctx.source_names)
    if found is None and column != variable:
        found = looks_like_prediction(column, ctx.source_names)
    if found == "":
        return ctx.source_names[0] if ctx.source_names else "POP"
    return found


def _predictions_form(outcome: str, source: str, column: str) -> str:
    return f'predictions {{ {outcome} by {source} = "{column}" }}'


def _listed(decl: ast.DataDecl) -> bool:
    return any(isinstance(c, ast.MeasuresClause) for c in decl.clauses)


def _hint(
    variable: str, column: str, source: str | None, treatment: str, outcome: str, listed: bool
) -> str:
    if source is not None:
        return (
            f"if '{column}' holds an LLM's prediction of '{outcome}' for each unit, it is not "
            f"a variable: declare it on the data statement as "
            f"{_predictions_form(outcome, source, column)} and drop 'var {variable}'"
        )
    drop = (
        f"drop '{variable}' from this data statement's measures(...)" if listed
        else f"list this data statement's measures(...) without '{variable}'"
    )
    return (
        f"a covariate must be fixed before the treatment: {drop}, or, if '{treatment}' "
        f"cannot affect '{variable}', remove the path from '{treatment}' to it"
    )


def _smuggled_mediator(
    variable: str, column: str, source: str, treatment: str, outcome: str, span: Span
) -> Diagnostic:
    return warning(
        "W106",
        f"'{variable}' looks like an LLM's prediction of '{outcome}', but the graph makes it "
        f"a mediator, on a path from '{treatment}' to '{outcome}': a prediction does not "
        f"cause the answer it predicts",
        span,
        f"declare it as {_predictions_form(outcome, source, column)} on the data statement "
        f"and drop 'var {variable}'; if it really is a mediator, rename it",
    )


def _where(decl: ast.DataDecl, variable: str) -> Span:
    """The variable's name in measures(...), else the data statement's head."""
    for clause in decl.clauses:
        if isinstance(clause, ast.MeasuresClause):
            for name in clause.variables:
                if name.text == variable:
                    return name.span
    return decl.population.span.union(decl.path.span)
