"""Which files in the pictures cache may go into a deck (kept apart from ``pictures.py``,
which imports numpy: a build that reuses every cached note checks its pictures
without it)."""

from __future__ import annotations

import re
from pathlib import Path

from content.locations import cache_dir

_NAME = re.compile(r"nlpdrill-[0-9a-f]{16}\.png")
_PNG_START = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def is_cached_picture(path: Path) -> bool:
    """A picture this module drew: named as it names them, in its own cache folder (never
    a path that leads elsewhere), and a whole PNG (not one cut short on the disk)."""
    folder = cache_dir("pictures").resolve()
    try:
        real = path.resolve(strict=True)
        if real.parent != folder or not _NAME.fullmatch(real.name) or not real.is_file():
            return False
        with real.open("rb") as file:
            start = file.read(len(_PNG_START))
            file.seek(-len(_PNG_END), 2)
            return start == _PNG_START and file.read() == _PNG_END
    except OSError:
        return False
