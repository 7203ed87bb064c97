"""What a content folder's simulations return, and how they are found and run.

A content folder is trusted code, like a Makefile: ``simulations.py`` beside
the YAML is imported by path and its functions are called by name.

Two kinds of simulation:

- a **quantity** ``f(point, rng) -> Estimate`` estimates, at one point of the
  declared domains, the value a formula should have (a Monte Carlo moment, a
  finite-difference gradient, an exact numpy computation with ``stderr=0``);
- a **finding** ``f(rng) -> Finding`` runs an experiment and reports what it
  shows: whether a true/false statement holds, or which option of a choice the
  data supports. The verdict in the YAML must agree with it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from content import SIMULATIONS_FILE


@dataclass(frozen=True)
class Estimate:
    """A simulated value with its standard error (0 for an exact computation).

    ``value`` may be an array (a matrix computed by a loop, a Jacobian by finite
    differences); ``stderr`` then bounds each entry.
    """

    value: float | np.ndarray
    stderr: float = 0.0
    n: int = 1
    at: dict[str, Any] = field(default_factory=dict)
    """Variables the simulation fixed itself (an LSTM's actual gate values, say):
    the formula is evaluated there instead of at the drawn values."""

    def show(self) -> str:
        if isinstance(self.value, np.ndarray):
            rows, cols = self.value.reshape(self.value.shape[0], -1).shape
            return f"a {rows}×{cols} array"
        if self.stderr == 0:
            return f"{self.value:.6g}"
        if self.n == 1:  # a deterministic computation with a known error (finite differences)
            return f"{self.value:.6g} (± {self.stderr:.0e})"
        digits = max(0, -int(np.floor(np.log10(self.stderr))) + 1) if self.stderr > 0 else 4
        return f"{self.value:.{digits}f} ± {self.stderr:.{digits}f} (n = {self.n})"


@dataclass(frozen=True)
class Finding:
    """What an experiment showed, in one line a student can read."""

    evidence: str
    holds: bool | None = None
    choice: str | None = None
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    """One line (or histogram) of a plot."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    style: str = "line"  # "line" | "dashed" | "bars"


@dataclass(frozen=True)
class Plot:
    """A picture as data: the deck draws it with matplotlib, the tutor in the terminal."""

    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    log_y: bool = False
    caption: str = ""


def series(label: str, x: Any, y: Any, style: str = "line") -> Series:
    """A series from arrays, rounded so that a plot's bytes do not depend on round-off."""
    return Series(
        label,
        tuple(float(f"{v:.6g}") for v in np.asarray(x, dtype=float).ravel()),
        tuple(float(f"{v:.6g}") for v in np.asarray(y, dtype=float).ravel()),
        style,
    )


Quantity = Callable[[dict[str, Any], np.random.Generator], Estimate]
Experiment = Callable[[np.random.Generator], Finding]


TIME_LIMIT_ENV = "NLPDRILL_SIM_TIMEOUT"
DEFAULT_TIME_LIMIT = 60.0


class SimulationTimeout(Exception):
    """A simulation ran past its time limit (content code that never returns)."""


@contextmanager
def time_limit(what: str) -> Iterator[None]:
    """Stop ``what`` after ``NLPDRILL_SIM_TIMEOUT`` seconds (default 60).

    Uses a timer signal, so it works in the main thread (``check``, ``build``,
    ``grade``, ``serve``); elsewhere (the app's worker) the code just runs.
    """
    seconds = float(os.environ.get(TIME_LIMIT_ENV, DEFAULT_TIME_LIMIT))
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise SimulationTimeout(f"{what} did not return within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def seed_for(*parts: str) -> int:
    """A fixed seed from names, so that every verdict is reproducible."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def load_module(folder: Path) -> ModuleType | None:
    """Import ``folder/simulations.py`` (or return None when there is none)."""
    path = folder / SIMULATIONS_FILE
    if not path.is_file():
        return None
    # Keyed by path and content: after an edit (``watch``), the new code is loaded.
    name = f"nlpdrill_sims_{seed_for(str(path.resolve()), path.read_text(encoding='utf-8')):x}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def shaped(value: Any, shape: tuple[int, int]) -> np.ndarray:
    """A simulation's value as the judge's 2-D array of the declared shape."""
    return np.asarray(value, dtype=float).reshape(shape)


def plain_point(point: dict[str, np.ndarray], sizes: set[str]) -> dict[str, Any]:
    """A point as a simulation author wants it: ints, floats, 1-D vectors."""
    out: dict[str, Any] = {}
    for name, value in point.items():
        if name in sizes:
            out[name] = round(float(value[0, 0]))
        elif value.shape == (1, 1):
            out[name] = float(value[0, 0])
        elif value.shape[1] == 1:
            out[name] = value[:, 0].copy()
        else:
            out[name] = value.copy()
    return out
