"""How often the free-text judge grades students' reasons as a teacher would.

    python bench/reasons.py [ANSWERS.yaml ...]

Each file is a list of ``{part, text, grade}``, e.g. a held-out set kept outside the
project; without one, the bundled lab's own reason fixtures (``reasons:`` in its
YAML). Prints agreement per part, the confusion of grades, and the number that must
stay at zero: wrong reasons judged correct.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from content.course import load_course
from content.judge import Judge
from content.schema import ShortAnswerPart, TrueFalsePart


def main(paths: list[str]) -> int:
    course = load_course()
    judge = Judge(course)
    answers = [a for p in paths for a in yaml.safe_load(Path(p).read_text(encoding="utf-8"))]
    if not paths:
        answers = [
            {"part": item.id, "text": text, "grade": grade}
            for item in course.items.values()
            if isinstance(item.part, TrueFalsePart | ShortAnswerPart)
            for grade in ("correct", "partial", "incorrect")
            for text in getattr(item.part.reasons, grade)
        ]
    per_part: dict[str, Counter[bool]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    for answer in answers:
        got = judge.judge(course.item(answer["part"]), answer["text"]).verdict
        want = answer["grade"]
        confusion[(want, got)] += 1
        per_part.setdefault(answer["part"], Counter())[got == want] += 1
    total = sum(confusion.values())
    agreed = sum(n for (want, got), n in confusion.items() if want == got)
    for part, counts in sorted(per_part.items()):
        print(f"{part:18} {counts[True]:3} of {counts[True] + counts[False]:3}")
    print("teacher → judge:", ", ".join(f"{w}→{g} {n}" for (w, g), n in sorted(confusion.items())))
    wrong_correct = confusion[("incorrect", "correct")]
    share = f"{agreed / total:.0%}"
    print(f"agreement {agreed} of {total} ({share}); wrong judged correct {wrong_correct}")
    print(json.dumps({"agreed": agreed, "total": total, "wrong_judged_correct": wrong_correct}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
