"""Fixtures for calibration tests: the bundled paired effects and small CSVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "examples" / "paired_effects" / "survey_experiments_llm_predictions.csv"
GPT4 = {"llm": "pred:gpt-4", "human": "human_effect", "se": "human_se", "id": "study"}


@pytest.fixture
def bundled() -> Path:
    return BUNDLED


@pytest.fixture
def write_csv(tmp_path: Path):
    """write_csv(text, name="pairs.csv") -> path of a CSV holding `text`."""

    def write(text: str, name: str = "pairs.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def simulate_pairs(n: int, a: float, b: float, tau: float, seed: int, studies: int = 0):
    """Paired effects from the model itself: x ~ N(0, 0.1), theta = a + b x + tau e,
    se ~ U(0.01, 0.04), y ~ N(theta, se); `studies` > 0 groups rows into studies."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 0.1, n)
    se = rng.uniform(0.01, 0.04, n)
    y = a + b * x + tau * rng.standard_normal(n) + se * rng.standard_normal(n)
    study = [f"s{i % studies}" if studies else f"r{i}" for i in range(n)]
    return x, y, se, study


def pairs_csv_text(x, y, se, study) -> str:
    lines = ["study,llm,human,se"]
    lines += [f"{s},{float(xi)!r},{float(yi)!r},{float(si)!r}"
              for s, xi, yi, si in zip(study, x, y, se, strict=True)]
    return "\n".join(lines) + "\n"
