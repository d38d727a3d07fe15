"""The exact and parametric paths' check of a `shared` claim (checks.py) reads both the
elpd difference and the posterior predictive p-value: a gap the elpd's standard error hides
is still contradicted when the target's counts are improbable under the claim."""

from __future__ import annotations

from pathlib import Path

import messages_studies as studies

import transport
from transport.estimate.checks import PPC_ALPHA


def check_of(folder: Path, human_shift: float, human_n: int, seed: int = 8):
    path = studies.exact_checked(folder, human_shift, human_n, seed)
    result = transport.estimate_study(transport.load(path), draws=300, robustness=False)
    (check,) = result.assumption_checks
    return check


def test_a_gap_the_elpd_misses_is_contradicted_by_the_predictive_check(tmp_path: Path) -> None:
    check = check_of(tmp_path, 0.8, 300)
    # measured: elpd difference -3.9 +- 3.9 (not decisive), posterior predictive p = 0.019
    assert check.elpd_diff > -4.0 and check.ppc_p < PPC_ALPHA
    assert check.verdict == "contradicted"
    assert check.reason == (
        "under sharing P(y | x, z) with llm the human data's cell frequencies are improbable "
        f"(posterior predictive p = {check.ppc_p:.3f} < 0.05)")


def test_true_claims_are_rarely_contradicted_and_false_ones_more_often(tmp_path: Path) -> None:
    # measured: 1 false alarm in 100 true claims (the elpd rule alone: 0); at a 0.8 log-odds
    # gap with 300 human rows, 18 of 50 contradicted
    false_alarms = sum(check_of(tmp_path / f"t{s}", 0.0, 600, seed=100 + s).verdict
                       == "contradicted" for s in range(100))
    assert false_alarms <= 5
    gaps = [check_of(tmp_path / f"g{s}", 0.8, 300, seed=300 + s) for s in range(50)]
    by_elpd = sum(c.elpd_diff < -4.0 and c.elpd_diff + 2 * c.elpd_se < 0 for c in gaps)
    flagged = sum(c.verdict == "contradicted" for c in gaps)
    assert flagged >= 10 and flagged > by_elpd
