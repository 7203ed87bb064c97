"""Cards as a student sees them: imported with the official ``anki`` package, rendered
by Anki's own MathJax (from the ``aqt`` wheel) in headless Chromium at a phone's width.

``.ci/run`` installs Chromium (Debian's package) and unpacks Anki's MathJax into
``.cache/anki-mathjax``; elsewhere the browser tests are skipped, unless
``NLPDRILL_REQUIRE_BROWSER=1`` (set by CI) makes a missing piece a failure.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MATHJAX = Path(os.environ.get("NLPDRILL_MATHJAX", ROOT / ".cache" / "anki-mathjax"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_RESULT = re.compile(r'<pre id="nd-result">(.*?)</pre>', re.DOTALL)


@dataclass
class Side:
    name: str  # e.g. lab11.p6.c.front
    html: str  # what Anki renders for it, without its <style>


def browser() -> tuple[str, Path]:
    """Chromium's path and Anki's MathJax folder, or skip (fail under CI)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = []
    if chromium is None:
        missing.append("chromium (Debian package 'chromium')")
    if not (MATHJAX / "tex-chtml-full.js").exists():
        missing.append(f"Anki's MathJax in {MATHJAX} (.ci/run unpacks it from the aqt wheel)")
    if missing:
        message = "not on this machine: " + "; ".join(missing)
        if os.environ.get("NLPDRILL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert chromium is not None
    return chromium, MATHJAX


def split_style(rendered: str) -> tuple[str, str]:
    """(css, html) of a side as ``Card.question()``/``answer()`` return it."""
    css = "\n".join(_STYLE.findall(rendered))
    return css, _STYLE.sub("", rendered)


def _anki_config(mathjax: Path) -> str:
    """Anki's own MathJax configuration, pointed at the unpacked copy."""
    config = (mathjax / "anki-config.js").read_text(encoding="utf-8")
    return config.replace("/_anki/js/vendor/mathjax", mathjax.as_uri())


_MEASURE = """
document.querySelectorAll('details').forEach(d => { d.open = true; });
const scrolls = el => {
  for (let a = el.parentElement; a && !a.classList.contains('card'); a = a.parentElement) {
    const s = getComputedStyle(a).overflowX;
    if (s === 'auto' || s === 'scroll' || s === 'hidden') return true;
  }
  return false;
};
MathJax.startup.promise.then(() => MathJax.typesetPromise()).then(() => {
  const out = [...document.querySelectorAll('.nd-side')].map(side => {
    const card = side.querySelector('.card');
    const right = card.getBoundingClientRect().right;
    const wide = [...card.querySelectorAll('*')].filter(el =>
      el.getBoundingClientRect().right > right + 1 && !scrolls(el));
    // noerrors shows a TeX error as its source; noundefined draws an unknown macro red.
    const errors = [...card.querySelectorAll(
      'mjx-merror, [data-mjx-error], mjx-container [style*="color: red"]')];
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    let raw = [];
    while (walker.nextNode()) {
      const t = walker.currentNode.textContent;
      if (/\\\\[(\\[]/.test(t) && !walker.currentNode.parentElement.closest('code')) raw.push(t);
    }
    return {
      name: side.dataset.name,
      overflow: card.scrollWidth - card.clientWidth,
      wide: wide.slice(0, 3).map(el => el.tagName + ': ' + el.textContent.slice(0, 60)),
      errors: errors.map(e => e.getAttribute('data-mjx-error') || e.textContent),
      untypeset: raw,
      images: [...card.querySelectorAll('img')].map(i => [i.getAttribute('src'), i.naturalWidth]),
      math: card.querySelectorAll('mjx-container').length,
      // A cloze blank inside MathJax is drawn in another colour than the text.
      blanks: [...card.querySelectorAll('.nd-blank')].map(b =>
        getComputedStyle(b).color !== getComputedStyle(card).color),
    };
  });
  document.getElementById('nd-result').textContent = JSON.stringify(out);
});
"""


def page(sides: list[Side], css: str, mathjax: Path, *, night: bool, width: int) -> str:
    mode = " nightMode night_mode" if night else ""
    body = "\n".join(
        f'<section class="nd-side" data-name="{html.escape(s.name)}">'
        f'<div class="card{mode}" style="width:{width}px;box-sizing:border-box;'
        f'padding:8px;margin-bottom:24px">{s.html}</div></section>'
        for s in sides
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>body{{margin:0}}\n{css}</style><script>{_anki_config(mathjax)}</script>"
        f"<script src='{(mathjax / 'tex-chtml-full.js').as_uri()}'></script></head>"
        f"<body class='{mode.strip()}'>{body}<pre id='nd-result'></pre>"
        f"<script>{_MEASURE}</script></body></html>"
    ).replace("<pre id='nd-result'>", '<pre id="nd-result">')


def measure(
    sides: list[Side], css: str, media: Path, folder: Path, *, night: bool, width: int = 360
) -> list[dict[str, Any]]:
    """Render every side in one page and return what the page measured of each."""
    chromium, mathjax = browser()
    folder.mkdir(parents=True, exist_ok=True)
    for picture in media.iterdir():
        shutil.copy(picture, folder / picture.name)
    target = folder / ("night.html" if night else "light.html")
    target.write_text(page(sides, css, mathjax, night=night, width=width), encoding="utf-8")
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=120000", "--dump-dom", target.as_uri()],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = _RESULT.search(done.stdout)
    assert found and found.group(1).strip(), f"the page measured nothing: {done.stderr[-2000:]}"
    return list(json.loads(html.unescape(found.group(1))))


def screenshot(page_file: Path, png: Path, *, width: int = 360, height: int = 2400) -> None:
    """A picture of a rendered page, to look at."""
    chromium, _ = browser()
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            "--virtual-time-budget=60000",
            f"--screenshot={png}",
            page_file.as_uri(),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
