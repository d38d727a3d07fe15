"""Rules about the effect of interest (`estimate`) and the fit settings (`fit`)."""

from __future__ import annotations

from collections.abc import Iterator

from transport.check.context import Context
from transport.check.diagnostics import START, error
from transport.check.rules_assumptions import unknown_population
from transport.check.rules_declarations import level_text
from transport.check.rules_graph import unknown_variable
from transport.errors import Diagnostic, did_you_mean
from transport.limits import DRAWS, MAX_SEED
from transport.study import SCALES, VAR_KINDS
from transport.syntax import ast

SAMPLERS = ("pymc", "nutpie")
_INTEGER_OPTIONS = {"chains": 1, "draws": 1, "tune": 0, "seed": 0, "cores": 1}


def roles(ctx: Context, role: str) -> list[ast.VariableDecl]:
    return [d for d in ctx.variables.values() if any(r.text == role for r in d.roles)]


def check_query(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.queries:
        treatments, outcomes = roles(ctx, "treatment"), roles(ctx, "outcome")
        if len(treatments) == 1 and len(outcomes) == 1:
            return
        for role, marked in (("treatment", treatments), ("outcome", outcomes)):
            if len(marked) > 1:
                names = ", ".join(f"'{d.name.text}'" for d in marked)
                yield error(
                    "E070",
                    f"several variables are marked {role} ({names}) and there is no "
                    "estimate statement to choose between them",
                    marked[1].roles[0].span,
                    f"mark one only, or add: estimate effect of X on Y in "
                    f"{(ctx.target_names or ['human'])[0]}",
                )
        if len(treatments) > 1 or len(outcomes) > 1:
            return
        missing = [r for r, m in (("treatment", treatments), ("outcome", outcomes)) if not m]
        yield error(
            "E070",
            "no effect of interest: there is no estimate statement and no variable marked "
            + " or ".join(missing),
            ctx.variable_decls[0].name.span if ctx.variable_decls else START,
            f"add a line such as: estimate effect of X on Y in "
            f"{(ctx.target_names or ['human'])[0]}",
        )
        return
    for extra in ctx.queries[1:]:
        yield error(
            "E077",
            f"a study has one effect of interest; the first is on line {ctx.queries[0].span.line}",
            extra.span,
        )
    query = ctx.queries[0]
    yield from _query_names(query, ctx)
    yield from _query_clauses(query, ctx)


def _query_names(query: ast.QueryDecl, ctx: Context) -> Iterator[Diagnostic]:
    for name, role in ((query.treatment, "treatment"), (query.outcome, "outcome")):
        if name.text not in ctx.variables:
            yield unknown_variable(name, ctx)
            continue
        if ctx.is_latent(name.text):
            yield error(
                "E071",
                f"the {role} '{name.text}' is latent: its effect cannot be estimated",
                name.span,
            )
        for other in roles(ctx, role):
            if other.name.text != name.text:
                yield error(
                    "E074",
                    f"'{other.name.text}' is marked {role}, but the estimate statement's "
                    f"{role} is '{name.text}'",
                    name.span,
                    f"make them agree: mark '{name.text}' as {role} or estimate the effect "
                    f"{'of' if role == 'treatment' else 'on'} '{other.name.text}'",
                )
    if query.treatment.text == query.outcome.text:
        yield error("E072", "the treatment and the outcome are the same variable", query.span)


def _query_clauses(query: ast.QueryDecl, ctx: Context) -> Iterator[Diagnostic]:
    seen: set[type] = set()
    words = {ast.InClause: "in", ast.ContrastClause: "contrast", ast.ScaleClause: "scale"}
    for clause in query.clauses:
        if type(clause) in seen:
            yield error("E078", f"'{words[type(clause)]}' is given twice", clause.span)
        seen.add(type(clause))
    scale = next((c for c in query.clauses if isinstance(c, ast.ScaleClause)), None)
    if scale is not None:
        yield from _scale(scale, query, ctx)
    place = next((c for c in query.clauses if isinstance(c, ast.InClause)), None)
    if place is not None:
        name = place.population
        if name.text not in ctx.populations:
            yield unknown_population(name, ctx)
        elif ctx.populations[name.text].role.text != "target":
            yield error(
                "E073",
                f"'{name.text}' is a source; the effect of interest is in the target population",
                name.span,
                f"write: in {ctx.target_names[0]}" if ctx.target_names else None,
            )
    contrast = next((c for c in query.clauses if isinstance(c, ast.ContrastClause)), None)
    treatment = ctx.variables.get(query.treatment.text)
    if treatment is None or treatment.type.kind.text not in VAR_KINDS:
        return  # an unknown type has its own error (E031); saying more repeats it
    if treatment.type.kind.text == "latent":
        return
    kind = treatment.type.kind.text
    if contrast is None:
        if kind not in ("binary",):
            yield error(
                "E076",
                f"the treatment '{query.treatment.text}' is {kind}: say which values to compare",
                query.span,
                "add: contrast A vs B",
            )
        return
    domain = _domain(treatment)
    for level in (contrast.treated, contrast.control):
        if domain is not None and level_text(level) not in domain:
            shown = ", ".join(domain) if len(domain) <= 12 else f"{domain[0]}..{domain[-1]}"
            yield error(
                "E075",
                f"'{level_text(level)}' is not a value of '{query.treatment.text}' ({shown})",
                level.span,
                did_you_mean(level_text(level), domain),
            )
        elif domain is None and not isinstance(level.value, ast.Number):
            yield error(
                "E075",
                f"'{query.treatment.text}' is {kind}: the contrast needs numbers",
                level.span,
            )
    if level_text(contrast.treated) == level_text(contrast.control):
        yield error("E075", "the contrast compares a value with itself", contrast.span)


def _scale(scale: ast.ScaleClause, query: ast.QueryDecl, ctx: Context) -> Iterator[Diagnostic]:
    word = scale.scale.text
    if word not in SCALES:
        yield error(
            "E110",
            f"unknown scale '{word}'",
            scale.scale.span,
            did_you_mean(word, SCALES) or f"the scales are: {', '.join(SCALES)}",
        )
        return
    outcome = ctx.variables.get(query.outcome.text)
    if word == "difference" or outcome is None:
        return
    kind = outcome.type.kind.text
    if kind != "binary":
        what = "a risk ratio" if word == "ratio" else "an odds ratio"
        yield error(
            "E111",
            f"scale {word} compares probabilities, and the outcome '{query.outcome.text}' is "
            f"{kind}, not binary",
            scale.scale.span,
            f"{what} needs a binary outcome; use scale difference",
        )


def _domain(decl: ast.VariableDecl) -> list[str] | None:
    kind = decl.type.kind.text
    if kind == "binary":
        return ["1", "0"]
    if kind == "categorical" and decl.type.args:
        return [level_text(a) for a in decl.type.args if isinstance(a, ast.Level)]
    if kind == "ordinal" and decl.type.args and isinstance(decl.type.args[0], ast.Range):
        low, high = decl.type.args[0].low.value, decl.type.args[0].high.value
        if float(low).is_integer() and float(high).is_integer() and high - low < 10_000:
            return [str(v) for v in range(int(low), int(high) + 1)]
    return None


def check_hypotheses(ctx: Context) -> Iterator[Diagnostic]:
    for hypothesis in ctx.hypotheses:
        if not hypothesis.text.value.strip():
            yield error("E090", "the hypothesis is empty", hypothesis.text.span)
    for extra in ctx.decisions[1:]:
        yield error(
            "E091",
            f"a study has one decision rule; the first is on line {ctx.decisions[0].span.line}",
            extra.span,
        )
    for rule in ctx.decisions[:1]:
        probability = rule.prob_threshold
        if not 0 < probability.value < 1:
            yield error(
                "E092",
                f"the probability threshold must be between 0 and 1, not {probability.text}",
                probability.span,
                "for example: decide transported if prob(effect > 0) > 0.95",
            )


def check_calibrations(ctx: Context) -> Iterator[Diagnostic]:
    from transport.study import CALIBRATION_ROLES

    seen: dict[str | None, int] = {}
    for decl in ctx.calibrations:
        suffix = decl.path.value.rsplit(".", 1)[-1].lower() if "." in decl.path.value else ""
        if suffix not in ("json", "csv"):
            yield error(
                "E093",
                "a calibration is a .json file from `transport calibrate` or a .csv of paired "
                "effects",
                decl.path.span,
            )
        if suffix == "json" and decl.columns is not None:
            yield error(
                "E094", "columns { ... } belongs to a .csv calibration", decl.path.span
            )
        for binding in decl.columns or ():
            if binding.variable.text not in CALIBRATION_ROLES:
                yield error(
                    "E094",
                    f"unknown calibration column role '{binding.variable.text}'",
                    binding.variable.span,
                    did_you_mean(binding.variable.text, CALIBRATION_ROLES)
                    or f"the roles are: {', '.join(CALIBRATION_ROLES)}",
                )
        if suffix == "csv":
            named = {b.variable.text for b in decl.columns or ()}
            missing = [r for r in ("llm", "human", "se") if r not in named]
            if missing:
                yield error(
                    "E094",
                    f"a .csv calibration needs columns for {', '.join(missing)}",
                    decl.path.span,
                    'for example: columns { llm = "pred:gpt-4", human = "human_effect", '
                    'se = "human_se" }',
                )
        source = decl.source
        if source is not None:
            if source.text not in ctx.populations:
                from transport.check.rules_assumptions import unknown_population

                yield unknown_population(source, ctx)
            elif ctx.populations[source.text].role.text == "target":
                yield error(
                    "E051",
                    f"'{source.text}' is the target; a calibration translates a source's effects",
                    source.span,
                )
        key = source.text if source is not None else None
        if key in seen:
            yield error(
                "E095",
                f"a calibration for {key or 'the sources'} is already given on line {seen[key]}",
                decl.span,
            )
        seen.setdefault(key, decl.span.line)


def check_fit(ctx: Context) -> Iterator[Diagnostic]:
    for extra in ctx.fits[1:]:
        yield error(
            "E082", f"fit settings are already given on line {ctx.fits[0].span.line}", extra.span
        )
    for fit in ctx.fits[:1]:
        seen: set[str] = set()
        for option in fit.options:
            key = option.key.text
            if key in seen:
                yield error("E080", f"'{key}' is given twice", option.span)
            seen.add(key)
            value = option.value
            if key in _INTEGER_OPTIONS:
                low = _INTEGER_OPTIONS[key]
                if not (float(value.value).is_integer() and value.value >= low):
                    yield error(
                        "E081",
                        f"{key} must be a whole number of at least {low}, not {value.text}",
                        value.span,
                    )
                else:
                    yield from _too_large(key, value)
            elif key == "sampler" and value.text not in SAMPLERS:
                yield error(
                    "E081",
                    f"unknown sampler '{value.text}'",
                    value.span,
                    did_you_mean(value.text, SAMPLERS)
                    or f"the samplers are: {', '.join(SAMPLERS)}",
                )
            elif key == "target_accept" and not 0 < value.value < 1:
                yield error(
                    "E081", f"target_accept must be between 0 and 1, not {value.text}", value.span
                )
        yield from _too_many_draws(fit)


def _too_large(key: str, value: ast.Number) -> Iterator[Diagnostic]:
    """Upper bounds: draws and tune by the draws limit (posterior draws are chains x draws,
    held in memory), chains and cores by the same, a seed by what the backends accept."""
    if key == "seed" and value.value > MAX_SEED:
        yield error("E081", f"seed must be at most {MAX_SEED}, not {value.text}", value.span)
    elif key != "seed" and value.value > DRAWS.value():
        yield error("E081", f"{key} must be at most {DRAWS.value():,}, not {value.text}",
                    value.span, f"set {DRAWS.variable} to raise the limit")


def _too_many_draws(fit: ast.FitDecl) -> Iterator[Diagnostic]:
    """chains x draws posterior draws are kept in memory: their product is bounded too."""
    given = {o.key.text: o for o in fit.options if o.key.text in ("chains", "draws")}
    values = {k: o.value.value for k, o in given.items() if isinstance(o.value, ast.Number)}
    chains, draws = values.get("chains", 4), values.get("draws", 1000)
    limit = DRAWS.value()
    if chains <= limit and draws <= limit and chains * draws > limit:
        where = given.get("draws", given.get("chains"))
        yield error("E081", f"chains x draws is {int(chains * draws):,}, more than the limit of "
                    f"{limit:,} posterior draws", where.span,
                    f"set {DRAWS.variable} to raise the limit")
