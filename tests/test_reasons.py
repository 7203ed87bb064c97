"""Free-text judging: negation, contrast, keyword lists, Vietnamese, and the rule that
the judge never says a student said what they did not say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from content.course import Course, load_course
from content.judge import Judge
from content.reasons.lint import lexicon_problem, pattern_problem, silent_alternative
from content.reasons.patterns import (
    Outcome,
    PatternError,
    compile_lexicon,
    compile_pattern,
    compile_phrases,
    outcomes,
)
from content.reasons.rubric import compile_rubric
from content.reasons.text import pieces, read, read_quoted
from content.reasons.verdicts import read_true_false
from content.schema import KeyIdea, Misconception, ShortAnswerPart, TrueFalsePart

CONCEPTS = {
    "past": ["h_{t-1}", "previous state", "old state", "past", "memory", "trạng thái cũ"],
    "forget": ["forget", "lose", "erase", "discard", "quên", "mất"],
    "candidate": ["candidate", "hhat_t"],
}
LEXICON = compile_lexicon(CONCEPTS)


def said(pattern: str, text: str) -> set[Outcome]:
    compiled = compile_pattern(pattern)
    found: set[Outcome] = set()
    for sentence in read(text):
        found |= outcomes(compiled, sentence, LEXICON)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the past state is forgotten", {Outcome.STATED}),
        ("h_{t-1} is lost", {Outcome.STATED}),
        ("hₜ₋₁ is lost", {Outcome.STATED}),
        ("the past is not forgotten", {Outcome.DENIED}),
        ("the past state isn't forgotten", {Outcome.DENIED}),
        ("the past state doesnt get lost", {Outcome.DENIED}),
        ("the past is never erased", {Outcome.DENIED}),
        ("nothing of the past is lost", {Outcome.DENIED}),
        # contrast and clauses end a negation's reach
        ("the candidate is not used, so the past is forgotten", {Outcome.STATED}),
        ("no h_{t-1} is left -> it forgets the past", {Outcome.STATED}),
        ("trạng thái cũ bị quên", {Outcome.STATED}),
        ("trạng thái cũ không bị quên", {Outcome.DENIED}),
        ("trang thai cu khong bi quen", {Outcome.DENIED}),
        ("the candidate forgets nothing", set()),  # not about the past
        # a hypothesis denies nothing
        ("if the past were not forgotten it would work", set()),
    ],
)
def test_a_claim_is_stated_or_denied_by_its_polarity(text: str, expected: set[Outcome]) -> None:
    assert said("{past} + {forget}", text) == expected


def test_a_negated_pattern_is_stated_by_a_negation_and_never_denied() -> None:
    pattern = "not remember + {past}"
    assert said(pattern, "it does not remember the past") == {Outcome.STATED}
    assert said(pattern, "the old state is never remembered") == {Outcome.STATED}
    # the opposite is said with the positive pattern ("{past} + remember"), or a misconception
    assert said(pattern, "it remembers the past very well") == set()
    assert said("attention + not tell + order", "to tell the model the order") == set()


def test_an_inequality_is_not_the_equality_denied() -> None:
    assert said("sum + 1", "the sum is way > 1") == set()
    assert said("sum + 1", "the sum is not 1") == {Outcome.DENIED}


def test_a_negation_after_the_verb_denies_it() -> None:
    assert said("{past} + not contribute", "the past contributes nothing") == {Outcome.STATED}


def test_terms_far_apart_in_a_long_sentence_do_not_make_a_claim() -> None:
    text = "the past " + " ".join(f"word{k}" for k in range(20)) + " is what you forget"
    assert said("{past} + {forget}", text) == set()


def test_a_phrase_needs_its_words_in_order_and_close() -> None:
    assert said("reset gate", "the reset gate is 0") == {Outcome.STATED}
    assert said("reset gate", "the gate reset") == set()


def test_groups_and_prefixes() -> None:
    assert said("(sum|add up) + (one|1)", "they do not add up to one") == {Outcome.DENIED}
    assert said("normali*", "nothing normalizes them") == {Outcome.DENIED}


def test_a_keyword_list_states_nothing() -> None:
    assert read("candidate, weight, reset, forget")[0].keyword_list
    assert read("candidate weight reset forget")[0].keyword_list
    assert not read("z_t≈1 so h_t≈ĥ_t")[0].keyword_list


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("true", True), ("T", True), ("yes, because", True), ("tru", True),
        ("hmm i think it's true", True), ("Đúng", True), ("đúng vậy, vì", True),
        ("Sai. Vì", False), ("sai rồi", False), ("dung, vi", True), ("not true, it", False),
        ("F: the reset gate", False), ("no — it flows", False),
        ("not really, it forgets the past", False), ("isnt true, info only goes one way", False),
        ("it isn't true: the sum", False), ("not really sure, but true because", True),
    ],
)  # fmt: skip
def test_verdicts_as_students_type_them(text: str, verdict: bool) -> None:
    parsed = read_true_false(text)
    assert parsed is not None and parsed[0] is verdict


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        # a verdict after the change of mind replaces the first one
        ("False, W x can be negative... actually no, it goes through σ. True.", True,
         "it goes through σ"),
        ("true. wait, no: false, because z is 1", False, "because z is 1"),
        ("True? — no, False. it only shrinks", False, "it only shrinks"),
        ("Sai, à nhầm, đúng vì sigmoid", True, "vì sigmoid"),
        # without one, the verdict stands and only what follows is the reason
        ("True, it could point back... but actually no, the scores are all equal", True,
         "the scores are all equal"),
        # the verdict last, as a conclusion
        ("σ(x) = 1/(1+e^{−x}) ∈ (0,1). True", True, "σ(x) = 1/(1+e^{−x}) ∈ (0,1)"),
        ("h_t ≈ h_{t−1} since z_t → 0. True.", True, "h_t ≈ h_{t−1} since z_t → 0"),
        # "no" that is not a change of mind
        ("True, actually no idea", True, "actually no idea"),
        ("true because it is not quite right", True, "because it is not quite right"),
    ],
)  # fmt: skip
def test_a_change_of_mind_is_judged_on_what_follows(text: str, verdict: bool, reason: str) -> None:
    assert read_true_false(text) == (verdict, reason)


def test_a_phrase_stays_within_its_clause() -> None:
    # "decoder [and the encoder] output": the words of a phrase do not jump a clause
    assert said("decoder output", "feed the decoder, and the encoder output is kept") == set()
    # "and" joins words as often as clauses: "W and U" is one phrase
    assert said("w u + positive", "the weights W and U are positive") == {Outcome.STATED}
    assert said("sigmoid (0 1)", "sigmoid is in (0, 1)") == {Outcome.STATED}  # math commas


def test_note_shorthand_and_english_do() -> None:
    lemmas = [
        w.lemma
        for s in read("diff heads, prev token, subj-verb, coref, feed-forward")
        for w in s.words
    ]
    assert lemmas == [
        "different",
        "head",
        "previous",
        "token",
        "subject",
        "verb",
        "coreference",
        "feedforward",
    ]
    # "do" is an auxiliary, not "do" (because) typed without diacritics
    assert said("vanish* gradient* not happen", "vanishing gradients don't happen") == {
        Outcome.STATED
    }


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("z is near 0, so the old state is copied. so true", True),
        ("nothing makes the two states equal soo false", False),
        ("the gates still read h_{t-1}, hence false", False),
        ("các cổng vẫn phụ thuộc vào h_{t-1} nên sai", False),
        ("I first thought false, but the weights sum to 1, so it's true", True),
        # hedged, or stated as the last sentence
        ("not sure but i'd say false. f_t only gates the cell path", False),
        ("σ(x) is in (0, 1) for any x. The statement is true.", True),
        ("pretty sure it's true: sigmoid outputs", True),
        ("it takes dot products of all pairs and a softmax... so I think it's true.", True),
        ("each gate is its own sigmoid, so I'd say false", False),
        ("chắc là đúng, vì softmax gần one-hot thì gradient nhỏ", True),
        ("True... no wait, actually False, clipping only shrinks big gradients.", False),
        ("k dung, doi thu tu token thi output thay doi", False),
        ("không đúng vì các gate độc lập", False),
        ("the forget gate kills the c path, but h_{t-1} is another route. So: false.", False),
        ("Y becomes P Y. So the layer is equivariant and the statement is True.", True),
        ("the gates still see h_{t-1} through U, so h_t changes => false", False),
        ("gates depend on h_{t-1} -> TRUE", True),
    ],
)
def test_a_verdict_given_as_the_conclusion_is_read(text: str, verdict: bool) -> None:
    read = read_true_false(text)
    assert read is not None and read[0] is verdict


@pytest.mark.parametrize(
    "text",
    [
        "true or false",
        "f_t is small",
        "n/a — so TRUE",
        "maybe",
        "it depends",
        "the gates are positive and the claim is",
    ],
)
def test_an_unclear_verdict_is_not_guessed(text: str) -> None:
    assert read_true_false(text) is None


RUBRIC = compile_rubric(
    [
        KeyIdea(idea="the old state gets weight 1 − z ≈ 0", patterns=["{past} + weight + 0"]),
        KeyIdea(idea="the past is forgotten", patterns=["{past} + {forget}"], required=False),
    ],
    [
        Misconception(
            patterns=["{candidate} + keep + {past}"],
            feedback="The candidate does not keep h_{t-1} when r ≈ 0.",
            question="What does r ≈ 0 do?",
        )
    ],
    [CONCEPTS],
)


def test_you_said_only_what_was_said() -> None:
    reading = RUBRIC.read("the past is not forgotten")
    assert reading.present == []
    assert reading.contradicted == ["the past is forgotten"]
    assert "You said" not in reading.describe()
    reading = RUBRIC.read("the previous state gets weight 0, so the past is forgotten")
    assert reading.present == ["the old state gets weight 1 − z ≈ 0", "the past is forgotten"]
    assert reading.sound


def test_you_said_quotes_the_students_own_words() -> None:
    """An idea's wording says more than a student who stated part of it: "You said"
    quotes the sentence typed, then names the idea it counts for."""
    text = "Honestly. The previous state gets weight 0 here, so yes: the past is forgotten."
    described = RUBRIC.read(text).describe()
    assert described.startswith(
        "You said: “The previous state gets weight 0 here, so yes: the past is forgotten.”"
        " — counted as: the old state gets weight 1 − z ≈ 0; the past is forgotten."
    )
    # markup in a quote is shown, not rendered; only a whole $…$ stays math
    described = RUBRIC.read("the past is *forgotten* $h_{t-1}$ <b> for $5").describe()
    assert "$h_{t-1}$" in described and "＄5" in described
    assert "\\*forgotten\\*" in described and "\\<b\\>" in described


def test_a_sentence_no_pattern_read_is_owned_up_to_not_checked(
    judge: Judge, course: Course
) -> None:
    """A right reason and then a claim the judge has no pattern for (here, who proposed
    the gates): the grade stands on the reason, and feedback says which sentence it did
    not check rather than let "for the right reason" stand for it."""
    item = course.item("lab11.p3.a")
    reason = "false, h_{t-1} still goes into the gates and the candidate thru U, so h_t changes."
    claim = "also Hochreiter proposed these gates with c_t in 1997"
    judged = judge.judge(item, f"{reason} {claim}")
    assert judged.verdict == "correct"
    assert "I did not check “also Hochreiter proposed these gates with c\\_t in 1997”" in (
        judged.feedback
    )
    assert judged.to_json()["unchecked"] == [claim]
    # a sentence that states an idea was checked; so was one about nothing of the part
    alone = judge.judge(item, reason + " I remember this from class.")
    assert "did not check" not in alone.feedback and "unchecked" not in alone.to_json()
    # a wrong verdict or a misconception is corrected, not owned up to
    wrong = judge.judge(item, "true, x_t = 0 so nothing changes. also c_t is reset to 0")
    assert wrong.verdict == "incorrect" and "did not check" not in wrong.feedback


def test_a_sentence_that_states_a_misconception_credits_no_idea() -> None:
    """Its words were read as the misconception: the ideas they also match were not said."""
    reading = RUBRIC.read("the candidate keeps the past, so the past is never forgotten or lost")
    assert reading.wrong and reading.present == []
    reading = RUBRIC.read("the candidate keeps h_{t-1}. Also the old state gets weight 0.")
    assert reading.wrong and reading.present == ["the old state gets weight 1 − z ≈ 0"]


def test_a_misconception_is_named_with_its_question() -> None:
    reading = RUBRIC.read("the candidate keeps the previous state")
    assert reading.wrong and reading.question == "What does r ≈ 0 do?"
    assert "does not keep" in reading.describe()


def test_a_long_reason_nothing_matches_is_uncertain_not_wrong() -> None:
    reading = RUBRIC.read("the past memory and its weight follow a dynamical system that moves on")
    assert reading.uncertain and not reading.wrong and not reading.present
    assert "could not match" in reading.describe()


def test_a_long_reason_about_the_part_with_none_of_its_ideas_misses_the_point() -> None:
    reading = RUBRIC.read(
        "the past memory and its weight follow a dynamical system that moves on "
        "whenever the candidate weight changes its sign over time"
    )
    assert reading.off_point and reading.uncertain and not reading.wrong
    assert "none of the key ideas" in reading.describe()
    short = RUBRIC.read("the past memory and its weight follow a dynamical system that moves on")
    assert short.uncertain and not short.off_point  # vague, not off the point


def test_a_sum_is_read_whole_or_one_term_at_a_time() -> None:
    assert said("n 2 + mn", "it costs O(N^2 + MN)") == {Outcome.STATED}
    assert said("n 2 + mn", "it costs O(MN + N²)") == {Outcome.STATED}
    assert said("n 2 mn", "it costs O(N^2 + MN)") == {Outcome.STATED}
    # a part of a longer sum is not the sum
    assert said("n 2 + mn", "redo all of it, O(M^2 + N^2 + MN)") == set()
    assert said("n 2 mn", "redo all of it, O(M^2 + N^2 + MN)") == set()
    # nor are the end of one term and the start of the next: "N·M + N²" is no "M N²"
    assert said("m n 2", "it costs O(N·M + N²)") == set()
    assert said("m n 2", "it costs O(M N²)") == {Outcome.STATED}
    # one term of a sum is still said by it
    assert said("z_t hhat_t", "h_t = (1 - z_t) h_{t-1} + z_t ĥ_t") == {Outcome.STATED}
    assert said("{past} + hhat_t", "h_t = (1 - z_t) h_{t-1} + z_t ĥ_t") == {Outcome.STATED}


def test_an_off_topic_reason_is_not_uncertain() -> None:
    reading = RUBRIC.read("the network behaves like a dynamical system whose trajectory moves on")
    assert not reading.uncertain and not reading.on_topic


def test_greek_names_keep_their_subscripts_and_worse_is_not_wrong() -> None:
    # Γ_u, the update gate in another course's notation (and "→ 0": it tends to 0)
    assert [w.lemma for w in read("Γ_u → 0 so s_t ≈ s_{t−1}")[0].words] == [
        "gamma_u", "approx", "0", "s_t", "approx", "s_t-1",
    ]  # fmt: skip
    # simplemma reads "worse" as "wrong", which would deny the clause before it
    assert not any(w.negated for w in read("clipping makes vanishing worse")[0].words)


def test_an_equation_is_not_read_to_the_middle_of_a_product() -> None:
    assert said("h_t eq 0", "h_t = 0·h_{t-1} + 1·tanh(W x_t)") == set()
    assert said("h_t eq 0", "so h_t = 0 here") == {Outcome.STATED}


def test_two_terms_are_not_read_from_one_word() -> None:
    lexicon = compile_lexicon({"independent": ["independent", "per entry"]})
    entries = compile_pattern("{independent} + entry")
    assert not any(outcomes(entries, s, lexicon) for s in read("the entries don't sum to 1"))
    assert any(outcomes(entries, s, lexicon) for s in read("each entry is independent"))


def test_a_lone_letter_next_to_math_is_a_symbol() -> None:
    assert [w.lemma for w in read("j = i-1")[0].words] == ["j", "eq", "i", "1"]
    assert [w.lemma for w in read("O(N^2)")[0].words] == ["o", "n", "2"]
    assert [w.lemma for w in read("i think so")[0].words] == ["think"]  # the pronoun


def test_examples_listed_are_an_answer_not_a_keyword_list() -> None:
    assert not read("examples: syntax, coreference, positional heads")[0].keyword_list
    assert read("syntax, coreference, positional heads")[0].keyword_list


def test_pattern_lint() -> None:
    assert pattern_problem("z", LEXICON) is not None  # one letter is no evidence
    assert pattern_problem("0", LEXICON) is not None
    assert pattern_problem("z + {forget}", LEXICON) is None
    assert "minus sign" in (pattern_problem("c_t + between + (-1|−1)", LEXICON) or "")
    assert pattern_problem("h_t-1 + {forget}", LEXICON) is None
    assert "unknown concept" in (pattern_problem("{nowhere} + lost", LEXICON) or "")
    with pytest.raises(PatternError):
        compile_pattern("the")  # a function word matches anything
    # words dropped as function words leave a lone letter: "o d" (meant O(d)) is "d"
    assert "reads as 'd'" in (pattern_problem("variance + (grow|o d)", LEXICON) or "")
    assert "reads as 'f'" in (pattern_problem("(f i|x y) + sum", LEXICON) or "")
    assert lexicon_problem({"cost": ["o d"]}) is not None
    # a group cannot hold brackets: "(a|o(d))" would silently read as one phrase
    assert "brackets" in (pattern_problem("(grow|o(d))", LEXICON) or "")
    # … nor '+', which separates terms: the message says to use words instead
    cut = pattern_problem("(cost*|K + 1) + negative", LEXICON) or ""
    assert "'+'" in cut and "in words" in cut
    assert lexicon_problem({"a": ["{b}"], "b": ["{a}"]}) is not None
    assert lexicon_problem({"a": ["not this"]}) is not None


# -- through the judge, on the bundled lab ---------------------------------------------


def grade(judge: Judge, part: str, text: str) -> dict[str, object]:
    return judge.judge(judge.course.item(part), text).to_json()


def test_grade_json_carries_partial_and_the_ideas(judge: Judge) -> None:
    bare = grade(judge, "lab11.p2.b", "true")
    assert bare["verdict"] == "partial"
    full = grade(judge, "lab11.p2.b", "true: with z_t ≈ 0, h_t ≈ h_{t-1}, the old state is copied")
    assert full["verdict"] == "correct"
    ideas = full["key_ideas"]
    assert isinstance(ideas, dict) and set(ideas) == {"present", "missing", "contradicted"}


def test_a_misconception_with_the_right_verdict_is_incorrect(judge: Judge) -> None:
    out = grade(judge, "lab11.p2.c", "false, because z_t ≈ 1 keeps the previous state")
    assert out["verdict"] == "incorrect"
    assert "misconception" in out


def test_a_vague_reason_is_partial(judge: Judge) -> None:
    assert grade(judge, "lab11.p2.c", "false because gates")["verdict"] == "partial"


def test_a_wrong_verdict_is_incorrect_whatever_the_reason(judge: Judge) -> None:
    out = grade(judge, "lab11.p2.c", "true: h_t ≈ ĥ_t ≈ tanh(W x_t), the past is forgotten")
    assert out["verdict"] == "incorrect"


def test_vietnamese_verdicts_are_read(judge: Judge) -> None:
    out = grade(judge, "lab11.p2.b", "Đúng, vì khi z_t ≈ 0 thì h_t ≈ h_{t-1}")
    assert out["verdict"] == "correct"


def test_vietnamese_words_are_heard_by_english_patterns() -> None:
    assert said("{past} + {forget}", "trạng thái cũ bị quên") == {Outcome.STATED}
    assert said("state + depend + input", "trạng thái chỉ phụ thuộc vào đầu vào") == {
        Outcome.STATED
    }
    # typed without diacritics too ("dau vao" is đầu vào, the input)
    assert said("state + depend + input", "trang thai chi phu thuoc dau vao") == {Outcome.STATED}
    assert said("depend + position", "ko phu thuoc vi tri") == {Outcome.DENIED}


def test_math_typed_in_ascii() -> None:
    assert said("{candidate} + weight", "h^_t gets weight 0") == {Outcome.STATED}
    assert said("n^2 + mn", "extra cost O(N² + MN)") == {Outcome.STATED}


def test_the_readme_grade_example(judge: Judge) -> None:
    out = grade(judge, "lab11.p2.c", "false, because z_t ≈ 1 keeps the previous state")
    assert out["verdict"] == "incorrect"
    assert out["read_as"] == "False — because z_t ≈ 1 keeps the previous state"
    assert str(out["misconception"]).startswith("z_t ≈ 1 does the opposite")
    assert out["key_ideas"] == {
        "present": [],
        "missing": out["key_ideas"]["missing"],  # type: ignore[index]
        "contradicted": [],
    }


def test_check_names_the_line_of_a_pattern_found_in_a_wrong_reason(tmp_path) -> None:
    import shutil

    from content import BUNDLED
    from content.course import load_course
    from content.prove import prove_item

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder)
    path = folder / "p2.yaml"
    text = path.read_text(encoding="utf-8")
    loose = '          - "{state} ({near}|{equal}) {candidate}"\n'
    taught = '["{gradient} + (vanish|explode)", "(weight*|gradient*) + not learn"]'
    assert loose in text and taught in text  # p2.c: its first key idea, a misconception
    # a pattern that also fits "the gradient vanishes", once that misconception is gone
    text = text.replace(loose, loose + '          - "{gradient} + vanish"\n', 1)
    path.write_text(text.replace(taught, '["training + stalls"]', 1))
    course = load_course(folder)
    failures = prove_item(Judge(course), course.item("lab11.p2.c")).failures
    found = [f for f in failures if "is found in the wrong reason" in f]
    assert found and all(f.startswith(f"{path}:") for f in found), failures


def test_a_bad_concept_in_lab_yaml_is_reported_at_every_load(tmp_path) -> None:
    import shutil

    from content import BUNDLED
    from content.course import load_course
    from content.errors import ContentErrors

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder)
    lab = folder / "lab.yaml"
    text = lab.read_text(encoding="utf-8")
    lab.write_text(
        text.replace("\nconcepts:\n", "\nconcepts:\n  broken: [not forgotten]\n", 1),
        encoding="utf-8",
    )
    for _ in range(2):  # a lab that failed is not cached as valid
        with pytest.raises(ContentErrors) as caught:
            load_course(folder)
        assert f"{lab}:" in str(caught.value) and "has a negation" in str(caught.value)


def _with_a_p2c_pattern(tmp_path: Path, pattern: str) -> Path:
    """A copy of the bundled lab whose P2(c) first key idea has ``pattern`` too; the
    path of the file written."""
    import shutil

    from content import BUNDLED

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder)
    path = folder / "p2.yaml"
    first = '          - "{state} ({near}|{equal}) {candidate}"\n'
    text = path.read_text(encoding="utf-8")
    assert first in text
    extra = f"          - {pattern}\n"
    path.write_text(text.replace(first, first + extra, 1), encoding="utf-8")
    return path


def test_the_loader_names_the_line_of_an_unusable_pattern(tmp_path) -> None:
    from content.course import load_course
    from content.errors import ContentErrors

    path = _with_a_p2c_pattern(tmp_path, '"z"')
    folder = path.parent
    with pytest.raises(ContentErrors) as caught:
        load_course(folder)
    assert f"{path}:" in str(caught.value) and "single letter" in str(caught.value)


def test_a_second_run_needs_no_lemma_dictionary(tmp_path) -> None:
    """Lemmas found once are remembered (best effort, under NLPDRILL_HOME): a later
    process whose words are all known never loads simplemma's dictionary."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NLPDRILL_HOME": str(tmp_path)}
    command = [sys.executable, "-X", "importtime", "-m", "nlpdrill", "grade", "lab11.p2.c",
               "false, the past state is forgotten because the reset gate removes it"]  # fmt: skip
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "simplemma" in first.stderr
    assert list((tmp_path / "cache" / "lemmas").glob("en-simplemma-*.json"))
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "simplemma" not in second.stderr
    assert second.stdout == first.stdout


def test_a_reason_for_the_wrong_verdict_is_never_told_it_said_an_idea(judge: Judge) -> None:
    """Its words argue the other way: "∂c_t/∂c_{t−1} = f_t" in a reason for "true" was
    not said as "f_t ≈ 0 cuts only the direct path"."""
    got = grade(
        judge, "lab11.p3.b", "True: dc_t/dc_{t-1} = f_t which is about 0, so no error gets back"
    )
    assert got["verdict"] == "incorrect"
    assert got["key_ideas"]["present"] == []  # type: ignore[index]
    assert "You said" not in str(got["feedback"])


_QUOTE = re.compile(r"(?:You said: |I did not check |; )“(.*?)”")


def test_every_you_said_quotes_words_of_the_answer(judge: Judge, course: Course) -> None:
    """Over every reason fixture of the lab (hundreds, written blind): what "You said"
    and "I did not check" quote is in the answer, word for word."""
    quoted = 0
    for item in course.items.values():
        if not isinstance(item.part, TrueFalsePart | ShortAnswerPart):
            continue
        fixtures = item.part.reasons
        for text in fixtures.correct + fixtures.partial + fixtures.incorrect:
            feedback = judge.judge(item, text).feedback
            typed = " ".join(text.split())
            for found in _QUOTE.findall(feedback):
                words = re.sub(r"\\(.)", r"\1", found).replace("＄", "$").removesuffix(" …")
                assert words.replace('"', "") in typed.replace("“", "").replace("”", "").replace(
                    '"', ""
                ), (item.id, text, found)
                quoted += 1
    assert quoted > 300


def test_short_items_between_commas_are_a_keyword_list_but_examples_are_not() -> None:
    assert read("order, sinusoid, sin/cos, learned embeddings, added to input")[0].keyword_list
    assert not read("examples: coreference, syntax, previous token, rare words")[0].keyword_list
    # telegraphic statements are not a list
    text = "exploding -> weights jump around, loss goes nan, training diverges, updates overshoot"
    assert not read(text)[0].keyword_list


def test_a_subscripted_function_is_the_function() -> None:
    lemmas = [w.lemma for s in read("α_ij = softmax_j(e_ij)") for w in s.words]
    assert "softmax" in lemmas


def test_an_equation_is_not_read_from_the_middle_of_a_product() -> None:
    assert said("pe pos eq pe pos 1", "so M·PE(pos) = PE(pos−1) for a fixed M") == set()
    assert said("pe pos eq pe pos 1", "here PE(pos) = PE(pos−1)") == {Outcome.STATED}


def test_a_reason_with_none_of_the_ideas_and_nothing_wrong_is_partial(judge: Judge) -> None:
    """DESIGN: incorrect needs a wrong verdict, a contradiction or a known misconception;
    an on-the-subject reason that states none of the ideas is not yet the reason."""
    got = grade(
        judge,
        "lab11.p3.c",
        "True. The LSTM was introduced by Hochreiter and Schmidhuber to fix vanishing "
        "gradients, and its gates control how information flows through the cell.",
    )
    assert got["verdict"] == "partial"
    assert got["key_ideas"]["present"] == []  # type: ignore[index]


def test_numbers_in_e_notation_and_another_courses_time_index() -> None:
    """5e-3 is read as 0.005; c<t>, a<t−1> (another course's notation) as c_t, a_t-1."""
    lemmas = [w.lemma for s in read("0.9^50 ≈ 5e-3, and c<t> ≈ c<t−1>") for w in s.words]
    assert "0.005" in lemmas and "c_t" in lemmas and "c_t-1" in lemmas


def test_two_conditions_in_a_sentence_are_two_statements() -> None:
    """ "If ρ > 1 it vanishes, and if ρ < 1 it explodes" does not say that it vanishes
    below 1: a claim is read within one condition and its consequence."""
    pattern = "(lt|below) 1 + vanish*"
    swapped = "If the eigenvalues are > 1 the gradient vanishes, and if they are < 1 it explodes."
    assert said(pattern, swapped) == set()
    assert said("(gt|above) 1 + vanish*", swapped) == {Outcome.STATED}
    for right in (
        "it vanishes if the norm is < 1, and explodes if it is > 1",
        "when the norm is below 1 it vanishes, while when above 1 it explodes",
        "if the norm is < 1 the gradient vanishes",
    ):
        assert said(pattern, right) == {Outcome.STATED}, right


def test_an_equation_is_not_read_to_the_middle_of_a_sum() -> None:
    """ "ĥ_t = tanh(W x_t + U h_{t−1})" does not say "ĥ_t = tanh(W x_t)"; but a term
    weighted 0 is no part of what is left ("h_t = 1·h_{t−1} + 0·ĥ_t"), and a zeroed term
    is a claim of its own ("h_t = 0·h_{t−1} + …")."""
    assert said("hhat_t eq tanh w x_t", "so hhat_t = tanh(W x_t + U h_{t-1})") == set()
    assert said("hhat_t eq tanh w x_t", "so hhat_t = tanh(W x_t)") == {Outcome.STATED}
    assert said("h_t eq 1 h_t-1", "h_t = 1·h_{t-1} + 0·ĥ_t") == {Outcome.STATED}
    assert said("h_t eq 0 h_t-1", "h_t = 0·h_{t-1} + 1·ĥ_t") == {Outcome.STATED}


def test_a_mixed_case_name_keeps_its_subscript() -> None:
    lemmas = [w.lemma for s in read("dC_t/dC_{t-1} = f_t, like dh_t/dh_{t-1}") for w in s.words]
    assert lemmas[:2] == ["dc_t", "dc_t-1"] and "dh_t-1" in lemmas


def test_a_misconception_can_be_wrong_only_alone_or_only_for_one_verdict() -> None:
    """``alone``: an argument from beside the point is wrong as the whole reason, a remark
    beside a key idea. ``verdict``: a reason for the right answer is a misconception only
    when given for the other verdict. ``conditional``: an implication is stated by "if"."""
    rubric = compile_rubric(
        [KeyIdea(idea="the old state gets weight 1 − z ≈ 0", patterns=["{past} + weight + 0"])],
        [
            Misconception(patterns=["gradient + vanish*"], feedback="Forward pass.", alone=True),
            Misconception(patterns=["{past} + forget*"], feedback="So: false.", verdict=True),
            Misconception(patterns=["z eq 1 + keep*"], feedback="z ≈ 0 keeps.", conditional=True),
        ],
        [CONCEPTS],
    )
    assert rubric.read("because the gradient vanishes").wrong
    assert not rubric.read("the past gets weight 0. So the gradient vanishes less.").wrong
    assert rubric.read("the past is forgotten", verdict=True).wrong
    assert not rubric.read("the past is forgotten", verdict=False).wrong
    assert rubric.read("if z = 1 it keeps the state").wrong
    plain = compile_rubric(
        [], [Misconception(patterns=["z eq 1 + keep*"], feedback="z ≈ 0 keeps.")], [CONCEPTS]
    )
    assert not plain.read("if z = 1 it keeps the state").wrong  # a supposition, by default


def test_no_symbol_of_a_formula_is_skipped() -> None:
    """ "d²" is not said by "√d σ²": a phrase reads a formula symbol by symbol."""
    assert said("grow* like d 2", "the spread grows like sqrt(d) σ^2") == set()
    assert said("grow* like d 2", "the variance grows like d^2") == {Outcome.STATED}


def test_a_square_root_is_read() -> None:
    """ "divide by √d" is not "divide by d"."""
    assert said("divid* d", "we divide the scores by √d") == set()
    assert said("divid* d", "we divide the scores by d") == {Outcome.STATED}


def test_a_spaced_dot_between_symbols_is_a_dot_product_not_a_full_stop() -> None:
    """ "e_{t,i} = h_t . h_i" is one sentence (quoted whole); "… is x . Then …" is two."""
    typed = "Take h_t as the query, score e_{t,i} = h_t . h_i against the states. Then sum."
    assert pieces(typed) == [typed.removesuffix(" Then sum."), "Then sum."]
    assert len(read(typed)) == 2
    assert pieces("The output is x . Then y.") == ["The output is x .", "Then y."]


def test_the_dots_of_an_abbreviation_do_not_end_a_sentence() -> None:
    typed = "The gradient w.r.t. the scores is tiny, e.g. for a one-hot p. Next."
    assert pieces(typed) == [typed.removesuffix(" Next."), "Next."]
    assert len(read(typed)) == 2


def test_a_one_letter_symbol_counts_only_next_to_another_term() -> None:
    """ "r" or "z" alone is no evidence: far from the pattern's other terms it is
    another remark ("…, whatever r is"); next to them it is the claim ("r ≈ 0")."""
    pattern = "(r|reset gate) + (set*|reset*) + (h_t|state) + 0"
    far = "It is the opposite setting z ≈ 0 that keeps h_t close to h_{t-1}, whatever r is."
    assert said(pattern, far) == set()
    assert said(pattern, "r ≈ 0 sets the state h_t to 0") == {Outcome.STATED}
    assert said("z + (near|approx) 0", "z is now near 0") == {Outcome.STATED}


@pytest.mark.parametrize(
    ("typed", "lemmas"),
    [
        ("σ(0) = 0,5", ["sigma", "0", "eq", "0.5"]),  # a decimal comma
        ("σ ∈ (0,1), in [0,1]", ["sigma", "0", "1", "0", "1"]),  # intervals stay
        ("chi phí là O(N^2)", ["cost", "o", "n", "2"]),  # not "only" + "phí"
        ("các cổng không âm", ["gate", "nonnegative"]),
        ("c_t va h_t cung luon ko am", ["c_t", "h_t", "always", "nonnegative"]),  # "am" is not "am"
        ("z_t gan bang 1", ["z_t", "approx", "1"]),
        ("encoder chu y toi decoder, luon", ["encoder", "attend", "decoder", "always"]),
        ("c~_t van con lon hon 0", ["ctilde_t", "still", "great", "0"]),
        ("0.99^50 ≈ .61", ["0.99", "50", "approx", "0.61"]),  # a decimal without its 0
        ("PyTorch's nn.GRU swaps them", ["pytorch", "nn", "gru", "swap"]),  # a dotted name
    ],
)
def test_numbers_and_vietnamese_words_are_read_as_meant(typed: str, lemmas: list[str]) -> None:
    assert [w.lemma for s in read(typed) for w in s.words] == lemmas


def test_a_term_that_begins_at_the_equals_sign_cuts_no_left_side() -> None:
    """ "f + (eq 0.99)" is said by "with f = 0.99": the term has no left side to cut
    from a product, unlike "PE(pos) = …" inside "M·PE(pos) = …"."""
    assert said("f + (eq 0.99)", "with f = 0.99 the cell keeps most") == {Outcome.STATED}


def test_what_is_not_the_cause_denies_no_idea(judge: Judge, course: Course) -> None:
    """ "Exploding is not the reason long-range dependencies are lost" does not deny
    that vanishing loses them: it says what is *not* the cause."""
    item = course.item("lab11.p1")
    assert isinstance(item.part, ShortAnswerPart)
    sound = item.part.reasons.correct[0]
    for remark in (
        "Exploding is not the reason long-range dependencies are lost; vanishing is.",
        "Exploding gradients are not why the model can't learn long-term dependencies.",
    ):
        judged = judge.judge(item, f"{sound} {remark}")
        assert judged.verdict == "correct", remark
    # stated, then denied outright, is still a contradiction
    denied = judge.judge(item, f"{sound} Exploding gradients do not make training unstable.")
    assert denied.verdict == "incorrect" and denied.reading and denied.reading.contradicted


def test_a_keyword_list_states_no_idea_but_its_words_can_state_a_wrong_one() -> None:
    """ "candidate, keeps, past, memory" is a list of words: it earns no idea, but it is
    still read for a misconception (a short claim such as "Cross-attention costs O(N²)."
    reads like a list)."""
    reading = RUBRIC.read("candidate, keeps, past, memory")
    assert reading.keyword_list and reading.present == []
    assert reading.wrong and reading.misconception is not None
    assert not RUBRIC.read("candidate weight reset forget").wrong


def test_a_negation_an_alternative_holds_is_spent_on_it() -> None:
    # "(independent|not care)": "doesn't care" is the alternative itself, so the order
    # that follows is not denied by it
    pattern = "sum + order + (independent|not care|not depend)"
    assert said(pattern, "the sum over j doesn't care about order") == {Outcome.STATED}
    assert said(pattern, "the weighted sum does not depend on the order") == {Outcome.STATED}
    assert said(pattern, "the sum is not independent of the order") == {Outcome.DENIED}


def test_unaccented_no_among_vietnamese_words_is_the_pronoun_not_a_negation() -> None:
    def negated(text: str) -> dict[str, bool]:
        return {w.lemma: w.negated for s in read(text) for w in s.words}

    # "vì f nhỏ nên nó bị mất thông tin", typed without diacritics: nothing is denied
    assert negated("vi f nho nen no bi mat thong tin")["mat"] is False
    # "nó không phụ thuộc vào decoder": one negation, not two
    assert negated("no khong phu thuoc vao decoder")["decoder"] is True
    assert negated("there is no gradient flowing back")["gradient"] is True


@pytest.mark.parametrize(
    "pattern",
    [
        "(like|giống) tanh",
        "{gate} + (also|too|need*) + 0",
        "(no|without|zero) bias*",
        "(gate|)",
        "(∝|approx) d",
    ],
)
def test_an_alternative_that_reads_as_nothing_is_named(pattern: str) -> None:
    # it was left out silently: the pattern said less than its author meant
    problem = silent_alternative(pattern)
    assert problem is not None
    assert "reads as nothing" in problem or "empty alternative" in problem
    assert silent_alternative("(gate|giống) tanh") is None


def test_check_fails_on_an_alternative_that_reads_as_nothing_but_the_lab_loads(tmp_path) -> None:
    from content.course import load_course
    from content.prove import prove_item

    path = _with_a_p2c_pattern(tmp_path, '"{state} (the|{near}) {candidate}"')
    course = load_course(path.parent)  # the pattern still works with its other alternatives
    failures = prove_item(Judge(course), course.item("lab11.p2.c")).failures
    found = [f for f in failures if "'the' in (the|{near}) reads as nothing" in f]
    assert found and all(f.startswith(f"{path}:") for f in found), failures


def test_rather_than_denies_the_word_after_it() -> None:
    assert said("keep + {past}", "the past state is replaced rather than kept") == {Outcome.DENIED}
    assert said("replace* + {past}", "the past state is replaced rather than kept") == {
        Outcome.STATED
    }
    # only the word after it: the rest of the clause is said
    assert said("lose* + {past}", "rather than kept, the past is lost") == {Outcome.STATED}


def test_a_gates_vietnamese_name_is_read_whole() -> None:
    # "vào" (into) alone is a function word: "cổng vào" is the input gate, not any gate
    assert [p.describe() for p in compile_phrases("cổng vào")] == ["input gate"]
    assert said("input gate", "cổng vào đóng lại") == {Outcome.STATED}
    # without diacritics "cong vao" is as often "cộng vào" (added to): not read as a gate
    assert said("input gate", "roi cong vao word embedding") == set()
    assert said("input gate", "các cổng bằng 0.5") == set()


def test_unlike_denies_only_the_word_after_it() -> None:
    pattern = "rnn + need* + positional encoding"
    assert (
        said(pattern, "(unlike an RNN, which reads in order) we need positional encoding") == set()
    )
    assert said(pattern, "an RNN needs positional encoding") == {Outcome.STATED}


def test_a_verdict_word_before_a_noun_describes_it_rather_than_judging_the_clause() -> None:
    def negated(text: str) -> dict[str, bool]:
        return {w.lemma: w.negated for s in read(text) for w in s.words}

    assert (
        negated("the loss has a small gradient when it predicts the wrong class")["small"] is False
    )
    assert negated("mô hình dự đoán sai lớp thì gradient nhỏ")["gradient"] is False
    assert negated("the sum is 1 is wrong, because")["sum"] is True
    assert negated("sum = 1 fails.")["sum"] is True


def test_a_true_remark_beside_the_point_leaves_the_reason_missing(judge: Judge) -> None:
    """``aside``: true, but it does not decide the question — partial with its feedback,
    unless a mistake is stated too; beside a key idea it is only a remark."""
    rubric = compile_rubric(
        [KeyIdea(idea="the old state gets weight 1 − z ≈ 0", patterns=["{past} + weight + 0"])],
        [
            Misconception(patterns=["sigmoid + not 0"], feedback="Suppose it is.", aside=True),
            Misconception(patterns=["{past} + survive*"], feedback="It does not survive."),
        ],
        [CONCEPTS],
    )
    beside = rubric.read("z is a sigmoid, so it is never exactly 0")
    assert not beside.wrong and not beside.sound and not beside.uncertain
    assert beside.describe().startswith("Suppose it is.")
    assert "Not yet in your answer" not in beside.describe()  # the retry is still to come
    assert rubric.read("z is a sigmoid, never 0, so the past survives").wrong
    assert rubric.read("the past gets weight 0. z is a sigmoid, never exactly 0.").sound
    out = grade(judge, "lab11.p3.b", "F. f is a sigmoid so it is never exactly 0")
    assert out["verdict"] == "partial"


def test_a_cross_mark_denies_and_a_tick_affirms() -> None:
    assert said("sum + 1", "non-negative ✓, sum to 1 ✗") == {Outcome.DENIED}
    assert said("sum + 1", "sum to 1 ✓") == {Outcome.STATED}


def test_a_special_case_is_an_example_not_a_claim() -> None:
    text = "Equality only in special cases, e.g. h_{t-1} = c_{t-1} = 0 gives h_t = 0."
    assert all(w.hypothetical for s in read(text) for w in s.words)
    assert not any(w.hypothetical for s in read("in general h_t = 0") for w in s.words)
    # a misconception is not asserted by it; the next sentence is read as usual
    assert said("h_t eq 0", text) == {Outcome.STATED}  # an idea may still be read in it
    compiled = compile_pattern("h_t eq 0")
    assert not any(outcomes(compiled, s, LEXICON, asserted=True) for s in read(text))


def test_vietnamese_near_and_equal_typed_without_diacritics() -> None:
    assert said("z_t approx 1", "z_t gan bang 1") == {Outcome.STATED}
    assert said("z_t near 1", "z_t gan 1 thi h_t gan bang h_hat_t") == {Outcome.STATED}


def test_you_said_quotes_the_sentence_that_states_the_idea_most_fully() -> None:
    rubric = compile_rubric(
        [
            KeyIdea(
                idea="the past is forgotten",
                patterns=["drop*", "{past} + lose*", "{past} + forget*"],
            )
        ],
        [],
        [CONCEPTS],
    )
    reading = rubric.read("The old term drops out. So the past is lost, forgotten.")
    assert reading.quotes["the past is forgotten"] == "So the past is lost, forgotten."


def test_a_negation_followed_only_by_an_auxiliary_denies_its_clause() -> None:
    text = "sum = 1 needs a softmax normalisation, which the gates don't have."
    negated = {w.lemma: w.negated for s in read(text) for w in s.words}
    assert negated["gate"] is True
    assert said("gate + not normalis*", "the gates are not normalised") == {Outcome.STATED}


def test_almost_no_is_an_amount_that_denies_nothing() -> None:
    pattern = "candidate + weight"
    assert said(pattern, "the candidate gets almost no weight") == set()
    assert said(pattern, "the candidate gets no weight") == {Outcome.DENIED}


def test_you_said_never_quotes_the_sentence_that_states_a_misconception() -> None:
    rubric = compile_rubric(
        [KeyIdea(idea="the past is forgotten", patterns=["{past} + lose*", "{past} + forget*"])],
        [Misconception(patterns=["{past} + survive*"], feedback="It does not survive.")],
        [CONCEPTS],
    )
    reading = rubric.read("The past is lost. Lost and forgotten, the past survives anyway.")
    assert reading.wrong
    assert reading.quotes["the past is forgotten"] == "The past is lost."


def test_a_negation_after_almost_no_is_a_denial_again() -> None:
    # "almost no" spares only the words it reaches; a later "without" denies as usual
    text = "the state gets almost no update without the candidate"
    words = {w.lemma: w for s in read(text) for w in s.words}
    assert words["update"].nearly
    assert words["candidate"].negated and not words["candidate"].nearly


def test_a_greek_letter_is_not_skipped_inside_a_phrase() -> None:
    """ "cos(ω k)" is not "cos k": the block's entries carry the pair's frequency."""
    assert said("entr* cos k", "entries cos ωk and sin ωk") == set()
    assert said("entr* cos k", "entries cos k and sin k") == {Outcome.STATED}
    assert said("cos + k", "entries cos ωk") == {Outcome.STATED}  # apart, as before
    # nor is a term of a formula: "tanh(W x_t + 0)" is not "tanh 0" (set 99)
    assert said("hhat_t eq tanh 0", "ĥ_t = tanh(W x_t + 0)") == set()
    assert said("hhat_t eq tanh 0", "ĥ_t = tanh(0)") == {Outcome.STATED}


def test_etc_before_a_capital_ends_its_sentence() -> None:
    """A claim is read within one sentence: the list that "etc." closes is not joined
    to the next sentence's words ("… residual connections etc. It can't help")."""
    text = "Vanishing needs LSTMs, residual connections etc. It can't help vanishing."
    assert pieces(text) == [
        "Vanishing needs LSTMs, residual connections etc.",
        "It can't help vanishing.",
    ]
    assert len(pieces("gates, cells etc. are sigmoids.")) == 1
    assert len(pieces("a real RNN, e.g. Elman. Then more.")) == 2
    assert pieces("The GRU (Cho et al. 2014) has two gates. Then more.") == [
        "The GRU (Cho et al. 2014) has two gates.",
        "Then more.",
    ]


def test_the_lab_s_wrong_claims_are_read_after_a_right_reason_in_any_part(judge: Judge) -> None:
    """README: a right reason followed by a claim wrong whatever the question."""
    bonus = " And with KV caching the N² term disappears."
    for part, sound in (
        ("lab11.p7.4.s1", "False: the encoder reads only the source; nothing flows back."),
        ("lab11.p3.c", "True: f, i and o are sigmoid outputs, so every entry is in (0, 1)."),
    ):
        item = judge.course.item(part)
        assert judge.judge(item, sound).verdict == "correct"
        out = judge.judge(item, sound + bonus)
        assert out.verdict == "incorrect"
        assert "but one thing you said is wrong" in out.feedback
        assert "stays O(N²k)" in out.feedback


def test_you_said_quotes_a_bracketed_aside_only_when_nothing_else_states_the_idea() -> None:
    rubric = compile_rubric(
        [KeyIdea(idea="the past is forgotten", patterns=["{past} + forget*", "{past} + lose*"])],
        [],
        [CONCEPTS],
    )
    text = "The past is forgotten. (In a GRU too the old state is lost, forgotten.)"
    assert rubric.read(text).quotes["the past is forgotten"] == "The past is forgotten."
    alone = "Nothing else here. (The old state is lost.)"
    assert rubric.read(alone).quotes["the past is forgotten"] == "(The old state is lost.)"


def test_instead_of_denies_what_follows() -> None:
    """Set 44: "z≈1 means we take the candidate instead of copying h_{t-1}" is not
    "z≈1 copies h_{t−1}"."""
    assert said("copy + {past}", "we take the candidate instead of copying h_{t-1}") == {
        Outcome.DENIED
    }
    assert said("candidate + take*", "we take the candidate instead of copying h_{t-1}") == {
        Outcome.STATED
    }


def test_at_most_and_at_least_are_bounds_not_amounts() -> None:
    """ "at most 0.005" is "≤ 0.005"; "keeps most of the gradient" bounds nothing — once
    "at" is skipped as a function word the two must not read alike."""
    assert said("(le|at most) + 0.005", "the RNN keeps at most 0.005") == {Outcome.STATED}
    assert said("(le|at most) + 0.005", "the RNN keeps ≤ 0.005") == {Outcome.STATED}
    assert said("at most + 0.005", "keeps most of it, the RNN 0.005") == set()
    assert said("(ge|at least) 0.5", "a gate is no less than 0.5") == {Outcome.STATED}
    assert said("most + gradient", "last but not least, most of the gradient") == {Outcome.STATED}


def test_wrong_in_a_when_clause_describes_it_and_denies_nothing_before() -> None:
    """ "… gives almost no gradient when the model is confidently wrong": the model is
    wrong; the claim before "when" is not denied by it."""
    text = "Cross-entropy gives almost no gradient when the model is confidently wrong."
    assert said("cross entropy + give", text) == {Outcome.STATED}
    assert said("gradient + vanish*", "That the gradient vanishes is wrong.") == {Outcome.DENIED}


def test_numbers_said_in_words_are_read_as_numbers() -> None:
    """A dictated answer ("five hundred steps", "sixty percent", "zero point nine") says
    the numbers the patterns write in digits; "one" alone stays a word (a pronoun as
    often as a number), and so does the "point" of an argument."""
    assert said(
        "0.99 + 500 + 60", "zero point nine nine after five hundred steps keeps sixty percent"
    ) == {Outcome.STATED}
    assert said("0.5", "versus point five percent") == {Outcome.STATED}
    assert said("1 0.5", "at this point one sees 0.5") == set()
    assert said("21 head*", "twenty-one heads") == {Outcome.STATED}
    assert said("1 hot", "the old one, hot") == set()


def test_no_word_is_skipped_beside_a_word_that_says_a_relation() -> None:
    """ "almost", like "≈", binds the words beside it: "the old state passes almost
    unchanged and the candidate …" does not say "state ≈ candidate"."""
    pattern = "state (approx|almost) candidate"
    assert said(pattern, "the state is almost the candidate") == {Outcome.STATED}
    assert (
        said(pattern, "the old state passes almost unchanged, the candidate barely counts") == set()
    )
    assert (
        said(pattern, "the state passes almost unchanged and the candidate barely counts") == set()
    )


def test_a_multiplication_sign_after_a_number_reads_as_times() -> None:
    """ "h× the compute", "8x the cost": a factor, which the sign alone would drop."""
    assert said("h times compute", "h heads ⇒ h× the compute of one head") == {Outcome.STATED}
    assert said("8 times cost", "8 heads cost 8x the cost") == {Outcome.STATED}
    assert said("matrix times", "the matrix x is square") == set()


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("This is exactly why Bengio invented the LSTM in 2003.", "not introduced by Bengio"),
        ("The LSTM was invented in 2003 to fix vanishing gradients.", "not from 2003"),
        ("ELMo (Peters et al., 2016) came first.", "not from 2016"),
        ("The Transformer was introduced by Vaswani et al. in 2014.", "not from 2014"),
        ("the transformer paper (vaswani et al 2016)", "not from 2016"),
        ("Schmidhuber introduced the GRU.", "not introduced by Schmidhuber"),
        ("LSTM (Hochreiter & Schmidhuber, 1997) fixed it.", None),
        ("Sutskever et al. (2014) used 4-layer LSTMs.", None),  # their year, not the LSTM's
        ("Graves & Schmidhuber (2005) trained bidirectional LSTMs.", None),
        ("Pascanu et al. (2013) clip norms, while the LSTM (1997) was made for vanishing.", None),
        ("LSTMs were popular until 2017.", None),  # a year beside a model, not its birth
        ("The Transformer (2017) replaced the LSTM (1997).", None),
        ("The LSTM was not introduced in 2003.", None),
        ("If the LSTM had been invented in 2010, seq2seq would have come sooner.", None),
        ("Cho et al. introduced the GRU in 2014.", None),
        ("ResNet (He et al., 2012) copied the cell-state highway.", "not from 2012"),
        ("Bengio, Simard and Frasconi analysed it in their 2005 paper.", "not from 2005"),
        ("GPT-2 was released in 2021.", "not from 2021"),
        ("ResNet (2015) adds identity shortcuts.", None),
        ("T5 (Raffel et al., 2019) casts every task as text to text.", None),
        # the history helper's list (session 16)
        ("GPT-1 came out in 2016.", "not from 2016"),
        ("GPT-1 (Radford et al., 2018) was already a Transformer.", None),
        ("Teacher forcing was proposed by Bengio in 2015.", "not introduced by Bengio"),
        ("Scheduled sampling (Bengio et al., 2015) feeds the model's own samples.", None),
        ("Gradient clipping was introduced by Hochreiter in 1997.", "not introduced by Hochreiter"),
        ("RoBERTa (2020) dropped next-sentence prediction.", "not from 2020"),
        ("Elman's simple recurrent network (1990) fed h back.", None),
        ("WordPiece was introduced in 2018 with BERT.", None),  # two landmarks: not read
    ],
)
def test_a_landmark_dated_or_credited_wrongly_is_a_wrong_claim(
    text: str, wrong: str | None
) -> None:
    from content.reasons.landmarks import landmark_error

    errors = [landmark_error(sentence) for sentence in read(text)]
    found = next((e for e in errors if e), None)
    assert (found is None) if wrong is None else (found is not None and wrong in found)


def test_a_right_reason_with_a_wrong_date_is_corrected(judge: Judge) -> None:
    """In any part: the field's landmarks are read beside the part's own patterns."""
    item = judge.course.item("lab11.p3.c")
    sound = "True: f, i and o are sigmoid outputs, so every entry is in (0, 1)."
    got = judge.judge(item, sound + " The GRU, proposed by Cho et al. in 2011, has two of them.")
    assert got.verdict == "incorrect" and "Cho et al., 2014" in got.feedback


def test_instead_of_denies_the_thing_or_the_action_it_names() -> None:
    """ "instead of σ they would be distributions" denies σ alone; "instead of copying
    h_{t−1}" denies the copying of h_{t−1}."""
    text = "If we used tanh instead of σ they would be proper distributions."
    assert said("tanh + distribution*", text) == {Outcome.STATED}
    [sentence] = read(text)
    assert {w.lemma for w in sentence.words if w.negated} == {"sigma"}


def test_a_when_clause_is_not_denied_with_the_clause_before_it() -> None:
    """ "the outputs don't change when the source changes": the source does change."""
    text = "The decoder's outputs don't change when the source sentence changes."
    assert said("decoder output* + not change* + source", text) == {Outcome.STATED}
    assert said("source sentence change*", text) == {Outcome.STATED}


def test_a_relation_after_and_begins_a_new_claim() -> None:
    """ "(1 − z_t) ≈ 1 on the old state and ≈ 0 weight on ĥ_t": the state is not ≈ 0."""
    text = "(1-z_t)≈1 on the old state and ≈0 weight on the candidate"
    assert said("state approx 0", text) == set()
    assert said("state approx 0", "the old state ≈ 0 now") == {Outcome.STATED}


def test_landmarks_flag_no_true_history_sentence() -> None:
    """README: 160 history sentences written blind (80 true, 80 false, some in
    Vietnamese): none of the true ones flagged, the wrong dates and inventors caught."""
    from content.reasons.landmarks import landmark_error

    path = Path(__file__).parent / "golden" / "history-sentences.yaml"
    sentences = yaml.safe_load(path.read_text(encoding="utf-8"))
    flagged = {
        item["text"]: item["truth"]
        for item in sentences
        if any(landmark_error(sentence) for sentence in read(item["text"]))
    }
    assert [text for text, true in flagged.items() if true] == []
    assert sum(1 for true in flagged.values() if not true) >= 13


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        ("**False.** Clipping only rescales large gradients.", False, "Clipping only"),
        ("**Đúng.** Ta có h_t ≈ h_{t−1}.", True, "Ta có"),
        ("Faux — euh, False. When the norm is tiny nothing happens.", False, "When the norm"),
        ("Vrai/True: self-attention is permutation-equivariant.", True, "self-attention"),
        ("Falso, porque no normaliza.", False, "porque"),
    ],
)
def test_a_verdict_in_markdown_or_said_twice_in_two_languages_is_read(
    text: str, verdict: bool, reason: str
) -> None:
    """Set 58 wrote "**False.**", set 59 "Faux/False": each is one verdict."""
    parsed = read_true_false(text)
    assert parsed is not None and parsed[0] is verdict and parsed[1].startswith(reason)


def test_two_different_verdicts_are_still_not_a_choice() -> None:
    assert read_true_false("true/false? not sure") is None
    assert read_true_false("Vrai/False: hmm") is None


def test_math_dictated_to_a_phone_is_read_as_symbols() -> None:
    """Set 61 dictated its answers: "zed t", "h t minus one", "tan h", "sigh moid"."""
    text = "if zed t is about zero then h t is basically h t minus one"
    assert said("z_t + h_t + h_t-1", text) == {Outcome.STATED}
    assert said("r_t + tanh + x_t", "with are tea near zero h hat is just tan h of W x t") == {
        Outcome.STATED
    }
    assert said("sigmoid + sqrt d", "a sigh moid, then divide by the square root of d") == {
        Outcome.STATED
    }
    assert said("h_t", "each t steps the matrix t grows") == set()


def test_a_view_the_student_reports_is_not_their_claim() -> None:
    """Set 65 argued every point: "One might say the past still sneaks in — it doesn't"."""
    text = "One might say the reset gate could still change things, but no."
    [sentence, *_] = read(text)
    assert all(w.hypothetical for w in sentence.words if w.lemma in {"reset", "gate", "change"})
    assert not any(
        w.hypothetical for w in read("The reset gate could still change things.")[0].words
    )


def test_a_library_prefix_is_not_part_of_a_product() -> None:
    """ "0.5*np.tanh(0.5) = 0.231" is right: np. is not a factor."""
    from content.reasons.arithmetic import claims

    [claim] = claims("h_t = 0.5*np.tanh(0.5) = 0.231")
    assert claim.holds and claim.typed == "0.5*np.tanh(0.5) = 0.231"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # an arrow to a number or to a closing symbol is "tends to"
        ("z_t approx 0 + h_t approx h_t-1", "z_t → 0 ⇒ h_t → h_{t−1}. The candidate is ignored."),
        # "encoder–decoder" with an en dash is one compound, in one clause
        ("bert + encoder decoder structure", "BERT also has this encoder–decoder structure."),
        # "re-computed" is "recomputed"
        ("encoder output recompute*", "the encoder outputs are re-computed after each token"),
        ("weighted average", "output = weighted avg of the h_j"),
        # a percentage below 1 is its fraction, not the number before "%"
        ("0.9 50 approx 0.005", "losing 10% per period leaves 0.9^50 ≈ 0.5%"),
        ("timestep + multiply", "grads get multiplied over many timesteps"),
        # notes' shorthand: "bc" is "because": a new clause, so "≠" no longer reaches "no softmax"
        ("not softmax normali*", "sum ≠ 1 bc there's no softmax normalization"),
        # "≈ nothing" is ≈ 0, not a negation of the clause before it
        ("rnn + bound + 0.005", "RNN bounded by 0.9^50 ≈ 5e−3 ≈ nothing"),
        # " / " between two claims ends the first one's negation
        ("unstable train*", "can't learn long-range deps / unstable training"),
        ("not learn + dependenc*", "can't learn long-range deps"),
        ("permutation equivarian*", "weighted sum over a set → perm-equivariant"),
        # "bất kể nội dung từ": regardless of the words' content, not "dùng" (use)
        ("regardless content", "score lớn nhất tại j = i − 1 bất kể nội dung từ"),
    ],
)
def test_how_students_type_is_read(pattern: str, text: str) -> None:
    assert Outcome.STATED in said(pattern, text)


def test_a_small_percentage_is_not_read_as_its_number() -> None:
    assert said("0.9 50 approx 0.5", "0.9^50 ≈ 0.5%") == set()


def test_an_arrow_to_a_consequence_is_not_tends_to() -> None:
    assert said("lambda lt 1 approx vanish*", "λ < 1 → vanishing gradients") == set()


def test_a_telegraphic_sentence_with_a_linking_verb_is_a_claim() -> None:
    """ "Exploding ones make training unstable" has no function word, but "make" relates
    its words: it is a statement, not a list of keywords."""
    (sentence,) = read("Exploding ones make training unstable.")
    assert not sentence.keyword_list
    (listed,) = read("candidate weight reset")
    assert listed.keyword_list


def test_vietnamese_it_is_typed_without_marks_is_not_a_negation() -> None:
    """ "vi no la phep cong": "no" is "nó" (it), not "no"."""
    (sentence,) = read("duong cell state vi no la phep cong")
    assert not any(w.negated for w in sentence.words)


def test_the_source_sentence_is_not_a_disclaimed_cause() -> None:
    """ "does not depend on the source" is a claim about the source sentence, read for
    misconceptions; "is not the cause" disowns."""
    rubric = compile_rubric(
        [],
        [Misconception(patterns=["decoder + not depend* + source"], feedback="It does.")],
        [CONCEPTS],
    )
    assert rubric.read("the decoder's outputs do not depend on the source").wrong


def test_a_misconception_takes_back_the_ideas_it_denies() -> None:
    """ "Normalise the scores into weights" seems to say the softmax; "each weight is its
    own sigmoid" denies it: the student is not told they said it."""
    softmax = KeyIdea(
        idea="a softmax turns the scores into weights", patterns=["(softmax|normali*) + weight*"]
    )
    sigmoids = Misconception(
        patterns=["weight* + own sigmoid"],
        feedback="The weights are a softmax of the scores: they are positive and sum to 1.",
        denies=[1],
    )
    text = "Normalise the scores into weights. Each weight is its own sigmoid."
    reading = compile_rubric([softmax], [sigmoids], [CONCEPTS]).read(text)
    assert reading.misconception is not None
    assert reading.present == [] and softmax.idea in reading.missing
    assert "You said" not in reading.describe()
    # without ``denies`` the other sentence's idea stands beside the mistake
    kept = sigmoids.model_copy(update={"denies": []})
    assert compile_rubric([softmax], [kept], [CONCEPTS]).read(text).present == [softmax.idea]


def test_the_lab_s_misconceptions_deny_what_students_contradict() -> None:
    """In the content: an answer that credits the softmax and then makes the weights
    independent sigmoids is not told it said the softmax."""
    course = load_course()
    judge = Judge(course)
    judged = judge.judge(
        course.item("lab11.p5.a"),
        "Score h_t against every earlier state, normalise the scores with a softmax, and "
        "take the weighted sum as the context. The attention weights are computed by a "
        "sigmoid of each score, so they are independent.",
    )
    assert judged.verdict == "incorrect" and judged.reading is not None
    assert not any("softmax" in idea for idea in judged.reading.present)


def test_a_verb_cause_denied_is_a_claim_not_a_disowned_cause() -> None:
    """ "… so the gates don't cause vanishing" claims something and is read for a
    misconception; "… is not the cause" disowns (see _disclaimed)."""
    rubric = compile_rubric(
        [], [Misconception(patterns=["max* 1 + x eq 0"], feedback="σ′ peaks at 1/4.")], [CONCEPTS]
    )
    assert rubric.read("σ′(x) reaches a max of 1 at x = 0, so gates don't cause vanishing.").wrong
    assert not rubric.read("A max of 1 at x = 0 is not the cause of vanishing.").wrong


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        # a peer reviewer quotes the statement back, then judges it
        ('"Clipping fixes both" — I\'d disagree, False. It rescales.', False, "It rescales."),
        ('"Fixes vanishing too"? False, clipping only shrinks.', False, "clipping only shrinks."),
        ('The claim "z_t ≈ 0 keeps the state" is right. h_t ≈ h_{t−1}.', True, "h_t ≈ h_{t−1}."),
        ("The claim is wrong: z_t ≈ 1 replaces it.", False, "z_t ≈ 1 replaces it."),
        ("Agree, true. The candidate is ignored.", True, "The candidate is ignored."),
        ("I'd disagree with my classmate here — false. There is another path.", False,
         "There is another path."),
        ("Disagree with the claim (False) — c_t still changes.", False, "c_t still changes."),
        # whose words are disagreed with is not the reason
        ('I\'d disagree with "z≈1 keeps the past". z_t ≈ 1 forgets.', False, "z_t ≈ 1 forgets."),
        ('The classmate says "f_t ≈ 0 stops all error". I\'d disagree — False. h_{t−1} carries it.',
         False, "h_{t−1} carries it."),
    ],
)  # fmt: skip
def test_a_verdict_on_a_quoted_claim_is_read(text: str, verdict: bool, reason: str) -> None:
    assert read_true_false(text) == (verdict, reason)


def test_a_quoted_claim_is_reported_not_held() -> None:
    """The student quotes a classmate's claim to rebut it: its words are a view they
    report, as after "one might say", and state no misconception; a term in quotation
    marks is the student's own word."""
    rubric = compile_rubric(
        [], [Misconception(patterns=["more head* + good"], feedback="Not always.")], [CONCEPTS]
    )
    assert not rubric.read('The classmate\'s "more heads = always better" misses the point.').wrong
    assert rubric.read("More heads are always better.").wrong
    (sentence,) = read('the "forget" gate keeps the past')
    assert not any(w.hypothetical for w in sentence.words)


def test_the_root_of_a_number_is_read_as_its_value() -> None:
    """ "std ≈ √512·σ²" is about 22.6 σ², not 512 σ²."""
    assert said("512 sigma 2", "the std is about √512·σ²") == set()
    assert Outcome.STATED in said("8 eq 8", "divide by √64 = 8")


def test_a_view_given_up_at_first_is_not_the_students_claim() -> None:
    """Set 79: "At first I thought 'true' since r_t ≈ 0 sounds like 'not resetting', but …"."""
    [sentence, *_] = read("At first I thought the reset gate keeps the past, but r ≈ 0 kills it")
    held = {w.lemma: w.hypothetical for w in sentence.words}
    assert held["keep"] and held["past"] and not held["kill"]
    [sentence, *_] = read("I initially thought it keeps the past, since r ≈ 0")
    assert all(w.hypothetical for w in sentence.words if w.lemma in {"keep", "past"})
    # the view ends with its sentence: what follows, without a "but", is held
    _, sentence = read("At first I thought the gate keeps the past. r ≈ 0 kills it")
    assert not any(w.hypothetical for w in sentence.words)
    # "I thought" alone, without "at first", is the student's own reasoning
    assert not any(
        w.hypothetical for w in read("I thought about it: the gate keeps the past")[0].words
    )


@pytest.mark.parametrize(
    ("text", "verdict", "aside"),
    [
        (
            "They are not distributions → False. (One entry could be a probability.)",
            False,
            "One entry",
        ),
        ("Attn(PX) = P·Attn(X) → True (only with no mask and no PE).", True, "no mask"),
    ],
)
def test_a_last_verdict_with_a_remark_in_brackets_after_it_is_read(
    text: str, verdict: bool, aside: str
) -> None:
    """Set 79 concluded "→ False." and then added a remark in brackets."""
    read_as = read_true_false(text)
    assert read_as is not None and read_as[0] is verdict and aside in read_as[1]


def test_a_verdict_word_ending_its_clause_after_a_qualifier_judges_it() -> None:
    """ "the sum-to-1 part fails in general, since …" denies the sum, as "… fails." does."""
    assert said("sum 1", "the sum-to-1 part fails in general, since each is a sigmoid") == {
        Outcome.DENIED
    }
    assert said("sum 1", "the sum-to-1 part holds in general") == {Outcome.STATED}


def test_a_relation_after_a_sum_is_about_the_whole_sum() -> None:
    """ "(1 − z_t) ≈ 1" does not say "z_t ≈ 1" (set 80, in Vietnamese)."""
    assert said("z_t approx 1", "z_t ≈ 0 thì (1 - z_t) ≈ 1 nên h_t ≈ h_{t-1}") == set()
    assert said("z_t approx 1", "so 1 − z_t ≈ 1") == set()
    assert said("z_t approx 1", "so z_t ≈ 1") == {Outcome.STATED}


def test_a_list_number_is_not_a_term_of_the_formula_after_it() -> None:
    """Set 76 numbered its points: "(1) z_t ≈ 1 ⇒ h_t ≈ ĥ_t" is not "(1 − z_t) ≈ 1"."""
    assert said("1 z_t", "(1) z_t ≈ 1 ⇒ h_t ≈ ĥ_t. (2) r_t ≈ 0") == set()
    assert said("z_t approx 1", "(1) z_t ≈ 1 ⇒ h_t ≈ ĥ_t") == {Outcome.STATED}
    # an interval and a function's argument are not list numbers
    assert Outcome.STATED in said("0 1", "x ∈ (0, 1) and f(1) = 2")
    assert Outcome.STATED in said("f 1 eq 2", "x ∈ (0, 1) and f(1) = 2")


def test_instead_of_a_product_denies_all_its_factors() -> None:
    """ "instead of W·tanh' every step" denies the tanh too (set 77)."""
    text = "you multiply forget gates (additive cell path) instead of W·tanh' every step"
    assert said("cell path tanh", text) == set()
    assert said("not tanh", text) == {Outcome.STATED}
    assert said("w h approx 0", "W·h ≈ 0") == {Outcome.STATED}


def test_richtig_is_a_verdict_and_a_decimal_comma_before_a_clause_comma_is_read() -> None:
    """Set 86: exchange students wrote "Richtig." and "≈ 0,61, so ~60 % is left"."""
    assert read_true_false("Richtig.") == (True, "")
    assert said("approx 0.61", "≈ 0,61, so ~60 % is left") == {Outcome.STATED}
    # a list stays a list
    assert [w.lemma for w in read("the list 1,2,3")[0].words] == ["list", "1", "2", "3"]


def test_then_after_a_copula_is_an_adverb_not_a_new_clause() -> None:
    """Set 86: "h_t is then always in (0,1)" says that h_t is always in (0, 1)."""
    assert said("h_t always 0 1", "since ĥ_t is a tanh, h_t is then always in (0,1)") == {
        Outcome.STATED
    }
    # "if …, then …" still begins the consequence
    assert [w.hypothetical for w in read("if z ≈ 0 then h_t ≈ h_{t-1}")[0].words][-1] is False


def test_a_prime_after_the_sigmoid_is_its_derivative() -> None:
    """Set 91: "σ'(0) = 0.5" is a wrong value of σ′, not the true σ(0) = 0.5."""
    lemmas = [w.lemma for w in read("σ'(0) = 0.5")[0].words]
    assert lemmas == ["sigma", "derivative", "0", "eq", "0.5"]
    assert said("sigma derivative 0 eq 0.5", "σ'(0) = 0.5") == {Outcome.STATED}
    assert said("sigma derivative 0 eq 0.5", "σ(0) = 0.5") == set()
    # an apostrophe after a word is English, and a prime after tanh stays as patterns read it
    assert [w.lemma for w in read("the students' answers")[0].words] == ["student", "answer"]
    assert "derivative" not in [w.lemma for w in read("W·tanh' every step")[0].words]


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        ("Claim: x_t = 0 ⇒ h_t = h_{t−1}. False. The gates still see h_{t−1}.", False,
         "The gates still see h_{t−1}."),
        ("The statement says a small f_t stops backprop. False. h_{t−1} still carries it.",
         False, "h_{t−1} still carries it."),
        ("Question: z_t ≈ 0 → does the state barely change? True. h_t ≈ h_{t−1}.", True,
         "h_t ≈ h_{t−1}."),
        ("I think it's asking if clipping helps both. False — it never scales up.", False,
         "it never scales up."),
    ],
)  # fmt: skip
def test_a_question_said_back_before_the_verdict_is_not_the_reason(
    text: str, verdict: bool, reason: str
) -> None:
    """Set 96: a student who first restates the question ("Claim: …", "… ?") and then
    answers it gives the verdict after the restatement; the restated claim is not the
    reason."""
    assert read_true_false(text) == (verdict, reason)
    # a first sentence that restates nothing is still read for a verdict at its end
    assert read_true_false("The GRU forgets its past. False.") is not None


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        # how sure the student is, before the verdict
        ("90% sure false. Clipping only caps the norm.", False, "Clipping only caps the norm."),
        ("Not certain, but leaning false - there's another path.", False,
         "there's another path."),
        ("I'd bet on true: the gates are sigmoids.", True, "the gates are sigmoids."),
        ("Not 100% sure, but going with false: r_t cuts U h.", False, "r_t cuts U h."),
        # a first guess reasoned past: the verdict that concludes, without the guess
        ("My gut said true at first, but working it out: false. It never scales up.", False,
         "working it out . It never scales up."),
        ("First guess false since 0.99 < 1… but over 50 steps 0.99^50 ≈ 0.6. So true - 60%.",
         True, "but over 50 steps 0.99^50 ≈ 0.6. - 60%."),
        ("Ban đầu mình nghĩ là đúng, nhưng thật ra sai vì r_t ≈ 0.", False, "vì r_t ≈ 0."),
        ("My first instinct is true. Each gate is a sigmoid.", True, "Each gate is a sigmoid."),
        # a guess the reasoning confirms keeps its grounds
        ("Gut says true and the reasoning agrees: e^{−x} > 0. So true.", True,
         "Gut says and the reasoning agrees: e^{−x} > 0. ."),
    ],
)  # fmt: skip
def test_a_stated_confidence_or_a_first_guess_is_not_the_verdict(
    text: str, verdict: bool, reason: str
) -> None:
    """Set 100: students say how sure they are ("90% sure false", "leaning true") or
    give a first guess and reason past it ("my gut said true, but working it out:
    false"); the verdict is the one they conclude with, and the guess is no reason."""
    assert read_true_false(text) == (verdict, reason)
    # a guess put in doubt and never concluded is not read; nor is "with" a filler
    assert read_true_false("My gut says true, but let me check: h_t = 0") is None
    assert read_true_false("Claim: with no PE, x") is None


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("clip if ||g|| > τ: g ← τ·g/||g||\n- vanishing: untouched\n→ verdict: F", False),
        ("z_t | ≈ 0 | gate closed\nverdict: True", True),
        ("nothing forces h_t = h_{t−1} (the U terms) → F", False),
        ("scores → P QKᵀ Pᵀ, softmax commutes\n→ verdict: True (equivariant)", True),
        ("verdict: True — they're gate values", True),
    ],
)
def test_a_verdict_as_a_list_or_table_labels_it_is_read(text: str, verdict: bool) -> None:
    """Set 103: answers written as lists and tables end with "→ verdict: F" or "→ F",
    or begin with "verdict: True"; a letter is a verdict only after such a label or an
    arrow ("the gate is σ, f." is not one)."""
    read = read_true_false(text)
    assert read is not None and read[0] is verdict
    assert read_true_false("the gate is σ, f.") is None


@pytest.mark.parametrize(
    ("text", "verdict", "reason"),
    [
        ("We agreed false: σ is applied element-wise.", False, "σ is applied element-wise."),
        ("We decided true. The state is copied.", True, "The state is copied."),
        ("Our group is split, majority says false: r_t resets it.", False, "r_t resets it."),
        ("Our majority said false, since f_t only gates the cell.", False,
         "since f_t only gates the cell."),
        ("We computed it: 0.99^50 ≈ 0.6. So yes true — the cell keeps most.", True,
         "We computed it: 0.99^50 ≈ 0.6. — the cell keeps most."),
    ],
)  # fmt: skip
def test_a_group_verdict_is_read(text: str, verdict: bool, reason: str) -> None:
    """Set 105: a study group answers together ("we agreed false", "majority says
    true") and may conclude mid-answer ("So yes true — …")."""
    assert read_true_false(text) == (verdict, reason)


def test_a_view_the_group_rejected_is_not_the_reason() -> None:
    """Set 105: "one of us thought …, but we decided …" reports a view given up."""
    [sentence] = read("one of us thought the gradient is biggest there, but it is flat")
    held = {w.lemma: w.hypothetical for w in sentence.words}
    assert held["big"] and not held["flat"]


def test_a_denied_subject_does_not_deny_what_it_leads_to() -> None:
    """Set 102: "no scaling means the variance grows with d" denies the scaling, not
    the growth."""
    [sentence] = read("no scaling means the variance grows with d")
    negated = {w.lemma: w.negated for w in sentence.words}
    assert negated["scaling"] and not negated["variance"] and not negated["grow"]
    [sentence] = read("no gradient flows back")  # without such a verb, all of it
    assert all(w.negated for w in sentence.words)


def test_a_cross_mark_after_a_denial_confirms_it() -> None:
    """Set 103: "clipping never scales up ✗" still denies the scaling up; a mark after
    a claim ("sum to 1 ✗") denies the claim."""
    [sentence] = read("vanishing: clipping never scales up ✗")
    assert {w.lemma: w.negated for w in sentence.words}["scale"]
    [sentence] = read("sum to 1 ✗")
    assert all(w.negated for w in sentence.words)


def test_a_question_states_nothing() -> None:
    """Set 96: "do encoder activations depend on the decoder? No — …" does not claim
    that they do."""
    [question, answer] = read("Does the encoder depend on the decoder? Maybe it sees the source.")
    assert all(w.hypothetical for w in question.words)
    assert not any(w.hypothetical for w in answer.words)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Does the encoder depend on the decoder? No, it sees the source.", True),
        ("But do the entries sum to 1? No: each is its own sigmoid.", True),
        ("So does the gradient vanish? Not here: f_t ≈ 1.", True),
        ("Tổng có bằng 1 không? Không, vì mỗi cổng độc lập.", True),
        ("Is the old state copied? Yes — h_t ≈ h_{t−1}.", False),
    ],
)
def test_a_question_answered_at_once_states_the_answer(text: str, negated: bool) -> None:
    """Set 99: students ask a question and answer it at once ("do the entries sum to 1?
    No: …"): a "no" denies what was asked and a "yes" states it, and "You said" quotes
    the question with its answer."""
    question, typed = read_quoted(text)[0]
    assert not any(w.hypothetical for w in question.words)
    assert all(w.negated is negated for w in question.words)
    assert typed.endswith(("No", "Not here", "Không", "Yes"))
    # a question the student leaves open, or one asked with a negation, still states nothing
    for open_question in ("Does it vanish? Maybe.", "Don't the gates sum to 1? No."):
        assert all(w.hypothetical for w in read_quoted(open_question)[0][0].words)
    assert said("not sum 1", "But do the entries sum to 1? No: each is its own.") == {
        Outcome.STATED
    }


def test_not_because_denies_the_cause_it_names() -> None:
    """Set 97: "It's not because RNNs have too many parameters" denies the parameters
    as the cause; "not because of X but because of Y" keeps Y."""
    [sentence] = read("It's not because RNNs have too many parameters.")
    assert all(w.negated for w in sentence.words)
    [sentence] = read("It vanishes not because of the weights but because of the product.")
    negated = {w.lemma: w.negated for w in sentence.words}
    assert negated["weight"] and not negated["product"] and not negated["vanish"]
