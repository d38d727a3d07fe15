"""Turn lark's parse tree into our own AST (lark's tree never leaves this module)."""

from __future__ import annotations

from lark import Token, Transformer, v_args

from transport.source import Span
from transport.syntax import ast


def token_span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line, token.end_column)


def meta_span(meta) -> Span:
    if getattr(meta, "empty", True):
        return Span(0, 0, 0, 0)
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def unescape(body: str) -> str:
    """Undo the string escapes `\\"`, `\\\\`, `\\n`, `\\t`; other backslashes stay as written."""
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _name(token: Token) -> ast.Name:
    return ast.Name(str(token), token_span(token))


def _text(token: Token) -> ast.Text:
    return ast.Text(unescape(str(token)[1:-1]), token_span(token))


def _number(token: Token) -> ast.Number:
    text = str(token)
    value = float(text)
    if value.is_integer() and "." not in text and "e" not in text.lower():
        value = int(text)
    return ast.Number(value, text, token_span(token))


@v_args(meta=True)
class ToAst(Transformer):
    """One method per grammar rule; each returns an AST node."""

    def start(self, meta, children):
        return tuple(children)

    def version(self, meta, children):
        return ast.Version(_number(children[0]), meta_span(meta))

    def study(self, meta, children):
        fields = children[1] if len(children) > 1 else None
        return ast.StudyDecl(_text(children[0]), fields, meta_span(meta))

    def study_body(self, meta, children):
        return tuple(children)

    def study_field(self, meta, children):
        return ast.StudyField(_name(children[0]), _text(children[1]), meta_span(meta))

    def population(self, meta, children):
        label = _text(children[2]) if len(children) > 2 else None
        return ast.PopulationDecl(_name(children[0]), children[1], label, meta_span(meta))

    def population_role(self, meta, children):
        return _name(children[0])

    def var_role(self, meta, children):
        return _name(children[0])

    def variable(self, meta, children):
        name, var_type, *rest = children
        label = None
        roles = []
        for item in rest:
            if isinstance(item, Token) and item.type == "STRING":
                label = _text(item)
            else:
                roles.append(item)
        return ast.VariableDecl(_name(name), var_type, label, tuple(roles), meta_span(meta))

    def var_type(self, meta, children):
        args = children[1] if len(children) > 1 else None
        return ast.VarType(_name(children[0]), args, meta_span(meta))

    def type_args(self, meta, children):
        return tuple(children)

    def range(self, meta, children):
        return ast.Range(_number(children[0]), _number(children[1]), meta_span(meta))

    def name_level(self, meta, children):
        return ast.Level(_name(children[0]), meta_span(meta))

    def string_level(self, meta, children):
        return ast.Level(_text(children[0]), meta_span(meta))

    def number_level(self, meta, children):
        return ast.Level(_number(children[0]), meta_span(meta))

    def edges(self, meta, children):
        groups = tuple(c for c in children if isinstance(c, ast.NodeGroup))
        arrows = tuple(_name(c) for c in children if isinstance(c, Token))
        return ast.EdgeChain(groups, arrows, meta_span(meta))

    def single_node(self, meta, children):
        return ast.NodeGroup((_name(children[0]),), False, meta_span(meta))

    def node_set(self, meta, children):
        return ast.NodeGroup(tuple(_name(c) for c in children), True, meta_span(meta))

    def assumption(self, meta, children):
        kind, *rest = children
        mechanisms = tuple(c for c in rest if isinstance(c, ast.MechanismRef))
        clauses = tuple(c for c in rest if not isinstance(c, ast.MechanismRef))
        return ast.AssumptionDecl(kind, mechanisms, clauses, meta_span(meta))

    def assumption_kind(self, meta, children):
        return _name(children[0])

    def variable_mechanism(self, meta, children):
        return ast.MechanismRef(_name(children[0]), span=meta_span(meta))

    def edge_mechanism(self, meta, children):
        first, arrow, second = children
        return ast.MechanismRef(_name(first), _name(arrow), _name(second), meta_span(meta))

    def for_clause(self, meta, children):
        return ast.ForClause(tuple(_name(c) for c in children), meta_span(meta))

    def because_clause(self, meta, children):
        return ast.BecauseClause(_text(children[0]), meta_span(meta))

    def cite_clause(self, meta, children):
        return ast.CiteClause(_text(children[0]), meta_span(meta))

    def sd_clause(self, meta, children):
        return ast.SdClause(_number(children[0]), meta_span(meta))

    def data(self, meta, children):
        population, path, *clauses = children
        return ast.DataDecl(_name(population), _text(path), tuple(clauses), meta_span(meta))

    def experiment_clause(self, meta, children):
        return ast.ExperimentClause(tuple(_name(c) for c in children), meta_span(meta))

    def observational_clause(self, meta, children):
        return ast.ObservationalClause(meta_span(meta))

    def measures_clause(self, meta, children):
        return ast.MeasuresClause(tuple(_name(c) for c in children), meta_span(meta))

    def columns_clause(self, meta, children):
        return ast.ColumnsClause(tuple(children), meta_span(meta))

    def column_binding(self, meta, children):
        return ast.ColumnBinding(_name(children[0]), _text(children[1]), meta_span(meta))

    def query(self, meta, children):
        treatment, outcome, *clauses = children
        return ast.QueryDecl(_name(treatment), _name(outcome), tuple(clauses), meta_span(meta))

    def in_clause(self, meta, children):
        return ast.InClause(_name(children[0]), meta_span(meta))

    def contrast_clause(self, meta, children):
        return ast.ContrastClause(children[0], children[1], meta_span(meta))

    def hypothesis(self, meta, children):
        return ast.HypothesisDecl(_text(children[0]), meta_span(meta))

    def calibration(self, meta, children):
        path, *clauses = children
        source = next((c for c in clauses if isinstance(c, ast.Name)), None)
        columns = next((c for c in clauses if isinstance(c, tuple)), None)
        return ast.CalibrationDecl(_text(path), source, columns, meta_span(meta))

    def calibration_for(self, meta, children):
        return _name(children[0])

    def calibration_columns(self, meta, children):
        return tuple(children)

    def decision(self, meta, children):
        label, compare_effect, effect, compare_prob, prob = children
        return ast.DecisionDecl(
            _name(label), _name(compare_effect), _number(effect), _name(compare_prob),
            _number(prob), meta_span(meta),
        )

    def fit(self, meta, children):
        return ast.FitDecl(tuple(children), meta_span(meta))

    def _option(self, key: str, meta, children) -> ast.FitOption:
        token = children[0]
        value = _name(token) if token.type == "NAME" else _number(token)
        span = meta_span(meta)
        key_span = Span(span.line, span.column, span.line, span.column + len(key))
        return ast.FitOption(ast.Name(key, key_span), value, span)

    def chains_option(self, meta, children):
        return self._option("chains", meta, children)

    def draws_option(self, meta, children):
        return self._option("draws", meta, children)

    def tune_option(self, meta, children):
        return self._option("tune", meta, children)

    def seed_option(self, meta, children):
        return self._option("seed", meta, children)

    def sampler_option(self, meta, children):
        return self._option("sampler", meta, children)

    def cores_option(self, meta, children):
        return self._option("cores", meta, children)

    def target_accept_option(self, meta, children):
        return self._option("target_accept", meta, children)
