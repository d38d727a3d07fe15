"""transport: what LLM-agent studies say about people, under explicit sharing assumptions.

The pipeline, one function per stage::

    study = transport.load("study.tdag")            # parse + check
    diagram = transport.selection_diagram(study)    # the selection diagram
    print(transport.export_graph(study, "dot"))     # for Graphviz, dagitty, Mermaid, ...
    answer = transport.identify(study)              # transportable? the formula, or why not
    result = transport.estimate_study(study)        # the posterior of the human effect
    transport.write_report("study.tdag", "report")  # HTML, Markdown, JSON
"""

from transport.api import (
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
from transport.errors import DataError, Diagnostic, TdagError, UsageError
from transport.source import Source, Span
from transport.study import Study

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "Diagnostic",
    "Source",
    "Span",
    "Study",
    "TdagError",
    "UsageError",
    "__version__",
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
