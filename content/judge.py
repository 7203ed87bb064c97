"""Judge one answer to one part: the single path shared by ``grade``, ``check`` and the tutor.

Formulas are compared the way Numbas and WeBWorK do it: evaluated at random
points of the declared domains, never simplified symbolically. Where a
simulation defines the quantity, the student's formula is also set against the
simulated value, and that comparison is shown as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from content import simcache
from content.course import Course, Item
from content.domains import SCALAR, Domain, Point, Shape, parse_domain, resolve, sample_point
from content.expr.errors import ParseError, ShapeError
from content.expr.evaluate import evaluate
from content.expr.nodes import BigO, Bin, Call, Const, Neg, Node, Transpose, walk
from content.expr.printer import symbol, to_unicode
from content.expr.shapes import describe, infer, stars_as_hadamard
from content.expr.vocabulary import FUNCTION_ALIASES
from content.growth import (
    MEASURE_HIGH,
    MEASURE_LOW,
    Exponents,
    describe_power,
    differences,
    exponents,
    measured_exponents,
    strip_big_o,
)
from content.listing import split_answers
from content.schema import (
    ChoicePart,
    ComplexityPart,
    ExpressionPart,
    Mistake,
    MultiPart,
    NumericPart,
    ShortAnswerPart,
    TrueFalsePart,
)
from content.simulation import (
    Estimate,
    Finding,
    plain_point,
    seed_for,
    shaped,
    time_limit,
)

if TYPE_CHECKING:  # the free-text reader is imported when a reason is first read
    from content.reasons.rubric import Reading, Rubric

Verdict = Literal["correct", "partial", "incorrect", "invalid"]

EQUIVALENCE_POINTS = 6
MAX_REDRAWS = 60
RTOL = 1e-7
MAX_EVIDENCE_LINES = 3
ABS_FLOOR = 1e-12
FAMILY_ALPHA = 2e-5  # so that z ≈ 4.5 for three simulated points


@dataclass
class Judgement:
    part: str
    verdict: Verdict
    read_as: str | None
    feedback: str
    evidence: list[str] = field(default_factory=list)
    mistake: int | None = None
    reading: Reading | None = None  # what a reason or short answer says
    choice: bool | str | None = None  # the verdict word or option read, for true/false and choice
    reason: str | None = None  # a true/false answer's reason, as read after its verdict

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "part": self.part,
            "verdict": self.verdict,
            "read_as": self.read_as,
            "feedback": self.feedback,
        }
        if self.evidence:
            out["evidence"] = self.evidence
        if self.reading is not None:
            out["key_ideas"] = self.reading.to_json()
            if self.reading.misconception_feedback:
                out["misconception"] = self.reading.misconception_feedback
            if self.reading.uncertain:
                out["uncertain"] = True
            if self.reading.miscalculated:
                out["miscalculated"] = [claim.typed for claim in self.reading.miscalculated]
            if self.reading.unchecked_claims:
                out["unchecked"] = self.reading.unchecked_claims
        return out


@dataclass
class _Sample:
    """Points for one item, drawn once, with the reference's values there."""

    points: list[Point]
    values: list[np.ndarray]

    @property
    def scale(self) -> float:
        """How big the quantity is over all points: the absolute floor is relative to it."""
        return max((float(np.max(np.abs(v))) for v in self.values), default=1.0)


@dataclass
class _Simulated:
    points: list[Point]
    estimates: list[Estimate]


class Judge:
    """Judges answers against one course, caching what does not change."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self._references: dict[str, Node] = {}
        self._samples: dict[str, _Sample] = {}
        self._simulated: dict[str, _Simulated] = {}
        self._growth: dict[str, Exponents] = {}
        self._parsed_mistakes: dict[tuple[str, str], list[tuple[int, Node]]] = {}
        self._measured: dict[str, Exponents] = {}
        self._rubrics: dict[str, Rubric] = {}

    # -- entry point ---------------------------------------------------------

    def judge(self, item: Item, text: str) -> Judgement:
        if item.params and item.variant is None:
            item = item.with_variant(item.default_variant)
        part = item.part
        if isinstance(part, TrueFalsePart):
            return self._true_false(item, part, text)
        if isinstance(part, ChoicePart):
            return self._choice(item, part, text)
        if isinstance(part, ShortAnswerPart):
            return self._short_answer(item, part, text)
        if isinstance(part, MultiPart):
            return self._several(item, text)
        return self._expression(item, part, text)

    def _several(self, item: Item, text: str) -> Judgement:
        """A question with several answers, typed together: each judged by its step."""
        steps = item.steps
        answers = split_answers(text, len(steps))
        if answers is None:
            labels = " ".join(f"({k + 1}) …" for k in range(len(steps)))
            return Judgement(
                item.id,
                "invalid",
                None,
                f"This question asks for {len(steps)} answers, in order: {labels} "
                "(separated by commas, or labelled).",
            )
        each = [self.judge(step, answer) for step, answer in zip(steps, answers, strict=True)]
        lines = [
            f"({k + 1}) " + ("right." if j.verdict == "correct" else j.feedback)
            for k, j in enumerate(each)
        ]
        read_as = " ".join(
            f"({k + 1}) {j.read_as or a}"
            for k, (j, a) in enumerate(zip(each, answers, strict=True))
        )
        verdicts = {j.verdict for j in each}
        verdict: Verdict
        if "invalid" in verdicts:
            verdict = "invalid"
        elif verdicts == {"correct"}:
            verdict = "correct"
        elif "correct" in verdicts:
            verdict = "partial"
        else:
            verdict = "incorrect"
        evidence = [line for j in each for line in j.evidence[:1]]
        return Judgement(item.id, verdict, read_as, " ".join(lines), evidence)

    # -- formulas ------------------------------------------------------------

    def reference(self, item: Item) -> Node:
        node = self._references.get(item.key)
        if node is None:
            assert isinstance(item.part, ExpressionPart)
            node = item.parse(item.part.answer)
            self._references[item.key] = node
        return node

    def sample(self, item: Item) -> _Sample:
        cached = self._samples.get(item.key)
        if cached is not None:
            return cached
        reference = self.reference(item)
        part = item.part
        if isinstance(part, ExpressionPart) and part.simulate and part.simulate.tied:
            simulated = self.simulated(item)
            assert simulated is not None
            tied = simulated.points
            self._samples[item.key] = _Sample(tied, [evaluate(reference, p) for p in tied])
            return self._samples[item.key]
        rng = np.random.default_rng(seed_for(item.key, "points"))
        points: list[Point] = []
        values: list[np.ndarray] = []
        for _ in range(MAX_REDRAWS):
            point = sample_point(item.domains, rng)
            value = evaluate(reference, point)
            if np.all(np.isfinite(value)):  # redraw where the reference is undefined
                points.append(point)
                values.append(value)
            if len(points) == EQUIVALENCE_POINTS:
                break
        if not points:
            raise ValueError(f"{item.id}: the reference answer is undefined at every point drawn")
        self._samples[item.key] = _Sample(points, values)
        return self._samples[item.key]

    def _expression(self, item: Item, part: ExpressionPart, text: str) -> Judgement:
        try:
            node = item.parse(text)
        except ParseError as exc:
            return Judgement(item.id, "invalid", None, f"I could not read that: {exc}.")
        read_as = to_unicode(node)
        if isinstance(part, ComplexityPart):
            return self._complexity(item, part, node, read_as)
        if any(isinstance(n, BigO) for n in walk(node)):
            return Judgement(
                item.id,
                "invalid",
                read_as,
                "O(…) is for complexity questions; write the formula itself.",
            )
        try:
            shape = infer(node, item.shapes)
        except ShapeError as exc:
            return self._misfit(item, part, node, read_as, f"The shapes do not fit: {exc}.")
        read_as = to_unicode(stars_as_hadamard(node, item.shapes))
        want = infer(self.reference(item), item.shapes)
        if shape != want and _flipped_vector(shape, want):
            node = Transpose(node)  # a row for a column: the question is its entries
        elif shape != want:
            message = f"Your answer is {describe(shape)}, but the answer is {describe(want)}."
            return self._misfit(item, part, node, read_as, message, shape)
        sample = self.sample(item)
        rtol = part.tolerance if isinstance(part, NumericPart) else RTOL
        mismatch = self._mismatch(node, sample, rtol)
        evidence = self.agreement(item, node, rtol)[1][:MAX_EVIDENCE_LINES]
        if mismatch is None:
            problem = self._form_problem(item, part, node, sample)
            if problem is not None:
                return Judgement(item.id, "incorrect", read_as, problem, evidence)
            return Judgement(item.id, "correct", read_as, "Correct.", evidence)
        for index, other in self._alternatives(item, part.accepted, "accepted"):
            if self._mismatch(node, _values_of(other, sample), rtol) is None:
                return Judgement(item.id, "correct", read_as, part.accepted[index].feedback)
        for index, other in self._alternatives(item, part.partial, "partial"):
            if self._mismatch(node, _values_of(other, sample), rtol) is None:
                feedback = part.partial[index].feedback
                return Judgement(item.id, "partial", read_as, feedback, evidence)
        for index, wrong in self._alternatives(item, part.mistakes, "mistakes"):
            if self._mismatch(node, _values_of(wrong, sample), rtol) is None:
                feedback = part.mistakes[index].feedback
                return Judgement(item.id, "incorrect", read_as, feedback, evidence, index)
        if isinstance(part, NumericPart) and _roughly(mismatch[1], mismatch[2], part.tolerance):
            feedback = (
                f"Close, but not precise enough: answers within {part.tolerance:.1%} are "
                "accepted. Keep three significant digits."
            )
            return Judgement(item.id, "incorrect", read_as, feedback, evidence)
        return Judgement(item.id, "incorrect", read_as, _not_equal(item, *mismatch), evidence)

    def _alternatives(self, item: Item, listed: list[Mistake], kind: str) -> list[tuple[int, Node]]:
        """The listed mistakes (or accepted answers) that have the reference's shape,
        parsed once."""
        cached = self._parsed_mistakes.get((item.key, kind))
        if cached is None:
            want = infer(self.reference(item), item.shapes)
            cached = []
            for index, mistake in enumerate(listed):
                node = item.parse(mistake.answer)
                try:
                    if infer(node, item.shapes) == want:
                        cached.append((index, node))
                except ShapeError:
                    pass
            self._parsed_mistakes[(item.key, kind)] = cached
        return cached

    def _misfit(
        self,
        item: Item,
        part: ExpressionPart,
        node: Node,
        read_as: str,
        message: str,
        shape: object = None,
    ) -> Judgement:
        """An answer of the wrong shape: a listed mistake of that same form, or the shape story.

        Such a mistake cannot be compared with the reference, so it is recognised by
        its form (the same unicode reading) or, when the answer has a shape at all, by
        its values at the part's points ("d*mu^2" is the listed "d mu^2"); ``shape`` is
        the answer's, None when its shapes do not fit; its own
        feedback is added to the shapes'.
        """
        points = self.sample(item).points if shape is not None else []
        for index, mistake in enumerate(part.mistakes):
            other = item.parse(mistake.answer)
            if to_unicode(other) == read_as or _same_values(node, other, shape, item, points):
                feedback = f"{mistake.feedback} ({message})"
                return Judgement(item.id, "incorrect", read_as, feedback, mistake=index)
        return Judgement(item.id, "incorrect", read_as, message)

    def _mismatch(
        self, node: Node, sample: _Sample, rtol: float = RTOL
    ) -> tuple[Point, np.ndarray, np.ndarray] | None:
        """The first point where ``node`` differs from the sampled values, if any."""
        for point, expected in zip(sample.points, sample.values, strict=True):
            got = evaluate(node, point)
            if got.shape != expected.shape or not _close(got, expected, rtol, sample.scale):
                return point, got, expected
        return None

    def _form_problem(
        self, item: Item, part: ExpressionPart, node: Node, sample: _Sample
    ) -> str | None:
        form = part.form
        if form is None:
            return None
        used = _functions_used(node)
        if form.functions is not None:
            allowed = {FUNCTION_ALIASES.get(f, f) for f in form.functions}
            extra = sorted(used - allowed)
            if extra:
                names = ", ".join(_func_name(f) for f in extra)
                may = ", ".join(_func_name(f) for f in sorted(allowed)) or "no functions"
                return f"{form.feedback} (It uses {names}; here only {may} may appear.)"
        if form.single_fraction and not _single_fraction(node):
            return f"{form.feedback} (Write it as one fraction: a numerator over a denominator.)"
        for name, arg_text in form.arguments.items():
            func = FUNCTION_ALIASES.get(name, name)
            wanted = item.parse(arg_text)
            for argument in _arguments_of(node, func):
                if self._mismatch(argument, _values_of(wanted, sample)) is not None:
                    return (
                        f"{form.feedback} (Here {_func_name(func)} should only be applied "
                        f"to {to_unicode(wanted)}.)"
                    )
        return None

    # -- complexity ----------------------------------------------------------------

    def _sizes(self, item: Item) -> list[str]:
        return sorted(item.domains)

    def growth(self, item: Item) -> Exponents:
        """The reference answer's exponent along every subset of the sizes."""
        cached = self._growth.get(item.key)
        if cached is None:
            cached = exponents(self.reference(item), self._sizes(item))
            if cached is None:
                raise ValueError(f"{item.id}: the reference complexity does not grow")
            self._growth[item.key] = cached
        return cached

    def measured(self, item: Item) -> Exponents | None:
        """Exponents measured from the operation counter named in ``simulate``."""
        part = item.part
        if not isinstance(part, ComplexityPart) or part.simulate is None:
            return None
        cached = self._measured.get(item.key)
        if cached is None:
            name = part.simulate.function
            function = getattr(self.course.lab_course(item).simulations, name)
            rng = np.random.default_rng(seed_for(item.id, "count"))

            def count(sizes: dict[str, int]) -> float:
                with time_limit(f"simulation {name}"):
                    estimate = function(dict(sizes), rng)
                if not isinstance(estimate, Estimate) or isinstance(estimate.value, np.ndarray):
                    raise TypeError(f"{name} must return an Estimate of one number")
                return estimate.value

            cached = measured_exponents(count, self._sizes(item))
            self._measured[item.key] = cached
        return cached

    def measured_line(self, item: Item) -> list[str]:
        measured = self.measured(item)
        if measured is None:
            return []
        shown = ", ".join(
            f"{'·'.join(map(symbol, s))}^{measured[s]:.2f}" for s in measured if len(s) == 1
        )
        return [
            f"operations counted in the numpy implementation, each size from {MEASURE_LOW} to "
            f"{MEASURE_HIGH}: grow like {shown}"
        ]

    def _complexity(self, item: Item, part: ComplexityPart, node: Node, read_as: str) -> Judgement:
        inner = strip_big_o(node)
        if any(isinstance(n, BigO) for n in walk(inner)):
            return Judgement(item.id, "invalid", read_as, "Put O(…) around the whole answer, once.")
        try:
            if infer(inner, item.shapes) != (1, 1):
                return Judgement(
                    item.id, "invalid", read_as, "A cost is a number: write it in the sizes."
                )
        except ShapeError as exc:
            return Judgement(item.id, "invalid", read_as, f"The shapes do not fit: {exc}.")
        evidence = self.measured_line(item)
        got = exponents(inner, self._sizes(item))
        if got is None:
            return Judgement(
                item.id,
                "incorrect",
                read_as,
                "That does not grow with the sizes: a cost must.",
                evidence,
            )
        want = self.growth(item)
        wrong = differences(got, want)
        if not wrong:
            return Judgement(item.id, "correct", read_as, "Correct.", evidence)
        for other in part.accepted:
            growth = exponents(strip_big_o(item.parse(other.answer)), self._sizes(item))
            if growth is not None and not differences(got, growth):
                return Judgement(item.id, "correct", read_as, other.feedback, evidence)
        for index, mistake in enumerate(part.mistakes):
            mistaken = exponents(item.parse(mistake.answer), self._sizes(item))
            if mistaken is not None and not differences(got, mistaken):
                return Judgement(item.id, "incorrect", read_as, mistake.feedback, evidence, index)
        return Judgement(
            item.id, "incorrect", read_as, _growth_feedback(wrong, got, want), evidence
        )

    # -- simulation ------------------------------------------------------------

    def simulated(self, item: Item) -> _Simulated | None:
        part = item.part
        if not isinstance(part, ExpressionPart) or part.simulate is None:
            return None
        if isinstance(part, ComplexityPart):
            return None  # its simulation counts operations: see ``measured``
        cached = self._simulated.get(item.key)
        if cached is not None:
            return cached
        spec = part.simulate
        domains = {**item.domains, **{k: parse_domain(v) for k, v in spec.where.items()}}
        sizes = {name for name, dom in domains.items() if dom.is_size}
        rng = np.random.default_rng(seed_for(item.key, "simulate"))
        lab = self.course.lab_course(item)
        function = getattr(lab.simulations, spec.function)
        result = _Simulated([], [])
        # nothing to draw: one point (more would be the same point, run again)
        for k in range(spec.points if domains else 1):
            point = sample_point(domains, rng)
            seed = seed_for(item.key, "simulate", str(k))
            plain = plain_point(point, sizes)
            estimate: object = simcache.cached(
                simcache.key(lab.simulation_digest, spec.function, seed, plain),
                partial(_run_quantity, function, plain, seed),
                f"simulation {spec.function}",
            )
            if not isinstance(estimate, Estimate):
                got = type(estimate).__name__
                raise TypeError(
                    f"{_defined_at(function)}simulation {spec.function} returned {got}, "
                    "expected Estimate"
                )
            result.points.append(_with(point, estimate.at, domains))
            result.estimates.append(estimate)
        self._simulated[item.key] = result
        return result

    def agreement(self, item: Item, node: Node, rtol: float = RTOL) -> tuple[bool, list[str]]:
        """Whether ``node`` agrees with the simulation at every simulated point.

        ``rtol`` widens the bound for answers that are rounded on purpose.
        """
        sim = self.simulated(item)
        if sim is None:
            return True, []
        z = z_bound(len(sim.points))
        ok, lines = True, []
        for point, est in zip(sim.points, sim.estimates, strict=True):
            compare = _agree_array if isinstance(est.value, np.ndarray) else _agree_scalar
            agrees, line = compare(evaluate(node, point), est, z, rtol)
            ok = ok and agrees
            where = _describe_point(point, item)
            lines.append(f"{where}: {line}" if where else line)
        return ok, lines

    def likely_slip(self, item: Item, node: Node) -> str | None:
        """What a formula that disagrees with its simulation most likely got wrong, when
        the two differ the same way at every point: a sign, a factor, a constant."""
        sim = self.simulated(item)
        if sim is None:
            return None
        formula: list[float] = []
        simulated: list[float] = []
        for point, est in zip(sim.points, sim.estimates, strict=True):
            formula.extend(np.ravel(np.asarray(evaluate(node, point), dtype=float)))
            simulated.extend(np.ravel(np.asarray(est.value, dtype=float)))
        f, s = np.array(formula), np.array(simulated)
        if f.size < 2 or not (np.isfinite(f).all() and np.isfinite(s).all()):
            return None
        scale = max(float(np.abs(s).max()), 1e-300)
        big = np.abs(s) > 1e-6 * scale
        if big.sum() >= 2:
            ratios = f[big] / s[big]
            ratio = float(np.median(ratios))
            if np.allclose(ratios, ratio, rtol=0.02) and abs(ratio - 1) > 0.02:
                named = {
                    -1.0: "the simulation's negative at every point (a sign slip?)",
                    2.0: "twice the simulation at every point (a factor 2?)",
                    0.5: "half the simulation at every point (a factor 1/2?)",
                }
                for value, words in named.items():
                    if abs(ratio - value) < 0.02 * abs(value):
                        return f"the formula is {words}"
                return f"the formula is {ratio:.3g}× the simulation at every point (a factor?)"
        shift = f - s
        if np.allclose(shift, shift[0], rtol=0.02, atol=1e-9 * scale) and abs(shift[0]) > 0:
            return f"the formula is off by the same {shift[0]:.3g} at every point (a constant?)"
        return None

    def experiment(self, item: Item, name: str) -> Finding:
        """Run the experiment ``name`` for ``item``, with a seed of its own."""
        lab = self.course.lab_course(item)
        function = getattr(lab.simulations, name)
        seed = seed_for(item.id, "experiment", name)
        result = simcache.cached(
            simcache.key(lab.simulation_digest, name, seed),
            lambda: function(np.random.default_rng(seed)),
            f"simulation {name}",
        )
        if not isinstance(result, Finding):
            got = type(result).__name__
            raise TypeError(
                f"{_defined_at(function)}simulation {name} returned {got}, expected Finding"
            )
        return result

    def finding(self, item: Item) -> Finding:
        """The experiment behind a true/false verdict or a choice."""
        part = item.part
        assert isinstance(part, TrueFalsePart | ChoicePart)
        return self.experiment(item, part.simulate)

    # -- words -------------------------------------------------------------------

    def rubric(self, item: Item) -> Rubric:
        """The part's key ideas and misconceptions, compiled with the lab's concepts."""
        rubric = self._rubrics.get(item.id)
        if rubric is None:
            part = item.part
            assert isinstance(part, TrueFalsePart | ShortAnswerPart)
            lab = self.course.lab_course(item).lab
            concepts = (lab.concepts, item.problem.concepts)
            from content.reasons.rubric import compile_rubric

            rubric = compile_rubric(
                part.key_ideas, part.misconceptions, concepts, lab.misconceptions
            )
            self._rubrics[item.id] = rubric
        return rubric

    def _true_false(self, item: Item, part: TrueFalsePart, text: str) -> Judgement:
        from content.reasons.verdicts import read_true_false

        parsed = read_true_false(text)
        if parsed is None:
            return Judgement(
                item.id,
                "invalid",
                None,
                "Start with your verdict — true or false (t/f, yes/no, đúng/sai) — then say why.",
            )
        said, reason = parsed
        word = "True" if said else "False"
        read_as = word + (f" — {_because(reason)}" if reason else "")
        truth = "true" if part.verdict else "false"
        if not reason:
            if said == part.verdict:
                feedback = f"Right: the statement is {truth}. Why? Give your reason in a sentence."
                return Judgement(item.id, "partial", read_as, feedback, choice=said, reason="")
            feedback = f"Not quite: the statement is {truth}."
            return Judgement(item.id, "incorrect", read_as, feedback, choice=said, reason="")
        reading = self.rubric(item).read(reason, said)
        verdict = reason_verdict(said == part.verdict, reading)
        if said != part.verdict:
            # A reason for the wrong verdict argues the other way: the words in it that
            # match an idea of the right answer ("∂c_t/∂c_{t−1} = f_t ≈ 0, so nothing
            # reaches earlier steps") were not said as that idea.
            reading.withdraw(reading.present)
        if said != part.verdict:
            feedback = f"Not quite: the statement is {truth}."
        elif verdict == "incorrect" and reading.present:  # a right reason, and a wrong claim
            feedback = (
                f"Right verdict — the statement is {truth} — but one thing you said is wrong."
            )
        elif verdict == "incorrect":
            feedback = f"Right verdict — the statement is {truth} — but not for that reason."
        elif verdict == "correct":
            feedback = f"Right: the statement is {truth}, for the right reason."
        else:
            feedback = f"Right: the statement is {truth}, but your reason is not complete."
        feedback += " " + reading.describe()
        return Judgement(
            item.id, verdict, read_as, feedback.strip(), reading=reading, choice=said, reason=reason
        )

    def _choice(self, item: Item, part: ChoicePart, text: str) -> Judgement:
        label = read_choice(text, part.options)
        if label is None:
            labels = ", ".join(sorted(part.options))
            return Judgement(item.id, "invalid", None, f"Choose one of the options: {labels}.")
        read_as = f"({label}) {part.options[label]}"
        if label == part.answer:
            return Judgement(item.id, "correct", read_as, "Correct.", choice=label)
        feedback = part.feedback.get(label, f"Not this one: the answer is not ({label}).")
        return Judgement(item.id, "incorrect", read_as, feedback, choice=label)

    def _short_answer(self, item: Item, part: ShortAnswerPart, text: str) -> Judgement:
        if len(text.split()) < part.min_words:
            return Judgement(
                item.id, "invalid", None, "Answer in a sentence or two, in your own words."
            )
        reading = self.rubric(item).read(text)
        # Nothing wrong and not every idea: partial when some idea is there, or when a
        # short answer is about the part's subject at all (the judge cannot tell an
        # unrecognised idea from a missing one, so the tutor asks for a self-rating);
        # a long one about the subject with none of its ideas misses the point.
        verdict: Verdict
        if reading.wrong or reading.off_point:
            verdict = "incorrect"
        elif reading.sound:
            verdict = "correct"
        elif reading.present or reading.on_topic:
            verdict = "partial"  # about the subject, nothing wrong, not enough yet
        else:
            verdict = "incorrect"  # nothing of the part's subject at all
        return Judgement(item.id, verdict, text.strip(), reading.describe(), reading=reading)


# -- helpers -------------------------------------------------------------------------


def _same_values(node: Node, other: Node, shape: object, item: Item, points: list[Point]) -> bool:
    """Two answers of the same (wrong) shape that agree at every point."""
    if shape is None or not points:
        return False
    try:
        if infer(other, item.shapes) != shape:
            return False
        return all(
            np.allclose(evaluate(node, point), evaluate(other, point), rtol=RTOL, atol=ABS_FLOOR)
            for point in points
        )
    except (ShapeError, ArithmeticError, ValueError):
        return False


def reason_verdict(right: bool, reading: Reading) -> Verdict:
    """A true/false answer's grade: its verdict, then what its reason says. A reason
    that states none of the ideas, however long, is not yet the reason (partial): only
    a contradiction or a known misconception makes it wrong (DESIGN)."""
    if not right or reading.wrong:
        return "incorrect"
    return "correct" if reading.sound else "partial"


_BECAUSE = ("because", "since", "as", "bc", "vì", "do", "tại vì", "bởi vì")


def _because(reason: str) -> str:
    """The reason as read: "because …", without doubling the student's own "because"."""
    if reason.lower().startswith(_BECAUSE):
        return reason
    return f"because: {reason}"


def read_choice(text: str, options: dict[str, str]) -> str | None:
    cleaned = text.strip().strip("().").strip().lower()
    for label in options:
        if cleaned == label.lower():
            return label
    for label, option in options.items():
        if cleaned and cleaned == option.strip().lower():
            return label
    return None


def z_bound(points: int) -> float:
    """Two-sided z for a family-wise error of ``FAMILY_ALPHA`` over ``points`` tests."""
    return NormalDist().inv_cdf(1 - FAMILY_ALPHA / (2 * points))


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, scale: float) -> bool:
    """Relatively close, with an absolute floor near zero that is relative to the
    quantity's size over all points (so 1 − σ(30) may cancel to round-off, but
    0.5¹⁰⁰ is not "close" to 0.5⁹⁹)."""
    if not np.all(np.isfinite(got)):
        return False  # undefined where the reference is defined: wrong
    floor = 1e-12 * max(scale, 1e-300)
    return bool(
        np.all(np.abs(got - expected) <= rtol * np.maximum(np.abs(expected), np.abs(got)) + floor)
    )


def _values_of(node: Node, sample: _Sample) -> _Sample:
    return _Sample(sample.points, [evaluate(node, p) for p in sample.points])


def _defined_at(function: Any) -> str:
    """``…/simulations.py:42: ``: where a content function is, for its author."""
    code = getattr(function, "__code__", None)
    return f"{code.co_filename}:{code.co_firstlineno}: " if code is not None else ""


def _flipped_vector(shape: Shape, want: Shape) -> bool:
    """A row where a column is asked, or the other way round (both vectors)."""
    return want != SCALAR and 1 in want and shape == (want[1], want[0])


def _run_quantity(function: Any, point: dict[str, Any], seed: int) -> object:
    return function(point, np.random.default_rng(seed))


def _with(point: Point, values: dict[str, object], domains: dict[str, Domain]) -> Point:
    """``point`` with some variables replaced by a simulation's own values."""
    if not values:
        return point
    sizes = {n: round(float(v[0, 0])) for n, v in point.items() if domains[n].is_size}
    out = dict(point)
    for name, value in values.items():
        if name not in domains:
            continue  # a tensor the simulation reports but this question does not use
        rows, cols = (resolve(d, sizes) for d in domains[name].shape)
        out[name] = shaped(value, (rows, cols))
    return out


def _agree_scalar(got: np.ndarray, est: Estimate, z: float, rtol: float) -> tuple[bool, str]:
    assert not isinstance(est.value, np.ndarray)
    value = float(got.ravel()[0])
    # Monte Carlo error, plus round-off: relative, with a floor near zero.
    bound = z * est.stderr + rtol * abs(est.value) + ABS_FLOOR
    agrees = bool(np.isfinite(value) and abs(value - est.value) <= bound)
    line = f"simulated {est.show()}, formula {value:.6g}"
    if not agrees:
        line += (
            f" — off by {abs(value - est.value) / est.stderr:.1f} standard errors"
            if est.stderr > 0 and est.n > 1 and np.isfinite(value)
            else f" — differs by {abs(value - est.value):.3g}"
            if np.isfinite(value)
            else " — differs"
        )
    return agrees, line


def _agree_array(got: np.ndarray, est: Estimate, z: float, rtol: float) -> tuple[bool, str]:
    want = np.asarray(est.value, dtype=float)
    if want.size != got.size:
        return False, f"simulated {est.show()}, but the formula gives {got.shape[0]}×{got.shape[1]}"
    want = want.reshape(got.shape)
    gap = np.abs(got - want)
    bound = z * est.stderr + rtol * np.abs(want) + ABS_FLOOR
    agrees = bool(np.all(np.isfinite(got)) and np.all(gap <= bound))
    worst = float(np.max(gap)) if np.all(np.isfinite(got)) else float("inf")
    line = f"simulated {est.show()}, formula max |difference| {worst:.1e}"
    return agrees, line + ("" if agrees else " — differs")


def _growth_feedback(wrong: list[tuple[str, ...]], got: Exponents, want: Exponents) -> str:
    singles = [s for s in wrong if len(s) == 1]
    if singles:
        notes = [
            f"your answer grows {describe_power(symbol(s[0]), got[s])}, "
            f"but the cost grows {describe_power(symbol(s[0]), want[s])}"
            for s in singles
        ]
        return "Not the right growth: " + "; ".join(notes) + "."
    both = wrong[0]
    names = " and ".join(map(symbol, both))
    return (
        f"Each size alone grows right, but when {names} grow together your answer grows with "
        f"exponent {got[both]:.2g} and the cost with {want[both]:.2g}: check sums against products."
    )


def _arguments_of(node: Node, func: str) -> list[Node]:
    """The argument of every call of ``func``; ``e^u`` counts as ``exp(u)``."""
    out = [n.args[0] for n in walk(node) if isinstance(n, Call) and n.func == func]
    if func == "exp":
        out += [
            n.right
            for n in walk(node)
            if isinstance(n, Bin) and n.op == "^" and n.left == Const("e")
        ]
    return out


def _single_fraction(node: Node) -> bool:
    """One division at the top, and none inside its numerator or denominator."""
    if isinstance(node, Neg):
        node = node.arg
    return (
        isinstance(node, Bin)
        and node.op == "/"
        and not any(
            isinstance(n, Bin) and n.op == "/" for n in (*walk(node.left), *walk(node.right))
        )
    )


def _functions_used(node: Node) -> set[str]:
    used = {n.func for n in walk(node) if isinstance(n, Call)}
    if any(isinstance(n, Bin) and n.op == "^" and n.left == Const("e") for n in walk(node)):
        used.add("exp")
    return used


def _func_name(func: str) -> str:
    return {"sigmoid": "σ", "sqrt": "√"}.get(func, func)


def _describe_point(point: Point, item: Item, limit: int = 4) -> str:
    """A short description of a point: its sizes and scalars first, then norms."""
    sizes, scalars, arrays = [], [], []
    shown_names = set(item.params) or set(point)  # a variant is described by its numbers
    for name, value in point.items():
        if name not in shown_names:
            continue
        if item.domains[name].is_size:
            sizes.append(f"{symbol(name)} = {round(float(value[0, 0]))}")
        elif value.shape == (1, 1):
            scalars.append(f"{symbol(name)} = {round(float(value[0, 0]), 3)}")
        else:
            arrays.append(f"‖{symbol(name)}‖ = {float(np.linalg.norm(value)):.3g}")
    shown = [*sizes, *scalars, *arrays]
    if not shown:
        return ""
    return ", ".join(shown[:limit]) + (", …" if len(shown) > limit else "")


def _roughly(got: np.ndarray, expected: np.ndarray, tolerance: float) -> bool:
    """A number within ten times the tolerance: the right idea, rounded too far."""
    if got.size != 1 or expected.size != 1:
        return False
    value, want = float(got.ravel()[0]), float(expected.ravel()[0])
    return bool(np.isfinite(value) and abs(value - want) <= 10 * tolerance * abs(want))


def _not_equal(item: Item, point: Point, got: np.ndarray, expected: np.ndarray) -> str:
    described = _describe_point(point, item)
    where = f"at {described} " if described else ""
    if not np.all(np.isfinite(got)):
        return f"Not equivalent: {where}your formula is undefined, but the quantity is not."
    if got.size == 1:
        value = float(got.ravel()[0])
        return f"Not equivalent: {where}your formula gives {value:.6g}, not the right value."
    return f"Not equivalent: {where}your formula gives different values."
