"""The deck's note types. Their ids are constants, and their field lists are frozen:
changing CSS or template HTML is safe; adding or renaming a field needs a new id
(Anki matches note types by id, and a changed field list breaks the match)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import genanki

from generator.templating import read

QA_MODEL_ID = 1_607_392_401
TRUE_FALSE_MODEL_ID = 1_607_392_402
CLOZE_MODEL_ID = 1_607_392_403
STEP_MODEL_ID = 1_607_392_404

QA_FIELDS = (
    "Id", "Problem", "Context", "Prompt", "Answer", "Explanation", "Evidence", "Picture",
)  # fmt: skip
TRUE_FALSE_FIELDS = (
    "Id", "Problem", "Context", "Statement", "Verdict", "KeyIdeas", "Explanation", "Evidence",
    "Picture",
)  # fmt: skip
CLOZE_FIELDS = ("Id", "Problem", "Text", "Extra")
STEP_FIELDS = (
    "Id", "Problem", "Context", "Question", "Earlier", "Position", "Step", "Answer",
    "Explanation", "Evidence", "Picture",
)  # fmt: skip


@dataclass(frozen=True)
class NoteType:
    model_id: int
    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    sort_field: str  # the question: Anki's browser lists notes by it
    cloze: bool = False


NOTE_TYPES = {
    "qa": NoteType(
        QA_MODEL_ID, "nlpdrill Q/A", QA_FIELDS, "anki/qa_front.html", "anki/qa_back.html",
        "Prompt",
    ),
    "true_false": NoteType(
        TRUE_FALSE_MODEL_ID, "nlpdrill True/False", TRUE_FALSE_FIELDS,
        "anki/tf_front.html", "anki/tf_back.html", "Statement",
    ),
    "cloze": NoteType(
        CLOZE_MODEL_ID, "nlpdrill Cloze", CLOZE_FIELDS,
        "anki/cloze_front.html", "anki/cloze_back.html", "Text", cloze=True,
    ),
    "step": NoteType(
        STEP_MODEL_ID, "nlpdrill Step", STEP_FIELDS, "anki/step_front.html", "anki/step_back.html",
        "Step",
    ),
}  # fmt: skip


@cache
def model(kind: str) -> genanki.Model:
    spec = NOTE_TYPES[kind]
    return genanki.Model(
        spec.model_id,
        spec.name,
        fields=[{"name": name} for name in spec.fields],
        templates=[{"name": "Card 1", "qfmt": read(spec.front), "afmt": read(spec.back)}],
        css=read("card.css"),
        model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=spec.fields.index(spec.sort_field),
    )


def model_signature(kind: str) -> str:
    """What a note type is made of, for the lock: its templates, CSS and fields."""
    spec = NOTE_TYPES[kind]
    return "\x1f".join(
        [
            spec.name,
            *spec.fields,
            spec.sort_field,
            read(spec.front),
            read(spec.back),
            read("card.css"),
        ]
    )
