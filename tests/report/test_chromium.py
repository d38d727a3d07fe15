"""The HTML report in a real browser (headless Chromium): every section is in the DOM, the
page logs no console messages, and the rendered page is not blank.

Skipped when no Chromium binary is found, unless the environment variable CI is set: CI
installs Chromium, so there a missing browser is a failure. Slow: run with `-m slow`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from report_fixtures import FRAMING, SECTION_IDS, planning_copy

from transport import write_report

pytestmark = pytest.mark.slow  # about 31 s with a browser (two reports, two page loads)

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--enable-logging=stderr", "--v=0")


def chromium_binary() -> str | None:
    """$CHROMIUM if set (None when it is not found), else the first Chromium or Chrome on
    PATH."""
    override = os.environ.get("CHROMIUM")
    if override:
        return shutil.which(override)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> str:
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium binary was found (looked for "
                        + ", ".join(NAMES) + ")")
        pytest.skip("no Chromium binary found (install chromium to run this test)")
    return binary


def run_browser(binary: str, page: Path, tmp: Path, *extra: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr). Output goes through files, not pipes: Chromium's helper
    processes can hold a pipe open for seconds after the browser has exited."""
    run = tmp / f"run-{len(list(tmp.iterdir()))}"
    run.mkdir()
    (run / "profile").mkdir()
    command = [binary, *FLAGS, f"--user-data-dir={run / 'profile'}", *extra, page.as_uri()]
    with (run / "out").open("w") as out, (run / "err").open("w") as err:
        code = subprocess.run(command, stdout=out, stderr=err, timeout=120, check=False,
                              cwd=run).returncode
    return (code, (run / "out").read_text(errors="replace"),
            (run / "err").read_text(errors="replace"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("browser-reports")
    with_data = write_report(FRAMING, tmp / "framing", quiet=True)
    planning = write_report(planning_copy(tmp), tmp / "planning-report", quiet=True)
    return {"framing": with_data.html, "planning": planning.html}


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def assert_dom(browser: str, page: Path, tmp: Path) -> None:
    code, dom, errors = run_browser(browser, page, tmp, "--dump-dom")
    assert code == 0, errors[-2000:]
    for key in SECTION_IDS:
        assert f'id="{key}"' in dom, key
    assert console_lines(errors) == []


def test_report_with_estimates_in_headless_chromium(browser, reports, tmp_path):
    page = reports["framing"]
    assert_dom(browser, page, tmp_path)
    shot = tmp_path / "shot.png"
    code, _, errors = run_browser(browser, page, tmp_path, f"--screenshot={shot}",
                                  "--window-size=1200,3000", "--hide-scrollbars")
    assert code == 0 and shot.is_file(), errors[-2000:]
    assert console_lines(errors) == []
    from matplotlib.image import imread

    pixels = imread(shot)[..., :3]
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1000
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 50, "the screenshot is (nearly) a single colour"
    ink = (pixels.sum(axis=2) < 2.7).mean()
    assert ink > 0.01, "almost nothing is drawn"


def test_planning_report_in_headless_chromium(browser, reports, tmp_path):
    assert_dom(browser, reports["planning"], tmp_path)
