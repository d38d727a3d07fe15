"""Coverage of the frequentist cross-check's bootstrap intervals in simulation.

A trial whose membership depends on z and z² (logistic), a target sample of the others, a
binary outcome whose treatment effect depends on z through a U shape; the models are the
study-level defaults for one continuous covariate (sampling: z, z²; outcome: the same,
each interacted with the treatment). The true transported effect is the target
population's mean risk difference (Monte Carlo over 2,000,000 draws). For each of R seeds:
IPSW, g-transport and AIPSW point estimates with 95% percentile intervals from B bootstrap
replicates; reported: coverage, bias, RMSE and mean interval width.

Run: python tests/benchmarks/bench_frequentist.py [R] [B]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from transport.estimate.frequentist import (  # noqa: E402
    TransportSample,
    cross_check,
    default_terms,
)

N = 3000


def _membership(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(-1.5 + 0.6 * z * z - 0.5 * z)))


def _risk(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(-0.5 + 0.6 * z + a * (0.2 + 0.5 * z * z))))


def truth() -> float:
    rng = np.random.default_rng(0)
    z = rng.normal(size=2_000_000)
    out = rng.random(z.size) >= _membership(z)
    zt = z[out]
    return float(np.mean(_risk(zt, np.ones_like(zt)) - _risk(zt, np.zeros_like(zt))))


def simulate(seed: int) -> TransportSample:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=N)
    in_trial = rng.random(N) < _membership(z)
    treated = np.where(in_trial, rng.integers(0, 2, N), 0).astype(float)
    y = np.where(in_trial, rng.random(N) < _risk(z, treated), 0).astype(float)
    return TransportSample(in_trial, treated, y, {"z": z}, "a", True)


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    boots = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    target = truth()
    sampling, outcome = default_terms(("z",), ("z",), "a")
    start = time.perf_counter()
    rows: dict[str, list[tuple[float, float, float]]] = {"ipsw": [], "g_transport": [],
                                                         "aipsw": []}
    trial_sizes = []
    for seed in range(reps):
        sample = simulate(seed)
        trial_sizes.append(int(sample.in_trial.sum()))
        result = cross_check(sample, sampling, outcome, bootstrap=boots, seed=seed)
        for key in rows:
            estimate = getattr(result, key)
            rows[key].append((estimate.estimate, *estimate.ci_95))
    print(f"R = {reps} seeds, B = {boots} bootstrap replicates, n = {N} "
          f"(trial {np.mean(trial_sizes):.0f} on average); true effect {target:.4f}")
    for key, values in rows.items():
        v = np.array(values)
        covered = np.mean((v[:, 1] <= target) & (target <= v[:, 2]))
        bias = np.mean(v[:, 0]) - target
        rmse = np.sqrt(np.mean((v[:, 0] - target) ** 2))
        width = np.mean(v[:, 2] - v[:, 1])
        print(f"  {key:<12} coverage {covered:.3f}  bias {bias:+.4f}  RMSE {rmse:.4f}  "
              f"mean width {width:.3f}")
    print(f"{time.perf_counter() - start:.1f} s ({(time.perf_counter() - start) / reps:.2f} "
          "s per seed)")


if __name__ == "__main__":
    main()
