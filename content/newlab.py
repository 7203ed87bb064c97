"""``nlpdrill new``: a starter lab — one part of each kind, each backed by a simulation —
that passes ``check`` as created. It is ``content/starter`` with its ids renamed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from content.schema import Lab, Problem

STARTER = Path(__file__).resolve().parent / "starter"
SCHEMA_FOLDER = ".schema"  # JSON Schemas for editors (the YAML language server)
_LAB_ID = re.compile(r"^[a-z][a-z0-9]*$")


class NewLabError(Exception):
    """The lab cannot be made as asked; the message says why, in a sentence."""


def json_schemas() -> dict[str, dict[str, object]]:
    """The JSON Schemas of a problem file and of ``lab.yaml``, from the pydantic models."""
    return {"problem.json": Problem.model_json_schema(), "lab.json": Lab.model_json_schema()}


def new_lab(target: Path, lab_id: str, title: str) -> list[Path]:
    """Write a starter lab into ``target`` (a new or empty folder); the files written."""
    if not _LAB_ID.match(lab_id):
        raise NewLabError(
            f"--id {lab_id!r}: a lab id is a lowercase letter followed by lowercase letters "
            "or digits (lab12, emb)"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewLabError(f"{target} already exists and is not an empty folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(STARTER.iterdir()):
        if source.suffix not in (".yaml", ".py"):
            continue
        text = source.read_text(encoding="utf-8")
        if source.name == "lab.yaml":
            course = _course_above(target)  # made inside a course: a subdeck of its deck
            text = text.replace("id: starter", f"id: {lab_id}", 1)
            text = text.replace("title: Starter lab", f"title: {json.dumps(title)}", 1)
            text = text.replace('"My course::Starter lab"', json.dumps(f"{course}::{title}"), 1)
            text = text.replace('course: "My course"', f"course: {json.dumps(course)}", 1)
            text = "# yaml-language-server: $schema=.schema/lab.json\n" + text
        elif source.suffix == ".yaml":
            text = re.sub(r"^id: starter\.", f"id: {lab_id}.", text, count=1, flags=re.M)
            text = "# yaml-language-server: $schema=.schema/problem.json\n" + text
        path = target / source.name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    schemas = target / SCHEMA_FOLDER
    schemas.mkdir(exist_ok=True)
    for name, schema in json_schemas().items():
        (schemas / name).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(schemas / name)
    shutil.copystat(STARTER, target)
    return written


def _course_above(target: Path) -> str:
    """The title of the course whose folder holds ``target``, or a placeholder."""
    from content.coursefolder import COURSE_FILE, course_file
    from content.errors import ContentErrors

    if not (target.parent / COURSE_FILE).is_file():
        return "My course"
    try:
        course = course_file(target.parent)
    except ContentErrors:
        return "My course"
    return course.title if course is not None else "My course"
