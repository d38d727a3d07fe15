"""Selection diagrams written for other tools: DOT, dagitty, JSON, GraphML and Mermaid.

Every format shows the same thing: variables (latent ones marked), directed edges, `<->`
arcs, and per source a selection node at each mechanism that is not shared. Variables whose
mechanism differs for some shown source are drawn differently from shared ones.
"""

from __future__ import annotations

import io
import re

import networkx as nx

from transport.graph.diagram import LatentCause, SelectionDiagram
from transport.study import Study
from transport.text_safety import visible

FORMATS = ("dot", "dagitty", "json", "graphml", "mermaid")


def _differing(diagram: SelectionDiagram) -> set[str]:
    return {s.points_at for s in diagram.selection if isinstance(s.points_at, str)}


def _roles(study: Study) -> dict[str, str]:
    roles = {study.query.treatment: "treatment", study.query.outcome: "outcome"}
    for variable in study.variables:
        if not variable.observed:
            roles.setdefault(variable.name, "latent")
    return roles


def _identifier_map(diagram: SelectionDiagram, taken: set[str]) -> dict[object, str]:
    """Plain identifiers for selection nodes and latent causes, clear of variable names."""
    ids: dict[object, str] = {}
    used = set(taken)

    def fresh(stem: str) -> str:
        base = re.sub(r"\W", "_", stem)
        name, k = base, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        return name

    for cause in diagram.latent_causes():
        ids[cause] = fresh(f"U_{cause.first}_{cause.second}")
    for node in diagram.selection:
        target = node.points_at
        stem = target if isinstance(target, str) else f"U_{target.first}_{target.second}"
        ids[node] = fresh(f"S_{node.source}_{stem}")
    return ids


def _quote_dot(text: str) -> str:
    """A DOT string; control characters (NUL among them) as visible `\\uXXXX` text."""
    text = visible(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(diagram: SelectionDiagram, study: Study) -> str:
    """Graphviz DOT: shared mechanisms plain, differing ones shaded with a red selection
    node (a small square) pointing at them through a dashed red edge."""
    differing = _differing(diagram)
    roles = _roles(study)
    ids = _identifier_map(diagram, set(diagram.graph.nodes))
    lines = [
        f"digraph {_quote_dot(study.info.title or 'selection diagram')} {{",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", shape=ellipse];',
        '  edge [fontname="Helvetica"];',
    ]
    for name in diagram.graph.nodes:
        attrs = [f"label={_quote_dot(name)}"]
        role = roles.get(name)
        if role == "latent":
            attrs.append("style=dashed")
        if name in differing:
            attrs += ['style="filled' + (',dashed"' if role == "latent" else '"'),
                      'fillcolor="#fde2e4"', 'color="#c0392b"']
        if role in ("treatment", "outcome"):
            attrs.append("peripheries=2")
        lines.append(f"  {_quote_dot(name)} [{', '.join(attrs)}];")
    for cause in diagram.latent_causes():
        lines.append(
            f"  {_quote_dot(ids[cause])} [label=\"U\", shape=circle, style=dashed, "
            f"tooltip={_quote_dot(cause.first + ' <-> ' + cause.second)}];"
        )
    for node in diagram.selection:
        lines.append(
            f"  {_quote_dot(ids[node])} [label={_quote_dot('S ' + node.source)}, shape=square, "
            f'style=filled, fillcolor="#c0392b", fontcolor=white, fontsize=10, '
            f"tooltip={_quote_dot(node.source + ': ' + node.status)}];"
        )
    for tail, head in diagram.graph.directed:
        lines.append(f"  {_quote_dot(tail)} -> {_quote_dot(head)};")
    for a, b, cause in diagram.confounding():
        if cause is not None:
            for end in (a, b):
                lines.append(f"  {_quote_dot(ids[cause])} -> {_quote_dot(end)} [style=dashed];")
        else:
            lines.append(
                f"  {_quote_dot(a)} -> {_quote_dot(b)} [dir=both, style=dashed, "
                "constraint=false];"
            )
    for node in diagram.selection:
        target = node.points_at
        head = ids[target] if isinstance(target, LatentCause) else target
        lines.append(
            f'  {_quote_dot(ids[node])} -> {_quote_dot(head)} [color="#c0392b", style=dashed];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_dagitty(diagram: SelectionDiagram, study: Study) -> str:
    """dagitty model syntax: exposure, outcome and latent roles; selection nodes and the
    latent causes they point at appear as ordinary nodes named S_<source>_<variable>."""
    roles = {"treatment": "exposure", "outcome": "outcome", "latent": "latent"}
    study_roles = _roles(study)
    ids = _identifier_map(diagram, set(diagram.graph.nodes))
    lines = ["dag {"]
    for name in diagram.graph.nodes:
        role = roles.get(study_roles.get(name, ""))
        lines.append(f"{name} [{role}]" if role else name)
    for cause in diagram.latent_causes():
        lines.append(f"{ids[cause]} [latent]")
    for node in diagram.selection:
        lines.append(ids[node])
    for tail, head in diagram.graph.directed:
        lines.append(f"{tail} -> {head}")
    for a, b, cause in diagram.confounding():
        if cause is not None:
            lines += [f"{ids[cause]} -> {a}", f"{ids[cause]} -> {b}"]
        else:
            lines.append(f"{a} <-> {b}")
    for node in diagram.selection:
        target = node.points_at
        lines.append(f"{ids[node]} -> {ids[target] if isinstance(target, LatentCause) else target}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_data(diagram: SelectionDiagram, study: Study) -> dict:
    """The diagram as plain data (the `--format json` schema, documented in docs/)."""
    roles = _roles(study)
    ids = _identifier_map(diagram, set(diagram.graph.nodes))
    kinds = {v.name: v.kind for v in study.variables}
    nodes = [
        {"id": name, "kind": "latent" if name in diagram.graph.latent else "observed",
         "type": kinds[name], "role": roles.get(name) if roles.get(name) != "latent" else None,
         "label": study.variable(name).label}
        for name in diagram.graph.nodes
    ]
    nodes += [
        {"id": ids[c], "kind": "latent_cause", "type": None, "role": None,
         "label": f"{c.first} <-> {c.second}"}
        for c in diagram.latent_causes()
    ]
    nodes += [
        {"id": ids[s], "kind": "selection", "type": None, "role": None, "source": s.source,
         "status": s.status, "label": f"S {s.source}"}
        for s in diagram.selection
    ]
    edges = [{"from": a, "to": b, "kind": "directed"} for a, b in diagram.graph.directed]
    for a, b, cause in diagram.confounding():
        if cause is not None:
            edges += [{"from": ids[cause], "to": end, "kind": "directed"} for end in (a, b)]
        else:
            edges.append({"from": a, "to": b, "kind": "bidirected"})
    for s in diagram.selection:
        target = s.points_at
        edges.append({"from": ids[s], "to": ids[target] if isinstance(target, LatentCause)
                      else target, "kind": "selection"})
    shown = set(diagram.sources)
    mechanisms = [
        {"source": row.source, "mechanism": row.mechanism.describe(),
         "kind": type(row.mechanism).__name__.removesuffix("Mechanism").lower(),
         "status": row.sharing.status, "sd": row.sharing.sd,
         "because": row.sharing.because, "cite": row.sharing.cite}
        for row in study.assumptions + study.coefficients
        if row.source in shown
    ]
    return {
        "target": diagram.target,
        "sources": list(diagram.sources),
        "nodes": nodes,
        "edges": edges,
        "mechanisms": mechanisms,
    }


def to_json(diagram: SelectionDiagram, study: Study) -> str:
    """Strict JSON (transport.json_text): no NaN or Infinity tokens."""
    from transport.json_text import json_text

    return json_text(to_data(diagram, study), ensure_ascii=True).text + "\n"


def to_graphml(diagram: SelectionDiagram, study: Study) -> str:
    """GraphML with string node ids and `kind`, `type`, `role`, `source`, `status` attributes."""
    data = to_data(diagram, study)
    graph = nx.MultiDiGraph()
    for node in data["nodes"]:
        graph.add_node(node["id"], **{k: visible(str(v)) for k, v in node.items()
                                      if k != "id" and v is not None})
    for edge in data["edges"]:
        graph.add_edge(edge["from"], edge["to"], kind=edge["kind"])
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _quote_mermaid(text: str) -> str:
    return '"' + visible(text).replace('"', "#quot;") + '"'


def to_mermaid(diagram: SelectionDiagram, study: Study) -> str:
    """Mermaid flowchart: differing variables shaded, selection nodes as red hexagons."""
    differing = _differing(diagram)
    roles = _roles(study)
    ids: dict[object, str] = {}
    for index, name in enumerate(diagram.graph.nodes):
        ids[name] = f"v{index}"
    for index, cause in enumerate(diagram.latent_causes()):
        ids[cause] = f"u{index}"
    for index, node in enumerate(diagram.selection):
        ids[node] = f"s{index}"
    lines = ["flowchart LR"]
    for name in diagram.graph.nodes:
        lines.append(f"  {ids[name]}({_quote_mermaid(name)})")
    for cause in diagram.latent_causes():
        lines.append(f"  {ids[cause]}((U))")
    for node in diagram.selection:
        lines.append(f"  {ids[node]}{{{{{_quote_mermaid('S ' + node.source)}}}}}")
    links: list[str] = []
    for tail, head in diagram.graph.directed:
        links.append(f"  {ids[tail]} --> {ids[head]}")
    for a, b, cause in diagram.confounding():
        if cause is not None:
            links += [f"  {ids[cause]} -.-> {ids[a]}", f"  {ids[cause]} -.-> {ids[b]}"]
        else:
            links.append(f"  {ids[a]} <-.-> {ids[b]}")
    first_selection = len(links)
    for node in diagram.selection:
        links.append(f"  {ids[node]} -.-> {ids[node.points_at]}")
    lines += links
    lines.append("  classDef shared fill:#ffffff,stroke:#333333")
    lines.append("  classDef differs fill:#fde2e4,stroke:#c0392b")
    lines.append("  classDef latent fill:#ffffff,stroke:#777777,stroke-dasharray:4 3")
    lines.append("  classDef selection fill:#c0392b,color:#ffffff,stroke:#c0392b")
    for name in diagram.graph.nodes:
        style = "differs" if name in differing else (
            "latent" if roles.get(name) == "latent" else "shared")
        lines.append(f"  class {ids[name]} {style}")
    for cause in diagram.latent_causes():
        lines.append(f"  class {ids[cause]} latent")
    for node in diagram.selection:
        lines.append(f"  class {ids[node]} selection")
    if len(links) > first_selection:
        numbers = ",".join(str(i) for i in range(first_selection, len(links)))
        lines.append(f"  linkStyle {numbers} stroke:#c0392b,stroke-dasharray:4 3")
    return "\n".join(lines) + "\n"


WRITERS = {
    "dot": to_dot,
    "dagitty": to_dagitty,
    "json": to_json,
    "graphml": to_graphml,
    "mermaid": to_mermaid,
}


def export(diagram: SelectionDiagram, study: Study, fmt: str) -> str:
    """The diagram in one of FORMATS."""
    return WRITERS[fmt](diagram, study)


__all__ = ["FORMATS", "export", "to_dagitty", "to_data", "to_dot", "to_graphml", "to_json",
           "to_mermaid"]

