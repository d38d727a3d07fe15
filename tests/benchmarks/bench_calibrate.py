"""Calibration: speed on 500 pairs, and held-out coverage on the bundled paired effects.

1. Speed: `run_calibration` on 500 simulated pairs (100 studies of 5 contrasts), 4,000
   draws of the exact posterior (no sampler without `--by`; see
   transport/calibrate/exact.py) and exact leave-one-study-out; wall time of the first and
   a second call in a fresh process.
2. Held-out coverage: the bundled GPT-4 pairs (`examples/paired_effects`), studies split at
   random in halves; fit on one half, predict the other half's human effects from their GPT-4
   effects and SEs, and count the human effects inside the 90% predictive intervals.
   Repeated for SPLITS random splits (seeds 0..SPLITS-1).

Run: python tests/benchmarks/bench_calibrate.py [SPLITS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

BUNDLED = ROOT / "examples" / "paired_effects" / "survey_experiments_llm_predictions.csv"
LEVEL = 0.9


def simulated_csv(folder: Path, n: int = 500, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 0.1, n)
    se = rng.uniform(0.01, 0.04, n)
    y = -0.01 + 0.5 * x + 0.05 * rng.standard_normal(n) + se * rng.standard_normal(n)
    lines = ["study,llm,human,se"] + [
        f"s{i // 5},{float(x[i])!r},{float(y[i])!r},{float(se[i])!r}" for i in range(n)
    ]
    path = folder / "sim500.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def speed(folder: Path) -> None:
    t0 = time.perf_counter()
    from transport.calibrate import run_calibration

    path = simulated_csv(folder)
    cols = {"llm": "llm", "human": "human", "se": "se", "id": "study"}
    for label in ("first call (cold)", "second call"):
        start = time.perf_counter()
        result = run_calibration(path, **cols, draws=1000, chains=4, cores=2, seed=0)
        wall = time.perf_counter() - start
        print(f"500 pairs, {label}: {wall:.1f} s; b = {result.slope['mean']:.3f}, "
              f"tau = {result.tau['mean']:.4f}, LOO coverage {result.loo_coverage:.3f}, "
              f"max k {result.loo.max_pareto_k:.2f}, refits {len(result.loo.refitted)}, "
              f"{result.sampler['name']}, rhat {result.convergence['max_rhat']}, "
              f"divergences {result.convergence['divergences']}")
    print(f"   (process total incl. imports: {time.perf_counter() - t0:.1f} s)")


def held_out(folder: Path, splits: int) -> None:
    import pandas as pd

    from transport.calibrate import run_calibration

    frame = pd.read_csv(BUNDLED)
    studies = np.array(sorted(frame["study"].unique()))
    shares = []
    for seed in range(splits):
        rng = np.random.default_rng(seed)
        train = set(rng.choice(studies, size=len(studies) // 2, replace=False))
        fit_rows = frame[frame["study"].isin(train)]
        test_rows = frame[~frame["study"].isin(train)]
        fit_path, test_path = folder / f"fit{seed}.csv", folder / f"test{seed}.csv"
        fit_rows.to_csv(fit_path, index=False)
        test_rows[["study", "pred:gpt-4", "human_se"]].to_csv(test_path, index=False)
        result = run_calibration(fit_path, llm="pred:gpt-4", human="human_effect",
                                 se="human_se", id="study", predict=test_path, level=LEVEL,
                                 seed=seed)
        lo = np.array([p["lo"] for p in result.predictions])
        hi = np.array([p["hi"] for p in result.predictions])
        y = test_rows["human_effect"].to_numpy()
        share = float(((y >= lo) & (y <= hi)).mean())
        shares.append(share)
        print(f"split {seed}: fit {len(fit_rows)} pairs / {len(train)} studies, held out "
              f"{len(test_rows)} pairs: {share:.1%} inside the {LEVEL:.0%} intervals "
              f"(b = {result.slope['mean']:.3f}, LOO coverage on the fit half "
              f"{result.loo_coverage:.1%})")
    print(f"held-out coverage over {splits} splits: mean {np.mean(shares):.1%}, "
          f"range {min(shares):.1%}-{max(shares):.1%}")


def main() -> None:
    splits = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        speed(folder)
        held_out(folder, splits)


if __name__ == "__main__":
    main()
