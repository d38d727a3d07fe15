"""docs/tutorial.ipynb runs top to bottom (nbclient, a fresh kernel) and shows what it says."""

from __future__ import annotations

import pytest
from shared_fixtures import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.ipynb"


@pytest.mark.slow  # a kernel start and an estimate: ~15 s on 2 cores
def test_the_tutorial_runs_top_to_bottom() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TUTORIAL, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(TUTORIAL.parent)}}).execute()
    outputs = {i: cell.get("outputs", []) for i, cell in enumerate(notebook.cells)
               if cell.cell_type == "code"}
    errors = [o for cell in outputs.values() for o in cell if o.get("output_type") == "error"]
    assert errors == []
    text = "\n".join(o.get("text", "") for cell in outputs.values() for o in cell)
    assert "Effect of loss_frame (1 vs 0) on choose_risky in human" in text
    assert "transportable" in text
    html = "\n".join(o.get("data", {}).get("text/html", "") for cell in outputs.values()
                     for o in cell)
    assert "report.html" in "\n".join(o.get("data", {}).get("text/plain", "")
                                      for cell in outputs.values() for o in cell)
    assert "human (transported)" in html  # the to_frame() table
