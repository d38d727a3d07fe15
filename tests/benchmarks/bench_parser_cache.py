"""Start-up cost of `transport check`: no parser cache, the per-user JSON cache, and lark's
own (pickle) cache.

`transport check FILE` runs as a subprocess, N runs per mode, the modes alternating so that
changes in load hit all alike:

- "no cache": `TRANSPORT_NO_CACHE=1`, the LALR parser is built from the grammar each run;
- "JSON cache": the default, the parser tables loaded from `$XDG_CACHE_HOME/transport`
  (a private temporary folder here, warmed first);
- "lark pickle cache": the same code with lark's `cache=` option injected through a
  wrapper (what transport did before; unsafe in a shared folder, measured for comparison).

    python tests/benchmarks/bench_parser_cache.py [FILE ...] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# every mode runs this script, so that they differ only in the cache
_MAIN = """
import sys
lark_cache = sys.argv.pop(1)
if lark_cache != "-":
    import lark
    _init = lark.Lark.__init__
    def _with_cache(self, grammar, **options):
        options["cache"] = lark_cache
        _init(self, grammar, **options)
    lark.Lark.__init__ = _with_cache
from transport.cli import main
sys.exit(main(sys.argv[1:]))
"""

MODES = ("no cache", "JSON cache", "lark pickle cache")


def _run(mode: str, file: str, folder: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(folder / "xdg"))
    lark_cache = "-"
    if mode != "JSON cache":
        env["TRANSPORT_NO_CACHE"] = "1"
    if mode == "lark pickle cache":
        lark_cache = str(folder / "lark.cache")
    command = [sys.executable, "-c", _MAIN, lark_cache, "check", file]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env, check=False, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("files", nargs="*",
                         default=["examples/framing/study.tdag", "examples/dictator/study.tdag"])
    options.add_argument("--runs", type=int, default=10)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"load average {os.getloadavg()[0]:.2f}; {args.runs} runs per mode; "
              "median (min) wall time")
        print("| file | " + " | ".join(MODES) + " |")
        print("|---|" + "---|" * len(MODES))
        for file in args.files:
            for mode in MODES:  # warm both caches and the file system
                _run(mode, file, folder)
            times: dict[str, list[float]] = {mode: [] for mode in MODES}
            for _ in range(args.runs):
                for mode in MODES:
                    times[mode].append(_run(mode, file, folder))
            cells = [f"{statistics.median(times[m]) * 1000:.0f} ms "
                     f"({min(times[m]) * 1000:.0f})" for m in MODES]
            print(f"| `{file}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
