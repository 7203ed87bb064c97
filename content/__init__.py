"""The course: schema, loading, judging, simulations, and the bundled lab 11.

What a content folder holds, by name; kept here, where importing costs nothing,
for the loader and for a build that only looks at which files changed.
"""

from pathlib import Path

# The bundled course (course.yaml, its lab folders) and its one lab, lab 11.
BUNDLED_COURSE = Path(__file__).parent
BUNDLED = BUNDLED_COURSE / "lab11"
LAB_FILE = "lab.yaml"
SIMULATIONS_FILE = "simulations.py"


def problem_files(folder: Path) -> list[Path]:
    """A content folder's problem files, in name order: every YAML file but lab.yaml."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != LAB_FILE)


# The judge's subpackages: their code, with content/*.py, is what cached proofs depend on.
CODE_PACKAGES = ("expr", "reasons")


MAX_CONTENT_BYTES = 1_000_000  # a problem file is a few kilobytes


def not_content(path: Path) -> str | None:
    """Why ``path`` is not read as content, or None: only regular files of a sensible
    size, inside the content folder (a FIFO would hang the read, a link to /dev/zero
    fill the memory, a link to /etc/passwd show it in an error)."""
    try:
        resolved = path.resolve()
        if path.is_symlink() and path.parent.resolve() not in resolved.parents:
            return "a link to a file outside the content folder is not read"
        if not resolved.is_file():
            return "not a regular file (a directory, a device or a pipe is not read)"
        size = resolved.stat().st_size
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if size > MAX_CONTENT_BYTES:
        return f"the file is {size:,} bytes; a content file is at most {MAX_CONTENT_BYTES:,}"
    return None
