"""A cache entry that proves it is whole: its JSON, with the hash of that JSON beside it.

Every cache under ``NLPDRILL_HOME`` (validated problems, proofs, simulation
results, the note cache's index, remembered lemmas) reads and writes through
here. An entry that was truncated, edited by hand, written by another version or
damaged on the disk fails its hash, or its JSON, or its shape, and is then only a
miss: the value is computed again. Nothing read from a cache is trusted before
that, and no reader lets an exception out of a damaged entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from content.locations import write_text_atomically

_SEAL = "nlpdrill-cache-1 "  # the first line: this marker and the payload's sha256


def seal(payload: str) -> str:
    return f"{_SEAL}{hashlib.sha256(payload.encode('utf-8')).hexdigest()}\n{payload}"


def unseal(text: str) -> str | None:
    """The payload of a sealed entry, or None if it is not one or not whole."""
    head, newline, payload = text.partition("\n")
    if not newline or not head.startswith(_SEAL):
        return None
    digest = head.removeprefix(_SEAL)
    if hashlib.sha256(payload.encode("utf-8")).hexdigest() != digest:
        return None
    return payload


def read(path: Path) -> Any | None:
    """The JSON value kept at ``path``, or None for a missing or damaged entry."""
    try:
        payload = unseal(path.read_text(encoding="utf-8"))
        return None if payload is None else json.loads(payload)
    except (OSError, ValueError):
        return None


def write(path: Path, value: Any, **dumps: Any) -> None:
    """Keep ``value`` at ``path`` (best effort: a full disk only means no cache)."""
    with contextlib.suppress(OSError, TypeError, ValueError):
        write_text_atomically(path, seal(json.dumps(value, **dumps)))
