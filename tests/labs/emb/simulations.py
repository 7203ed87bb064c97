"""Simulations behind every answer of the lab "Word embeddings".

Quantities take ``(point, rng)`` and return an ``Estimate``; experiments take
``rng`` and return a ``Finding`` whose ``holds`` is computed from the numbers.
Every quantity is computed from its definition (the loss itself, differentiated
by central differences; the probability of a text, from the model's
distributions), never from the reference formula.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from content.simulation import Estimate, Finding

Rng = np.random.Generator

H = 1e-5  # the step of every central difference


def _log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max()
    return z - m - np.log(np.exp(z - m).sum())


def _log_sigmoid(x: float) -> float:
    return float(-np.logaddexp(0.0, -x))


def _cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    """−log of the probability the softmax of z gives the target word (y one-hot)."""
    return float(-_log_softmax(z)[int(np.argmax(y))])


def _gradient(f, x: np.ndarray) -> np.ndarray:
    """∇f at x, one coordinate at a time, by central differences."""
    g = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        e = np.zeros_like(x, dtype=float)
        e.flat[i] = H
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * H)
    return g


# ---------------------------------------------------------------- Problem 1


def cross_entropy_loss(point: dict[str, Any], rng: Rng) -> Estimate:
    """L = −log softmax(z)_y: the scores exponentiated, normalised, and the target's
    probability read off (exact: no randomness)."""
    z, y = np.asarray(point["z"], float), np.asarray(point["y"], float)
    p = np.exp(z - z.max())
    p = p / p.sum()
    return Estimate(float(-np.log(p[int(np.argmax(y))])), 1e-12)


def cross_entropy_gradient(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂L/∂z for L = −log softmax(z)_y, by central differences of the loss."""
    z, y = np.asarray(point["z"], float), np.asarray(point["y"], float)
    return Estimate(_gradient(lambda v: _cross_entropy(v, y), z), 1e-7)


def log_sum_exp_gradient(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂/∂z of log Σ_j e^{z_j}, by central differences."""
    z = np.asarray(point["z"], float)

    def lse(v: np.ndarray) -> float:
        m = v.max()
        return float(m + np.log(np.exp(v - m).sum()))

    return Estimate(_gradient(lse, z), 1e-7)


def target_score_gradient(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂/∂z of −z_y (the target word's score, negated), by central differences."""
    z, y = np.asarray(point["z"], float), np.asarray(point["y"], float)
    k = int(np.argmax(y))
    return Estimate(_gradient(lambda v: -float(v[k]), z), 1e-7)


def scaling_logits_changes_loss(rng: Rng) -> Finding:
    """1000 random logit vectors and targets: the cross-entropy at z and at 2z."""
    diffs, down, argmax_targets = [], 0, 0
    for _ in range(1000):
        v = int(rng.integers(3, 20))
        z, k = rng.normal(scale=2.0, size=v), int(rng.integers(v))
        y = np.eye(v)[k]
        d = _cross_entropy(2 * z, y) - _cross_entropy(z, y)
        diffs.append(d)
        if k == int(np.argmax(z)):
            argmax_targets += 1
            down += d < 0
    diffs_a = np.abs(np.array(diffs))
    return Finding(
        f"over 1000 random logit vectors, scaling by 2 changed the loss by up to "
        f"{diffs_a.max():.2f} (median {np.median(diffs_a):.2f}); it fell in {down} of the "
        f"{argmax_targets} cases whose target had the top score",
        bool(diffs_a.max() < 1e-9),
    )


# ---------------------------------------------------------------- Problem 2


def _sgns_loss(v_c: np.ndarray, u_o: np.ndarray, negatives: np.ndarray) -> float:
    """−log σ(u_o·v_c) − Σ_k log σ(−u_k·v_c), one negative at a time."""
    loss = -_log_sigmoid(float(u_o @ v_c))
    for u_k in negatives:
        loss -= _log_sigmoid(-float(u_k @ v_c))
    return loss


def sgns_gradient_center(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂J/∂v_c of the skip-gram negative-sampling loss, by central differences."""
    v_c = np.asarray(point["v_c"], float)
    u_o = np.asarray(point["u_o"], float)
    negatives = np.atleast_2d(np.asarray(point["U"], float))
    return Estimate(_gradient(lambda v: _sgns_loss(v, u_o, negatives), v_c), 1e-7)


def negative_sampling_touches_few_words(rng: Rng) -> Finding:
    """V = 5000 output vectors of width 16, K = 5 negatives: which output vectors does
    each loss depend on (each row nudged in turn), and how many multiply-adds does one
    evaluation of each loss perform?"""
    v, d, k = 5000, 16, 5
    out = rng.normal(scale=0.3, size=(v, d))
    v_c = rng.normal(scale=0.3, size=d)
    o = int(rng.integers(v))
    negatives = rng.choice(np.delete(np.arange(v), o), size=k, replace=False)

    def full(w: np.ndarray) -> tuple[float, int]:
        scores = w @ v_c
        return float(-_log_softmax(scores)[o]), w.shape[0] * d

    def sampled(w: np.ndarray) -> tuple[float, int]:
        return _sgns_loss(v_c, w[o], w[negatives]), (k + 1) * d

    counts, ops = {}, {}
    for name, loss in (("full", full), ("ns", sampled)):
        base, ops[name] = loss(out)
        touched = 0
        for row in range(v):
            w = out.copy()
            w[row] += 1e-3
            touched += abs(loss(w)[0] - base) > 1e-12
        counts[name] = touched
    return Finding(
        f"V = {v}: the full softmax loss depends on {counts['full']} output vectors "
        f"({ops['full']} multiply-adds per evaluation); negative sampling with K = {k} on "
        f"{counts['ns']} ({ops['ns']} multiply-adds)",
        bool(counts["full"] == v and counts["ns"] <= k + 1),
    )


# ---------------------------------------------------------------- Problem 3


def perplexity_constant_probability(point: dict[str, Any], rng: Rng) -> Estimate:
    """A text of N tokens from a vocabulary of 50 words and a model whose distribution at
    each position gives the observed token probability p (the rest spread at random over
    the other words): the perplexity P(w_1 … w_N)^(−1/N), through the sum of the logs."""
    p, n, vocab = float(point["p"]), int(point["N"]), 50
    text = rng.integers(vocab, size=n)
    log_prob = 0.0
    for w in text:
        q = rng.dirichlet(np.ones(vocab - 1)) * (1 - p)
        dist = np.insert(q, w, p)
        assert abs(dist.sum() - 1) < 1e-9
        log_prob += np.log(dist[w])
    return Estimate(float(np.exp(-log_prob / n)), 1e-9)


def perplexity_below_one(rng: Rng) -> Finding:
    """Random models (from flat to almost certain) on texts sampled from them and on
    random texts, and a model that gives every observed token probability 1: is any
    perplexity below 1?"""
    lowest, vocab = np.inf, 30
    for _ in range(2000):
        n = int(rng.integers(1, 50))
        sharp = 10 ** rng.uniform(-3, 1)
        dists = rng.dirichlet(np.full(vocab, sharp), size=n)
        own = np.array([rng.choice(vocab, p=q) for q in dists])
        other = rng.integers(vocab, size=n)
        for text in (own, other):
            log_prob = np.log(np.maximum(dists[np.arange(n), text], 1e-300)).sum()
            lowest = min(lowest, float(np.exp(-log_prob / n)))
    perfect = np.exp(-np.log(np.ones(20)).sum() / 20)
    lowest = min(lowest, float(perfect))
    return Finding(
        f"over 4000 random models and texts, and a perfect model, the lowest perplexity is "
        f"{lowest:.6f} (the perfect model's: {perfect:g})",
        bool(lowest < 1 - 1e-12),
    )
