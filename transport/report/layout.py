"""A layered (Sugiyama-style) layout in pure Python, for drawing the selection diagram
when Graphviz is not installed.

Steps, each a function: longest-path layering with parentless nodes pulled down next to
their children; dummy nodes on edges that span several layers (so long edges are routed
between nodes, never through them); barycentric ordering sweeps that keep the order with
the fewest crossings; horizontal placement that moves each node towards the mean of its
neighbours while keeping a minimum gap (an isotonic-regression projection, exact for the
gap constraints). Nodes in one layer never overlap by construction, and layers are
separated vertically, so no two nodes overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

H_GAP = 28.0
V_GAP = 62.0
DUMMY_WIDTH = 10.0


@dataclass(frozen=True)
class Box:
    """A node to place: its id and size in pixels."""

    id: str
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    """Centres of the nodes, each edge's route (a polyline from tail to head through its
    dummy nodes), and the drawing's size."""

    centres: dict[str, tuple[float, float]]
    routes: dict[tuple[str, str], list[tuple[float, float]]]
    width: float
    height: float
    layers: dict[str, int]


def assign_layers(ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layers (a node sits below all its parents); a node without parents is
    then pulled down to just above its highest child. The top layer is 0."""
    parents: dict[str, list[str]] = {i: [] for i in ids}
    children: dict[str, list[str]] = {i: [] for i in ids}
    for tail, head in edges:
        parents[head].append(tail)
        children[tail].append(head)
    layer: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node not in layer:
            if node in seen:
                raise ValueError(f"the graph has a cycle through {node}")
            layer[node] = 1 + max((depth(p, seen | {node}) for p in parents[node]), default=-1)
        return layer[node]

    for node in ids:
        depth(node)
    for node in ids:
        if not parents[node] and children[node]:
            layer[node] = min(layer[c] for c in children[node]) - 1
    low = min(layer.values(), default=0)
    return {node: value - low for node, value in layer.items()}


def _crossings(order: list[list[str]], down: dict[str, list[str]]) -> int:
    """Edge crossings between consecutive layers."""
    total = 0
    for upper, lower in zip(order, order[1:], strict=False):
        rank = {n: i for i, n in enumerate(lower)}
        pairs = [(i, rank[c]) for i, n in enumerate(upper) for c in down[n] if c in rank]
        for a in range(len(pairs)):
            for b in range(a + 1, len(pairs)):
                (u1, l1), (u2, l2) = pairs[a], pairs[b]
                if (u1 - u2) * (l1 - l2) < 0:
                    total += 1
    return total


def order_layers(layers: list[list[str]], down: dict[str, list[str]],
                 up: dict[str, list[str]], sweeps: int = 12) -> list[list[str]]:
    """Barycentric ordering: alternate downward and upward sweeps, each layer sorted by the
    mean position of its neighbours in the previous layer; the best order seen is kept."""
    order = [list(layer) for layer in layers]
    best, best_cross = [list(layer) for layer in order], _crossings(order, down)

    def sort_by(layer: list[str], fixed: list[str], links: dict[str, list[str]]) -> list[str]:
        rank = {n: i for i, n in enumerate(fixed)}
        keys = {}
        for i, node in enumerate(layer):
            near = [rank[n] for n in links[node] if n in rank]
            keys[node] = (sum(near) / len(near) if near else float(i), i)
        return sorted(layer, key=keys.__getitem__)

    for _ in range(sweeps):
        for i in range(1, len(order)):
            order[i] = sort_by(order[i], order[i - 1], up)
        for i in range(len(order) - 2, -1, -1):
            order[i] = sort_by(order[i], order[i + 1], down)
        crossings = _crossings(order, down)
        if crossings < best_cross:
            best, best_cross = [list(layer) for layer in order], crossings
        if best_cross == 0:
            break
    return best


def _project(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions closest (least squares) to `desired` with x[i+1] - x[i] >= gaps[i]: pool
    adjacent violators on the gap-shifted coordinates."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    values = [d - o for d, o in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [mean, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, n2 = blocks.pop()
            mean1, n1 = blocks[-1]
            blocks[-1] = [(mean1 * n1 + mean2 * n2) / (n1 + n2), n1 + n2]
    fitted: list[float] = []
    for mean, count in blocks:
        fitted.extend([mean] * int(count))
    return [f + o for f, o in zip(fitted, offsets, strict=True)]


def place_x(order: list[list[str]], widths: dict[str, float], down: dict[str, list[str]],
            up: dict[str, list[str]], rounds: int = 24) -> dict[str, float]:
    """Horizontal centres: packed first, then pulled towards neighbours' mean position."""
    x: dict[str, float] = {}
    for layer in order:
        cursor = 0.0
        for node in layer:
            x[node] = cursor + widths[node] / 2
            cursor += widths[node] + H_GAP
    for step in range(rounds):
        sequence = range(len(order)) if step % 2 == 0 else range(len(order) - 1, -1, -1)
        for i in sequence:
            layer = order[i]
            desired = []
            for node in layer:
                near = [x[n] for n in up[node] + down[node]]
                desired.append(sum(near) / len(near) if near else x[node])
            gaps = [(widths[a] + widths[b]) / 2 + H_GAP for a, b in zip(layer, layer[1:],
                                                                        strict=False)]
            for node, value in zip(layer, _project(desired, gaps), strict=True):
                x[node] = value
    low = min((x[n] - widths[n] / 2 for n in x), default=0.0)
    return {n: value - low for n, value in x.items()}


def layered_layout(boxes: Sequence[Box], edges: Sequence[tuple[str, str]],
                   margin: float = 16.0) -> Layout:
    """Place `boxes` top to bottom along `edges` (which must be acyclic)."""
    ids = [b.id for b in boxes]
    layer_of = assign_layers(ids, edges)
    widths = {b.id: b.width for b in boxes}
    heights = {b.id: b.height for b in boxes}
    down: dict[str, list[str]] = {i: [] for i in ids}
    up: dict[str, list[str]] = {i: [] for i in ids}
    chains: dict[tuple[str, str], list[str]] = {}
    level = dict(layer_of)
    for tail, head in edges:
        chain = [tail]
        for k in range(layer_of[tail] + 1, layer_of[head]):
            dummy = f"\0{tail}\0{head}\0{k}"
            level[dummy], widths[dummy], heights[dummy] = k, DUMMY_WIDTH, 0.0
            down[dummy], up[dummy] = [], []
            chain.append(dummy)
        chain.append(head)
        for a, b in zip(chain, chain[1:], strict=False):
            down[a].append(b)
            up[b].append(a)
        chains[(tail, head)] = chain
    count = max(level.values(), default=-1) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    for node in list(ids) + [n for n in level if n not in layer_of]:
        layers[level[node]].append(node)
    order = order_layers(layers, down, up)
    x = place_x(order, widths, down, up)
    row_height = [max((heights[n] for n in layer), default=0.0) for layer in order]
    y_of_layer, cursor = [], margin
    for height in row_height:
        y_of_layer.append(cursor + height / 2)
        cursor += height + V_GAP
    centres = {n: (x[n] + margin, y_of_layer[level[n]]) for n in level}
    routes = {edge: [centres[n] for n in chain] for edge, chain in chains.items()}
    width = max((x[n] + widths[n] / 2 for n in level), default=0.0) + 2 * margin
    height = cursor - V_GAP + margin
    return Layout({i: centres[i] for i in ids}, routes, width, height,
                  {i: layer_of[i] for i in ids})
