"""English lemmas remembered between runs, so that a process whose words are all known
never loads simplemma's dictionary (about 0.3 s: most of an edited rebuild's or a
first free-text judgement's own time).

Best effort, like every cache here: an unreadable or unwritable file only means
looking the words up again. The file is keyed by simplemma's version.
"""

from __future__ import annotations

import atexit
import json
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path

from content.locations import cache_dir, caching, write_text_atomically

_learned: dict[str, str] = {}


@cache
def _file() -> Path | None:
    if not caching():
        return None
    try:
        version = metadata.version("simplemma")
        return cache_dir("lemmas") / f"en-simplemma-{version}.json"
    except (OSError, metadata.PackageNotFoundError):
        return None


@cache
def known() -> dict[str, str]:
    """The lemmas found by earlier runs (and this one)."""
    path = _file()
    if path is None:
        return {}
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return table if isinstance(table, dict) else {}


def remember(word: str, found: str) -> None:
    """Keep a lemma for the next runs (written once, when the process ends)."""
    if not _learned and _file() is not None:
        atexit.register(_save)
    _learned[word] = found
    known()[word] = found


def _save() -> None:
    path = _file()
    if path is None or not _learned:
        return
    with suppress(OSError, ValueError):
        try:  # another process may have added its own since this one read the file
            table = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            table = {}
        if not isinstance(table, dict):
            table = {}
        table.update(_learned)
        write_text_atomically(path, json.dumps(table, sort_keys=True, ensure_ascii=False))
