"""Models rebuilt from data that this very schema validated and dumped before.

The problem cache (``course._load_problem``) holds validated problems as JSON,
keyed by the file's text and the schema's code. Reading one back needs no
validation, and skipping it skips building pydantic's validators — the larger
part of starting ``grade`` or the tutor. Anything not of that provenance goes
through ``model_validate``.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def rebuild(model: type[M], data: dict[str, Any]) -> M:
    """``model`` from the ``model_dump(mode="json")`` of an instance that validated."""
    hints = _hints(model)
    values = {name: _value(hints[name], data[name]) for name in model.model_fields if name in data}
    return model.model_construct(**values)


@functools.cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    # Resolved here, not by pydantic: a forward reference (a true/false part's steps
    # may be true/false parts) would otherwise need the validators built.
    return typing.get_type_hints(model, include_extras=True)


def _value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return rebuild(annotation, value)
    if origin is typing.Annotated:
        return _value(get_args(annotation)[0], value)
    if origin is list:
        (inner,) = get_args(annotation)
        return [_value(inner, v) for v in value]
    if origin is dict:
        _, inner = get_args(annotation)
        return {k: _value(inner, v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        return _value(_member(get_args(annotation), value), value)
    return value  # str, int, float, bool, Literal


def _member(options: tuple[Any, ...], value: Any) -> Any:
    """Which member of a union ``value`` belongs to: the model whose ``kind`` it names."""
    options = tuple(o for o in options if o is not type(None))
    models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
    if not models or not isinstance(value, dict):
        return options[0] if len(options) == 1 else object
    if len(models) == 1:
        return models[0]
    for candidate in models:
        kind = _hints(candidate).get("kind")
        if kind is not None and value.get("kind") in get_args(kind):
            return candidate
    raise ValueError(f"no member of {options} has kind {value.get('kind')!r}")
