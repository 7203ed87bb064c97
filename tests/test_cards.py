"""The cards as a student meets them in Anki: imported with the official ``anki``
package, every side rendered; then drawn by Anki's MathJax in headless Chromium at
360 px, light and night.

What a front must never show is checked on the text Anki renders: the back's own
material (explanation, the reading of an ambiguous question, evidence), an earlier
step's answer, a cloze's deletion elsewhere on its card, the grader's notation.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from content import BUNDLED
from content.course import Course, load_course
from content.schema import DerivationPart, ShortAnswerPart, TrueFalsePart
from generator.build import build
from tests.cardpages import Side, measure, screenshot, split_style


@dataclass
class Card:
    id: str  # the note's Id, with .cN for a cloze card
    note: dict[str, str]
    front: str
    back: str


def _text(rendered: str) -> str:
    """What a reader sees, as plain text (math left as its TeX)."""
    rendered = re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Card], Path, str]]:
    root = tmp_path_factory.mktemp("cards")
    content = root / "lab11"
    shutil.copytree(BUNDLED, content, ignore=shutil.ignore_patterns("__pycache__"))
    build(load_course(content), root / "lab11.apkg")
    (root / "anki").mkdir()
    col = Collection(str(root / "anki" / "collection.anki2"))
    request = ImportAnkiPackageRequest(
        package_path=str(root / "lab11.apkg"), options=ImportAnkiPackageOptions()
    )
    col.import_anki_package(request)
    cards: list[Card] = []
    css = ""
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        fields = dict(note.items())
        cloze = note.note_type()["type"] == 1  # type: ignore[index]
        name = fields["Id"] + (f".c{card.ord + 1}" if cloze else "")
        css, front = split_style(card.question())
        _, back = split_style(card.answer())
        cards.append(Card(name, fields, front, back))
    media = Path(col.media.dir())
    yield cards, media, css
    col.close()


def _by_id(cards: list[Card]) -> dict[str, Card]:
    return {card.id: card for card in cards}


def test_no_front_shows_what_the_back_is_for(deck: tuple[list[Card], Path, str]) -> None:
    cards, _, _ = deck
    checked = 0
    for card in cards:
        front = _squash(_text(card.front))
        fields = ["Explanation", "KeyIdeas", "Evidence", "Verdict"]
        if "nd-options" not in card.front:  # a choice's answer is one of its options
            fields.append("Answer")
        for field in fields:
            value = _squash(_text(card.note.get(field, "")))
            # A whole field, or any of its sentences of some length, on the front.
            pieces = [value] + [p for p in re.split(r"(?<=[.;:])", value) if len(p) > 40]
            for piece in pieces:
                if len(piece) > 12:
                    assert piece not in front, f"{card.id}: the front shows its {field}: {piece}"
                    checked += 1
        assert "Howthisquestionisread" not in front, f"{card.id}: the reading is on the front"
    assert checked > 150


def test_a_step_front_asks_earlier_steps_without_their_answers(
    deck: tuple[list[Card], Path, str], course: Course
) -> None:
    cards = _by_id(deck[0])
    checked = 0
    for item in course.items.values():
        if not isinstance(item.part, DerivationPart) and not item.steps:
            continue
        for later, step in enumerate(item.steps):
            front = _squash(_text(cards[step.id].front))
            for earlier in item.steps[:later]:
                answer = _squash(_text(cards[earlier.id].note["Answer"]))
                if len(answer) > 6:  # a one-symbol answer may well be in the question
                    assert answer not in front, f"{step.id}'s front answers {earlier.id}"
                    checked += 1
    assert checked > 20


def test_a_cloze_deletion_shows_nowhere_else_on_its_card(
    deck: tuple[list[Card], Path, str],
) -> None:
    clozes = [c for c in deck[0] if re.search(r"\.c\d+$", c.id)]
    assert len(clozes) > 8
    for card in clozes:
        number = card.id.rsplit(".c", 1)[1]
        text = card.note["Text"]
        deletions = re.findall(r"\{\{c" + number + r"::(.+?)(?:::[^}]*)?\}\}", text)
        assert deletions, card.id
        front = card.front
        assert "nd-blank" in front, f"{card.id}: the blank is not marked"
        for deletion in deletions:
            assert deletion.strip() not in front, f"{card.id}: {deletion!r} is on the front"


def test_true_false_cards_ask_once_and_state_the_verdict_once(
    deck: tuple[list[Card], Path, str], course: Course
) -> None:
    cards = _by_id(deck[0])
    parts = [i for i in course.items.values() if isinstance(i.part, TrueFalsePart)]
    assert len(parts) > 8
    for item in parts:
        card = cards[item.id]
        own = re.sub(r'<div class="nd-earlier">.*?</ol>\s*</div>', "", card.front, flags=re.S)
        front = _text(own)
        assert not re.search(r"True/False|\(Explain\)", front), f"{item.id}: {front[-200:]}"
        assert front.count("True or false") == 1
        explanation = _text(card.note["Explanation"]).strip()
        assert not re.match(r"(?i)\W*(true|false)\b", explanation), f"{item.id}: {explanation[:40]}"
        assert explanation[:1].isalnum() or explanation[:1] in "\\(", (
            f"{item.id}: {explanation[:40]}"
        )


def test_cards_speak_the_sheets_notation(
    deck: tuple[list[Card], Path, str], course: Course
) -> None:
    grader = re.compile(
        r"Ctilde|dJ_dh|`d[A-Z]\w*/|\blab\d+\.p\d|\bs\d\b|\d\.\d+e[+-]\d|^(?:true|false):",
        re.IGNORECASE | re.MULTILINE,
    )
    for card in deck[0]:
        for side in (card.front, card.back):
            text = _text(side)
            # The Id field is not on any side; the grader's names must not be either.
            found = grader.search(text)
            assert found is None, f"{card.id}: {found.group()!r} in {text[:120]!r}…"
        evidence = _text(card.note.get("Evidence", ""))
        raw = re.search(r"[A-Za-z]_[{\w]", evidence)  # h_{t-1} as typed, not as set
        assert raw is None, f"{card.id}: {evidence}"


def test_new_cards_come_in_the_sheets_order(deck: tuple[list[Card], Path, str]) -> None:
    ids = [card.id for card in deck[0]]
    problems = [int(re.match(r"lab11\.p(\d+)", i).group(1)) for i in ids]  # type: ignore[union-attr]
    assert problems == sorted(problems)


def test_every_side_draws_at_phone_width_light_and_night(
    deck: tuple[list[Card], Path, str], tmp_path: Path
) -> None:
    cards, media, css = deck
    sides = [Side(f"{c.id}.front", c.front) for c in cards] + [
        Side(f"{c.id}.back", c.back) for c in cards
    ]
    shots = Path(os.environ.get("NLPDRILL_CARD_SHOTS", tmp_path / "shots"))
    for night in (False, True):
        results = measure(sides, css, media, shots, night=night)
        assert len(results) == len(sides)
        problems = [
            f"{r['name']}: overflows by {r['overflow']} px ({r['wide']})"
            for r in results
            if r["overflow"] > 1
        ]
        problems += [f"{r['name']}: MathJax error {r['errors']}" for r in results if r["errors"]]
        problems += [
            f"{r['name']}: math left as TeX {r['untypeset']}" for r in results if r["untypeset"]
        ]
        problems += [
            f"{r['name']}: picture {src} not drawn"
            for r in results
            for src, width in r["images"]
            if not width
        ]
        assert problems == [], "\n".join(problems)
        assert sum(r["math"] for r in results) > 300  # MathJax really ran
        blanks = [marked for r in results for marked in r["blanks"]]
        assert len(blanks) >= 9 and all(blanks), "a cloze blank is not marked in colour"
    screenshot(shots / "night.html", shots / "night.png")
    assert (shots / "night.png").stat().st_size > 10_000


def test_a_numeric_answer_says_what_its_symbols_are(
    deck: tuple[list[Card], Path, str], course: Course
) -> None:
    """The front asks about numbers; a back in symbols says which symbol is which
    number, and its evidence is measured at those very numbers."""
    cards = _by_id(deck[0])
    numeric = [i for i in course.items.values() if i.params]
    assert len(numeric) >= 4
    for item in numeric:
        shown = item.with_variant(item.default_variant)
        card = cards[item.id]
        for value in list(shown.values().values())[:3]:
            assert f"{value:g}" in _text(card.front), (item.id, value)
            assert f"{value:g}" in _text(card.note["Answer"]), (item.id, value)
            assert f"{value:g}" in _text(card.note["Evidence"]), (item.id, value)


def test_an_essay_is_its_point_with_the_whole_folded_under_it(
    deck: tuple[list[Card], Path, str], course: Course
) -> None:
    cards = _by_id(deck[0])
    essays = [i for i in course.items.values() if isinstance(i.part, ShortAnswerPart)]
    assert len(essays) >= 6
    for item in essays:
        answer = cards[item.id].note["Answer"]
        visible, _, folded = answer.partition("<details")
        assert len(_text(visible)) < 300, (item.id, _text(visible))
        assert "The full answer" in folded
