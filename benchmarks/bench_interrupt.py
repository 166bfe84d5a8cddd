"""How long Ctrl-C takes to stop a command, from each moment the tests name (issue 23).

Each command runs as a terminal runs it, in a process group of its own. It waits at the named
moment (``DEVVOLUME_TEST_PAUSE_AT``, see :mod:`devvolume._interrupt`) and says so on stderr; then
the benchmark presses Ctrl-C (SIGINT to the group) and measures

- **exited**: seconds until the command has exited (its status is in the table: 130 expected),
- **all gone**: seconds until every process of the run (workers, kernels: found by a marker in
  the environment they inherit) has ended,

and checks that stderr holds one line and no traceback. The ``running`` row presses Ctrl-C
without a pause while reports run in their kernels (once the first report of ``directsales
--by rep --jobs 2`` is written), as a person would. The tests assert what happens; this only
measures how fast (the aim: within 2 s, on an idle machine).

Usage: ``python benchmarks/bench_interrupt.py [--repeat 3] [--moments import kernel ...]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = Path(sys.executable).parent / "devvolume"
MARKER = "DEVVOLUME_BENCH_RUN"
PAUSED = "devvolume-test: paused at"
TEAMS = ["甲组", "乙组", "丙组", "丁组", "戊组"]


def tiny_log(path: Path) -> Path:
    rows = []
    for number, team in enumerate(TEAMS):
        for step, (day, stage) in enumerate([("2026-01-05", "首次接触"), ("2026-01-20", "签约"),
                                             ("2026-02-03", "成交"), ("2026-02-05", "首次接触")]):
            rows.append({"日期": day, "销售员": f"R{number}", "团队": team,
                         "客户": f"{number}-C{step // 3}", "阶段": stage})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def class_folder(root: Path) -> Path:
    for number, name in enumerate(["张三", "李四"]):
        path = root / name / ".devvolume" / "progress.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text(f'{{"learner": "{name}", "lesson": "01", "question": "q1", "outcome": '
                        f'"correct", "time": "2026-05-06T10:0{number}:00+08:00"}}\n',
                        encoding="utf-8")  # fmt: skip
    return root


def cases(folder: Path) -> dict[str, tuple[list[str], str, int]]:
    """moment -> (command line, the pause named, how many processes pause there)."""
    log, klass = str(tiny_log(folder / "log.csv")), str(class_folder(folder / "class"))
    report = ["report", log, "--out", "OUT", "--jobs", "2", "--no-progress"]
    return {
        "import": ([str(CONSOLE), "validate", log], "import", 1),
        "kernel": ([str(CONSOLE), *report], "kernel", 2),
        "report": ([str(CONSOLE), *report], "report#2", 2),
        "running": ([str(CONSOLE), "report", "directsales", "--by", "rep", "--kind", "rep", "--out",
                     "OUT", "--jobs", "2", "--no-progress"], "", 0),
        "index": ([str(CONSOLE), "report", log, "--out", "OUT", "--no-progress"], "index", 1),
        "class": ([str(CONSOLE), "class", klass, "--out", "OUT"], "class", 1),
        "class-write": ([str(CONSOLE), "class", klass, "--out", "OUT"], "class-write", 1),
    }  # fmt: skip


def once(command: list[str], pause: str, pauses: int, out: Path) -> tuple[int, float, float, bool]:
    marker = uuid.uuid4().hex
    env = {**os.environ, MARKER: marker}
    if pause:
        env["DEVVOLUME_TEST_PAUSE_AT"] = pause
    command = [str(out) if part == "OUT" else part for part in command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", start_new_session=True, env=env,
                               cwd=out.parent)  # fmt: skip
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        with process.stderr:
            for line in process.stderr:
                lines.append(line)
                if sum(PAUSED in seen for seen in lines) >= pauses:
                    ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if pause:
        ready.wait()
    else:  # as a person would: once the first report is out, while others run
        while not any(out.glob("rep_*.html")) and process.poll() is None:
            time.sleep(0.05)
    family = _marked(marker)
    pressed = time.perf_counter()
    os.killpg(process.pid, signal.SIGINT)
    code = process.wait()
    exited = time.perf_counter() - pressed
    psutil.wait_procs(family, timeout=120)
    gone = time.perf_counter() - pressed
    reader.join()
    said = [line for line in lines if line.strip() and PAUSED not in line]
    clean = len(said) == 1 and "Traceback" not in "".join(lines) and not _marked(marker)
    return code, exited, gone, clean


def _marked(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(MARKER) == marker and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--moments", nargs="+")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for moment, (command, pause, pauses) in cases(folder).items():
            if args.moments and moment not in args.moments:
                continue
            results = []
            for number in range(args.repeat):
                out = folder / f"{moment}-{number}" / "out"
                out.parent.mkdir()
                results.append(once(command, pause, pauses, out))
                print(f"  {moment} #{number + 1}: {results[-1]}", file=sys.stderr, flush=True)
            rows.append((moment, results))
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| moment | runs | exit status | exited (s, median / max) | all gone (s, median / max) "
          "| one line, no traceback, nothing left |")
    print("|---|---:|---|---:|---:|---|")
    for moment, results in rows:
        codes = sorted({code for code, *_ in results})
        exited = [result[1] for result in results]
        gone = [result[2] for result in results]
        clean = all(result[3] for result in results)
        print(f"| {moment} | {len(results)} | {', '.join(map(str, codes))} | "
              f"{statistics.median(exited):.2f} / {max(exited):.2f} | "
              f"{statistics.median(gone):.2f} / {max(gone):.2f} | {'yes' if clean else 'NO'} |")


if __name__ == "__main__":
    main()
