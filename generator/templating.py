"""The jinja2 environment over ``templates/``: every piece of card HTML comes from there."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> Environment:
    # Imported here: a build that reuses every cached note renders nothing.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> Markup:
    return Markup(environment().get_template(template).render(**context).strip())


def read(name: str) -> str:
    """A file of ``templates/`` as it is (Anki's own card templates and the CSS)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")
