"""Write a parsed formula as LaTeX, for MathJax on cards and printed quizzes."""

from __future__ import annotations

from content.expr.nodes import Abs, BigO, Bin, Call, Const, Neg, Node, Norm, Num, Sym, Transpose
from content.expr.printer import GREEK_OUT, split_derivative

_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5
_FUNCS = {
    "sigmoid": r"\sigma",
    "exp": r"\exp",
    "log": r"\log",
    "tanh": r"\tanh",
    "sin": r"\sin",
    "cos": r"\cos",
    "softmax": r"\operatorname{softmax}",
    "diag": r"\operatorname{diag}",
    "norm": r"\operatorname{norm}",
    "dot": r"\operatorname{dot}",
    "sum": r"\textstyle\sum",
    "trace": r"\operatorname{tr}",
    "abs": r"\operatorname{abs}",
}


def to_latex(node: Node) -> str:
    return _fmt(node)[0]


def latex_symbol(name: str) -> str:
    """``sigma`` → ``\\sigma``; ``C_{t-1}`` → ``C_{t-1}``; ``Ctilde_t`` → ``\\tilde{C}_t``."""
    derivative = split_derivative(name)
    if derivative is not None:
        top, bottom = (latex_symbol(part) for part in derivative)
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"
    base, sep, sub = name.partition("_")
    tilde = len(base) > 5 and base.endswith("tilde")
    if tilde:
        base = base[:-5]
    if base in GREEK_OUT:
        out = "\\" + base
    elif len(base) == 1:
        out = base
    else:
        out = rf"\mathit{{{base}}}"
    if tilde:
        out = rf"\tilde{{{out}}}"
    if sep:
        sub = sub[1:-1] if sub.startswith("{") else sub
        out += f"_{{{sub}}}"
    return out


def _fmt(node: Node) -> tuple[str, int]:
    match node:
        case Num(value, text):
            shown = str(int(value)) if value == int(value) and abs(value) < 1e6 else text
            return (shown, _ATOM)
        case Sym(name) | Const(name):
            return (latex_symbol(name), _ATOM)
        case Neg(arg):
            inner, prec = _fmt(arg)
            return ("-" + _wrap(inner, prec, _NEG), _NEG)
        case Bin("+" | "-" as op, left, right):
            lhs, _ = _fmt(left)
            rhs, rprec = _fmt(right)
            if (rprec <= _ADD and op == "-") or rprec < _ADD:
                rhs = rf"\left({rhs}\right)"
            return (f"{lhs} {op} {rhs}", _ADD)
        case Bin("/", left, right):
            return (rf"\frac{{{_fmt(left)[0]}}}{{{_fmt(right)[0]}}}", _ATOM)
        case Bin("^", base, exponent):
            btext, bprec = _fmt(base)
            return (f"{_wrap(btext, bprec, _ATOM)}^{{{_fmt(exponent)[0]}}}", _POW)
        case Bin(op, left, right, implicit):
            lhs, lprec = _fmt(left)
            rhs, rprec = _fmt(right)
            joiner = {
                "*": " " if implicit else r" \cdot ",
                "@": " ",
                "·": r" \cdot ",
                "∘": r" \circ ",
            }[op]
            return (_wrap(lhs, lprec, _MUL) + joiner + _wrap(rhs, rprec, _MUL + 1), _MUL)
        case Transpose(arg):
            inner, prec = _fmt(arg)
            return (_wrap(inner, prec, _ATOM) + r"^\top", _POW)
        case Norm(arg):
            return (rf"\lVert {_fmt(arg)[0]} \rVert", _ATOM)
        case Abs(arg):
            return (rf"\left| {_fmt(arg)[0]} \right|", _ATOM)
        case BigO(arg):
            return (rf"O\!\left({_fmt(arg)[0]}\right)", _ATOM)
        case Call("sqrt", (arg,)):
            return (rf"\sqrt{{{_fmt(arg)[0]}}}", _ATOM)
        case Call(func, args):
            inner = ", ".join(_fmt(a)[0] for a in args)
            return (rf"{_FUNCS.get(func, func)}\left({inner}\right)", _ATOM)
    raise TypeError(node)


def _wrap(text: str, prec: int, needed: int) -> str:
    return rf"\left({text}\right)" if prec < needed else text
