"""Synthetic content for the scale benchmark and the scale test: N problems × 5 parts.

Mixed kinds (expression, true/false, choice, numeric, short answer), each with
fixtures and a real (cheap) simulation, so that ``check`` and ``build`` do the
same work per part as on the real lab.
"""

from __future__ import annotations

from pathlib import Path

SIMULATIONS = '''"""Cheap simulations for synthetic content."""

from typing import Any

import numpy as np

from content.simulation import Estimate, Finding


def affine(point: dict[str, Any], rng: np.random.Generator) -> Estimate:
    return Estimate(float(point["a"] * point["x"] + point["b"]))


def squares_are_nonnegative(rng: np.random.Generator) -> Finding:
    values = rng.normal(size=1000) ** 2
    return Finding(f"min of 1000 squares: {values.min():.2e}", holds=bool(values.min() >= 0))


def larger_mean(rng: np.random.Generator) -> Finding:
    shifted = rng.normal(1.0, 1.0, size=2000).mean()
    return Finding(f"mean of N(1, 1) samples: {shifted:.3f}", choice="b" if shifted > 0.5 else "a")


def half_power(point: dict[str, Any], rng: np.random.Generator) -> Estimate:
    return Estimate(0.5**10)
'''

PROBLEM = """id: synth.p{n}
title: Synthetic problem {n}
source: Problem {n}
tags: [synthetic, topic-{topic}]
context: |
  A generated problem, number {n}, with $x \\in \\mathbb{{R}}$ and a **bold** word.
variables:
  a: "real -3..3"
  b: "real -3..3"
  x: "real -3..3"

parts:
  - id: a
    kind: expression
    prompt: Write the affine map of $x$ with slope $a$ and offset $b$ (variant {n}).
    answer: "a x + b"
    simulate: {{function: affine, points: 2}}
    mistakes:
      - answer: "a x - b"
        feedback: The offset is added.
    hints: ["Slope times x, plus the offset."]
    explanation: "$ax + b$ (problem {n})."
    fixtures:
      correct: ["a*x + b", "b + x a"]
      incorrect: ["a x"]
      invalid: ["a x +"]
  - id: b
    kind: true_false
    prompt: "True/False. A square of a real number is never negative (variant {n})."
    verdict: true
    simulate: squares_are_nonnegative
    key_ideas:
      - idea: "x times x has the sign of x twice"
        phrases: ["sign", "positive", "nonnegative"]
    hints: ["Think of the sign of a product."]
    explanation: '**True.** $x^2 = x \\cdot x \\ge 0$.'
    fixtures:
      correct: ["true"]
      incorrect: ["false"]
      invalid: ["maybe"]
  - id: c
    kind: choice
    prompt: "Which mean has N(1, 1) (variant {n})?"
    options: {{a: "0", b: "1"}}
    answer: b
    simulate: larger_mean
    hints: ["The first parameter."]
    explanation: "The mean is 1."
    fixtures:
      correct: ["b"]
      incorrect: ["a"]
      invalid: ["z"]
  - id: d
    kind: numeric
    prompt: "What is $0.5^{{10}}$ (variant {n})?"
    answer: "0.5^10"
    simulate: {{function: half_power, points: 1}}
    hints: ["Halve ten times."]
    explanation: '$2^{{-10}} \\approx 0.000977$.'
    fixtures:
      correct: ["0.000977"]
      incorrect: ["0.5"]
      invalid: ["half"]
  - id: e
    kind: short_answer
    prompt: "Why is a variance never negative (variant {n})?"
    demonstrations: [squares_are_nonnegative]
    key_ideas:
      - idea: "it is the mean of squared deviations"
        phrases: ["square", "squared"]
    model_answer: "It is an average of squared deviations, each non-negative."
    hints: ["What is averaged?"]
    explanation: "An average of squares."
    fixtures:
      correct: ["It is the mean of squared deviations from the mean."]
      incorrect: ["Because it is a statistic of the data."]
      invalid: ["no"]
"""

LAB = """id: synth
title: Synthetic
course: "Benchmark"
deck: "Benchmark::Synthetic"
"""


def write(folder: Path, problems: int) -> Path:
    """A content folder with ``problems`` problems of 5 parts each."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.yaml").write_text(LAB, encoding="utf-8")
    (folder / "simulations.py").write_text(SIMULATIONS, encoding="utf-8")
    for n in range(1, problems + 1):
        (folder / f"p{n}.yaml").write_text(PROBLEM.format(n=n, topic=n % 7), encoding="utf-8")
    return folder
