"""``nlpdrill build``: prove the content, then write its deck atomically.

A deck is only ever written from content that ``check`` proves; a failed build
leaves the last good deck where it was. ``build_folder`` (the command) reuses
the notes of every problem file that has not changed since a build that
proved it (``notecache``), and loads, proves and renders only the others.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import genanki

from content.locations import NotAFile, write_atomically
from generator import notecache, workers
from generator.lock import Lock
from generator.models import NOTE_TYPES, model, model_signature
from generator.notespec import NoteSpec, ProblemNotes, in_deck_order
from generator.package import TimedNote, package_bytes

if TYPE_CHECKING:
    # Loading, proving and rendering are imported where a file must be built:
    # a build that finds every file's notes cached needs none of them.
    from content.course import Course
    from content.prove import Proof

GUID_NAMESPACE = "nlpdrill"
SHOWN = 12  # ids listed per line of the report; a first build of 5,000 notes lists a few


class OutputUnwritable(Exception):
    """The deck's target cannot be written (a missing or read-only folder, a full disk)."""


class LockOutOfDate(Exception):
    """``build --locked``: the deck would differ from what the lock records."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        changes = [
            f"{label}: {', '.join(ids[:SHOWN])}{' …' if len(ids) > SHOWN else ''}"
            for label, ids in (
                ("new", report.new),
                ("changed", report.changed),
                ("removed", report.removed),
            )
            if ids
        ]
        super().__init__(
            "the lock is out of date (--locked): building would change "
            + "; ".join(changes)
            + ". No deck was written. Build without --locked and commit the lock."
        )


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
    built: list[str] | None = None  # problem files loaded and proven afresh (None: all)
    files: int = 0  # problem files in the folder

    def summary(self) -> str:
        lines = [
            f"wrote {self.output}: {self.notes} notes, {self.cards} cards, "
            f"{self.pictures} pictures in {self.seconds:.2f} s",
            f"since the lock: {len(self.new)} new, {len(self.changed)} changed, "
            f"{self.unchanged} unchanged, {len(self.removed)} removed",
        ]
        if self.built is not None:
            reused = self.files - len(self.built)
            built = f" ({', '.join(self.built[:SHOWN])}{' …' if len(self.built) > SHOWN else ''})"
            lines.append(
                f"problem files: {len(self.built)} built{built if self.built else ''}, "
                f"{reused} unchanged since the last build and reused"
            )
        for label, ids in (("new", self.new), ("changed", self.changed), ("removed", self.removed)):
            if ids:
                more = f" … and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
                lines.append(f"  {label}: {', '.join(ids[:SHOWN])}{more}")
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


def _description() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        made_by = f"nlpdrill {version('nlpdrill')}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        made_by = "nlpdrill"
    return (
        f"Built by {made_by} from the lab's YAML; every answer is checked by a simulation. "
        "To update, import the new <code>.apkg</code> the same way: notes change in place "
        "and your reviews are kept. New cards come in the sheet's order."
    )


def _add_parent(decks: dict[str, genanki.Deck], name: str) -> None:
    """The lab's deck above a problem's subdeck, with the description Anki shows on it."""
    parent = name.rpartition("::")[0]
    if parent and parent not in decks:
        decks[parent] = genanki.Deck(deck_id(parent), parent, description=_description())


def default_output(lab: str) -> Path:
    """Where a lab's deck goes when no ``-o`` is given."""
    return Path("dist") / f"{lab}.apkg"


def build(
    course: Course, output: Path, now: int | None = None, *, locked: bool = False
) -> BuildReport:
    """Prove and render every note of ``course``, then write its deck."""
    started = time.perf_counter()
    specs = in_deck_order(_prove_and_render(course))
    return write_deck([(course.folder, specs)], output, now, started, locked=locked)


def _prove_and_render(course: Course) -> list[ProblemNotes]:
    """Every problem's notes; raises ``BuildFailed`` with every proof that failed."""
    notes, failures = workers.prove_and_render(course)
    if failures:
        raise BuildFailed(failures)
    return notes


def build_folder(
    folder: Path, output: Path | None = None, now: int | None = None, *, locked: bool = False
) -> BuildReport:
    """Build the deck of a content folder — one lab, or a course of labs (one deck, a
    subdeck per lab) — redoing only the files changed since the last build.

    The deck and the lock come out byte for byte as ``build`` would write them.
    Raises ``ContentErrors`` or ``BuildFailed`` as loading or proving would.
    """
    from content.coursefolder import course_file, lab_folders

    started = time.perf_counter()
    folder = Path(folder)
    labs: list[tuple[Path, list[NoteSpec]]] = []
    stores: list[tuple[notecache.Plan, list[ProblemNotes], dict[str, str]]] = []
    built: list[str] = []
    files = 0
    for lab in lab_folders(folder):
        plan = notecache.plan(lab)
        fresh: list[ProblemNotes] = []
        loaded: dict[str, str] = {}
        if plan.misses or not plan.keys:
            fresh, loaded = _build_files(lab, plan.misses)
        if plan.duplicates(fresh):
            from content.course import load_course

            load_course(lab)  # raises: the duplicate ids, with their files and lines
        labs.append((lab, in_deck_order([*plan.hits.values(), *fresh])))
        stores.append((plan, fresh, loaded))
        prefix = f"{lab.name}/" if lab != folder else ""
        built += [prefix + name for name in sorted(plan.misses)]
        files += len(plan.keys)
    course = course_file(folder)
    if output is None:
        first = labs[0][1]
        output = default_output(course.code if course else first[0].id.split(".")[0])
    report = write_deck(labs, output, now, started, locked=locked)
    report.built, report.files = built, files
    for plan, fresh, loaded in stores:  # after the deck: with the digests write_deck filled in
        plan.store(fresh, loaded)
    return report


def _build_files(folder: Path, files: list[str]) -> tuple[list[ProblemNotes], dict[str, str]]:
    """The notes of ``files``, and the hash of the bytes each was built from."""
    from content.course import load_course

    course = load_course(folder, files)
    return _prove_and_render(course), course.loaded


def write_deck(
    labs: list[tuple[Path, list[NoteSpec]]],
    output: Path,
    now: int | None,
    started: float,
    *,
    locked: bool = False,
) -> BuildReport:
    """Stamp each lab's notes with its lock's times, write one .apkg, then the locks.

    ``labs``: each lab folder with its notes, in the deck's order (one for a lab, one
    per lab of a course). With ``locked``, raise ``LockOutOfDate`` and write nothing
    if a lock would change.
    """
    locks = [(folder, Lock.read(folder)) for folder, _ in labs]
    report = BuildReport(output)
    mods: list[int] = []
    model_mods: list[int] = []
    signatures = {
        kind: hashlib.sha256(model_signature(kind).encode()).hexdigest()[:20]
        for kind in sorted(NOTE_TYPES)
    }
    for (_, specs), (_, lock) in zip(labs, locks, strict=True):
        # only the note types a lab uses: a lab without clozes has no cloze type to stamp
        for kind in sorted({spec.kind for spec in specs}):
            mod, status = lock.stamp(f"notetype:{kind}", signatures[kind], now)
            model_mods.append(mod)
            if status != "unchanged":
                (report.new if status == "new" else report.changed).append(f"notetype:{kind}")
    mods.extend(model_mods)
    decks: dict[str, genanki.Deck] = {}
    media: dict[str, Path] = {}
    for (_, specs), (_, lock) in zip(labs, locks, strict=True):
        for spec in specs:
            mods.append(_stamp(spec, lock, now, report))
            note = TimedNote(
                model=model(spec.kind),
                fields=[str(spec.fields[name]) for name in NOTE_TYPES[spec.kind].fields],
                tags=spec.tags,
                guid=spec.guid,
                mod=mods[-1],
                due=len(mods),  # new cards come in the sheet's order
            )
            deck = decks.get(spec.deck)
            if deck is None:
                deck = decks[spec.deck] = genanki.Deck(deck_id(spec.deck), spec.deck)
                _add_parent(decks, spec.deck)
            deck.add_note(note)
            report.cards += len(note.cards)
            for path in spec.pictures:
                media[path.name] = path
        keep = {spec.id for spec in specs} | {f"notetype:{spec.kind}" for spec in specs}
        report.removed.extend(lock.prune(keep))
    report.notes = sum(len(specs) for _, specs in labs)
    report.pictures = len(media)
    if locked and (report.new or report.changed or report.removed):
        raise LockOutOfDate(report)
    ordered = [decks[name] for name in sorted(decks)]
    data = package_bytes(ordered, list(media.values()), max(mods), max(model_mods))
    try:
        write_atomically(output, data)
    except NotAFile:
        raise
    except OSError as exc:
        raise OutputUnwritable(
            f"cannot write the deck to {output} ({exc.strerror or exc}); nothing was written"
        ) from exc
    written = [lock.write(folder) for folder, lock in locks]  # every lock, not the first few
    report.lock_written = all(written)
    report.seconds = time.perf_counter() - started
    return report


def _stamp(spec: NoteSpec, lock: Lock, now: int | None, report: BuildReport) -> int:
    """The note's time from the lock (a newer one if it changed), counted in ``report``."""
    values = [str(spec.fields[name]) for name in NOTE_TYPES[spec.kind].fields]
    spec.digest = spec.digest or _digest(spec, values)
    spec.guid = spec.guid or genanki.guid_for(GUID_NAMESPACE, spec.id)
    mod, status = lock.stamp(spec.id, spec.digest, now)
    if status == "unchanged":
        report.unchanged += 1
    else:
        (report.new if status == "new" else report.changed).append(spec.id)
    return mod
