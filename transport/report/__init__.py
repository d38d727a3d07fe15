"""The report stage: results → HTML, Markdown, JSON and preregistration text.

    write_report("study.tdag", "report/")   # report.html, report.md, report.json, *.svg
    prereg_text(transport.load("study.tdag"))  # OSF-style preregistration (Markdown)
    study_html(study), estimate_html(result)    # compact HTML for Jupyter

Matplotlib is imported only inside this stage, and only when a figure of an estimate is
drawn; `import transport` never loads it.
"""

from transport.report.build import ReportPaths, write_report
from transport.report.notebook import estimate_html, study_html
from transport.report.prereg import prereg_text

__all__ = ["ReportPaths", "estimate_html", "prereg_text", "study_html", "write_report"]
