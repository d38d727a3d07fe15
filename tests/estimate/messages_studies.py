"""Small studies, each built to make `transport estimate` say particular things, for the
rendered-message tests (test_messages_rendered.py). Every study is written under a folder the
test gives (pytest's tmp_path) and runs on the fast paths (the joint model or the exact
formula) unless its name says otherwise."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from synthesis_study import HEADER, rows

from transport.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

HEAD = HEADER  # z -> y <- x, z differing, as the other synthesis tests write it


def run(*args: object) -> tuple[int, str, str]:
    """`transport ARGS` as a user runs it: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, text: str, files: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in files.items():
        frame.to_csv(folder / name, index=False)
    path = folder / "study.tdag"
    path.write_text(text, encoding="utf-8")
    return path


def checked(folder: Path) -> Path:
    """A human and an LLM experiment on the same mechanism, a human covariate survey (so
    PPI++ from the LLM's cell means applies), a decision rule and the framing example's
    calibration."""
    rng = np.random.default_rng(2)
    files = {"llm.csv": rows(800, 0.0, rng), "human.csv": rows(300, 0.0, rng),
             "human_z.csv": rows(2000, 0.0, rng)[["z"]]}
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / "framing" / "gpt4_calibration.json", folder / "calibration.json")
    return write(folder, HEAD + """\
shared y for llm
data llm "llm.csv" experiment(x)
data human "human.csv" experiment(x)
data human "human_z.csv" observational measures(z)
calibration "calibration.json" for llm
decide transported if prob(effect > 0.05) > 0.95
estimate effect of x on y in human
""", files)


def tiny(folder: Path) -> Path:
    """Five human rows, an LLM whose rows enter nothing (its mechanism of y `differs`; an
    edge-level `shared z -> y` ties no whole mechanism) and a calibration file that is not
    there."""
    rng = np.random.default_rng(3)
    files = {"llm.csv": rows(200, 0.0, rng), "human.csv": rows(5, 0.0, rng)}
    return write(folder, HEAD + """\
differs y for llm
shared z -> y for llm
data llm "llm.csv" experiment(x)
data human "human.csv" experiment(x)
calibration "missing.json" for llm
decide transported if prob(effect > 0.05) > 0.95
estimate effect of x on y in human
""", files)


def sources_only(folder: Path, llm_shift: float = 0.0,
                 other: str = "partial y sd 0.3 for other") -> Path:
    """Two LLM experiments (one `shared`, one `partial`) and a human covariate survey with a
    covariate level the shared source never shows: no human rows inform the outcome."""
    rng = np.random.default_rng(3)
    files = {"llm.csv": rows(600, llm_shift, rng, (0.5, 0.5, 0.0)),
             "other.csv": rows(600, llm_shift, rng),
             "human_z.csv": rows(200, 0.0, rng)[["z"]]}
    return write(folder, HEAD.replace("population human target",
                                      "population other source\npopulation human target") + """\
shared y for llm
""" + other + """
data llm "llm.csv" experiment(x)
data other "other.csv" experiment(x)
data human "human_z.csv" observational measures(z)
estimate effect of x on y in human
""", files)


def one_source(folder: Path, shift: float, claim: str = "shared y for llm") -> Path:
    """One LLM experiment tied to the target by `claim` and a human covariate survey;
    `shift` moves the LLM's treatment coefficient (-1 is no effect at all)."""
    rng = np.random.default_rng(4)
    files = {"llm.csv": rows(500, shift, rng), "human_z.csv": rows(300, 0.0, rng)[["z"]]}
    return write(folder, HEAD + claim + """
data llm "llm.csv" experiment(x)
data human "human_z.csv" observational measures(z)
estimate effect of x on y in human
""", files)


def sources_disagree(folder: Path) -> Path:
    """Two LLMs both declared to share the outcome's mechanism with the target, whose
    treatment effects differ: with no human outcome rows, only they can be compared."""
    rng = np.random.default_rng(12)
    files = {"llm.csv": rows(1500, 0.0, rng), "other.csv": rows(1500, -1.5, rng),
             "human_z.csv": rows(200, 0.0, rng)[["z"]]}
    return write(folder, HEAD.replace("population human target",
                                      "population other source\npopulation human target") + """\
shared y
data llm "llm.csv" experiment(x)
data other "other.csv" experiment(x)
data human "human_z.csv" observational measures(z)
estimate effect of x on y in human
""", files)


def against_the_graph(folder: Path) -> Path:
    """Human observational rows in which x depends on z, where the graph says it does not."""
    rng = np.random.default_rng(5)
    files = {"llm.csv": rows(400, 0.0, rng), "human.csv": rows(600, 0.0, rng, experiment=False)}
    return write(folder, HEAD + """\
shared y for llm
data llm "llm.csv" experiment(x)
data human "human.csv" observational
estimate effect of x on y in human
""", files)


def contradicted(folder: Path) -> Path:
    """A human experiment whose treatment effect the shared LLM's contradicts."""
    rng = np.random.default_rng(6)
    files = {"llm.csv": rows(2000, -1.5, rng), "human.csv": rows(600, 0.0, rng)}
    return write(folder, HEAD + """\
shared y for llm
data llm "llm.csv" experiment(x)
data human "human.csv" experiment(x)
estimate effect of x on y in human
""", files)


EXACT_HEAD = HEAD + "x <-> z\n"


def exact(folder: Path, shift: float = 0.0, seed: int = 7, z: str = "differs z") -> Path:
    """`x <-> z` keeps the joint model out, so the transport formula is evaluated on exact
    posteriors; the human survey is clustered, a `model` statement is given and the latent
    common cause is declared shared; `z` is the claim on z's own mechanism."""
    rng = np.random.default_rng(seed)
    survey = rows(200, 0.0, rng)[["z"]]
    survey["person"] = np.arange(200) // 2
    files = {"llm.csv": rows(600, shift, rng), "human_z.csv": survey}
    return write(folder, EXACT_HEAD.replace("differs z", z) + """\
shared y for llm
shared x <-> z for llm
model y ~ x * z
data llm "llm.csv" experiment(x)
data human "human_z.csv" observational measures(z) cluster "person"
estimate effect of x on y in human
""", files)


def exact_checked(folder: Path, human_shift: float, human_n: int, seed: int = 8) -> Path:
    """The exact formula from the human rows alone, with the LLM's shared claim checked
    against them."""
    rng = np.random.default_rng(seed)
    files = {"llm.csv": rows(2000, 0.0, rng),
             "human.csv": rows(human_n, human_shift, rng, experiment=False)}
    return write(folder, EXACT_HEAD + """\
shared y for llm
data llm "llm.csv" experiment(x)
data human "human.csv" observational
estimate effect of x on y in human
""", files)


def predictions(folder: Path) -> Path:
    """Per-unit LLM predictions that carry no information, on clustered and weighted human
    rows."""
    rng = np.random.default_rng(9)
    labelled = rows(300, 0.0, rng)
    labelled["pred"] = rng.uniform(size=300).round(3)
    labelled["person"] = np.arange(300) // 3
    labelled["w"] = 1.0 + (np.arange(300) % 2)
    unlabelled = rows(900, 0.0, rng)[["z", "x"]]
    unlabelled["pred"] = rng.uniform(size=900).round(3)
    unlabelled["person"] = 100 + np.arange(900) // 3
    files = {"llm.csv": rows(300, 0.0, rng), "lab.csv": labelled, "unlab.csv": unlabelled}
    return write(folder, HEAD + """\
partial y sd 0.5 for llm
data llm "llm.csv" experiment(x)
data human "lab.csv" experiment(x)
  predictions { y by llm = "pred" }
  cluster "person"
  weight "w"
data human "unlab.csv" observational measures(x, z)
  predictions { y by llm = "pred" }
  cluster "person"
estimate effect of x on y in human
""", files)


def extrapolated(folder: Path) -> Path:
    """A continuous covariate whose human values run past the LLM rows' range (0 to 10)."""
    rng = np.random.default_rng(10)
    w = rng.integers(0, 11, 400)
    x = rng.integers(0, 2, 400)
    y = rng.binomial(1, 1 / (1 + np.exp(-(-1 + 0.1 * w + x))))
    files = {"llm.csv": pd.DataFrame({"w": w, "x": x, "y": y}),
             "hw.csv": pd.DataFrame({"w": rng.integers(0, 15, 300)})}
    return write(folder, """\
population llm   source
population human target
var w continuous
var x binary treatment
var y binary outcome
{w x} -> y
differs w
shared y for llm
data llm "llm.csv" experiment(x)
data human "hw.csv" observational measures(w)
estimate effect of x on y in human
""", files)
