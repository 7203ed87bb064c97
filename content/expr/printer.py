"""Echo a parsed formula back in unicode, the way a teacher would write it.

The echo is what the student sees under "read as", so it must show how the
input was grouped: brackets appear wherever precedence needs them.
"""

from __future__ import annotations

from content.expr.nodes import Abs, BigO, Bin, Call, Const, Neg, Node, Norm, Num, Sym, Transpose

GREEK_OUT = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Sigma": "Σ",
    "Delta": "Δ",
}
_SUP = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")
_FUNC_OUT = {"sigmoid": "σ", "sqrt": "√"}

# Binding strength: larger binds tighter.
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5


def to_unicode(node: Node) -> str:
    return _fmt(node)[0]


def symbol(name: str) -> str:
    """``sigma_t`` → ``σ_t``; ``C_{t-1}`` → ``C_{t−1}``; ``dJ/dh_t`` → ``∂J/∂h_t``."""
    derivative = split_derivative(name)
    if derivative is not None:
        return f"∂{symbol(derivative[0])}/∂{symbol(derivative[1])}"
    base, sep, sub = name.partition("_")
    out = GREEK_OUT.get(base, base)
    if len(out) > 5 and out.endswith("tilde"):
        out = out[:-5] + "\u0303"
    if sep:
        out += "_" + sub.replace("-", "−")
    return out


def split_derivative(name: str) -> tuple[str, str] | None:
    """``dJ/dh_t`` → (``J``, ``h_t``); None for a plain name."""
    top, slash, bottom = name.partition("/")
    if not slash or not top.startswith("d") or not bottom.startswith("d"):
        return None
    return top[1:], bottom[1:]


def _fmt(node: Node) -> tuple[str, int]:
    match node:
        case Num(value, text):
            return (_number(value, text), _ATOM)
        case Sym(name) | Const(name):
            return (symbol(name), _ATOM)
        case Neg(arg):
            inner, prec = _fmt(arg)
            return ("−" + _wrap(inner, prec, _NEG), _NEG)
        case Bin("+" | "-" as op, left, right):
            lhs, _ = _fmt(left)
            rhs, rprec = _fmt(right)
            if (op == "-" and rprec <= _ADD) or (op == "+" and rprec < _ADD):
                rhs = f"({rhs})"
            sign = " + " if op == "+" else " − "
            return (lhs + sign + rhs, _ADD)
        case Bin("^", base, exponent):
            return (_power(base, exponent), _POW)
        case Bin(op, left, right, implicit):
            return (_product(op, left, right, implicit), _MUL)
        case Transpose(arg):
            inner, prec = _fmt(arg)
            return (_wrap(inner, prec, _ATOM) + "ᵀ", _POW)
        case Norm(arg):
            return ("‖" + _fmt(arg)[0] + "‖", _ATOM)
        case Abs(arg):
            return ("|" + _fmt(arg)[0] + "|", _ATOM)
        case BigO(arg):
            return ("O(" + _fmt(arg)[0] + ")", _ATOM)
        case Call(func, args):
            return (_call(func, args), _ATOM)
    raise TypeError(node)


def _wrap(text: str, prec: int, needed: int) -> str:
    return f"({text})" if prec < needed else text


def _number(value: float, text: str) -> str:
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return text


def _power(base: Node, exponent: Node) -> str:
    btext, bprec = _fmt(base)
    btext = _wrap(btext, bprec, _ATOM)
    etext, eprec = _fmt(exponent)
    plain = etext.replace("−", "-")
    if plain and all(c in "0123456789-." for c in plain):
        return btext + plain.translate(_SUP)
    return f"{btext}^{etext}" if eprec == _ATOM else f"{btext}^({etext})"


def _product(op: str, left: Node, right: Node, implicit: bool) -> str:
    lhs, lprec = _fmt(left)
    rhs, rprec = _fmt(right)
    # "1/2 x" is (1/2)·x: show the grouping rather than let it read as 1/(2x).
    lhs = _wrap(
        lhs, lprec, _MUL + 1 if implicit and isinstance(left, Bin) and left.op == "/" else _MUL
    )
    # The right operand of / and of a juxtaposition must not absorb what follows.
    rhs = _wrap(rhs, rprec, _MUL + 1 if op == "/" or implicit else _MUL)
    if op == "*" and implicit:
        if isinstance(right, Num):
            return f"{lhs}·{rhs}"
        return lhs + _juxtaposition(lhs, rhs) + rhs
    if op == "*":
        return f"{lhs}·{rhs}"
    if op == "/":
        return f"{lhs}/{rhs}"
    return f"{lhs}·{rhs}" if op == "·" else f"{lhs} {op} {rhs}"


def _juxtaposition(lhs: str, rhs: str) -> str:
    """What goes between two factors: nothing in ``2σ²`` and ``QKᵀ``, else a space.

    A letter right before ``(`` would look like a function call, so it gets a dot.
    """
    if lhs[0] == "√" and lhs[-1] != ")":
        return " "  # "√d σ²", not "√dσ²", which reads as √(dσ²)
    left_ends_atom = lhs[-1] in ")‖|²³⁴⁵⁶⁷⁸⁹⁰¹ᵀ" or lhs[-1].isdigit() or len(_tail(lhs)) == 1
    if rhs[0] == "(":
        return "·" if lhs[-1].isalpha() else ""
    if left_ends_atom and (rhs[0] in "‖|√" or len(_head(rhs)) == 1):
        return ""
    return " "


def _head(text: str) -> str:
    """The leading name of ``text``, subscript excluded."""
    out = ""
    for ch in text:
        if (ch.isalpha() and ch != "ᵀ") or (out and ch.isascii() and ch.isdigit()):
            out += ch
        else:
            break
    return out


def _tail(text: str) -> str:
    """The trailing name of ``text`` (a subscripted name counts as long)."""
    out = ""
    for ch in reversed(text):
        if ch.isalpha():
            out = ch + out
        else:
            return out if ch not in "_}" else "__"
    return out


def _call(func: str, args: tuple[Node, ...]) -> str:
    inner = ", ".join(_fmt(a)[0] for a in args)
    if func == "sqrt":
        arg_text, prec = _fmt(args[0])
        return "√" + (arg_text if prec == _ATOM and len(arg_text) <= 2 else f"({arg_text})")
    return f"{_FUNC_OUT.get(func, func)}({inner})"
