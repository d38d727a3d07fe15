"""The hostile-input corpus (tests/hostile/generate.py) through the command line: no
internal error (exit 3), no traceback, no raw control character in any output, and every
exit code is 0, 1 or 2. Slow: about 2,200 commands, about 200 of them estimates."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.generate import corpus, run_case, run_corpus


@pytest.mark.slow
def test_the_corpus_gives_no_internal_error(tmp_path: Path) -> None:
    cases = corpus()
    counts, failures = run_corpus(cases, tmp_path)
    assert sum(counts.values()) == len(cases)
    assert [(f.case.name, f.case.argv, f.problems) for f in failures] == []
    assert not any(code == 3 for _, code in counts)


def test_a_few_cases_of_each_kind(tmp_path: Path) -> None:
    """A quick sample in the default run: the same invariants on a handful of cases."""
    cases = corpus(seed=3, language=12, data=0)
    sample = [c for c in cases if c.kind == "language" or c.kind == "outputs"]
    sample += [c for c in cases if c.kind == "escapes" and c.argv[0] in ("check", "graph")]
    for case in sample:
        outcome = run_case(case, tmp_path / case.name)
        assert outcome.problems == [], (case.name, case.argv)
        assert outcome.code in (0, 1, 2)
