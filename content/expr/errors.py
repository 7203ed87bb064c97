"""Why a student's input could not be read, and where."""

from __future__ import annotations


class ParseError(ValueError):
    """Input that cannot be read: an ``invalid`` verdict that costs no attempt."""

    def __init__(self, reason: str, col: int) -> None:
        super().__init__(f"{reason} (column {col})")
        self.reason = reason
        self.col = col


class ShapeError(ValueError):
    """A formula that reads fine but whose matrix shapes do not fit together."""
