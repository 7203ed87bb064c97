"""Render cards of a built deck to PNG, to look at them as a student would.

Not part of the test run: it needs Debian's chromium and MathJax 3 from npm
(``npm install mathjax@3`` in some folder). Usage:

    python scripts/render_cards.py dist/lab11.apkg OUT_DIR MATHJAX_ES5_DIR [ID ...] [--night]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script>window.MathJax = {{tex: {{inlineMath: [['\\\\(', '\\\\)']], displayMath: [['\\\\[', '\\\\]']]}}}};</script>
<script src="file://{mathjax}/tex-chtml-full.js"></script>
</head><body class="card{night}" style="margin:0"><div class="card{night}">{html}</div></body></html>"""


def main(apkg: Path, out: Path, mathjax: Path, ids: list[str], night: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "c.anki2"))
        request = ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        media = Path(col.media.dir())
        query = " or ".join(f'"Id:{i}"' for i in ids) if ids else ""
        for card_id in col.find_cards(query):
            card = col.get_card(card_id)
            note_id = card.note()["Id"]
            for side, html in (("q", card.question()), ("a", card.answer())):
                page = media / f"{note_id}-{card.ord}-{side}.html"
                page.write_text(
                    PAGE.format(mathjax=mathjax, html=html, night=" nightMode" if night else ""),
                    encoding="utf-8",
                )
                png = out / f"{note_id}-{card.ord}-{side}{'-night' if night else ''}.png"
                subprocess.run(
                    [
                        "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--no-first-run", "--allow-file-access-from-files",
                        "--virtual-time-budget=4000", "--hide-scrollbars",
                        f"--screenshot={png}", "--window-size=800,1400", f"file://{page}",
                    ],
                    check=True, capture_output=True, timeout=60,
                )  # fmt: skip
                print(png)
        col.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--night"]
    main(Path(args[0]), Path(args[1]), Path(args[2]), args[3:], "--night" in sys.argv)
