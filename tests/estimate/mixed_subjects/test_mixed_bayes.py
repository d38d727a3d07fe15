"""The Bayesian joint model: exact conjugacy without clusters or weights, the regression model's
known answer, clusters and weights, reproducibility, choice of predictor, errors."""

from __future__ import annotations

import numpy as np
import pytest

from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError, Units
from transport.estimate.mixed_subjects.results import hdi


def _binary(rng: np.random.Generator, n: int, big_n: int, clusters: int | None = None,
            weights: bool = False) -> MixedSubjectsData:
    """Binary answers and binary predictions that agree 80% of the time; with `clusters`,
    a cluster effect on both."""
    def units(size: int, first: int, labelled: bool) -> Units:
        arm = rng.integers(0, 2, size)
        cluster = None if clusters is None else first + rng.integers(0, clusters, size)
        shift = 0.0 if clusters is None else effect[cluster - first if first else cluster]
        p = 1 / (1 + np.exp(-(-0.3 + 0.8 * arm + shift)))
        y = (rng.random(size) < p).astype(float)
        f = np.where(rng.random(size) < 0.8, y, 1 - y)
        return Units(arm, {"llm": f}, y if labelled else None, cluster=cluster,
                     weight=rng.uniform(0.5, 2, size) if weights else None)

    effect = 2 * rng.normal(size=clusters or 1)
    return MixedSubjectsData(units(n, 0, True), units(big_n, 0, False))


def test_without_clusters_or_weights_the_draws_are_the_conjugate_posterior() -> None:
    """P(f | arm) ~ Dirichlet(counts + 1/2) on all units, P(y = 1 | f, arm) ~
    Beta(counts + 1/2) on the labelled ones: the posterior mean is known exactly, and the
    spread matches direct Dirichlet and Beta draws."""
    rng = np.random.default_rng(1)
    data = _binary(rng, 150, 600)
    fit = bayes_ppi(data, 1, 0, draws=20000, seed=3)
    lab, unl = data.labelled, data.unlabelled
    direct = np.random.default_rng(9)
    expected, sampled = 0.0, 0.0
    for arm, sign in ((1, 1), (0, -1)):
        f_all = np.concatenate([lab.predictions["llm"][lab.arm == arm],
                                unl.predictions["llm"][unl.arm == arm]])
        counts = np.array([np.sum(f_all == v) for v in (0.0, 1.0)])
        f_lab, y = lab.predictions["llm"][lab.arm == arm], lab.outcome[lab.arm == arm]
        ones = np.array([np.sum((f_lab == v) & (y == 1)) for v in (0.0, 1.0)])
        zeros = np.array([np.sum((f_lab == v) & (y == 0)) for v in (0.0, 1.0)])
        mean_level = (counts + 0.5) / (counts.sum() + 1.0)
        mean_answer = (ones + 0.5) / (ones + zeros + 1.0)
        expected += sign * float(mean_level @ mean_answer)
        levels = direct.dirichlet(counts + 0.5, size=40000)
        answers = direct.beta(ones + 0.5, zeros + 0.5, size=(40000, 2))
        sampled = sampled + sign * (levels * answers).sum(axis=1)
    assert fit.chosen.model == "discrete"
    assert fit.mean == pytest.approx(expected, abs=4 * fit.chosen.sd / np.sqrt(20000))
    assert fit.chosen.sd == pytest.approx(sampled.std(), rel=0.03)


def test_regression_model_centres_on_the_regression_estimator() -> None:
    rng = np.random.default_rng(2)

    def units(size: int, labelled: bool) -> Units:
        arm = rng.integers(0, 2, size)
        f = rng.normal(size=size) + arm
        y = 2 + 3 * f + rng.normal(size=size)
        return Units(arm, {"llm": f}, y if labelled else None)

    data = MixedSubjectsData(units(200, True), units(5000, False))
    fit = bayes_ppi(data, 1, 0, draws=4000, seed=0)
    lab, unl = data.labelled, data.unlabelled
    plug_in = 0.0
    for arm, sign in ((1, 1), (0, -1)):
        f, y = lab.predictions["llm"][lab.arm == arm], lab.outcome[lab.arm == arm]
        slope = np.cov(f, y, ddof=0)[0, 1] / f.var()
        f_all = np.concatenate([f, unl.predictions["llm"][unl.arm == arm]])
        plug_in += sign * (y.mean() + slope * (f_all.mean() - f.mean()))
    assert fit.chosen.model == "regression"
    assert fit.mean == pytest.approx(plug_in, abs=0.01)
    assert fit.mean == pytest.approx(3.0, abs=0.1)  # the true effect: 3 × (1 − 0)
    human_only_sd = np.sqrt(lab.outcome[lab.arm == 1].var() / np.sum(lab.arm == 1)
                            + lab.outcome[lab.arm == 0].var() / np.sum(lab.arm == 0))
    assert fit.chosen.sd < 0.4 * human_only_sd


def test_clusters_widen_the_posterior() -> None:
    """A cluster effect on the answers: the posterior of an arm's mean is wider with the
    clusters than when rows are taken as independent."""
    data = _binary(np.random.default_rng(3), 400, 800, clusters=25)
    stripped = MixedSubjectsData(
        Units(data.labelled.arm, dict(data.labelled.predictions), data.labelled.outcome),
        Units(data.unlabelled.arm, dict(data.unlabelled.predictions)))
    clustered, naive = bayes_ppi(data, 1), bayes_ppi(stripped, 1)
    assert clustered.n_clusters == 25 and naive.n_clusters is None
    assert clustered.chosen.sd > 1.3 * naive.chosen.sd


def test_weighted_posterior_centres_on_the_hajek_joint_estimate() -> None:
    data = _binary(np.random.default_rng(4), 1000, 3000, weights=True)
    fit = bayes_ppi(data, 1, 0, draws=4000, seed=1)
    lab, unl = data.labelled, data.unlabelled
    estimate = 0.0
    for arm, sign in ((1, 1), (0, -1)):
        f_all = np.concatenate([lab.predictions["llm"][lab.arm == arm],
                                unl.predictions["llm"][unl.arm == arm]])
        w_all = np.concatenate([lab.weights()[lab.arm == arm], unl.weights()[unl.arm == arm]])
        f, y, w = (lab.predictions["llm"][lab.arm == arm], lab.outcome[lab.arm == arm],
                   lab.weights()[lab.arm == arm])
        for v in (0.0, 1.0):
            share = w_all[f_all == v].sum() / w_all.sum()
            estimate += sign * share * np.average(y[f == v], weights=w[f == v])
    assert fit.weighted
    assert fit.mean == pytest.approx(estimate, abs=3 * fit.chosen.sd / np.sqrt(4000) + 1e-3)


def test_same_seed_same_draws_in_any_order_of_predictors() -> None:
    data = _binary(np.random.default_rng(5), 100, 300, clusters=20, weights=True)
    first, second = bayes_ppi(data, 1, 0, seed=7), bayes_ppi(data, 1, 0, seed=7)
    assert np.array_equal(first.draws, second.draws)
    assert not np.array_equal(first.draws, bayes_ppi(data, 1, 0, seed=8).draws)
    lab, unl = data.labelled, data.unlabelled
    noise = {"aaa": np.zeros(len(lab)), "llm": lab.predictions["llm"]}
    noise_unl = {"aaa": np.zeros(len(unl)), "llm": unl.predictions["llm"]}
    reordered = [MixedSubjectsData(
        Units(lab.arm, dict(order(noise)), lab.outcome, None, lab.cluster, lab.weight),
        Units(unl.arm, dict(order(noise_unl)), None, None, unl.cluster, unl.weight))
        for order in (lambda d: d.items(), lambda d: reversed(d.items()))]
    runs = [bayes_ppi(d, 1, 0, seed=7, predictor="llm").draws for d in reordered]
    assert np.array_equal(runs[0], runs[1])


def test_draws_are_made_in_blocks_without_changing_the_posterior(monkeypatch) -> None:
    from transport.estimate.mixed_subjects import bayes_ppi as module

    data = _binary(np.random.default_rng(8), 300, 700)
    whole = bayes_ppi(data, 1, 0, draws=10000, seed=2)
    monkeypatch.setattr(module, "BLOCK_SIZE", 1000 * 7)
    blocks = bayes_ppi(data, 1, 0, draws=10000, seed=2)
    assert blocks.mean == pytest.approx(whole.mean, abs=4 * whole.chosen.sd / np.sqrt(5000))
    assert blocks.chosen.sd == pytest.approx(whole.chosen.sd, rel=0.05)


def test_arm_mean_and_predictor_choice_and_warning() -> None:
    rng = np.random.default_rng(6)
    arm = rng.integers(0, 2, 300)
    y = (rng.random(300) < 0.3 + 0.3 * arm).astype(float)
    arm_u = rng.integers(0, 2, 1000)
    data = MixedSubjectsData(
        Units(arm, {"good": np.where(rng.random(300) < 0.9, y, 1 - y),
                    "noise": rng.integers(0, 2, 300).astype(float)}, y),
        Units(arm_u, {"good": (rng.random(1000) < 0.3 + 0.3 * arm_u).astype(float),
                      "noise": rng.integers(0, 2, 1000).astype(float)}))
    fit = bayes_ppi(data, 1, 0)
    assert (fit.choice, fit.chosen.predictor) == ("smallest_interval", "good")
    assert len(fit.warnings) == 1 and fit.warnings[0].startswith("noise's predictions are ")
    named = bayes_ppi(data, 1, 0, predictor="noise")
    assert (named.choice, named.chosen.predictor) == ("named", "noise")
    treated_mean = bayes_ppi(data, 1)
    assert treated_mean.mean == pytest.approx(0.6, abs=0.06)


def test_hdi_is_the_shortest_interval() -> None:
    assert hdi(np.arange(1000.0), 0.95) == (0.0, 949.0)
    skewed = np.concatenate([np.zeros(900), np.linspace(1, 100, 100)])
    assert hdi(skewed, 0.9) == (0.0, 0.0)


def test_errors_are_plain() -> None:
    data = _binary(np.random.default_rng(7), 20, 40)
    for call, message in [
        (lambda: bayes_ppi(data, 1, 0, predictor="claude"),
         "no predictions from claude; the data have llm"),
        (lambda: bayes_ppi(data, 1, 0, draws=10), "needs at least 100 draws"),
        (lambda: bayes_ppi(data, 5, 0), "arm 5 needs at least 2 labelled units"),
    ]:
        with pytest.raises(MixedSubjectsError) as caught:
            call()
        assert str(caught.value) == message
