"""Selection diagrams written for other tools: DOT, dagitty, JSON, GraphML and Mermaid.

Every format shows the same thing: variables (latent ones marked), directed edges, `<->`
arcs, and per source a selection node at each mechanism that is not shared. Variables whose
mechanism differs for some shown source are drawn differently from shared ones.
"""

from __future__ import annotations

import io
import re

from transport.graph.diagram import LatentCause, SelectionDiagram
from transport.graph.legend import DASHES, DOT_STYLES, FILLS
from transport.study import Study
from transport.text_safety import visible

FORMATS = ("dot", "dagitty", "json", "graphml", "mermaid")


def _roles(study: Study) -> dict[str, str]:
    roles = {study.query.treatment: "treatment", study.query.outcome: "outcome"}
    for variable in study.variables:
        if not variable.observed:
            roles.setdefault(variable.name, "latent")
    return roles


def _identifier_map(diagram: SelectionDiagram, taken: set[str]) -> dict[object, str]:
    """Plain ASCII identifiers (bare words in DOT and dagitty) for selection nodes and
    latent causes, clear of variable names."""
    ids: dict[object, str] = {}
    used = set(taken)

    def fresh(stem: str) -> str:
        base = re.sub(r"[^0-9a-zA-Z_]", "_", stem)
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
    """Graphviz DOT: shared mechanisms plain, the others filled as in the report's legend,
    with a red selection node (a small square) whose edge is solid (differs), dashed
    (partial) or dotted (undeclared). The title is the graph's label, not its name, so that
    parsers that expect `digraph {` (pydot, DoWhy) read it."""
    sharing = diagram.variable_sharing()
    roles = _roles(study)
    ids = _identifier_map(diagram, set(diagram.graph.nodes))
    lines = [
        "digraph {",
        f"  label={_quote_dot(study.info.title or 'selection diagram')};",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", shape=ellipse];',
        '  edge [fontname="Helvetica"];',
    ]
    for name in diagram.graph.nodes:
        attrs = [f"label={_quote_dot(name)}"]
        role = roles.get(name)
        styles = ["dashed"] if role == "latent" else []
        if sharing[name] != "shared":
            fill, stroke = FILLS[sharing[name]]
            styles.insert(0, "filled")
            attrs += [f'fillcolor="{fill}"', f'color="{stroke}"']
        if styles:
            attrs.append(f'style="{",".join(styles)}"')
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
            f'  {_quote_dot(ids[node])} -> {_quote_dot(head)} [color="#c0392b", '
            f"style={DOT_STYLES[node.status]}, tooltip={_quote_dot(node.status)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


_DAGITTY_BAREWORD = re.compile(r"[0-9a-zA-Z_.]+\Z")
DAGITTY_RESERVED = ("graph", "node")


def _quote_dagitty(text: str) -> str:
    """A dagitty string: `"` escaped; control characters, which dagitty's strings cannot
    hold, become spaces; a final backslash (it would escape the closing quote) is dropped."""
    clean = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text).rstrip("\\")
    return '"' + clean.replace('"', '\\"') + '"'


def _dagitty_id(name: str) -> str:
    return name if _DAGITTY_BAREWORD.match(name) else _quote_dagitty(name)


def _dagitty_names(diagram: SelectionDiagram) -> dict[str, str]:
    """dagitty ids for the variables: bare where dagitty allows it, quoted otherwise, and a
    fresh id for `graph` and `node`, which dagitty refuses even when quoted."""
    taken = set(diagram.graph.nodes)
    names = {}
    for name in diagram.graph.nodes:
        if name in DAGITTY_RESERVED:
            fresh, k = f"{name}_", 2
            while fresh in taken:
                fresh, k = f"{name}_{k}", k + 1
            taken.add(fresh)
            names[name] = fresh
        else:
            names[name] = name
    return names


def to_dagitty(diagram: SelectionDiagram, study: Study) -> str:
    """dagitty model syntax that dagitty reads (names quoted where dagitty needs it).

    Roles become exposure/outcome/latent, labels are kept, `graph`/`node` are renamed (with
    `tdag_name` holding the name). Selection nodes and the explicit common causes they point
    at are written `latent`, so dagitty derives no testable implication from them (they are
    not data), and carry `tdag_selection`/`tdag_latent_cause` so `import-dagitty` reads the
    model back as the same graph."""
    roles = {"treatment": "exposure", "outcome": "outcome", "latent": "latent"}
    study_roles = _roles(study)
    names = _dagitty_names(diagram)
    ids = _identifier_map(diagram, set(diagram.graph.nodes) | set(names.values()))
    lines = ["dag {"]
    for name in diagram.graph.nodes:
        attrs = [roles[study_roles[name]]] if name in study_roles else []
        label = study.variable(name).label
        if label:
            attrs.append(f"label={_quote_dagitty(label)}")
        if names[name] != name:
            attrs.append(f"tdag_name={_quote_dagitty(name)}")
            if not label:
                attrs.append(f"label={_quote_dagitty(name)}")
        shown = _dagitty_id(names[name])
        lines.append(f"{shown} [{','.join(attrs)}]" if attrs else shown)
    for cause in diagram.latent_causes():
        ends = _quote_dagitty(f"{cause.first},{cause.second}")
        lines.append(f"{ids[cause]} [latent,tdag_latent_cause={ends}]")
    for node in diagram.selection:
        lines.append(f"{ids[node]} [latent,tdag_selection={_quote_dagitty(node.source)},"
                     f"tdag_status={_quote_dagitty(node.status)}]")

    def ref(name: str) -> str:
        return _dagitty_id(names[name])

    for tail, head in diagram.graph.directed:
        lines.append(f"{ref(tail)} -> {ref(head)}")
    for a, b, cause in diagram.confounding():
        if cause is not None:
            lines += [f"{ids[cause]} -> {ref(a)}", f"{ids[cause]} -> {ref(b)}"]
        else:
            lines.append(f"{ref(a)} <-> {ref(b)}")
    for node in diagram.selection:
        target = node.points_at
        lines.append(f"{ids[node]} -> "
                     f"{ids[target] if isinstance(target, LatentCause) else ref(target)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_data(diagram: SelectionDiagram, study: Study) -> dict:
    """The diagram as plain data, in the node and edge vocabulary every JSON output shares
    (transport/schemas/common.schema.json, docs/report.md): node kinds variable, latent,
    cause, selection; edges tail -> head of kind directed, bidirected, cause, selection."""
    roles = _roles(study)
    ids = _identifier_map(diagram, set(diagram.graph.nodes))
    kinds = {v.name: v.kind for v in study.variables}
    sharing = diagram.variable_sharing()
    nodes = [
        {"id": name, "kind": "latent" if name in diagram.graph.latent else "variable",
         "type": kinds[name], "role": roles.get(name) if roles.get(name) != "latent" else None,
         "label": study.variable(name).label, "sharing": sharing[name]}
        for name in diagram.graph.nodes
    ]
    nodes += [
        {"id": ids[c], "kind": "cause", "type": None, "role": None,
         "label": f"{c.first} <-> {c.second}", "sharing": "target"}
        for c in diagram.latent_causes()
    ]
    nodes += [
        {"id": ids[s], "kind": "selection", "type": None, "role": None, "source": s.source,
         "status": s.status, "label": f"S {s.source}", "sharing": "target"}
        for s in diagram.selection
    ]
    edges = [{"tail": a, "head": b, "kind": "directed"} for a, b in diagram.graph.directed]
    for a, b, cause in diagram.confounding():
        if cause is not None:
            edges += [{"tail": ids[cause], "head": end, "kind": "cause"} for end in (a, b)]
        else:
            edges.append({"tail": a, "head": b, "kind": "bidirected"})
    for s in diagram.selection:
        target = s.points_at
        edges.append({"tail": ids[s], "head": ids[target] if isinstance(target, LatentCause)
                      else target, "kind": "selection", "source": s.source,
                      "status": s.status})
    shown = set(diagram.sources)
    mechanisms = [
        {"source": row.source, "mechanism": row.mechanism.describe(),
         "kind": type(row.mechanism).__name__.removesuffix("Mechanism").lower(),
         "status": row.sharing.status, "sd": row.sharing.sd, "robust": row.sharing.robust,
         "because": row.sharing.because, "cite": row.sharing.cite}
        for row in study.assumptions + study.coefficients
        if row.source in shown
    ]
    return {
        "schema_version": 1,
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
    import networkx as nx  # only GraphML needs it: `graph` stays quick to start

    graph = nx.MultiDiGraph()
    for node in data["nodes"]:
        graph.add_node(node["id"], **{k: visible(str(v)) for k, v in node.items()
                                      if k != "id" and v is not None})
    for edge in data["edges"]:
        graph.add_edge(edge["tail"], edge["head"], **{k: str(v) for k, v in edge.items()
                                                      if k not in ("tail", "head")})
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _quote_mermaid(text: str) -> str:
    return '"' + visible(text).replace('"', "#quot;") + '"'


def to_mermaid(diagram: SelectionDiagram, study: Study) -> str:
    """Mermaid flowchart: variables filled as in the report's legend, selection nodes as red
    hexagons whose edges are solid, dashed or dotted by status."""
    sharing = diagram.variable_sharing()
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
        links.append(f"  {ids[node]} --> {ids[node.points_at]}")
    lines += links
    lines.append("  classDef shared fill:#ffffff,stroke:#333333")
    for key in ("differs", "mixed"):
        fill, stroke = FILLS[key]
        lines.append(f"  classDef {key} fill:{fill},stroke:{stroke}")
    lines.append("  classDef latent fill:#ffffff,stroke:#777777,stroke-dasharray:4 3")
    lines.append("  classDef selection fill:#c0392b,color:#ffffff,stroke:#c0392b")
    for name in diagram.graph.nodes:
        style = sharing[name] if sharing[name] != "shared" else (
            "latent" if roles.get(name) == "latent" else "shared")
        lines.append(f"  class {ids[name]} {style}")
    for cause in diagram.latent_causes():
        lines.append(f"  class {ids[cause]} latent")
    for node in diagram.selection:
        lines.append(f"  class {ids[node]} selection")
    for status, dash in DASHES.items():
        numbers = ",".join(str(first_selection + i) for i, node in enumerate(diagram.selection)
                           if node.status == status)
        if numbers:
            dashes = f",stroke-dasharray:{dash}" if dash else ""
            lines.append(f"  linkStyle {numbers} stroke:#c0392b{dashes}")
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

