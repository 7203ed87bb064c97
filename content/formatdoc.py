"""The format reference, ``docs/format.md``, written from the schema and the starter lab.

    python -m content.formatdoc          # print it
    python -m content.formatdoc --write  # write docs/format.md and docs/schema/*.json

Every field's line comes from its pydantic ``Field(description=…)``, and every
example is a part of ``content/starter`` (which ``check`` proves), so the
reference cannot drift from what the loader accepts: a test compares the
committed files with what this module writes.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from content import domains, schema, simulation
from content.newlab import STARTER, json_schemas

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "format.md"
SCHEMAS = ROOT / "docs" / "schema"

KINDS: list[tuple[str, type[BaseModel], str, str]] = [
    ("expression", schema.ExpressionPart, "p1.yaml", "a"),
    ("numeric", schema.NumericPart, "p1.yaml", "b"),
    ("true_false", schema.TrueFalsePart, "p1.yaml", "c"),
    ("derivation", schema.DerivationPart, "p1.yaml", "d"),
    ("choice", schema.ChoicePart, "p2.yaml", "a"),
    ("short_answer", schema.ShortAnswerPart, "p2.yaml", "b"),
    ("complexity", schema.ComplexityPart, "p2.yaml", "c"),
    ("multipart", schema.MultiPart, "p2.yaml", "d"),
]
OTHERS: list[tuple[str, type[BaseModel]]] = [
    ("course.yaml", schema.CourseFile),
    ("lab.yaml", schema.Lab),
    ("A problem file", schema.Problem),
    ("A mistake (`mistakes`, `partial`, `accepted`)", schema.Mistake),
    ("A key idea (`key_ideas`)", schema.KeyIdea),
    ("A misconception (`misconceptions`)", schema.Misconception),
    ("A wrong claim of the lab (`misconceptions` in lab.yaml)", schema.WrongClaim),
    ("Answer fixtures (`fixtures`)", schema.Fixtures),
    ("Reason fixtures (`reasons`)", schema.ReasonFixtures),
    ("A simulation (`simulate`)", schema.Simulation),
    ("A form (`form`)", schema.Form),
    ("A cloze (`cloze`)", schema.Cloze),
]

INTRO = """\
# The content format

*Written by `python -m content.formatdoc --write` from `content/schema.py` and the
starter lab `content/starter/` (which `nlpdrill check` proves); a test fails when
this page is stale.*

A **lab** is a folder:

- `lab.yaml` — the lab's id, title, course and Anki deck;
- `p1.yaml`, `p2.yaml`, … — one problem each, with its parts;
- `simulations.py` — the numpy functions the YAML names (below);
- `nlpdrill.lock` — written by `nlpdrill build`: commit it with the content.

A **course** is a folder with `course.yaml` (its code, title and the lab folders
it holds, in order): `check` proves every lab, `build` writes one deck
(`dist/CODE.apkg`) with a subdeck per lab, each lab keeping its own lock. In a
course every lab's `deck` is under the course's title, and lab ids are unique.
`grade`, `tutor` and `serve` take a course with `--content`, and find a part in
the lab its id names.

`nlpdrill new PATH --id lab12 --title "…"` writes a starter lab with one part of
each kind, each backed by a simulation, that passes `nlpdrill check` as created.
Editors with the YAML language server get completion and errors from the JSON
Schemas in `docs/schema/` (`nlpdrill new` copies them into the lab's `.schema/`
and points each file at them with a `# yaml-language-server: $schema=…` line).

## Ids

A problem's id is the lab's id, a dot, `p` and its number: `lab12.p3`. Every id
in a lab begins with the lab's id — `check` refuses a problem copied from
another lab with its old id, because Anki matches notes by id and importing it
would overwrite that lab's notes. A part is labelled as on the sheet (`a`, `b`,
… or `1`, `2`, …; none when the problem has one part), a step `s1`, `s2`, …, a
cloze `eq1`, `eq2`, …: `lab12.p3.b.s2`, `lab12.p3.eq1`. An id is the only input
to its card's GUID: edit anything else and the card updates in place.

## Text and math

Prompts, contexts and explanations are Markdown with `$…$` and `$$…$$` math
(LaTeX, as MathJax draws it on the cards). A parameter appears in a prompt as
`{{name}}`. Formulas in `answer`, mistakes and fixtures are in the answer
language of the README ("What you can type").

## Variables and domains

A size in a shape (`d` in `vector[d]`, `V` in `onehot[V]`) is a variable of its
own and must be declared, e.g. `d: integer 2..16`; `check` says so if it is not.
"""

SIMULATIONS = """\
## Simulations

`simulations.py` is imported by path; the YAML names its functions. A
**quantity** takes `(point, rng)` — `point` maps each variable to a value drawn
from its domain, `rng` is a seeded `numpy.random.Generator` — and returns an
`Estimate`; `check` compares the reference formula with it at several points. An
**experiment** takes `rng` and returns a `Finding`, whose `holds` (true/false
parts, `demonstrations`) or `choice` (choice parts) must be *computed* from the
numbers, never written in. A `picture` function returns a `Plot`. The classes
come from `content.simulation` (`from content.simulation import Estimate,
Finding`). In `point`, a size (a variable used in a shape) is an int, any other
scalar a float, a `vector[d]`, `onehot[V]` or `simplex[V]` a 1-D numpy array of
`d` entries, and a `matrix[m, n]` an array of shape `(m, n)`; an `Estimate`'s
value may be a float or an array of the answer's entries, with `stderr` its
standard error (for an exact computation, a small number such as `1e-12`; for
finite differences, the size of their error).

"""


def _type(annotation: Any) -> str:
    """An annotation as an author reads it: `list[str]`, `Mistake`, `a part`."""
    if isinstance(annotation, typing.ForwardRef):  # a part defined before Step: list[Step]
        found = re.fullmatch(r"list\[(\w+)\]", annotation.__forward_arg__)
        if found and hasattr(schema, found[1]):
            return f"list of {_type(getattr(schema, found[1]))}"
        return annotation.__forward_arg__
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner = typing.get_args(annotation)[0]
        members = typing.get_args(inner)
        names = {m.__name__ for m in members if isinstance(m, type)}
        return "a part" if "DerivationPart" in names else "a step (a part of a simple kind)"
    if origin is typing.Literal:
        return " | ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " | ".join(_type(a) for a in args)
    if origin is list:
        return f"list of {_type(typing.get_args(annotation)[0])}"
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"mapping {_type(key)} → {_type(value)}"
    if isinstance(annotation, type):
        return {"str": "text", "int": "integer", "float": "number", "bool": "true/false"}.get(
            annotation.__name__, annotation.__name__
        )
    return str(annotation)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        return "empty"
    if info.default is None or info.default is PydanticUndefined:
        return "none"
    return f"`{json.dumps(info.default, ensure_ascii=False)}`"


def _table(model: type[BaseModel], skip: type[BaseModel] | None = None) -> str:
    rows = ["| field | type | default | what it is |", "|---|---|---|---|"]
    shared = set(skip.model_fields) if skip is not None else set()
    for name, info in model.model_fields.items():
        if name in shared:
            continue
        text = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {_type(info.annotation)} | {_default(info)} | {text} |")
    return "\n".join(rows)


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "")


def example(file: str, part_id: str) -> str:
    """A part of the starter lab, as its YAML is written there."""
    lines = (STARTER / file).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line == f"  - id: {part_id}")
    end = start + 1
    while end < len(lines) and not re.match(r"^(  - id: |\S)", lines[end]):
        end += 1
    return "\n".join(lines[start:end]).rstrip()


def reference() -> str:
    out = [INTRO, "```text", _doc(domains), "```", ""]
    out += ["## Every kind of part", ""]
    out += [
        "Every part, of whatever kind, has these fields; each kind below adds its own. "
        "Each kind's example is a part of the starter lab.",
        "",
        _table(schema.PartBase),
        "",
    ]
    for kind, model, file, part in KINDS:
        out += [f"### `{kind}`", ""]
        if model.__doc__ and model.__doc__ is not schema.ExpressionPart.__doc__:
            out += [_doc(model), ""]
        out += [_table(model, schema.PartBase), "", "```yaml", example(file, part), "```", ""]
    out += ["## The other objects", ""]
    for title, model in OTHERS:
        out += [f"### {title}", ""]
        if model.__doc__:
            out += [_doc(model), ""]
        out += [_table(model), ""]
    out += [SIMULATIONS]
    for cls in (simulation.Estimate, simulation.Finding, simulation.Plot, simulation.Series):
        fields = ", ".join(f"`{name}`" for name in cls.__dataclass_fields__)
        out += [f"- `{cls.__name__}`({fields}): {_doc(cls)}"]
    out += ["", "A complete example: `content/starter/simulations.py`.", ""]
    return "\n".join(out).rstrip() + "\n"


def schema_files() -> dict[Path, str]:
    return {
        SCHEMAS / name: json.dumps(value, indent=2) + "\n" for name, value in json_schemas().items()
    }


def main(argv: list[str]) -> int:
    if "--write" in argv:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(reference(), encoding="utf-8")
        SCHEMAS.mkdir(parents=True, exist_ok=True)
        for path, text in schema_files().items():
            path.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)} and {SCHEMAS.relative_to(ROOT)}/")
    else:
        sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
