"""A loaded content folder: its problems, and every part and step by full id.

Loading reports every error at once, each with file, line and column; a folder
that loads is one whose references read, whose ids are unique and whose
simulations exist. Whether the answers are *right* is ``prove.py``'s job.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from content import (
    BUNDLED,
    BUNDLED_COURSE,
    LAB_FILE,
    SIMULATIONS_FILE,
    cacheentry,
    not_content,
    problem_files,
    simulation,
)
from content.domains import Domain, Shape, parse_domain
from content.errors import ContentError, ContentErrors
from content.expr.errors import ParseError, ShapeError
from content.expr.nodes import Node
from content.expr.parser import parse
from content.expr.shapes import infer
from content.expr.vocabulary import FUNCTION_ALIASES, FUNCTIONS, Vocabulary
from content.locations import cache_dir
from content.schema import (
    PART_ID,
    STEP_ID,
    AnyPart,
    ChoicePart,
    Cloze,
    ComplexityPart,
    CourseFile,
    DerivationPart,
    ExpressionPart,
    Lab,
    MultiPart,
    Problem,
    ShortAnswerPart,
    TrueFalsePart,
)
from content.trusted import rebuild
from content.yamlmarks import Document, LazyDocument, Mark
from content.yamlmarks import Path as YPath
from content.yamlmarks import load as load_yaml


@dataclass
class Item:
    """One part or step, with everything needed to judge an answer to it."""

    id: str
    part: AnyPart
    problem: Problem
    file: Path
    yaml_path: YPath
    domains: dict[str, Domain]
    parent: Item | None = None
    steps: list[Item] = field(default_factory=list)
    variant: int | None = None  # which drawing of the parameters, for a parameterised part

    @property
    def params(self) -> dict[str, str]:
        return dict(getattr(self.part, "params", {}))

    @property
    def key(self) -> str:
        """The id, plus the variant for a parameterised part: what caches and seeds use."""
        return self.id if self.variant is None else f"{self.id}@{self.variant}"

    @property
    def default_variant(self) -> int:
        """The variant the deck shows and ``grade`` judges without ``--variant``."""
        return simulation.seed_for(self.id, "deck") % 10_000

    def with_variant(self, seed: int) -> Item:
        """This part with its parameters drawn for variant ``seed`` (rounded as shown)."""
        if not self.params:
            return self
        values = variant_values(self, seed)
        pinned = dict(self.domains)
        for name, value in values.items():
            dom = self.domains[name]
            pinned[name] = Domain(dom.kind, dom.dims, value, value)
        return dataclasses.replace(self, domains=pinned, variant=seed)

    def values(self) -> dict[str, float]:
        """The parameters' values in this variant (empty for the part itself)."""
        if self.variant is None:
            return {}
        return {name: self.domains[name].low for name in self.params}

    def prompt(self) -> str:
        """The prompt with ``{{name}}`` replaced by this variant's values."""
        text = self.part.prompt
        for name, value in self.values().items():
            shown = f"{int(value)}" if value == int(value) else f"{value:g}"
            text = text.replace("{{" + name + "}}", shown)
        return text

    def setting(self, typing: bool = True) -> list[str]:
        """What a question asked on its own needs before its prompt (a quiz draws it out
        of its derivation): the problem's context (and how to type its symbols, unless
        the answer is written by hand), and for a step its part's question."""
        texts = (self.problem.context, self.problem.typing if typing else "")
        out = [text.strip() for text in texts if text]
        if self.parent is not None:
            out.append(f"*From the question:* {self.parent.part.prompt.strip()}")
        return out

    @cached_property
    def vocabulary(self) -> Vocabulary:
        aliases = dict(getattr(self.part, "aliases", {}))
        if self.parent is not None:
            aliases = {**getattr(self.parent.part, "aliases", {}), **aliases}
        return Vocabulary(
            frozenset(self.domains), aliases, big_o=isinstance(self.part, ComplexityPart)
        )

    @cached_property
    def shapes(self) -> dict[str, Shape]:
        return {name: dom.shape for name, dom in self.domains.items()}

    @property
    def kind(self) -> str:
        return self.part.kind

    @property
    def course_digest(self) -> str:
        """What of the content folder this item's proof depends on: its simulations."""
        return _simulation_digest(self.file.parent)

    def parse(self, text: str) -> Node:
        return parse(text, self.vocabulary)


@dataclass(frozen=True)
class ClozeItem:
    id: str
    cloze: Cloze
    problem: Problem


def variant_values(item: Item, seed: int) -> dict[str, float]:
    """Draw the parameters of ``item`` for variant ``seed``: reproducible from (id, seed)."""
    import numpy as np

    rng = np.random.default_rng(simulation.seed_for(item.id, "variant", str(seed)))
    decimals = int(getattr(item.part, "decimals", 2))
    values = {}
    for name in sorted(item.params):
        dom = item.domains[name]
        if dom.is_size:
            values[name] = float(rng.integers(int(dom.low), int(dom.high) + 1))
        else:
            values[name] = round(float(rng.uniform(dom.low, dom.high)), decimals)
    return values


@dataclass
class Course:
    folder: Path
    lab: Lab
    problems: list[Problem]
    items: dict[str, Item]
    clozes: dict[str, ClozeItem] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)  # problem id → its file
    # file name → sha256 of the bytes this load read: a file saved while a build runs
    # is cached under what was built from it, not under what was planned
    loaded: dict[str, str] = field(default_factory=dict)
    # A course of several labs, loaded as one for the tutor, the quiz and grading: its
    # labs, each a Course of its own with its simulations and concepts (empty for a lab).
    labs: list[Course] = field(default_factory=list)
    title: str = ""  # the course's title ("CO3086 NLP"), or the lab's heading

    def lab_course(self, item: object) -> Course:
        """The lab ``item`` (an Item, a ClozeItem or an id) belongs to: its simulations,
        its concepts, its folder."""
        if not self.labs:
            return self
        part_id = item if isinstance(item, str) else str(getattr(item, "id", ""))
        return self._lab_of.get(part_id.split(".", 1)[0], self)

    @cached_property
    def _lab_of(self) -> dict[str, Course]:
        return {lab.lab.id: lab for lab in self.labs}

    @property
    def heading(self) -> str:
        """How the tutor and the quiz name what they hold."""
        if self.title:
            return self.title
        lab = self.lab
        return f"{lab.course} · Lab {lab.id.removeprefix('lab')} — {lab.title}"

    @cached_property
    def simulations(self) -> ModuleType | None:
        return simulation.load_module(self.folder)

    @property
    def simulation_digest(self) -> str:
        """The hash of ``simulations.py``: a changed simulation invalidates its cached results."""
        return _simulation_digest(self.folder)

    def item(self, part_id: str) -> Item:
        try:
            return self.items[part_id]
        except KeyError:
            close = difflib.get_close_matches(part_id, self.items, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no part '{part_id}' in {self.folder}{hint}") from None

    def top_items(self) -> list[Item]:
        return [item for item in self.items.values() if item.parent is None]

    def items_of(self, problem_id: str) -> list[Item]:
        """A problem's parts (each with its steps), in order."""
        return self._by_problem.get(problem_id, [])

    @cached_property
    def _by_problem(self) -> dict[str, list[Item]]:
        grouped: dict[str, list[Item]] = {}
        for item in self.top_items():
            grouped.setdefault(item.problem.id, []).append(item)
        return grouped


@functools.cache
def _simulation_digest_at(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _simulation_digest(folder: Path) -> str:
    path = folder / SIMULATIONS_FILE
    if not path.is_file():
        return "none"
    stat = path.stat()
    return _simulation_digest_at(path, stat.st_mtime_ns, stat.st_size)


def load_course(folder: Path = BUNDLED, files: Collection[str] | None = None) -> Course:
    """Load and validate a content folder; with ``files``, only those problem files
    (by name) besides ``lab.yaml`` — what an incremental build needs to redo."""
    folder = Path(folder)
    errors: list[ContentError] = []
    if not folder.is_dir():
        raise ContentErrors(
            [ContentError(folder, 1, 1, "not a content folder (no such directory)")]
        )
    lab = _load_lab(folder, errors)
    files_found = problem_files(folder)
    if not files_found:
        errors.append(ContentError(folder, 1, 1, "no problem files (*.yaml) in this folder"))
    module = _load_simulations(folder, errors)
    chosen = [p for p in files_found if files is None or p.name in files]
    problems: list[Problem] = []
    items: dict[str, Item] = {}
    clozes: dict[str, ClozeItem] = {}
    sources: dict[str, Path] = {}
    digests: dict[str, str] = {}
    for path in chosen:
        loaded = _load_problem(path, errors, keep=False)
        if loaded is None:
            continue
        problem, doc, text = loaded
        if lab is not None and not problem.id.startswith(f"{lab.id}."):
            _Report(path, doc, errors)(
                ("id",),
                f"{problem.id!r} does not begin with this lab's id {lab.id!r} (lab.yaml): "
                f"write '{lab.id}.{problem.id.rpartition('.')[2]}'. Anki matches notes by "
                "their ids, so a problem copied with another lab's id would overwrite that "
                "lab's notes (and their reviews) on import",
            )
            continue
        problems.append(problem)
        sources[problem.id] = path
        digests[path.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        before = len(errors)
        _index(problem, path, doc, items, module, errors)
        if isinstance(doc, Document):  # a file validated afresh: its patterns too
            _check_patterns(problem, items, lab, _Report(path, doc, errors))
            if len(errors) == before:  # only a file without errors is cached as valid
                _keep_validated(Problem, text, problem)
        _index_clozes(problem, _Report(path, doc, errors), items, clozes)
    if errors:
        raise ContentErrors(errors)
    assert lab is not None
    problems.sort(key=lambda p: int(p.id.rsplit(".p", 1)[1]))
    return Course(folder, lab, problems, items, clozes, sources, digests)


def _index_clozes(
    problem: Problem, report: _Report, items: dict[str, Item], clozes: dict[str, ClozeItem]
) -> None:
    for k, cloze in enumerate(problem.cloze):
        full_id = f"{problem.id}.{cloze.id}"
        if full_id in items or full_id in clozes:
            report(("cloze", k, "id"), f"duplicate id '{full_id}'")
            continue
        clozes[full_id] = ClozeItem(full_id, cloze, problem)


def load_content(folder: Path = BUNDLED_COURSE) -> Course:
    """A lab folder as ``load_course`` loads it; a course folder as one Course of all
    its labs (each id begins with its lab's id, unique in the course)."""
    from content.coursefolder import course_file, lab_folders

    folder = Path(folder)
    course = course_file(folder)
    if course is None:
        return load_course(folder)
    labs = [load_course(lab) for lab in lab_folders(folder)]
    if len(labs) == 1:
        return labs[0]  # a course of one lab is that lab, named as before
    items: dict[str, Item] = {}
    clozes: dict[str, ClozeItem] = {}
    for lab in labs:
        items.update(lab.items)
        clozes.update(lab.clozes)
    return Course(
        folder,
        labs[0].lab,
        [p for lab in labs for p in lab.problems],
        items,
        clozes,
        {k: v for lab in labs for k, v in lab.sources.items()},
        labs=labs,
        title=course.title,
    )


def load_course_file(path: Path) -> CourseFile:
    """A course's ``course.yaml``, validated; ``ContentErrors`` with file:line if not."""
    errors: list[ContentError] = []
    loaded = _load_validated(CourseFile, path, errors)
    if loaded is None:
        raise ContentErrors(errors)
    return loaded[0]


def load_lab(folder: Path) -> Lab:
    """A lab folder's ``lab.yaml``, validated; ``ContentErrors`` with file:line if not."""
    errors: list[ContentError] = []
    lab = _load_lab(folder, errors)
    if lab is None:
        raise ContentErrors(errors)
    return lab


def _load_lab(folder: Path, errors: list[ContentError]) -> Lab | None:
    path = folder / LAB_FILE
    if not path.is_file():
        errors.append(ContentError(path, 1, 1, "missing: every content folder has a lab.yaml"))
        return None
    loaded = _load_validated(Lab, path, errors, keep=False)
    if loaded is None:
        return None
    lab, doc, text = loaded
    if isinstance(doc, Document):  # validated afresh: its concepts and patterns too, then cached
        report = _Report(path, doc, errors)
        problem = _concepts_problem(lab.concepts)
        if problem:
            report(("concepts",), problem, key=True)
            return lab
        from content.reasons.lint import claim_problems
        from content.reasons.rubric import lexicon_for

        found = list(claim_problems(lab.misconceptions, lexicon_for(lab.concepts)))
        for where, message in found:
            report(where, message)
        if not found:
            _keep_validated(Lab, text, lab)
    return lab


def _concepts_problem(concepts: dict[str, list[str]]) -> str | None:
    if not concepts:
        return None
    from content.reasons.lint import lexicon_problem

    return lexicon_problem(concepts)


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], path: Path, doc: Document, errors: list[ContentError]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(_from_pydantic(err, path, doc))
        return None


@functools.cache
def _schema_digest() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("schema.py", "domains.py", "yamlmarks.py", "yamlparse.py", "trusted.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _load_problem(
    path: Path, errors: list[ContentError], keep: bool = True
) -> tuple[Problem, Document | LazyDocument, str] | None:
    return _load_validated(Problem, path, errors, keep)


def _validated_path(model: type[BaseModel], text: str) -> Path:
    key = hashlib.sha256(f"{_schema_digest()}{model.__name__}\0{text}".encode()).hexdigest()
    return cache_dir("validated") / f"{key}.json"


def _keep_validated(model: type[M], text: str, validated: M) -> None:
    """Cache a model validated from ``text``, the bytes actually loaded (best effort)."""
    cacheentry.write(_validated_path(model, text), validated.model_dump(mode="json"))


def _load_validated(
    model: type[M], path: Path, errors: list[ContentError], keep: bool = True
) -> tuple[M, Document | LazyDocument, str] | None:
    """A file validated as ``model`` — or, for a file validated before, its cached model.

    The cache holds the validated model as JSON (keyed by the file's text and
    the schema's code), so 1,000 files load without re-parsing their YAML, and a
    course that loaded before loads without building pydantic's validators.
    """
    refused = not_content(path)
    if refused is not None:
        errors.append(ContentError(path, 1, 1, refused))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(ContentError(path, 1, 1, f"cannot read the file: {exc}"))
        return None
    cached = _validated_path(model, text)
    data = cacheentry.read(cached)
    if data is not None:
        with contextlib.suppress(Exception):  # a damaged entry is a miss, whatever its shape
            return rebuild(model, data), LazyDocument(text), text
    doc, problems = load_yaml(text)
    errors.extend(ContentError(path, p.mark.line, p.mark.col, p.message) for p in problems)
    if doc is None or problems:
        return None
    validated = _validate(model, path, doc, errors)
    if validated is None:
        return None
    if keep:  # else the caller keeps it once its own checks pass (``_keep_validated``)
        cacheentry.write(cached, validated.model_dump(mode="json"))
    return validated, doc, text


def _load_simulations(folder: Path, errors: list[ContentError]) -> ModuleType | None:
    try:
        return simulation.load_module(folder)
    except Exception as exc:  # trusted code, but its failure must be reported, not crash
        where = folder / SIMULATIONS_FILE
        line = getattr(exc, "lineno", None) or 1
        errors.append(ContentError(where, line, 1, f"cannot import: {type(exc).__name__}: {exc}"))
        return None


def _data_path(loc: tuple[int | str, ...], data: Any) -> YPath:
    """Map a pydantic error location onto the YAML, skipping union tags."""
    out: list[str | int] = []
    current = data
    for step in loc:
        in_dict = isinstance(current, dict) and step in current
        in_list = isinstance(current, list) and isinstance(step, int) and step < len(current)
        if in_dict or in_list:
            out.append(step)
            current = current[step]
        elif isinstance(current, dict) and isinstance(step, str) and step in _FIELD_NAMES:
            # A missing field: keep its name for the message (it has no mark).
            # Anything else not in the data is a union tag ("expression"): skip.
            out.append(step)
            break
    return tuple(out)


def _all_fields() -> set[str]:
    from content import schema

    names: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


_FIELD_NAMES = _all_fields()


def show_path(path: YPath) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "(top)"


def _from_pydantic(err: Any, path: Path, doc: Document) -> ContentError:
    ypath = _data_path(tuple(err["loc"]), doc.data)
    kind = err["type"]
    where = show_path(ypath)
    if kind == "missing":
        mark = doc.mark(ypath[:-1])
        message = f"{show_path(ypath[:-1])}: missing field '{ypath[-1]}'" if ypath else err["msg"]
    elif kind == "extra_forbidden":
        key = str(ypath[-1]) if ypath else "?"
        mark = doc.key_mark(ypath) or doc.mark(ypath)
        if key in _FIELD_NAMES:  # a real field, under the wrong parent: its indentation
            parent = show_path(ypath[:-1])
            message = (
                f"{where}: '{key}' is not a field of {parent}: it is indented under the "
                f"wrong key — move it left, to the level of the fields it belongs with"
            )
        else:
            close = difflib.get_close_matches(key, _FIELD_NAMES, n=1)
            message = f"{where}: unknown field '{key}'" + (
                f"; did you mean '{close[0]}'?" if close else ""
            )
    else:
        mark = doc.mark(ypath)
        message = f"{where}: {_explain(err)}"
    return ContentError(path, mark.line, mark.col, message)


# A pattern of the schema, said as a rule in words.
_PATTERNS_IN_WORDS = {
    r"^[a-z][a-z0-9]*$": "a lowercase letter followed by lowercase letters or digits (lab12)",
    r"^[A-Za-z0-9_-]*$": "letters, digits, '_' or '-' only (CO3086)",
    r"^eq[0-9]+$": "eq followed by a number (eq1)",
}


def _explain(err: Any) -> str:
    msg = str(err["msg"])
    if err["type"] == "string_pattern_mismatch":
        rule = _PATTERNS_IN_WORDS.get(str(err.get("ctx", {}).get("pattern")))
        if rule is not None:
            return f"{err.get('input')!r} is not allowed here: write {rule}"
    if err["type"] == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown kind {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if err["type"] == "union_tag_not_found":
        return "missing field 'kind' (expected one of the kinds: expression, true_false, …)"
    if msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
    found = err.get("input")
    if err["type"].endswith("_type") and not isinstance(found, dict | list):
        msg += f", found {found!r}"
    return msg


# -- indexing and semantic checks -----------------------------------------------------


class _Report:
    def __init__(
        self, path: Path, doc: Document | LazyDocument, errors: list[ContentError]
    ) -> None:
        self.path, self.doc, self.errors = path, doc, errors

    def __call__(self, ypath: YPath, message: str, key: bool = False) -> None:
        mark: Mark = (self.doc.key_mark(ypath) if key else None) or self.doc.mark(ypath)
        self.errors.append(
            ContentError(self.path, mark.line, mark.col, f"{show_path(ypath)}: {message}")
        )


def _index(
    problem: Problem,
    path: Path,
    doc: Document | LazyDocument,
    items: dict[str, Item],
    module: ModuleType | None,
    errors: list[ContentError],
) -> None:
    report = _Report(path, doc, errors)
    domains = _domains(problem.variables, ("variables",), report)
    single = len(problem.parts) == 1
    for index, part in enumerate(problem.parts):
        ypath: YPath = ("parts", index)
        if part.id is None:
            if not single:
                report(ypath, "missing field 'id': a problem with several parts labels each")
                continue
            full_id = problem.id
        elif not PART_ID.match(part.id):
            report((*ypath, "id"), f"part id {part.id!r}: expected a letter (a, b, …) or a number")
            continue
        else:
            full_id = f"{problem.id}.{part.id}"
        item = _add(full_id, part, problem, path, ypath, domains, None, items, report, module)
        if item is None or not isinstance(
            part, DerivationPart | ShortAnswerPart | MultiPart | TrueFalsePart
        ):
            continue
        seen: set[str] = set()
        for k, step in enumerate(part.steps):
            spath: YPath = (*ypath, "steps", k)
            expected = f"s{k + 1}"
            if step.id is None or not STEP_ID.match(step.id) or step.id != expected:
                report(
                    (*spath, "id"),
                    f"step id {step.id!r}: expected '{expected}' (steps are s1, s2, … in order)",
                )
                continue
            seen.add(step.id)
            child = _add(
                f"{full_id}.{step.id}",
                step,
                problem,
                path,
                spath,
                item.domains,
                item,
                items,
                report,
                module,
            )
            if child is not None:
                item.steps.append(child)


def _check_patterns(
    problem: Problem, items: dict[str, Item], lab: Lab | None, report: _Report
) -> None:
    """Every pattern of a part answered in words reads and names known concepts."""
    from content.reasons.lint import denial_problems, lexicon_problem, part_problems
    from content.reasons.rubric import lexicon_for

    lab_concepts = lab.concepts if lab else {}
    if lexicon_problem(lab_concepts):
        return  # reported at lab.yaml
    problem_with_concepts = lexicon_problem(lab_concepts, problem.concepts)
    if problem_with_concepts:
        report(("concepts",), problem_with_concepts, key=True)
        return
    lexicon = lexicon_for(lab_concepts, problem.concepts)
    for item in items.values():
        part = item.part
        if item.problem is problem and isinstance(part, TrueFalsePart | ShortAnswerPart):
            for where, message in (*part_problems(part, lexicon), *denial_problems(part)):
                report((*item.yaml_path, *where), message)


def _domains(
    variables: dict[str, str], ypath: YPath, report: _Report, base: dict[str, Domain] | None = None
) -> dict[str, Domain]:
    out = dict(base or {})
    for name, spec in variables.items():
        try:
            out[name] = parse_domain(spec)
        except ValueError as exc:
            report((*ypath, name), str(exc))
    sizes = {n for n, d in out.items() if d.is_size}
    for name, dom in out.items():
        for dim in dom.dims:
            if isinstance(dim, str) and dim not in sizes and name in variables:
                report(
                    (*ypath, name),
                    f"the size '{dim}' is not declared (e.g. '{dim}: integer 2..16')",
                )
    return out


def _add(
    full_id: str,
    part: Any,
    problem: Problem,
    path: Path,
    ypath: YPath,
    inherited: dict[str, Domain],
    parent: Item | None,
    items: dict[str, Item],
    report: _Report,
    module: ModuleType | None,
) -> Item | None:
    if full_id in items:
        other = items[full_id]
        report((*ypath, "id"), f"duplicate id '{full_id}' (also in {other.file.name})")
        return None
    domains = _domains(getattr(part, "variables", {}), (*ypath, "variables"), report, inherited)
    domains = _domains(getattr(part, "params", {}), (*ypath, "params"), report, domains)
    item = Item(full_id, part, problem, path, ypath, domains, parent)
    items[full_id] = item
    for k, name in enumerate(part.demonstrations):
        _check_function(name, (*ypath, "demonstrations", k), report, module)
    if part.picture is not None:
        _check_function(part.picture, (*ypath, "picture"), report, module)
    if isinstance(part, ExpressionPart):
        _check_expression(item, part, ypath, report, module)
    elif isinstance(part, TrueFalsePart | ChoicePart):
        _check_function(part.simulate, (*ypath, "simulate"), report, module)
    return item


def _check_expression(
    item: Item, part: ExpressionPart, ypath: YPath, report: _Report, module: ModuleType | None
) -> None:
    for name, target in part.aliases.items():
        if target not in item.domains:
            report(
                (*ypath, "aliases", name), f"alias of '{target}', which is not a declared variable"
            )
    reference = _read_formula(item, part.answer, (*ypath, "answer"), report, "reference answer")
    if reference is not None:
        try:
            infer(reference, item.shapes)
        except ShapeError as exc:
            report((*ypath, "answer"), f"the reference answer does not fit together: {exc}")
    for k, mistake in enumerate(part.mistakes):
        _read_formula(item, mistake.answer, (*ypath, "mistakes", k, "answer"), report, "mistake")
    if part.form is not None:
        for func in part.form.functions or []:
            if func not in FUNCTIONS and func not in FUNCTION_ALIASES:
                report(
                    (*ypath, "form", "functions"),
                    f"unknown function '{func}'; known: {', '.join(FUNCTIONS)}",
                )
        for func, arg in part.form.arguments.items():
            _read_formula(item, arg, (*ypath, "form", "arguments", func), report, "argument")
    if part.simulate is not None:
        sim_path: YPath = (*ypath, "simulate", "function")
        _check_function(part.simulate.function, sim_path, report, module)
        for name in part.simulate.where:
            if name not in item.domains:
                report((*ypath, "simulate", "where", name), f"'{name}' is not a declared variable")


def _read_formula(item: Item, text: str, ypath: YPath, report: _Report, what: str) -> Node | None:
    try:
        return item.parse(text)
    except ParseError as exc:
        report(ypath, f"cannot read the {what} {text!r}: {exc}")
        return None


def _check_function(name: str, ypath: YPath, report: _Report, module: ModuleType | None) -> None:
    if module is None:
        report(ypath, f"simulation '{name}' needs a {SIMULATIONS_FILE} beside the YAML")
        return
    if not callable(getattr(module, name, None)) or name.startswith("_"):
        public = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        close = difflib.get_close_matches(name, public, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        report(
            ypath,
            f"unknown simulation '{name}' (not a function in {SIMULATIONS_FILE}){hint}",
        )
