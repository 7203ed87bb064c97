"""Markdown with ``$…$`` math, as card HTML with MathJax delimiters.

markdown-it-py with the dollarmath plugin finds the math (never inside code
spans), raw HTML in the content is escaped, and math is emitted as ``\\(…\\)`` /
``\\[…\\]``, which Anki renders with its bundled MathJax.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from html import escape, unescape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin


# markdown-it binds render rules as methods: (renderer, tokens, idx, options, env).
def _inline(_: Any, tokens: list[Token], idx: int, *__: Any) -> str:
    return rf"\({escape(tokens[idx].content, quote=False)}\)"


def _display_inline(_: Any, tokens: list[Token], idx: int, *__: Any) -> str:
    """``$$…$$`` inside a paragraph: display math, but no block element inside <p>."""
    return rf"\[{escape(tokens[idx].content.strip(), quote=False)}\]"


def _block(_: Any, tokens: list[Token], idx: int, *__: Any) -> str:
    return (
        rf"<div class='nd-math'>\[{escape(tokens[idx].content.strip(), quote=False)}\]</div>" + "\n"
    )


@cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    md.add_render_rule("math_inline", _inline)
    md.add_render_rule("math_inline_double", _display_inline)
    md.add_render_rule("math_block", _block)
    md.add_render_rule("math_block_label", _block)
    return md


_PLAIN = re.compile(r"[*_`\[\]<>#$\\!|&\n]|^\s|^[-+]\s|^\d+[.)]\s")


@lru_cache(maxsize=8192)
def markdown(text: str) -> Markup:
    """Block Markdown (paragraphs, lists, display math) as HTML.

    Cached: a problem's context is the same on each of its cards. A line without
    any Markdown or math is only escaped, which is what markdown-it would do.
    """
    if not _PLAIN.search(text.strip()):
        return Markup(f"<p>{escape(text.strip(), quote=False)}</p>")
    return Markup(_renderer().render(text).strip())


def markdown_inline(text: str) -> Markup:
    """One line of Markdown, without the surrounding paragraph."""
    html = _renderer().renderInline(text).strip()
    return Markup(html)


_DELIMITED = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)


class MathMLError(ValueError):
    pass


def mathml(html: Markup) -> Markup:
    """Card HTML with its ``\\(…\\)``/``\\[…\\]`` math as MathML, for pages read outside
    Anki (the printed quiz): browsers draw MathML themselves, with no script and no
    network. Raises ``MathMLError`` naming a formula that cannot be converted."""
    from latex2mathml.converter import convert

    def replace(match: re.Match[str]) -> str:
        latex = unescape(match.group(1) if match.group(1) is not None else match.group(2))
        try:
            out = str(convert(latex, display="inline" if match.group(1) is not None else "block"))
        except Exception as exc:  # the converter raises several kinds of error
            raise MathMLError(f"cannot write {latex!r} as MathML: {exc}") from exc
        return _sanitized(out)

    return Markup(_DELIMITED.sub(replace, str(html)))


# MathML Core's presentation elements and the attributes latex2mathml writes: the
# converter copies ``\text{…}`` verbatim and ``\href`` into an attribute, so a
# formula in content could otherwise carry a live <svg onload> or javascript: link.
_MATHML_TAGS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
        "semantics",
        "annotation",
        "mmultiscripts",
        "mprescripts",
        "none",
    ]
)
_MATHML_ATTRIBUTES = frozenset(
    [
        "xmlns",
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "accent",
        "accentunder",
        "columnalign",
        "columnlines",
        "columnspacing",
        "rowalign",
        "rowlines",
        "rowspacing",
        "frame",
        "width",
        "height",
        "depth",
        "linethickness",
        "displaystyle",
        "scriptlevel",
        "notation",
        "minsize",
        "maxsize",
        "movablelimits",
        "form",
        "symmetric",
        "largeop",
        "align",
    ]
)


def _sanitized(mathml_text: str) -> str:
    import nh3

    return nh3.clean(
        mathml_text,
        tags=set(_MATHML_TAGS),
        attributes={"*": set(_MATHML_ATTRIBUTES)},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


def math(latex: str, display: bool = False) -> Markup:
    body = escape(latex, quote=False)
    return Markup(rf"\[{body}\]" if display else rf"\({body}\)")
