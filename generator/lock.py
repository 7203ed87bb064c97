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
_REMEDY = (
    ", or delete the file and build again (every note is then stamped anew; Anki updates "
    "each one in place, keeping its reviews)"
)


class LockError(Exception):
    """The lock file cannot be used as it is; the message says what to do."""


@dataclass
class Entry:
    hash: str
    mod: int


@dataclass
class Lock:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Lock:
        """The lock beside the content; ``LockError`` (a sentence with file and line)
        for one that a merge, an editor or another version left unreadable."""
        path = folder / LOCK_FILE
        if not path.exists():
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LockError(f"{path}: cannot read the lock ({exc}){_REMEDY}") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith(("<<<<<<<", "=======", ">>>>>>>")):
                raise LockError(
                    f"{path}:{number}: a merge conflict in the lock: resolve it{_REMEDY}"
                )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LockError(
                f"{path}:{exc.lineno}: the lock is not valid JSON ({exc.msg}){_REMEDY}"
            ) from exc
        if not isinstance(data, dict) or data.get("version") != VERSION:
            version = data.get("version") if isinstance(data, dict) else None
            raise LockError(
                f"{path}: a lock of version {version!r}, not {VERSION}: written by another "
                f"version of nlpdrill{_REMEDY}"
            )
        try:
            return cls(
                {key: Entry(str(e["hash"]), int(e["mod"])) for key, e in data["entries"].items()}
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LockError(
                f"{path}: the lock's entries are not as nlpdrill writes them{_REMEDY}"
            ) from exc

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
