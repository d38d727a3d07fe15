"""dagitty's model language, read as dagitty itself reads it.

The reader follows dagitty's published grammar (a dialect of Graphviz DOT): `;` counts as
whitespace; a model may be named (`dag G { }`) or have no header at all when it has an
arrow; node groups `{a b}` may stand on either side of an edge; attributes follow nodes
and edges in `[...]`; strings are quoted with `"` and may be joined with `+`. Role
attributes are case-sensitive and their values ignored, as in dagitty. Nothing is refused
here that dagitty accepts: what an import cannot use (edge kinds other than `->` and `<->`,
positions, adjusted or selected roles) is recorded, and the importer decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transport.errors import DataError


class DagittyError(DataError):
    """A dagitty model that cannot be read or imported (exit code 1, like bad data)."""


#: dagitty's attribute keys for roles, mapped to the role names its own writer uses.
ROLE_KEYS = {
    "exposure": "exposure", "e": "exposure", "source": "exposure",
    "outcome": "outcome", "o": "outcome", "target": "outcome",
    "latent": "latent", "l": "latent", "unobserved": "latent", "u": "latent",
    "adjusted": "adjusted", "a": "adjusted",
    "selected": "selected", "s": "selected",
}
ROLES = ("exposure", "outcome", "adjusted", "latent", "selected")

#: The edge operators, longest first where one is a prefix of another, and their kinds:
#: (kind, reversed). dagitty stores `<-` and `<-@`/`--@` with their ends swapped.
EDGE_OPERATORS = (
    ("@->", ("partially_directed", False)), ("<-@", ("partially_directed", True)),
    ("->", ("directed", False)), ("--@", ("partially_undirected", True)),
    ("--", ("undirected", False)), ("<->", ("bidirected", False)),
    ("<-", ("directed", True)), ("@-@", ("unspecified", False)),
    ("@--", ("partially_undirected", False)),
)
SYMMETRIC = {"bidirected", "undirected", "unspecified"}
GRAPH_TYPES = ("graph", "digraph", "dag", "mag", "pdag", "pag")
RESERVED = ("graph", "node")

_GRAPH_TYPE = "(" + "|".join(GRAPH_TYPES) + ")"  # no type is a prefix of another
_HEADER = re.compile("^" + _GRAPH_TYPE + r"(\s+\w+)?\s*\{([\s\S]*)\}$",
                     re.IGNORECASE | re.MULTILINE | re.ASCII)
_BAREWORD = re.compile(r"-?[0-9a-zA-Z_.]+")
_WHITESPACE = re.compile(r"[\n\r\t ;]*")
_POSITION = re.compile(r"\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*")
_BOUNDS = re.compile(r"\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*")


@dataclass
class Edge:
    """One edge as dagitty stores it: `kind` is directed, bidirected, undirected,
    partially_directed, partially_undirected or unspecified."""

    tail: str
    head: str
    kind: str
    attributes: dict[str, str | None] = field(default_factory=dict)
    label: str | None = None
    position: tuple[float, float] | None = None
    line: int = 0


@dataclass
class DagittyModel:
    """Everything a dagitty model states, nodes in order of first appearance."""

    type: str = "dag"
    name: str | None = None
    nodes: list[str] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    attributes: dict[str, dict[str, str | None]] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    bounding_box: tuple[float, ...] | None = None

    def add(self, name: str) -> None:
        if name not in self.roles:
            self.nodes.append(name)
            self.roles[name] = set()

    @property
    def directed(self) -> list[tuple[str, str]]:
        return [(e.tail, e.head) for e in self.edges if e.kind == "directed"]

    @property
    def bidirected(self) -> list[tuple[str, str]]:
        return [(e.tail, e.head) for e in self.edges if e.kind == "bidirected"]

    def with_role(self, role: str) -> list[str]:
        return [n for n in self.nodes if role in self.roles[n]]

    def add_edge(self, edge: Edge) -> Edge:
        """dagitty keeps one edge per pair and kind (either orientation when symmetric)."""
        for old in self.edges:
            if old.kind != edge.kind:
                continue
            if (old.tail, old.head) == (edge.tail, edge.head) or (
                edge.kind in SYMMETRIC and (old.tail, old.head) == (edge.head, edge.tail)
            ):
                return old
        self.edges.append(edge)
        return edge


class _Reader:
    """A cursor over the model text that fails with dagitty-style positions."""

    def __init__(self, text: str, original: str, shift: int) -> None:
        self.text = text
        self.pos = 0
        self.original = original  # the user's text, which positions in messages refer to
        self.shift = shift  # original offset = offset in text + shift

    def line(self, at: int | None = None) -> int:
        at = (self.pos if at is None else at) + self.shift
        return self.original.count("\n", 0, max(at, 0)) + 1

    def fail(self, message: str, at: int | None = None) -> DagittyError:
        end = len(self.original.rstrip())
        at = min(max((self.pos if at is None else at) + self.shift, 0), end)
        start = self.original.rfind("\n", 0, at) + 1
        line = self.original.count("\n", 0, at) + 1
        return DagittyError(f"dagitty line {line}, column {at - start + 1}: {message}")

    def skip(self) -> None:
        self.pos = _WHITESPACE.match(self.text, self.pos).end()

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)

    def take(self, literal: str) -> bool:
        if self.peek(literal):
            self.pos += len(literal)
            return True
        return False

    def near(self) -> str:
        if self.pos >= len(self.text):
            return "the end of the model"
        return repr(self.text[self.pos:self.pos + 12].split("\n")[0])


def _identifier(reader: _Reader) -> str | None:
    """BAREWORD or STRING (joined with `+`), with the whitespace after it; None if absent."""
    match = _BAREWORD.match(reader.text, reader.pos)
    if match:
        reader.pos = match.end()
        reader.skip()
        return match.group()
    if not reader.peek('"'):
        return None
    parts = []
    while True:
        start = reader.pos
        reader.pos += 1
        chars = []
        while True:
            if reader.pos >= len(reader.text):
                raise reader.fail("unclosed string", start)
            ch = reader.text[reader.pos]
            if ch == '"':
                reader.pos += 1
                break
            if ch == "\\":
                rest = reader.text[reader.pos + 1:reader.pos + 2]
                if rest == '"':
                    chars.append('"')
                    reader.pos += 2
                    continue
                if rest in ("\n", "\r"):
                    reader.pos += 1
                    while reader.pos < len(reader.text) and reader.text[reader.pos] in "\r\n":
                        reader.pos += 1
                    continue
                chars.append("\\")
                reader.pos += 1
                continue
            if ch < " " or ch == "\x7f":
                raise reader.fail("a string cannot hold a line break or control character")
            chars.append(ch)
            reader.pos += 1
        parts.append("".join(chars))
        reader.skip()
        mark = reader.pos
        if reader.take("+"):
            reader.skip()
            if reader.peek('"'):
                continue
            reader.pos = mark
        return "".join(parts)


def _attributes(reader: _Reader) -> list[tuple[str, str | None]]:
    """`[k, k=v; ...]`; an empty list when there is none."""
    if not reader.take("["):
        return []
    reader.skip()
    pairs: list[tuple[str, str | None]] = []
    while not reader.peek("]"):
        key = _identifier(reader)
        if key is None:
            raise reader.fail(f"expected an attribute name or ']', found {reader.near()}")
        value = None
        if reader.take("="):
            reader.skip()
            value = _identifier(reader)
            if value is None:
                raise reader.fail(f"expected a value after '{key}=', found {reader.near()}")
        if reader.peek(";") or reader.peek(","):
            reader.pos += 1
        reader.skip()
        pairs.append((key, value))
    reader.pos += 1
    reader.skip()
    return pairs


def _edge_operator(reader: _Reader) -> tuple[str, bool] | None:
    for operator, meaning in EDGE_OPERATORS:
        if reader.take(operator):
            reader.skip()
            return meaning
    return None


class _Builder:
    """Turns statements into the model as dagitty's GraphParser does."""

    def __init__(self, reader: _Reader, model: DagittyModel) -> None:
        self.reader = reader
        self.model = model

    def vertex(self, name: str, at: int, group: list[str]) -> str:
        if name in RESERVED:
            raise self.reader.fail(
                f"dagitty does not allow a variable named '{name}' (use the label attribute)",
                at,
            )
        if name not in group:
            group.append(name)
        self.model.add(name)
        return name

    def statements(self, group: list[str]) -> None:
        """stmt_list up to (not including) the closing '}'."""
        reader = self.reader
        while reader.pos < len(reader.text) and not reader.peek("}"):
            self.statement(group)
            reader.skip()

    def operand(self, group: list[str]) -> list[str] | None:
        """An identifier (always a vertex, as in dagitty's grammar, where a name before
        `{` is a node of its own) or an anonymous group `{ ... }`; its vertices."""
        reader = self.reader
        start = reader.pos
        name = _identifier(reader)
        if name is not None:
            return [self.vertex(name, start, group)]
        if not reader.take("{"):
            return None
        reader.skip()
        inner: list[str] = []
        self.statements(inner)
        if not reader.take("}"):
            raise reader.fail("unclosed '{'", start)
        reader.skip()
        for vertex in inner:
            if vertex not in group:
                group.append(vertex)
        return inner

    def statement(self, group: list[str]) -> None:
        reader, model = self.reader, self.model
        start = reader.pos
        key = _identifier(reader)
        if key is not None and reader.take("="):  # a graph option such as bb="0,0,1,1"
            reader.skip()
            value = _identifier(reader)
            if value is None:
                raise reader.fail(f"expected a value after '{key}=', found {reader.near()}")
            if key == "bb":
                self.bounds(value, start)
            return
        if key == "graph" and not any(reader.peek(op) for op, _ in EDGE_OPERATORS):
            for name, value in _attributes(reader):  # graph [bb="..."]
                if name == "bb":
                    self.bounds(value or "", start)
            return
        reader.pos = start
        left = self.operand(group)
        if left is None:
            raise reader.fail(f"expected a variable, '{{' or '}}', found {reader.near()}")
        chain: list[tuple[list[str], tuple[str, bool] | None]] = [(left, None)]
        while (operator := _edge_operator(reader)) is not None:
            right = self.operand(group)
            if right is None:
                raise reader.fail(f"expected a variable after the edge, found {reader.near()}")
            chain.append((right, operator))
        attributes = _attributes(reader)
        if len(chain) == 1:
            if key is not None:
                self.node_attributes(left[0], attributes, start)
            elif attributes:
                raise reader.fail("attributes after a group of variables", start)
            return
        line = reader.line(start)
        for (tails, _), (heads, (kind, backwards)) in zip(chain, chain[1:], strict=False):
            last = None
            for a in tails:
                for b in heads:
                    tail, head = (b, a) if backwards else (a, b)
                    last = model.add_edge(Edge(tail, head, kind, line=line))
            if last is not None:
                for name, value in attributes:
                    if name == "pos":
                        last.position = self.position(value, start)
                    elif name == "label":
                        last.label = value
                    else:
                        last.attributes[name] = value

    def position(self, value: str | None, at: int) -> tuple[float, float]:
        position = _POSITION.match(value or "")
        if not position:
            raise self.reader.fail('syntax error in the "pos" option (expected "x,y")', at)
        return float(position.group(1)), float(position.group(2))

    def bounds(self, value: str, at: int) -> None:
        bounds = _BOUNDS.match(value)
        if not bounds:
            raise self.reader.fail('syntax error in the "bb" option', at)
        self.model.bounding_box = tuple(float(x) for x in bounds.groups())

    def node_attributes(self, name: str, attributes: list, at: int) -> None:
        model = self.model
        for key, value in attributes:
            if key in ROLE_KEYS:
                model.roles[name].add(ROLE_KEYS[key])
            elif key == "pos":
                model.positions[name] = self.position(value, at)
            elif key == "label":
                model.labels[name] = "" if value is None else value
            else:
                model.attributes.setdefault(name, {})[key] = value


LEGACY = (
    "this is not a dagitty model of the form dag { ... } but dagitty's old format (a list "
    "of variables, a blank line, then adjacency lists or a matrix), which cannot be "
    "imported; open it in dagitty.net and copy the model code from 'Model code'"
)


def parse_dagitty(text: str) -> DagittyModel:
    """The model dagitty reads from `text`; raises DagittyError naming line and column of
    anything dagitty would not accept, and for dagitty's legacy adjacency-list format."""
    code = text.strip()
    shift = len(text) - len(text.lstrip())
    model = DagittyModel()
    if not _HEADER.search(code):
        if not re.search(r"->|<->|<-", code):
            if not code:
                raise DagittyError("the dagitty model is empty")
            raise DagittyError(LEGACY)
        code = "dag{ " + code + "}"
        shift -= len("dag{ ")
    reader = _Reader(code, text, shift)
    reader.skip()
    start = reader.pos
    if re.match(r"strict", code[reader.pos:], re.IGNORECASE):
        reader.pos += 6
        reader.skip()
    kind = re.match(_GRAPH_TYPE, code[reader.pos:], re.IGNORECASE)
    if not kind:
        raise reader.fail("a dagitty model starts with dag, pdag, mag, pag, graph or digraph",
                          start)
    reader.pos += kind.end()
    reader.skip()
    model.type = kind.group().lower()
    model.name = _identifier(reader)
    if not reader.take("{"):
        raise reader.fail(f"expected '{{', found {reader.near()}")
    reader.skip()
    _Builder(reader, model).statements([])
    if not reader.take("}"):
        raise reader.fail("the model's '{' is never closed")
    reader.skip()
    if reader.pos != len(code):
        raise reader.fail(f"unexpected {reader.near()} after the model's closing '}}'")
    return model


__all__ = ["DagittyError", "DagittyModel", "Edge", "ROLES", "parse_dagitty"]
