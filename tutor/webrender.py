"""Messages as the chat page shows them: Markdown to HTML, math to MathML (which
browsers draw themselves: no script, no CDN), a simulation's plot to a PNG.

Safe by construction: Markdown is rendered with raw HTML escaped, MathML goes
through the same allow-list as the printed quiz, and a picture is our own PNG.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

from content.simulation import Plot, Series
from generator.markup import MathMLError, markdown, mathml
from generator.pictures import picture_file


def with_html(reply: dict[str, Any]) -> dict[str, Any]:
    """``reply`` with an ``html`` beside each message's ``text``."""
    for message in reply.get("messages", []):
        message["html"] = message_html(message)
    return reply


def message_html(message: dict[str, Any]) -> str:
    text = str(message.get("text", ""))
    try:
        html = str(mathml(markdown(text)))
    except MathMLError:  # a formula the converter cannot write: show its source
        html = f"<p>{escape(text)}</p>"
    plot = (message.get("data") or {}).get("plot")
    if isinstance(plot, dict):
        html += _picture(plot)
    return html


def _picture(data: dict[str, Any]) -> str:
    series = tuple(
        Series(str(s["label"]), tuple(s["x"]), tuple(s["y"]), str(s.get("style", "line")))
        for s in data.get("series", [])
    )
    plot = Plot(
        str(data.get("title", "")), str(data.get("xlabel", "")), str(data.get("ylabel", "")),
        series, bool(data.get("log_y", False)), str(data.get("caption", "")),
    )  # fmt: skip
    png = base64.b64encode(picture_file(plot).read_bytes()).decode("ascii")
    caption = f"<figcaption>{escape(plot.caption)}</figcaption>" if plot.caption else ""
    return (
        f'<figure><img alt="{escape(plot.title)}" src="data:image/png;base64,{png}">'
        f"{caption}</figure>"
    )
