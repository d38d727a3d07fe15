"""Resource limits: checked, documented, and raisable where a user may need more.

Each limit keeps one input from growing the toolkit without bound (an `ordinal(1..10000)`
or `draws 100000000` took 7 and 13 GB; a 3,000-node chain took 2 GB in identification).
A limit that a real study could reach is read from an environment variable, so that a user
who needs more can say so knowingly; the messages name the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from transport.errors import DataError


class LimitError(DataError):
    """An input larger than a checked limit (exit code 1, like any problem with the input);
    the message names the limit and the environment variable that raises it."""


@dataclass(frozen=True)
class Limit:
    """A named upper bound with its default and the environment variable that raises it."""

    what: str
    default: int
    variable: str

    def value(self) -> int:
        """The bound in force: the environment variable when it holds a positive whole
        number, else the default."""
        text = os.environ.get(self.variable, "").strip()
        if text.isdigit() and int(text) > 0:
            return int(text)
        return self.default

    def hint(self) -> str:
        return f"the limit is {self.value():,}; set {self.variable} to raise it"


#: Posterior draws per run (`--draws`, `fit draws`, and chains x draws).
DRAWS = Limit("posterior draws", 100_000, "TRANSPORT_MAX_DRAWS")
#: Levels of a categorical or ordinal variable.
LEVELS = Limit("levels of a categorical or ordinal variable", 200, "TRANSPORT_MAX_LEVELS")
#: Size of a `.tdag` file in bytes (the largest generated study tested is 251 KiB).
SOURCE_BYTES = Limit("bytes in a .tdag file", 16 << 20, "TRANSPORT_MAX_TDAG_BYTES")
#: Variables (and latent causes) in a study that `identify` will search.
#: (1,000 nodes: about 10 s and 350 MB; the cost grows faster than the square of the size.)
IDENTIFY_NODES = Limit("variables to identify over", 1_000, "TRANSPORT_MAX_IDENTIFY_NODES")

#: Fewer posterior draws than this give a 95% interval that is mostly noise.
MIN_DRAWS = 100

#: Seeds are whole numbers from 0 to 2**32 - 1 (what every backend accepts).
MAX_SEED = 2**32 - 1


__all__ = ["DRAWS", "IDENTIFY_NODES", "LEVELS", "Limit", "LimitError", "MAX_SEED", "MIN_DRAWS",
           "SOURCE_BYTES"]
