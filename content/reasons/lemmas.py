"""English lemmas remembered between runs, so that a process whose words are all known
never loads simplemma's dictionary (about 0.3 s: most of an edited rebuild's or a
first free-text judgement's own time).

Best effort, like every cache here: an unreadable or unwritable file only means
looking the words up again. The file is keyed by simplemma's version.
"""

from __future__ import annotations

import atexit
from functools import cache
from pathlib import Path

from content import cacheentry
from content.locations import cache_dir, caching

_learned: dict[str, str] = {}


@cache
def _file() -> Path | None:
    if not caching():
        return None
    from importlib import metadata  # only when a lemma is looked up: it costs ~15 ms

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
    return _table(path)


def _table(path: Path) -> dict[str, str]:
    """The remembered lemmas, or none if the file is missing or damaged."""
    table = cacheentry.read(path)
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}


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
    table = _table(path)  # another process may have added its own since this one read it
    table.update(_learned)
    cacheentry.write(path, table, sort_keys=True, ensure_ascii=False)
