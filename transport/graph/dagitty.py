"""Read a dagitty model (`dag { ... }`) and write a `.tdag` skeleton from it.

The skeleton declares two populations, every variable (types default to binary; latent
nodes stay latent), every edge, and the effect when the model names an exposure and an
outcome. It declares no mechanism, so `transport check` then lists each one the effect
depends on: stating them is the user's work, not the importer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transport.errors import UsageError

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      |(?P<comment>//[^\n]*|\#[^\n]*)
      |(?P<string>"(?:[^"\\]|\\.)*")
      |(?P<arrow><->|->|<-|--)
      |(?P<punct>[{}\[\],=@])
      |(?P<word>[^\s{}\[\],="@<>-]+(?:-(?![->-])[^\s{}\[\],="@<>-]*)*)
      |(?P<other>.)""",
    re.VERBOSE,
)
_ROLES = {"exposure": "exposure", "e": "exposure", "outcome": "outcome", "o": "outcome",
          "latent": "latent", "l": "latent", "u": "latent", "unobserved": "latent"}


@dataclass
class DagittyModel:
    """Nodes in order of appearance with their roles, directed edges and `<->` arcs."""

    nodes: list[str] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=dict)
    directed: list[tuple[str, str]] = field(default_factory=list)
    bidirected: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str) -> None:
        if name not in self.roles:
            self.nodes.append(name)
            self.roles[name] = set()


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "string":
            value = value[1:-1].replace('\\"', '"')
            kind = "word"
        line = text.count("\n", 0, match.start()) + 1
        out.append((kind, value, line))
    return out


def parse_dagitty(text: str) -> DagittyModel:
    """A dagitty model; raises UsageError naming the line of anything it cannot read."""
    tokens = _tokens(text)
    if tokens and tokens[0][0] == "word" and tokens[0][1] in ("dag", "pdag", "mag", "pag"):
        if tokens[0][1] != "dag":
            raise UsageError(f"only dagitty 'dag' models can be imported, not '{tokens[0][1]}'")
        tokens = tokens[1:]
        if not tokens or tokens[0][1] != "{" or tokens[-1][1] != "}":
            raise UsageError("the dagitty model must be written as dag { ... }")
        tokens = tokens[1:-1]
    model = DagittyModel()
    i = 0

    def fail(message: str, at: int) -> UsageError:
        line = tokens[at][2] if at < len(tokens) else (tokens[-1][2] if tokens else 1)
        return UsageError(f"dagitty line {line}: {message}")

    def group(at: int) -> tuple[list[str], int]:
        kind, value, _ = tokens[at]
        if value == "{":
            names = []
            at += 1
            while at < len(tokens) and tokens[at][1] != "}":
                if tokens[at][0] != "word":
                    raise fail(f"unexpected '{tokens[at][1]}' in a node group", at)
                names.append(tokens[at][1])
                at += 1
                if at < len(tokens) and tokens[at][1] == ",":
                    at += 1
            if at >= len(tokens):
                raise fail("unclosed '{'", at)
            return names, at + 1
        if kind != "word":
            raise fail(f"unexpected '{value}'", at)
        return [value], at + 1

    while i < len(tokens):
        kind, value, _ = tokens[i]
        if kind == "word" and i + 1 < len(tokens) and tokens[i + 1][1] == "=":
            i += 3  # a graph attribute such as bb="0,0,1,1"
            continue
        names, i = group(i)
        for name in names:
            model.add(name)
        if i < len(tokens) and tokens[i][1] == "@":  # old-style position: A @0.1,0.2
            i += 1
            while i < len(tokens) and re.fullmatch(r"[-+0-9.eE,]+", tokens[i][1]):
                i += 1
        if i < len(tokens) and tokens[i][1] == "[":
            i = _attributes(tokens, i, names, model, fail)
        while i < len(tokens) and tokens[i][0] == "arrow":
            arrow = tokens[i][1]
            if arrow == "--":
                raise fail("undirected edges (--) have no causal reading; orient them", i)
            right, i = group(i + 1)
            for name in right:
                model.add(name)
            for a in names:
                for b in right:
                    if arrow == "->":
                        model.directed.append((a, b))
                    elif arrow == "<-":
                        model.directed.append((b, a))
                    else:
                        model.bidirected.append((a, b))
            names = right
    return model


def _attributes(tokens, i, names, model, fail) -> int:
    i += 1
    while i < len(tokens) and tokens[i][1] != "]":
        key = tokens[i][1].lower()
        if i + 1 < len(tokens) and tokens[i + 1][1] == "=":
            i += 3
        else:
            if key in _ROLES:
                for name in names:
                    model.roles[name].add(_ROLES[key])
            i += 1
        if i < len(tokens) and tokens[i][1] == ",":
            i += 1
    if i >= len(tokens):
        raise fail("unclosed '['", i)
    return i + 1


def _tdag_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", name)
    if not base or base[0].isdigit():
        base = f"v_{base}"
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}_{k}", k + 1
    taken.add(candidate)
    return candidate


def dagitty_to_tdag(text: str, origin: str = "a dagitty model") -> str:
    """A `.tdag` skeleton for a dagitty model (see the module docstring)."""
    from transport.syntax.grammar import STATEMENT_KEYWORDS

    model = parse_dagitty(text)
    if not model.nodes:
        raise UsageError("the dagitty model has no nodes")
    taken: set[str] = set(STATEMENT_KEYWORDS)
    names = {n: _tdag_name(n, taken) for n in model.nodes}
    exposures = [n for n in model.nodes if "exposure" in model.roles[n]]
    outcomes = [n for n in model.nodes if "outcome" in model.roles[n]]
    lines = [
        f"# Imported from {origin}.",
        "# Variable types default to binary: set each to what was measured.",
        "# No mechanism is declared yet. `transport check` lists every mechanism the effect",
        "# depends on; state each one as shared, differs or partial, with a reason.",
        "tdag 1",
        "",
        'population llm   source "LLM agents"',
        'population human target "Human participants"',
        "",
    ]
    renamed = [(n, names[n]) for n in model.nodes if names[n] != n]
    if renamed:
        lines += [f"# renamed: {old!r} is {new}" for old, new in renamed]
    width = max(len(names[n]) for n in model.nodes)
    for node in model.nodes:
        kind = "latent" if "latent" in model.roles[node] else "binary"
        role = ""
        if exposures and node == exposures[0] and kind != "latent":
            role = " treatment"
        elif outcomes and node == outcomes[0] and kind != "latent":
            role = " outcome"
        lines.append(f"var {names[node].ljust(width)} {kind}{role}".rstrip())
    lines.append("")
    lines += [f"{names[a]} -> {names[b]}" for a, b in model.directed]
    lines += [f"{names[a]} <-> {names[b]}" for a, b in model.bidirected]
    lines.append("")
    if len(exposures) > 1 or len(outcomes) > 1:
        lines.append(
            "# The dagitty model names several exposures or outcomes; the first of each is used."
        )
    if exposures and outcomes:
        lines.append(f"estimate effect of {names[exposures[0]]} on {names[outcomes[0]]} in human")
    else:
        lines.append(
            "# The dagitty model names no exposure/outcome pair: add the effect of interest,"
        )
        lines.append("# estimate effect of X on Y in human")
    return "\n".join(lines) + "\n"
