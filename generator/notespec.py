"""What a note is before it is a genanki note: its type, fields, deck, tags and pictures.

Kept apart from ``notes.py`` (which renders them) so that a build which finds
every problem's notes in the cache never imports the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class NoteSpec:
    id: str
    kind: str  # a key of generator.models.NOTE_TYPES
    deck: str
    fields: dict[str, str]
    tags: list[str]
    pictures: list[Path] = field(default_factory=list)
    # Derived when the deck is written (the lock's hash of the note, its GUID) and
    # kept with cached notes, so that a reused note costs no hashing.
    digest: str = ""
    guid: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "deck": self.deck,
            "fields": {name: str(value) for name, value in self.fields.items()},
            "tags": self.tags,
            "pictures": [str(path) for path in self.pictures],
            "digest": self.digest,
            "guid": self.guid,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NoteSpec:
        return cls(
            str(data["id"]),
            str(data["kind"]),
            str(data["deck"]),
            {str(k): str(v) for k, v in data["fields"].items()},
            [str(t) for t in data["tags"]],
            [Path(p) for p in data["pictures"]],
            str(data["digest"]),
            str(data["guid"]),
        )


@dataclass
class ProblemNotes:
    """The notes one problem file gives: its parts' and steps' notes, then its clozes'."""

    file: str  # the file's name in its content folder
    lab: str  # the lab's id, which names the default deck file
    number: int  # the problem's number: decks list problems in this order
    parts: list[NoteSpec]
    clozes: list[NoteSpec]

    @property
    def ids(self) -> list[str]:
        """Every id the file defines (one note each), to find duplicates across files."""
        return [spec.id for spec in [*self.parts, *self.clozes]]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "lab": self.lab,
            "number": self.number,
            "parts": [spec.to_json() for spec in self.parts],
            "clozes": [spec.to_json() for spec in self.clozes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProblemNotes:
        return cls(
            str(data["file"]),
            str(data["lab"]),
            int(data["number"]),
            [NoteSpec.from_json(d) for d in data["parts"]],
            [NoteSpec.from_json(d) for d in data["clozes"]],
        )


def in_deck_order(problems: list[ProblemNotes]) -> list[NoteSpec]:
    """Every note in the sheet's order: problem by problem, its parts and steps, then
    its clozes. New cards are introduced in this order."""
    ordered = sorted(problems, key=lambda p: p.number)
    return [spec for p in ordered for spec in [*p.parts, *p.clozes]]
