"""The ``nlpdrill`` command. Each subcommand imports only what it needs, so that
``grade`` answers without paying for what ``build`` or ``tutor`` would load."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from content.errors import ContentErrors
    from tutor.engine import Engine
    from tutor.store import Store

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
CONTENT_HELP = "content folder: a lab, or a course of labs (default: the bundled course)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from content.locations import HomeUnusable

    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except HomeUnusable as exc:
        print(f"nlpdrill: {exc}.", file=sys.stderr)
        return EXIT_FAILED
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlpdrill", description="Study kit for NLP Lab 11: check content, judge answers."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="load a content folder and prove every answer")
    _content_path(check)
    check.add_argument(
        "-q", "--quiet", action="store_true", help="print failures and the summary only"
    )
    check.set_defaults(run=_check)

    build = sub.add_parser("build", help="prove a content folder and write its Anki deck")
    _content_path(build)
    _output(build)
    build.add_argument(
        "--locked",
        action="store_true",
        help="fail, writing nothing, if the deck would differ from what nlpdrill.lock records",
    )
    build.set_defaults(run=_build)

    watch = sub.add_parser("watch", help="check and rebuild on every save")
    _content_path(watch)
    _output(watch)
    watch.set_defaults(run=_watch)

    new = sub.add_parser("new", help="write a starter lab that passes check as created")
    new.add_argument("path", type=Path, help="the new lab's folder (new or empty)")
    new.add_argument("--id", required=True, dest="lab_id", help="the lab's id, e.g. lab12")
    new.add_argument("--title", required=True, help="the lab's title")
    new.set_defaults(run=_new)

    quiz = sub.add_parser("quiz", help="write a printable quiz and its answer key")
    _content_path(quiz)
    quiz.add_argument("--problems", nargs="*", help="problem numbers, e.g. 1 6 7 (default: all)")
    quiz.add_argument("--count", type=int, default=10, help="how many questions (default: 10)")
    quiz.add_argument("--seed", type=int, default=1, help="the same seed gives the same quiz")
    quiz.add_argument(
        "-o", "--output", type=Path, required=True, help="folder for quiz.html and key.html"
    )
    quiz.set_defaults(run=_quiz)

    tutor = sub.add_parser("tutor", help="practise in the terminal with the tutor")
    tutor.add_argument("part", nargs="?", help="a part to start with, e.g. lab11.p2.a")
    _student_option(tutor)
    tutor.add_argument(
        "--content",
        type=Path,
        help=CONTENT_HELP,
    )
    tutor.set_defaults(run=_tutor)

    serve = sub.add_parser("serve", help="the tutor engine over JSON lines or HTTP")
    how = serve.add_mutually_exclusive_group(required=True)
    how.add_argument("--stdio", action="store_true", help="speak JSON lines on stdin/stdout")
    how.add_argument("--http", action="store_true", help="a web service (POST /api/turn)")
    serve.add_argument("--host", default="127.0.0.1", help="with --http (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="with --http (default: 8000)")
    serve.add_argument(
        "--database",
        default=os.environ.get("NLPDRILL_DATABASE"),
        help="with --http: postgresql://… to keep progress in PostgreSQL (default: SQLite "
        "under NLPDRILL_HOME; or set NLPDRILL_DATABASE)",
    )
    _student_option(serve)
    serve.add_argument(
        "--content",
        type=Path,
        help=CONTENT_HELP,
    )
    serve.set_defaults(run=_serve)

    students = sub.add_parser("students", help="who may use the web service")
    students_sub = students.add_subparsers(required=True, metavar="ACTION")
    add = students_sub.add_parser("add", help="register a student; prints their token once")
    add.add_argument("name", help="the student's name")
    add.set_defaults(run=_students_add)

    grade = sub.add_parser("grade", help="judge one answer to one part")
    grade.add_argument("part", help="part id, e.g. lab11.p6.b")
    grade.add_argument("answer", help="the answer, e.g. 'd sigma^4 + 2 sigma^2 ||mu||^2'")
    grade.add_argument("--json", action="store_true", help="print one JSON object")
    grade.add_argument(
        "--variant", type=int, help="for a parameterised part: which variant (default: the deck's)"
    )
    grade.add_argument(
        "--content",
        type=Path,
        help=CONTENT_HELP,
    )
    grade.set_defaults(run=_grade)
    return parser


def _content_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help=CONTENT_HELP,
    )


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the .apkg to write (default: dist/<course code>.apkg, or dist/<lab>.apkg for a lab)",
    )


def _load(path: Path | None, part: str | None = None):  # type: ignore[no-untyped-def]
    """The content at ``path`` (default: the bundled course): a lab, or every lab of a
    course as one — but only the lab whose id begins ``part``, when grading one part.
    None, with the errors printed, if it does not load."""
    from content import BUNDLED_COURSE
    from content.course import load_content, load_course
    from content.coursefolder import course_file, lab_folders
    from content.errors import ContentErrors

    try:
        folder = Path(path or BUNDLED_COURSE)
        if part is not None and course_file(folder) is not None:
            return load_course(_lab_of_course(lab_folders(folder), part))
        return load_content(folder)
    except ContentErrors as exc:
        _report(exc)
        return None


def _lab_of_course(labs: list[Path], part: str) -> Path:
    from content.course import load_lab
    from content.errors import ContentError, ContentErrors

    ids = {load_lab(lab).id: lab for lab in labs}
    lab_id = part.partition(".")[0]
    if lab_id in ids:
        return ids[lab_id]
    if len(ids) == 1:
        return next(iter(ids.values()))  # the lab reports an unknown part in its words
    where = labs[0].parent / "course.yaml"
    raise ContentErrors(
        [ContentError(where, 1, 1, f"no lab of this course is named by {part!r}: a part id "
                      f"begins with its lab's id ({', '.join(sorted(ids))})")]
    )  # fmt: skip


def _report(exc: ContentErrors) -> None:
    for error in exc.errors:
        print(error, file=sys.stderr)
    noun = "error" if len(exc.errors) == 1 else "errors"
    print(f"{len(exc.errors)} {noun}; nothing was checked.", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    """Prove a lab, or every lab of a course."""
    from content import BUNDLED_COURSE
    from content.coursefolder import lab_folders
    from content.errors import ContentErrors

    try:
        labs = lab_folders(args.path or BUNDLED_COURSE)
    except ContentErrors as exc:
        _report(exc)
        return EXIT_FAILED
    results = [_check_lab(lab, args.quiet) for lab in labs]
    return EXIT_OK if all(code == EXIT_OK for code in results) else EXIT_FAILED


def _check_lab(folder: Path, quiet: bool) -> int:
    from content.prove import prove_course

    started = time.perf_counter()
    course = _load(folder)
    if course is None:
        return EXIT_FAILED
    lab = course.lab
    print(f"{lab.course} · Lab {lab.id.removeprefix('lab')} — {lab.title} ({course.folder})")
    width = max(len(i) for i in course.items) + 2
    failed = total = 0
    for proof in prove_course(course):
        total += 1
        depth = "  " if proof.item.parent is not None else ""
        label = f"{depth}{proof.item.id}".ljust(width + 2)
        if proof.ok:
            if not quiet:
                print(f"ok    {label}{' · '.join(proof.evidence + proof.notes)}")
        else:
            failed += 1
            print(f"FAIL  {label}{' · '.join(proof.evidence + proof.notes)}")
            for reason in proof.failures:
                print(f"        ✗ {reason}")
        sys.stdout.flush()
    elapsed = time.perf_counter() - started
    parts = sum(1 for p in course.items.values() if p.parent is None)
    print(
        f"{total - failed} of {total} proven ({parts} parts, {total - parts} steps), "
        f"{failed} failed, in {elapsed:.2f} s"
    )
    return EXIT_FAILED if failed else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from content import BUNDLED_COURSE
    from content.errors import ContentErrors
    from content.locations import NotAFile
    from generator.build import BuildFailed, LockOutOfDate, OutputUnwritable, build_folder
    from generator.lock import LockError

    try:
        report = build_folder(
            args.path or BUNDLED_COURSE, args.output, locked=getattr(args, "locked", False)
        )
    except ContentErrors as exc:
        _report(exc)
        return EXIT_FAILED
    except (BuildFailed, LockOutOfDate) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    except OutputUnwritable as exc:
        print(f"-o: {exc}.", file=sys.stderr)
        return EXIT_FAILED
    except NotAFile as exc:
        print(f"-o: {exc}.", file=sys.stderr)
        return EXIT_USAGE
    except LockError as exc:
        print(f"{exc}.", file=sys.stderr)
        return EXIT_FAILED
    print(report.summary())
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from content.newlab import NewLabError, new_lab

    try:
        written = new_lab(args.path, args.lab_id, args.title)
    except NewLabError as exc:
        print(f"nlpdrill new: {exc}.", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote a starter lab of {len(written)} files in {args.path}")
    if (args.path.parent / "course.yaml").is_file():
        print(f"add {args.path.name} to the labs: of {args.path.parent / 'course.yaml'}")
    print(f"next: nlpdrill check {args.path}   (then edit; the format: docs/format.md)")
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from content import BUNDLED_COURSE
    from generator.watch import watch

    folder = args.path or BUNDLED_COURSE
    return watch(folder, args.output, lambda: _build(args))


def _student_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--student",
        "--session",  # the first round's name for it
        dest="student",
        help="whose progress: attempts, review schedule and quiz (default: your login name)",
    )


def _open_store(student: str | None = None) -> Store:
    from tutor.store import Store, StoreCorrupt

    try:
        return Store(student=student)
    except StoreCorrupt as exc:
        print(f"{exc}. Starting afresh.", file=sys.stderr)
        return Store(student=student)


MAX_QUIZ = 200  # more would repeat every question many times over


def _quiz(args: argparse.Namespace) -> int:
    course = _load(args.path)
    if course is None:
        return EXIT_FAILED
    from generator.quiz import write_quiz

    if not 1 <= args.count <= MAX_QUIZ:
        print(f"--count: a quiz has 1 to {MAX_QUIZ} questions", file=sys.stderr)
        return EXIT_USAGE
    from content.locations import NotAFile

    try:
        files = write_quiz(course, args.output, args.count, args.seed, args.problems)
    except (ValueError, NotAFile) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # -o an existing file, a read-only or full target
        print(f"-o: cannot write the quiz there ({exc}).", file=sys.stderr)
        return EXIT_FAILED
    print("wrote " + " and ".join(str(f) for f in files))
    return EXIT_OK


def _with_engine(args: argparse.Namespace, run: Callable[[Engine], int]) -> int:
    """Load the content, open the progress store, run ``run`` with an engine, close the store."""
    course = _load(args.content)
    if course is None:
        return EXIT_FAILED
    from tutor.engine import Engine
    from tutor.store import StoreUnavailable

    try:
        store = _open_store(args.student)
    except ValueError as exc:  # a name that cannot be a student's
        print(f"--student: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreUnavailable as exc:  # not damaged: left alone, and said so
        print(f"{exc}.", file=sys.stderr)
        return EXIT_FAILED
    try:
        return run(Engine(course, store))
    finally:
        store.close()


def _serve(args: argparse.Namespace) -> int:
    if args.http:
        course = _load(args.content)
        if course is None:
            return EXIT_FAILED
        from tutor.web import run

        if args.database is not None and not args.database.startswith(
            ("postgresql://", "postgres://")
        ):
            print("--database: a postgresql://… URL", file=sys.stderr)
            return EXIT_USAGE
        return run(course, args.host, args.port, args.database)
    from tutor.protocol import serve

    return _with_engine(args, serve)


def _students_add(args: argparse.Namespace) -> int:
    from tutor.tokens import Students

    registry = Students()
    try:
        token = registry.add(args.name)
    except ValueError as exc:
        print(f"nlpdrill students add: {exc}.", file=sys.stderr)
        return EXIT_USAGE
    finally:
        registry.close()
    print(token)
    print(
        f"the token of {args.name}: shown this once (only its hash is kept); "
        "they send it as 'Authorization: Bearer TOKEN'",
        file=sys.stderr,
    )
    return EXIT_OK


def _tutor(args: argparse.Namespace) -> int:
    def run(engine: Engine) -> int:
        if args.part is not None and args.part not in engine.course.items:
            print(f"no part '{args.part}'", file=sys.stderr)
            return EXIT_USAGE
        from tutor.app import TutorApp

        TutorApp(engine, args.part).run()
        return EXIT_OK

    return _with_engine(args, run)


def _grade(args: argparse.Namespace) -> int:
    course = _load(args.content, args.part)
    if course is None:
        return EXIT_INTERNAL
    from content.judge import Judge

    try:
        item = course.item(args.part)
    except KeyError as exc:
        message = str(exc.args[0])
        if args.json:
            print(json.dumps({"part": args.part, "error": message}, ensure_ascii=False))
        print(visible(message), file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.variant is not None:
            item = item.with_variant(args.variant)
        judgement = Judge(course).judge(item, args.answer)
    except Exception as exc:
        print(
            f"internal error while judging {args.part}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    if args.json:
        print(json.dumps(judgement.to_json(), ensure_ascii=False))
        return EXIT_OK
    if judgement.read_as is not None:
        print(f"read as: {visible(judgement.read_as)}")
    print(f"{judgement.verdict}: {visible(plain(judgement.feedback))}")
    for line in judgement.evidence:
        print(f"  evidence: {visible(line)}")
    return EXIT_OK


def plain(markdown: str) -> str:
    """Feedback (Markdown with $…$ math) as a terminal shows plain text: math in
    unicode, Markdown's backslash escapes dropped."""
    from tutor.mathtext import markdown_math_to_unicode

    return re.sub(r"\\([\\`*_\[\]<>#|~])", r"\1", markdown_math_to_unicode(markdown))


def visible(text: str) -> str:
    """Control characters from a student or a file shown as ^[, ^G …, never sent to the
    terminal as they are (an escape sequence could retitle or clear it)."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else _caret(ch) for ch in text
    )


def _caret(ch: str) -> str:
    code = ord(ch)
    return f"^{chr(code + 64)}" if code < 32 else "^?" if code == 127 else f"\\x{code:02x}"


if __name__ == "__main__":
    sys.exit(main())
