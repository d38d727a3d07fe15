"""transport: what LLM-agent studies say about people, under explicit sharing assumptions.

The pipeline, one function per stage::

    study = transport.load("study.tdag")            # parse + check
    diagram = transport.selection_diagram(study)    # the selection diagram
    print(transport.export_graph(study, "dot"))     # for Graphviz, dagitty, Mermaid, ...
    answer = transport.identify(study)              # transportable? the formula, or why not
    result = transport.estimate_study(study)        # the posterior of the human effect
    transport.write_report(study, "report", result=result)  # HTML, Markdown, JSON

Every function that takes a study also takes the path of a `.tdag` file. Every error the
toolkit raises on purpose is a `TransportError`.
"""

import transport.report.notebook  # noqa: F401 - registers the notebook (_repr_html_) renderers
from transport.api import (
    calibrate,
    check_file,
    check_source,
    dowhy_distribution_change,
    estimate_study,
    export_graph,
    format_source,
    identify,
    import_dagitty,
    import_edsl,
    load,
    loads,
    parse,
    prereg_text,
    read_source,
    selection_diagram,
    to_dowhy,
    write_report,
)
from transport.errors import (
    DataError,
    Diagnostic,
    NotEstimable,
    ProblemError,
    TdagError,
    TransportError,
    UsageError,
)
from transport.source import Source, Span
from transport.study import Study
from transport.version import __version__

__all__ = [
    "DataError",
    "Diagnostic",
    "NotEstimable",
    "ProblemError",
    "Source",
    "Span",
    "Study",
    "TdagError",
    "TransportError",
    "UsageError",
    "__version__",
    "calibrate",
    "check_file",
    "check_source",
    "dowhy_distribution_change",
    "estimate_study",
    "export_graph",
    "format_source",
    "identify",
    "import_dagitty",
    "import_edsl",
    "load",
    "loads",
    "parse",
    "prereg_text",
    "read_source",
    "selection_diagram",
    "to_dowhy",
    "write_report",
]
