"""Graph facts the checker and the graph stage both need, on plain edge lists."""

from __future__ import annotations

from collections.abc import Iterable


def directed_cycles(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one, each as its node list
    starting from its smallest name. Iterative Tarjan: deep graphs do not hit recursion."""
    children: dict[str, list[str]] = {n: [] for n in nodes}
    for tail, head in edges:
        children.setdefault(tail, []).append(head)
        children.setdefault(head, [])
    for kids in children.values():
        kids.sort()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in sorted(children):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            kids = children[node]
            if position < len(kids):
                work.append((node, position + 1))
                child = kids[position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted((_cycle_within(set(c), children) for c in components), key=lambda c: c[0])


def _cycle_within(members: set[str], children: dict[str, list[str]]) -> list[str]:
    """A simple cycle through the smallest member of a strongly connected component."""
    start = min(members)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in children[node]:
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return path[::-1]
                if child in members and child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError("a strongly connected component always has a cycle")


def ancestors_without_incoming(
    edges: Iterable[tuple[str, str]], outcome: str, cut: str
) -> set[str]:
    """Ancestors of `outcome` (itself included) once the edges into `cut` are removed:
    the variables whose mechanisms P*(outcome | do(cut)) depends on."""
    parents: dict[str, set[str]] = {}
    for tail, head in edges:
        if head != cut:
            parents.setdefault(head, set()).add(tail)
    seen = {outcome}
    stack = [outcome]
    while stack:
        node = stack.pop()
        for parent in parents.get(node, ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def descendants(edges: Iterable[tuple[str, str]], start: str) -> set[str]:
    """Nodes reachable from `start` along directed edges (itself excluded)."""
    children: dict[str, set[str]] = {}
    for tail, head in edges:
        children.setdefault(tail, set()).add(head)
    seen: set[str] = set()
    stack = [start]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen
