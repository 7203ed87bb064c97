"""Card pictures: a simulation's ``Plot`` drawn with matplotlib, deterministic bytes.

A picture is named by the hash of its data, so an unchanged plot keeps its file
name (and Anki its media), and is cached under ``NLPDRILL_HOME``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from content.locations import cache_dir
from content.simulation import Plot
from generator.picturecache import is_cached_picture

_STYLE: dict[str, Any] = {
    # 2× a phone's pixels, and labels of 11 pt: about 10 px high at 360 px wide.
    "figure.figsize": (5.0, 3.2),
    "figure.dpi": 200,
    "font.size": 11,
    "lines.linewidth": 2.0,
    "axes.titlesize": 11,
    "legend.loc": "best",
    # Transparent around the axes, and colours that read on white and on Anki's night
    # background alike: no glaring white box at night.
    "savefig.transparent": True,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "text.color": "#6b7280",
    "axes.labelcolor": "#6b7280",
    "axes.edgecolor": "#9ca3af",
    "xtick.color": "#6b7280",
    "ytick.color": "#6b7280",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "nlpdrill",
}
_COLORS = ("#2563eb", "#dc2626", "#059669", "#9333ea", "#d97706")


def picture_name(plot: Plot) -> str:
    """Named by the plot's data and by this drawing code: either changed, a new file
    (Anki keeps media by name, so a redrawn picture must not reuse one)."""
    data = json.dumps(dataclasses.asdict(plot), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(_drawing_code() + data.encode()).hexdigest()[:16]
    return f"nlpdrill-{digest}.png"


@functools.cache
def _drawing_code() -> bytes:
    return Path(__file__).read_bytes()


_SUBSCRIPTED = re.compile(r"(\w)_(\{[^{}$]*\}|\w)")


def mathtext(label: str) -> str:
    """A label's subscripts typeset by matplotlib: ``h_{t−1}`` as h with t−1 below it.

    Plot labels are plain unicode (the terminal shows them as they are); only the
    picture sets the subscripts, as mathtext, and leaves the rest as text.
    """
    return _SUBSCRIPTED.sub(lambda m: f"${m.group(1)}_{{{m.group(2).strip('{}')}}}$", label)


def render(plot: Plot) -> bytes:
    # The Figure API, not pyplot: no GUI backend is looked for, and the import is
    # half the cost. Figure() draws with Agg when it saves a PNG.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]
        fig = Figure()
        ax = fig.subplots()
        for k, line in enumerate(plot.series):
            color, label = _COLORS[k % len(_COLORS)], mathtext(line.label)
            if line.style == "bars":
                width = (line.x[1] - line.x[0]) if len(line.x) > 1 else 1.0
                ax.bar(
                    line.x, line.y, width=width, align="edge", alpha=0.55, color=color, label=label
                )
            else:
                dashes = "--" if line.style == "dashed" else "-"
                ax.plot(line.x, line.y, dashes, marker="o", markersize=3, color=color, label=label)
        if plot.log_y:
            ax.set_yscale("log")
        ax.set_title(mathtext(plot.title), wrap=True)
        ax.set_xlabel(mathtext(plot.xlabel))
        ax.set_ylabel(mathtext(plot.ylabel))
        if len(plot.series) > 4:  # too many to sit on the lines: below the axes
            ax.legend(
                frameon=False,
                fontsize="small",
                ncol=3,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.28),
            )
        else:
            ax.legend(frameon=False)
        fig.tight_layout()
        buffer = io.BytesIO()
        # No "Software" or date metadata: the same plot gives the same bytes.
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def picture_file(plot: Plot) -> Path:
    """The PNG for ``plot``, from the cache or freshly drawn."""
    path = cache_dir("pictures") / picture_name(plot)
    if not is_cached_picture(path):
        data = render(plot)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path
