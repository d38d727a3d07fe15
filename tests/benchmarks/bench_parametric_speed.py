"""Speed of the parametric (PyMC/nutpie) path and of `calibrate` (issue 11, item 2).

Prints, each measured in a fresh child process unless said otherwise:

1. `examples/persona_age` forced onto the parametric path (`parametric_estimate`, the
   entry `estimate` reaches through `_parametric_path`; nutpie, 2 chains x 500 draws as in
   the file): the sampler's own sampling time (`nutpie.sample` on the already compiled
   model), the first call in a process (compilation included), a re-estimate in the same
   process and a refit on 90% of the rows (same structure: no compilation; the number of
   compilations is printed), each as a ratio to the sampling time; then a second fresh
   process after the first compiled the model (ratio to its imports + 5 s). With
   `--cold` also a process with an empty PyTensor compile directory.
2. The zEpid-shaped study (`examples/zepid_generalize`, continuous W) on the parametric
   path (its file's sampler, PyMC NUTS, 4 x 1000; and nutpie) against the exact path on
   the same rows with W dichotomised at its median (so that a counting formula exists),
   both warm (second call in the process).
3. `calibrate` on the bundled GPT-4 pairs: `run_calibration` (exact posterior, exact
   leave-one-study-out) against a REML fit of the same model, in one process (warm), and
   as fresh processes (`python -m transport calibrate` against a script that imports
   numpy and fits REML).

Run: python tests/benchmarks/bench_parametric_speed.py [--cold]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}

PERSONA = r"""
import dataclasses, json, sys, time
t0 = time.perf_counter()
import numpy as np
import transport
from transport.data.load import load_study_data
from transport.estimate import pymc_backend
from transport.estimate.parametric_run import parametric_estimate
import nutpie
t1 = time.perf_counter()
study = transport.load(sys.argv[1])
loaded = load_study_data(study)
out = {"imports": t1 - t0}
start = time.perf_counter()
first = parametric_estimate(study, loaded, 4815)
out["first"] = time.perf_counter() - start
if sys.argv[2] == "full":
    start = time.perf_counter()
    again = parametric_estimate(study, loaded, 4815)
    out["again"] = time.perf_counter() - start
    out["same_numbers"] = bool(np.array_equal(first.effect_draws, again.effect_draws))
    fewer = [dataclasses.replace(d, frame=d.frame.iloc[: int(0.9 * len(d.frame))])
             for d in loaded]
    start = time.perf_counter()
    parametric_estimate(study, fewer, 4815)
    out["refit_90pct"] = time.perf_counter() - start
    entry = next(iter(pymc_backend._CACHE.values()))
    out["compilations"] = dict(entry.compiled)
    compiled = pymc_backend._nutpie(entry)
    s = study.fit
    start = time.perf_counter()
    nutpie.sample(compiled, draws=s.draws, tune=s.tune, chains=s.chains, cores=s.cores,
                  seed=1, progress_bar=False)
    out["sampling"] = time.perf_counter() - start
print(json.dumps(out))
"""

ZEPID = r"""
import json, sys, time, dataclasses
import transport
from transport.data.load import load_study_data
from transport.estimate.parametric_run import parametric_estimate
from transport.estimate.run import estimate_study
out = {}
study = transport.load(sys.argv[1])
loaded = load_study_data(study)
for sampler in ("pymc", "nutpie"):
    s = dataclasses.replace(study, fit=dataclasses.replace(study.fit, sampler=sampler))
    for label in ("first", "warm"):
        start = time.perf_counter()
        parametric_estimate(s, loaded, 1)
        out[f"parametric_{sampler}_{label}"] = time.perf_counter() - start
binned = transport.load(sys.argv[2])
for label in ("first", "warm"):
    start = time.perf_counter()
    result = estimate_study(binned, seed=1, checks=False)
    out[f"exact_{label}"] = time.perf_counter() - start
out["exact_method"] = result.method
print(json.dumps(out))
"""

CALIBRATE = r"""
import json, sys, time
from transport.calibrate import run_calibration
from transport.calibrate.exact import reml
from transport.calibrate.pairs import load_pairs
cols = dict(llm="pred:gpt-4", human="human_effect", se="human_se", id="study")
out = {}
for label in ("first", "warm"):
    start = time.perf_counter()
    run_calibration(sys.argv[1], **cols)
    out[f"calibrate_{label}"] = time.perf_counter() - start
pairs = load_pairs(sys.argv[1], **cols, by=None)
start = time.perf_counter()
for _ in range(20):
    fit = reml(pairs.x, pairs.y, pairs.se)
out["reml"] = (time.perf_counter() - start) / 20
start = time.perf_counter()
for _ in range(5):
    run_calibration(sys.argv[1], **cols)
out["calibrate_warm5"] = (time.perf_counter() - start) / 5
print(json.dumps(out))
"""

REML_PROCESS = r"""
import sys
import numpy as np
import pandas as pd
from transport.calibrate.exact import reml
frame = pd.read_csv(sys.argv[1])
fit = reml(frame["pred:gpt-4"].to_numpy(float), frame["human_effect"].to_numpy(float),
           frame["human_se"].to_numpy(float))
print(fit.a, fit.b, fit.tau)
"""


def child(code: str, *args: str, env: dict | None = None) -> tuple[dict, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env or ENV, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "{}"
    try:
        return json.loads(last), wall
    except json.JSONDecodeError:
        return {"stdout": last}, wall


def persona(cold: bool) -> None:
    study = str(ROOT / "examples" / "persona_age" / "study.tdag")
    print("1. persona_age, parametric path (nutpie, 2 chains x 500 draws + 500 tune)")
    if cold:
        with tempfile.TemporaryDirectory() as folder:
            env = {**ENV, "PYTENSOR_FLAGS": f"base_compiledir={folder}"}
            got, wall = child(PERSONA, study, "first", env=env)
        print(f"   cold process (empty PyTensor compile dir): imports {got['imports']:.1f} s, "
              f"estimate {got['first']:.1f} s, process {wall:.1f} s")
    got, wall = child(PERSONA, study, "full")
    sampling = got["sampling"]
    print(f"   sampler's own sampling time (nutpie.sample, compiled model): {sampling:.2f} s")
    print(f"   first call in a process: {got['first']:.1f} s ({got['first'] / sampling:.1f}x)")
    print(f"   re-estimate, same process: {got['again']:.2f} s "
          f"({got['again'] / sampling:.1f}x sampling; same draws: {got['same_numbers']})")
    print(f"   refit on 90% of the rows, same process: {got['refit_90pct']:.2f} s "
          f"({got['refit_90pct'] / sampling:.1f}x); compilations: {got['compilations']}")
    got, wall = child(PERSONA, study, "first")
    budget = got["imports"] + 5.0
    print(f"   fresh process after compilation: imports {got['imports']:.1f} s, estimate "
          f"{got['first']:.1f} s; imports + estimate {got['imports'] + got['first']:.1f} s "
          f"against imports + 5 s = {budget:.1f} s "
          f"({(got['imports'] + got['first']) / budget:.2f}x)")


def zepid() -> None:
    example = ROOT / "examples" / "zepid_generalize"
    print("2. zEpid-shaped study: parametric path vs the exact path on the same rows")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        shutil.copytree(example / "data", folder / "data")
        import pandas as pd

        trial = pd.read_csv(folder / "data" / "trial.csv")
        target = pd.read_csv(folder / "data" / "target.csv")
        cut = float(pd.concat([trial["W"], target["W"]]).median())
        for frame, name in ((trial, "trial.csv"), (target, "target.csv")):
            frame["W"] = (frame["W"] > cut).astype(int)
            frame.to_csv(folder / "data" / name, index=False)
        text = (example / "study.tdag").read_text(encoding="utf-8")
        text = text.replace('var W continuous', 'var W binary')
        (folder / "binned.tdag").write_text(text, encoding="utf-8")
        got, _ = child(ZEPID, str(example / "study.tdag"), str(folder / "binned.tdag"))
    exact = got["exact_warm"]
    print(f"   exact path (W dichotomised), warm: {exact:.2f} s (first {got['exact_first']:.2f}"
          f" s; {got['exact_method'][:60]}...)")
    for sampler in ("pymc", "nutpie"):
        warm, first = got[f"parametric_{sampler}_warm"], got[f"parametric_{sampler}_first"]
        print(f"   parametric ({sampler}, 4 x 1000), warm: {warm:.1f} s ({warm / exact:.1f}x "
              f"exact); first call {first:.1f} s")


def calibrate() -> None:
    pairs = str(ROOT / "examples" / "paired_effects" / "survey_experiments_llm_predictions.csv")
    print("3. calibrate, bundled GPT-4 pairs (469 pairs, 70 studies)")
    got, _ = child(CALIBRATE, pairs)
    ratio = got["calibrate_warm5"] / got["reml"]
    print(f"   in one process: run_calibration {got['calibrate_warm5'] * 1000:.0f} ms "
          f"(first {got['calibrate_first'] * 1000:.0f} ms), REML {got['reml'] * 1000:.2f} ms "
          f"({ratio:.0f}x)")
    cli = [sys.executable, "-m", "transport", "calibrate", pairs, "--llm", "pred:gpt-4",
           "--human", "human_effect", "--se", "human_se", "--id", "study", "--format", "json"]
    start = time.perf_counter()
    subprocess.run(cli, capture_output=True, check=True, env=ENV, cwd=ROOT)
    command = time.perf_counter() - start
    _, reml_wall = child(REML_PROCESS, pairs)
    print(f"   fresh processes: transport calibrate {command:.2f} s, a REML script "
          f"(numpy, pandas) {reml_wall:.2f} s ({command / reml_wall:.1f}x)")


def main() -> None:
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; load "
          f"{os.getloadavg()[0]:.1f} at start")
    persona("--cold" in sys.argv)
    zepid()
    calibrate()
    print(f"load at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
