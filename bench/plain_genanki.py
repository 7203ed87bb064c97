"""The baseline: a plain genanki script writing the same notes as a build.

It reads the notes (note type, fields, tags) that ``nlpdrill build`` wrote into
an .apkg, and writes them again with genanki the plain way: the same four note
types, one deck, ``Package.write_to_file``. Usage: plain_genanki.py NOTES.json OUT.apkg
"""

from __future__ import annotations

import json
import sys

import genanki


def main(notes_path: str, output: str) -> None:
    with open(notes_path, encoding="utf-8") as handle:
        data = json.load(handle)
    models = {
        int(mid): genanki.Model(
            int(mid), spec["name"], fields=[{"name": f} for f in spec["fields"]],
            templates=spec["templates"], css=spec["css"], model_type=spec["type"],
        )
        for mid, spec in data["models"].items()
    }  # fmt: skip
    deck = genanki.Deck(2_059_400_110, "Baseline")
    for note in data["notes"]:
        deck.add_note(
            genanki.Note(
                model=models[note["model"]],
                fields=note["fields"],
                tags=note["tags"],
                guid=note["guid"],
            )
        )
    genanki.Package(deck).write_to_file(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
