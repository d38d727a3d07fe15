"""d-separation on plain edge lists, for the checker's post-treatment rule.

A confounding arc `a <-> b` stands for a latent common cause, added as a node of its own.
The test is Lauritzen's: `a` and `b` are d-separated by `given` exactly when they are
disconnected in the moral graph of the ancestors of {a, b} ∪ given, once `given` is removed
(Lauritzen, Dawid, Larsen & Leimer 1990). Linear in the size of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable


def ancestors(edges: Iterable[tuple[str, str]], nodes: Iterable[str]) -> set[str]:
    """`nodes` and every node with a directed path into one of them."""
    parents: dict[str, set[str]] = {}
    for tail, head in edges:
        parents.setdefault(head, set()).add(tail)
    seen = set(nodes)
    stack = list(seen)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def d_separated(
    directed: Iterable[tuple[str, str]],
    bidirected: Iterable[tuple[str, str]],
    a: str,
    b: str,
    given: Iterable[str],
) -> bool:
    """True when every path between `a` and `b` is blocked by `given` (a, b not in given)."""
    edges = list(directed)
    for first, second in bidirected:
        cause = f"<{first}<->{second}>"  # cannot collide with a variable name
        edges += [(cause, first), (cause, second)]
    given = set(given)
    keep = ancestors(edges, {a, b} | given)
    parents: dict[str, set[str]] = {}
    for tail, head in edges:
        if tail in keep and head in keep:
            parents.setdefault(head, set()).add(tail)
    neighbours: dict[str, set[str]] = {}

    def join(u: str, v: str) -> None:
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)

    for child, those in parents.items():
        ordered = sorted(those)
        for i, parent in enumerate(ordered):
            join(parent, child)
            for other in ordered[i + 1:]:
                join(parent, other)
    seen = {a}
    stack = [a]
    while stack:
        for node in neighbours.get(stack.pop(), ()):
            if node == b:
                return False
            if node not in seen and node not in given:
                seen.add(node)
                stack.append(node)
    return True
