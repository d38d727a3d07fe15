"""The parametric model's structure, with prior draws only (no NUTS; sampling is in
test_parametric_slow.py)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymc")

import transport  # noqa: E402
from transport.data.load import load_study_data  # noqa: E402
from transport.errors import DataError  # noqa: E402
from transport.estimate import mechanism_draws as draws_math  # noqa: E402
from transport.estimate import mechanisms as mech  # noqa: E402
from transport.estimate import parametric  # noqa: E402
from transport.estimate import pymc_backend as backend  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def studies():
    out = {}
    for name in ("minimum_wage", "dictator", "framing"):
        study = transport.load(EXAMPLES / name / "study.tdag")
        out[name] = (study, load_study_data(study))
    return out


def _prior(study, loaded, draws=2000, seed=1, **kwargs):
    spec = mech.build_spec(study, loaded, **kwargs)
    model = backend.build_model(spec)
    prior = backend.sample_prior(model, spec, draws, seed)
    return spec, model, backend.flat_draws(prior.prior, backend.parameter_names(spec))


def _free(model) -> set[str]:
    return {v.name for v in model.free_RVs}


def _det(model) -> set[str]:
    return {v.name for v in model.deterministics}


# --- which parameters are tied --------------------------------------------------------


def test_shared_mechanism_is_one_parameter_set(studies):
    study, loaded = studies["minimum_wage"]
    spec, model, draws = _prior(study, loaded)
    assert spec.mechanisms["hire_experienced"].ties["gpt"].mode == "same"
    for block in ("alpha", "beta"):
        source = mech.param_name("hire_experienced", "gpt", block)
        target = mech.param_name("hire_experienced", "human", block)
        assert source in _det(model) and source not in _free(model)
        assert target in _free(model)
        np.testing.assert_array_equal(draws[source], draws[target])


def test_differing_mechanism_has_independent_parameters(studies):
    study, loaded = studies["minimum_wage"]
    spec, model, draws = _prior(study, loaded)
    assert spec.mechanisms["skill_level"].ties["gpt"].mode == "free"
    for block in ("alpha", "beta"):
        source = mech.param_name("skill_level", "gpt", block)
        target = mech.param_name("skill_level", "human", block)
        assert {source, target} <= _free(model)
        r = np.corrcoef(draws[source].ravel(), draws[target].ravel())[0, 1]
        assert abs(r) < 0.1


def test_treatment_mechanism_is_not_fitted_from_experiments(studies):
    study, loaded = studies["minimum_wage"]
    spec = mech.build_spec(study, loaded)
    assert "wage_floor" not in spec.mechanisms  # randomized in every data statement


def test_partial_shift_prior_sd_is_the_declared_sd(studies):
    study, loaded = studies["framing"]
    spec, model, draws = _prior(study, loaded, draws=4000)
    tie = spec.mechanisms["choose_risky"].ties["claude"]
    assert tie.mode == "shift" and tie.sd == pytest.approx(0.3)
    shift = model["choose_risky__claude__beta_shift"]
    sigma = shift.owner.inputs[-1].eval()
    np.testing.assert_allclose(sigma, 0.3)
    diff = draws["choose_risky__claude__beta"] - draws["choose_risky__human__beta"]
    assert np.std(diff) == pytest.approx(0.3, rel=0.05)
    # gpt shares the mechanism outright: no shift at all
    np.testing.assert_array_equal(draws["choose_risky__gpt__beta"],
                                  draws["choose_risky__human__beta"])


def test_two_sources_sharing_with_the_target_share_with_each_other(studies):
    study, loaded = studies["dictator"]
    text = (EXAMPLES / "dictator" / "study.tdag").read_text()
    text = text.replace("differs share_given for llama", "shared share_given for llama")
    study2 = dataclasses.replace(transport.loads(text), path=study.path)
    _, _, draws = _prior(study2, loaded, draws=200)
    np.testing.assert_array_equal(draws["share_given__gpt__beta"],
                                  draws["share_given__llama__beta"])


def test_edge_level_sharing_ties_only_that_parents_coefficients(studies):
    study, loaded = studies["dictator"]
    spec, model, draws = _prior(study, loaded)
    m = spec.mechanisms["share_given"]
    tie = m.ties["llama"]
    assert tie.mode == "free"
    labels = [m.encoding.labels[j] for j in tie.tied_columns]
    assert labels == ["age_group[middle]", "age_group[older]"]
    llama, human = draws["share_given__llama__beta"], draws["share_given__human__beta"]
    tied = list(tie.tied_columns)
    untied = [j for j in range(m.encoding.width) if j not in tied]
    np.testing.assert_array_equal(llama[:, tied], human[:, tied])
    assert not np.allclose(llama[:, untied], human[:, untied])
    # the intercept and the residual sd differ too
    assert "share_given__llama__alpha" in _free(model)
    assert "share_given__llama__log_sigma" in _free(model)


def test_shift_scale_relaxes_shared_mechanisms(studies):
    study, loaded = studies["minimum_wage"]
    spec, model, draws = _prior(study, loaded, draws=4000, shift_scale=0.5)
    tie = spec.mechanisms["hire_experienced"].ties["gpt"]
    assert (tie.mode, tie.sd) == ("shift", 0.5)
    diff = draws["hire_experienced__gpt__alpha"] - draws["hire_experienced__human__alpha"]
    assert np.std(diff) == pytest.approx(0.5, rel=0.07)
    # one mechanism at a time
    spec = mech.build_spec(study, loaded, shift_scale={"budget": 0.2})
    assert spec.mechanisms["hire_experienced"].ties["gpt"].mode == "same"
    with pytest.raises(DataError, match="unknown"):
        mech.build_spec(study, loaded, shift_scale={"nope": 0.2})


# --- sufficient statistics ------------------------------------------------------------


@pytest.mark.slow  # 13-35 s per study (PyMC model compilation)
@pytest.mark.parametrize("name", ["minimum_wage", "dictator", "framing"])
def test_aggregated_cells_have_the_rows_log_likelihood(studies, name):
    study, loaded = studies[name]
    spec = mech.build_spec(study, loaded)
    rows = mech.build_spec(study, loaded, aggregate_rows=False)
    cells = backend.build_model(spec, aggregate=True)
    every = backend.build_model(rows, aggregate=False)
    assert sum(c.n_cells for m in spec.mechanisms.values() for c in m.cells.values()) < sum(
        c.n_cells for m in rows.mechanisms.values() for c in m.cells.values()) / 10
    rng = np.random.default_rng(3)
    for _ in range(3):
        point = {v.name: rng.normal(0, 0.3, size=v.shape.eval()) for v in cells.free_RVs}
        assert backend.model_logp(cells, point) == pytest.approx(
            backend.model_logp(every, point), rel=1e-9)


def test_numpy_row_log_likelihood_matches_cells(studies):
    study, loaded = studies["dictator"]
    spec, _, draws = _prior(study, loaded, draws=5)
    for m in spec.mechanisms.values():
        for population, cells in m.cells.items():
            theta = draws_math.theta_of(draws, m, population)
            rows = draws_math.row_log_likelihood(m, theta, cells).sum(axis=1)
            cells_total = draws_math.cells_log_likelihood(m, theta, cells)
            np.testing.assert_allclose(rows, cells_total, rtol=1e-9)


# --- effect modification and the effect simulation -------------------------------------


def _least_squares_draws(spec):
    """A one-draw 'posterior': the gpt least-squares fit of share_given, for everyone."""
    m = spec.mechanisms["share_given"]
    cells = m.cells["gpt"]
    design = np.column_stack([np.ones(cells.n_rows), cells.rows_X])
    coef, *_ = np.linalg.lstsq(design, cells.rows_y, rcond=None)
    draws = {}
    for population in m.populations:
        draws[mech.param_name("share_given", population, "alpha")] = np.array([[coef[0]]])
        draws[mech.param_name("share_given", population, "beta")] = coef[1:].reshape(1, -1, 1)
        draws[mech.param_name("share_given", population, "log_sigma")] = np.array([[-2.0]])
    return draws


def test_design_has_treatment_by_covariate_interactions(studies):
    study, loaded = studies["minimum_wage"]
    m = mech.build_spec(study, loaded).mechanisms["hire_experienced"]
    labels = m.encoding.labels
    assert "wage_floor:budget[2]" in labels and "wage_floor:skill_level[expert]" in labels
    assert m.encoding.parents[[p.name for p in m.encoding.parents].index("wage_floor")].centre \
        == (0.0,)


def test_effect_modification_moves_the_transported_effect(studies):
    """The same mechanism averaged over people's covariates gives people's effect (the
    generator's transport estimate, 0.186), not gpt's own (0.126)."""
    study, loaded = studies["dictator"]
    spec = mech.build_spec(study, loaded)
    draws = _least_squares_draws(spec)
    rng = np.random.default_rng(0)
    human, where = parametric.simulate_effect(study, spec, loaded, draws, "human", (1, 0), rng)
    gpt, _ = parametric.simulate_effect(study, spec, loaded, draws, "gpt", (1, 0), rng)
    assert "human_survey.csv" in where
    assert gpt[0] == pytest.approx(0.126, abs=0.01)
    assert human[0] == pytest.approx(0.186, abs=0.01)


def test_simulated_covariates_match_empirical_ones(studies):
    """Without people's covariate file, covariates are simulated from the people's fitted
    mechanisms; fitted exactly (cell frequencies), the answer is the same."""
    study, loaded = studies["minimum_wage"]
    spec = mech.build_spec(study, loaded)
    rng = np.random.default_rng(1)
    draws = {}
    human = next(x for x in loaded if x.population == "human").frame
    # hire_experienced: any coefficients; budget, skill_level: people's frequencies
    m = spec.mechanisms["hire_experienced"]
    draws["hire_experienced__human__alpha"] = np.array([[0.2]])
    draws["hire_experienced__human__beta"] = rng.normal(0, 1, (1, m.encoding.width, 1))
    freq = human["budget"].value_counts(normalize=True).sort_index().to_numpy()
    cum = np.cumsum(freq)[:-1]
    cuts = np.log(cum / (1 - cum))
    draws["budget__human__cut"] = np.array([[cuts[0], np.log(cuts[1] - cuts[0])]])
    draws["budget__human__beta"] = np.zeros((1, 0, 1))
    sk = spec.mechanisms["skill_level"]
    table = human.groupby("budget", observed=True)["skill_level"].value_counts(normalize=True)
    probs = table.unstack().reindex(columns=["entry", "intermediate", "expert"]).to_numpy()
    logits = np.log(probs[:, 1:]) - np.log(probs[:, :1])  # per budget level
    centre = np.asarray(sk.encoding.parents[0].centre)
    beta = logits[1:] - logits[0]
    alpha = logits[0] + centre @ beta
    draws["skill_level__human__alpha"] = alpha[None]
    draws["skill_level__human__beta"] = beta[None]
    empirical, _ = parametric.simulate_effect(study, spec, loaded, draws, "human", (1, 0),
                                              np.random.default_rng(2))
    only_gpt = tuple(x for x in loaded if x.population != "human")
    simulated, where = parametric.simulate_effect(study, spec, only_gpt, draws, "human", (1, 0),
                                                  np.random.default_rng(2))
    assert where.startswith("all simulated")
    assert simulated[0] == pytest.approx(empirical[0], abs=0.02)


# --- what cannot be estimated ---------------------------------------------------------

LATENT_CONFOUNDER = """
population gpt source "G"
population human target "H"
var x binary treatment
var y binary outcome
var u latent
x -> y
u -> {x y}
shared y, u
data gpt "gpt.csv" experiment(x)
estimate effect of x on y in human
"""


def test_latent_common_cause_on_the_effect_path_is_a_data_error():
    study = transport.loads(LATENT_CONFOUNDER.replace("u -> {x y}", "u -> y\nz -> u\nvar z binary"))
    with pytest.raises(DataError, match="latent variable 'u'"):
        mech.build_spec(study, ())


def test_latent_root_with_one_child_is_absorbed(studies):
    study, loaded = studies["dictator"]
    spec = mech.build_spec(study, loaded)
    assert spec.mechanisms["share_given"].absorbed == ("altruism",)
    assert any("altruism" in note for note in spec.notes)


def test_unshared_target_mechanism_without_target_data_is_a_data_error(studies, tmp_path):
    study, _ = studies["minimum_wage"]
    folder = EXAMPLES / "minimum_wage"
    shutil.copytree(folder / "data", tmp_path / "data")
    text = (folder / "study.tdag").read_text()
    text = text.replace("shared hire_experienced", "differs hire_experienced")
    text = text.replace("measures(budget, skill_level, wage_floor, hire_experienced)",
                        "measures(budget, skill_level)").replace(
        'data human "data/human_employers.csv" experiment(wage_floor)',
        'data human "data/human_employers.csv" observational')
    (tmp_path / "study.tdag").write_text(text)
    study = transport.load(tmp_path / "study.tdag")
    with pytest.raises(DataError, match="no source with data shares it"):
        mech.build_spec(study, load_study_data(study))


def test_prior_only_fit_gives_prior_effect_draws(studies):
    study, loaded = studies["minimum_wage"]
    fit = parametric.fit_parametric(study, loaded, draws=200, tune=0, chains=2, seed=5,
                                    prior_only=True)
    assert fit.prior_only and fit.effect.shape == (400,)
    assert fit.prior_effect is fit.effect
    assert 0.05 < np.std(fit.effect) < 0.6  # a wide prior on a risk difference
    with pytest.raises(DataError):
        fit.log_likelihood_of("hire_experienced")


# --- other likelihoods: count mediator, ordinal outcome, continuous covariate -----------

MIXED = """
population llm source "L"
population human target "H"
var x binary treatment
var c continuous
var k count
var o ordinal(1..3) outcome
c -> k -> o
x -> {k o}
c -> o
shared o, k
differs c
data llm "llm.csv" experiment(x)
data human "human.csv" observational measures(c)
estimate effect of x on o in human
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    import pandas as pd

    folder = tmp_path_factory.mktemp("mixed")
    rng = np.random.default_rng(11)
    n = 300
    c = rng.normal(0, 1, n)
    x = rng.integers(0, 2, n)
    k = rng.poisson(np.exp(0.2 + 0.3 * c + 0.5 * x))
    latent = 0.8 * x + 0.4 * c + 0.3 * k + rng.logistic(size=n)
    o = 1 + (latent > 1.0).astype(int) + (latent > 2.5).astype(int)
    pd.DataFrame({"x": x, "c": c, "k": k, "o": o}).to_csv(folder / "llm.csv", index=False)
    pd.DataFrame({"c": rng.normal(1.0, 1, 200)}).to_csv(folder / "human.csv", index=False)
    (folder / "study.tdag").write_text(MIXED)
    study = transport.load(folder / "study.tdag")
    return study, load_study_data(study)


@pytest.mark.slow  # 6 s
def test_mixed_kinds_rows_and_cells_agree(mixed):
    study, loaded = mixed
    spec = mech.build_spec(study, loaded)
    assert spec.mechanisms["k"].kind == "count" and spec.mechanisms["o"].kind == "ordinal"
    assert "x:c" in spec.mechanisms["k"].encoding.labels  # mediator modified by c
    cells = backend.build_model(spec, aggregate=True)
    rows = backend.build_model(mech.build_spec(study, loaded, aggregate_rows=False),
                               aggregate=False)
    rng = np.random.default_rng(0)
    point = {v.name: rng.normal(0, 0.2, size=v.shape.eval()) for v in cells.free_RVs}
    assert backend.model_logp(cells, point) == pytest.approx(backend.model_logp(rows, point),
                                                             rel=1e-9)


def test_mixed_kinds_prior_effect_simulates_the_mediator(mixed):
    study, loaded = mixed
    fit = parametric.fit_parametric(study, loaded, draws=100, tune=0, chains=2, seed=1,
                                    prior_only=True)
    assert fit.effect.shape == (200,) and np.isfinite(fit.effect).all()
    assert np.abs(fit.effect).max() <= 2.0  # a difference in means of a 1..3 outcome
    again = parametric.fit_parametric(study, loaded, draws=100, tune=0, chains=2, seed=1,
                                      prior_only=True)
    np.testing.assert_array_equal(fit.effect, again.effect)
