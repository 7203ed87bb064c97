"""What backs each part of a course: the README's table, written from the content and
the simulations' own docstrings so that it cannot drift from what ``check`` runs.

    python -m content.provenance      # prints the table for the bundled course
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from content.course import Course, Item, load_course
from content.schema import ChoicePart, ExpressionPart, TrueFalsePart


def backing(item: Item) -> list[str]:
    """The simulations and experiments ``check`` runs for one part."""
    part = item.part
    names: list[str] = []
    if isinstance(part, ExpressionPart) and part.simulate is not None:
        names.append(part.simulate.function)
    elif isinstance(part, TrueFalsePart | ChoicePart):
        names.append(part.simulate)
    names.extend(part.demonstrations)
    return names


def _summary(course: Course, name: str) -> str:
    doc = inspect.getdoc(getattr(course.simulations, name)) or ""
    return " ".join(doc.split("\n\n")[0].split())


def table(course: Course) -> str:
    """A markdown table: each part, what it is checked by, and what that runs."""
    rows = ["| part | checked by | what it runs |", "|---|---|---|"]
    for top in course.top_items():
        for item in (top, *top.steps):
            names = backing(item)
            if not names:
                what = "its steps, each with its own simulation"
                rows.append(f"| {item.id} | — | {what} |")
                continue
            shown = ", ".join(f"`{n}`" for n in names)
            what = "; ".join(_summary(course, n) for n in names).replace("|", "\\|")
            rows.append(f"| {item.id} | {shown} | {what} |")
    return "\n".join(rows)


START, END = "<!-- provenance:start -->\n", "\n<!-- provenance:end -->"


def write_readme(readme: Path, course: Course) -> None:
    """Replace the table between the README's provenance markers."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + START + table(course) + END + tail, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_readme(Path(__file__).parent.parent / "README.md", load_course())
    else:
        print(table(load_course()))
