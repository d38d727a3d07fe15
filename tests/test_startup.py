"""The commands that need no data stay light: no pandas (nor pyarrow, PyMC, matplotlib) is
imported by check, graph, identify, fmt or prereg, nor by `import transport` (the
benchmark tests/benchmarks/bench_startup.py times them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STUDY = ROOT / "examples" / "framing" / "study.tdag"
HEAVY = ("pandas", "pyarrow", "pymc", "pytensor", "arviz", "matplotlib", "scipy")

PROBE = f"""
import contextlib, io, json, sys
from transport.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}))
"""


def loaded_by(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("command", [
    ["check"], ["graph"], ["graph", "--format", "mermaid"], ["identify"],
    ["identify", "--format", "json"], ["fmt", "--check"], ["prereg"],
])
def test_no_heavy_module_is_imported(command):
    # the framing study has data files: prereg and identify must not read them
    assert loaded_by(*command, str(STUDY)) == {"code": 0, "loaded": []}


def test_import_transport_is_light():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = f"import sys, transport; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_graph_dot_needs_no_networkx():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = (f"import sys; from transport.cli import main; main(['graph', {str(STUDY)!r}]); "
            "print('networkx' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False"
