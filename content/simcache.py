"""Simulation results cached on disk, by content hash, under ``NLPDRILL_HOME``.

A simulation run with a fixed seed is a pure function of its code and its
inputs, so its result can be kept: the key hashes the text of
``simulations.py``, the function's name, the seed and the point. Judging is
always redone; only the numbers are reused. Results are stored as JSON (never
pickle): a damaged or foreign file is ignored and the simulation runs again.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from content import cacheentry
from content.locations import cache_dir, caching
from content.simulation import Estimate, Finding, Plot, Series, time_limit

T = TypeVar("T")
_VERSION = "1"


def key(*parts: Any) -> str:
    digest = hashlib.sha256(_VERSION.encode())
    for part in parts:
        digest.update(b"\x1f")
        digest.update(_canonical(part))
    return digest.hexdigest()


def _canonical(value: Any) -> bytes:
    if isinstance(value, np.ndarray):
        return repr((value.shape, value.astype(float).round(12).tolist())).encode()
    if isinstance(value, dict):
        return (
            b"{"
            + b",".join(k.encode() + b":" + _canonical(v) for k, v in sorted(value.items()))
            + b"}"
        )
    return repr(value).encode()


def cached(cache_key: str, compute: Callable[[], T], what: str = "a simulation") -> T:
    """``compute()``, within the time limit, or its result from an earlier run with this key."""
    if not caching():
        with time_limit(what):
            return compute()
    path = cache_dir("simulations") / cache_key[:2] / f"{cache_key}.json"
    data = cacheentry.read(path)
    if data is not None:
        with contextlib.suppress(Exception):  # a damaged entry is a miss, whatever its shape
            return decode(data)  # type: ignore[no-any-return]
    with time_limit(what):
        result = compute()
    with contextlib.suppress(TypeError, ValueError):  # a result JSON cannot hold: not kept
        cacheentry.write(path, encode(result), separators=(",", ":"))
    return result


def encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"__array__": value.astype(float).tolist(), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Estimate | Finding | Plot | Series):
        fields = {name: encode(getattr(value, name)) for name in value.__dataclass_fields__}
        return {"__type__": type(value).__name__, **fields}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


_TYPES: dict[str, type] = {cls.__name__: cls for cls in (Estimate, Finding, Plot, Series)}
_TUPLE_FIELDS = {"series", "x", "y"}


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        return np.asarray(value["__array__"], dtype=float).reshape(value["shape"])
    if "__type__" in value:
        cls = _TYPES[value["__type__"]]
        fields = {k: decode(v) for k, v in value.items() if k != "__type__"}
        for name in _TUPLE_FIELDS & fields.keys():
            fields[name] = tuple(fields[name])
        return cls(**fields)
    return {k: decode(v) for k, v in value.items()}


def picture(course: Any, name: str) -> Plot:
    """The ``Plot`` a picture function of ``course`` draws (same seed everywhere: one picture)."""
    from content.simulation import seed_for

    function = getattr(course.simulations, name)
    seed = seed_for("picture", name)
    plot = cached(
        key(course.simulation_digest, name, seed),
        lambda: function(np.random.default_rng(seed)),
        f"picture {name}",
    )
    if not isinstance(plot, Plot):
        raise TypeError(f"{name} must return a Plot, not {type(plot).__name__}")
    return plot
