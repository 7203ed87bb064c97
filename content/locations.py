"""Where nlpdrill keeps the user's data: progress, caches.

``NLPDRILL_HOME`` overrides everything (tests and benchmarks always set it);
otherwise the platform's user data directory.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

ENV = "NLPDRILL_HOME"
NO_CACHE = "NLPDRILL_NO_CACHE"  # "1": compute everything afresh, read and write no cache


def caching() -> bool:
    return os.environ.get(NO_CACHE) != "1"


def home() -> Path:
    return _home(os.environ.get(ENV))


class HomeUnusable(OSError):
    """The data folder cannot be made or used; the message is a sentence for the user."""


@functools.cache
def _home(override: str | None) -> Path:
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path("nlpdrill", appauthor=False)
    where = f"{ENV}={path}" if override else f"the data folder {path}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise HomeUnusable(
            f"{where} is a file, not a folder: point {ENV} at a folder (or unset it)"
        ) from exc
    except OSError as exc:
        raise HomeUnusable(
            f"cannot make {where} ({exc.strerror or exc}): point {ENV} at a folder you can write to"
        ) from exc
    return path


def cache_dir(kind: str) -> Path:
    return _cache_dir(home(), kind)


@functools.cache
def _cache_dir(root: Path, kind: str) -> Path:
    path = root / "cache" / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HomeUnusable(
            f"cannot make the cache folder {path} ({exc.strerror or exc}): point {ENV} at a "
            f"folder you can write to, or set {NO_CACHE}=1"
        ) from exc
    return path


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half.

    ``durable`` also flushes it to the disk before the rename: wanted for a deck or
    a lock file, not for a cache entry that can always be recomputed. A symlink is
    written through (its target is replaced); a target that is not a regular file
    (a directory, a device, a FIFO) is refused with ``NotAFile``. The file gets the
    mode the umask gives a new file (0644 under 022), not the temporary file's 0600.
    """
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file():
        raise NotAFile(f"{path} exists and is not a regular file; choose a file to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class NotAFile(OSError):
    """An output path that names something other than a regular file."""


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomically(path: Path, text: str) -> None:
    """A cache entry: atomic, but not flushed to the disk."""
    write_atomically(path, text.encode("utf-8"), durable=False)
