"""The tutor writes math in unicode for the terminal: what a reader sees for each formula."""

from __future__ import annotations

import pytest

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
    ],
)
def test_formulas_read_as_written(latex: str, shown: str) -> None:
    assert latex_to_unicode(latex) == shown


def test_math_in_markdown_is_replaced_and_kept_from_emphasis() -> None:
    text = markdown_math_to_unicode(r"The gate $z_t$ and $$h_t = z_t \odot h_{t-1}$$ end.")
    assert text.startswith(r"The gate z\_t and")
    assert "\n\nh\\_t = z\\_t ⊙ h\\_{t−1}\n\n" in text
