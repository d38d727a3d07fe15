"""Expressions: canonical form, simplification, rendering and numeric evaluation."""

import json

import pandas as pd
import pytest

from transport.errors import ProblemError
from transport.identification.evaluate import evaluate, evaluate_counts, tables_from_counts
from transport.identification.expr import (
    ONE,
    Prob,
    Quotient,
    Sum,
    free_vars,
    from_json,
    prob,
    product,
    quotient,
    summation,
    terms,
    to_json,
    to_latex,
    to_text,
)


def test_prob_is_sorted_and_drops_repeats():
    assert prob("h", ["b", "a"], ["c"]) == Prob("h", ("a", "b"), ("c",), ())
    assert prob("h", ["a"], ["a"]) is ONE
    assert prob("h", ["x", "y"], do=["x"]) == Prob("h", ("y",), (), ("x",))


def test_product_is_flat_sorted_and_commutative():
    a, b, c = prob("h", "a"), prob("h", "b", "z"), prob("g", "c")
    assert product([a, product([b, c])]) == product([c, b, a])
    assert product([a]) == a
    assert product([]) is ONE
    assert product([ONE, a, ONE]) == a


def test_chain_rule_merge():
    assert product([prob("h", "a", "c"), prob("h", "b", "ac")]) == prob("h", "ab", "c")
    # different populations never merge
    e = product([prob("h", "a"), prob("g", "b", "a")])
    assert len(e.factors) == 2


def test_sum_over_absent_variable_is_dropped():
    a = prob("h", "a")
    assert summation(["b"], a) == a


def test_sum_marginalizes_single_term():
    assert summation(["b"], prob("h", "ab", "c")) == prob("h", "a", "c")
    assert summation(["a", "b"], prob("h", "ab", "c")) is ONE


def test_sum_pulls_out_constant_factors():
    e = summation(["z"], product([prob("h", "x"), prob("g", "y", "z", "x"), prob("h", "z")]))
    assert to_text(e) == "P_h(x) Σ_{z} P_g(y | do(x), z) P_h(z)"


def test_sum_over_conditional_in_its_own_head_is_one():
    e = summation(["b"], product([prob("h", "a"), prob("h", "b", "a")]))
    assert e == prob("h", "a")


def test_quotient_cancels_identical_factors():
    a, b, c = prob("h", "a"), prob("g", "b"), prob("g", "c")
    assert quotient(product([a, b]), product([a, c])) == Quotient(b, c)
    assert quotient(product([a, b]), a) == b


def test_quotient_joint_over_marginal_is_conditional():
    assert quotient(prob("h", "xy", do="z"), prob("h", "x", do="z")) == prob("h", "y", "x", "z")


def test_text_and_latex():
    e = summation(["z"], product([prob("gpt", "y", ["z"], ["x"]), prob("human", "z")]))
    assert to_text(e) == "Σ_{z} P_gpt(y | do(x), z) P_human(z)"
    assert to_latex(e) == (r"\sum_{z} P_{\text{gpt}}(y \mid do(x), z) P_{\text{human}}(z)")


def test_shadowed_bound_variable_is_primed_in_text():
    inner = summation(["x"], product([prob("h", "x"), prob("h", "y", "xz")]))
    e = summation(["z"], product([prob("h", "z", "x"), inner]))
    assert to_text(e) == "Σ_{z} P_h(z | x) Σ_{x'} P_h(x') P_h(y | x', z)"
    assert free_vars(e) == {"x", "y"}


def test_json_roundtrip_and_serializable():
    e = quotient(summation(["w"], product([prob("h", "w"), prob("h", "xy", "rw")])),
                 summation(["w"], product([prob("h", "w"), prob("h", "x", "rw")])))
    tree = to_json(e)
    json.dumps(tree)
    assert from_json(tree) == e
    assert {t.population for t in terms(e)} == {"h"}
    assert isinstance(e, Quotient) and isinstance(e.numerator, Sum)


def _table(rows):
    return pd.DataFrame(rows, columns=["x", "y", "p"])


def test_evaluate_conditional_and_sum():
    t = _table([(0, 0, 0.1), (0, 1, 0.3), (1, 0, 0.2), (1, 1, 0.4)])
    tables = {("h", frozenset()): t}
    assert evaluate(prob("h", "y", "x"), tables, {"x": 0, "y": 1}) == pytest.approx(0.75)
    assert evaluate(summation(["x"], prob("h", "xy")), tables, {"y": 1}) == pytest.approx(0.7)
    e = Sum(("x",), product([prob("h", "y", "x"), prob("h", "x")]))
    assert evaluate(e, tables, {"y": 0}) == pytest.approx(0.3)


def test_evaluate_experiment_table_normalizes_per_do_value():
    # do(x) rows scaled by 1/2 (randomization); P(y=1 | do(x=1)) = 0.8
    t = _table([(0, 0, 0.25), (0, 1, 0.25), (1, 0, 0.1), (1, 1, 0.4)])
    tables = {("g", frozenset({"x"})): t}
    assert evaluate(prob("g", "y", do="x"), tables, {"x": 1, "y": 1}) == pytest.approx(0.8)


def test_counts_helper():
    counts = pd.DataFrame([(0, 0, 1), (0, 1, 3), (1, 0, 2), (1, 1, 4)], columns=["x", "y", "n"])
    tables = {("h", frozenset()): counts}
    assert evaluate_counts(prob("h", "y", "x"), tables, {"x": 1, "y": 1}) == pytest.approx(4 / 6)
    assert tables_from_counts(tables)[("h", frozenset())]["p"].sum() == pytest.approx(1.0)


def test_missing_table_or_value_is_the_toolkits_error():
    """A TransportError (ProblemError) naming what is missing, not a bare KeyError."""
    with pytest.raises(ProblemError, match=r"^no table for population 'zz' with do\(\[\]\)$"):
        evaluate(prob("zz", "y"), {}, {"y": 0})
    table = {("h", frozenset()): pd.DataFrame({"y": [0, 1], "p": [0.5, 0.5]})}
    with pytest.raises(ProblemError, match=r"^no value assigned to variable 'q'$"):
        evaluate(prob("h", "y", "q"), table, {"y": 0})
    with pytest.raises(ProblemError, match=r"^no table gives the values of summed variable 'w'$"):
        evaluate(Sum(("w",), prob("h", "y")), table, {"y": 0})


def test_evaluate_is_also_reachable_from_expr():
    from transport.identification import expr

    t = _table([(0, 0, 0.5), (1, 1, 0.5)])
    assert expr.evaluate(prob("h", "y", "x"), {("h", frozenset()): t}, {"x": 1, "y": 1}) == 1.0


def test_rendering_methods():
    e = summation(["z"], product([prob("gpt", "y", ["z"], ["x"]), prob("human", "z")]))
    assert e.to_text() == to_text(e) and e.to_latex() == to_latex(e) and e.to_json() == to_json(e)
    assert ONE.to_text() == "1"
