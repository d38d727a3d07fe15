"""Turn the parse into our own AST while lark parses (lark's tree never exists).

The transformer runs inside the LALR parser, one method per grammar rule as it is reduced,
so no parse tree is built and walked a second time. Every token is kept (keep_all_tokens)
so that each node's span runs from its first keyword to its last character; methods drop
the punctuation and keywords they do not need.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Transformer

from transport.source import Span
from transport.syntax import ast

_VALUES = frozenset({"NAME", "STRING", "NUMBER", "ARROW", "COMPARISON"})


@dataclass(frozen=True)
class _Group:
    """A list-valued rule's result, carrying its span up to the rule that uses it."""

    items: tuple
    span: Span


def token_span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line, token.end_column)


def _span_of(item) -> Span:
    return token_span(item) if isinstance(item, Token) else item.span


def _span(children: list) -> Span:
    """From the first child's start to the last child's end."""
    first, last = _span_of(children[0]), _span_of(children[-1])
    return Span(first.line, first.column, last.end_line, last.end_column)


def _values(children: list) -> list:
    """Children without punctuation and keywords."""
    return [c for c in children if not (isinstance(c, Token) and c.type not in _VALUES)]


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
    body = str(token)[1:-1]
    return ast.Text(unescape(body) if "\\" in body else body, token_span(token))


def _number(token: Token) -> ast.Number:
    text = str(token)
    value = float(text)
    if value.is_integer() and "." not in text and "e" not in text.lower():
        value = int(text)
    return ast.Number(value, text, token_span(token))


def _keyword(children: list) -> ast.Name:
    """A rule that is a single keyword (a role, a kind): the keyword as a Name."""
    return _name(children[0])


class ToAst(Transformer):
    """One method per grammar rule; each returns an AST node (or a _Group)."""

    def start(self, children):
        return tuple(children)

    def version(self, children):
        (number,) = _values(children)
        return ast.Version(_number(number), _span(children))

    def study(self, children):
        title, *rest = _values(children)
        fields = rest[0].items if rest else None
        return ast.StudyDecl(_text(title), fields, _span(children))

    def study_body(self, children):
        return _Group(tuple(_values(children)), _span(children))

    def study_field(self, children):
        key, value = children
        return ast.StudyField(_name(key), _text(value), _span(children))

    def population(self, children):
        name, role, *label = _values(children)
        return ast.PopulationDecl(
            _name(name), role, _text(label[0]) if label else None, _span(children)
        )

    population_role = var_role = assumption_kind = staticmethod(_keyword)

    def variable(self, children):
        name, var_type, *rest = _values(children)
        label = next((_text(c) for c in rest if isinstance(c, Token)), None)
        roles = tuple(c for c in rest if isinstance(c, ast.Name))
        return ast.VariableDecl(_name(name), var_type, label, roles, _span(children))

    def var_type(self, children):
        kind, *args = _values(children)
        return ast.VarType(_name(kind), args[0].items if args else None, _span(children))

    def type_args(self, children):
        return _Group(tuple(_values(children)), _span(children))

    def range(self, children):
        low, high = _values(children)
        return ast.Range(_number(low), _number(high), _span(children))

    def name_level(self, children):
        return ast.Level(_name(children[0]), _span(children))

    def string_level(self, children):
        return ast.Level(_text(children[0]), _span(children))

    def number_level(self, children):
        return ast.Level(_number(children[0]), _span(children))

    def edges(self, children):
        groups = tuple(c for c in children if isinstance(c, ast.NodeGroup))
        arrows = tuple(_name(c) for c in children if isinstance(c, Token))
        return ast.EdgeChain(groups, arrows, _span(children))

    def single_node(self, children):
        return ast.NodeGroup((_name(children[0]),), False, _span(children))

    def node_set(self, children):
        names = tuple(_name(c) for c in _values(children))
        return ast.NodeGroup(names, True, _span(children))

    def assumption(self, children):
        kind, *rest = children
        mechanisms = tuple(c for c in rest if isinstance(c, ast.MechanismRef))
        clauses = tuple(
            c for c in rest if not isinstance(c, ast.MechanismRef | Token)
        )
        return ast.AssumptionDecl(kind, mechanisms, clauses, _span(children))

    def variable_mechanism(self, children):
        return ast.MechanismRef(_name(children[0]), span=_span(children))

    def edge_mechanism(self, children):
        first, arrow, second = children
        return ast.MechanismRef(_name(first), _name(arrow), _name(second), _span(children))

    def for_clause(self, children):
        return ast.ForClause(tuple(_name(c) for c in _values(children)), _span(children))

    def because_clause(self, children):
        (reason,) = _values(children)
        return ast.BecauseClause(_text(reason), _span(children))

    def cite_clause(self, children):
        (citation,) = _values(children)
        return ast.CiteClause(_text(citation), _span(children))

    def sd_clause(self, children):
        (sd,) = _values(children)
        return ast.SdClause(_number(sd), _span(children))

    def robust_clause(self, children):
        (weight,) = _values(children)
        return ast.RobustClause(_number(weight), _span(children))

    def data(self, children):
        population, path, *clauses = _values(children)
        return ast.DataDecl(_name(population), _text(path), tuple(clauses), _span(children))

    def experiment_clause(self, children):
        names = tuple(_name(c) for c in _values(children))
        return ast.ExperimentClause(names, _span(children))

    def observational_clause(self, children):
        return ast.ObservationalClause(_span(children))

    def measures_clause(self, children):
        return ast.MeasuresClause(tuple(_name(c) for c in _values(children)), _span(children))

    def columns_clause(self, children):
        return ast.ColumnsClause(tuple(_values(children)), _span(children))

    def column_binding(self, children):
        variable, column = _values(children)
        return ast.ColumnBinding(_name(variable), _text(column), _span(children))

    def predictions_clause(self, children):
        return ast.PredictionsClause(tuple(_values(children)), _span(children))

    def prediction_binding(self, children):
        variable, source, column = _values(children)
        return ast.PredictionBinding(
            _name(variable), _name(source), _text(column), _span(children)
        )

    def cluster_clause(self, children):
        (column,) = _values(children)
        return ast.ClusterClause(_text(column), _span(children))

    def weight_clause(self, children):
        (column,) = _values(children)
        return ast.WeightClause(_text(column), _span(children))

    def recode_clause(self, children):
        variable, *entries = _values(children)
        return ast.RecodeClause(_name(variable), tuple(entries), _span(children))

    def recode_entry(self, children):
        raw, value = _values(children)
        return ast.RecodeEntry(_text(raw), value, _span(children))

    def query(self, children):
        treatment, outcome, *clauses = _values(children)
        return ast.QueryDecl(_name(treatment), _name(outcome), tuple(clauses), _span(children))

    def in_clause(self, children):
        (population,) = _values(children)
        return ast.InClause(_name(population), _span(children))

    def contrast_clause(self, children):
        treated, control = _values(children)
        return ast.ContrastClause(treated, control, _span(children))

    def scale_clause(self, children):
        (scale,) = _values(children)
        return ast.ScaleClause(_name(scale), _span(children))

    def fit(self, children):
        return ast.FitDecl(tuple(_values(children)), _span(children))

    def _option(self, children):
        key, value = children
        parsed = _name(value) if value.type == "NAME" else _number(value)
        return ast.FitOption(ast.Name(str(key), token_span(key)), parsed, _span(children))

    chains_option = draws_option = tune_option = seed_option = _option
    sampler_option = cores_option = target_accept_option = _option

    def hypothesis(self, children):
        (text,) = _values(children)
        return ast.HypothesisDecl(_text(text), _span(children))

    def calibration(self, children):
        path, *clauses = _values(children)
        source = next((c for c in clauses if isinstance(c, ast.Name)), None)
        columns = next((c.items for c in clauses if isinstance(c, _Group)), None)
        return ast.CalibrationDecl(_text(path), source, columns, _span(children))

    def calibration_for(self, children):
        (source,) = _values(children)
        return _name(source)

    def calibration_columns(self, children):
        return _Group(tuple(_values(children)), _span(children))

    def decision(self, children):
        label, compare_effect, effect, compare_prob, prob = _values(children)
        return ast.DecisionDecl(
            _name(label), _name(compare_effect), _number(effect), _name(compare_prob),
            _number(prob), _span(children),
        )

    def model(self, children):
        variable, *terms = _values(children)
        return ast.ModelDecl(_name(variable), tuple(terms), _span(children))

    def model_term(self, children):
        return ast.ModelTermRef(tuple(_values(children)), _span(children))

    def factor_name(self, children):
        (variable,) = _values(children)
        return ast.ModelFactorRef(_name(variable), span=_span(children))

    def factor_power(self, children):
        variable, power = _values(children)
        return ast.ModelFactorRef(_name(variable), power=_number(power), span=_span(children))

    def factor_call(self, children):
        function, variable, *argument = _values(children)
        return ast.ModelFactorRef(_name(variable), _name(function),
                                  _number(argument[0]) if argument else None,
                                  span=_span(children))
