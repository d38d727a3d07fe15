"""Speed and memory of the exact estimation path on 1,000,000 rows.

Writes the framing example's study beside a 1,000,000-row LLM file (and the example's human
survey), then times, in a fresh process each: reading and validating the data, and the whole
`estimate_study` (identification, counting, posterior draws, source effects, assumption
checks, robustness curve). Peak memory is the child process's maximum resident set size.

Run: python tests/benchmarks/bench_estimate_speed.py [ROWS]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "framing"

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
import transport
from transport.data.load import load_study_data
from transport.estimate.run import estimate_study
study = transport.load(sys.argv[1])
t0 = time.perf_counter()
load_study_data(study)
t1 = time.perf_counter()
result = estimate_study(study)
t2 = time.perf_counter()
print(json.dumps({
    "load_seconds": t1 - t0,
    "estimate_seconds": t2 - t1,
    "total_seconds": t2 - start,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "effect": result.effect.mean,
}))
"""


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        shutil.copytree(EXAMPLE / "data", folder / "data")
        shutil.copy(EXAMPLE / "study.tdag", folder / "study.tdag")
        base = pd.read_csv(EXAMPLE / "data" / "gpt_runs.csv")
        rng = np.random.default_rng(0)
        big = base.iloc[rng.integers(0, len(base), rows)].reset_index(drop=True)
        big.to_csv(folder / "data" / "gpt_runs.csv", index=False)
        size = (folder / "data" / "gpt_runs.csv").stat().st_size / 1e6
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder / "study.tdag")],
            capture_output=True, text=True, check=True,
        )
        figures = json.loads(out.stdout)
    print(f"rows in the LLM file: {rows:,} ({size:.1f} MB CSV)")
    print(f"read + validate all data files: {figures['load_seconds']:.2f} s")
    print(f"estimate_study (identify, read, count, 4000 draws, checks, robustness): "
          f"{figures['estimate_seconds']:.2f} s")
    print(f"whole child process incl. imports: {figures['total_seconds']:.2f} s")
    print(f"peak resident memory: {figures['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
