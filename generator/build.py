"""``nlpdrill build``: prove the content, then write its deck atomically.

A deck is only ever written from content that ``check`` proves; a failed build
leaves the last good deck where it was.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from content.course import Course
from content.judge import Judge
from content.locations import write_atomically
from content.prove import Proof, prove_cached
from generator.lock import Lock
from generator.models import NOTE_TYPES, model, model_signature
from generator.notes import NoteSpec, all_notes
from generator.package import TimedNote, package_bytes

GUID_NAMESPACE = "nlpdrill"


class BuildFailed(Exception):
    def __init__(self, failures: list[Proof]) -> None:
        self.failures = failures
        lines = [f"{p.item.id}: {reason}" for p in failures for reason in p.failures]
        super().__init__("the content does not prove; no deck was written:\n" + "\n".join(lines))


@dataclass
class BuildReport:
    output: Path
    notes: int = 0
    cards: int = 0
    pictures: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    lock_written: bool = True
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"wrote {self.output}: {self.notes} notes, {self.cards} cards, "
            f"{self.pictures} pictures in {self.seconds:.2f} s",
            f"since the lock: {len(self.new)} new, {len(self.changed)} changed, "
            f"{self.unchanged} unchanged, {len(self.removed)} removed",
        ]
        for label, ids in (("new", self.new), ("changed", self.changed), ("removed", self.removed)):
            if ids:
                lines.append(f"  {label}: {', '.join(ids)}")
        if not self.lock_written:
            lines.append("  (the lock file could not be written: the content folder is read-only)")
        return "\n".join(lines)


def deck_id(name: str) -> int:
    """A fixed id per deck name (genanki wants 1 << 30 ≤ id < 1 << 31)."""
    digest = int.from_bytes(hashlib.sha256(f"deck:{name}".encode()).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def _digest(spec: NoteSpec, values: list[str]) -> str:
    data = json.dumps([spec.kind, spec.deck, values, spec.tags], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def prove_all(course: Course) -> dict[str, Proof]:
    """Every proof, reusing those of parts whose content, simulations and judge are unchanged."""
    judge = Judge(course)
    items = [step for item in course.top_items() for step in (item, *item.steps)]
    proofs = {item.id: prove_cached(judge, item) for item in items}
    failures = [p for p in proofs.values() if not p.ok]
    if failures:
        raise BuildFailed(failures)
    return proofs


def build(course: Course, output: Path, now: int | None = None) -> BuildReport:
    started = time.perf_counter()
    proofs = prove_all(course)
    specs = all_notes(course, proofs)
    lock = Lock.read(course.folder)
    report = BuildReport(output)
    mods: list[int] = []
    for kind in sorted(NOTE_TYPES):
        signature = hashlib.sha256(model_signature(kind).encode()).hexdigest()[:20]
        mods.append(lock.stamp(f"notetype:{kind}", signature, now)[0])
    decks: dict[str, genanki.Deck] = {}
    media: dict[str, Path] = {}
    for spec in specs:
        values = [str(spec.fields[name]) for name in NOTE_TYPES[spec.kind].fields]
        mod, status = lock.stamp(spec.id, _digest(spec, values), now)
        mods.append(mod)
        if status == "unchanged":
            report.unchanged += 1
        else:
            (report.new if status == "new" else report.changed).append(spec.id)
        note = TimedNote(
            model=model(spec.kind),
            fields=values,
            tags=spec.tags,
            guid=genanki.guid_for(GUID_NAMESPACE, spec.id),
            mod=mod,
        )
        deck = decks.setdefault(spec.deck, genanki.Deck(deck_id(spec.deck), spec.deck))
        deck.add_note(note)
        report.cards += len(note.cards)
        media.update({path.name: path for path in spec.pictures})
    report.removed = lock.prune({spec.id for spec in specs} | {f"notetype:{k}" for k in NOTE_TYPES})
    report.notes = len(specs)
    report.pictures = len(media)
    ordered = [decks[name] for name in sorted(decks)]
    data = package_bytes(ordered, list(media.values()), max(mods))
    write_atomically(output, data)
    report.lock_written = lock.write(course.folder)
    report.seconds = time.perf_counter() - started
    return report
