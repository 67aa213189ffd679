"""One way to report bad input: every problem at once, each naming where and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based line number in the file, header = line 1; None if file-level
    column: str | None
    rule: str
    value: object = None
    county: str | None = None
    year: object = None

    def __post_init__(self) -> None:
        # Print what the user wrote: numpy scalars (np.float64(3.42)) become plain Python values.
        for name in ("value", "county", "year", "row"):
            found = getattr(self, name)
            if isinstance(found, np.generic):
                object.__setattr__(self, name, found.item())

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        parts = [where]
        if self.column:
            parts.append(f"column {self.column}")
        if self.county:
            parts.append(f"county {self.county}")
        if self.year is not None and not (isinstance(self.year, float) and pd.isna(self.year)):
            parts.append(f"year {self.year}")
        parts.append(f"rule: {self.rule}")
        if self.value is not None:
            parts.append(f"found {self.value!r}")
        return " | ".join(parts)


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.problems.append(Problem(*args, **kwargs))

    def extend(self, other: ValidationReport) -> None:
        self.problems.extend(other.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(p) for p in self.problems])

    def __str__(self) -> str:
        if self.ok:
            return "no problems found"
        lines = [f"{len(self.problems)} problem(s):"] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self)


class DataValidationError(ValueError):
    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(str(report))
