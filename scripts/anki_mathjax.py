"""Unpack Anki's own MathJax (and its configuration) from an ``aqt`` wheel, for the
browser tests of the cards: ``tests/cardpages.py`` reads ``.cache/anki-mathjax``.

    python -m pip download aqt==26.9.3 --no-deps -d .cache/wheels
    python scripts/anki_mathjax.py .cache/wheels/aqt-26.9.3-py3-none-any.whl

Nothing else of the wheel is used (it would pull in Qt).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

VENDOR = "_aqt/data/web/js/vendor/mathjax/"
CONFIG = "_aqt/data/web/js/mathjax.js"


def unpack(wheel: Path, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(VENDOR) and not name.endswith("/"):
                out = target / name.removeprefix(VENDOR)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(name))
                count += 1
        (target / "anki-config.js").write_bytes(archive.read(CONFIG))
    return count


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    files = unpack(Path(sys.argv[1]), root / ".cache" / "anki-mathjax")
    print(f"unpacked {files} MathJax files into .cache/anki-mathjax")
