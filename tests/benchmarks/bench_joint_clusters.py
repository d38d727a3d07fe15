"""Coverage of the joint model's 95% interval with clustered rows and with per-unit
predictions (synthesis/effective.py), on simulated studies.

* between: a cluster-randomised design. 100 human respondents, each in one arm, answer 6
  items; an LLM source (`shared y`) has 60 personas, each in one arm, answering 10 runs.
  Respondents' and personas' answers share a random intercept (sd 1.2 on the log-odds) and a
  binary trait z. Intervals that treat rows as independent (no `cluster` clause) against
  intervals with the clauses.
* within: the same, but the treatment is randomised per row, so every cluster spans both
  arms: the per-cell design effect then ignores that the cluster's intercept cancels in
  the contrast (docs/estimation.md), and the clustered interval is expected to over-cover.
* conjoint: examples/conjoint/generate.py's model (respondents x 6 paired-profile tasks,
  the two profiles of a task complementary, a respondent's tasks sharing their taste; 100
  labelled respondents, 400 with GPT-4o's predictions only; ages sampled with the
  population's shares, so no weights): the joint model on the labelled rows with rows
  independent, with respondent clusters, and with clusters and the predictions.
* predictions: 300 labelled human rows and 2,700 unlabelled ones, an LLM's 0/1 prediction
  per row that is right 85% of the time; no source rows. The interval with the
  predictions (prediction-powered statistics) against the labelled rows alone.

Truth: the target's E[y | do(x=1)] - E[y | do(x=0)], marginal over the random intercept
(Gauss-Hermite) and the target's z distribution.

Run: python tests/benchmarks/bench_joint_clusters.py [STUDIES] [SEED]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from transport.api import load  # noqa: E402
from transport.data.load import load_study_data  # noqa: E402
from transport.estimate.summary import hdi  # noqa: E402
from transport.estimate.synthesis.joint import JointModel, effect_draws  # noqa: E402

DRAWS = 1000
A, B, C, SD = -0.4, 0.6, 0.7, 1.2
P_Z_HUMAN, P_Z_LLM = 0.4, 0.6

HEADER = """\
population llm   source
population human target
var z binary
var x binary treatment
var y binary outcome
{z x} -> y
differs z
"""


def marginal(x: float, z: float) -> float:
    """P(y = 1 | x, z) averaged over the random intercept."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    return float(np.sum(weights * special.expit(A + B * z + C * x + SD * nodes))
                 / np.sqrt(2 * np.pi))


def clustered_truth() -> float:
    return sum(p * (marginal(1, z) - marginal(0, z))
               for z, p in ((0, 1 - P_Z_HUMAN), (1, P_Z_HUMAN)))


def clusters(rng: np.random.Generator, count: int, size: int, p_z: float, within: bool
             ) -> pd.DataFrame:
    z = np.repeat(rng.binomial(1, p_z, count), size)
    u = np.repeat(rng.normal(0, SD, count), size)
    x = rng.integers(0, 2, count * size) if within else np.repeat(rng.integers(0, 2, count),
                                                                  size)
    y = rng.binomial(1, special.expit(A + B * z + C * x + u))
    return pd.DataFrame({"z": z, "x": x, "y": y, "id": np.repeat(np.arange(count), size)})


def study_text(clustered: bool) -> str:
    clause = ' cluster "id"' if clustered else ""
    return (HEADER + "shared y for llm\n"
            + f'data llm "llm.csv" experiment(x) measures(z, x, y){clause}\n'
            + f'data human "human.csv" experiment(x) measures(z, x, y){clause}\n'
            + "estimate effect of x on y in human\n")


def interval(study, seed: int) -> tuple[float, float]:
    loaded = load_study_data(study)
    model = JointModel.build(study, loaded, seed=seed)
    return hdi(effect_draws(study, model.draw(DRAWS, seed)))


def clustered_scenario(studies: int, seed: int, within: bool) -> dict:
    truth = clustered_truth()
    rng = np.random.default_rng(seed)
    found = {"independent": [], "clustered": []}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        variants = {}
        for name, flag in (("independent", False), ("clustered", True)):
            (base / name).mkdir()
            (base / name / "study.tdag").write_text(study_text(flag))
        for index in range(studies):
            human = clusters(rng, 100, 6, P_Z_HUMAN, within)
            llm = clusters(rng, 60, 10, P_Z_LLM, within)
            for name in found:
                human.to_csv(base / name / "human.csv", index=False)
                llm.to_csv(base / name / "llm.csv", index=False)
                if name not in variants:
                    variants[name] = load(base / name / "study.tdag")
                found[name].append(interval(variants[name], seed + index))
    return summarise(found, truth)


def powered_truth() -> float:
    return sum(p * (special.expit(A + B * z + C) - special.expit(A + B * z))
               for z, p in ((0, 1 - P_Z_HUMAN), (1, P_Z_HUMAN)))


POWERED = HEADER + """\
data llm "llm.csv" experiment(x) measures(z, x, y)
data human "lab.csv" experiment(x) measures(z, x, y) predictions { y by llm = "f" }
"""


def powered_scenario(studies: int, seed: int) -> dict:
    truth = powered_truth()
    rng = np.random.default_rng(seed)
    found = {"labelled only": [], "with predictions": []}
    texts = {
        "labelled only": POWERED + "estimate effect of x on y in human\n",
        "with predictions": POWERED + 'data human "unl.csv" experiment(x) measures(z, x) '
        'predictions { y by llm = "f" }\nestimate effect of x on y in human\n',
    }
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        variants = {}
        for index in range(studies):
            n = 3000
            z = rng.binomial(1, P_Z_HUMAN, n)
            x = rng.integers(0, 2, n)
            y = rng.binomial(1, special.expit(A + B * z + C * x))
            f = np.where(rng.random(n) < 0.85, y, 1 - y)
            frame = pd.DataFrame({"z": z, "x": x, "y": y, "f": f})
            for name, text in texts.items():
                (base / name).mkdir(exist_ok=True)
                frame.iloc[:300].to_csv(base / name / "lab.csv", index=False)
                frame.iloc[300:].drop(columns="y").to_csv(base / name / "unl.csv", index=False)
                # the llm population has rows, but its y mechanism is not tied to the target's
                frame.iloc[:50].drop(columns="f").to_csv(base / name / "llm.csv", index=False)
                if name not in variants:
                    (base / name / "study.tdag").write_text(text)
                    variants[name] = load(base / name / "study.tdag")
                found[name].append(interval(variants[name], seed + index))
    return summarise(found, truth)


CONJOINT = """\
population gpt4o source
population human target
var more  binary        treatment
var saved binary        outcome
var age   ordinal(1..6)
{more age} -> saved
data human "labelled.csv" experiment(more) measures(more, age, saved)CLAUSES
"""
UNLABELLED = ('data human "unlabelled.csv" observational measures(more, age)'
              ' predictions { saved by gpt4o = "gpt4o_saved" } cluster "respondent_id"\n')


def conjoint_scenario(studies: int, seed: int) -> dict:
    sys.path.insert(0, str(ROOT / "examples" / "conjoint"))
    from generate import POPULATION_SHARE, simulate, true_effect

    truth = true_effect("more")
    rng = np.random.default_rng(seed)
    texts = {
        "rows independent": CONJOINT.replace("CLAUSES", ""),
        "respondent clusters": CONJOINT.replace("CLAUSES", ' cluster "respondent_id"'),
        "clusters + predictions": CONJOINT.replace(
            "CLAUSES", ' predictions { saved by gpt4o = "gpt4o_saved" } '
            'cluster "respondent_id"') + UNLABELLED,
    }
    found = {name: [] for name in texts}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        variants = {}
        for index in range(studies):
            study = simulate(rng, "more", 100, 400, 6, shares=POPULATION_SHARE)
            for name, text in texts.items():
                (base / name).mkdir(exist_ok=True)
                pd.DataFrame(study["labelled"]).to_csv(base / name / "labelled.csv",
                                                       index=False)
                pd.DataFrame(study["unlabelled"]).drop(columns="saved", errors="ignore").to_csv(
                    base / name / "unlabelled.csv", index=False)
                if name not in variants:
                    (base / name / "study.tdag").write_text(
                        text + "estimate effect of more on saved in human\n")
                    variants[name] = load(base / name / "study.tdag")
                found[name].append(interval(variants[name], seed + index))
    return summarise(found, truth)


def summarise(found: dict, truth: float) -> dict:
    out = {}
    for name, intervals in found.items():
        array = np.asarray(intervals)
        covered = (array[:, 0] <= truth) & (truth <= array[:, 1])
        out[name] = (float(covered.mean()), float(np.mean(array[:, 1] - array[:, 0])),
                     len(array))
    return out


def main() -> None:
    studies = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    for title, run in (
        ("between (cluster-randomised)", lambda: clustered_scenario(studies, seed, False)),
        ("within (row-randomised)", lambda: clustered_scenario(studies, seed + 1, True)),
        ("conjoint (paired profiles, respondent clusters)",
         lambda: conjoint_scenario(studies, seed + 3)),
        ("predictions (85% accurate, 300 labelled + 2,700 unlabelled)",
         lambda: powered_scenario(studies, seed + 2)),
    ):
        start = time.perf_counter()
        result = run()
        print(f"{title}: {time.perf_counter() - start:.0f} s")
        for name, (coverage, width, count) in result.items():
            se = np.sqrt(coverage * (1 - coverage) / count)
            print(f"  {name:18s} coverage {coverage:.3f} (± {1.96 * se:.3f}, {count} studies)"
                  f"  mean width {width:.3f}")


if __name__ == "__main__":
    main()
