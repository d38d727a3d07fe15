"""One mistake, one error: after E031 (unknown type) no other rule restates it."""

from __future__ import annotations

import pytest

from transport.api import check_source
from transport.source import Source

STUDY = """\
population gpt source
population human target
{x}
var y binary outcome
x -> y
shared x, y
data gpt "g.csv" experiment(x) measures(x, y)
estimate effect of x on y in human{contrast}
"""


@pytest.mark.parametrize("declaration", ["var x bianry treatment", "var x binery"])
@pytest.mark.parametrize("contrast", ["", " contrast 1 vs 0", " contrast a vs b"])
def test_an_unknown_type_is_reported_once(declaration, contrast):
    text = STUDY.format(x=declaration, contrast=contrast)
    result = check_source(Source(text, "t.tdag"))
    assert [(d.code, d.span.line) for d in result.errors] == [("E031", 3)]
