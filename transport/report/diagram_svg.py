"""The selection diagram as a self-contained SVG, laid out in pure Python
(`transport.report.layout`), with a legend. Every text is escaped; ids carry a prefix so
several diagrams can share one HTML page."""

from __future__ import annotations

import math

from transport.graph.legend import DASHES, FILLS
from transport.report.diagram_model import DiagramModel, Edge, Node
from transport.report.escape import h
from transport.report.layout import Box, Layout, layered_layout

FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
INK = "#2b2b2b"


def _clip(node: Node, centre: tuple[float, float], towards: tuple[float, float],
          pad: float = 2.0) -> tuple[float, float]:
    """Where the segment from the node's centre towards a point leaves the node."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return centre
    width, height = node.size
    if node.kind == "cause":
        r = width / 2 + pad
        length = math.hypot(dx, dy)
        return cx + dx / length * r, cy + dy / length * r
    sx = (width / 2 + pad) / abs(dx) if dx else math.inf
    sy = (height / 2 + pad) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return cx + dx * s, cy + dy * s


def _path(points: list[tuple[float, float]]) -> str:
    """Straight for two points; through the middle points smoothly otherwise."""
    (x0, y0) = points[0]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    if len(points) == 2:
        parts.append(f"L{points[1][0]:.1f},{points[1][1]:.1f}")
        return " ".join(parts)
    for i in range(1, len(points) - 1):
        (px, py), (nx, ny) = points[i], points[i + 1]
        end = (nx, ny) if i == len(points) - 2 else ((px + nx) / 2, (py + ny) / 2)
        parts.append(f"Q{px:.1f},{py:.1f} {end[0]:.1f},{end[1]:.1f}")
    return " ".join(parts)


def marker_defs(model: DiagramModel, prefix: str) -> str:
    colours = {"d": INK, "c": "#777777", "b": "#555555"}
    colours.update({f"s{i}": model.colour(s) for i, s in enumerate(model.sources)})
    return "".join(
        f'<marker id="{prefix}-{key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
        for key, colour in colours.items()
    )


def gradient_defs(prefix: str) -> str:
    shared, differs = FILLS["shared"][0], FILLS["differs"][0]
    return (f'<linearGradient id="{prefix}-mixed" x1="0" x2="1" y1="0" y2="0">'
            f'<stop offset="50%" stop-color="{shared}"/><stop offset="50%" '
            f'stop-color="{differs}"/></linearGradient>')


def node_svg(node: Node, x: float, y: float, model: DiagramModel, prefix: str) -> str:
    """One node centred at (x, y)."""
    width, height = node.size
    title = f"<title>{h(node.tooltip)}</title>"
    if node.kind == "selection":
        colour = model.colour(node.source)
        return (f'<g class="node selection">{title}<rect x="{x - width / 2:.1f}" '
                f'y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" '
                f'fill="{colour}"/><text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" '
                f'font-size="11" font-weight="600" fill="#ffffff">{h(node.text)}</text></g>')
    if node.kind == "cause":
        return (f'<g class="node cause">{title}<circle cx="{x:.1f}" cy="{y:.1f}" '
                f'r="{width / 2:.1f}" fill="#f4f4f4" stroke="#777777" stroke-dasharray="3 2"/>'
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="12" '
                f'font-style="italic" fill="#555555">U</text></g>')
    fill, stroke = FILLS.get(node.sharing, FILLS["target"])
    if node.sharing == "mixed":
        fill = f"url(#{prefix}-mixed)"
    strong = node.role in ("treatment", "outcome")
    dash = ' stroke-dasharray="5 3"' if node.kind == "latent" else ""
    style = ' font-style="italic"' if node.kind == "latent" else ""
    weight = ' font-weight="700"' if strong else ""
    return (f'<g class="node {node.kind}">{title}<rect x="{x - width / 2:.1f}" '
            f'y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" rx="7" '
            f'fill="{fill}" stroke="{INK if strong else stroke}" '
            f'stroke-width="{2.4 if strong else 1.3}"{dash}/><text x="{x:.1f}" '
            f'y="{y + 4.5:.1f}" text-anchor="middle" font-size="13" fill="{INK}"{style}'
            f'{weight}>{h(node.text)}</text></g>')


def edge_style(edge: Edge, model: DiagramModel, prefix: str) -> str:
    """Stroke, dash and markers of an edge."""
    if edge.kind == "selection":
        key = f"s{model.sources.index(edge.source)}"
        dash = DASHES.get(edge.status, "")
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'stroke="{model.colour(edge.source)}" stroke-width="1.5"{dashed} '
                f'marker-end="url(#{prefix}-{key})"')
    if edge.kind == "cause":
        return f'stroke="#777777" stroke-width="1.3" stroke-dasharray="4 3" ' \
               f'marker-end="url(#{prefix}-c)"'
    if edge.kind == "bidirected":
        return (f'stroke="#555555" stroke-width="1.3" stroke-dasharray="6 4" '
                f'marker-start="url(#{prefix}-b)" marker-end="url(#{prefix}-b)"')
    return f'stroke="{INK}" stroke-width="1.4" marker-end="url(#{prefix}-d)"'


def _arc(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Control point of a `<->` arc: bowed to one side of the straight line."""
    (ax, ay), (bx, by) = a, b
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy) or 1.0
    bow = 0.28 * length + 18
    return mx - dy / length * bow, my + dx / length * bow


def edges_svg(model: DiagramModel, layout: Layout, prefix: str) -> str:
    out = []
    for edge in model.edges:
        tail, head = model.node(edge.tail), model.node(edge.head)
        a, b = layout.centres[edge.tail], layout.centres[edge.head]
        if edge.kind == "bidirected":
            control = _arc(a, b)
            start, end = _clip(tail, a, control), _clip(head, b, control)
            d = (f"M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} "
                 f"{end[0]:.1f},{end[1]:.1f}")
        else:
            route = layout.routes[(edge.tail, edge.head)]
            points = [_clip(tail, a, route[1]), *route[1:-1], _clip(head, b, route[-2])]
            d = _path(points)
        out.append(f'<path class="edge {edge.kind}" d="{d}" fill="none" '
                   f'{edge_style(edge, model, prefix)}/>')
    return "".join(out)


def legend_svg(model: DiagramModel, top: float, width: float, prefix: str) -> tuple[str, float]:
    """The legend as an SVG fragment starting at `top`, and its height."""
    rows: list[tuple[str, str]] = []
    for key, text in (("shared", "mechanism shared with the target by every source"),
                      ("differs", "mechanism not shared by any source"),
                      ("mixed", "mechanism shared by some sources only")):
        fill, stroke = FILLS[key]
        fill = f"url(#{prefix}-mixed)" if key == "mixed" else fill
        rows.append((f'<rect x="0" y="-9" width="26" height="14" rx="4" fill="{fill}" '
                     f'stroke="{stroke}"/>', text))
    rows.append((f'<rect x="0" y="-9" width="26" height="14" rx="4" fill="#ffffff" '
                 f'stroke="{INK}" stroke-width="2.4"/>', "bold: treatment or outcome"))
    rows.append(('<rect x="0" y="-9" width="26" height="14" rx="4" fill="#ffffff" '
                 'stroke="#777777" stroke-dasharray="5 3"/>', "dashed, italic: latent variable"))
    rows.append((f'<path d="M0,-2 Q13,-12 26,-2" fill="none" stroke="#555555" '
                 f'stroke-dasharray="6 4" marker-start="url(#{prefix}-b)" '
                 f'marker-end="url(#{prefix}-b)"/>', "<-> an unmeasured common cause"))
    for source in model.sources:
        colour = model.colour(source)
        rows.append((f'<rect x="0" y="-9" width="26" height="14" rx="3" fill="{colour}"/>',
                     f"S {source}: a mechanism of {source} that may differ from the target's"))
    for status, text in (("differs", "solid: declared differs"),
                         ("partial", "dashed: declared partial (a prior on the drift)"),
                         ("undeclared", "dotted: undeclared (treated as differing)")):
        dash = DASHES[status]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        rows.append((f'<path d="M0,-2 L26,-2" stroke="#333333" stroke-width="1.5"{dashed}/>',
                     f"selection edge, {text}"))
    column_width = legend_width(model) - 32
    columns = max(1, min(2, int((width - 32) // column_width)))
    per_column = math.ceil(len(rows) / columns)
    parts = [f'<text x="16" y="{top + 14:.1f}" font-size="12" font-weight="700" '
             f'fill="{INK}">Legend</text>']
    for i, (swatch, text) in enumerate(rows):
        column, row = divmod(i, per_column)
        x, y = 16 + column * column_width, top + 36 + row * 21
        parts.append(f'<g transform="translate({x:.1f},{y:.1f})">{swatch}<text x="36" y="2" '
                     f'font-size="11.5" fill="{INK}">{h(text)}</text></g>')
    return "".join(parts), 36 + per_column * 21 + 6


def legend_width(model: DiagramModel) -> float:
    """Width one legend column needs (its longest text at ~6.4 px per character)."""
    longest = max([52] + [len(f"S {s}: a mechanism of {s} that may differ from the target's")
                          for s in model.sources])
    return 36 + 6.4 * longest + 40


def layout_model(model: DiagramModel) -> Layout:
    """The pure-Python layout of a diagram's directed, selection and cause edges."""
    boxes = [Box(n.id, *n.size) for n in model.nodes]
    edges = [(e.tail, e.head) for e in model.edges if e.kind != "bidirected"]
    return layered_layout(boxes, edges)


def diagram_svg(model: DiagramModel, prefix: str = "sd") -> str:
    """The whole drawing: graph above, legend below."""
    layout = layout_model(model)
    width = max(layout.width, legend_width(model))
    shift = (width - layout.width) / 2
    nodes = "".join(node_svg(n, *layout.centres[n.id], model, prefix) for n in model.nodes)
    legend, legend_height = legend_svg(model, layout.height + 8, width, prefix)
    height = layout.height + 8 + legend_height
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-label="Selection diagram" font-family="{FONT}">'
            f'<defs>{marker_defs(model, prefix)}{gradient_defs(prefix)}</defs>'
            f'<g transform="translate({shift:.1f},0)">{edges_svg(model, layout, prefix)}'
            f'{nodes}</g>'
            f'<line x1="16" x2="{width - 16:.0f}" y1="{layout.height + 4:.1f}" '
            f'y2="{layout.height + 4:.1f}" stroke="#dddddd"/>{legend}</svg>')
