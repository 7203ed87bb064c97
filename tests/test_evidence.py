"""A simulation's line as a card shows it (``generator.evidence``)."""

from __future__ import annotations

import pytest

from generator.evidence import card_evidence, readable


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("true: over 5000 random inputs", "Over 5000 random inputs"),
        ("(a): changing h_t changes 6 of 6 scores", "Changing h_t changes 6 of 6 scores"),
        (
            "m = 2, d = 3: simulated a 3×1 array, formula max |difference| 2.2e-16",
            "m = 2, d = 3: the formula and the simulated 3×1 array differ by less than 10⁻⁹",
        ),
        (
            "outputs differ by 2.7e-15; by up to 9.48",
            "Outputs differ by less than 10⁻⁹; by up to 9.48",
        ),
        ("x = 18.835: simulated 6.60924e-09", "x = 18.84: simulated 6.609×10⁻⁹"),
        (
            "simulated 118.48 ± 0.41 (n = 200000), formula 118.886",
            "Simulated 118.48 ± 0.41 (n = 200000), formula 118.9",
        ),
        ("ρ = 1.2: ×8.3e+07, ρ = 1.05: ×1.3e+02", "ρ = 1.2: ×8.3×10⁷, ρ = 1.05: ×130"),
        ("grow like M^0.94, N^1.94", "Grow like M^0.94, N^1.94"),
    ],
)
def test_a_line_reads_as_a_sentence(line: str, shown: str) -> None:
    assert card_evidence(line) == shown


def test_round_off_reads_the_same_whatever_its_digits() -> None:
    """The point: a difference at round-off level hashes alike on every CPU."""
    lines = [f"formula max |difference| {x}" for x in ("2.2e-16", "8.9e-16", "3.8e-11")]
    assert (
        len(
            {
                card_evidence(line.replace("formula", "simulated a 2×2 array, formula"))
                for line in lines
            }
        )
        == 1
    )


def test_readable_numbers() -> None:
    assert readable(33230.0) == "33230"
    assert readable(1.824e-14) == "1.824×10⁻¹⁴"
    assert readable(0.0121345) == "0.01213"
    assert readable(-2.7) == "-2.700"
    assert readable(0.0) == "0"
