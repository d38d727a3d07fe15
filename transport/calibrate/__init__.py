"""Calibration: how LLM-predicted effects translate into human effects, from paired effects.

    result = run_calibration("pairs.csv", llm="pred:gpt-4", human="human_effect",
                             se="human_se", id="study")
    print(result.to_text()); json.dumps(result.to_json())

PyMC, nutpie, ArviZ and matplotlib are imported only when a function here runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["CalibrationResult", "calibrated_effect", "plot_calibration", "run_calibration"]

_WHERE = {
    "CalibrationResult": "transport.calibrate.result",
    "calibrated_effect": "transport.calibrate.propagate",
    "plot_calibration": "transport.calibrate.plot",
    "run_calibration": "transport.calibrate.run",
}

if TYPE_CHECKING:
    from transport.calibrate.plot import plot_calibration
    from transport.calibrate.propagate import calibrated_effect
    from transport.calibrate.result import CalibrationResult
    from transport.calibrate.run import run_calibration


def __getattr__(name: str) -> Any:
    """Load the public names on first use (keeps `import transport.calibrate` light)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'transport.calibrate' has no attribute '{name}'")
    from importlib import import_module

    return getattr(import_module(_WHERE[name]), name)
