"""The `model` statement: parsed into the AST, formatted canonically (fmt round-trips it),
and compiled into the Study's terms with `*` expanded."""

from __future__ import annotations

from transport.api import check_source, parse
from transport.source import Source
from transport.study import ModelFactor, ModelTerm
from transport.syntax import ast
from transport.syntax.unparse import unparse

STUDY = """\
population gpt   source
population human target
var A binary treatment
var L binary
var W continuous
var Y binary outcome
{A L W} -> Y
shared Y
differs L, W
"""


def test_parse_and_format_round_trip() -> None:
    messy = STUDY + "model   Y~A*spline( W ,6)+L\n  + W^2\nmodel L ~ spline(W)\n"
    document = parse(messy)
    model = document.statements[-2]
    assert isinstance(model, ast.ModelDecl)
    assert [[f.variable.text for f in t.factors] for t in model.terms] == [
        ["A", "W"], ["L"], ["W"]]
    assert model.terms[0].factors[1].function.text == "spline"
    assert model.terms[0].factors[1].argument.value == 6
    assert model.terms[2].factors[0].power.value == 2
    text = unparse(document, messy)
    assert text.endswith("model Y ~ A * spline(W, 6) + L + W^2\nmodel L ~ spline(W)\n")
    assert unparse(parse(text), text) == text
    assert parse(text) == document


def test_the_study_expands_crossed_factors_in_order() -> None:
    text = STUDY + "model Y ~ A * L * spline(W, 6) + L + W^2\n"
    study = check_source(Source(text, "t.tdag")).study
    model = study.model_of("Y")
    a, l_, w = (ModelFactor("A", "level"), ModelFactor("L", "level"),
                ModelFactor("W", "spline", 6))
    assert model.terms == (
        ModelTerm((a,)), ModelTerm((l_,)), ModelTerm((w,)), ModelTerm((a, l_)),
        ModelTerm((a, w)), ModelTerm((l_, w)), ModelTerm((a, l_, w)),
        ModelTerm((ModelFactor("W", "power", 2),)),
    )
    assert model.text == "A * L * spline(W, 6) + L + W^2"
    assert study.model_of("L") is None


def test_a_bare_continuous_parent_is_a_straight_line_and_spline_defaults_to_ten() -> None:
    study = check_source(Source(STUDY + "model Y ~ A * W + spline(W)\n", "t.tdag")).study
    terms = study.model_of("Y").terms
    assert terms[1] == ModelTerm((ModelFactor("W", "linear"),))
    assert terms[-1] == ModelTerm((ModelFactor("W", "spline", 10),))
