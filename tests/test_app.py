"""The Textual tutor: pilot tests through messages, and snapshots at 80×24."""

from __future__ import annotations

from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.snapshot_apps.tutor_app import make_app
from tutor.app import ChatMessage, ProgressScreen, Replied, TutorApp

SIZE = (80, 24)
pytestmark = pytest.mark.anyio


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the engine's worker and the messages it posts."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def transcript_text(app: TutorApp) -> str:
    return "\n".join(m.text for m in app.query(ChatMessage))


async def type_line(pilot: Pilot[Any], text: str) -> None:
    await pilot.click("#answer")
    await pilot.press(*list(text))
    await pilot.press("enter")
    await settle(pilot)


async def test_answer_a_true_false_part_with_the_buttons() -> None:
    app = make_app("lab11.p3.c")
    replies: list[Replied] = []

    def hook(message: Message) -> None:
        if isinstance(message, Replied):
            replies.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        assert app.query_one("#truefalse").has_class("visible")
        await pilot.click("#say-true")
        await settle(pilot)
        assert replies[-1].reply.verdict == "partial"  # the right verdict; the why is next
        assert "Why is it true?" in transcript_text(app)
        assert not app.query_one("#truefalse").has_class("visible")
        await type_line(pilot, "sigmoid outputs are between 0 and 1")
        assert replies[-1].reply.verdict == "correct"
        assert "You said:" in transcript_text(app)
    attempts = app.engine.store.attempts("lab11.p3.c")
    assert [a.verdict for a in attempts] == ["partial", "correct"]  # the verdict, then its why


async def test_after_a_click_what_is_typed_next_is_the_answer() -> None:
    """Typed without clicking the field again: after True, and after choosing a problem."""
    app = make_app("lab11.p3.c")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#say-true")
        await settle(pilot)
        await pilot.press(*list("sigmoid outputs are between 0 and 1"), "enter")
        await settle(pilot)
        assert "sigmoid outputs are between 0 and 1" in transcript_text(app)
        await pilot.click("#problem-lab11-p6")
        await settle(pilot)
        assert app.engine.position is not None and app.engine.position.unit == "lab11.p6.a"
        await pilot.press(*list("mu^T mu"), "enter")
        await settle(pilot)
        assert "read as: μᵀμ" in transcript_text(app)
    attempts = app.engine.store.attempts("lab11.p3.c")
    assert [a.verdict for a in attempts] == ["partial", "correct"]


async def test_page_up_scrolls_the_conversation_from_the_answer_field() -> None:
    app = make_app("lab11.p4.a")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            await type_line(pilot, "hint")
        transcript = app.query_one("#transcript")
        bottom = transcript.scroll_y
        assert bottom > 0 and app.focused is app.query_one("#answer")
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom and app.focused is app.query_one("#answer")
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y == bottom
        # scrolled up, a new reply still brings the conversation to its end
        await pilot.press("pageup")
        await pilot.pause()
        await type_line(pilot, "hint")
        assert transcript.scroll_y == transcript.max_scroll_y


async def test_ask_for_a_hint_with_f2() -> None:
    app = make_app("lab11.p6.b")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        hints = [m for m in app.query(ChatMessage) if m.has_class("kind-hint")]
        assert hints
        assert hints[-1].text.startswith("Hint 1 of 3")


async def test_complete_a_derivation_step() -> None:
    app = make_app("lab11.p2.a")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_line(pilot, "1/(1+exp(x))")
        text = transcript_text(app)
        assert "read as: 1/(1 + exp(x))" in text
        assert "Step 2 of 5" in text
        assert app.engine.position is not None
        assert app.engine.position.current == "lab11.p2.a.s2"


async def test_open_the_progress_screen() -> None:
    app = make_app("lab11.p6.a")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_line(pilot, "mu^T mu")
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 20
        row = dict(zip(["part", "attempts", "last", "due"], table.get_row_at(12), strict=True))
        assert row["part"] == "lab11.p6.a" and row["attempts"] == "1" and row["last"] == "correct"
        assert row["due"].startswith("in ")
        await pilot.press("escape")
        assert not isinstance(app.screen, ProgressScreen)


async def test_history_recalls_earlier_answers() -> None:
    app = make_app("lab11.p6.b")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_line(pilot, "d sigma^4")
        await pilot.press("up")
        assert app.query_one("#answer").value == "d sigma^4"  # type: ignore[attr-defined]


# -- snapshots (each looked at by a person before it was accepted) ------------------------


def test_snapshot_main_screen(snap_compare: Any) -> None:
    assert snap_compare(make_app("lab11.p1"), terminal_size=SIZE, run_before=settle)


def test_snapshot_true_false_exchange(snap_compare: Any) -> None:
    async def exchange(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await type_line(pilot, "false")

    assert snap_compare(make_app("lab11.p3.a"), terminal_size=SIZE, run_before=exchange)


def test_snapshot_derivation_step(snap_compare: Any) -> None:
    async def step(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await type_line(pilot, "diag(f_t)")

    assert snap_compare(make_app("lab11.p4.a"), terminal_size=SIZE, run_before=step)


def test_snapshot_progress_screen(snap_compare: Any) -> None:
    async def progress(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await type_line(pilot, "mu^T mu")
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(make_app("lab11.p6.a"), terminal_size=SIZE, run_before=progress)


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_both_themes_render(theme: str) -> None:
    app = make_app("lab11.p2.b")
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(pilot)
        assert transcript_text(app)


async def test_f8_starts_a_quiz() -> None:
    app = make_app("lab11.p6.a")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "Question 1 of 10" in transcript_text(app)
        await type_line(pilot, "hint")
        assert "No hints during the quiz" in transcript_text(app)


async def test_the_key_line_lists_the_keys_and_a_click_presses_one() -> None:
    from tutor.app import HelpScreen
    from tutor.keyline import KeyLine

    app = make_app("lab11.p6.a")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        legend = app.query_one(KeyLine).render().plain
        for entry in ("^q Quit", "f1 Help", "f2 Hint", "f4 Show me", "f8 Quiz", "^p palette"):
            assert entry in legend, entry
        await pilot.click(KeyLine, offset=(legend.index("f1 Help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    app = make_app("lab11.p6.a")
    async with app.run_test(size=SIZE) as pilot:  # 80 columns: every key, in shorter words
        await settle(pilot)
        legend = app.query_one(KeyLine).render().plain
        assert len(legend) <= SIZE[0]
        for entry in ("^q Quit", "f1 Help", "f2 Hint", "f3 Why", "f4 Show", "f5 Skip", "f6 Due",
                      "f7 Stats", "f8 Quiz"):  # fmt: skip
            assert entry in legend, entry
        await pilot.click(KeyLine, offset=(legend.index("f7 Stats") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
