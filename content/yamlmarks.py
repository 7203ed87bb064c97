"""Safe YAML with positions: plain data plus the line and column of every value.

PyYAML's ``compose`` gives the node tree with marks and builds no objects; we
turn it into dicts, lists and scalars ourselves, refusing any tag that is not
plain data (``!!python/object`` and friends never get constructed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where a text is parsed: a course whose files were all validated
    # before (and cached) loads without PyYAML.
    import yaml
    from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    col: int  # 1-based


class YamlProblem(Exception):
    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


@dataclass
class Document:
    data: Any
    marks: dict[Path, Mark]
    key_marks: dict[Path, Mark]

    def key_mark(self, path: Path) -> Mark | None:
        """The position of the key that ends ``path``, if there is one."""
        return self.key_marks.get(path)

    def mark(self, path: Path) -> Mark:
        """The position of the deepest existing value on ``path``."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return Mark(1, 1)


class LazyDocument:
    """A document whose data was validated before (and cached): its marks are only
    worked out if an error needs a line and a column."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._loaded: Document | None = None

    def _document(self) -> Document:
        if self._loaded is None:
            loaded, _ = load(self._text)
            self._loaded = loaded or Document(None, {}, {})
        return self._loaded

    def mark(self, path: Path) -> Mark:
        return self._document().mark(path)

    def key_mark(self, path: Path) -> Mark | None:
        return self._document().key_mark(path)


def load(text: str) -> tuple[Document | None, list[YamlProblem]]:
    """Parse ``text``; return the document and every problem found in it."""
    import yaml
    from yaml.constructor import SafeConstructor

    # libyaml's parser when PyYAML has it (ten times faster); both give marks.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [YamlProblem(f"YAML syntax: {what}", where)]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(f"YAML: {exc}", Mark(1, 1))]
    if node is None:
        return None, [
            YamlProblem("the file is empty; expected a problem (id, title, parts …)", Mark(1, 1))
        ]
    doc = Document(None, {}, {})
    problems: list[YamlProblem] = []
    doc.data = _build(node, (), doc, problems, SafeConstructor())
    return doc, problems


def _kind(node: yaml.Node) -> str:
    """A node's kind as PyYAML names it (mapping, sequence, scalar): no classes imported."""
    return str(getattr(node, "id", ""))


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    node: yaml.Node,
    path: Path,
    doc: Document,
    problems: list[YamlProblem],
    constructor: SafeConstructor,
) -> Any:
    from yaml.constructor import ConstructorError

    doc.marks[path] = _mark(node)
    if _kind(node) == "mapping" and node.tag == _MAP:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if _kind(key_node) != "scalar" or key_node.tag not in _PLAIN_TAGS:
                problems.append(YamlProblem("a key must be plain text", _mark(key_node)))
                continue
            key = str(key_node.value)
            if key in out:
                problems.append(YamlProblem(f"the key '{key}' appears twice", _mark(key_node)))
                continue
            doc.key_marks[(*path, key)] = _mark(key_node)
            out[key] = _build(value_node, (*path, key), doc, problems, constructor)
        return out
    if _kind(node) == "sequence" and node.tag == _SEQ:
        return [
            _build(item, (*path, index), doc, problems, constructor)
            for index, item in enumerate(node.value)
        ]
    if _kind(node) == "scalar" and node.tag in _PLAIN_TAGS:
        try:
            value = constructor.construct_object(node)
        except ConstructorError as exc:
            problems.append(YamlProblem(f"cannot read this value: {exc.problem}", _mark(node)))
            return None
        if isinstance(value, str) and (bad := _CONTROL.search(value)):
            problems.append(
                YamlProblem(
                    f"the text contains the control character {bad.group()!r}: in double quotes "
                    "a backslash starts an escape (\\r, \\f …); write \\\\ or use single quotes",
                    _mark(node),
                )
            )
        return value
    problems.append(
        YamlProblem(
            f"the YAML tag '{node.tag}' is not allowed: content is plain text, numbers, "
            "lists and mappings",
            _mark(node),
        )
    )
    return None
