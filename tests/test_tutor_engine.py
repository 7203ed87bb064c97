"""Scripted conversations with the tutor engine, for every kind of part."""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from content.course import Course
from tests.conversation import GOLDEN, transcript_of
from tutor.engine import Engine
from tutor.intents import Command, read_intent
from tutor.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "progress.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def engine(course: Course, store: Store) -> Engine:
    return Engine(course, store, variants=random.Random(0))  # the same numbers every run


def check_golden(name: str, text: str) -> None:
    """Compare with the transcript a person has read; NLPDRILL_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("NLPDRILL_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_walk_through_the_p2a_derivation(engine: Engine) -> None:
    script = [
        "hint",
        "1/(1+exp(-x))",  # the classic slip: that is σ(x)
        "1/(1+e^x)",
        "exp(-x)/(1+exp(-x))",
        "1/(exp(x)+1)",
        "sigmoid(-a)",  # the numeric step, answered with its formula
        "sigma(-x)",  # right value, wrong form
        "1 - sigma(x)",
    ]
    text, replies = transcript_of(engine, "lab11.p2.a", script)
    verdicts = [r.verdict for r in replies[1:]]
    assert verdicts == [
        None,
        "incorrect",
        "correct",
        "correct",
        "correct",
        "correct",
        "incorrect",
        "correct",
    ]
    assert [r.part for r in replies] == [
        "lab11.p2.a.s1", "lab11.p2.a.s1", "lab11.p2.a.s1", "lab11.p2.a.s2",
        "lab11.p2.a.s3", "lab11.p2.a.s4", "lab11.p2.a", "lab11.p2.a", "lab11.p2.a",
    ]  # fmt: skip
    assert "Step 2 of 5" in text and "read as: 1/(1 + e^x)" in text
    assert "That is σ(x) itself" in text
    assert "in terms of σ(x)" in text
    assert "done (hard)" in text  # a hint and a slip: right in the end, but not clean
    check_golden("p2a_derivation", text)


@pytest.mark.parametrize(
    ("part", "verdict", "reason"),
    [
        (
            "lab11.p3.a",
            "false",
            "the gates still depend on h_{t-1} through the U matrices, so h_t changes",
        ),
        ("lab11.p3.b", "false", "the gradient still flows through h_{t-1} via the other gates"),
        ("lab11.p3.c", "true", "they are sigmoid outputs, between 0 and 1"),
        ("lab11.p3.d", "false", "each entry is an independent sigmoid so the sum is not 1"),
    ],
)
def test_every_true_false_of_problem_3(
    engine: Engine, part: str, verdict: str, reason: str
) -> None:
    text, replies = transcript_of(engine, part, [verdict, reason, "show me"])
    assert replies[1].verdict == "partial"  # the right verdict, its reason still to come
    assert replies[2].verdict == "correct"
    assert "Why is it" in text
    assert "You said:" in text
    assert "What the simulation shows" in text
    check_golden(f"{part.replace('.', '_')}_true_false", text)


def test_true_false_with_reason_in_one_line_and_a_wrong_verdict(engine: Engine) -> None:
    text, replies = transcript_of(
        engine, "lab11.p2.c", ["true, because the reset gate keeps memory", "it keeps the past"]
    )
    assert replies[1].verdict == "incorrect"
    assert "Not quite" in text
    # a misconception gets its correction and one guiding question, not the model answer yet
    first = "\n".join(m.text for m in replies[1].messages)
    assert "r_t ≈ 0 is the reset gate *acting*" in first
    assert "Try the reason again" in first
    assert not any(m.kind == "explanation" for m in replies[1].messages)
    assert "done (again)" in text


def test_a_vague_reason_gets_one_more_why_then_counts_as_partial(engine: Engine) -> None:
    text, replies = transcript_of(
        engine, "lab11.p2.c", ["false because of the gates", "it just works like that"]
    )
    assert replies[1].verdict == "partial"
    assert "not yet the reason" in "\n".join(m.text for m in replies[1].messages)
    assert replies[2].verdict == "partial"
    assert any(m.kind == "explanation" for m in replies[2].messages)
    assert "done (hard)" in text


@pytest.mark.parametrize("text", ["idk", "I don't know", "no idea", "không biết", "ko biet"])
def test_i_dont_know_asks_for_help(engine: Engine, text: str) -> None:
    _, replies = transcript_of(engine, "lab11.p2.c", ["false", text])
    assert replies[2].verdict is None
    assert any(m.kind == "hint" for m in replies[2].messages)


def test_an_incomplete_reason_is_completed_on_the_second_try(engine: Engine) -> None:
    script = ["false, z_t ≈ 1 so h_t ≈ ĥ_t", "and r_t ≈ 0 removes h_{t-1} from the candidate"]
    text, replies = transcript_of(engine, "lab11.p2.c", script)
    assert replies[1].verdict == "partial"
    assert "Can you complete it?" in text
    assert replies[2].verdict == "correct"
    assert "done (hard)" in text  # a second try is not a clean first answer


def test_hint_ladder_and_offer_after_three_misses(engine: Engine) -> None:
    _, replies = transcript_of(
        engine, "lab11.p6.b", ["hint", "hint", "hint", "hint", "d", "d^2", "d sigma"]
    )
    hints = [m.text for r in replies[1:5] for m in r.messages if m.kind == "hint"]
    assert hints[0].startswith("Hint 1 of 3") and hints[2].startswith("Hint 3 of 3")
    assert "last hint" in hints[3]
    assert any("three tries" in m.text for m in replies[-1].messages)


def test_known_mistake_feedback_and_live_evidence(engine: Engine) -> None:
    _, replies = transcript_of(engine, "lab11.p6.b", ["d sigma^4"])
    texts = [m.text for m in replies[1].messages]
    assert any("μ = 0" in t for t in texts)
    assert any(
        t.startswith("simulation: ") and "simulated" in t and "your formula" in t for t in texts
    )


def test_invalid_input_costs_no_try(engine: Engine) -> None:
    _, replies = transcript_of(engine, "lab11.p6.a", ["mu^^", "mu^T mu"])
    assert replies[1].verdict == "invalid"
    assert "didn't count" in replies[1].messages[-1].text
    assert "done (good)" in replies[2].messages[-1].text


def test_short_answer_with_scaffold_and_self_rating(engine: Engine) -> None:
    script = [
        "Because backprop multiplies many Jacobians, the gradient shrinks exponentially.",
        "0.9^50",
        "rho^n",
        "b",
        "false, clipping only scales down large gradients",
        "rho^n",
        "good",
    ]
    text, _ = transcript_of(engine, "lab11.p1", script)
    assert "Not yet in your answer" in text
    assert "Model answer" in text
    assert "How well did you know it?" in text
    # the open answer had some of the ideas: a self-rating of "good" is capped at hard
    assert "Recorded as **hard**" in text
    assert "done (hard)" in text
    check_golden("p1_short_answer", text)


def test_complexity_and_multipart(engine: Engine) -> None:
    _, replies = transcript_of(engine, "lab11.p7.3", ["O(M^2)", "O(M^2 k)", "M N k", "N^2 k"])
    assert [r.verdict for r in replies[1:]] == ["incorrect", "correct", "correct", "correct"]
    assert any("hidden size" in m.text for m in replies[1].messages)


def test_commands_skip_reveal_where_repeat(engine: Engine) -> None:
    _, replies = transcript_of(
        engine, "lab11.p4.a", ["repeat", "where am i", "answer", "skip", "quit"]
    )
    assert "Step 1 of 8" in replies[1].messages[-1].text
    assert "step 1 of 8" in replies[2].messages[0].text
    assert (
        "The answer" in replies[3].messages[0].text and "diag(f_t)" in replies[3].messages[0].text
    )
    assert replies[4].part == "lab11.p4.a.s3"
    assert replies[5].done


@pytest.mark.parametrize(
    ("text", "readable", "command"),
    [
        ("hint", True, Command.HINT),
        ("HINT", False, Command.HINT),
        ("hnit", False, Command.HINT),
        ("shwo me", False, Command.SHOW_ME),
        ("Where am I?", False, Command.WHERE),
        ("t", True, None),  # a true/false answer, never a command
        ("f", True, None),
        ("hnit", True, None),  # readable as an answer: an answer
        ("answer", True, Command.REVEAL),
    ],
)
def test_intents(text: str, readable: bool, command: Command | None) -> None:
    assert read_intent(text, readable).command is command


def test_quit_and_resume_at_the_same_step(course: Course, store: Store) -> None:
    first = Engine(course, store)
    first.start("lab11.p4.a")
    first.say("diag(f_t)")
    first.say("diag(i_t)")
    again = Engine(course, store)
    reply = again.start()
    assert reply.part == "lab11.p4.a.s3"
    assert reply.messages[0].text.startswith("Welcome back — we were on Problem 4")
    assert reply.messages[1].text.startswith("**The question.** Denote the final cost")
    assert "Step 3 of 8" in reply.messages[-1].text
    assert [a.verdict for a in store.attempts("lab11.p4.a")] == ["correct", "correct"]


def test_start_without_a_part_picks_the_next_due(course: Course, store: Store) -> None:
    engine = Engine(course, store)
    assert engine.start().part == "lab11.p1"  # nothing practised yet: the sheet's order
    engine.start("lab11.p6.a")
    engine.say("mu^T mu")
    engine.say("next")
    assert store.card("lab11.p6.a") is not None
    assert engine.next_due() == "lab11.p1"


def test_a_reason_the_judge_cannot_place_is_rated_by_the_student_at_most_good(
    engine: Engine,
) -> None:
    reason = "false, the memory of the gru depends on how the gates interact with the candidate"
    text, _ = transcript_of(engine, "lab11.p2.c", [reason + " over many steps", "easy"])
    assert "could not match your reason" in text
    assert "How well did you know it?" in text
    assert "Recorded as **good**" in text
    assert "done (good)" in text


def test_a_right_reason_beside_a_claim_nobody_checked_is_rated_by_the_student(
    engine: Engine,
) -> None:
    """The judge vouches only for what it read: the claim it did not check is shown, the
    student compares it with the model answer and rates the whole, at most good."""
    reason = "false, h_{t-1} still goes into the gates and the candidate thru U, so h_t changes."
    text, replies = transcript_of(
        engine, "lab11.p3.a", [reason + " also Hochreiter proposed these gates in 1997", "easy"]
    )
    assert replies[1].verdict == "correct"
    assert "I did not check “also Hochreiter proposed these gates in 1997”" in text
    assert "How well did you know it?" in text
    assert "Recorded as **good**" in text and "done (good)" in text
    # a reason with nothing unchecked is not asked for a rating
    text, _ = transcript_of(
        engine,
        "lab11.p3.b",
        [
            "false, only the cell path is cut; the error still flows through h_{t-1}, "
            "which feeds every gate via U"
        ],
    )
    assert "How well did you know it?" not in text


def test_a_right_reason_beside_a_wrong_claim_is_asked_again_without_the_claim(
    engine: Engine, course: Course
) -> None:
    """The claim is corrected; the part's hint would ask for what was already said."""
    reason = "**True.** f, i and o are sigmoid outputs, so every entry is in (0, 1)."
    _, replies = transcript_of(
        engine, "lab11.p3.c", [reason + " The GRU, proposed by Cho et al. in 2011, has two."]
    )
    said = "\n".join(m.text for m in replies[1].messages)
    assert replies[1].verdict == "incorrect"
    assert "Cho et al., 2014" in said and "You said" in said
    assert "give it again without that claim" in said
    assert course.item("lab11.p3.c").part.hints[0] not in said


def test_a_long_reason_that_misses_the_point_is_asked_again_then_rated_at_most_hard(
    engine: Engine,
) -> None:
    reason = (
        "false, since the update gate and the reset gate are sigmoid outputs they are learned "
        "during training, so how well the memory works depends on the data and the learning rate"
    )
    text, replies = transcript_of(engine, "lab11.p2.c", [reason, reason, "easy"])
    # it states none of the ideas but contradicts none: not yet the reason (DESIGN)
    assert replies[1].verdict == "partial"
    first = "\n".join(m.text for m in replies[1].messages)
    assert "none of the key ideas" in first and "Try the reason again" in first
    assert not any(m.kind == "explanation" for m in replies[1].messages)
    assert any(m.kind == "explanation" for m in replies[2].messages)
    assert "Recorded as **hard**" in text
    assert "done (hard)" in text


def test_why_before_any_try_gives_a_hint_and_after_a_miss_the_explanation(engine: Engine) -> None:
    _, replies = transcript_of(engine, "lab11.p6.b", ["why", "d", "why"])
    first = replies[1].messages
    assert any(m.kind == "hint" for m in first)
    assert not any(m.kind == "explanation" for m in first)
    assert any(m.kind == "explanation" for m in replies[3].messages)


def test_the_tutor_says_how_an_ambiguous_question_is_read(engine: Engine) -> None:
    reply = engine.start("lab11.p6.c")
    text = "\n".join(m.text for m in reply.messages)
    assert "How this question is read" in text and "unit variance" in text


def test_a_wrong_verdict_is_not_called_the_verdict(engine: Engine) -> None:
    _, replies = transcript_of(
        engine, "lab11.p3.a", ["true, they are sigmoid outputs so never negative"]
    )
    text = "\n".join(m.text for m in replies[1].messages)
    assert "Not quite" in text and "That is the verdict" not in text
    assert "Why is it false?" in text


@pytest.mark.parametrize(
    ("text", "part"),
    [("go 7.3", "lab11.p7.3"), ("go to problem 2 (c)", "lab11.p2.c"), ("problem 6", "lab11.p6.a"),
     ("start lab11.p6.b", "lab11.p6.b"), ("open 4b", "lab11.p4.b")],
)  # fmt: skip
def test_any_part_can_be_chosen_by_name(engine: Engine, text: str, part: str) -> None:
    engine.start("lab11.p1")
    reply = engine.say(text)
    assert engine.position is not None and engine.position.unit == part, reply.messages


def test_a_wrong_answer_cannot_be_rated_easy(engine: Engine) -> None:
    script = [
        "Vanishing gradients happen because the learning rate is too small.",
        "0.9^50",
        "rho^n",
        "b",
        "false, clipping only scales down large gradients",
        "rho^n",
        "easy",
    ]
    text, _ = transcript_of(engine, "lab11.p1", script)
    assert "Recorded as **again**" in text and "done (again)" in text


def test_state_after_a_finished_derivation_names_its_last_step(engine: Engine) -> None:
    script = ["1/(1+exp(x))", "exp(-x)/(1+exp(-x))", "1/(exp(x)+1)", "sigmoid(-a)", "1 - sigma(x)"]
    transcript_of(engine, "lab11.p2.a", script)
    for rating in ("good", "3", "easy"):
        state = engine.state()
        assert state["step"] <= state["steps"], state
        engine.say(rating)
    state = engine.state()
    assert 1 <= state["step"] <= state["steps"], state


def test_the_answer_to_a_question_about_numbers_is_a_number(engine: Engine) -> None:
    """Revealing a parameterised numeric step gives its number, and says which symbol
    of the formula is which number of the question."""
    reply = engine.start("lab11.p1")
    for _ in range(5):  # the question and steps 1–4 revealed: step 5 is asked
        reply = engine.say("answer")
    assert engine.position is not None and engine.position.current == "lab11.p1.s5"
    asked = reply.messages[-1].text
    reply = engine.say("answer")
    shown = next(m.text for m in reply.messages if m.text.startswith("**The answer:**"))
    number = re.search(r"\*\*The answer:\*\* \*\*([-0-9.e]+)\*\*", shown)
    assert number is not None, shown
    rho = re.search(r"\\rho = ([0-9.]+)", asked)
    steps = re.search(r"after (\d+) steps", asked)
    assert rho and steps, asked
    expected = float(rho.group(1)) ** int(steps.group(1))
    assert abs(float(number.group(1)) - expected) <= 1e-3 * abs(expected), (shown, expected)
    assert f"ρ = {rho.group(1)}" in shown and f"n = {steps.group(1)}" in shown


def test_a_true_remark_beside_the_point_is_corrected_and_asked_again(engine: Engine) -> None:
    _, replies = transcript_of(
        engine, "lab11.p3.b", ["false, f is a sigmoid so it is never exactly 0", "it just is"]
    )
    assert replies[1].verdict == "partial"  # nothing wrong was said; the reason is missing
    first = "\n".join(m.text for m in replies[1].messages)
    assert "supposes f_t is very small" in first
    assert "Try the reason again" in first
    assert not any(m.kind == "explanation" for m in replies[1].messages)
