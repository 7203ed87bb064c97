"""A content folder is one lab, or a course: ``course.yaml`` and the lab folders it lists.

A course builds into one deck with a subdeck per lab; ``check`` proves every lab.
Ids begin with their lab's id, and lab ids are unique in a course, so no two labs'
notes can ever share a GUID.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from content import LAB_FILE
from content.errors import ContentError, ContentErrors

if TYPE_CHECKING:
    from content.schema import CourseFile

COURSE_FILE = "course.yaml"


def course_file(folder: Path) -> CourseFile | None:
    """The course a folder holds, or None for a lab folder; ``ContentErrors`` if its
    ``course.yaml`` does not load."""
    path = Path(folder) / COURSE_FILE
    if not path.is_file():
        return None
    from content.course import load_course_file  # pydantic: only for a course

    return load_course_file(path)


def lab_folders(folder: Path) -> list[Path]:
    """The lab folders of a content folder: its labs for a course, else itself."""
    folder = Path(folder)
    course = course_file(folder)
    if course is None:
        return [folder]
    from content.course import load_lab  # pydantic: only for a course

    errors: list[ContentError] = []
    labs: list[Path] = []
    ids: dict[str, str] = {}
    for name in course.labs:
        lab = folder / name
        if not (lab / LAB_FILE).is_file():
            errors.append(
                ContentError(folder / COURSE_FILE, _line_of(folder / COURSE_FILE, "labs"), 1,
                             f"labs: {name!r} is not a lab folder "
                             f"here (no {name}/{LAB_FILE})")
            )  # fmt: skip
            continue
        loaded = load_lab(lab)
        lab_id = loaded.id
        if not loaded.deck.startswith(f"{course.title}::"):
            errors.append(
                ContentError(lab / LAB_FILE, _line_of(lab / LAB_FILE, "deck"), 1,
                             f"deck: {loaded.deck!r} is not under the "
                             f"course's deck {course.title!r}: in a course every lab is a "
                             f"subdeck, e.g. '{course.title}::{loaded.title}'")
            )  # fmt: skip
        if lab_id in ids:
            errors.append(
                ContentError(lab / LAB_FILE, _line_of(lab / LAB_FILE, "id"), 1,
                             f"id: {lab_id!r} is also the id of "
                             f"{ids[lab_id]}: lab ids are unique in a course")
            )  # fmt: skip
        ids[lab_id] = name
        labs.append(lab)
    if errors:
        raise ContentErrors(errors)
    return labs


def _line_of(path: Path, key: str) -> int:
    """The line of a top-level key, for an error that points at it (1 if not found)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
