"""The independence tests agree with reference implementations (scipy's G-test, statsmodels'
regression t-test and Holm correction) and say why a test cannot run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from transport.diagnose.implications import holm
from transport.diagnose.independence import independence_test
from transport.study import Variable

KINDS = {
    "a": Variable("a", "binary"), "b": Variable("b", "categorical", levels=("p", "q", "r")),
    "c": Variable("c", "binary"), "x": Variable("x", "continuous"),
    "y": Variable("y", "continuous"), "k": Variable("k", "categorical", levels=("u", "v", "w")),
}


def _frame(seed: int, n: int = 800) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 2, n)
    a = (rng.random(n) < 0.3 + 0.4 * c).astype(int)
    b = np.where(rng.random(n) < 0.5, c, rng.integers(0, 3, n))
    x = rng.normal(size=n) + c
    y = 0.5 * x + rng.normal(size=n)
    k = rng.integers(0, 3, n)
    return pd.DataFrame({
        "a": a, "c": c, "x": x, "y": y + 0.3 * k,
        "b": pd.Categorical.from_codes(b, ["p", "q", "r"]),
        "k": pd.Categorical.from_codes(k, ["u", "v", "w"]),
    })


def test_unstratified_g_test_is_scipys_log_likelihood_chi_square() -> None:
    frame = _frame(1)
    ours = independence_test(frame, KINDS, "a", "b", ())
    table = pd.crosstab(frame.a, frame.b).to_numpy()
    g, p, dof, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert ours.test == "G-test"
    assert ours.statistic == pytest.approx(g)
    assert ours.df == dof == 2
    assert ours.p_value == pytest.approx(p)


def test_stratified_g_test_sums_the_strata() -> None:
    frame = _frame(2)
    ours = independence_test(frame, KINDS, "a", "b", ("c",))
    total, dofs = 0.0, 0
    for _, part in frame.groupby("c"):
        g, _, dof, _ = stats.chi2_contingency(pd.crosstab(part.a, part.b).to_numpy(),
                                              correction=False, lambda_="log-likelihood")
        total, dofs = total + g, dofs + dof
    assert ours.statistic == pytest.approx(total)
    assert ours.df == dofs
    assert ours.p_value == pytest.approx(stats.chi2.sf(total, dofs))


def test_sparse_tables_use_a_seeded_permutation_test() -> None:
    frame = _frame(3, n=40)
    first = independence_test(frame, KINDS, "a", "b", ("c",), seed=5)
    again = independence_test(frame, KINDS, "a", "b", ("c",), seed=5)
    assert first.test == "permutation G-test"
    assert first == again
    assert 0 < first.p_value <= 1
    # the permutation p-value is a multiple of 1/1000
    assert round(first.p_value * 1000) == pytest.approx(first.p_value * 1000)


def test_partial_correlation_matches_the_regression_t_test() -> None:
    import statsmodels.api as sm

    frame = _frame(4)
    ours = independence_test(frame, KINDS, "x", "y", ("c",))
    fit = sm.OLS(frame.y, sm.add_constant(frame[["x", "c"]].astype(float))).fit()
    assert ours.test == "Fisher z"
    assert ours.p_value == pytest.approx(fit.pvalues["x"], abs=1e-6) or (
        ours.p_value < 1e-12 and fit.pvalues["x"] < 1e-12)
    independent = independence_test(frame, KINDS, "a", "x", ("c",))
    fit = sm.OLS(frame.a, sm.add_constant(frame[["x", "c"]].astype(float))).fit()
    assert independent.p_value == pytest.approx(fit.pvalues["x"], abs=0.02)


def test_categorical_with_continuous_uses_the_canonical_correlation_test() -> None:
    import statsmodels.formula.api as smf

    frame = _frame(5)
    ours = independence_test(frame, KINDS, "k", "y", ())
    assert ours.test == "canonical correlation" and ours.df == 2
    f_test = smf.ols("y ~ C(k)", frame).fit()
    assert ours.p_value == pytest.approx(f_test.f_pvalue, rel=0.05)


def test_a_constant_variable_is_not_testable() -> None:
    frame = _frame(6).assign(a=1)
    result = independence_test(frame, KINDS, "a", "b", ())
    assert not result.testable
    assert result.reason == "no stratum shows two values of both a and b"
    result = independence_test(frame, KINDS, "a", "x", ())
    assert result.reason == "a does not vary once nothing is known"
    result = independence_test(frame.head(4), KINDS, "x", "y", ("c", "k"))
    assert result.reason == "4 rows are too few for 3 conditioning columns"


def test_holm_matches_statsmodels() -> None:
    p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2]
    assert holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]))
