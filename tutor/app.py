"""``nlpdrill tutor``: a Textual chat with the tutor engine.

The app is a face on the engine, passed in ready-made: no teaching logic lives
here. Each turn runs in a worker thread (a simulation may take a moment) and
comes back as a ``Replied`` message, so the screen never freezes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, ListItem, ListView, Markdown, Static

from content.simulation import Plot, Series
from tutor.engine import Engine, Reply
from tutor.keyline import KeyLine
from tutor.mathtext import markdown_math_to_unicode
from tutor.store import utcnow

HELP = """\
**Keys**

| key | does |
|---|---|
| F1 | this help |
| F2 | a hint (each press, the next one) |
| F3 | why: the explanation |
| F4 | show me: run the simulation, with its plot |
| F5 | skip this step |
| F6 | the next part due |
| F7 | your progress and reviews |
| F8 | a quiz: 10 questions with fresh numbers, no hints, a score and a review |
| ↑ ↓ | earlier answers |
| Ctrl+L | the problem list (↑ ↓ Enter to pick; Tab back to the answer) |
| Ctrl+P | all commands |
| Ctrl+Q | quit (your progress is saved at every turn) |

**Typing** — answer in plain text: `2 sigma^2 ||mu||^2 + d sigma^4`, `softmax(Q K^T) V`,
`O(M^2 k)`, `true, because …`. The tutor says how it read you. You can also type
`hint`, `why`, `show me`, `skip`, `answer`, `repeat`, `where am i`, `next`.

Press Esc to close.
"""


class Replied(Message):
    """A turn of the engine is done."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply


class HistoryInput(Input):
    """An input that remembers what was sent: ↑ and ↓ walk through it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "older", "Earlier answer", show=False, id="history_older"),
        Binding("down", "newer", "Later answer", show=False, id="history_newer"),
    ]

    def __init__(self, cursor_blink: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cursor_blink = cursor_blink
        self.history: list[str] = []
        self.cursor = 0

    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self.cursor = len(self.history)

    def action_older(self) -> None:
        if self.history and self.cursor > 0:
            self.cursor -= 1
            self.value = self.history[self.cursor]
            self.cursor_position = len(self.value)

    def action_newer(self) -> None:
        if self.cursor < len(self.history) - 1:
            self.cursor += 1
            self.value = self.history[self.cursor]
        else:
            self.cursor = len(self.history)
            self.value = ""
        self.cursor_position = len(self.value)


class ChatMessage(Vertical):
    def __init__(self, text: str, kind: str, student: bool = False) -> None:
        classes = "message student" if student else f"message kind-{kind}"
        super().__init__(classes=classes)
        self.text = text
        self.student = student

    def compose(self) -> ComposeResult:
        if self.student:
            yield Static(self.text, markup=False)
        else:
            yield Markdown(markdown_math_to_unicode(self.text))


def plot_widget(plot: Plot) -> Any:
    from textual_plotext import PlotextPlot

    widget = PlotextPlot(classes="plot")
    plt = widget.plt
    plt.title(plot.title)
    plt.xlabel(plot.xlabel)
    for line in plot.series:
        y = [max(v, 1e-300) for v in line.y] if plot.log_y else list(line.y)
        if line.style == "bars":
            plt.bar(list(line.x), y, label=line.label)
        else:
            plt.plot(list(line.x), y, label=line.label, marker="braille")
    if plot.log_y:
        plt.yscale("log")
    return widget


def _plot_from(data: dict[str, Any]) -> Plot:
    series = tuple(
        Series(s["label"], tuple(s["x"]), tuple(s["y"]), s.get("style", "line"))
        for s in data["series"]
    )
    return Plot(
        data["title"],
        data["xlabel"],
        data["ylabel"],
        series,
        data.get("log_y", False),
        data.get("caption", ""),
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="close_help")
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)


class ProgressScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f7,q", "dismiss", "Close", id="close_progress")
    ]

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="progress-body"):
            yield Static("Progress — attempts and next reviews (FSRS). Esc to close.", markup=False)
            table: DataTable[str] = DataTable(zebra_stripes=True, cursor_type="row")
            table.add_columns("part", "attempts", "last", "next review")
            table.add_rows(self.rows)
            yield table


class TutorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "nlpdrill"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "send('hint')", "Hint", id="hint"),
        Binding("f3", "send('why')", "Why", id="why"),
        Binding("f4", "send('show me')", "Show me", id="show_me"),
        Binding("f5", "send('skip')", "Skip", id="skip"),
        Binding("f6", "next_due", "Next due", id="next_due"),
        Binding("f7", "progress", "Progress", id="progress"),
        Binding("f8", "quiz", "Quiz", id="quiz"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+l", "focus_problems", "Problems", id="problems", show=False),
        Binding("pageup", "scroll_transcript(-1)", "Earlier", id="page_up", show=False),
        Binding("pagedown", "scroll_transcript(1)", "Later", id="page_down", show=False),
    ]

    def __init__(self, engine: Engine, part: str | None = None, cursor_blink: bool = True) -> None:
        super().__init__()
        self.engine = engine
        self.first_part = part
        self.cursor_blink = cursor_blink  # snapshot tests need a steady cursor
        self.busy = False

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield ListView(*self._problem_items(), id="problems")
            with Vertical(id="chat"):
                yield VerticalScroll(id="transcript")
                with Horizontal(id="truefalse"):
                    yield _unfocusable(Button("True", id="say-true", variant="success"))
                    yield _unfocusable(Button("False", id="say-false", variant="error"))
                yield Static("", id="status")
                yield HistoryInput(
                    placeholder="Your answer — or hint, why, show me, skip",
                    id="answer",
                    cursor_blink=self.cursor_blink,
                )
        yield KeyLine()

    def _problem_labels(self) -> dict[str, str]:
        """Each problem's label: its name, title and one mark per part (● practised)."""
        overview = {row["part"]: row for row in self.engine.overview()}
        labels = {}
        for problem in self.engine.course.problems:
            parts = [i.id for i in self.engine.course.top_items() if i.problem.id == problem.id]
            done = sum(1 for p in parts if overview[p]["due"] is not None)
            marks = "●" * done + "○" * (len(parts) - done)
            labels[problem.id] = f"{problem.source}  {marks}\n{problem.title[:21]}"
        return labels

    def _problem_items(self) -> list[ListItem]:
        """The problems, under a heading per lab when the course has several."""
        course = self.engine.course
        items: list[ListItem] = []
        heading = None
        for pid, label in self._problem_labels().items():
            lab = course.lab_course(pid).lab
            if course.labs and lab.id != heading:
                heading = lab.id
                title = f"Lab {lab.id.removeprefix('lab')} · {lab.title}"[:22]
                items.append(
                    ListItem(Static(title, markup=False), id=f"lab-{lab.id}", disabled=True)
                )
            items.append(
                ListItem(
                    Static(label, markup=False, id=f"label-{_dom(pid)}"),
                    id=f"problem-{_dom(pid)}",
                )
            )
        return items

    def on_mount(self) -> None:
        self.query_one("#answer", HistoryInput).focus()
        self._run(lambda: self.engine.start(self.first_part))

    # -- turns ----------------------------------------------------------------------------

    def _run(self, turn: Any) -> None:
        self.busy = True
        self.query_one("#status", Static).update("thinking…")
        self._work(turn)

    @work(thread=True, group="engine")
    def _work(self, turn: Any) -> None:
        try:
            reply = turn()
        except Exception as exc:  # show it, never crash: progress is already saved
            reply = Reply(None)
            reply.say(f"Something went wrong: {type(exc).__name__}: {exc}", "feedback")
        self.post_message(Replied(reply))

    def send(self, text: str) -> None:
        if self.busy or not text.strip():
            return
        self._show_student(text)
        self._run(lambda: self.engine.say(text))

    def action_send(self, text: str) -> None:
        self.send(text)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        field = self.query_one("#answer", HistoryInput)
        field.remember(event.value)
        field.value = ""
        self.send(event.value)

    @on(Button.Pressed, "#say-true")
    def _true(self) -> None:
        self.send("true")

    @on(Button.Pressed, "#say-false")
    def _false(self) -> None:
        self.send("false")

    @on(ListView.Selected, "#problems")
    def _problem_chosen(self, event: ListView.Selected) -> None:
        problem_id = (event.item.id or "").removeprefix("problem-").replace("-", ".")
        parts = [i.id for i in self.engine.course.top_items() if i.problem.id == problem_id]
        if parts and not self.busy:
            overview = {row["part"]: row for row in self.engine.overview()}
            fresh = [p for p in parts if overview[p]["due"] is None]
            self._run(lambda: self.engine.start((fresh or parts)[0]))
        self.query_one("#answer", HistoryInput).focus()  # what is typed next is the answer

    def on_replied(self, message: Replied) -> None:
        reply = message.reply
        transcript = self.query_one("#transcript", VerticalScroll)
        widgets: list[Widget] = []
        for item in reply.messages:
            widgets.append(ChatMessage(item.text, item.kind))
            if item.data and "plot" in item.data:
                widgets.append(plot_widget(_plot_from(item.data["plot"])))
        transcript.mount_all(widgets)  # one layout for the whole reply, not one per message
        transcript.scroll_end(animate=False)
        self.busy = False
        self.query_one("#status", Static).update(self._status(reply))
        self._update_true_false(reply)
        self._refresh_problems()
        self._highlight_problem()
        if reply.done:
            self.exit()

    def _show_student(self, text: str) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(ChatMessage(text, "student", student=True))
        transcript.scroll_end(animate=False)

    def _status(self, reply: Reply) -> str:
        quiz = self.engine.quiz
        if quiz is not None:
            return f"quiz · question {quiz.number} of {len(quiz.questions)}"
        position = self.engine.position
        if position is None:
            return ""
        label = reply.part or position.unit
        return f"{label} · {position.phase}"

    def _update_true_false(self, reply: Reply) -> None:
        position = self.engine.position
        item = self.engine.course.items.get(reply.part or "")
        show = bool(position and item and item.kind == "true_false" and position.phase == "answer")
        self.query_one("#truefalse").set_class(show, "visible")

    def _highlight_problem(self) -> None:
        position = self.engine.position
        if position is None:
            return
        problem = self.engine.course.items[position.unit].problem
        listed = self.query_one("#problems", ListView)
        ids = [item.id for item in listed.children]  # lab headings included
        listed.index = ids.index(f"problem-{_dom(problem.id)}")

    def _refresh_problems(self) -> None:
        for pid, label in self._problem_labels().items():
            self.query_one(f"#label-{_dom(pid)}", Static).update(label)

    # -- screens and commands ------------------------------------------------------------

    def action_quiz(self) -> None:
        if not self.busy:
            self._run(lambda: self.engine.start_quiz(10))

    def action_scroll_transcript(self, pages: int) -> None:
        """PageUp/PageDown scroll the conversation without leaving the answer field."""
        transcript = self.query_one("#transcript", VerticalScroll)
        if pages < 0:
            transcript.scroll_page_up(animate=False)
        else:
            transcript.scroll_page_down(animate=False)

    def action_focus_problems(self) -> None:
        self.query_one("#problems", ListView).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_progress(self) -> None:
        self.push_screen(ProgressScreen(self.progress_rows()))

    def action_next_due(self) -> None:
        if not self.busy:
            self._run(lambda: self.engine.start(self.engine.next_due()))

    def progress_rows(self) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for row in self.engine.overview():
            due = row["due"]
            rows.append(
                (
                    row["part"],
                    str(row["attempts"]),
                    row["last_verdict"] or "—",
                    _relative(datetime.fromisoformat(due)) if due else "new",
                )
            )
        return rows

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Hint", "The next hint for this step", lambda: self.send("hint"))
        yield SystemCommand("Why", "The explanation for this step", lambda: self.send("why"))
        yield SystemCommand(
            "Show me", "Run the simulation and plot it", lambda: self.send("show me")
        )
        yield SystemCommand("Skip", "Skip this step", lambda: self.send("skip"))
        yield SystemCommand("Next due", "Practise the next part due", self.action_next_due)
        yield SystemCommand("Progress", "Attempts and next reviews", self.action_progress)
        yield SystemCommand("Quiz", "Ten questions, no hints, then a score", self.action_quiz)
        yield SystemCommand("Help", "Keys and commands", self.action_help)


def _dom(problem_id: str) -> str:
    return problem_id.replace(".", "-")


def _relative(when: datetime) -> str:
    seconds = (when - utcnow()).total_seconds()
    if seconds <= 0:
        return "due now"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 86400 * 1.5:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400)} days"


def _unfocusable(button: Button) -> Button:
    """A button a click presses without taking the focus from the answer field, so
    that what the student types next is not lost (nor sent by Enter as the button)."""
    button.can_focus = False
    return button
