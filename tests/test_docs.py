"""The documentation's examples are tests: docs that drift from the implementation fail.

* every ```tdag block in docs/*.md and README.md checks without errors (warnings allowed;
  a first line `# expect: W1xx` asserts that warning);
* every ```tdag-error block produces exactly the error code on its first line
  (`# expect: E0xx`) and no other error;
* the diagnostics table in docs/language.md lists exactly the codes the implementation
  defines, and each code has an example;
* relative links between the docs point at files that exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from transport.api import check_source, read_source
from transport.errors import TdagError
from transport.source import Source

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
LANGUAGE = ROOT / "docs" / "language.md"

FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXPECT = re.compile(r"#\s*expect:\s*([EW]\d{3})")
CODE = re.compile(r"""["']([EW]\d{3})["']""")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    kind: str
    text: str

    @property
    def where(self) -> str:
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"

    @property
    def expected(self) -> str | None:
        first = self.text.split("\n", 1)[0]
        match = EXPECT.search(first)
        return match.group(1) if match else None


def blocks(path: Path, kinds: tuple[str, ...]) -> list[Block]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) in kinds:
            line = text.count("\n", 0, match.start()) + 2  # the block's first line
            found.append(Block(path, line, match.group(1), match.group(2)))
    return found


def outcome(block: Block) -> tuple[list[str], list[str], str]:
    """Error codes, warning codes and the rendered diagnostics for a block."""
    source = Source(block.text, block.where)
    try:
        diagnostics = check_source(source).diagnostics
    except TdagError as error:
        diagnostics = error.diagnostics
    errors = [d.code for d in diagnostics if d.is_error]
    warnings = [d.code for d in diagnostics if not d.is_error]
    rendered = "\n".join(d.render(source) for d in diagnostics)
    return errors, warnings, rendered


GOOD = [b for path in DOCS for b in blocks(path, ("tdag",))]
BAD = [b for path in DOCS for b in blocks(path, ("tdag-error",))]


def test_docs_have_examples():
    assert LANGUAGE.is_file(), "docs/language.md is missing"
    assert len(blocks(LANGUAGE, ("tdag",))) >= 5
    assert len(blocks(LANGUAGE, ("tdag-error",))) >= 10


@pytest.mark.parametrize("block", GOOD, ids=[b.where for b in GOOD])
def test_tdag_block_checks(block: Block):
    errors, warnings, rendered = outcome(block)
    assert not errors, f"{block.where}: the example has errors:\n{rendered}"
    if block.expected is not None:
        assert block.expected in warnings, (
            f"{block.where}: expected {block.expected}, got {warnings}:\n{rendered}"
        )


@pytest.mark.parametrize("block", BAD, ids=[b.where for b in BAD])
def test_tdag_error_block_fails_with_its_code(block: Block):
    assert block.expected is not None and block.expected.startswith("E"), (
        f"{block.where}: a tdag-error block must start with '# expect: E0xx'"
    )
    errors, _, rendered = outcome(block)
    assert set(errors) == {block.expected}, (
        f"{block.where}: expected exactly {block.expected}, got {errors}:\n{rendered}"
    )


def implemented_codes() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "transport").rglob("*.py"):
        found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def documented_codes() -> set[str]:
    text = LANGUAGE.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*([EW]\d{3})\s*\|", text, re.MULTILINE))


def test_every_code_is_documented():
    implemented, documented = implemented_codes(), documented_codes()
    assert implemented, "no diagnostic codes found in transport/"
    assert not implemented - documented, (
        f"codes missing from the table in docs/language.md: {sorted(implemented - documented)}"
    )
    assert not documented - implemented, (
        f"documented codes the implementation never emits: {sorted(documented - implemented)}"
    )


def test_every_code_has_an_example():
    shown = {b.expected for b in BAD + GOOD if b.expected}
    missing = documented_codes() - shown - {"E001"}  # E001 needs bytes: tested below
    assert not missing, f"codes without an example block in the docs: {sorted(missing)}"


def test_e001_non_utf8_file(tmp_path: Path):
    path = tmp_path / "latin1.tdag"
    path.write_bytes('population human target "\u00c2ge"\n'.encode("latin-1"))
    with pytest.raises(TdagError) as caught:
        read_source(path)
    assert [d.code for d in caught.value.diagnostics] == ["E001"]


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("path", [p for p in DOCS if p.is_file()], ids=lambda p: p.name)
def test_relative_links_resolve(path: Path):
    text = path.read_text(encoding="utf-8")
    broken = [
        target
        for target in LINK.findall(text)
        if "://" not in target
        and not target.startswith("mailto:")
        and not (path.parent / target).exists()
    ]
    assert not broken, f"{path.name}: broken links {broken}"
