"""The legend every drawing of a selection diagram shares, written once: the report's figure
(`report/diagram_model.py` and its SVG and Graphviz renderers) and the DOT and Mermaid
exports.

A variable's fill and stroke say whether its mechanism is shared with the target by every
shown source ("shared"), by none ("differs") or by some ("mixed", see
`SelectionDiagram.variable_sharing`); "target" styles the nodes that are not variables. A
selection edge is solid for differs, dashed for partial, dotted for undeclared.
"""

from __future__ import annotations

#: (fill, stroke) per sharing summary.
FILLS = {"shared": ("#d3eedf", "#2f7d5b"), "differs": ("#fbdcc4", "#b4561c"),
         "mixed": ("#fbdcc4", "#6b6b6b"), "target": ("#eef1f5", "#5b6675")}
#: SVG/Mermaid stroke-dasharray of a selection edge, per status ("" is solid).
DASHES = {"differs": "", "partial": "7 4", "undeclared": "2 3"}
#: The same line styles in Graphviz's names.
DOT_STYLES = {"differs": "solid", "partial": "dashed", "undeclared": "dotted"}
