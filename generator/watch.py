"""``nlpdrill watch``: check and rebuild on every save, reporting errors without dying."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from generator.lock import LOCK_FILE


def _relevant(_change: object, path: str) -> bool:
    name = Path(path).name
    return (name.endswith((".yaml", ".py")) and not name.startswith(".")) and name != LOCK_FILE


def watch(folder: Path, output: Path | None, rebuild: Callable[[], int]) -> int:
    from watchfiles import watch as watch_files

    print(f"watching {folder} (Ctrl-C to stop)")
    rebuild()
    try:
        for changes in watch_files(folder, watch_filter=_relevant, debounce=300):
            names = ", ".join(sorted({Path(p).name for _, p in changes}))
            print(f"\n[{time.strftime('%H:%M:%S')}] changed: {names}")
            try:
                code = rebuild()
            except Exception as exc:  # an author's half-saved file must not stop the watch
                print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
                code = 1
            print("ok" if code == 0 else "not rebuilt: fix the errors above; watching on")
    except KeyboardInterrupt:
        pass
    return 0
