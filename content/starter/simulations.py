"""Simulations behind every answer of the starter lab.

Quantities take ``(point, rng)`` and return an ``Estimate`` (a formula is compared
with it at random points); experiments take ``rng`` and return a ``Finding``, whose
``holds`` or ``choice`` is computed from the numbers, never written in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from content.simulation import Estimate, Finding

Rng = np.random.Generator


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.exp(-np.logaddexp(0.0, -x)))


def sigmoid_slope(point: dict[str, Any], rng: Rng) -> Estimate:
    """σ′(x) by a central difference (its error bound as the standard error)."""
    x, h = float(point["x"]), 1e-5
    return Estimate(float((_sigmoid(np.array(x + h)) - _sigmoid(np.array(x - h))) / (2 * h)), 1e-8)


def log_sigmoid(point: dict[str, Any], rng: Rng) -> Estimate:
    """log σ(x), straight from the definition."""
    return Estimate(float(np.log(_sigmoid(np.array(float(point["x"]))))))


def log_sigmoid_slope(point: dict[str, Any], rng: Rng) -> Estimate:
    """d/dx log σ(x) by a central difference."""
    x, h = float(point["x"]), 1e-5

    def f(v: float) -> float:
        return float(np.log(_sigmoid(np.array(v))))

    return Estimate((f(x + h) - f(x - h)) / (2 * h), 1e-8)


def softmax_first(point: dict[str, Any], rng: Rng) -> Estimate:
    """The softmax of two scores, computed as numpy computes it; its first weight."""
    s = np.array([float(point["a"]), float(point["b"])])
    p = np.exp(s - s.max())
    return Estimate(float(p[0] / p.sum()))


def softmax_ignores_a_shift(rng: Rng) -> Finding:
    """Random scores, shifted by random constants: the largest change of any weight."""
    worst = 0.0
    for _ in range(200):
        s, c = rng.normal(size=8), rng.normal(scale=10)
        p, q = np.exp(s) / np.exp(s).sum(), np.exp(s + c) / np.exp(s + c).sum()
        worst = max(worst, float(np.abs(p - q).max()))
    return Finding(f"200 random shifts change no weight by more than {worst:.1e}", worst < 1e-9)


def which_function_normalises(rng: Rng) -> Finding:
    """Apply each option to random scores: which gives positive values summing to one?"""
    s = rng.normal(scale=3, size=(100, 6))
    options = {
        "a": np.exp(s) / np.exp(s).sum(axis=1, keepdims=True),
        "b": np.tanh(s),
        "c": s,
    }
    good = [k for k, v in options.items() if (v > 0).all() and np.allclose(v.sum(axis=1), 1)]
    chosen = good[0] if len(good) == 1 else None
    return Finding(
        f"on 100 random score vectors, only ({', '.join(good)}) normalises", choice=chosen
    )


def products_underflow(rng: Rng) -> Finding:
    """A thousand word probabilities: their product, and the sum of their logs."""
    p = rng.uniform(0.001, 0.1, size=1000)
    product, logs = float(np.prod(p)), float(np.log(p).sum())
    return Finding(
        f"the product of 1000 word probabilities is {product:g}; the sum of their logs is "
        f"{logs:.1f}",
        bool(product == 0.0 and np.isfinite(logs)),
    )


def softmax_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Exponentials and additions performed by a softmax over B rows of V scores."""
    b, v = int(point["B"]), int(point["V"])
    ops = 0
    for row in rng.normal(size=(b, v)):
        exps = [np.exp(s) for s in row]
        ops += len(exps)
        total = 0.0
        for e in exps:
            total += e
            ops += 1
    return Estimate(float(ops))


def scores_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """The product of a B×d and a d×V matrix as one dot product per entry, counting the
    multiply-adds each dot product performs (the length of its vectors)."""
    b, d, v = int(point["B"]), int(point["d"]), int(point["V"])
    x, w = rng.normal(size=(b, d)), rng.normal(size=(d, v))
    ops, out = 0, np.zeros((b, v))
    for i in range(b):
        for j in range(v):
            row, column = x[i], w[:, j]
            out[i, j] = row @ column
            ops += min(row.size, column.size)
    assert np.allclose(out, x @ w)  # the loops compute the product they claim to
    return Estimate(float(ops))
