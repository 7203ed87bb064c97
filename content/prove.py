"""``nlpdrill check``: prove that a content folder's answers are right.

For every part and step: the reference answer is accepted, each listed mistake
is rejected with its own feedback, every answer fixture gets its verdict, the
simulation agrees with the reference, and each true/false verdict or choice is
the one the experiment shows. One line per part, with its evidence.
"""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from content import CODE_PACKAGES, LAB_FILE, cacheentry, parallel, simcache
from content.course import Course, Item
from content.growth import differences
from content.judge import Judge, Judgement
from content.locations import cache_dir, caching
from content.reasons.lint import part_problems, silent_alternatives, unrestated_denials
from content.schema import (
    ChoicePart,
    ComplexityPart,
    ExpressionPart,
    Lab,
    MultiPart,
    ShortAnswerPart,
    TrueFalsePart,
)
from content.yamlmarks import LazyDocument


@dataclass
class Proof:
    item: Item
    evidence: list[str] = field(default_factory=list)  # what simulations showed
    notes: list[str] = field(default_factory=list)  # what else was proven
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, message: str) -> None:
        self.failures.append(message)


@cache
def code_digest() -> str:
    """The hash of the judging code itself: a changed judge invalidates every cached proof."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    packages = (path for name in CODE_PACKAGES for path in sorted((root / name).glob("*.py")))
    for path in [*sorted(root.glob("*.py")), *packages]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def proof_key(item: Item, lab: Lab) -> str:
    domains = {name: dom.describe() for name, dom in sorted(item.domains.items())}
    # a reason is read with the lab's and the problem's concepts and the lab's wrong
    # claims: an edit to them changes what the reason fixtures prove
    reading = [lab.model_dump(include={"concepts", "misconceptions"}), item.problem.concepts]
    return simcache.key(
        code_digest(), item.course_digest, item.id, item.part.model_dump_json(), domains,
        [step.part.model_dump_json() for step in item.steps], reading,
    )  # fmt: skip


def prove_cached(judge: Judge, item: Item) -> Proof:
    """``prove_item``, or the same proof from an earlier run on identical content and code."""
    if not caching():
        return prove_item(judge, item)
    path = cache_dir("proofs") / f"{proof_key(item, judge.course.lab_course(item).lab)}.json"
    data = cacheentry.read(path)
    if isinstance(data, dict) and not data.get("failures"):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            evidence, notes = data["evidence"], data["notes"]
            if all(isinstance(line, str) for line in [*evidence, *notes]):
                return Proof(item, list(evidence), list(notes), [])
    proof = prove_item(judge, item)
    if proof.failures:  # never kept: it may be the machine's (a time limit), not the content's
        return proof
    cacheentry.write(path, {"evidence": proof.evidence, "notes": proof.notes, "failures": []})
    return proof


def prove_course(course: Course, judge: Judge | None = None) -> Iterator[Proof]:
    """Prove every part in order — parts first, each followed by its steps — in
    worker processes, each proof reported as soon as it and those before it are done."""
    items = [i for top in course.top_items() for i in (top, *top.steps)]
    with parallel.inheriting(judge=judge or Judge(course)):
        slow = {item.id for item in items if item.params}  # proven over 20 variants
        results = parallel.ordered_map(
            _prove_by_id, [item.id for item in items], first=slow.__contains__
        )
        for item, (evidence, notes, failures) in zip(items, results, strict=True):
            yield Proof(item, evidence, notes, failures)


def _prove_by_id(item_id: str) -> tuple[list[str], list[str], list[str]]:
    judge: Judge = parallel.inherited("judge")
    proof = prove_item(judge, judge.course.items[item_id])
    return proof.evidence, proof.notes, proof.failures


def prove_item(judge: Judge, item: Item) -> Proof:
    proof = Proof(item)
    try:
        _prove(judge, item, proof)
    except Exception as exc:  # a simulation is trusted code, but may still be broken
        proof.fail(f"{_where(exc)}{type(exc).__name__}: {exc}")
    return proof


def _where(exc: BaseException) -> str:
    """``simulations.py:42: `` for an error raised in the content's own code."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith("simulations.py")
    ]
    return f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""


def _prove(judge: Judge, item: Item, proof: Proof) -> None:
    part = item.part
    if isinstance(part, ExpressionPart):
        _prove_expression(judge, item, part, proof)
    elif isinstance(part, TrueFalsePart):
        finding = judge.finding(item)
        proof.evidence.append(("true" if finding.holds else "false") + ": " + finding.evidence)
        if finding.holds is None:
            proof.fail(f"simulation {part.simulate} says nothing about whether the statement holds")
        elif finding.holds != part.verdict:
            proof.fail(
                f"the content says {str(part.verdict).lower()}, but simulation {part.simulate} "
                f"shows the statement is {str(finding.holds).lower()}"
            )
    elif isinstance(part, ChoicePart):
        finding = judge.finding(item)
        proof.evidence.append(f"({finding.choice}): {finding.evidence}")
        if finding.choice != part.answer:
            proof.fail(
                f"the content's answer is ({part.answer}), but simulation {part.simulate} "
                f"supports ({finding.choice})"
            )
    elif isinstance(part, MultiPart):
        proof.evidence.append(f"{len(part.steps)} answers in one line, each judged by its step")
    elif isinstance(part, ShortAnswerPart):
        model = judge.judge(item, part.model_answer)
        proof.notes.append(f"model answer covers {len(part.key_ideas)} key ideas")
        if model.verdict != "correct":
            proof.fail(f"the model answer misses key ideas: {model.feedback}")
        if not part.demonstrations:
            proof.fail(
                "no simulation backs this answer: name the experiments that show its key "
                "ideas in `demonstrations`"
            )
    for name in part.demonstrations:
        finding = judge.experiment(item, name)
        proof.evidence.append(finding.evidence)
        if finding.holds is not True:
            proof.fail(f"demonstration {name} does not hold: {finding.evidence}")
    _prove_fixtures(judge, item, proof)


MEASURED_TOLERANCE = 0.15  # small sizes: lower-order terms still show


def _prove_complexity(judge: Judge, item: Item, proof: Proof) -> None:
    measured = judge.measured(item)
    if measured is None:
        proof.fail("a complexity part needs an operation counter in `simulate`")
        return
    want = judge.growth(item)
    proof.evidence.extend(judge.measured_line(item))
    for subset in differences(measured, want, MEASURED_TOLERANCE):
        names = "·".join(subset)
        proof.fail(
            f"the reference grows with exponent {want[subset]:.2f} in {names}, but the operation "
            f"count grows with {measured[subset]:.2f}"
        )


def _prove_expression(judge: Judge, item: Item, part: ExpressionPart, proof: Proof) -> None:
    own = judge.judge(item, part.answer)
    if own.verdict != "correct":
        proof.fail(f"the reference answer {part.answer!r} is not accepted: {own.feedback}")
    if isinstance(part, ComplexityPart):
        _prove_complexity(judge, item, proof)
        _prove_mistakes(judge, item, part, proof)
        return
    if item.params:
        _prove_variants(judge, item, proof)
        _prove_mistakes(judge, item, part, proof)
        return
    agrees, lines = judge.agreement(item, judge.reference(item))
    if part.simulate is not None:
        name = part.simulate.function
        more = f" (and {len(lines) - 1} more points)" if len(lines) > 1 else ""
        proof.evidence.append(lines[0] + more)
        proof.notes.append(f"simulation {name}")
        if not agrees:
            slip = judge.likely_slip(item, judge.reference(item))
            proof.fail(
                f"{_at(item, 'answer')}the reference answer {part.answer!r} disagrees with "
                f"simulation {name}{f' — {slip}' if slip else ''}: {_disagreements(lines)}"
            )
    else:
        proof.notes.append("no simulation")
    _prove_mistakes(judge, item, part, proof)


VARIANTS_PROVEN = 20


def _disagreements(lines: list[str]) -> str:
    """The evidence lines where the formula and the simulation part ways."""
    return "; ".join(line for line in lines if "off by" in line or "differs" in line)


def _prove_variants(judge: Judge, item: Item, proof: Proof) -> None:
    """A parameterised part: its reference against the simulation in 20 variants."""
    part = item.part
    assert isinstance(part, ExpressionPart)
    if part.simulate is None:
        proof.fail("a parameterised part needs a simulation to prove its variants")
        return
    # The deck's own variant first: its line is the evidence a card shows, next to
    # the very numbers that card asks about.
    seeds = [item.default_variant, *range(VARIANTS_PROVEN)]
    shown = ""
    for seed in seeds:
        variant = item.with_variant(seed)
        agrees, lines = judge.agreement(variant, judge.reference(variant))
        shown = shown or lines[0]
        if not agrees:
            slip = judge.likely_slip(variant, judge.reference(variant))
            proof.fail(
                f"{_at(item, 'answer')}variant {seed} of the reference answer {part.answer!r} "
                f"disagrees with simulation {part.simulate.function}"
                f"{f' — {slip}' if slip else ''}: " + _disagreements(lines)
            )
    proof.evidence.append(f"{shown} (and {VARIANTS_PROVEN} more variants agree)")
    proof.notes.append(f"simulation {part.simulate.function}")


def _prove_mistakes(judge: Judge, item: Item, part: ExpressionPart, proof: Proof) -> None:
    for index, mistake in enumerate(part.mistakes):
        verdict = judge.judge(item, mistake.answer)
        if verdict.verdict != "incorrect":
            proof.fail(f"listed mistake {mistake.answer!r} is judged {verdict.verdict}")
        elif verdict.mistake != index:
            proof.fail(f"listed mistake {mistake.answer!r} does not get its own feedback")
    if part.mistakes:
        proof.notes.append(f"{len(part.mistakes)} mistakes rejected")
    for want, listed in (("correct", part.accepted), ("partial", part.partial)):
        for other in listed:
            verdict = judge.judge(item, other.answer)
            if verdict.verdict == want and verdict.feedback != other.feedback and want == "correct":
                # its value is the reference's: it is simply correct, and never gets its note
                proof.fail(
                    f"accepted answer {other.answer!r} has the reference's value, so it is "
                    "judged plainly correct and its feedback is never shown: list it under "
                    "fixtures.correct (accepted: is for another value you also accept)"
                )
            elif verdict.verdict != want or verdict.feedback != other.feedback:
                proof.fail(f"the {want} answer {other.answer!r} is judged {verdict.verdict}")


def _prove_fixtures(judge: Judge, item: Item, proof: Proof) -> None:
    fixtures = item.part.fixtures
    for want, answers in (
        ("correct", fixtures.correct),
        ("incorrect", fixtures.incorrect),
        ("invalid", fixtures.invalid),
    ):
        for index, answer in enumerate(answers):
            got = judge.judge(item, answer)
            if not fixture_holds(item, want, got.verdict):
                proof.fail(
                    f"{_at(item, 'fixtures', want, index)}fixture {answer!r} should be {want} "
                    f"but is {got.verdict}: {got.feedback}"
                )
    if isinstance(item.part, TrueFalsePart | ShortAnswerPart):
        _prove_reasons(judge, item, item.part, proof)


def _at(item: Item, *path: str | int) -> str:
    """``p2.yaml:41:9: ``: where in its file a field of ``item`` is, for its author."""
    try:
        mark = LazyDocument(item.file.read_text(encoding="utf-8")).mark((*item.yaml_path, *path))
    except (OSError, UnicodeDecodeError):
        return ""
    return f"{item.file}:{mark.line}:{mark.col}: "


def _lab_claim_at(judge: Judge, item: Item, got: Judgement) -> str:
    """`` (the wrong claim at lab.yaml:12:5 matched it)`` when one of the lab's wrong
    claims, not the part's own misconception, judged a fixture: the author looks there."""
    wrong = got.reading.misconception if got.reading is not None else None
    if wrong is None or wrong.claim is None:
        return ""
    path = judge.course.lab_course(item).folder / LAB_FILE
    try:
        mark = LazyDocument(path.read_text(encoding="utf-8")).mark(("misconceptions", wrong.claim))
    except (OSError, UnicodeDecodeError):
        return " (a wrong claim of lab.yaml matched it)"
    return f" (the wrong claim at {path}:{mark.line}:{mark.col} matched it)"


def _pattern_at(item: Item, part: TrueFalsePart | ShortAnswerPart, source: str) -> str:
    for i, idea in enumerate(part.key_ideas):
        if source in idea.patterns:
            return _at(item, "key_ideas", i, "patterns", idea.patterns.index(source))
    return ""


def fixture_holds(item: Item, want: str, got: str) -> bool:
    """Answer fixtures of a part answered in words test its verdict, not its reason:
    a true/false fixture is "correct" when the verdict is right (the reason may be
    partial), and a short answer's "incorrect" when it is not accepted in full."""
    if isinstance(item.part, TrueFalsePart) and want == "correct":
        return got in ("correct", "partial")
    if isinstance(item.part, ShortAnswerPart) and want == "incorrect":
        return got in ("incorrect", "partial")
    return got == want


def _prove_reasons(
    judge: Judge, item: Item, part: TrueFalsePart | ShortAnswerPart, proof: Proof
) -> None:
    """Every reason fixture gets its grade; no pattern of an idea is found in a wrong reason
    unless that reason is wrong for a stated reason (a contradiction or a misconception)."""
    for where, problem in part_problems(part, judge.rubric(item).lexicon):
        proof.fail(f"{_at(item, *where)}{problem}")
    for where, problem in silent_alternatives(part):
        proof.fail(f"{_at(item, *where)}{problem}")
    for where, problem in unrestated_denials(part, judge.rubric(item)):
        proof.fail(f"{_at(item, *where)}{problem}")
    if isinstance(part, TrueFalsePart) and part.model_reason:
        verdict = "true" if part.verdict else "false"
        got = judge.judge(item, f"{verdict}, {part.model_reason}")
        if got.verdict != "correct":
            which = ""
            if got.reading is not None and got.reading.misconception is not None:
                patterns = [p.source for p in got.reading.misconception.patterns]
                which = f" (a misconception, one of its patterns {patterns}, matched it)"
            proof.fail(f"the model reason is judged {got.verdict}{which}: {got.feedback}")
    reasons = part.reasons
    counts = []
    for want, texts in (
        ("correct", reasons.correct),
        ("partial", reasons.partial),
        ("incorrect", reasons.incorrect),
    ):
        counts.append(f"{len(texts)} {want}")
        for k, text in enumerate(texts):
            got = judge.judge(item, text)
            if got.verdict != want:
                proof.fail(
                    f"{_at(item, 'reasons', want, k)}reason {text!r} should be {want} but is "
                    f"{got.verdict}{_lab_claim_at(judge, item, got)}: {got.feedback}"
                )
            # a wrong reason that contradicts nothing, with the right verdict (a wrong
            # verdict is wrong whatever its reason states): which pattern let it through?
            judged_by_reason = isinstance(part, ShortAnswerPart) or got.choice == part.verdict
            if want == "incorrect" and judged_by_reason and got.reading and not got.reading.wrong:
                for pattern in (p for found in got.reading.evidence.values() for p in found):
                    proof.fail(
                        f"{_pattern_at(item, part, pattern)}pattern {pattern!r} is found in the "
                        f"wrong reason {text!r}, which contradicts nothing: narrow the pattern, "
                        "or add the misconception"
                    )
    if any(reasons.model_dump().values()):
        proof.notes.append("reasons: " + ", ".join(counts))
