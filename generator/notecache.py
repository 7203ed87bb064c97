"""Each problem file's notes from an earlier build, to reuse when nothing they came from changed.

A note is made from its problem file, ``lab.yaml`` (labels, deck names),
``simulations.py`` (evidence, pictures), the code of ``content/`` and
``generator/`` (judging, rendering), the card templates, and the libraries that
render them. The cache key of a file covers all of these, so a hit is a file
whose notes would come out the same — and whose proofs passed, since only the
notes of a successful build are stored. A hit costs one JSON read instead of
validating, proving and rendering the file.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from content import (
    CODE_PACKAGES,
    LAB_FILE,
    SIMULATIONS_FILE,
    cacheentry,
    not_content,
    problem_files,
)
from content.locations import cache_dir, caching
from generator.notespec import ProblemNotes
from generator.picturecache import is_cached_picture

ROOT = Path(__file__).resolve().parent.parent
# The libraries whose output ends up in a note's fields.
RENDERERS = ("markdown_it", "mdit_py_plugins", "jinja2", "markupsafe", "numpy", "matplotlib")


@functools.cache
def code_digest() -> str:
    """The code and templates that make notes, and the installed renderers' versions."""
    digest = hashlib.sha256()
    sources = [
        *sorted((ROOT / "content").glob("*.py")),
        *(p for d in CODE_PACKAGES for p in sorted((ROOT / "content" / d).glob("*.py"))),
        *sorted((ROOT / "generator").glob("*.py")),
        *sorted(
            p
            for p in (ROOT / "templates").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ),
    ]
    for path in sources:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for name in RENDERERS:
        spec = find_spec(name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        # A reinstall (another version) replaces the package's files: new size or time.
        stat = origin.stat() if origin is not None else None
        digest.update(f"{name}:{origin}:{stat and (stat.st_size, stat.st_mtime_ns)}".encode())
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """What every problem of ``folder`` shares: its lab.yaml and simulations.py."""
    digest = hashlib.sha256(code_digest().encode())
    for name in (LAB_FILE, SIMULATIONS_FILE):
        path = folder / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()


@dataclass
class Plan:
    """A folder's problem files, split into those with cached notes and those to build.

    The cache of a folder is one JSON index, file name → (key, notes): one read
    per build, rewritten only when a file was built afresh or went away.
    """

    index: Path
    keys: dict[str, str]  # file name → cache key
    shared: str = ""  # what every file's key shares (folder_digest)
    hits: dict[str, ProblemNotes] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    stale: bool = False  # the index holds files that are gone or changed

    def store(self, fresh: list[ProblemNotes], loaded: dict[str, str]) -> None:
        """Keep the notes of every file for the next build; a fresh file's under the
        key of the bytes it was built from (``loaded``: file name → their sha256)."""
        if not caching() or not (fresh or self.stale or self.misses):
            return
        keys = dict(self.keys)
        for notes in fresh:
            if notes.file in loaded:
                keys[notes.file] = file_key(self.shared, notes.file, loaded[notes.file])
        entries = {
            notes.file: {"key": keys[notes.file], "notes": notes.to_json()}
            for notes in [*self.hits.values(), *fresh]
            if notes.file in keys
        }
        cacheentry.write(self.index, entries, ensure_ascii=False)

    def duplicates(self, fresh: list[ProblemNotes]) -> bool:
        """Whether two files define the same id (the full load then says where)."""
        seen: set[str] = set()
        for notes in [*self.hits.values(), *fresh]:
            if seen.intersection(notes.ids):
                return True
            seen.update(notes.ids)
        return False


def file_key(shared: str, name: str, digest: str) -> str:
    """A problem file's cache key: the folder's shared digest, its name, its bytes' hash."""
    return hashlib.sha256(f"{shared}\0{name}\0{digest}".encode()).hexdigest()


def plan(folder: Path) -> Plan:
    shared = folder_digest(folder)
    keys = {}
    for path in problem_files(folder):
        # a pipe or a device is not read here either: loading the course reports it
        text = b"" if not_content(path) else path.read_bytes()
        keys[path.name] = file_key(shared, path.name, hashlib.sha256(text).hexdigest())
    where = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]
    result = Plan(cache_dir("notes") / f"{where}.json", keys, shared)
    cached = _read_index(result.index) if caching() else {}
    result.stale = bool(set(cached) - set(keys))
    for name, key in keys.items():
        notes = _entry(cached.get(name), key, name)
        if notes is None:
            result.misses.append(name)
            result.stale = result.stale or name in cached
        else:
            result.hits[name] = notes
    return result


def _read_index(path: Path) -> dict[str, Any]:
    data = cacheentry.read(path)
    return data if isinstance(data, dict) else {}


def _entry(entry: Any, key: str, name: str) -> ProblemNotes | None:
    """The cached notes of a file, if they were made from this very key and still complete."""
    try:
        if entry["key"] != key:
            return None
        notes = ProblemNotes.from_json(entry["notes"])
    except Exception:  # a damaged entry is a miss, whatever its shape
        return None
    pictures = [p for spec in [*notes.parts, *notes.clozes] for p in spec.pictures]
    return notes if notes.file == name and all(map(is_cached_picture, pictures)) else None
