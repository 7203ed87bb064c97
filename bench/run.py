"""``python bench/run.py [--json]``: measure nlpdrill against the targets of DESIGN.md.

Every figure is the median of several runs after a warm-up, all in one run of
this script so that ratios compare like with like. Commands are timed as
subprocesses, start-up included, with ``NLPDRILL_HOME`` set to a private
folder. Without ``--json`` a table shows each figure beside its target; with it,
the last line is one JSON object with exactly the keys of DESIGN.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402

TARGETS = {
    "check_s": 2.0,
    "grade_median_ms": 10.0,
    "grade_p99_ms": 50.0,
    "grade_cli_s": 0.5,
    "build_cold_s": 3.0,
    "build_warm_s": 1.0,
    "scale_build_s": 5.0,
    "build_vs_genanki": 2.0,
    "tutor_first_question_s": 0.5,
    "tutor_vs_textual": 2.0,
    "http_turn_p50_ms": 20.0,
    "http_turn_p99_ms": 200.0,
    "http_vs_engine": 3.0,
}
# What each ratio divides by what: like with like, in one run.
RATIOS = {
    "build_vs_genanki": ("scale_edit_1000_s", "genanki_s"),
    "tutor_vs_textual": ("tutor_first_question_s", "textual_minimal_s"),
    "http_vs_engine": ("http_turn_p50_ms", "engine_turn_p50_ms"),
}
RUNS = 3


def nlpdrill(*args: str) -> list[str]:
    return [sys.executable, "-m", "nlpdrill", *args]


def environment(home: Path) -> dict[str, str]:
    """The user's environment with a private home, and bytecode written as an installed
    package has it (PYTHONDONTWRITEBYTECODE would recompile every module on every run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NLPDRILL_HOME": str(home)}


def wall(command: list[str], home: Path) -> float:
    env = environment(home)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - started


def until_painted(command: list[str], home: Path) -> float:
    """Launch to the child's "painted" line: the first frame, not the app's shutdown after it."""
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=ROOT, env=environment(home), stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "painted":
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{command} ended without painting")
        child.stdout.read()
    if child.returncode != 0:
        raise RuntimeError(f"{command} failed ({child.returncode})")
    return elapsed


def median_of(measure: Callable[[], float], runs: int = RUNS, warmup: int = 1) -> float:
    for _ in range(warmup):
        measure()
    return statistics.median(measure() for _ in range(runs))


def fresh_home(scratch: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=scratch, prefix="home-"))


def content_copy(scratch: Path) -> Path:
    target = Path(tempfile.mkdtemp(dir=scratch, prefix="content-")) / "lab11"
    shutil.copytree(
        ROOT / "content" / "lab11", target, ignore=shutil.ignore_patterns("__pycache__")
    )
    return target


def compile_sources() -> None:
    """Bytecode for the project, as an installed package has it before its first run."""
    folders = [str(ROOT / name) for name in ("content", "generator", "tutor", "nlpdrill")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)


# -- the measurements -------------------------------------------------------------------


def bench_check(scratch: Path) -> dict[str, float]:
    home = fresh_home(scratch)
    cold = median_of(lambda: wall(nlpdrill("check", "-q"), fresh_home(scratch)), warmup=0)
    return {
        "check_s": median_of(lambda: wall(nlpdrill("check", "-q"), home)),
        "check_cold_s": cold,
    }


def bench_grade(scratch: Path) -> dict[str, float]:
    os.environ["NLPDRILL_HOME"] = str(fresh_home(scratch))
    from content.course import load_course
    from content.judge import Judge

    course = load_course()
    judge = Judge(course)
    cases = []
    for item in course.items.values():
        fixtures = item.part.fixtures
        judge.judge(item, fixtures.correct[0])  # the first call fills the caches
        cases.extend(
            (item, text) for text in [*fixtures.correct, *fixtures.incorrect, *fixtures.invalid]
        )
    times = []
    for _ in range(5):
        for item, text in cases:
            started = time.perf_counter()
            judge.judge(item, text)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    home = fresh_home(scratch)
    answer = "d sigma^4 + 2 sigma^2 ||mu||^2"
    cli = median_of(lambda: wall(nlpdrill("grade", "lab11.p6.b", answer, "--json"), home))
    return {
        "grade_median_ms": statistics.median(times),
        "grade_p99_ms": times[int(0.99 * (len(times) - 1))],
        "grade_cases": float(len(cases)),
        "grade_cli_s": cli,
    }


def bench_build(scratch: Path) -> dict[str, float]:
    def cold() -> float:
        folder = content_copy(scratch)
        return wall(
            nlpdrill("build", str(folder), "-o", str(folder.parent / "lab11.apkg")),
            fresh_home(scratch),
        )

    folder, home = content_copy(scratch), fresh_home(scratch)
    command = nlpdrill("build", str(folder), "-o", str(folder.parent / "lab11.apkg"))
    return {
        "build_cold_s": median_of(cold, warmup=0),
        "build_warm_s": median_of(lambda: wall(command, home)),
    }


def notes_of(apkg: Path, out: Path) -> None:
    """The notes of a built deck, as the baseline script reads them."""
    with zipfile.ZipFile(apkg) as archive:
        (out.parent / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(out.parent / "collection.anki2")
    (models_json,) = conn.execute("select models from col").fetchone()
    models = {
        mid: {
            "name": m["name"],
            "fields": [f["name"] for f in m["flds"]],
            "templates": [
                {"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in m["tmpls"]
            ],
            "css": m["css"],
            "type": m["type"],
        }
        for mid, m in json.loads(models_json).items()
    }
    notes = [
        {"model": mid, "fields": flds.split("\x1f"), "tags": tags.split(), "guid": guid}
        for guid, mid, flds, tags in conn.execute(
            "select guid, mid, flds, tags from notes order by id"
        )
    ]
    conn.close()
    out.write_text(json.dumps({"models": models, "notes": notes}), encoding="utf-8")


def edit_one_problem(folder: Path, run: int) -> None:
    """What an author does between two builds: reword one prompt of one problem."""
    path = folder / "p1.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "(variant 1"
    start = text.index(marker) + len(marker)
    end = text.index(")", start)
    path.write_text(text[:start] + f", edit {run}" + text[end:], encoding="utf-8")


def rebuild_after_edit(folder: Path, command: list[str], home: Path) -> Callable[[], float]:
    runs = count()

    def measure() -> float:
        edit_one_problem(folder, next(runs))
        return wall(command, home)

    return measure


def bench_scale(scratch: Path, sizes: tuple[int, ...]) -> dict[str, float]:
    """Per size: the first build (proves every part), a rebuild with nothing changed (the
    target's figure, as build_warm_s), and a rebuild after one problem was edited."""
    out: dict[str, float] = {}
    home = fresh_home(scratch)
    for size in sizes:
        folder = synth.write(Path(tempfile.mkdtemp(dir=scratch, prefix="synth-")) / "synth", size)
        deck = folder.parent / "synth.apkg"
        command = nlpdrill("build", str(folder), "-o", str(deck))
        out[f"scale_cold_{size}_s"] = wall(command, home)
        out[f"scale_{size}_s"] = median_of(lambda command=command: wall(command, home), warmup=0)
        out[f"scale_edit_{size}_s"] = median_of(rebuild_after_edit(folder, command, home), warmup=0)
        wall(command, home)  # leave the deck as the folder is, for the baseline below
    largest = max(sizes)
    out["scale_build_s"] = out[f"scale_{largest}_s"]
    notes_of(deck, folder.parent / "notes.json")
    script = str(ROOT / "bench" / "plain_genanki.py")
    baseline = [
        sys.executable,
        script,
        str(folder.parent / "notes.json"),
        str(folder.parent / "base.apkg"),
    ]
    out["genanki_s"] = median_of(lambda: wall(baseline, home), runs=2)
    measure_peak = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    # The peak of the heaviest build: the first one, of the largest folder, in a fresh home.
    folder = synth.write(Path(tempfile.mkdtemp(dir=scratch, prefix="synth-")) / "synth", largest)
    cold = nlpdrill("build", str(folder), "-o", str(folder.parent / "synth.apkg"))
    peak = subprocess.run(
        [sys.executable, "-c", measure_peak, *cold],
        cwd=ROOT, env=environment(fresh_home(scratch)), check=True, capture_output=True, text=True,
    )  # fmt: skip
    out["scale_peak_mb"] = int(peak.stdout.strip()) / 1024
    return out


def bench_tutor(scratch: Path) -> dict[str, float]:
    home = fresh_home(scratch)
    command = [sys.executable, str(ROOT / "bench" / "tutor_first.py"), "lab11.p6.b"]
    return {"tutor_first_question_s": median_of(lambda: until_painted(command, home))}


def bench_http(scratch: Path) -> dict[str, float]:
    """50 students at once over HTTP (SQLite), and the same turns in process."""
    from bench import web_load as http

    served, alone = fresh_home(scratch), fresh_home(scratch)
    for home in (served, alone):
        http.warm(ROOT, home)
    return {**http.over_http(ROOT, served), **http.in_process(alone)}


def bench_baselines(scratch: Path) -> dict[str, float]:
    """What DESIGN.md's targets assume of the machine, timed here: Python starting with
    numpy (≈ 0.1 s there) and a minimal Textual app's first frame (≈ 0.2 s there)."""
    home = fresh_home(scratch)
    numpy_start = [sys.executable, "-c", "import numpy"]
    textual = [sys.executable, str(ROOT / "bench" / "textual_minimal.py")]
    return {
        "python_numpy_start_s": median_of(lambda: wall(numpy_start, home), runs=5),
        "textual_minimal_s": median_of(lambda: until_painted(textual, home)),
    }


# -- report --------------------------------------------------------------------------------


def machine() -> str:
    python = platform.python_version()
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {python}, {platform.system()}"


# What DESIGN.md says its targets assume of the machine, and which of our baselines
# times the same thing here: each time target is scaled by that ratio in the table.
REFERENCE = {"python_numpy_start_s": 0.1, "textual_minimal_s": 0.2, "genanki_s": 0.2}
SCALED_BY = {
    "check_s": "python_numpy_start_s",
    "grade_cli_s": "python_numpy_start_s",
    "build_cold_s": "python_numpy_start_s",
    "build_warm_s": "python_numpy_start_s",
    "scale_build_s": "genanki_s",
    "tutor_first_question_s": "textual_minimal_s",
}


def on_reference(name: str, value: float, results: dict[str, float]) -> float | None:
    """An estimate of ``value`` on DESIGN.md's machine: this machine's figure times how
    much faster that machine runs the matching baseline. Only an estimate: the JSON
    line and the verdicts are the figures measured here."""
    baseline = SCALED_BY.get(name)
    if baseline is None or not results.get(baseline):
        return None
    return value * REFERENCE[baseline] / results[baseline]


def table(results: dict[str, float], ratios: dict[str, tuple[str, str]]) -> str:
    header = f"{'measure':<26}{'value':>10}  {'target':<8}{'':<8}{'≈ on reference':>15}"
    lines = [f"nlpdrill benchmark — {machine()}", "", header]
    for name, value in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("ok" if value <= target else "MISSED")
        shown_target = "" if target is None else f"≤ {target:g}"
        scaled = on_reference(name, value, results)
        estimate = "" if scaled is None else f"{scaled:.3f}"
        line = f"{name:<26}{value:>10.3f}  {shown_target:<8}{verdict:<8}{estimate:>15}"
        if name in ratios:
            numerator, denominator = ratios[name]
            line += f"   = {numerator} ÷ {denominator}"
        lines.append(line)
    lines += [
        "",
        "≈ on reference: the figure times (DESIGN.md's baseline ÷ this machine's), for "
        + ", ".join(f"{k} ≈ {v:g} s" for k, v in REFERENCE.items())
        + ". An estimate; the verdicts are this machine's.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--json", action="store_true", help="end with one JSON line of the DESIGN.md keys"
    )
    parser.add_argument("--sizes", default="250,500,1000", help="problems in the scale builds")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="nlpdrill-bench-") as tmp:
        scratch = Path(tmp)
        compile_sources()
        steps = (bench_baselines, bench_check, bench_grade, bench_build, bench_tutor, bench_http)
        for step in steps:
            results.update(step(scratch))
            print(f"… {step.__name__.removeprefix('bench_')} done", file=sys.stderr)
        results.update(bench_scale(scratch, sizes))
    largest = max(sizes)
    ratios = {**RATIOS, "build_vs_genanki": (f"scale_edit_{largest}_s", "genanki_s")}
    for name, (numerator, denominator) in ratios.items():
        results[name] = results[numerator] / results[denominator]
    print(table(results, ratios))
    if args.json:
        print(json.dumps({key: round(results[key], 4) for key in TARGETS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
