"""The lock file beside the content: for every note, its content hash and modification time.

Anki updates a note on import only when the file's note is newer than its own,
so a note whose content changed must get a newer time, and an unchanged note
must keep its time (otherwise every rebuild would differ, and nothing would be
byte-identical). The lock is small, sorted JSON, meant to be committed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from content.locations import write_atomically

LOCK_FILE = "nlpdrill.lock"
VERSION = 1


@dataclass
class Entry:
    hash: str
    mod: int


@dataclass
class Lock:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Lock:
        path = folder / LOCK_FILE
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return cls()
        return cls({key: Entry(e["hash"], int(e["mod"])) for key, e in data["entries"].items()})

    def stamp(self, key: str, digest: str, now: int | None = None) -> tuple[int, str]:
        """The modification time for ``key`` with content ``digest``, and what happened."""
        old = self.entries.get(key)
        if old is not None and old.hash == digest:
            return old.mod, "unchanged"
        now = int(time.time()) if now is None else now
        mod = max(now, old.mod + 1) if old is not None else now
        self.entries[key] = Entry(digest, mod)
        return mod, "new" if old is None else "changed"

    def prune(self, keep: set[str]) -> list[str]:
        gone = sorted(set(self.entries) - keep)
        for key in gone:
            del self.entries[key]
        return gone

    def text(self) -> str:
        # What json.dumps(…, sort_keys=True) writes for each entry (hashes are hex).
        lines = [
            f'    {json.dumps(k)}: {{"hash": "{e.hash}", "mod": {e.mod}}}'
            for k, e in sorted(self.entries.items())
        ]
        body = ",\n".join(lines)
        return f'{{\n  "version": {VERSION},\n  "entries": {{\n{body}\n  }}\n}}\n'

    def write(self, folder: Path) -> bool:
        """Write the lock if it changed; False when the folder cannot be written."""
        path = folder / LOCK_FILE
        text = self.text()
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return True
        try:
            write_atomically(path, text.encode("utf-8"))
        except OSError:
            return False
        return True
