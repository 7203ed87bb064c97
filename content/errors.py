"""Errors in content, each with its file, line and column; all of them are reported at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentError:
    file: Path
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ContentErrors(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (str(e.file), e.line, e.col))
        super().__init__("\n".join(map(str, self.errors)))
