"""Simulations that measure: each result moves when what it measures changes."""

from __future__ import annotations

import numpy as np

from content.lab11.simulations import recovered_by_heads, two_heads_two_positions


def test_one_head_recovers_about_half_of_two_tokens_and_two_heads_all() -> None:
    for seed in range(3):
        one_head, two_heads = recovered_by_heads(np.random.default_rng(seed))
        assert 0.35 < one_head < 0.6
        assert two_heads > 0.95
    assert two_heads_two_positions(np.random.default_rng(0)).choice == "a"


def test_heads_that_do_not_aim_recover_nothing() -> None:
    # The two-head success is measured, not built in: blunt queries average the whole
    # sentence, and then neither one head nor two tell the two tokens apart.
    one_head, two_heads = recovered_by_heads(np.random.default_rng(0), sharpness=0.01)
    assert one_head < 0.1 and two_heads < 0.1
