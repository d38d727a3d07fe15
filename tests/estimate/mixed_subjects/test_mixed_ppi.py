"""PPI++ with clusters and weights: known answers, the variance derivation checked against a
cluster jackknife, invariances, predictor choice, and the exact texts of errors and warnings."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError, Units
from transport.estimate.mixed_subjects.ppi import ppi_difference, ppi_linear, ppi_mean

sys.path.insert(0, str(ROOT / "examples" / "conjoint"))
from generate import POPULATION_SHARE, simulate, true_effect  # noqa: E402


def _clustered(rng: np.random.Generator, clusters: int, size: int, shared: bool = True,
               predictors: int = 1) -> MixedSubjectsData:
    """Clusters with a random effect on the outcome and on the treatment effect, predictions
    that know part of it, and (when `shared`) unlabelled rows in the labelled clusters."""
    effect, level = rng.normal(size=clusters * 3), rng.normal(size=clusters * 3)

    def units(ids: np.ndarray, labelled: bool) -> Units:
        who = np.repeat(ids, size)
        arm = rng.integers(0, 2, len(who))
        y = 0.5 * arm + level[who] + effect[who] * arm + rng.normal(size=len(who))
        preds = {f"p{k}": 0.8 * (level[who] + effect[who] * arm) + (k + 1) * rng.normal(
            size=len(who)) for k in range(predictors)}
        return Units(arm, preds, y if labelled else None, cluster=who,
                     weight=rng.uniform(0.5, 2.0, len(who)))

    lab_ids = np.arange(clusters)
    unl_ids = np.arange(clusters // 2 if shared else clusters, 3 * clusters)
    return MixedSubjectsData(units(lab_ids, True), units(unl_ids, False))


def _without_clusters(data: MixedSubjectsData) -> MixedSubjectsData:
    def strip(units: Units) -> Units:
        return Units(units.arm, dict(units.predictions), units.outcome, units.covariates,
                     None, units.weight)

    return MixedSubjectsData(strip(data.labelled), strip(data.unlabelled))


def _subset(data: MixedSubjectsData, drop: int) -> MixedSubjectsData:
    """The data without one cluster (labelled and unlabelled rows alike)."""
    def keep(units: Units) -> Units:
        mask = units.cluster != drop
        return Units(units.arm[mask], {k: v[mask] for k, v in units.predictions.items()},
                     None if units.outcome is None else units.outcome[mask], None,
                     units.cluster[mask], units.weight[mask])

    return MixedSubjectsData(keep(data.labelled), keep(data.unlabelled))


def test_classical_difference_is_the_difference_in_means_with_its_textbook_se() -> None:
    rng = np.random.default_rng(3)
    arm = rng.integers(0, 2, 200)
    y = rng.normal(size=200) + arm
    data = MixedSubjectsData(Units(arm, {"llm": y + rng.normal(size=200)}, y),
                             Units(rng.integers(0, 2, 500), {"llm": rng.normal(size=500)}))
    result = ppi_difference(data, 1, 0, lam=0.0)
    y1, y0 = y[arm == 1], y[arm == 0]
    assert result.estimate == pytest.approx(y1.mean() - y0.mean(), abs=1e-12)
    textbook = np.sqrt((y1.var() / len(y1) + y0.var() / len(y0)) * 200 / 199)
    assert result.se == pytest.approx(textbook, rel=1e-12)
    assert result.classical.se == pytest.approx(textbook, rel=1e-12)
    assert result.chosen.effective_human_n == pytest.approx(200)


def test_clustered_weighted_mean_is_hajek_with_the_linearised_cluster_variance() -> None:
    rng = np.random.default_rng(4)
    cluster = np.repeat(np.arange(30), 5)
    y = rng.normal(size=30)[cluster] + rng.normal(size=150)
    w = rng.uniform(0.5, 3.0, 150)
    data = MixedSubjectsData(Units(np.zeros(150), {"llm": y}, y, cluster=cluster, weight=w),
                             Units(np.zeros(10), {"llm": rng.normal(size=10)}))
    result = ppi_mean(data, 0.0, lam=0.0)
    hajek = (w * y).sum() / w.sum()
    totals = np.bincount(cluster, weights=w * (y - hajek)) / w.sum()
    assert result.estimate == pytest.approx(hajek, abs=1e-12)
    assert result.se == pytest.approx(np.sqrt(30 / 29 * (totals**2).sum()), rel=1e-12)


def test_lambda_one_is_the_unlabelled_mean_plus_the_labelled_rectifier() -> None:
    rng = np.random.default_rng(5)
    y, f = rng.normal(size=100), rng.normal(size=100)
    f_unl, w, w_unl = rng.normal(size=400), rng.uniform(1, 2, 100), rng.uniform(1, 2, 400)
    data = MixedSubjectsData(Units(np.zeros(100), {"llm": f}, y, weight=w),
                             Units(np.zeros(400), {"llm": f_unl}, weight=w_unl))
    expected = np.average(f_unl, weights=w_unl) + np.average(y - f, weights=w)
    assert ppi_mean(data, 0.0, lam=1.0).estimate == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("shared", [True, False])
def test_cluster_variance_matches_the_delete_one_cluster_jackknife(shared: bool) -> None:
    """The sandwich with labelled and unlabelled rows of a cluster summed together is the
    variance of the estimate: it matches the jackknife that deletes whole clusters."""
    data = _clustered(np.random.default_rng(6), 60, 6, shared=shared)
    full = ppi_difference(data, 1, 0, lam=0.7)
    _, _, groups = data.cluster_codes()
    estimates = np.array([ppi_difference(_subset(data, g), 1, 0, lam=0.7).estimate
                          for g in range(groups)])
    jackknife = np.sqrt((groups - 1) / groups * ((estimates - estimates.mean())**2).sum())
    assert full.se == pytest.approx(jackknife, rel=0.1)


def test_shared_clusters_change_the_variance() -> None:
    """Rows of one respondent on both sides are correlated: giving the unlabelled rows other
    cluster labels (as if independent) gives a different, wrong variance."""
    data = _clustered(np.random.default_rng(7), 60, 6, shared=True)
    relabelled = MixedSubjectsData(data.labelled, Units(
        data.unlabelled.arm, dict(data.unlabelled.predictions), None, None,
        data.unlabelled.cluster + 10_000, data.unlabelled.weight))
    together = ppi_difference(data, 1, 0, lam=1.0).se
    apart = ppi_difference(relabelled, 1, 0, lam=1.0).se
    assert abs(together - apart) / apart > 0.02


def test_clusters_widen_the_interval_when_rows_are_dependent() -> None:
    data = _clustered(np.random.default_rng(8), 60, 20)
    assert ppi_difference(data, 1, 0).se > 1.3 * ppi_difference(_without_clusters(data), 1, 0).se


def test_tuned_lambda_minimises_the_cluster_robust_variance() -> None:
    data = _clustered(np.random.default_rng(9), 50, 6)
    tuned = ppi_difference(data, 1, 0)
    grid = [ppi_difference(data, 1, 0, lam=lam).se for lam in np.linspace(0, 1, 41)]
    assert 0 < tuned.chosen.lam["p0"] < 1
    assert tuned.se <= min(grid) + 1e-12


def test_every_unit_its_own_cluster_gives_the_unclustered_variance() -> None:
    rng = np.random.default_rng(10)
    arm, y = rng.integers(0, 2, 120), rng.normal(size=120)
    f, f_unl = y + rng.normal(size=120), rng.normal(size=300)
    plain = MixedSubjectsData(Units(arm, {"llm": f}, y), Units(rng.integers(0, 2, 300),
                                                                 {"llm": f_unl}))
    singletons = MixedSubjectsData(
        Units(arm, {"llm": f}, y, cluster=np.arange(120)),
        Units(plain.unlabelled.arm, {"llm": f_unl}, cluster=np.arange(1000, 1300)))
    for lam in (0.0, 0.4, 1.0):
        assert ppi_difference(singletons, 1, 0, lam=lam).se == pytest.approx(
            ppi_difference(plain, 1, 0, lam=lam).se, rel=1e-12)


def test_weights_scale_free_and_rows_order_free() -> None:
    data = _clustered(np.random.default_rng(11), 40, 5)
    base = ppi_difference(data, 1, 0)
    order = np.random.default_rng(0).permutation(len(data.labelled))
    lab = data.labelled
    shuffled = MixedSubjectsData(
        Units(lab.arm[order], {"p0": lab.predictions["p0"][order]}, lab.outcome[order],
              None, lab.cluster[order], 7.0 * lab.weight[order]),
        data.unlabelled)
    again = ppi_difference(shuffled, 1, 0)
    assert again.estimate == pytest.approx(base.estimate, abs=1e-12)
    assert again.se == pytest.approx(base.se, rel=1e-10)


def test_a_perfect_predictor_buys_many_human_units() -> None:
    rng = np.random.default_rng(12)
    arm = rng.integers(0, 2, 200)
    y = arm + rng.normal(size=200)
    arm_u = rng.integers(0, 2, 20000)
    data = MixedSubjectsData(Units(arm, {"oracle": y}, y),
                             Units(arm_u, {"oracle": arm_u + rng.normal(size=20000)}))
    result = ppi_difference(data, 1, 0)
    assert result.chosen.lam["oracle"] > 0.95
    assert result.chosen.effective_human_n > 20 * 200
    assert result.warnings == ()


def test_a_useless_predictor_is_ignored_and_named_in_a_plain_warning() -> None:
    rng = np.random.default_rng(13)
    arm = rng.integers(0, 2, 300)
    y = arm + rng.normal(size=300)
    data = MixedSubjectsData(Units(arm, {"gpt4o": rng.normal(size=300)}, y),
                             Units(rng.integers(0, 2, 3000), {"gpt4o": rng.normal(size=3000)}))
    result = ppi_difference(data, 1, 0)
    correlation = result.chosen.within_arm_correlation
    assert abs(correlation) < 0.1
    assert result.warnings == (
        f"gpt4o's predictions are nearly uninformative: their within-arm correlation with the "
        f"human answers is {correlation:.2f} (below 0.1), so they add little beyond the human "
        "sample",)
    assert result.chosen.effective_human_n == pytest.approx(300, rel=0.02)


def test_default_choice_is_the_narrowest_interval_and_combination_is_no_wider() -> None:
    data = _clustered(np.random.default_rng(14), 60, 6, predictors=3)
    result = ppi_difference(data, 1, 0)
    assert result.choice == "smallest_interval"
    assert result.chosen.se == min(fit.se for fit in result.fits)
    assert result.chosen.predictor == "p0"  # the least noisy predictor
    combined = ppi_difference(data, 1, 0, predictor="combined")
    assert combined.choice == "combined"
    assert set(combined.chosen.lam) == {"p0", "p1", "p2"}
    assert combined.se <= result.se + 1e-12
    named = ppi_difference(data, 1, 0, predictor="p2")
    assert (named.choice, named.chosen.predictor) == ("named", "p2")


def test_regression_adjustment_narrows_the_interval_and_matches_ppi_linear() -> None:
    rng = np.random.default_rng(15)

    def units(size: int, labelled: bool) -> Units:
        arm, z = rng.integers(0, 2, size), rng.normal(size=size)
        y = 0.4 * arm + 2 * z + rng.normal(size=size)
        return Units(arm, {"llm": y + rng.normal(size=size)}, y if labelled else None,
                     covariates=z)

    data = MixedSubjectsData(units(300, True), units(2000, False))
    plain, adjusted = ppi_difference(data, 1, 0), ppi_difference(data, 1, 0, adjust=True)
    assert adjusted.classical.se < 0.6 * plain.classical.se

    def design(units: Units) -> np.ndarray:
        return np.column_stack([np.ones(len(units)), units.arm, units.covariates[:, 0]])

    direct = ppi_linear(data, design(data.labelled), design(data.unlabelled), [0.0, 1.0, 0.0])
    assert direct.estimate == pytest.approx(adjusted.estimate, abs=1e-12)
    assert direct.se == pytest.approx(adjusted.se, rel=1e-12)


def test_clustered_intervals_cover_in_a_small_seeded_simulation() -> None:
    """120 conjoint studies (paired profiles, respondent clusters): rows-independent
    intervals undercover, respondent-clustered ones cover about 95%."""
    rng = np.random.default_rng(2027)
    truth = true_effect("more")
    naive = clustered = 0
    runs = 120
    for _ in range(runs):
        study = simulate(rng, "more", 60, 200, shares=POPULATION_SHARE)

        def units(columns: dict, with_clusters: bool) -> Units:
            return Units(columns["more"], {"gpt4o": columns["gpt4o_saved"]},
                         columns.get("saved"),
                         cluster=columns["respondent_id"] if with_clusters else None)

        for with_clusters in (False, True):
            data = MixedSubjectsData(units(study["labelled"], with_clusters),
                                     units(study["unlabelled"], with_clusters))
            low, high = ppi_difference(data, 1, 0).ci
            hit = low <= truth <= high
            naive += hit and not with_clusters
            clustered += hit and with_clusters
    assert naive / runs < 0.8
    assert 0.89 <= clustered / runs <= 0.99


def test_errors_are_plain() -> None:
    rng = np.random.default_rng(16)
    arm = np.array([0, 0, 1, 1])
    lab = Units(arm, {"gpt4o": rng.normal(size=4)}, rng.normal(size=4))
    unl = Units(np.array([0, 1, 2]), {"gpt4o": rng.normal(size=3)})
    data = MixedSubjectsData(lab, Units(np.array([0, 1]), {"gpt4o": rng.normal(size=2)}))
    cases = [
        (lambda: MixedSubjectsData(lab, Units(arm, {"other": np.ones(4)})),
         "the unlabelled units lack the predictions of gpt4o"),
        (lambda: MixedSubjectsData(Units(arm, {"gpt4o": np.ones(4)}), lab),
         "the labelled units need the human outcome"),
        (lambda: Units(arm, {"gpt4o": np.ones(3)}), "the predictions of gpt4o must be 4 "
         "values, one per unit"),
        (lambda: Units(arm, {"gpt4o": [1, 2, np.nan, 4]}),
         "the predictions of gpt4o contain missing or infinite values"),
        (lambda: Units(arm, {"gpt4o": np.ones(4)}, weight=[1, 0, 1, 1]),
         "the weights must all be positive"),
        (lambda: ppi_difference(data, 2, 0), "no labelled unit is in arm 2"),
        (lambda: ppi_difference(MixedSubjectsData(lab, unl), 1, 0),
         "unlabelled units are in arms no labelled unit is in: 2"),
        (lambda: ppi_difference(data, 1, 0, predictor="claude"),
         "no predictions from claude; the data have gpt4o"),
    ]
    for call, message in cases:
        with pytest.raises(MixedSubjectsError) as caught:
            call()
        assert str(caught.value) == message
