"""Evaluate a parsed formula with numpy at one point.

Every value is a 2-D float array (scalars are 1×1, vectors are columns), so
``xᵀy`` is a 1×1 product like any other. Overflow and invalid operations give
``inf``/``nan``, never an exception: an undefined value is a fact the judge
reasons about ("your formula is undefined where the answer is defined").
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from content.domains import Point
from content.expr.nodes import Abs, BigO, Bin, Call, Const, Neg, Node, Norm, Num, Sym, Transpose

Array = np.ndarray


def sigmoid(x: Array) -> Array:
    """Logistic function, stable for large |x| in both directions."""
    out = np.empty_like(x, dtype=float)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def softmax(x: Array) -> Array:
    """Row-wise softmax; a column vector is treated as one distribution."""
    axis = 0 if x.shape[1] == 1 else 1
    shifted = x - np.max(x, axis=axis, keepdims=True)
    ex = np.exp(shifted)
    result: Array = ex / np.sum(ex, axis=axis, keepdims=True)
    return result


def _diag(x: Array) -> Array:
    if x.shape[1] == 1 or x.shape[0] == 1:
        return np.diag(x.ravel())
    return np.diag(x).reshape(-1, 1)


def _scalar(x: float | Array) -> Array:
    return np.full((1, 1), float(np.asarray(x).sum()))


_UNARY: dict[str, Callable[[Array], Array]] = {
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "sin": np.sin,
    "cos": np.cos,
    "abs": np.abs,
    "softmax": softmax,
    "diag": _diag,
    "norm": lambda x: _scalar(np.sqrt(np.sum(x * x))),
    "sum": lambda x: _scalar(np.sum(x)),
    "trace": lambda x: _scalar(np.trace(x)),
}

_CONSTANTS = {"pi": np.pi, "e": np.e}


def evaluate(node: Node, point: Point) -> Array:
    with np.errstate(all="ignore"):
        return _eval(node, point)


def _eval(node: Node, point: Point) -> Array:
    match node:
        case Num(value):
            return np.full((1, 1), value)
        case Const(name):
            return np.full((1, 1), _CONSTANTS[name])
        case Sym(name):
            return point[name]
        case Neg(arg):
            return -_eval(arg, point)
        case Transpose(arg):
            return _eval(arg, point).T
        case Norm(arg):
            inner = _eval(arg, point)
            return _scalar(np.sqrt(np.sum(inner * inner)))
        case Abs(arg):
            return np.abs(_eval(arg, point))
        case BigO(arg):
            return _eval(arg, point)
        case Call("dot", (a, b)):
            return _scalar(np.sum(_eval(a, point) * _eval(b, point)))
        case Call(func, (arg,)):
            return _UNARY[func](_eval(arg, point))
        case Bin("*", left, right, False):
            x, y = _eval(left, point), _eval(right, point)
            if x.shape == y.shape and 1 in x.shape and x.shape != (1, 1):
                return x * y  # "o_t * (1 − tanh²C_t)": element-wise, as shapes.infer read it
            return _binary("*", x, y)
        case Bin(op, left, right):
            return _binary(op, _eval(left, point), _eval(right, point))
    raise TypeError(node)


def _binary(op: str, a: Array, b: Array) -> Array:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "∘":
        return a * b
    if op == "/":
        return a / b
    if op == "^":
        return np.power(a, b)
    # Products: scaling when either side is 1×1, otherwise the matrix product
    # (shapes were checked symbolically before evaluation).
    if a.shape == (1, 1) or b.shape == (1, 1):
        return a * b
    if op == "·" and a.shape == b.shape:
        return _scalar(np.sum(a * b))
    result: Array = a @ b
    return result
