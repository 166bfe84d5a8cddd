"""``devvolume class`` on a zip with many progress files: seconds, and how often the zip is opened.

A zip of N progress files (one record each, as a learner's zip of N lesson folders would hold,
or a hostile one) is read with :func:`devvolume.teach._class_records.read_progress`, each case in
its own process:

- ``after``: this checkout (the zip is opened once; at most ``MAX_HANDIN_FILES`` of one hand-in's
  progress files are read, the rest listed as skipped);
- ``after, no cap``: the same with the cap lifted, so every member is read (the cost of one
  opening, without the cap's help);
- ``before`` (with ``--before DIR``): the code in ``DIR/src``, e.g. the previous commit, which
  reopened the archive for every member; a case that runs longer than ``--timeout`` is reported
  as not finished.

Usage: ``python benchmarks/bench_class.py [--entries 1000 4000 20000] [--before DIR]
[--timeout 600]``. Make ``DIR`` with ``mkdir -p DIR && git archive main src | tar -x -C DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CASE = """
import sys, time, zipfile
from devvolume.teach import _class_records as records
opened = []
class Counting(zipfile.ZipFile):
    def __init__(self, *args, **kwargs):
        opened.append(1)
        super().__init__(*args, **kwargs)
records.zipfile.ZipFile = Counting
if sys.argv[2] == "nocap":
    records.MAX_HANDIN_FILES = 10**9
started = time.perf_counter()
progress = records.read_progress(sys.argv[1])
print(time.perf_counter() - started, len(opened), len(progress.records))
"""


def make_zip(folder: Path, entries: int) -> Path:
    root = folder / f"class{entries}"
    root.mkdir()
    with zipfile.ZipFile(root / "王五.zip", "w") as archive:
        for number in range(entries):
            record = {"learner": "王五", "lesson": "01", "question": f"q{number}",
                      "outcome": "correct", "time": f"2026-05-06T10:{number % 60:02d}:00+08:00"}
            archive.writestr(f"w{number:05d}/.devvolume/progress.jsonl",
                             json.dumps(record, ensure_ascii=False) + "\n")  # fmt: skip
    return root


def run_case(root: Path, src: Path, mode: str, timeout: float) -> tuple[str, str, str]:
    """Seconds reading, zip openings and records read, or a note that it did not finish."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _CASE, str(root), mode], capture_output=True,
                              text=True, env=env, timeout=timeout, check=True)  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"> {time.perf_counter() - started:.0f} (stopped)", "?", "?"
    seconds, opened, records = done.stdout.split()
    return f"{float(seconds):.2f}", opened, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 4000, 20000])
    parser.add_argument("--before", type=Path, help="a folder whose src/ holds the code before")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        for entries in args.entries:
            root = make_zip(Path(temporary), entries)
            cases = [("after", ROOT / "src", "cap"), ("after, no cap", ROOT / "src", "nocap")]
            if args.before:
                cases.append(("before", args.before / "src", "cap"))
            for label, src, mode in cases:
                seconds, opened, records = run_case(root, src, mode, args.timeout)
                rows.append((entries, label, seconds, opened, records))
                print(f"  {entries:,} entries, {label}: {seconds} s", file=sys.stderr, flush=True)
    print("| zip entries | code | seconds | zip openings | records read |")
    print("|---:|---|---:|---:|---:|")
    for entries, label, seconds, opened, records in rows:
        print(f"| {entries:,} | {label} | {seconds} | {opened} | {records} |")


if __name__ == "__main__":
    main()
