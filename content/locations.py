"""Where nlpdrill keeps the user's data: progress, caches.

``NLPDRILL_HOME`` overrides everything (tests and benchmarks always set it);
otherwise the platform's user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "NLPDRILL_HOME"


def home() -> Path:
    override = os.environ.get(ENV)
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path("nlpdrill", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir(kind: str) -> Path:
    path = home() / "cache" / kind
    path.mkdir(parents=True, exist_ok=True)
    return path
