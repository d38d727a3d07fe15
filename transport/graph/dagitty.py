"""Write a `.tdag` skeleton from a dagitty model.

The skeleton declares two populations, every variable (types default to binary; latent
nodes stay latent; labels kept), every edge, and the effect when the model names an
exposure and an outcome. It declares no mechanism, so `transport check` then lists each one
the effect depends on: stating them is the user's work, not the importer's.

What a `.tdag` study cannot hold (layout positions, adjusted and selected roles, extra
attributes, a second exposure) is listed as comments at the top of the skeleton, never
dropped silently. What has no causal reading in a `.tdag` graph (undirected or partially
directed edges, other graph types, directed cycles) is refused with the line it is on.
Models written by `transport graph --format dagitty` read back as the study they came from:
their `tdag_name`, `tdag_selection` and `tdag_latent_cause` attributes say how.
"""

from __future__ import annotations

import re

import networkx as nx

from transport.graph.dagitty_syntax import DagittyError, DagittyModel, Edge, parse_dagitty

IMPORTABLE_TYPES = ("dag", "digraph")
_OPERATORS = {"undirected": "--", "partially_directed": "@->", "partially_undirected": "@--",
              "unspecified": "@-@"}
_NAME = re.compile(r"[^\W\d]\w*\Z")


def _tdag_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", name)
    if not base or base[0].isdigit():
        base = f"v_{base}"
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}_{k}", k + 1
    taken.add(candidate)
    return candidate


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _refuse_unimportable(model: DagittyModel) -> None:
    if model.type not in IMPORTABLE_TYPES:
        raise DagittyError(
            f"only dagitty 'dag' models can be imported, not '{model.type}': a .tdag graph "
            "is a DAG with <-> for unmeasured common causes"
        )
    for edge in model.edges:
        if edge.kind == "undirected":
            raise DagittyError(f"dagitty line {edge.line}: the undirected edge "
                               f"{edge.tail} -- {edge.head} has no causal reading; orient it")
        if edge.kind in _OPERATORS:
            raise DagittyError(
                f"dagitty line {edge.line}: the edge {edge.tail} {_OPERATORS[edge.kind]} "
                f"{edge.head} is only partly oriented; a .tdag graph needs -> or <->"
            )
    graph = nx.DiGraph(model.directed)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    path = " -> ".join([cycle[0][0]] + [head for _, head in cycle])
    raise DagittyError(f"the dagitty model has a directed cycle ({path}); a .tdag graph "
                       "must be acyclic")


def _marked(model: DagittyModel, key: str) -> dict[str, str]:
    return {n: (model.attributes.get(n, {}).get(key) or "") for n in model.nodes
            if key in model.attributes.get(n, {})}


def _dropped(model: DagittyModel, names: dict[str, str], skipped: set[str]) -> list[str]:
    """One comment line per piece of the model the skeleton cannot hold."""
    notes: list[str] = []
    if model.name:
        notes.append(f"the model's name {model.name!r}")
    if model.positions or model.bounding_box:
        count = len(model.positions)
        notes.append(f"layout positions (pos) of {count} variable{'s' * (count != 1)}"
                     + (" and the bounding box (bb)" if model.bounding_box else ""))
    for role, why in (("adjusted", "identify chooses what to adjust for"),
                      ("selected", "a .tdag study states selection as sharing assumptions")):
        marked = [names.get(n, n) for n in model.with_role(role)]
        if marked:
            notes.append(f"the role '{role}' of {', '.join(marked)} ({why})")
    for node in model.nodes:
        if node in skipped:
            continue
        for key, value in model.attributes.get(node, {}).items():
            if key.startswith("tdag_"):
                continue
            shown = key if value is None else f"{key}={_quote(value)}"
            notes.append(f"the attribute {shown} of {names[node]}")
        if "latent" in model.roles[node] and model.roles[node] & {"exposure", "outcome"}:
            notes.append(f"the exposure/outcome role of the latent variable {names[node]}")
    for edge in model.edges:
        if edge.tail in skipped or edge.head in skipped:
            continue
        arrow = "->" if edge.kind == "directed" else "<->"
        where = f"{names[edge.tail]} {arrow} {names[edge.head]}"
        extras = [f"label={_quote(edge.label)}"] if edge.label else []
        extras += [k if v is None else f"{k}={_quote(v)}" for k, v in edge.attributes.items()]
        if edge.position:
            extras.append("pos")
        if extras:
            notes.append(f"the edge attributes {', '.join(extras)} of {where}")
    return notes


def dagitty_to_tdag(text: str, origin: str = "a dagitty model") -> str:
    """A `.tdag` skeleton for a dagitty model (see the module docstring); raises
    DagittyError for a model that cannot be read or has no `.tdag` reading."""
    from transport.syntax.grammar import STATEMENT_KEYWORDS

    model = parse_dagitty(text)
    if not model.nodes:
        raise DagittyError("the dagitty model has no nodes")
    _refuse_unimportable(model)
    selection = _marked(model, "tdag_selection")
    causes = _marked(model, "tdag_latent_cause")
    skipped = set(selection) | set(causes)
    variables = [n for n in model.nodes if n not in skipped]
    if not variables:
        raise DagittyError("the dagitty model has no variables")
    taken: set[str] = set(STATEMENT_KEYWORDS)
    names: dict[str, str] = {}
    for node, wanted in _marked(model, "tdag_name").items():
        if node in variables and _NAME.match(wanted) and wanted not in taken:
            names[node] = wanted
            taken.add(wanted)
            if model.labels.get(node) == wanted:  # the exporter's label for dagitty's display
                del model.labels[node]
    for node in variables:
        if node not in names:
            names[node] = _tdag_name(node, taken)
    exposures = [n for n in model.with_role("exposure") if n in names]
    outcomes = [n for n in model.with_role("outcome") if n in names]
    lines = [
        f"# Imported from {origin}.",
        "# Variable types default to binary: set each to what was measured.",
        "# No mechanism is declared yet. `transport check` lists every mechanism the effect",
        "# depends on; state each one as shared, differs or partial, with a reason.",
    ]
    dropped = _dropped(model, names, skipped)
    if dropped:
        lines.append("# Not imported (a .tdag study has no place for it):")
        lines += [f"#   - {note}" for note in dropped]
    sources = list(dict.fromkeys(selection.values())) if selection else []
    for source in sources:
        pointed = ", ".join(_pointed_at(model, node, names, causes)
                            for node, owner in selection.items() if owner == source)
        lines.append(f"# Exported selection nodes of {source} (not variables): {pointed}")
    lines += ["tdag 1", ""]
    populations = [p for p in sources if _NAME.match(p) and p not in taken] or ["llm"]
    width = max(len(p) for p in [*populations, "human"])
    lines += [f'population {p.ljust(width)} source "LLM agents"' for p in populations]
    lines += [f'population {"human".ljust(width)} target "Human participants"', ""]
    renamed = [(n, names[n]) for n in variables if names[n] != n]
    if renamed:
        lines += [f"# renamed: {old!r} is {new}" for old, new in renamed]
    width = max(len(names[n]) for n in variables)
    for node in variables:
        kind = "latent" if "latent" in model.roles[node] else "binary"
        role = ""
        if exposures and node == exposures[0] and kind != "latent":
            role = " treatment"
        elif outcomes and node == outcomes[0] and kind != "latent":
            role = " outcome"
        label = f" {_quote(model.labels[node])}" if model.labels.get(node) else ""
        lines.append(f"var {names[node].ljust(width)} {kind}{label}{role}".rstrip())
    lines.append("")
    lines += _edge_lines(model, names, skipped, causes)
    lines.append("")
    if len(exposures) > 1 or len(outcomes) > 1:
        lines.append(
            "# The dagitty model names several exposures or outcomes; the first of each is used."
        )
    if exposures and outcomes and exposures[0] != outcomes[0]:
        lines.append(f"estimate effect of {names[exposures[0]]} on {names[outcomes[0]]} in human")
    else:
        lines.append(
            "# The dagitty model names no exposure/outcome pair: add the effect of interest,"
        )
        lines.append("# estimate effect of X on Y in human")
    return "\n".join(lines) + "\n"


def _pointed_at(model: DagittyModel, node: str, names: dict[str, str],
                causes: dict[str, str]) -> str:
    """What an exported selection node points at, with its status, as `.tdag` text."""
    status = model.attributes[node].get("tdag_status") or "not shared"
    heads = []
    for edge in model.edges:
        if edge.tail != node:
            continue
        if edge.head in causes:
            ends = [names.get(end, end) for end in causes[edge.head].split(",")]
            heads.append(" <-> ".join(ends))
        else:
            heads.append(names.get(edge.head, edge.head))
    return f"{' '.join(heads)} ({status})"


def _edge_lines(model: DagittyModel, names: dict[str, str], skipped: set[str],
                causes: dict[str, str]) -> list[str]:
    """`->` edges between variables, then `<->` arcs, including those an exported model
    wrote as an explicit latent cause (a `tdag_latent_cause` node with two children)."""
    directed = [f"{names[a]} -> {names[b]}" for a, b in model.directed
                if a not in skipped and b not in skipped]
    pairs: list[tuple[str, str]] = [(a, b) for a, b in model.bidirected
                                    if a not in skipped and b not in skipped]
    for cause in causes:
        children = [e.head for e in model.edges if e.tail == cause and e.kind == "directed"
                    and e.head in names]
        if len(children) == 2:
            pairs.append((children[0], children[1]))
    return directed + [f"{names[a]} <-> {names[b]}" for a, b in pairs]


__all__ = ["DagittyError", "DagittyModel", "Edge", "dagitty_to_tdag", "parse_dagitty"]
