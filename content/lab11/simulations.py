"""Numpy simulations behind every answer of Lab 11.

Each function is named in the YAML. Quantities take ``(point, rng)`` and return
an ``Estimate``; experiments take ``rng`` and return a ``Finding`` whose
``holds``/``choice`` is *computed* from the numbers, never written in.
"""

from __future__ import annotations

import decimal
from typing import Any

import numpy as np

from content.simulation import Estimate, Finding, Plot, series

Rng = np.random.Generator

# -- shared models ------------------------------------------------------------------


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ computed as exp(−log(1 + e^{−x})): stable for any |x|."""
    return np.exp(-np.logaddexp(0.0, -x))


def _gru_step(
    x: np.ndarray, h: np.ndarray, w: dict[str, np.ndarray], bias_z: float, bias_r: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One GRU step as on the sheet; biases force the gates open or shut."""
    z = sigmoid(w["Wz"] @ x + w["Uz"] @ h + bias_z)
    r = sigmoid(w["Wr"] @ x + w["Ur"] @ h + bias_r)
    h_hat = np.tanh(w["W"] @ x + r * (w["U"] @ h))
    return (1 - z) * h + z * h_hat, z, r


def _gru_weights(rng: Rng, n_in: int, n_h: int) -> dict[str, np.ndarray]:
    scale_x, scale_h = 1 / np.sqrt(n_in), 1 / np.sqrt(n_h)
    return {
        "Wz": rng.normal(0, scale_x, (n_h, n_in)),
        "Uz": rng.normal(0, scale_h, (n_h, n_h)),
        "Wr": rng.normal(0, scale_x, (n_h, n_in)),
        "Ur": rng.normal(0, scale_h, (n_h, n_h)),
        "W": rng.normal(0, scale_x, (n_h, n_in)),
        "U": rng.normal(0, scale_h, (n_h, n_h)),
    }


def _lstm_weights(rng: Rng, n_in: int, n_h: int) -> dict[str, np.ndarray]:
    return {
        f"{kind}{gate}": rng.normal(
            0, 1 / np.sqrt(n_in if kind == "W" else n_h), (n_h, n_in if kind == "W" else n_h)
        )
        for gate in "ifoc"
        for kind in "WU"
    }


def _lstm_step(
    x: np.ndarray, h: np.ndarray, c: np.ndarray, w: dict[str, np.ndarray], bias_f: float = 0.0
) -> dict[str, np.ndarray]:
    """One LSTM step with the sheet's Problem 3 equations (column vectors)."""
    i = sigmoid(w["Wi"] @ x + w["Ui"] @ h)
    f = sigmoid(w["Wf"] @ x + w["Uf"] @ h + bias_f)
    o = sigmoid(w["Wo"] @ x + w["Uo"] @ h)
    c_tilde = np.tanh(w["Wc"] @ x + w["Uc"] @ h)
    c_new = f * c + i * c_tilde
    return {"i": i, "f": f, "o": o, "c": c_new, "h": o * np.tanh(c_new)}


# -- Problem 2: GRU ---------------------------------------------------------------------


def sigmoid_of_negative(point: dict[str, Any], rng: Rng) -> Estimate:
    """σ(−x), straight from the definition (exact: no randomness)."""
    return Estimate(float(sigmoid(-np.asarray(point["x"]))))


def one_minus_sigmoid(point: dict[str, Any], rng: Rng) -> Estimate:
    """1 − σ(x), straight from the definition (exact: no randomness)."""
    return Estimate(float(1 - sigmoid(np.asarray(point["x"]))))


def sigmoid_reflection_on_grid(rng: Rng) -> Finding:
    """σ(−x) = 1 − σ(x) on a grid reaching far into both tails, compared relatively:
    the right side is computed in 330-digit decimal arithmetic, because in floating
    point 1 − σ(x) is exactly 0 beyond x ≈ 37 and would agree with anything small."""
    with decimal.localcontext() as exact:
        exact.prec = 330  # 1 − σ(700) ≈ 1e−304: enough digits to survive the subtraction
        x = np.linspace(-700, 700, 701)
        one_minus = np.array([float(1 - 1 / (1 + decimal.Decimal(-v).exp())) for v in x.tolist()])
    relative = np.abs(sigmoid(-x) - one_minus) / one_minus
    worst = float(relative.max())
    return Finding(
        f"σ(−x) and 1 − σ(x) (in 330-digit arithmetic) agree on {x.size} points in "
        f"[−700, 700], down to {one_minus.min():.1e}: max relative difference {worst:.1e}",
        holds=worst < 1e-12,
        numbers={"max_relative_difference": worst},
    )


def _columns_norm(a: np.ndarray) -> np.ndarray:
    """Norm of each column: every column of a batch is one independent trial."""
    return np.linalg.norm(a, axis=0)


def gru_update_gate_closed(rng: Rng) -> Finding:
    """z ≈ 0: how far does h move in one step, compared with an open gate?"""
    n_in, n_h, trials = 6, 8, 2000
    w = _gru_weights(rng, n_in, n_h)
    x, h = rng.normal(size=(n_in, trials)), np.tanh(rng.normal(size=(n_h, trials)))
    closed_h, _, _ = _gru_step(x, h, w, bias_z=-12.0, bias_r=0.0)
    half_h, _, _ = _gru_step(x, h, w, bias_z=0.0, bias_r=0.0)
    closed = float(np.max(_columns_norm(closed_h - h) / _columns_norm(h)))
    half = float(np.mean(_columns_norm(half_h - h) / _columns_norm(h)))
    return Finding(
        f"with z ≈ 0, ‖h_t − h_{{t−1}}‖/‖h_{{t−1}}‖ ≤ {closed:.1e} over {trials} random steps "
        f"(with z ≈ 0.5 it is {half:.2f} on average)",
        holds=closed < 1e-3 < half,
        numbers={"relative_move_closed": closed, "relative_move_half": half},
    )


def gru_reset_and_update(rng: Rng) -> Finding:
    """z ≈ 1, r ≈ 0: does h_t still carry h_{t−1}?"""
    n_in, n_h, trials = 6, 8, 2000
    w = _gru_weights(rng, n_in, n_h)
    x = rng.normal(size=(n_in, trials))
    h_a, h_b = np.tanh(rng.normal(size=(2, n_h, trials)))
    out_a, _, _ = _gru_step(x, h_a, w, bias_z=12.0, bias_r=-12.0)
    out_b, _, _ = _gru_step(x, h_b, w, bias_z=12.0, bias_r=-12.0)
    sensitivity = float(np.max(_columns_norm(out_a - out_b) / _columns_norm(h_a - h_b)))
    to_candidate = float(np.max(np.abs(out_a - np.tanh(w["W"] @ x))))
    remembers = sensitivity > 0.5
    verdict = "the past is kept" if remembers else "the past is overwritten"
    return Finding(
        f"with z ≈ 1 and r ≈ 0, changing h_{{t−1}} changes h_t by at most {sensitivity:.1e} "
        f"of the change, and |h_t − tanh(W x_t)| ≤ {to_candidate:.1e}: {verdict}",
        holds=remembers,
        numbers={"max_sensitivity": sensitivity, "max_gap_to_tanh_Wx": to_candidate},
    )


# -- Problem 3: LSTM gates ------------------------------------------------------------


def lstm_zero_input(rng: Rng) -> Finding:
    """x_t = 0: is h_t equal to h_{t−1}?"""
    n_in, n_h, trials = 5, 8, 2000
    w = _lstm_weights(rng, n_in, n_h)
    h, c = np.tanh(rng.normal(size=(n_h, trials))), rng.normal(size=(n_h, trials))
    out = _lstm_step(np.zeros((n_in, trials)), h, c, w)
    gaps = np.max(np.abs(out["h"] - h), axis=0)
    smallest, typical = float(gaps.min()), float(np.median(gaps))
    return Finding(
        f"with x_t = 0, max|h_t − h_{{t−1}}| is {typical:.2f} (median) and never below "
        f"{smallest:.2f} over {trials} random states",
        holds=float(gaps.max()) < 1e-9,
        numbers={"median_gap": typical, "min_gap": smallest},
    )


def lstm_forget_gate_zero_gradient(rng: Rng) -> Finding:
    """f ≈ 0 at every step: does the loss at step T still depend on h at step 1?"""
    n_in, n_h, steps, eps = 4, 6, 5, 1e-6
    w = _lstm_weights(rng, n_in, n_h)
    xs = rng.normal(size=(steps, n_in, 1))
    target = rng.normal(size=(n_h, 1))

    def unroll(h0: np.ndarray) -> tuple[float, float]:
        """The loss at the last step, and the largest forget-gate entry seen."""
        h, c, max_f = h0, np.zeros((n_h, 1)), 0.0
        for x in xs:
            out = _lstm_step(x, h, c, w, bias_f=-60.0)
            h, c = out["h"], out["c"]
            max_f = max(max_f, float(out["f"].max()))
        return float(0.5 * np.sum((h - target) ** 2)), max_f

    h0 = np.tanh(rng.normal(size=(n_h, 1)))
    grad = np.zeros(n_h)
    for k in range(n_h):
        bump = np.zeros((n_h, 1))
        bump[k] = eps
        grad[k] = (unroll(h0 + bump)[0] - unroll(h0 - bump)[0]) / (2 * eps)
    norm = float(np.linalg.norm(grad))
    max_f = unroll(h0)[1]
    blocked = norm < 1e-7  # central differences with ε = 1e−6 read a true 0 as up to ~1e−10
    return Finding(
        f"with every f_t ≤ {max_f:.0e}, the finite-difference gradient of the loss at step {steps} "
        f"with respect to h_0 has norm {norm:.2e}: "
        + ("nothing flows back" if blocked else "error still flows back through h"),
        holds=blocked,
        numbers={"gradient_norm": norm, "max_forget_gate": max_f},
    )


def _gate_preactivations(rng: Rng, trials: int = 5000) -> np.ndarray:
    """What the sigmoid of f, i, o receives for random inputs and states: trials × 3 × n_h."""
    n_in, n_h = 5, 8
    w = _lstm_weights(rng, n_in, n_h)
    x = rng.normal(0, 3, size=(n_in, trials))
    h = np.tanh(rng.normal(size=(n_h, trials)))
    pre = [w[f"W{g}"] @ x + w[f"U{g}"] @ h for g in "fio"]
    return np.stack([a.T for a in pre], axis=1)


def _gate_samples(rng: Rng, trials: int = 5000) -> np.ndarray:
    """Gate values f, i, o for random inputs and states: trials × 3 × n_h."""
    return sigmoid(_gate_preactivations(rng, trials))


def lstm_gates_nonnegative(rng: Rng) -> Finding:
    """Every entry of f_t, i_t, o_t over 5000 random inputs: inside (0, 1)?"""
    pre = _gate_preactivations(rng)
    # the gate and its distance to 1, each computed without rounding to 0 or 1
    gates, below_one = sigmoid(pre), sigmoid(-pre)
    low, gap = float(gates.min()), float(below_one.min())
    return Finding(
        f"over {pre.shape[0]} random inputs (x ~ N(0, 9)), every entry of f_t, i_t, o_t lies in "
        f"(0, 1): the smallest is {low:.2g}, the largest falls short of 1 by {gap:.2g}",
        holds=bool(low > 0 and gap > 0),
        numbers={"min_entry": low, "min_distance_to_one": gap},
    )


def lstm_gates_sum_to_one(rng: Rng) -> Finding:
    """The entries of f_t, i_t, o_t over 5000 random inputs: do they sum to 1?"""
    gates = _gate_samples(rng)
    sums = gates.sum(axis=2)
    low, high = float(sums.min()), float(sums.max())
    normalised = bool(np.all(np.abs(sums - 1) < 1e-9))
    return Finding(
        f"the entries of f_t, i_t, o_t (hidden size {gates.shape[2]}) sum to between "
        f"{low:.2f} and {high:.2f} over {gates.shape[0]} random inputs"
        + ("" if normalised else " — not 1"),
        holds=normalised,
        numbers={"min_sum": low, "max_sum": high},
    )


# -- Problem 6: scaled dot products ---------------------------------------------------------

_MC_SAMPLES = 200_000
_MC_BLOCK = 8_192  # samples drawn at once: q and k of a block stay in the CPU cache


def _dot_products(point: dict[str, Any], rng: Rng) -> np.ndarray:
    """Monte Carlo draws of qᵀk for q, k ~ N(μ, σ²I) independent."""
    d = int(point["d"])
    mu = np.asarray(point.get("mu", np.zeros(d)), dtype=float)
    sigma = float(point["sigma"])
    mu32, sigma32 = mu.astype(np.float32), np.float32(sigma)
    out = np.empty(_MC_SAMPLES)
    for start in range(0, _MC_SAMPLES, _MC_BLOCK):
        n = min(_MC_BLOCK, _MC_SAMPLES - start)
        # Single precision: its rounding (~1e-7 relative) is far below the Monte Carlo
        # error (~1e-3), and the draws cost half as much.
        q = mu32 + sigma32 * rng.standard_normal((n, d), dtype=np.float32)
        k = mu32 + sigma32 * rng.standard_normal((n, d), dtype=np.float32)
        out[start : start + n] = np.einsum("ij,ij->i", q, k, dtype=np.float64)
    return out


def _variance_estimate(samples: np.ndarray) -> Estimate:
    centred = samples - samples.mean()
    var = float(np.mean(centred**2))
    fourth = float(np.mean(centred**4))
    return Estimate(
        var * len(samples) / (len(samples) - 1),
        float(np.sqrt((fourth - var**2) / len(samples))),
        len(samples),
    )


def dot_product_mean(point: dict[str, Any], rng: Rng) -> Estimate:
    """E[qᵀk] for q, k ~ N(μ, σ²I), by Monte Carlo (200,000 draws)."""
    s = _dot_products(point, rng)
    return Estimate(float(s.mean()), float(s.std(ddof=1) / np.sqrt(len(s))), len(s))


def dot_product_variance(point: dict[str, Any], rng: Rng) -> Estimate:
    """Var(qᵀk) for q, k ~ N(μ, σ²I), by Monte Carlo (200,000 draws)."""
    return _variance_estimate(_dot_products(point, rng))


def dot_product_std(point: dict[str, Any], rng: Rng) -> Estimate:
    """The spread of qᵀk: the s that makes Var(qᵀk/s) = 1 (delta method for its error)."""
    var = _variance_estimate(_dot_products(point, rng))
    std = float(np.sqrt(var.value))
    return Estimate(std, var.stderr / (2 * std), var.n)


def centred_dot_product_variance(point: dict[str, Any], rng: Rng) -> Estimate:
    """Var(qᵀk) with μ = 0: the unscaled score when s = 1."""
    return _variance_estimate(_dot_products({**point, "mu": np.zeros(int(point["d"]))}, rng))


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    ex = np.exp(shifted)
    result: np.ndarray = ex / ex.sum(axis=1, keepdims=True)
    return result


def _attention_peakedness(rng: Rng, d: int, scale: float, keys: int = 16, rows: int = 300) -> float:
    """Mean of the largest softmax weight over rows of unscaled/scaled scores."""
    q = rng.standard_normal((rows, d))
    k = rng.standard_normal((rows, keys, d))
    scores = np.einsum("rd,rkd->rk", q, k) / scale
    return float(_softmax_rows(scores).max(axis=1).mean())


def softmax_saturation(rng: Rng) -> Finding:
    """With s = 1, what does the softmax over 16 keys look like as d grows?"""
    sizes = (4, 64, 1024)
    unscaled = {d: _attention_peakedness(rng, d, 1.0) for d in sizes}
    scaled = {d: _attention_peakedness(rng, d, float(np.sqrt(d))) for d in sizes}
    big = unscaled[sizes[-1]]
    uniform = 1 / 16
    if big > 0.8:
        choice = "b"
    elif big < 1.5 * uniform:
        choice = "a"
    else:
        choice = "c"
    shown = ", ".join(f"d = {d}: {unscaled[d]:.2f}" for d in sizes)
    return Finding(
        f"mean largest softmax weight over 16 keys with s = 1 — {shown}; with s = √d it stays "
        f"near {scaled[sizes[-1]]:.2f}",
        choice=choice,
        numbers={f"max_weight_d{d}": unscaled[d] for d in sizes},
    )


def score_variance_grows_with_d(rng: Rng) -> Finding:
    """Var(qᵀk) for centred unit-variance q, k, measured at growing d: linear in d?"""
    sizes = (8, 32, 128)
    variances = {d: float(np.var(_dot_products({"d": d, "sigma": 1.0}, rng))) for d in sizes}
    per_d = [v / d for d, v in variances.items()]
    shown = ", ".join(f"d = {d}: {v:.1f}" for d, v in variances.items())
    return Finding(
        f"measured Var(qᵀk) with μ = 0, σ = 1 — {shown}: about d (ratio to d between "
        f"{min(per_d):.2f} and {max(per_d):.2f})",
        holds=all(abs(r - 1) < 0.05 for r in per_d),
        numbers={f"variance_d{d}": v for d, v in variances.items()},
    )


def softmax_gradient_vanishes(rng: Rng) -> Finding:
    """Is the softmax's Jacobian tiny when its input scores have a large spread?"""
    keys, rows = 16, 200
    norms = {}
    for d in (4, 1024):
        q = rng.standard_normal((rows, d))
        k = rng.standard_normal((rows, keys, d))
        p = _softmax_rows(np.einsum("rd,rkd->rk", q, k))
        # Jacobian of softmax: diag(p) − p pᵀ; its Frobenius norm per row.
        jac = np.einsum("rk,kl->rkl", p, np.eye(keys)) - np.einsum("rk,rl->rkl", p, p)
        norms[d] = float(np.median(np.linalg.norm(jac, axis=(1, 2))))
    vanishes = norms[1024] < 0.05 * norms[4]
    return Finding(
        f"median ‖∂softmax/∂scores‖ with s = 1: {norms[4]:.2f} at d = 4, {norms[1024]:.1e} at "
        "d = 1024" + (" — saturated, so almost no gradient reaches q and k" if vanishes else ""),
        holds=vanishes,
        numbers={"jacobian_norm_d4": norms[4], "jacobian_norm_d1024": norms[1024]},
    )


# -- Problem 1: vanishing and exploding gradients ---------------------------------------


def _orthogonal(rng: Rng, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _tanh_rnn(w: np.ndarray, u: np.ndarray, xs: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """The sheet's RNN, h_t = tanh(W h_{t−1} + U x_t) — here ``w`` is the recurrent
    matrix (the sheet's U) and ``u`` the input matrix (its W); the last state."""
    h = h0
    for x in xs:
        h = np.tanh(w @ h + u @ x)
    return h


def _backprop_norm_ratio(
    rng: Rng, rho: float, steps: int, n: int = 16, inputs: bool = False
) -> float:
    """‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ for L = g·h_T, measured by complex-step differentiation
    (Im L(h_0 + iε·e)/ε, exact to rounding) through the sheet's tanh RNN with
    W = ρ·(an orthogonal matrix).

    Without inputs the run stays at the zero state, where tanh′ = 1 and every
    singular value of a step's Jacobian is ρ — the question's premise. With inputs
    the run leaves zero, and tanh′ < 1 shrinks the gradient further.
    """
    w = rho * _orthogonal(rng, n)
    u = rng.normal(size=(n, n)) / np.sqrt(n)
    xs = rng.normal(size=(steps, n)) if inputs else np.zeros((steps, n))
    g = rng.normal(size=n)
    grad = np.array(
        [float(np.imag(g @ _tanh_rnn(w, u, xs, 1e-30j * e))) / 1e-30 for e in np.eye(n)]
    )
    return float(np.linalg.norm(grad) / np.linalg.norm(g))


def tanh_rnn_shrinks_more(rng: Rng) -> Finding:
    """Along a real run (random inputs), tanh′ ≤ 1 only makes the factor smaller than ρⁿ."""
    steps = 30
    ratios = {rho: _backprop_norm_ratio(rng, rho, steps, inputs=True) for rho in (0.9, 1.0, 1.1)}
    shown = ", ".join(f"ρ = {rho:g}: {r:.2g} (ρⁿ = {rho**steps:.2g})" for rho, r in ratios.items())
    return Finding(
        f"tanh RNN on random inputs, {steps} steps back — {shown}",
        holds=all(r <= rho**steps * (1 + 1e-9) for rho, r in ratios.items()),
        numbers={f"ratio_rho_{rho:g}": r for rho, r in ratios.items()},
    )


def gradient_scale_after_steps(point: dict[str, Any], rng: Rng) -> Estimate:
    """The factor by which n recurrent Jacobians of norm ρ scale a gradient."""
    return Estimate(_backprop_norm_ratio(rng, float(point["rho"]), int(point["n"])))


def gradient_scale_fixed(point: dict[str, Any], rng: Rng) -> Estimate:
    """Problem 1's numeric question: ρ = 0.9, 50 steps."""
    return Estimate(_backprop_norm_ratio(rng, 0.9, 50))


def _real_run_ratio(rng: Rng, rho: float, steps: int, runs: int = 5, n: int = 16) -> float:
    """The median gradient scale over ``runs`` real runs (random inputs)."""
    return float(
        np.median([_backprop_norm_ratio(rng, rho, steps, n, inputs=True) for _ in range(runs)])
    )


def gradients_vanish_or_explode(rng: Rng) -> Finding:
    """The gradient sent back 50 steps along real runs of the sheet's tanh RNN (random
    inputs, median of 5 runs), for W = ρ·(an orthogonal matrix) with ρ = 0.9, 1.1 and
    4: does it become exponentially small, or large?"""
    ratios = {rho: _real_run_ratio(rng, rho, 50) for rho in (0.9, 1.1, 4.0)}
    return Finding(
        f"gradient scale after 50 steps back along real runs (median of 5) — "
        f"ρ = 0.9: ×{ratios[0.9]:.1e}, ρ = 1.1: ×{ratios[1.1]:.1e} (tanh′ < 1 outweighs ρ), "
        f"ρ = 4: ×{ratios[4.0]:.1e}",
        holds=ratios[0.9] < 1e-2 and ratios[4.0] > 1e2,
        numbers={f"ratio_rho_{rho:g}": r for rho, r in ratios.items()},
    )


def exploding_regime(rng: Rng) -> Finding:
    """Which spectral norms make the gradient blow up over 100 steps, when every
    Jacobian has all its singular values ρ (the question's premise: the run at the
    zero state, where tanh′ = 1)?"""
    radii = (0.8, 0.95, 1.0, 1.05, 1.2)
    ratios = {rho: _backprop_norm_ratio(rng, rho, 100) for rho in radii}
    exploding = [rho for rho, r in ratios.items() if r > 1e2]
    vanishing = [rho for rho, r in ratios.items() if r < 1e-2]
    if exploding and all(rho > 1 for rho in exploding) and all(rho < 1 for rho in vanishing):
        choice = "b"
    elif exploding and all(rho < 1 for rho in exploding):
        choice = "a"
    else:
        choice = "c"
    shown = ", ".join(f"ρ = {rho:g}: ×{r:.2g}" for rho, r in ratios.items())
    return Finding(
        f"gradient scale after 100 steps — {shown}",
        choice=choice,
        numbers={f"ratio_rho_{rho:g}": r for rho, r in ratios.items()},
    )


def _clip(grad: np.ndarray, threshold: float) -> np.ndarray:
    """Clipping by norm as published (Pascanu et al., 2013): g ← τ·g/‖g‖ when ‖g‖ > τ."""
    norm = float(np.linalg.norm(grad))
    return grad * (threshold / norm) if norm > threshold else grad


def _train_sign_task(
    rng: Rng, steps: int, clip: float | None, iters: int = 300
) -> tuple[float, float]:
    """Train the sheet's tanh RNN (16 units, W = 0.8·orthogonal at the start) by BPTT
    and SGD to tell, after ``steps`` steps, the sign of the *first* input; with
    ``clip``, the whole gradient is clipped by its norm (Pascanu et al.) before each
    update. Returns the accuracy on fresh sequences and the share of updates that
    clipping changed."""
    n, batch, lr = 16, 64, 0.5
    w = 0.8 * _orthogonal(rng, n)
    u, v = rng.normal(size=(n, 1)), rng.normal(size=n) / np.sqrt(n)
    clipped = 0
    for _ in range(iters):
        x = rng.normal(size=(batch, steps))
        y = (x[:, 0] > 0).astype(float)
        hs = [np.zeros((batch, n))]
        for t in range(steps):
            hs.append(np.tanh(hs[-1] @ w.T + x[:, t : t + 1] @ u.T))
        d_logit = (sigmoid(hs[-1] @ v) - y) / batch  # cross-entropy through the sigmoid
        grad_v, d_h = hs[-1].T @ d_logit, np.outer(d_logit, v)
        grad_w, grad_u = np.zeros_like(w), np.zeros_like(u)
        for t in range(steps, 0, -1):  # back-propagation through time
            d_a = d_h * (1 - hs[t] ** 2)
            grad_w += d_a.T @ hs[t - 1]
            grad_u += d_a.T @ x[:, t - 1 : t]
            d_h = d_a @ w
        g = np.concatenate([grad_w.ravel(), grad_u.ravel(), grad_v])
        before = g.copy()
        if clip is not None:
            g = _clip(g, clip)
        clipped += not np.array_equal(g, before)
        w -= lr * g[: n * n].reshape(n, n)
        u -= lr * g[n * n : n * n + n].reshape(n, 1)
        v -= lr * g[n * n + n :]
    x = rng.normal(size=(2000, steps))
    h = np.zeros((2000, n))
    for t in range(steps):
        h = np.tanh(h @ w.T + x[:, t : t + 1] @ u.T)
    accuracy = float(np.mean((sigmoid(h @ v) > 0.5) == (x[:, 0] > 0)))
    return accuracy, clipped / iters


def clipping_and_vanishing(rng: Rng) -> Finding:
    """Train a tanh RNN to recall its first input after 30 steps, with and without
    clipping by norm (a threshold low enough to act): does clipping make it learn?
    A 2-step control shows that the same training learns when nothing vanishes."""
    control, _ = _train_sign_task(rng, 2, None)
    plain, _ = _train_sign_task(rng, 30, None)
    with_clipping, share = _train_sign_task(rng, 30, 0.05)
    learns = control > 0.9
    return Finding(
        f"recalling the first input of a tanh RNN after 2 steps is learned ({control:.0%} "
        f"correct); after 30 steps it is not, without clipping ({plain:.0%}) or with it "
        f"({with_clipping:.0%}, clipping active in {share:.0%} of the updates) — chance is 50%",
        holds=(with_clipping > max(plain + 0.1, 0.6)) if learns else None,
        numbers={"control": control, "plain": plain, "clipped": with_clipping, "share": share},
    )


# -- Problem 5: attention --------------------------------------------------------------


def attention_by_loops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Attention written as on the sheet: one query at a time, one key at a time."""
    queries, keys, values = point["Q"], point["K"], point["V"]
    out = np.zeros((queries.shape[0], values.shape[1]))
    for i, q in enumerate(queries):
        scores = [float(q @ k) for k in keys]
        top = max(scores)
        weights = [np.exp(s - top) for s in scores]
        total = sum(weights)
        for w, v in zip(weights, values, strict=True):
            out[i] += (w / total) * v
    return Estimate(out)


def rnn_attention_scores(point: dict[str, Any], rng: Rng) -> Estimate:
    """Scores of the current state against each past state, by a loop."""
    past, current = point["H"], point["h"]
    return Estimate(np.array([float(row @ current) for row in past]))


def rnn_attention_context(point: dict[str, Any], rng: Rng) -> Estimate:
    """The context vector: past states averaged with softmax weights, by a loop."""
    past, current = point["H"], point["h"]
    scores = np.array([float(row @ current) for row in past])
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return Estimate(sum(w * row for w, row in zip(weights, past, strict=True)))


def rnn_attention_roles(rng: Rng) -> Finding:
    """Which vector is the query? The one that every score depends on."""
    t, d = 6, 4
    past, current = rng.normal(size=(t, d)), rng.normal(size=d)

    def scores(p: np.ndarray, c: np.ndarray) -> np.ndarray:
        return p @ c

    base = scores(past, current)
    moved_current = scores(past, current + rng.normal(size=d))
    bumped = past.copy()
    bumped[2] += rng.normal(size=d)
    moved_one_past = scores(bumped, current)
    all_change = int(np.sum(np.abs(moved_current - base) > 1e-9))
    one_change = int(np.sum(np.abs(moved_one_past - base) > 1e-9))
    choice = "a" if all_change == t and one_change == 1 else "b"
    roles = (
        ": h_t is compared with every key, each past state is one key (and value)"
        if choice == "a"
        else ""
    )
    return Finding(
        f"changing h_t changes {all_change} of {t} scores; changing one past state changes "
        f"{one_change}{roles}",
        choice=choice,
        numbers={"scores_changed_by_current": all_change, "scores_changed_by_one_past": one_change},
    )


def current_state_is_the_query(rng: Rng) -> Finding:
    """The same experiment as a demonstration: h_t is the vector every score shares."""
    found = rnn_attention_roles(rng)
    return Finding(found.evidence, holds=found.choice == "a", numbers=found.numbers)


# -- Problem 7: Transformers -----------------------------------------------------------


def _self_attention(x: np.ndarray, wq: np.ndarray, wk: np.ndarray, wv: np.ndarray) -> np.ndarray:
    scores = (x @ wq) @ (x @ wk).T / np.sqrt(wq.shape[1])
    return _softmax_rows(scores) @ (x @ wv)


def permutation_equivariance(rng: Rng) -> Finding:
    """Without positions, does permuting the tokens just permute the outputs?"""
    m, d = 7, 8
    x = rng.normal(size=(m, d))
    wq, wk, wv = rng.normal(size=(3, d, d))
    perm = rng.permutation(m)
    out, out_perm = _self_attention(x, wq, wk, wv), _self_attention(x[perm], wq, wk, wv)
    plain_gap = float(np.max(np.abs(out[perm] - out_perm)))
    pe = sinusoidal_table(m, d)
    with_pe = _self_attention(x + pe, wq, wk, wv)
    with_pe_perm = _self_attention(x[perm] + pe, wq, wk, wv)
    pe_gap = float(np.max(np.abs(with_pe[perm] - with_pe_perm)))
    return Finding(
        f"permuting {m} tokens: without positional encoding the permuted outputs differ from "
        f"the outputs permuted by {plain_gap:.1e}; with sinusoidal encodings by up to {pe_gap:.2f}",
        holds=plain_gap < 1e-9,
        numbers={"gap_without_pe": plain_gap, "gap_with_pe": pe_gap},
    )


def sinusoidal_table(length: int, d: int) -> np.ndarray:
    """The Transformer's encoding, built as a whole table (Vaswani et al., 2017)."""
    pos = np.arange(length)[:, None]
    rates = 1.0 / np.power(10000.0, np.arange(0, d, 2) / d)
    table = np.zeros((length, d))
    table[:, 0::2] = np.sin(pos * rates)
    table[:, 1::2] = np.cos(pos * rates[: d // 2])
    return table


def sinusoidal_entry(point: dict[str, Any], rng: Rng) -> Estimate:
    """PE(pos, 2i), read from the whole table built by broadcasting, as reference
    implementations build it: a second transcription of the paper's definition, which
    catches a slip in the typed formula, not a wrong definition."""
    pos, i, d = int(point["pos"]), int(point["i"]), int(point["d"])
    if 2 * i >= d:
        raise ValueError(f"column 2i = {2 * i} is outside a table of width d = {d}")
    return Estimate(float(sinusoidal_table(pos + 1, d)[pos, 2 * i]))


def relative_position_is_linear(rng: Rng) -> Finding:
    """Is PE(pos + k) a fixed linear map of PE(pos), the same for every pos?"""
    d, k, length = 16, 3, 60
    table = sinusoidal_table(length + k, d)
    now, later = table[:length], table[k : length + k]
    fit, *_ = np.linalg.lstsq(now, later, rcond=None)
    residual = float(np.max(np.abs(now @ fit - later)))
    return Finding(
        f"the best {d}×{d} matrix mapping PE(pos) to PE(pos + {k}), fitted over {length} "
        f"positions, leaves a max residual of {residual:.1e}",
        holds=residual < 1e-8,
        numbers={"max_residual": residual},
    )


def previous_token_head(rng: Rng) -> Finding:
    """A head that attends to pos − 1 from positions alone: its query map is fitted on
    positions 1–100 (more positions than dimensions, so a map that only works there
    would not fit), then run on positions 150–250, with random word vectors beside
    the encodings that the head's projections ignore."""
    d, words = 32, 16
    pe = sinusoidal_table(260, d)
    fit, *_ = np.linalg.lstsq(pe[1:101], pe[0:100], rcond=None)  # PE(pos) -> PE(pos - 1)
    seen = range(150, 251)
    x = np.hstack([rng.normal(size=(len(seen), words)), pe[list(seen)]])  # [word ; PE(pos)]
    w_q = np.vstack([np.zeros((words, d)), fit])  # reads the position part only
    w_k = np.vstack([np.zeros((words, d)), np.eye(d)])
    weights = _softmax_rows(8.0 * (x @ w_q) @ (x @ w_k).T)
    on_previous = float(np.mean([weights[p, p - 1] for p in range(1, len(seen))]))
    return Finding(
        f"a head with query PE(pos)·M (M fitted on positions 1–100) and key PE(pos), run on "
        f"positions 150–250 with random words, puts {on_previous:.0%} of its weight on the "
        "previous token, on average",
        holds=on_previous > 0.5,
        numbers={"mean_weight_on_previous": on_previous},
    )


def two_heads_two_positions(rng: Rng) -> Finding:
    """One query needs what two tokens hold, told apart: the difference of their
    contents. A linear read-out is fitted (on 1,500 random sentences) to recover it
    from the attention output and scored on 500 others (R²): for one head, at 51
    queries from aimed at one token to split evenly between both, and for two heads of
    half the width (the same output width), each aimed at one token; the outputs
    carry 5 % other signal."""
    one_head, two_heads = recovered_by_heads(rng)
    choice = "a" if two_heads > 0.9 and one_head < 0.6 else "b"
    return Finding(
        f"recovering token {_TARGETS[0]}'s content minus token {_TARGETS[1]}'s from the "
        f"attention output: one head recovers at most {one_head:.0%} of it (R², best of 51 "
        f"queries, from aimed at one token to split evenly); two heads of half the width, "
        f"each aimed at one token, recover {two_heads:.0%}",
        choice=choice,
        numbers={"one_head_r2": one_head, "two_heads_r2": two_heads},
    )


_TARGETS = (2, 7)


def recovered_by_heads(rng: Rng, sharpness: float = 30.0) -> tuple[float, float]:
    """R² of the read-out of x_a − x_b from one head's output (the best of its queries)
    and from two half-width heads' concatenated outputs. ``sharpness`` scales the
    queries: near 0 every head averages the whole sentence."""
    d, length, content = 16, 10, 4
    keys = _orthogonal(rng, d)[:length]  # distinct positions: orthonormal keys
    sentences = rng.normal(size=(2000, length, content))  # what each token holds
    wanted = sentences[:, _TARGETS[0]] - sentences[:, _TARGETS[1]]
    one_head_values = rng.normal(size=(content, d))
    half_width_values = [rng.normal(size=(content, d // 2)) for _ in _TARGETS]

    def attend(query: np.ndarray, values: np.ndarray) -> np.ndarray:
        weights = _softmax_rows((keys @ (sharpness * query))[None, :])[0]
        return np.tensordot(sentences, weights, axes=([1], [0])) @ values

    def recovered(outputs: np.ndarray) -> float:
        # Outputs carry other signal too: without some, a read-out could invert
        # differences of weights too small to matter (noise-free data is exact).
        outputs = outputs + 0.05 * rng.normal(size=outputs.shape)
        train, test = slice(0, 1500), slice(1500, None)
        readout, *_ = np.linalg.lstsq(outputs[train], wanted[train], rcond=None)
        error = outputs[test] @ readout - wanted[test]
        return float(1.0 - np.sum(error**2) / np.sum(wanted[test] ** 2))

    first, second = keys[_TARGETS[0]], keys[_TARGETS[1]]
    aims = np.linspace(0.0, 1.0, 51)  # the share of the query aimed at the first token
    one_head = max(recovered(attend(a * first + (1 - a) * second, one_head_values)) for a in aims)
    two_heads = recovered(
        np.hstack(
            [attend(keys[t], values) for t, values in zip(_TARGETS, half_width_values, strict=True)]
        )
    )
    return one_head, two_heads


def heads_attend_to_two_places(rng: Rng) -> Finding:
    """The same experiment as a demonstration: two heads retrieve what one blends."""
    found = two_heads_two_positions(rng)
    return Finding(found.evidence, holds=found.choice == "a", numbers=found.numbers)


class _Counter:
    """Multiply-adds of the matrix products and exponentials actually performed."""

    def __init__(self) -> None:
        self.ops = 0

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.ops += a.shape[0] * a.shape[1] * b.shape[1]
        result: np.ndarray = a @ b
        return result

    def softmax(self, scores: np.ndarray) -> np.ndarray:
        self.ops += scores.size
        return _softmax_rows(scores)


def _counted_attention(
    counter: _Counter, q: np.ndarray, k: np.ndarray, v: np.ndarray
) -> np.ndarray:
    weights = counter.softmax(counter.matmul(q, k.T) / np.sqrt(q.shape[1]))
    return counter.matmul(weights, v)


def _sizes(point: dict[str, Any]) -> tuple[int, int, int]:
    return int(point["M"]), int(point["N"]), int(point.get("k", 16))


def encoder_self_attention_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Multiply-adds performed by the numpy attention of M source positions over themselves."""
    m, _, k = _sizes(point)
    counter, src = _Counter(), rng.normal(size=(m, k))
    _counted_attention(counter, src, src, src)
    return Estimate(float(counter.ops))


def decoder_encoder_attention_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Multiply-adds performed by the numpy attention of N target over M source positions."""
    m, n, k = _sizes(point)
    counter, src, tgt = _Counter(), rng.normal(size=(m, k)), rng.normal(size=(n, k))
    _counted_attention(counter, tgt, src, src)
    return Estimate(float(counter.ops))


def decoder_self_attention_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Multiply-adds performed by the numpy attention of N target positions over themselves."""
    _, n, k = _sizes(point)
    counter, tgt = _Counter(), rng.normal(size=(n, k))
    _counted_attention(counter, tgt, tgt, tgt)
    return Estimate(float(counter.ops))


def second_language_ops(point: dict[str, Any], rng: Rng) -> Estimate:
    """Translating the same source again: the decoder's attention only (hidden size k)."""
    m, n, k = _sizes(point)
    counter, src, tgt = _Counter(), rng.normal(size=(m, k)), rng.normal(size=(n, k))
    _counted_attention(counter, tgt, tgt, tgt)
    _counted_attention(counter, tgt, src, src)
    return Estimate(float(counter.ops))


def _encoder_decoder(
    src: np.ndarray, tgt: np.ndarray, w: np.ndarray, encoder_reads_target: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """A one-layer Transformer as one function of (source, target): the encoder's
    outputs and the decoder's. ``encoder_reads_target``: a control whose encoder
    also cross-attends to the target, to show that the measurement can see one."""
    d = src.shape[1]
    memory = _self_attention(src, *w[0:3])
    if encoder_reads_target:
        memory = memory + _softmax_rows(memory @ tgt.T / np.sqrt(d)) @ tgt
    hidden = _self_attention(tgt, *w[3:6])
    q, k, v = hidden @ w[6], memory @ w[7], memory @ w[8]
    return memory, _softmax_rows(q @ k.T / np.sqrt(d)) @ v


def encoder_ignores_decoder(rng: Rng) -> Finding:
    """Run the whole model on one source with two targets; compare what changes."""
    m, n, d = 6, 5, 8
    src, w = rng.normal(size=(m, d)), rng.normal(size=(9, d, d))
    target_a, target_b = rng.normal(size=(n, d)), rng.normal(size=(n, d))

    def gaps(control: bool) -> tuple[float, float]:
        memory_a, out_a = _encoder_decoder(src, target_a, w, control)
        memory_b, out_b = _encoder_decoder(src, target_b, w, control)
        return float(np.max(np.abs(memory_a - memory_b))), float(np.max(np.abs(out_a - out_b)))

    enc_gap, dec_gap = gaps(False)
    control_gap, _ = gaps(True)
    return Finding(
        f"two different decoder inputs: encoder outputs differ by {enc_gap:.1e}, decoder "
        f"outputs by {dec_gap:.2f} (a control whose encoder also read the target: its "
        f"outputs differ by {control_gap:.2f})",
        holds=enc_gap > 1e-9,
        numbers={"encoder_gap": enc_gap, "decoder_gap": dec_gap, "control_gap": control_gap},
    )


def encoder_reads_only_the_source(rng: Rng) -> Finding:
    """The same experiment as a demonstration: the encoder's outputs do not move with
    the target, while the control's, which reads it, do."""
    found = encoder_ignores_decoder(rng)
    unmoved = found.numbers["encoder_gap"] < 1e-12 < found.numbers["control_gap"]
    return Finding(found.evidence, holds=unmoved, numbers=found.numbers)


# -- Problem 4: the LSTM gradient (row vectors, as on the sheet: x_t W + h_{t−1} W') --------

_FD_EPS = 1e-6
_FD_STDERR = 1e-8  # central differences: truncation ~ε², round-off ~1e-16/ε


def _lstm4_params(rng: Rng, n_in: int, n_h: int, forget_bias: float = 0.0) -> dict[str, Any]:
    params: dict[str, Any] = {
        f"W{g}": rng.normal(0, 1 / np.sqrt(n_in), (n_in, n_h)) for g in "fiog"
    } | {f"P{g}": rng.normal(0, 1 / np.sqrt(n_h), (n_h, n_h)) for g in "fiog"}
    params["bf"] = forget_bias
    return params


def _lstm4_step(
    x: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    p: dict[str, Any],
    held: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Problem 4's update: f, i, o, C̃ from x_t W + h_{t−1} W', then C_t and h_t.

    ``held`` sets o, Ctilde or C to given values inside the step, so that a partial
    derivative (∂h_t/∂o_t, ∂C_t/∂C̃_t, ∂h_t/∂C_t) is taken through the model's own
    update by finite differences, never through a copy of its formula."""
    held = held or {}
    f = sigmoid(x @ p["Wf"] + h_prev @ p["Pf"] + p["bf"])
    i = sigmoid(x @ p["Wi"] + h_prev @ p["Pi"])
    o = held.get("o", sigmoid(x @ p["Wo"] + h_prev @ p["Po"]))
    c_tilde = held.get("Ctilde", np.tanh(x @ p["Wg"] + h_prev @ p["Pg"]))
    c = held.get("C", f * c_prev + i * c_tilde)
    return {"f": f, "i": i, "o": o, "Ctilde": c_tilde, "C": c, "h": np.tanh(c) * o}


def _lstm4_state(point: dict[str, Any], rng: Rng) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A random LSTM at one step: parameters, inputs and the step's tensors."""
    n_h, n_in = int(point["h"]), int(point["n"])
    p = _lstm4_params(rng, n_in, n_h)
    state = {
        "x": rng.normal(size=n_in),
        "h_prev": np.tanh(rng.normal(size=n_h)),
        "C_prev": rng.normal(size=n_h),
    }
    return p | state, _lstm4_step(state["x"], state["h_prev"], state["C_prev"], p)


def _tensors(state: dict[str, Any], out: dict[str, np.ndarray]) -> dict[str, Any]:
    """The step's tensors under the names the YAML declares."""
    return {
        "f_t": out["f"],
        "i_t": out["i"],
        "o_t": out["o"],
        "C_t": out["C"],
        "Ctilde_t": out["Ctilde"],
        "h_t": out["h"],
        "C_{t-1}": state["C_prev"],
        "h_{t-1}": state["h_prev"],
        "x_t": state["x"],
    }


def _jacobian(func: Any, at: np.ndarray) -> np.ndarray:
    """Central-difference Jacobian, J[j, k] = ∂func_j / ∂at_k."""
    columns = []
    for k in range(at.size):
        bump = np.zeros_like(at)
        bump[k] = _FD_EPS
        columns.append((func(at + bump) - func(at - bump)) / (2 * _FD_EPS))
    return np.stack(columns, axis=1)


def lstm_dC_dCprev(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂C_t/∂C_{t−1}, holding x_t and h_{t−1}, by finite differences."""
    s, out = _lstm4_state(point, rng)
    jac = _jacobian(lambda c: _lstm4_step(s["x"], s["h_prev"], c, s)["C"], s["C_prev"])
    return Estimate(jac, _FD_STDERR, at=_tensors(s, out))


def _held_jacobian(s: dict[str, Any], of: str, held: str, at: np.ndarray) -> np.ndarray:
    """∂(of)/∂(held) of one step, with ``held`` set inside the model's own update."""
    return _jacobian(lambda v: _lstm4_step(s["x"], s["h_prev"], s["C_prev"], s, {held: v})[of], at)


def lstm_dC_dCtilde(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂C_t/∂C̃_t: the candidate perturbed inside the step, by finite differences."""
    s, out = _lstm4_state(point, rng)
    return Estimate(
        _held_jacobian(s, "C", "Ctilde", out["Ctilde"]), _FD_STDERR, at=_tensors(s, out)
    )


def lstm_dh_do(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂h_t/∂o_t: the output gate perturbed inside the step, by finite differences."""
    s, out = _lstm4_state(point, rng)
    return Estimate(_held_jacobian(s, "h", "o", out["o"]), _FD_STDERR, at=_tensors(s, out))


def lstm_dh_dC(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂h_t/∂C_t, holding o_t: C_t perturbed inside the step, by finite differences."""
    s, out = _lstm4_state(point, rng)
    return Estimate(_held_jacobian(s, "h", "C", out["C"]), _FD_STDERR, at=_tensors(s, out))


def lstm_dCtilde_dWg(point: dict[str, Any], rng: Rng) -> Estimate:
    """The change of C̃_t when W_g moves along a direction V (h_{t−1} held)."""
    s, out = _lstm4_state(point, rng)
    direction = rng.normal(size=s["Wg"].shape)

    def candidate(step: float) -> np.ndarray:
        moved = s | {"Wg": s["Wg"] + step * direction}
        return _lstm4_step(s["x"], s["h_prev"], s["C_prev"], moved)["Ctilde"]

    change = (candidate(_FD_EPS) - candidate(-_FD_EPS)) / (2 * _FD_EPS)
    return Estimate(change, _FD_STDERR, at=_tensors(s, out) | {"V": direction})


def _lstm4_run(xs: np.ndarray, p: dict[str, Any]) -> list[dict[str, np.ndarray]]:
    """Problem 4's LSTM over a sequence from zero states; every step's tensors."""
    n_h = p["Wg"].shape[1]
    h, c, outs = np.zeros(n_h), np.zeros(n_h), []
    for x in xs:
        out = _lstm4_step(x, h, c, p)
        outs.append(out | {"h_prev": h, "C_prev": c})
        h, c = out["h"], out["C"]
    return outs


def _along(func: Any) -> np.ndarray:
    """The derivative of ``func(e)`` at e = 0, by central differences."""
    return np.asarray((func(_FD_EPS) - func(-_FD_EPS)) / (2 * _FD_EPS))


def _lstm4_sequence(point: dict[str, Any], rng: Rng, steps: int = 5) -> dict[str, Any]:
    """A random LSTM run on a random sequence, a target y for J = ½‖h_T − y‖², and a
    direction V in which W_g moves."""
    n_h, n_in = int(point["h"]), int(point["n"])
    p = _lstm4_params(rng, n_in, n_h, forget_bias=1.0)
    xs, target = rng.normal(size=(steps, n_in)), rng.normal(size=n_h)
    direction = rng.normal(size=p["Wg"].shape)
    return {"p": p, "xs": xs, "y": target, "V": direction, "outs": _lstm4_run(xs, p)}


def _moved(run: dict[str, Any], e: float) -> dict[str, Any]:
    """The parameters with W_g moved by e along V."""
    return run["p"] | {"Wg": run["p"]["Wg"] + e * run["V"]}


def _chain_factors(run: dict[str, Any]) -> dict[str, Any]:
    """Every factor of the chain rule at the last step t = T, each measured by finite
    differences of the model's own definitions (never by its formula), under the
    names the question declares. ∂a/∂b is the matrix of ∂a_i/∂b_j; ∂x/∂W_g is the
    change of x when W_g moves along V."""
    last, x, y = run["outs"][-1], run["xs"][-1], run["y"]
    h_prev, c_prev = last["h_prev"], last["C_prev"]

    def step(
        h: np.ndarray, c: np.ndarray, e: float = 0.0, held: dict[str, np.ndarray] | None = None
    ) -> dict[str, np.ndarray]:
        return _lstm4_step(x, h, c, _moved(run, e), held)

    return {
        "dJ/dh_t": _jacobian(lambda h: np.array([0.5 * np.sum((h - y) ** 2)]), last["h"]),
        # one step, C_{t−1} held: through every gate and the candidate
        "dh_t/dh_{t-1}": _jacobian(lambda h: step(h, c_prev)["h"], h_prev),
        "dh_t/dC_t": _jacobian(lambda c: step(h_prev, c_prev, held={"C": c})["h"], last["C"]),
        "dh_t/do_t": _jacobian(lambda o: step(h_prev, c_prev, held={"o": o})["h"], last["o"]),
        "dC_t/dC_{t-1}": _jacobian(lambda c: step(h_prev, c)["C"], c_prev),
        "dC_t/dCtilde_t": _jacobian(
            lambda g: step(h_prev, c_prev, held={"Ctilde": g})["C"], last["Ctilde"]
        ),
        # W_g at step t alone (C_{t−1} and h_{t−1} held) …
        "dC_t/dW_g": _along(lambda e: step(h_prev, c_prev, e)["C"]),
        "dCtilde_t/dW_g": _along(lambda e: step(h_prev, c_prev, e)["Ctilde"]),
        # … and its total effect on the previous step (W_g moves at every step)
        "dh_{t-1}/dW_g": _along(lambda e: _lstm4_run(run["xs"], _moved(run, e))[-2]["h"]),
        "dC_{t-1}/dW_g": _along(lambda e: _lstm4_run(run["xs"], _moved(run, e))[-2]["C"]),
        "f_t": last["f"],
        "i_t": last["i"],
        "o_t": last["o"],
        "C_t": last["C"],
        "Ctilde_t": last["Ctilde"],
        "h_t": last["h"],
        "C_{t-1}": c_prev,
        "h_{t-1}": h_prev,
        "x_t": x,
        "V": run["V"],
    }


def lstm_dC_dWg_at_step(point: dict[str, Any], rng: Rng) -> Estimate:
    """W_g's effect on C_t at step t alone, along V, by finite differences."""
    run = _lstm4_sequence(point, rng)
    factors = _chain_factors(run)
    return Estimate(factors["dC_t/dW_g"], _FD_STDERR, at=factors)


def lstm_cell_path(point: dict[str, Any], rng: Rng) -> Estimate:
    """How W_g reaches h_t through the cell: the change of h_T along V when the whole
    run moves except h_{T−1}, which is held (so o_T and the gates at T stay)."""
    run = _lstm4_sequence(point, rng)
    last = run["outs"][-1]

    def through_cell(e: float) -> np.ndarray:
        c_prev = _lstm4_run(run["xs"], _moved(run, e))[-2]["C"]
        return _lstm4_step(run["xs"][-1], last["h_prev"], c_prev, _moved(run, e))["h"]

    return Estimate(_along(through_cell), _FD_STDERR, at=_chain_factors(run))


def lstm_loss_gradient(point: dict[str, Any], rng: Rng) -> Estimate:
    """∂J/∂W_g along V for J = ½‖h_T − y‖², by finite differences of J over the whole
    run: every h_{t−1} and C_{t−1} moves with W_g."""
    run = _lstm4_sequence(point, rng)

    def loss(e: float) -> float:
        h_last = _lstm4_run(run["xs"], _moved(run, e))[-1]["h"]
        return float(0.5 * np.sum((h_last - run["y"]) ** 2))

    return Estimate(float(_along(loss)), _FD_STDERR, at=_chain_factors(run))


def cell_path_product(point: dict[str, Any], rng: Rng) -> Estimate:
    """How much of a change in C_{t−k} reaches C_t, with every forget gate equal to f."""
    f, k, n_h, n_in = float(point["f"]), int(point["k"]), 4, 3
    p = _lstm4_params(rng, n_in, n_h)
    for name in ("Wf", "Pf"):
        p[name] = np.zeros_like(p[name])
    p["bf"] = float(np.log(f / (1 - f)))  # σ(bf) = f exactly
    xs, hs = rng.normal(size=(k, n_in)), np.tanh(rng.normal(size=(k, n_h)))
    c0 = rng.normal(size=n_h)

    def final_cell(start: np.ndarray) -> np.ndarray:
        c = start
        for x, h_prev in zip(xs, hs, strict=True):
            c = _lstm4_step(x, h_prev, c, p)["C"]
        return c

    jac = _jacobian(final_cell, c0)
    return Estimate(float(np.linalg.norm(jac, 2)), _FD_STDERR)


def _vanilla_rnn_gradient(rng: Rng, steps: int, norm: float, n_h: int = 8) -> float:
    """‖∂h_T/∂h_0‖ for h_t = tanh(W h_{t−1} + U x_t) with ‖W‖₂ = ``norm``."""
    return _vanilla_rnn_gradients(rng, [steps], norm, n_h)[0]


def _vanilla_rnn_gradients(
    rng: Rng, distances: list[int], norm: float, n_h: int = 8
) -> list[float]:
    """‖∂h_k/∂h_0‖ at each distance k along one run of one RNN, by complex-step
    differentiation: a central difference of a 10⁻¹⁰ gradient would measure only
    round-off (it differed 3× between two CPUs' BLAS kernels)."""
    w = norm * _orthogonal(rng, n_h)
    u = rng.normal(0, 0.5, size=(n_h, 3))
    xs = rng.normal(size=(max(distances), 3))
    h0 = np.tanh(rng.normal(size=n_h))
    step = 1e-30
    norms = []
    for k in distances:
        columns = [np.imag(_tanh_rnn(w, u, xs[:k], h0 + step * 1j * e)) / step for e in np.eye(n_h)]
        norms.append(float(np.linalg.norm(np.stack(columns, axis=1), 2)))
    return norms


def cell_path_keeps_gradient(rng: Rng) -> Finding:
    """50 steps back: the LSTM's cell path with f ≈ 1 against a vanilla RNN."""
    steps, f = 50, 0.99
    lstm = cell_path_product({"f": f, "k": steps}, rng).value
    rnn = _vanilla_rnn_gradient(rng, steps, 0.9)
    assert isinstance(lstm, float)
    keeps = lstm > 0.5 and rnn < 0.01
    return Finding(
        f"after {steps} steps the gradient along the LSTM's cell path with f = {f} keeps "
        f"{lstm:.2f} of its size (f⁵⁰ = {f**steps:.2f}); a vanilla tanh RNN with ‖W‖ = 0.9 "
        f"keeps {rnn:.1e}",
        holds=keeps,
        numbers={"lstm_cell_path": lstm, "vanilla_rnn": rnn},
    )


# -- pictures for the cards and the tutor --------------------------------------------------


def picture_gradient_by_distance(rng: Rng) -> Plot:
    """Gradient norm against distance: with every Jacobian's singular values ρ (the run
    at the zero state), and along real runs with random inputs (median of 5)."""
    distances = np.arange(0, 61, 4)
    lines = []
    for rho in (0.9, 1.0, 1.1):
        norms = [_backprop_norm_ratio(rng, rho, int(k), n=8) for k in distances]
        lines.append(series(f"ρ = {rho:g}", distances, norms))
    for rho in (1.1, 4.0):
        norms = [_real_run_ratio(rng, rho, int(k)) for k in distances]
        lines.append(series(f"ρ = {rho:g}, real run", distances, norms, style="dashed"))
    return Plot(
        "Gradient norm sent back through k steps",
        "distance k (time steps)",
        "gradient norm (relative)",
        tuple(lines),
        log_y=True,
        caption=(
            "Solid: every Jacobian is ρ times an orthogonal matrix, and the norm is ρᵏ: it "
            "vanishes below 1 and explodes above. Along real runs tanh′ < 1 pulls it down: ρ = 1.1 "
            "vanishes too, and it takes a larger ρ to explode."
        ),
    )


def picture_update_gate(rng: Rng) -> Plot:
    """How far the GRU state moves in one step, as the update gate's bias varies."""
    n_in, n_h, trials = 6, 8, 400
    w = _gru_weights(rng, n_in, n_h)
    x, h = rng.normal(size=(n_in, trials)), np.tanh(rng.normal(size=(n_h, trials)))
    biases = np.linspace(-8, 8, 33)
    mean_z, moves = [], []
    for bias in biases:
        h_new, z, _ = _gru_step(x, h, w, bias_z=float(bias), bias_r=0.0)
        mean_z.append(float(z.mean()))
        moves.append(float(np.mean(_columns_norm(h_new - h) / _columns_norm(h))))
    return Plot(
        "GRU: state change in one step against the update gate",
        "mean update gate z_t",
        "‖h_t − h_{t−1}‖ / ‖h_{t−1}‖",
        (series("random inputs and states", mean_z, moves),),
        caption="With z ≈ 0 the state is copied; with z ≈ 1 it is replaced.",
    )


def picture_gate_values(rng: Rng) -> Plot:
    """Histograms: gate entries lie in (0, 1); their sums are not 1."""
    gates = _gate_samples(rng, trials=3000)
    entries, edges = np.histogram(gates.ravel(), bins=20, range=(0, 1))
    sums, sum_edges = np.histogram(gates.sum(axis=2).ravel(), bins=20, range=(0, 8))
    return Plot(
        "LSTM gates f_t, i_t, o_t over random inputs",
        "value",
        "share of samples",
        (
            series("entries", edges[:-1], entries / entries.sum(), "bars"),
            series("sum of the 8 entries", sum_edges[:-1], sums / sums.sum(), "bars"),
        ),
        caption="Every entry is in (0, 1); the sums spread far from 1.",
    )


def picture_cell_path(rng: Rng) -> Plot:
    """The gradient over distance: the LSTM's cell path against a vanilla RNN."""
    distances = np.arange(1, 51, 7)
    lstm = [cell_path_product({"f": 0.99, "k": int(k)}, rng).value for k in distances]
    rnn = _vanilla_rnn_gradients(rng, [int(k) for k in distances], 0.9)
    return Plot(
        "Gradient surviving k steps back",
        "distance k (time steps)",
        "gradient norm (relative)",
        (
            series("LSTM cell path, f = 0.99", distances, lstm),
            series("vanilla RNN, ‖W‖ = 0.9", distances, rnn),
        ),
        log_y=True,
        caption="The additive cell path keeps the gradient; the RNN's vanishes.",
    )


def picture_score_spread(rng: Rng) -> Plot:
    """Spread of qᵀk/s at d = 512: unscaled against scaled."""
    d, samples = 512, 4_000
    q, k = rng.standard_normal((2, samples, d))
    scores = np.einsum("ij,ij->i", q, k)
    edges = np.linspace(-80, 80, 81)
    raw, _ = np.histogram(scores, bins=edges)
    scaled, _ = np.histogram(scores / np.sqrt(d), bins=edges)
    return Plot(
        f"Scores qᵀk/s for q, k ~ N(0, I), d = {d}",
        "score",
        "share of samples",
        (
            series("s = 1 (std ≈ √d ≈ 22.6)", edges[:-1], raw / samples, "bars"),
            series("s = √d (std ≈ 1)", edges[:-1], scaled / samples, "bars"),
        ),
        caption="Unscaled scores spread like √d and saturate the softmax.",
    )


# -- parameterised questions -----------------------------------------------------------------


def dot_product_variance_equal_mean(point: dict[str, Any], rng: Rng) -> Estimate:
    """Var(qᵀk) when every entry of μ equals μ₀, by Monte Carlo."""
    d = int(point["d"])
    return dot_product_variance(
        {"d": d, "sigma": point["sigma"], "mu": np.full(d, float(point["mu_0"]))}, rng
    )


def attention_weight_of_first(point: dict[str, Any], rng: Rng) -> Estimate:
    """The weight of the first of two keys, by the loop definition of attention."""
    out = attention_by_loops(
        {
            "Q": np.array([[1.0]]),
            "K": np.array([[point["s_1"]], [point["s_2"]]]),
            "V": np.array([[1.0], [0.0]]),
        },
        rng,
    )
    assert isinstance(out.value, np.ndarray)
    return Estimate(float(out.value[0, 0]))


def gru_complement_gate(point: dict[str, Any], rng: Rng) -> Estimate:
    """1 − z_t of a one-unit GRU whose update gate has pre-activation a."""
    w = _gru_weights(rng, 1, 1)
    w["Wz"], w["Uz"] = np.zeros((1, 1)), np.zeros((1, 1))  # the pre-activation is the bias alone
    h = np.array([[0.0]])
    _, z, _ = _gru_step(np.array([[1.0]]), h, w, bias_z=float(point["a"]), bias_r=0.0)
    return Estimate(float(1 - z[0, 0]))


def lstm_hidden_from_gates(point: dict[str, Any], rng: Rng) -> Estimate:
    """h_t of a one-unit LSTM whose gates and candidate are set through their pre-activations."""

    def logit(p: float) -> float:
        return float(np.log(p / (1 - p)))

    w = _lstm_weights(rng, 1, 1)
    for name in w:
        w[name] = np.zeros((1, 1))
    x, h = np.array([[1.0]]), np.array([[0.0]])
    w["Wi"], w["Wo"] = np.array([[logit(point["i_t"])]]), np.array([[logit(point["o_t"])]])
    w["Wc"] = np.array([[float(np.arctanh(point["ctilde_t"]))]])
    cell = np.array([[point["c_{t-1}"]]])
    out = _lstm_step(x, h, cell, w, bias_f=logit(point["f_t"]))
    return Estimate(float(out["h"][0, 0]))
