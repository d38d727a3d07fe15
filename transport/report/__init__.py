"""The report stage: results → HTML, Markdown, JSON and preregistration text.

    write_report(study, "report/")       # report.html, report.md, report.json, *.svg
    prereg_text(study)                   # OSF-style preregistration (Markdown)
    study_html(study), estimate_html(result), identification_html(answer)  # for Jupyter

Names are loaded on first use, so `import transport` (which imports `report.notebook` to
register the notebook renderers) does not load the report builder. Matplotlib is imported
only inside this stage, and only when a figure of an estimate is drawn.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ReportPaths": "transport.report.build",
    "write_report": "transport.report.build",
    "estimate_html": "transport.report.notebook",
    "identification_html": "transport.report.notebook",
    "study_html": "transport.report.notebook",
    "prereg_text": "transport.report.prereg",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'transport.report' has no attribute '{name}'")
    return getattr(importlib.import_module(_WHERE[name]), name)
