"""The tutor writes math in unicode for the terminal: what a reader sees for each formula."""

from __future__ import annotations

import re

import pytest

from content.course import Course
from tutor.mathtext import latex_to_unicode, markdown_math_to_unicode


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"d\sigma^4 + 2\sigma^2 \|\mu\|^2", "dσ⁴ + 2σ² ‖μ‖²"),
        (r"\sigma = 0.8", "σ = 0.8"),  # the space a control word swallows is kept before "="
        (r"\sigma x", "σx"),
        (r"\sigma(-a) = 1 - \sigma(a)", "σ(−a) = 1 − σ(a)"),
        (r"f_t \odot c_{t-1}", "f_t ⊙ c_{t−1}"),
        (r"\mu \approx 0", "μ ≈ 0"),
        (r"\sqrt{d} \le \sigma", "√(d) ≤ σ"),
        (r"K^\top", "Kᵀ"),
        (r"h_{t-1}", "h_{t−1}"),
        (r"\alpha \cdot \beta", "α·β"),
        (r"\mu^\top\mu", "μᵀμ"),  # the transpose does not swallow what follows
        (r"\rho^n", "ρⁿ"),
        (r"\frac{\partial h_t}{\partial h_{t-1}} \neq 0", "∂h_t/∂h_{t−1} ≠ 0"),
        (r"W^{(c)}", "W^(c)"),
        (r"\mathrm{diag}(\tanh C_t)", "diag(tanh C_t)"),
        (r"(\sin\omega p, \cos\omega p)", "(sin ωp, cos ωp)"),
        (
            r"\frac{\partial h_t}{\partial C_t}\frac{\partial C_t}{\partial W_g}",
            "∂h_t/∂C_t · ∂C_t/∂W_g",
        ),
        (
            r"\begin{aligned} f_t &= \sigma(a) \\\\ i_t &= \sigma(b) \end{aligned}",
            "f_t = σ(a)\ni_t = σ(b)",
        ),
    ],
)
def test_formulas_read_as_written(latex: str, shown: str) -> None:
    assert latex_to_unicode(latex) == shown


def test_math_in_markdown_is_replaced_and_kept_from_emphasis() -> None:
    text = markdown_math_to_unicode(r"The gate $z_t$ and $$h_t = z_t \odot h_{t-1}$$ end.")
    assert text.startswith(r"The gate z\_t and")
    assert "\n\nh\\_t = z\\_t ⊙ h\\_{t−1}\n\n" in text


_SUPERS = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀ")


def _texts(course: Course) -> list[tuple[str, str]]:
    """Every text of the lab a student reads in the tutor, with where it is."""
    out: list[tuple[str, str]] = []
    for problem in course.problems:
        out.append((problem.id, problem.context))
    for item in course.items.values():
        part = item.part
        texts = [part.prompt, part.explanation, *part.hints, part.reading or ""]
        texts += [m.feedback for m in getattr(part, "mistakes", [])]
        texts += [getattr(part, "conclusion", ""), getattr(part, "model_answer", "")]
        texts += [getattr(part, "model_reason", "") or ""]
        texts += [k.idea for k in getattr(part, "key_ideas", [])]
        texts += [m.feedback for m in getattr(part, "misconceptions", [])]
        texts += [m.question or "" for m in getattr(part, "misconceptions", [])]
        out += [(item.id, text) for text in texts if text]
    return out


def test_no_symbol_of_the_lab_is_lost_in_the_terminal(course: Course) -> None:
    """Every formula of every text: each relation, operator, transpose and power of
    the LaTeX is still there in the unicode a terminal shows."""
    problems = []
    for where, text in _texts(course):
        for match in re.finditer(r"\$\$(.+?)\$\$|\$(.+?)\$", text, re.DOTALL):
            latex = match.group(1) or match.group(2)
            shown = latex_to_unicode(latex)
            checks = {
                "empty": bool(shown.strip()),
                "\\": "\\" not in shown,
                "=": shown.count("=") >= latex.count("=") - latex.count("\\neq"),
                "+": shown.count("+") >= latex.count("+"),
                "≠": latex.count("\\neq") + latex.count("\\ne ") <= shown.count("≠"),
                "≈": latex.count("\\approx") <= shown.count("≈"),
                "≤": latex.count("\\le") - latex.count("\\left") <= shown.count("≤"),
                "ᵀ": latex.count("\\top") <= shown.count("ᵀ"),
                "^": latex.count("^") <= sum(shown.count(c) for c in _SUPERS | {"^"}),
                "/": latex.count("\\frac") <= shown.count("/"),
            }
            lost = [name for name, ok in checks.items() if not ok]
            if lost:
                problems.append(f"{where}: {latex!r} → {shown!r} loses {lost}")
    assert not problems, "\n".join(problems[:20])


def test_aligned_rows_stay_apart_in_markdown() -> None:
    text = markdown_math_to_unicode(r"$$\begin{aligned} a &= 1 \\ b &= 2 \end{aligned}$$")
    assert "a = 1  \nb = 2" in text  # a hard line break, which Markdown keeps
