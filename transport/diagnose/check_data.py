"""`transport check --data`: validate every data file of a study without estimating, then
test the graph's implied independencies in the files that loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transport.data.load import LoadedData, load_data, resolve
from transport.diagnose.implications import ALPHA, ImplicationReport, implication_tests
from transport.errors import DataError
from transport.study import DataSpec, Study


@dataclass(frozen=True)
class FileCheck:
    """One data statement's file: the rows it gave, or the message saying what is wrong."""

    spec: DataSpec
    path: str
    rows: int | None
    dropped: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        return {"population": self.spec.population, "path": self.spec.path,
                "design": self.spec.design(), "rows": self.rows, "dropped": self.dropped,
                "error": self.error}


@dataclass(frozen=True)
class DataCheck:
    """Every data file checked, and the implications tested in those that loaded."""

    files: tuple[FileCheck, ...]
    implications: ImplicationReport

    @property
    def ok(self) -> bool:
        """No file failed and no implication was violated."""
        return all(f.ok for f in self.files) and not self.implications.violated

    def to_json(self) -> dict[str, Any]:
        return {"data": [f.to_json() for f in self.files],
                "implications": self.implications.to_json(),
                "alpha": self.implications.alpha}


def check_data(
    study: Study, drop_missing: bool = False, alpha: float = ALPHA, seed: int = 0
) -> DataCheck:
    """Load and validate each data statement's file on its own (so every bad file is
    reported, not only the first), then test the implications in the good ones."""
    files: list[FileCheck] = []
    loaded: list[LoadedData] = []
    for spec in study.data:
        try:
            data = load_data(spec, study, drop_missing)
        except DataError as error:
            files.append(FileCheck(spec, str(resolve(spec, study)), None, None, str(error)))
            continue
        loaded.append(data)
        files.append(FileCheck(spec, str(data.path), len(data.frame), data.rows_dropped, None))
    return DataCheck(tuple(files), implication_tests(study, loaded, alpha, seed))
