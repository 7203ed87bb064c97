"""Pictures of cards as Anki shows them, to look at: import a deck into a scratch
collection with the official ``anki`` package, render the chosen notes' sides with
Anki's MathJax in headless Chromium, one PNG per side.

    python scripts/render_cards.py DECK.apkg OUT_DIR lab11.p6.c lab11.p4.a.s6 \
        [--width 360] [--night]

Needs what the browser tests need (``.ci/run`` installs it): Debian's Chromium and
Anki's MathJax in ``.cache/anki-mathjax``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from tests.cardpages import Side, browser, page, screenshot, split_style

UNFOLD = "document.querySelectorAll('details').forEach(d => { d.open = true; });"
HIDE_RESULT = "<style>#nd-result{display:none}</style>"


def sides_of(deck: Path, wanted: list[str], scratch: Path) -> tuple[list[Side], str, Path]:
    """The front and back of every card whose note Id is in ``wanted``, in that order."""
    col = Collection(str(scratch / "collection.anki2"))
    request = ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
    col.import_anki_package(request)
    found: dict[str, list[Side]] = {}
    css = ""
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        fields = dict(card.note().items())
        note_id = fields.get("Id", "")
        if note_id not in wanted:
            continue
        name = f"{note_id}.c{card.ord + 1}"
        css, front = split_style(card.question())
        _, back = split_style(card.answer())
        found.setdefault(note_id, []).extend(
            [Side(f"{name}.front", front), Side(f"{name}.back", back)]
        )
    media = Path(col.media.dir())
    col.close()
    return [side for note in wanted for side in found.get(note, [])], css, media


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("ids", nargs="+", help="note Ids, e.g. lab11.p6.c")
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--night", action="store_true")
    args = parser.parse_args()
    _, mathjax = browser()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        sides, css, media = sides_of(args.deck.resolve(), args.ids, Path(scratch))
        for picture in media.iterdir():
            shutil.copy(picture, args.out / picture.name)
        for side in sides:
            html_file = args.out / f"{side.name}.html"
            # as Anki shows it: folded parts stay folded, the measurements unseen
            drawn = page([side], css, mathjax, night=args.night, width=args.width)
            drawn = drawn.replace(UNFOLD, "").replace("</head>", HIDE_RESULT + "</head>")
            html_file.write_text(drawn, "utf-8")
            png = args.out / f"{side.name}.png"
            screenshot(html_file, png, width=args.width, height=1600)
            html_file.unlink()
            print(png)
    missing = [i for i in args.ids if not any(s.name.startswith(f"{i}.c") for s in sides)]
    if missing:
        print("no such note:", ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
