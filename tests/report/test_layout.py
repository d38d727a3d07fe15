"""The pure-Python layered layout: no overlapping nodes, edges point down, crossings
reduced."""

from __future__ import annotations

import itertools

import pytest
from shared_fixtures import DIAGRAM_STUDY, EXAMPLES, language_examples

from transport.api import load, loads
from transport.report.diagram_model import diagram_model
from transport.report.diagram_svg import diagram_svg, layout_model
from transport.report.layout import Box, _project, assign_layers, layered_layout


def _studies():
    found = [pytest.param(load(p), id=p.parent.name) for p in EXAMPLES]
    found.append(pytest.param(loads(DIAGRAM_STUDY), id="every-selection-kind"))
    found.append(pytest.param(loads(language_examples()[0]), id="language-reference"))
    return found


def _overlap(a, b, gap: float = 1.0) -> bool:
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return abs(ax - bx) < (aw + bw) / 2 + gap and abs(ay - by) < (ah + bh) / 2 + gap


@pytest.mark.parametrize("study", _studies())
def test_no_overlapping_nodes(study):
    model = diagram_model(study)
    layout = layout_model(model)
    boxes = {n.id: (*layout.centres[n.id], *n.size) for n in model.nodes}
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not _overlap(box_a, box_b), (a, b)
    for x, y, w, hgt in boxes.values():
        assert x - w / 2 >= 0 and x + w / 2 <= layout.width
        assert y - hgt / 2 >= 0 and y + hgt / 2 <= layout.height
    for edge in model.edges:
        if edge.kind != "bidirected":
            assert layout.layers[edge.tail] < layout.layers[edge.head]
    svg = diagram_svg(model)
    assert svg.count('class="node ') == len(model.nodes)
    assert "Legend" in svg


def test_long_edges_are_routed_through_their_own_slots():
    boxes = [Box(n, 40, 20) for n in "abcd"]
    layout = layered_layout(boxes, [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")])
    route = layout.routes[("a", "d")]
    assert len(route) == 4  # two dummy points between layers 0 and 3
    for point in route[1:-1]:
        for node in "bc":
            x, y = layout.centres[node]
            if abs(point[1] - y) < 1:
                assert abs(point[0] - x) >= 20


def test_layers_pull_parentless_nodes_down():
    layers = assign_layers(["s", "a", "b", "c"], [("a", "b"), ("b", "c"), ("s", "c")])
    assert layers == {"a": 0, "b": 1, "c": 2, "s": 1}


def test_crossings_are_removed_when_possible():
    # Two parallel chains given in crossing order.
    boxes = [Box(n, 30, 20) for n in ("a1", "b1", "b2", "a2")]
    layout = layered_layout(boxes, [("a1", "a2"), ("b1", "b2")])
    (a1, _), (b1, _) = layout.centres["a1"], layout.centres["b1"]
    (a2, _), (b2, _) = layout.centres["a2"], layout.centres["b2"]
    assert (a1 - b1) * (a2 - b2) > 0


def test_projection_keeps_gaps_and_is_closest():
    assert _project([0.0, 0.0], [10.0]) == [-5.0, 5.0]
    assert _project([0.0, 50.0], [10.0]) == [0.0, 50.0]
