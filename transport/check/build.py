"""Build the Study value from a document that passed every rule."""

from __future__ import annotations

from pathlib import Path

from transport.check.context import Context
from transport.check.rules_assumptions import declarations
from transport.check.rules_coverage import query_names
from transport.check.rules_declarations import level_text
from transport.study import (
    DEFAULT_SPLINE_BASIS,
    Assumption,
    CalibrationSpec,
    CoefficientMechanism,
    DataSpec,
    Decision,
    FitSettings,
    MechanismModel,
    ModelFactor,
    ModelTerm,
    Population,
    Prediction,
    Query,
    Recode,
    Sharing,
    Study,
    StudyInfo,
    Variable,
    VariableMechanism,
    confounder,
)
from transport.syntax import ast
from transport.syntax.unparse import model_text


def build_study(ctx: Context, path: Path | None) -> Study:
    variables = tuple(_variable(d) for d in ctx.variables.values())
    populations = tuple(
        Population(d.name.text, d.role.text, d.label.value if d.label else None)
        for d in ctx.populations.values()
    )
    directed = tuple(sorted(ctx.directed_pairs()))
    bidirected = tuple(sorted(ctx.bidirected_pairs()))
    stated = {(d.source, d.mechanism): d for d in declarations(ctx)}
    mechanisms = [VariableMechanism(v.name) for v in variables]
    mechanisms += [confounder(a, b) for a, b in bidirected]
    rows, coefficients = [], []
    for source in (p.name for p in populations if p.role == "source"):
        for mechanism in mechanisms:
            rows.append(Assumption(source, mechanism, _sharing(stated.get((source, mechanism)))))
        for (who, mechanism), declaration in stated.items():
            if who == source and isinstance(mechanism, CoefficientMechanism):
                coefficients.append(Assumption(source, mechanism, _sharing(declaration)))
    observed = tuple(v.name for v in variables if v.observed)
    return Study(
        info=_info(ctx),
        populations=populations,
        variables=variables,
        directed=directed,
        bidirected=bidirected,
        assumptions=tuple(rows),
        coefficients=tuple(coefficients),
        data=tuple(_data(d, observed) for d in ctx.data),
        query=_query(ctx, {v.name: v for v in variables}),
        fit=_fit(ctx),
        path=path,
        hypotheses=tuple(h.text.value for h in ctx.hypotheses),
        decision=_decision(ctx),
        calibrations=tuple(
            CalibrationSpec(
                c.path.value, c.source.text if c.source else None,
                tuple((b.variable.text, b.column.value) for b in c.columns or ()),
            )
            for c in ctx.calibrations
        ),
        models=tuple(_model(m, {v.name: v for v in variables}) for m in ctx.models),
    )


def _model(decl: ast.ModelDecl, variables: dict[str, Variable]) -> MechanismModel:
    """A `model` statement's terms with `*` expanded (every product of the crossed factors,
    as in R's formulas), repeated terms dropped, in the order written."""
    import itertools

    def factor(ref: ast.ModelFactorRef) -> ModelFactor:
        name = ref.variable.text
        if ref.function is not None:
            size = int(ref.argument.value) if ref.argument is not None else DEFAULT_SPLINE_BASIS
            return ModelFactor(name, "spline", size)
        if ref.power is not None:
            return ModelFactor(name, "power", int(ref.power.value))
        return ModelFactor(name, "level" if variables[name].discrete else "linear")

    terms: list[ModelTerm] = []
    for written in decl.terms:
        factors = [factor(f) for f in written.factors]
        for size in range(1, len(factors) + 1):
            for chosen in itertools.combinations(factors, size):
                term = ModelTerm(tuple(chosen))
                if term not in terms:
                    terms.append(term)
    return MechanismModel(decl.variable.text, tuple(terms), model_text(decl))


def _decision(ctx: Context) -> Decision | None:
    if not ctx.decisions:
        return None
    rule = ctx.decisions[0]
    return Decision(
        rule.label.text, rule.effect_comparison.text, float(rule.effect_threshold.value),
        rule.prob_comparison.text, float(rule.prob_threshold.value),
    )


def _sharing(declaration) -> Sharing:
    if declaration is None:
        return Sharing("undeclared")
    return Sharing(
        declaration.kind, declaration.sd, declaration.because, declaration.cite, declaration.span,
        declaration.robust,
    )


def _value(level: ast.Level) -> int | float | str:
    value = level.value
    return value.value if isinstance(value, ast.Number) else level_text(level)


def _variable(decl: ast.VariableDecl) -> Variable:
    kind = decl.type.kind.text
    levels: tuple = ()
    if kind == "binary":
        levels = (0, 1)
    elif kind == "categorical":
        levels = tuple(_value(a) for a in decl.type.args or ())
    elif kind == "ordinal":
        bounds = decl.type.args[0]
        levels = tuple(range(int(bounds.low.value), int(bounds.high.value) + 1))
    roles = {r.text for r in decl.roles}
    return Variable(
        decl.name.text, kind, decl.label.value if decl.label else None, levels,
        "treatment" in roles, "outcome" in roles,
    )


def _info(ctx: Context) -> StudyInfo:
    if not ctx.studies:
        return StudyInfo()
    study = ctx.studies[0]
    fields = [(f.key.text, f.value.value) for f in study.fields or ()]
    question = next((v for k, v in fields if k == "question"), None)
    authors = tuple(v for k, v in fields if k == "author")
    extra = tuple((k, v) for k, v in fields if k not in ("question", "author"))
    return StudyInfo(study.title.value, question, authors, extra)


def _data(decl: ast.DataDecl, observed: tuple[str, ...]) -> DataSpec:
    randomized: tuple[str, ...] = ()
    measures = observed
    columns: tuple[tuple[str, str], ...] = ()
    predictions: tuple[Prediction, ...] = ()
    cluster = weight = None
    recodes: list[Recode] = []
    for clause in decl.clauses:
        if isinstance(clause, ast.ExperimentClause):
            randomized = tuple(n.text for n in clause.variables)
        elif isinstance(clause, ast.MeasuresClause):
            measures = tuple(n.text for n in clause.variables)
        elif isinstance(clause, ast.ColumnsClause):
            columns = tuple((b.variable.text, b.column.value) for b in clause.bindings)
        elif isinstance(clause, ast.PredictionsClause):
            predictions = tuple(
                Prediction(b.variable.text, b.source.text, b.column.value) for b in clause.bindings
            )
        elif isinstance(clause, ast.ClusterClause):
            cluster = clause.column.value
        elif isinstance(clause, ast.WeightClause):
            weight = clause.column.value
        elif isinstance(clause, ast.RecodeClause):
            mapping = tuple((e.raw.value, _value(e.value)) for e in clause.entries)
            recodes.append(Recode(clause.variable.text, mapping))
    return DataSpec(
        decl.population.text, decl.path.value, randomized, measures, columns, decl.span,
        predictions=predictions, cluster=cluster, weight=weight, recodes=tuple(recodes),
    )


def _query(ctx: Context, variables: dict[str, Variable]) -> Query:
    treatment, outcome = query_names(ctx)
    target = ctx.target_names[0]
    contrast = None
    scale = "difference"
    if ctx.queries:
        for clause in ctx.queries[0].clauses:
            if isinstance(clause, ast.ContrastClause):
                contrast = (_value(clause.treated), _value(clause.control))
            elif isinstance(clause, ast.ScaleClause):
                scale = clause.scale.text
    if contrast is None and variables[treatment].kind == "binary":
        contrast = (1, 0)
    return Query(treatment, outcome, target, contrast, scale)


def _fit(ctx: Context) -> FitSettings:
    if not ctx.fits:
        return FitSettings()
    values = {o.key.text: o.value for o in ctx.fits[0].options}
    settings = {}
    for key, value in values.items():
        if key == "sampler":
            settings[key] = value.text
        elif key == "target_accept":
            settings[key] = float(value.value)
        else:
            settings[key] = int(value.value)
    return FitSettings(**settings)
