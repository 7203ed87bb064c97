"""Shapes of formulas, worked out symbolically before anything is evaluated.

Working with the declared size names (``n``, ``t``, ``d_v``) instead of numbers
lets the judge explain a mismatch the way a teacher would: "KQᵀ is t×n, but V
is t×d_v", even at a point where the numbers happen to coincide.
"""

from __future__ import annotations

import dataclasses

from content.domains import SCALAR, Shape
from content.expr.errors import ShapeError
from content.expr.nodes import Abs, BigO, Bin, Call, Const, Neg, Node, Norm, Num, Sym, Transpose
from content.expr.printer import to_unicode

_ELEMENTWISE = {"exp", "log", "sqrt", "tanh", "sigmoid", "sin", "cos", "abs", "softmax"}
_TO_SCALAR = {"norm", "sum", "trace"}


def describe(shape: Shape) -> str:
    if shape == SCALAR:
        return "a scalar"
    rows, cols = shape
    if cols == 1:
        return f"a vector of size {rows}"
    if rows == 1:
        return f"a row vector of size {cols}"
    return f"a {rows}×{cols} matrix"


def _dims(shape: Shape) -> str:
    return f"{shape[0]}×{shape[1]}".replace("-", "−")


def infer(node: Node, shapes: dict[str, Shape]) -> Shape:
    """The shape of ``node``, or ``ShapeError`` explaining what does not fit."""
    match node:
        case Num() | Const():
            return SCALAR
        case Sym(name):
            return shapes[name]
        case Neg(arg) | Abs(arg):
            return infer(arg, shapes)
        case Transpose(arg):
            rows, cols = infer(arg, shapes)
            return (cols, rows)
        case Norm(arg):
            infer(arg, shapes)
            return SCALAR
        case BigO(arg):
            if infer(arg, shapes) != SCALAR:
                raise ShapeError("inside O(…) goes a count, a scalar expression in the sizes")
            return SCALAR
        case Call(func, args):
            return _call(node, func, [infer(a, shapes) for a in args])
        case Bin(op, left, right):
            return _binary(node, op, infer(left, shapes), infer(right, shapes))
    raise TypeError(node)


def _call(node: Call, func: str, arg_shapes: list[Shape]) -> Shape:
    first = arg_shapes[0]
    if func in _ELEMENTWISE:
        return first
    if func in _TO_SCALAR:
        if func == "trace" and first[0] != first[1]:
            raise ShapeError(
                f"trace needs a square matrix, but {_show(node.args[0])} is {_dims(first)}"
            )
        return SCALAR
    if func == "dot":
        if first != arg_shapes[1] or 1 not in first:
            raise ShapeError(
                f"dot(…) takes two vectors of the same size, not {describe(first)} "
                f"and {describe(arg_shapes[1])}"
            )
        return SCALAR
    if func == "diag":
        if first[1] == 1:
            return (first[0], first[0])
        if first[0] == 1:
            return (first[1], first[1])
        if first[0] == first[1]:
            return (first[0], 1)
        raise ShapeError(f"diag takes a vector or a square matrix, not {describe(first)}")
    raise TypeError(func)


def elementwise_star(node: Bin, left: Shape, right: Shape) -> bool:
    """``a * b`` typed with a star between two vectors of one shape (1×h rows, say):
    the element-wise product, as numpy reads it, since no matrix product fits."""
    return node.op == "*" and not node.implicit and left == right and left != SCALAR and 1 in left


def _binary(node: Bin, op: str, left: Shape, right: Shape) -> Shape:
    lhs, rhs = _show(node.left), _show(node.right)
    if op in ("+", "-", "∘"):
        if left == SCALAR:
            return right
        if right in (SCALAR, left):
            return left
        verb = {"+": "added", "-": "subtracted", "∘": "multiplied element-wise"}[op]
        raise ShapeError(
            f"{lhs} is {_dims(left)} and {rhs} is {_dims(right)}: they cannot be {verb}"
        )
    if op == "/":
        if right != SCALAR:
            raise ShapeError(f"dividing by {rhs}, which is {describe(right)}, is not defined")
        return left
    if op == "^":
        if right != SCALAR:
            raise ShapeError("an exponent must be a scalar")
        if left == SCALAR or 1 in left:
            return left  # vectors: element-wise, as in 1 − tanh²(C_t)
        raise ShapeError(
            f"{lhs} is {describe(left)}: powers of matrices are not read. For a product "
            f"write {lhs}{lhs}, for an element-wise square {lhs}∘{lhs}"
        )
    # '*', juxtaposition, '@', '·': scaling, or a matrix product.
    if left == SCALAR:
        return right
    if right == SCALAR:
        return left
    if op == "·" and left == right and 1 in left:
        return SCALAR  # q·k between two vectors: the dot product
    if elementwise_star(node, left, right):
        return left
    if left[1] != right[0]:
        hint = ""
        if left == right and left[1] == 1:
            hint = f"; for a dot product write {lhs}ᵀ{rhs}, for an element-wise product {lhs}∘{rhs}"
        raise ShapeError(
            f"{lhs} is {_dims(left)}, but {rhs} is {_dims(right)}: a product needs the "
            f"inner sizes to match ({left[1]} ≠ {right[0]}){hint}"
        )
    return (left[0], right[1])


def _show(node: Node) -> str:
    return to_unicode(node)


def stars_as_hadamard(node: Node, shapes: dict[str, Shape]) -> Node:
    """``node`` with each element-wise ``*`` written ``∘``, so that the echo says how
    it was read (a shape-checked formula)."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple) and value and all(isinstance(v, _NODES) for v in value):
            changes[f.name] = tuple(stars_as_hadamard(v, shapes) for v in value)
        elif isinstance(value, _NODES):
            changes[f.name] = stars_as_hadamard(value, shapes)
    rebuilt = dataclasses.replace(node, **changes) if changes else node  # type: ignore[arg-type]
    if isinstance(rebuilt, Bin) and elementwise_star(
        rebuilt, infer(rebuilt.left, shapes), infer(rebuilt.right, shapes)
    ):
        return Bin("∘", rebuilt.left, rebuilt.right)
    return rebuilt


_NODES = (Num, Sym, Const, Neg, Bin, Transpose, Call, Norm, Abs, BigO)
