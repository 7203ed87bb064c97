"""Safe YAML with positions: plain data plus the line and column of every value.

The data types live here; the parser, and PyYAML with it, is imported only
where a text is parsed (``yamlparse``): a course whose files were all validated
before (and cached) loads without PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    col: int  # 1-based


class YamlProblem(Exception):
    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


@dataclass
class Document:
    data: Any
    marks: dict[Path, Mark]
    key_marks: dict[Path, Mark]

    def key_mark(self, path: Path) -> Mark | None:
        """The position of the key that ends ``path``, if there is one."""
        return self.key_marks.get(path)

    def mark(self, path: Path) -> Mark:
        """The position of the deepest existing value on ``path``."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return Mark(1, 1)


class LazyDocument:
    """A document whose data was validated before (and cached): its marks are only
    worked out if an error needs a line and a column."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._loaded: Document | None = None

    def _document(self) -> Document:
        if self._loaded is None:
            loaded, _ = load(self._text)
            self._loaded = loaded or Document(None, {}, {})
        return self._loaded

    def mark(self, path: Path) -> Mark:
        return self._document().mark(path)

    def key_mark(self, path: Path) -> Mark | None:
        return self._document().key_mark(path)


def load(text: str) -> tuple[Document | None, list[YamlProblem]]:
    """Parse ``text``; return the document and every problem found in it."""
    from content.yamlparse import parse

    return parse(text)
