"""The selection diagram drawn by Graphviz (`dot -Tsvg`) when the binary is installed, with
the same styles and legend as the pure-Python drawing.

Only names (identifiers checked by the parser) and fixed words go into the DOT text;
tooltips are quoted with DOT escapes, and Graphviz escapes them again for XML.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from transport.graph.legend import DASHES, FILLS
from transport.report.diagram_model import DiagramModel
from transport.report.diagram_svg import (
    FONT,
    INK,
    gradient_defs,
    legend_svg,
    legend_width,
    marker_defs,
)

_DOT_DASH = {"": "solid", "7 4": "dashed", "2 3": "dotted"}


def dot_binary() -> str | None:
    """The path of Graphviz's `dot`, or None."""
    return shutil.which("dot")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dot_source(model: DiagramModel) -> str:
    """The diagram in DOT, styled like the pure-Python drawing."""
    lines = ["digraph selection {", "  rankdir=TB; nodesep=0.35; ranksep=0.55;",
             '  node [fontname="Helvetica", fontsize=13];', '  edge [arrowsize=0.7];']
    for node in model.nodes:
        tooltip = _quote(node.tooltip)
        if node.kind == "selection":
            colour = model.colour(node.source)
            attrs = (f'shape=box, style="rounded,filled", fillcolor="{colour}", color="{colour}",'
                     f' fontcolor="white", fontsize=10, height=0.25, margin="0.06,0.02"')
        elif node.kind == "cause":
            attrs = 'shape=circle, style=dashed, color="#777777", label="U", width=0.3'
        else:
            fill, stroke = FILLS.get(node.sharing, FILLS["target"])
            if node.sharing == "mixed":
                fill = f"{FILLS['shared'][0]};0.5:{FILLS['differs'][0]}"
            strong = node.role in ("treatment", "outcome")
            style = "rounded,filled" + (",dashed" if node.kind == "latent" else "")
            attrs = (f'shape=box, style="{style}", fillcolor="{fill}", gradientangle=0, '
                     f'color="{INK if strong else stroke}", penwidth={2.2 if strong else 1.1}'
                     + (', fontname="Helvetica-Bold"' if strong else ""))
        label = "" if node.kind == "cause" else f", label={_quote(node.text)}"
        lines.append(f"  {_quote(node.id)} [{attrs}{label}, tooltip={tooltip}];")
    for edge in model.edges:
        if edge.kind == "selection":
            colour = model.colour(edge.source)
            style = _DOT_DASH[DASHES.get(edge.status, "")]
            attrs = f'color="{colour}", style={style}'
        elif edge.kind == "cause":
            attrs = 'color="#777777", style=dashed'
        elif edge.kind == "bidirected":
            attrs = 'dir=both, style=dashed, color="#555555", constraint=false'
        else:
            attrs = f'color="{INK}"'
        lines.append(f"  {_quote(edge.tail)} -> {_quote(edge.head)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines)


def _strip_prolog(svg: str) -> str:
    """The <svg> element alone: no XML declaration, DOCTYPE or comments."""
    svg = re.sub(r"<\?xml.*?\?>", "", svg, flags=re.S)
    svg = re.sub(r"<!DOCTYPE.*?>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return svg.strip()


def graphviz_svg(model: DiagramModel, prefix: str = "sd", timeout: float = 30.0) -> str | None:
    """The diagram drawn by `dot` with the legend below, or None when dot is missing or
    fails (the caller then uses the pure-Python layout)."""
    binary = dot_binary()
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "-Tsvg"], input=dot_source(model), capture_output=True,
                              text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or "<svg" not in done.stdout:
        return None
    inner = _strip_prolog(done.stdout)
    size = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', inner, re.S)
    if size is None:
        return None
    graph_width, graph_height = float(size.group(1)), float(size.group(2))
    inner = re.sub(r'(<svg[^>]*?)\bwidth="[\d.]+pt"', rf'\1width="{graph_width:.0f}"', inner,
                   count=1, flags=re.S)
    inner = re.sub(r'(<svg[^>]*?)\bheight="[\d.]+pt"', rf'\1height="{graph_height:.0f}"', inner,
                   count=1, flags=re.S)
    width = max(graph_width + 32, legend_width(model))
    inner = inner.replace("<svg", f'<svg x="{(width - graph_width) / 2:.0f}" y="8"', 1)
    legend, legend_height = legend_svg(model, graph_height + 20, width, prefix)
    height = graph_height + 20 + legend_height
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-label="Selection diagram" font-family="{FONT}"><defs>'
            f"{marker_defs(model, prefix)}{gradient_defs(prefix)}</defs>{inner}"
            f'<line x1="16" x2="{width - 16:.0f}" y1="{graph_height + 14:.1f}" '
            f'y2="{graph_height + 14:.1f}" stroke="#dddddd"/>{legend}</svg>')
