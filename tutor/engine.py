"""The tutor: a patient teaching assistant, as a conversation. No UI here.

A session walks one *unit* (a part of the sheet) at a time through its stages:
the open question of a conceptual part, each step of a derivation or scaffold,
the final result. Every turn takes the student's text and returns messages; the
position is saved with each turn, so a session resumes exactly where it was.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from fsrs import Rating

from content import simcache
from content.course import Course, Item
from content.expr.evaluate import evaluate
from content.expr.printer import GREEK_OUT
from content.judge import Judge, Judgement, reason_verdict
from content.quizdraw import draw
from content.schema import (
    ChoicePart,
    DerivationPart,
    ExpressionPart,
    MultiPart,
    NumericPart,
    ShortAnswerPart,
    TrueFalsePart,
)
from content.simulation import Plot
from tutor.intents import Command, read_intent
from tutor.store import Store, utcnow

if TYPE_CHECKING:  # the free-text reader is imported when a reason is first read
    from content.reasons.rubric import Reading


class NotSaved(Exception):
    """The store refused a turn (full disk, read-only file): it was undone."""


MAX_TRIES_BEFORE_OFFER = 3
OPEN = "open"  # the stage of a conceptual part's open question
RATE = "rate"  # the self-rating at the end of a conceptual part
WHY = "why"  # a true/false verdict is in; its reason is asked
WHY_AGAIN = "why again"  # the reason was vague, incomplete or wrong: one more try
# The best self-rating each judged result allows: a student cannot rate "easy" what was wrong.
_CAPS = {
    "incorrect": Rating.Again,
    "partial": Rating.Hard,
    "off point": Rating.Hard,
    "uncertain": Rating.Good,
    "unchecked": Rating.Good,
}
_RATINGS = {
    "again": Rating.Again, "1": Rating.Again, "hard": Rating.Hard, "2": Rating.Hard,
    "good": Rating.Good, "3": Rating.Good, "easy": Rating.Easy, "4": Rating.Easy,
}  # fmt: skip


@dataclass
class Message:
    text: str
    kind: str = (
        "info"  # question | feedback | hint | verdict | explanation | evidence | info | echo
    )
    data: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": "tutor", "kind": self.kind, "text": self.text}
        if self.data:
            out["data"] = self.data
        return out


@dataclass
class Reply:
    part: str | None
    messages: list[Message] = field(default_factory=list)
    verdict: str | None = None
    done: bool = False  # the session ended (quit)

    def say(self, text: str, kind: str = "info", data: dict[str, Any] | None = None) -> None:
        self.messages.append(Message(text, kind, data))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": True,
            "part": self.part,
            "messages": [m.to_json() for m in self.messages],
        }
        if self.verdict is not None:
            out["verdict"] = self.verdict
        if self.done:
            out["done"] = True
        return out


@dataclass
class Position:
    """Where a session stands; saved as JSON after every turn."""

    unit: str
    stages: list[str]
    stage: int = 0
    phase: str = "answer"  # answer | why | why again | rate | finished
    tries: int = 0
    hints: int = 0
    clean: bool = True  # every stage right at the first try, without hints or reveals
    lost: bool = False  # a stage was revealed, skipped or its verdict missed
    # stage id -> how the student's right answer read
    answers: dict[str, str] = field(default_factory=dict)
    # stage id -> the variant drawn for a parameterised step in this practice
    variants: dict[str, int] = field(default_factory=dict)
    right: bool = True  # the true/false verdict under way was right
    reason: str = ""  # the reason given so far, when a second try may complete it
    cap: str | None = None  # the judged result that caps a self-rating

    @property
    def stage_name(self) -> str:
        return self.stages[min(self.stage, len(self.stages) - 1)]

    @property
    def current(self) -> str:
        """The id of the part or step being asked (the unit itself for its open question)."""
        name = self.stage_name
        return self.unit if name in (OPEN, RATE) else name


@dataclass
class Quiz:
    """A quiz under way: the questions (part id, variant) and the verdicts so far.

    Saved with every turn, beside the practice position, so that a tutor started
    again (or a crash) resumes the quiz at the question it was on.
    """

    questions: list[tuple[str, int | None]]
    results: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        """The question being asked, counting from 1."""
        return len(self.results) + 1

    def to_json(self) -> dict[str, Any]:
        return {"questions": [list(q) for q in self.questions], "results": self.results}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, course: Course) -> Quiz | None:
        """The saved quiz, if one is under way and every question is still in the course."""
        if not data or not data.get("questions"):
            return None
        questions = [(str(part), None if v is None else int(v)) for part, v in data["questions"]]
        results = [str(r) for r in data.get("results", [])]
        if len(results) >= len(questions) or any(q not in course.items for q, _ in questions):
            return None
        return cls(questions, results)


class Engine:
    def __init__(
        self,
        course: Course,
        store: Store,
        variants: random.Random | None = None,
    ) -> None:
        """``store``: the student's view of the progress database; ``variants`` draws
        each practice's numbers (tests pass a seeded one)."""
        self.course = course
        self.variants = variants or random.SystemRandom()
        self.judge = Judge(course)
        self._load(store)

    def _load(self, store: Store) -> None:
        """Take up the student of ``store`` where they left off."""
        self.store = store
        self.position: Position | None = None
        self.quiz: Quiz | None = None
        # Written together at the end of the turn, in one transaction.
        self._attempts: list[tuple[str, str, str, int | None]] = []
        self._review: Rating | None = None
        self.position = self._saved_position(store.session("position"))
        try:
            self.quiz = Quiz.from_json(store.session("quiz"), self.course)
        except (TypeError, ValueError):
            self.quiz = None  # saved by another version: set aside

    def _saved_position(self, saved: dict[str, Any] | None) -> Position | None:
        """The saved position, if it still fits the content: a part whose steps were
        edited since (or a position saved by another version) starts afresh instead."""
        if not saved or saved.get("unit") not in self.course.items:
            return None
        try:
            position = Position(**saved)
        except TypeError:  # fields of another version
            return None
        unit = self.course.items[position.unit]
        stages = self._stages(unit)
        # a finished part stands one past its last stage
        if position.stages != stages or not stages or not 0 <= position.stage <= len(stages):
            return None
        return position

    @property
    def student(self) -> str:
        return self.store.student

    def switch_student(self, name: str) -> None:
        """Go on as ``name``, with their own progress (``ValueError`` for a bad name)."""
        if name != self.store.student:
            self._load(self.store.as_student(name))

    # -- the protocol's operations ------------------------------------------------

    def start(self, part: str | None = None) -> Reply:
        """Start ``part``, or resume it if under way; without one, resume or pick the next due."""
        return self._atomically(lambda: self._start(part))

    def say(self, text: str) -> Reply:
        return self._atomically(lambda: self._turn(text))

    def _atomically(self, turn: Callable[[], Reply]) -> Reply:
        """A turn whose progress is saved, or, if it cannot be, a turn that never happened.

        If the store cannot write (a full disk, a read-only file), the position goes
        back to where it was and ``NotSaved`` says so: nothing is acknowledged that
        was not stored.
        """
        before, quiz_before = copy.deepcopy(self.position), copy.deepcopy(self.quiz)
        try:
            return self._commit(turn())
        except BaseException as exc:  # any failure: the turn did not happen, in memory either
            self.position, self.quiz = before, quiz_before
            self._attempts, self._review = [], None
            # SQLite's errors, the disk's, or PostgreSQL's (psycopg, imported only for one)
            if not isinstance(exc, sqlite3.Error | OSError) and not type(exc).__module__.startswith(
                "psycopg"
            ):
                raise
            remedy = (
                "another program holds the progress database; send it again in a moment"
                if "locked" in str(exc).lower()
                else "free some disk space and send it again"
            )
            raise NotSaved(
                f"your progress could not be saved ({exc}); that turn did not count — {remedy}"
            ) from exc

    def _start(self, part: str | None) -> Reply:
        if self.quiz is not None:
            if part is None:
                return self._resume_quiz()
            self.quiz = None  # the student asked for a part: the quiz is set aside
        if part is not None:
            unit = self._unit_of(part)
            if (
                self.position is not None
                and self.position.unit == unit
                and self.position.phase != "finished"
            ):
                return self._resume()
            return self._begin(unit)
        if self.position is not None and self.position.phase != "finished":
            return self._resume()
        return self._begin(self.next_due())

    def start_quiz(
        self, count: int = 10, problems: list[str] | None = None, seed: int | None = None
    ) -> Reply:
        """A quiz: ``count`` questions across ``problems``, no hints, a score, then a review."""
        chosen = draw(
            self.course,
            count,
            seed if seed is not None else self.variants.randrange(10**9),
            problems,
        )
        self.quiz = Quiz([(q.item.id, q.variant) for q in chosen])
        reply = Reply(None)
        reply.say(
            f"**Quiz**: {len(chosen)} questions, no hints. Answer each one; **skip** to pass.",
            "info",
        )
        self._ask_quiz(reply)
        return self._atomically(lambda: reply)

    def _resume_quiz(self) -> Reply:
        assert self.quiz is not None
        reply = Reply(None)
        done = len(self.quiz.results)
        reply.say(
            f"Welcome back — your quiz is under way: {done} of {len(self.quiz.questions)} "
            "answered. No hints; **skip** to pass.",
            "info",
        )
        self._ask_quiz(reply)
        return reply

    def _quiz_item(self) -> Item:
        assert self.quiz is not None
        item_id, variant = self.quiz.questions[self.quiz.number - 1]
        item = self._item(item_id)
        return item.with_variant(variant) if variant is not None else item

    def _ask_quiz(self, reply: Reply) -> None:
        assert self.quiz is not None
        item = self._quiz_item()
        reply.part = item.id
        for setting in item.setting():  # drawn out of its derivation: what it needs
            reply.say(setting, "info")
        text = item.prompt().strip()
        if isinstance(item.part, TrueFalsePart):
            text += "\n\nTrue or false?"
        elif isinstance(item.part, ChoicePart):
            text += "\n\n" + "\n".join(f"- ({k}) {v}" for k, v in item.part.options.items())
        reply.say(
            f"*Question {self.quiz.number} of {len(self.quiz.questions)}* "
            f"({item.problem.source}). {text}",
            "question",
        )

    def _quiz_turn(self, text: str) -> Reply:
        quiz = self.quiz
        assert quiz is not None
        item = self._quiz_item()
        reply = Reply(item.id)
        command = read_intent(text, False).command
        if command is Command.QUIT:
            reply.done = True
            reply.say(
                f"Saved, at question {quiz.number} of {len(quiz.questions)} of your "
                "quiz: start the tutor again to go on with it.",
                "info",
            )
            return reply
        if command in (Command.HINT, Command.WHY, Command.SHOW_ME, Command.REVEAL):
            reply.say("No hints during the quiz — answer, or **skip**.", "info")
            return reply
        if command is Command.SKIP:
            verdict = "skipped"
        else:
            judgement = self.judge.judge(item, text)
            if judgement.verdict == "invalid":
                reply.say(judgement.feedback + " (That didn't count.)", "feedback")
                return reply
            verdict = judgement.verdict
            if judgement.read_as and isinstance(item.part, ExpressionPart):
                reply.say(f"read as: {judgement.read_as}", "echo")
        reply.verdict = verdict if verdict != "skipped" else None
        self._record(reply, item.id, text, verdict, variant=item.variant)
        quiz.results.append(verdict)
        if len(quiz.results) < len(quiz.questions):
            self._ask_quiz(reply)
            return reply
        self._quiz_report(reply)
        self.quiz = None
        return reply

    def _quiz_report(self, reply: Reply) -> None:
        quiz = self.quiz
        assert quiz is not None
        right = sum(1 for v in quiz.results if v == "correct")
        reply.say(f"**Score: {right} of {len(quiz.questions)}.**", "verdict")
        for number, ((item_id, variant), verdict) in enumerate(
            zip(quiz.questions, quiz.results, strict=True), 1
        ):
            if verdict == "correct":
                continue
            item = self._item(item_id)
            item = item.with_variant(variant) if variant is not None else item
            evidence = self._show_lines(item)
            answer = self._answer_text(item)
            head = f"**Question {number}** ({item.problem.source}) — the answer: {answer}"
            lines = [head, item.part.explanation.strip()]
            if evidence:
                lines.append("Simulation: " + evidence[0])
            reply.say("\n\n".join(lines), "explanation")

    def _turn(self, text: str) -> Reply:
        chosen = self._chosen_part(text)
        if chosen is not None:  # "go 7.3", "problem 2c": any part, directly
            self.quiz = None
            return self._start(chosen)
        if self.quiz is not None:
            return self._quiz_turn(text)
        if self.position is None:
            reply = self._start(None)
            reply.messages.insert(0, Message("Let's start.", "info"))
            return reply
        position = self.position
        if position.phase == "finished":
            return self._after_unit(text)
        if position.phase == RATE:
            return self._rate(text)
        item = self._stage_item()
        judgement = self.judge.judge(item, text) if position.phase == "answer" else None
        readable = judgement is not None and judgement.verdict != "invalid"
        asked_why = position.phase in (WHY, WHY_AGAIN)
        intent = read_intent(text, readable or asked_why)
        if intent.command is not None:
            return self._command(intent.command)
        if asked_why:
            return self._why(item, text)
        assert judgement is not None
        return self._answer(item, text, judgement)

    def _chosen_part(self, text: str) -> str | None:
        """The part a "go 7.3" / "problem 2c" / "start lab11.p6.b" names, if any."""
        match = _GO_TO.match(text.strip().lower())
        if match is None:
            return None
        number, label = match.group(1), match.group(2)
        for item in self.course.top_items():
            problem = item.problem.id.rsplit(".p", 1)[1]
            own = item.id.rsplit(".", 1)[1] if item.id.count(".") > 1 else None
            if problem == number and (label is None or label == own):
                return item.id
        return None

    def state(self) -> dict[str, Any]:
        position = self.position
        out: dict[str, Any] = {"ok": True, "part": position.current if position else None}
        if position is not None:
            out["unit"] = position.unit
            # A finished unit stands past its last stage: say the last, not "5 of 4".
            out["step"] = min(position.stage + 1, len(position.stages))
            out["steps"] = len(position.stages)
            out["phase"] = position.phase
        if self.quiz is not None:
            out["quiz"] = {"question": self.quiz.number, "of": len(self.quiz.questions)}
        out["progress"] = self.overview()
        return out

    def quit(self) -> Reply:
        reply = Reply(self.position.current if self.position else None, done=True)
        reply.say("Saved. Come back any time: I'll pick up right here.", "info")
        return reply

    # -- choosing what to practise ----------------------------------------------------

    def next_due(self, now: datetime | None = None) -> str:
        """Due reviews first (oldest first), then parts never practised, in sheet order."""
        now = now or utcnow()
        units = [item.id for item in self.course.top_items()]
        progress = self.store.progress(units)
        due = sorted(
            (p.due, p.part) for p in progress.values() if p.due is not None and p.due <= now
        )
        if due:
            return due[0][1]
        fresh = [u for u in units if not progress[u].reviewed]
        if fresh:
            return fresh[0]
        return min((p.due, p.part) for p in progress.values() if p.due is not None)[1]

    def next_after(self, unit: str | None) -> str:
        """The rest of the same problem first (a student finishing Problem 2 stays in it),
        then whatever is due."""
        if unit is not None:
            problem = self._item(unit).problem.id
            siblings = [i.id for i in self.course.top_items() if i.problem.id == problem]
            progress = self.store.progress(siblings)
            fresh = [s for s in siblings if not progress[s].reviewed and s != unit]
            if fresh:
                return fresh[0]
        return self.next_due()

    def overview(self) -> list[dict[str, Any]]:
        units = [item.id for item in self.course.top_items()]
        progress = self.store.progress(units).values()
        return [
            {
                "part": p.part,
                "attempts": p.attempts,
                "last_verdict": p.last_verdict,
                "due": p.due.isoformat() if p.due is not None else None,
            }
            for p in progress
        ]

    # -- stages ----------------------------------------------------------------------------

    def _unit_of(self, part: str) -> str:
        item = self.course.item(part)  # KeyError for an unknown part
        while item.parent is not None:
            item = item.parent
        return item.id

    def _item(self, item_id: str) -> Item:
        return self.course.items[item_id]

    @staticmethod
    def _stages(unit: Item) -> list[str]:
        part = unit.part
        steps = [step.id for step in unit.steps]
        if isinstance(part, ShortAnswerPart):
            return [OPEN, *steps, RATE]
        if isinstance(part, MultiPart):
            return steps
        if isinstance(part, DerivationPart):
            return [*steps, unit.id]
        return [unit.id, *steps]  # a true/false part first, then its follow-up steps

    def _begin(self, unit_id: str) -> Reply:
        unit = self._item(unit_id)
        self.position = Position(unit_id, self._stages(unit))
        reply = Reply(self.position.current)
        problem = unit.problem
        reply.say(f"**{problem.source} — {problem.title}**", "info")
        if problem.context:
            reply.say(problem.context.strip(), "info")
        if problem.typing:
            reply.say(problem.typing.strip(), "info")
        if isinstance(unit.part, DerivationPart | MultiPart):
            reply.say(
                f"**The question.** {unit.part.prompt.strip()}\n\nLet's work it out step by step.",
                "info",
            )
        self._ask(reply)
        return reply

    def _resume(self) -> Reply:
        assert self.position is not None
        reply = Reply(self.position.current)
        unit = self._item(self.position.unit)
        reply.say(f"Welcome back — we were on {unit.problem.source}, {unit.problem.title}:", "info")
        asking_why = self.position.phase in (WHY, WHY_AGAIN)
        if asking_why or self.position.current != unit.id:  # in the middle: the question first
            reply.say(f"**The question.** {unit.part.prompt.strip()}", "info")
        if asking_why:
            reply.say("Why? Explain your verdict in a sentence.", "question")
        elif self.position.phase == RATE:
            self._ask_rating(reply)
        else:
            self._ask(reply)
        return reply

    def _ask(self, reply: Reply) -> None:
        position = self.position
        assert position is not None
        unit = self._item(position.unit)
        stage = position.stage_name
        if stage == RATE:
            self._offer_model_answer(reply, unit)
            return
        item = self._stage_item()
        part = item.part
        head = ""
        numbered = [s for s in position.stages if s not in (OPEN, RATE)]
        if stage in numbered and len(numbered) > 1:
            head = f"*Step {numbered.index(stage) + 1} of {len(numbered)}.* "
        recap = self._recap()
        if recap:
            reply.say(recap, "info")
        text = item.prompt().strip()
        if isinstance(part, DerivationPart) and stage == unit.id and part.conclusion:
            text = part.conclusion.strip()
        if part.typing:
            text += "\n\n" + part.typing.strip()
        if isinstance(part, TrueFalsePart):
            text += "\n\nTrue or false? Give your verdict, then say why."
        elif isinstance(part, ChoicePart):
            text += "\n\n" + "\n".join(
                f"- ({label}) {option}" for label, option in part.options.items()
            )
        elif isinstance(part, ShortAnswerPart):
            text += "\n\nAnswer in a sentence or two, in your own words."
        if part.reading:  # the sheet is ambiguous here: say how the question is read
            reply.say("**How this question is read.** " + part.reading.strip(), "info")
        reply.say(head + text, "question")

    def _recap(self) -> str:
        """The student's own earlier results in this unit, for the next step to build on."""
        position = self.position
        assert position is not None
        earlier = [
            (s, position.answers[s])
            for s in position.stages[: position.stage]
            if s in position.answers
        ]
        if not earlier:
            return ""
        numbered = [s for s in position.stages if s not in (OPEN, RATE)]
        lines = [f"- step {numbered.index(s) + 1}: `{shown}`" for s, shown in earlier[-3:]]
        return "So far you have:\n" + "\n".join(lines)

    def _advance(self, reply: Reply) -> None:
        position = self.position
        assert position is not None
        position.stage += 1
        position.tries = 0
        position.hints = 0
        position.phase = "answer"
        if position.stage >= len(position.stages):
            self._finish_unit(reply, self._auto_rating())
            return
        reply.part = position.current
        if position.stage_name == RATE:
            position.phase = RATE
            self._offer_model_answer(reply, self._item(position.unit))
            return
        self._ask(reply)

    def _auto_rating(self) -> Rating:
        position = self.position
        assert position is not None
        if position.lost:
            return Rating.Again
        return Rating.Good if position.clean else Rating.Hard

    def _finish_unit(self, reply: Reply, rating: Rating) -> None:
        position = self.position
        assert position is not None
        position.phase = "finished"
        self._review = rating  # written, and announced, by ``_commit``

    def _offer_model_answer(self, reply: Reply, unit: Item) -> None:
        part = unit.part
        assert isinstance(part, ShortAnswerPart)
        reply.say("**Model answer.** " + part.model_answer.strip(), "explanation")
        self._ask_rating(reply)

    @staticmethod
    def _ask_rating(reply: Reply) -> None:
        reply.say(
            "How well did you know it? **again** / **hard** / **good** / **easy**", "question"
        )

    # -- turns -------------------------------------------------------------------------------

    def _answer(self, item: Item, text: str, judgement: Judgement) -> Reply:
        position = self.position
        assert position is not None
        reply = Reply(position.current, verdict=judgement.verdict)
        if judgement.read_as is not None and isinstance(item.part, ExpressionPart):
            reply.say(f"read as: {judgement.read_as}", "echo")
        if judgement.verdict == "invalid":
            reply.say(judgement.feedback + " (That didn't count as a try.)", "feedback")
            self._record(reply, judgement.part, text, "invalid")
            return reply
        if position.stage_name == OPEN:
            return self._open_answer(reply, text, judgement)
        if isinstance(item.part, TrueFalsePart):
            return self._verdict(reply, item, text, judgement)
        if judgement.evidence:
            first, more = judgement.evidence[0], len(judgement.evidence) - 1
            suffix = f" (and {more} more point{'s' if more > 1 else ''})" if more else ""
            reply.say(f"simulation: {first.replace('formula', 'your formula')}{suffix}", "evidence")
        if judgement.verdict == "correct":
            if judgement.read_as:
                position.answers[position.current] = judgement.read_as
            reply.say(f"**Right.** {item.part.explanation.strip()}", "verdict")
            position.clean = position.clean and position.tries == 0 and position.hints == 0
            self._record(reply, item.id, text, "correct", advance=True)
            return reply
        position.tries += 1
        position.clean = False
        reply.say(judgement.feedback, "feedback")
        if position.tries >= MAX_TRIES_BEFORE_OFFER:
            reply.say(
                "That's three tries. Type **answer** to see the worked step, "
                "or **hint** for a nudge.",
                "info",
            )
        self._record(reply, item.id, text, "incorrect")
        return reply

    def _verdict(self, reply: Reply, item: Item, text: str, judgement: Judgement) -> Reply:
        position = self.position
        assert position is not None
        part = item.part
        assert isinstance(part, TrueFalsePart)
        truth = "true" if part.verdict else "false"
        position.right = judgement.choice == part.verdict
        position.reason = ""
        if position.right:
            reply.say(f"**Right** — the statement is {truth}.", "verdict")
        else:
            position.clean = False
            position.lost = True
            reply.say(f"**Not quite** — the statement is {truth}.", "verdict")
        reason = judgement.reason or ""
        if not reason:
            position.phase = WHY
            self._record(reply, item.id, text, judgement.verdict)
            reply.say(f"Why is it {truth}? Explain in a sentence.", "question")
            return reply
        return self._reason(reply, item, text, reason)

    def _why(self, item: Item, text: str) -> Reply:
        return self._reason(Reply(item.id), item, text, text)

    def _reason(self, reply: Reply, item: Item, text: str, reason: str) -> Reply:
        """Judge a true/false part's reason; a first one that falls short gets one more try.

        A vague or incomplete reason is asked to go on (what it said still counts);
        a wrong one is corrected and asked again, without the model answer yet.
        """
        position = self.position
        assert position is not None
        first = position.phase != WHY_AGAIN
        if not first and position.reason:
            reason = f"{position.reason}\n{reason}"
        part = item.part
        assert isinstance(part, TrueFalsePart)
        said = part.verdict == position.right  # the verdict the student gave
        reading = self.judge.rubric(item).read(reason, said)
        verdict = reason_verdict(position.right, reading)
        reply.verdict = verdict
        # an unplaced short reason is rated by the student at once; a long one that
        # misses the point is asked again first, like a wrong one
        unplaced = position.right and reading.uncertain
        if first and verdict != "correct" and not (unplaced and not reading.off_point):
            return self._ask_again(reply, item, text, reason, reading, verdict)
        self._record(reply, item.id, text, verdict)
        described = reading.describe()
        # a right reason beside a claim no pattern read: the student compares that
        # claim with the model answer and rates the whole, as Anki asks
        unchecked = verdict == "correct" and bool(reading.unchecked_claims)
        if unplaced or unchecked:
            position.cap = _cap_of(reading, verdict)
            position.phase = RATE
            reply.say(described, "feedback")
            reply.say(item.part.explanation.strip(), "explanation")
            self._ask_rating(reply)
            return reply
        if verdict != "correct":
            position.clean = False
        if reading.wrong:
            position.lost = True
        return self._close_true_false(reply, item, described)

    def _ask_again(
        self, reply: Reply, item: Item, text: str, reason: str, reading: Reading, verdict: str
    ) -> Reply:
        position = self.position
        assert position is not None
        position.clean = False
        position.phase = WHY_AGAIN
        self._record(reply, item.id, text, verdict)
        if reading.wrong or reading.off_point:
            position.reason = ""  # a wrong reason is replaced, not completed
            if reading.wrong:
                reply.say(reading.describe(), "feedback")
            else:  # not yet the model answer that describe() points to
                reply.say("I found none of the key ideas in your reason.", "feedback")
            if reading.question is None and reading.present:
                # a right reason beside a wrong claim: the part's hint would ask for
                # what the student already said
                reply.say(
                    "The rest of your reason stands: give it again without that claim.", "question"
                )
                return reply
            question = reading.question or item.part.hints[0]
            reply.say(f"{question} Try the reason again.", "question")
            return reply
        if reading.aside is not None:  # true, but it does not decide the question
            position.reason = ""
            reply.say(reading.describe(), "feedback")
            reply.say(f"{reading.question or item.part.hints[0]} Try the reason again.", "question")
            return reply
        position.reason = reason
        if reading.present:
            reply.say(reading.describe(), "feedback")
            reply.say(f"Can you complete it? {item.part.hints[0]}", "question")
        elif position.right:
            reply.say(
                f"That is the verdict, but not yet the reason. Why? {item.part.hints[0]}",
                "question",
            )
        else:  # a wrong verdict: not "the verdict", and the reason is asked for the right one
            truth = "true" if getattr(item.part, "verdict", False) else "false"
            reply.say(f"Why is it {truth}? {item.part.hints[0]}", "question")
        return reply

    def _close_true_false(self, reply: Reply, item: Item, ideas: str) -> Reply:
        if ideas:
            reply.say(ideas, "feedback")
        reply.say(item.part.explanation.strip(), "explanation")
        reply.say("Say **show me** to run the experiment behind it.", "info")
        self._advance(reply)
        return reply

    def _open_answer(self, reply: Reply, text: str, judgement: Judgement) -> Reply:
        position = self.position
        assert position is not None
        if judgement.reading is not None:
            reply.say(judgement.reading.describe(), "feedback")
            position.cap = _cap_of(judgement.reading, judgement.verdict)
        if judgement.verdict != "correct":
            position.clean = False
        unit = self._item(position.unit)
        self._record(reply, unit.id, text, judgement.verdict)
        reply.say("Let's check the ideas one step at a time.", "info")
        self._advance(reply)
        return reply

    def _rate(self, text: str) -> Reply:
        position = self.position
        assert position is not None
        reply = Reply(position.current)
        rating = _RATINGS.get(text.strip().lower())
        if rating is None:
            command = read_intent(text, False).command
            if command is Command.QUIT:
                return self.quit()
            reply.say(
                "Rate it with **again**, **hard**, **good** or **easy** (or 1–4).", "question"
            )
            return reply
        cap = _CAPS.get(position.cap or "")
        if cap is not None and rating > cap:
            reply.say(
                f"Recorded as **{cap.name.lower()}**: {_CAP_REASONS[position.cap or '']}", "info"
            )
            rating = cap
        position.cap = None
        if position.stage_name == RATE:
            self._finish_unit(reply, rating)
            return reply
        # a true/false reason the judge could not place, rated by the student
        if rating == Rating.Again:
            position.lost = True
        if rating < Rating.Good:
            position.clean = False
        self._advance(reply)
        return reply

    def _after_unit(self, text: str) -> Reply:
        command = read_intent(text, False).command
        if command is Command.QUIT:
            return self.quit()
        if command is Command.WHERE:
            return self._command(Command.WHERE)
        if command is Command.SHOW_ME:
            return self._command(Command.SHOW_ME)
        return self._begin(self.next_after(self.position.unit if self.position else None))

    # -- commands ----------------------------------------------------------------------------

    def _command(self, command: Command) -> Reply:
        position = self.position
        assert position is not None
        reply = Reply(position.current)
        stage_item = self._stage_item()
        if command is Command.QUIT:
            return self.quit()
        if command is Command.REPEAT:
            self._ask(reply)
        elif command is Command.WHERE:
            reply.say(self._where(), "info")
        elif command is Command.HINT:
            self._hint(reply, stage_item)
        elif command is Command.SHOW_ME:
            self._show_me(reply, stage_item)
        elif command is Command.WHY and position.tries == 0 and position.phase == "answer":
            # "why?" before any try: a nudge, not the worked answer
            reply.say("Try it first — here is a start.", "info")
            self._hint(reply, stage_item)
        elif command is Command.WHY:
            position.clean = False
            reply.say(stage_item.part.explanation.strip(), "explanation")
        elif command in (Command.REVEAL, Command.SKIP):
            position.clean = False
            position.lost = True
            if command is Command.REVEAL:
                reply.say(f"**The answer:** {self._answer_text(stage_item)}", "explanation")
                reply.say(stage_item.part.explanation.strip(), "explanation")
            else:
                reply.say("Skipped — we'll come back to it at the next review.", "info")
            self._record(reply, stage_item.id, f"[{command.value}]", command.value)
            self._advance(reply)
        elif command is Command.NEXT:
            reply.say("Let's finish this one first — or say **skip**.", "info")
        return reply

    def _stage_item(self) -> Item:
        """The part or step being asked — for a parameterised one, this practice's variant.

        Each practice draws fresh numbers (a student who practises twice cannot
        answer from memory); the draw is kept in the position, so a resumed
        session asks the same numbers.
        """
        position = self.position
        assert position is not None
        item = self._item(position.current)
        if not item.params:
            return item
        if position.current not in position.variants:
            position.variants[position.current] = self.variants.randrange(1_000_000_000)
        return item.with_variant(position.variants[position.current])

    def _hint(self, reply: Reply, item: Item) -> None:
        position = self.position
        assert position is not None
        hints = item.part.hints
        if position.hints < len(hints):
            position.hints += 1
            position.clean = False
            reply.say(f"Hint {position.hints} of {len(hints)}: {hints[position.hints - 1]}", "hint")
        else:
            reply.say("That was the last hint. Type **answer** to see the worked step.", "hint")

    def _show_lines(self, item: Item) -> list[str]:
        """What the simulation behind ``item`` shows, as lines of text."""
        part = item.part
        lines: list[str] = []
        if isinstance(part, TrueFalsePart | ChoicePart):
            lines.append(self.judge.finding(item).evidence)
        elif isinstance(part, ExpressionPart):
            _, agreement = self.judge.agreement(item, self.judge.reference(item))
            lines.extend(agreement[:3])
            lines.extend(self.judge.measured_line(item))
        lines.extend(self.judge.experiment(item, name).evidence for name in part.demonstrations)
        return lines

    def _show_me(self, reply: Reply, item: Item) -> None:
        lines = self._show_lines(item)
        plot = self._plot(item)
        if not lines and plot is None:
            reply.say("This question has no simulation of its own; its steps do.", "info")
            return
        shown = [f"- {_subscripts_as_math(line)}" for line in lines]
        text = "\n".join(shown) if shown or plot is None else plot.caption
        data = {"plot": dataclasses.asdict(plot)} if plot is not None else None
        reply.say("**What the simulation shows**\n" + text, "evidence", data)

    def _plot(self, item: Item) -> Plot | None:
        for candidate in (item, item.parent):
            if candidate is not None and candidate.part.picture:
                return simcache.picture(self.course.lab_course(candidate), candidate.part.picture)
        return None

    def _answer_text(self, item: Item) -> str:
        part = item.part
        if isinstance(part, TrueFalsePart):
            return "true" if part.verdict else "false"
        if isinstance(part, ChoicePart):
            return f"({part.answer}) {part.options[part.answer]}"
        if isinstance(part, ShortAnswerPart):
            return part.model_answer.strip()
        if isinstance(part, NumericPart) and item.values():
            # The question asked about numbers: the answer is a number, and its formula
            # says which number is which.
            values = item.values()
            point = {name: np.full((1, 1), value) for name, value in values.items()}
            number = float(evaluate(self.judge.reference(item), point)[0, 0])
            given = ", ".join(
                f"{GREEK_OUT.get(name, name)} = {value:g}" for name, value in values.items()
            )
            formula = self.judge.judge(item, part.answer).read_as
            return f"**{number:.4g}** — `{formula}` with {given}"
        if isinstance(part, ExpressionPart):
            return f"`{self.judge.judge(item, part.answer).read_as}`"
        return ""

    def _where(self) -> str:
        position = self.position
        assert position is not None
        overview = self.overview()
        done = sum(1 for o in overview if o["due"] is not None)
        due = sum(1 for o in overview if o["due"] is not None and o["due"] <= utcnow().isoformat())
        numbered = [s for s in position.stages if s not in (OPEN, RATE)]
        here = position.stage_name
        step = (
            f", step {numbered.index(here) + 1} of {len(numbered)}"
            if here in numbered and len(numbered) > 1
            else ""
        )
        return (
            f"You are on {self._label(position.unit)}{step}. "
            f"Practised {done} of {len(overview)} parts; {due} due for review."
        )

    def _label(self, unit_id: str) -> str:
        unit = self._item(unit_id)
        label = unit.id.removeprefix(unit.problem.id).lstrip(".")
        return f"{unit.problem.source}" + (f" ({label})" if label else "")

    # -- persistence --------------------------------------------------------------------------

    def _record(
        self,
        reply: Reply,
        part: str,
        text: str,
        verdict: str,
        advance: bool = False,
        variant: int | None = None,
    ) -> None:
        """Keep the attempt for ``_commit``; its variant is the practice's unless given."""
        if variant is None and self.position is not None:
            variant = self.position.variants.get(part)
        self._attempts.append((part, text, verdict, variant))
        if advance:
            self._advance(reply)

    def _commit(self, reply: Reply) -> Reply:
        """The turn's attempts, review and new position, all in one transaction."""
        position = self.position
        attempts, review = self._attempts, self._review
        self._attempts, self._review = [], None
        card = None
        with self.store.transaction() as conn:
            for part, text, verdict, variant in attempts:
                self.store.add_attempt(conn, part, text, verdict, seed=variant)
            if review is not None and position is not None:
                card = self.store.review(conn, position.unit, review)
            if position is not None:
                self.store.save_session(conn, "position", dataclasses.asdict(position))
            quiz = self.quiz.to_json() if self.quiz is not None else {}  # {}: none under way
            self.store.save_session(conn, "quiz", quiz)
        if card is not None and position is not None and review is not None:
            wait = (card.due - utcnow()).total_seconds()
            reply.say(
                f"That's {self._label(position.unit)} done ({review.name.lower()}). Next review "
                f"{_humanise(wait)}. Say **next** to go on.",
                "info",
            )
        return reply


_SUBSCRIPTED = re.compile(r"(?<![\w$\\])([A-Za-zα-ωΑ-Ω])(\u0303?)_(\{[^{}$]*\}|\w)")


def _subscripts_as_math(line: str) -> str:
    """An experiment's sentence with its h_{t−1} drawn as math (a subscript in the
    terminal and on the page), not as Markdown's emphasis or literal braces."""
    if "$" in line:
        return line

    def math(m: re.Match[str]) -> str:
        letter = f"\\tilde{{{m.group(1)}}}" if m.group(2) else m.group(1)  # c̃_t
        return f"${letter}_{{{m.group(3).strip('{}')}}}$"

    return _SUBSCRIPTED.sub(math, line)


def _cap_of(reading: Reading, verdict: str) -> str:
    """What limits the student's self-rating of a judged answer."""
    if reading.off_point and reading.uncertain:
        return "off point"
    if verdict == "correct" and reading.unchecked_claims:
        return "unchecked"
    return "uncertain" if reading.uncertain else verdict


# "go 7.3", "go to problem 2 (c)", "start lab11.p6.b", "problem 4": a part by its number
_GO_TO = re.compile(
    r"^(?:(?:go(?: to)?|start|open)\s+(?:problem\s+|part\s+)?|problem\s+)"
    r"(?:lab\d+\.)?p?(\d+)(?:\s*\.?\s*\(?([a-z]|\d+)\)?)?$"
)

_CAP_REASONS = {
    "incorrect": "your answer said something the model answer contradicts.",
    "partial": "your answer missed key ideas.",
    "uncertain": "I could not check your reason, so it counts at most as good.",
    "unchecked": "I did not check all of your reason, so it counts at most as good.",
    "off point": "I found none of the key ideas in your reason, so it counts at most as hard.",
}


def _humanise(seconds: float) -> str:
    if seconds < 90:
        return "in a minute"
    if seconds < 3600:
        return f"in {round(seconds / 60)} minutes"
    if seconds < 86400 * 1.5:
        return f"in {round(seconds / 3600)} hours"
    return f"in {round(seconds / 86400)} days"
