"""The YAML parser behind ``yamlmarks.load``: PyYAML's node tree, made plain data.

PyYAML's ``compose`` gives the node tree with marks and builds no objects; we
turn it into dicts, lists and scalars ourselves, refusing any tag that is not
plain data (``!!python/object`` and friends never get constructed).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from content.yamlmarks import Document, Mark, YamlProblem
from content.yamlmarks import Path as YPath

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
# libyaml's parser when PyYAML has it (ten times faster); both give marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> tuple[Document | None, list[YamlProblem]]:
    """Parse ``text``; return the document and every problem found in it."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        plain = _in_plain_words(what)
        return None, [YamlProblem(f"YAML syntax: {what}{f' — {plain}' if plain else ''}", where)]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(f"YAML: {exc}", Mark(1, 1))]
    if node is None:
        return None, [
            YamlProblem("the file is empty; expected a problem (id, title, parts …)", Mark(1, 1))
        ]
    doc = Document(None, {}, {})
    problems: list[YamlProblem] = []
    doc.data = _build(node, (), doc, problems, SafeConstructor(), set())
    return doc, problems


# PyYAML's messages for the slips authors make, said in plain words.
_PLAIN_WORDS = (
    ("mapping values are not allowed",
     "a value holds ': ' (a colon and a space), which YAML reads as a new key: put the "
     "whole value in quotes, or write it as a block after '|'"),
    ("found character '\\t'",
     "a tab: YAML indents with spaces only"),
    ("expected <block end>, but found '-'",
     "a list item ('- ') is indented differently from the items before it"),
    ("did not find expected key",
     "a line is indented more or less than the keys around it"),
    ("found undefined alias", "a '*' begins a value: put the value in quotes"),
    ("found unknown escape character",
     "a backslash inside \"…\": use '…' or a block after '|' for LaTeX"),
    ("could not find expected ':'",
     "a key without ':', or a quoted value left open"),
    ("found character '%'", "a value begins with '%' or '@': put it in quotes"),
    ("found character '@'", "a value begins with '%' or '@': put it in quotes"),
    ("found unexpected end of stream", "a quote or bracket is left open"),
    ("cannot start any token",
     "a tab, or a value that begins with '@', '`' or '%': indent with spaces, and put "
     "such a value in quotes"),
    ("did not find expected ',' or ']'",
     "a list in [ ] is left open, or an item holds ': ' or '#': put the item in quotes"),
)  # fmt: skip


def _in_plain_words(message: str) -> str:
    return next((plain for cue, plain in _PLAIN_WORDS if cue in message), "")


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    node: yaml.Node,
    path: YPath,
    doc: Document,
    problems: list[YamlProblem],
    constructor: SafeConstructor,
    built: set[int],
) -> Any:
    if id(node) in built:  # an alias (*name) to a node already read: a bomb or a loop
        problems.append(
            YamlProblem(
                "YAML aliases (&name … *name) are not allowed in content: write the value out",
                _mark(node),
            )
        )
        return None
    built.add(id(node))
    doc.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                problems.append(YamlProblem("a key must be plain text", _mark(key_node)))
                continue
            key = str(key_node.value)
            if key in out:
                problems.append(YamlProblem(f"the key '{key}' appears twice", _mark(key_node)))
                continue
            doc.key_marks[(*path, key)] = _mark(key_node)
            out[key] = _build(value_node, (*path, key), doc, problems, constructor, built)
        return out
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [
            _build(item, (*path, index), doc, problems, constructor, built)
            for index, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode) and node.tag in _PLAIN_TAGS:
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
