"""Math for the terminal: ``$…$`` LaTeX in a message, written in unicode.

pylatexenc knows the symbols (σ, ∘, ∂, √ …); sub- and superscripts are done
here first, because they are what a terminal reader most needs to see right:
``\\|\\mu\\|^2`` → ``‖μ‖²``, ``h_{t-1}`` → ``h_{t−1}``, ``K^\\top`` → ``Kᵀ``.
"""

from __future__ import annotations

import re
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text

_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)
# Only \top is a transpose: in the sheet, ^T is a power (the last time step T).
_TRANSPOSE = re.compile(r"\^\{?\\top\}?")
_SUPERSCRIPT = re.compile(r"\^\{([0-9+\-n]+)\}|\^([0-9n])")
_SUBSCRIPT = re.compile(r"_\{([^{}]+)\}")
_NORM = re.compile(r"\\\||\\[lr]Vert")
_MARKDOWN_SPECIAL = re.compile(r"[_*`\[\]<>]")
_SCRIPTS = re.compile(r"[_^]\{[^{}]*\}")
_GROUPED_SUPERSCRIPT = re.compile(r"\^\{([^{}]+)\}")
_ENVIRONMENT = re.compile(
    r"\\(?:begin|end)\{(?:aligned|align\*?|gathered|array|cases)\}(?:\{[^{}]*\})?"
)
_ROW_BREAK = re.compile(r"\\\\")
_NE = re.compile(r"\\ne(?![A-Za-z])")
# Operator names keep a space before their argument, as typeset math does.
_SPACED_FUNCTION = re.compile(
    r"(\\(?:tanh|sin|cos|exp|log|ln|max|min|det))(?:\s+(?=[A-Za-z\\])|(?=\\[A-Za-z]))"
)
_SPACE_AFTER_MACRO = re.compile(r"(\\[A-Za-z]+)(\s+)(?=[=+\-<>≤≥]|\\(?:le|ge|approx|neq)\b)")
# Private-use placeholders for brackets that pylatexenc would otherwise drop.
_OPEN, _CLOSE, _POPEN, _PCLOSE = "\ue000", "\ue001", "\ue002", "\ue003"


@cache
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def _braced(text: str, start: int) -> tuple[str, int] | None:
    """The ``{…}`` group opening at ``start`` (balanced), and the index after it."""
    if start >= len(text) or text[start] != "{":
        return None
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start + 1 : end], end + 1
    return None


def _fractions(text: str) -> str:
    """``\\frac{a+b}{c}`` → ``(a+b)/c``: the bracketing pylatexenc leaves out."""
    out, i = [], 0
    while (k := text.find("\\frac", i)) != -1:
        top = _braced(text, k + 5)
        bottom = _braced(text, top[1]) if top else None
        if top is None or bottom is None:
            break
        out.append(text[i:k])
        parts = [_fractions(top[0]), _fractions(bottom[0])]
        # Bracket a side that is a sum (signs inside sub/superscripts don't count).
        sums = [any(c in _SCRIPTS.sub("", p) for c in "+-−") for p in parts]
        shown = [f"({p})" if is_sum else p for p, is_sum in zip(parts, sums, strict=True)]
        out.append(f"{shown[0]}/{shown[1]}")
        i = bottom[1]
        if text.startswith(("\\frac", "\\left"), i) or text[i : i + 1].isalpha():
            out.append(" · ")  # two fractions side by side are a product: ∂h/∂C · ∂C/∂W
    out.append(text[i:])
    return "".join(out)


def latex_to_unicode(latex: str) -> str:
    """A formula in unicode; an ``aligned`` block (rows split by ``\\\\``) one row a line."""
    body = _ENVIRONMENT.sub("", latex)
    rows = [row.replace("&", "") for row in _ROW_BREAK.split(body)]
    return "\n".join(shown for row in rows if (shown := _one_line(row)))


def _one_line(latex: str) -> str:
    latex = _NE.sub(r"\\neq", latex)  # pylatexenc drops \ne, though not \neq
    text = _NORM.sub(
        "‖", _fractions(latex.replace("\\tfrac", "\\frac").replace("\\dfrac", "\\frac"))
    )
    # "{}" ends a control word first: "\\muᵀ" would read as one unknown macro
    text = _TRANSPOSE.sub("{}ᵀ", text)
    text = _SUPERSCRIPT.sub(lambda m: "{}" + (m.group(1) or m.group(2)).translate(_SUPER), text)
    text = _SPACED_FUNCTION.sub(r"\1{} ", text)  # "tanh C_t", not "tanhC_t"
    text = _SUBSCRIPT.sub(lambda m: _group("_", m.group(1), "{}"), text)
    text = _GROUPED_SUPERSCRIPT.sub(lambda m: _group("^", m.group(1), "()"), text)
    # A control word swallows the space after it (LaTeX's rule); before "=", "+" … the
    # space is wanted: σ = 0.8, not σ= 0.8.
    text = _SPACE_AFTER_MACRO.sub(r"\1{}\2", text)
    text = _converter().latex_to_text(text)
    text = text.replace(_OPEN, "{").replace(_CLOSE, "}").replace(_POPEN, "(").replace(_PCLOSE, ")")
    text = text.replace("-", "−")
    for spaced in "∘⊙×≈≤≥≠":  # binary operators and relations: a space on each side
        text = text.replace(spaced, f" {spaced} ")
    return " ".join(text.split())


def _group(mark: str, body: str, brackets: str) -> str:
    """Keep the grouping of a multi-character sub/superscript: h_{t−1}, 10000^(2i/d)."""
    if len(body) == 1 or (brackets == "()" and body.startswith("(") and body.endswith(")")):
        return mark + body  # W^{(c)}: already bracketed
    opening, closing = (_OPEN, _CLOSE) if brackets == "{}" else (_POPEN, _PCLOSE)
    return f"{mark}{opening}{body}{closing}"


def markdown_math_to_unicode(markdown: str) -> str:
    """Replace each ``$…$`` / ``$$…$$`` of a Markdown text by its unicode reading."""

    def replace(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        shown = latex_to_unicode(display if display is not None else inline)
        shown = _MARKDOWN_SPECIAL.sub(r"\\\g<0>", shown)  # h_t is math, not _emphasis_
        shown = shown.replace("\n", "  \n")  # an aligned block's rows: hard line breaks
        # Its own paragraph (not indented: four spaces would make a code block).
        return f"\n\n{shown}\n\n" if display is not None else shown

    return _MATH.sub(replace, markdown)
