"""The course: schema, loading, judging, simulations, and the bundled lab 11."""

from pathlib import Path

BUNDLED = Path(__file__).parent / "lab11"
