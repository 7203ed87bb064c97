"""The course: schema, loading, judging, simulations, and the bundled lab 11.

What a content folder holds, by name; kept here, where importing costs nothing,
for the loader and for a build that only looks at which files changed.
"""

from pathlib import Path

BUNDLED = Path(__file__).parent / "lab11"
LAB_FILE = "lab.yaml"
SIMULATIONS_FILE = "simulations.py"


def problem_files(folder: Path) -> list[Path]:
    """A content folder's problem files, in name order: every YAML file but lab.yaml."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != LAB_FILE)


# The judge's subpackages: their code, with content/*.py, is what cached proofs depend on.
CODE_PACKAGES = ("expr", "reasons")
