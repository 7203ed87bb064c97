"""Growth rates: how a cost grows as the sizes grow, for ``O(…)`` answers.

Two formulas have the same complexity when, scaling any subset of the sizes
towards infinity, they grow with the same exponent. Looking at every subset
(each size alone, pairs, all together) tells ``N² + NM`` from ``N²M``, which
agree on each size alone but not when both grow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from itertools import combinations

import numpy as np

from content.domains import Point
from content.expr.evaluate import evaluate
from content.expr.nodes import BigO, Node

EXPONENT_TOLERANCE = 0.1
_FIXED = 1e3  # sizes that do not grow
_LOW, _HIGH = 1e6, 1e12  # the growing sizes, between these two scales

Exponents = dict[tuple[str, ...], float]


def strip_big_o(node: Node) -> Node:
    return node.arg if isinstance(node, BigO) else node


def subsets(names: Iterable[str]) -> list[tuple[str, ...]]:
    names = sorted(names)
    return [c for r in range(1, len(names) + 1) for c in combinations(names, r)]


def exponents(node: Node, sizes: list[str]) -> Exponents | None:
    """The growth exponent along every subset of ``sizes``; None if it does not grow."""
    inner = strip_big_o(node)
    out: Exponents = {}
    for subset in subsets(sizes):
        low = _value(inner, sizes, subset, _LOW)
        high = _value(inner, sizes, subset, _HIGH)
        if not (math.isfinite(low) and math.isfinite(high)) or low <= 0 or high <= 0:
            return None
        out[subset] = math.log(high / low) / math.log(_HIGH / _LOW)
    return out


def _value(node: Node, sizes: list[str], growing: tuple[str, ...], scale: float) -> float:
    point: Point = {name: np.full((1, 1), scale if name in growing else _FIXED) for name in sizes}
    return float(evaluate(node, point)[0, 0])


MEASURE_FIXED, MEASURE_LOW, MEASURE_HIGH = 8, 64, 256


def measured_exponents(count: Callable[[dict[str, int]], float], sizes: list[str]) -> Exponents:
    """Log-log slopes of an operation counter, the growing sizes from 64 to 256.

    The other sizes stay at 8, small beside the growing ones, so that lower-order
    terms (N² beside NM when M grows) fade; the sizes stay small enough to run.
    """
    out: Exponents = {}
    for subset in subsets(sizes):
        low, high = (
            count({n: scale if n in subset else MEASURE_FIXED for n in sizes})
            for scale in (MEASURE_LOW, MEASURE_HIGH)
        )
        out[subset] = math.log(high / low) / math.log(MEASURE_HIGH / MEASURE_LOW)
    return out


def differences(
    got: Exponents, want: Exponents, tolerance: float = EXPONENT_TOLERANCE
) -> list[tuple[str, ...]]:
    return [
        s
        for s in want
        if abs(got.get(s, math.nan) - want[s]) > tolerance or math.isnan(got.get(s, math.nan))
    ]


def describe_power(name: str, exponent: float) -> str:
    rounded = round(exponent * 2) / 2
    if rounded == 0:
        return f"not at all in {name}"
    shown = f"{rounded:g}"
    return f"like {name}^{shown}" if shown != "1" else f"linearly in {name}"
