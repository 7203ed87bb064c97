"""The syntax tree of a formula: plain frozen data, nothing that runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    text: str


@dataclass(frozen=True, slots=True)
class Sym:
    """A declared variable."""

    name: str


@dataclass(frozen=True, slots=True)
class Const:
    """A named constant: ``pi`` or ``e``."""

    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    arg: Node


@dataclass(frozen=True, slots=True)
class Bin:
    """A binary operation.

    ``op`` is one of ``+ - * / ^ @ · ∘``; ``*`` also stands for juxtaposition
    (``implicit``), which is how the formula is echoed back.
    """

    op: str
    left: Node
    right: Node
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class Transpose:
    arg: Node


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Norm:
    arg: Node


@dataclass(frozen=True, slots=True)
class Abs:
    arg: Node


@dataclass(frozen=True, slots=True)
class BigO:
    arg: Node


Node = Num | Sym | Const | Neg | Bin | Transpose | Call | Norm | Abs | BigO


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Neg(a) | Transpose(a) | Norm(a) | Abs(a) | BigO(a):
            return (a,)
        case Bin(_, left, right):
            return (left, right)
        case Call(_, args):
            return args
        case _:
            return ()


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out
