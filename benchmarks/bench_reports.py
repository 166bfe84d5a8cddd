"""Instructor reports: warm-kernel batch vs the obvious papermill + nbconvert loop.

For every rep of ``directsales`` (``--by rep --kind rep``) it times, on the same machine in the
same run:

(a) baseline: a serial loop of ``papermill rep_report.ipynb out.ipynb -r source directsales
    -r rep NAME -r period M -r lang zh`` followed by ``jupyter nbconvert --to html --no-input``;
(b) ours: ``python -m devvolume report directsales --by rep --kind rep --jobs 2``.

Both run as child processes; peak memory is the largest sum of RSS over the whole process tree
(the command, its workers and their kernels), sampled every 0.1 s with psutil.

Then, for the batch's own behaviour (issue 11):

(c) a rerun into the same folder: every report unchanged, so skipped;
(d) ``--pdf``: the same batch with an A4 PDF beside each report (headless Chromium), the extra
    seconds per report;
(e) Ctrl-C: SIGINT to the process group once the first report is written; seconds until the
    command has exited (130) and every worker and kernel is gone.

Usage: ``python benchmarks/bench_reports.py [--jobs 2] [--baseline-subset N] [--no-baseline]
[--out DIR]``. ``--baseline-subset N`` runs the baseline on the first N reps only and
extrapolates its time to all reps; the table says so. Without it the baseline runs in full.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from devvolume import load_dataset

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "reports" / "rep_report.ipynb"
BIN = Path(sys.executable).parent
SAMPLE_SECONDS = 0.1


class PeakTreeRSS:
    """Sample the summed RSS of this process's descendants until stopped; keep the peak."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakTreeRSS:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(SAMPLE_SECONDS)


@dataclass
class Row:
    name: str
    reports: int
    seconds: float
    peak_mb: float
    note: str = ""

    @property
    def per_minute(self) -> float:
        return self.reports / self.seconds * 60


def run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        msg = f"command failed ({done.returncode}): {' '.join(command[:6])} ..."
        raise RuntimeError(msg)


def baseline(reps: list[str], out: Path) -> tuple[float, float]:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with PeakTreeRSS() as memory:
        for number, rep in enumerate(reps):
            executed = out / f"rep_{number:02d}.ipynb"
            run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-r", "source", "directsales",
                 "-r", "rep", rep, "-r", "period", "M", "-r", "lang", "zh", "--no-progress-bar"])
            run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
            print(f"  baseline {number + 1}/{len(reps)} {time.perf_counter() - started:7.1f} s",
                  flush=True)
    assert len(list(out.glob("*.html"))) == len(reps)
    return time.perf_counter() - started, memory.peak / 2**20


def ours(out: Path, jobs: int, reps: int, *extra: str) -> tuple[float, float]:
    started = time.perf_counter()
    with PeakTreeRSS() as memory:
        run([sys.executable, "-m", "devvolume", "report", "directsales", "--by", "rep", "--kind", "rep",
             "--out", str(out), "--jobs", str(jobs), "--no-progress", *extra])
    assert len(list(out.glob("rep_*.html"))) == reps
    if "--pdf" in extra:
        assert len(list(out.glob("rep_*.pdf"))) == reps
    return time.perf_counter() - started, memory.peak / 2**20


def ctrl_c(out: Path, jobs: int) -> tuple[float, bool]:
    """Seconds from SIGINT (to the process group) to exit 130 with every child gone."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devvolume", "report", "directsales", "--by", "rep", "--out", str(out),
         "--jobs", str(jobs), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    while not any(out.glob("rep_*.html")):
        time.sleep(0.05)
    family = psutil.Process(process.pid).children(recursive=True)
    started = time.perf_counter()
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family):
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    return seconds, process.returncode == 130 and "Traceback" not in stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline-subset", type=int, default=0,
                        help="run the baseline on the first N reps only and extrapolate")
    parser.add_argument("--no-baseline", action="store_true", help="skip the (slow) baseline")
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temp dir)")
    args = parser.parse_args(argv)
    reps = sorted(load_dataset("directsales").worklog["rep"].unique())
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_reports_"))
    for folder in ("ours", "baseline", "pdf", "interrupted"):
        shutil.rmtree(out / folder, ignore_errors=True)
    print(f"{len(reps)} reps; {os.cpu_count()} CPUs; load average {os.getloadavg()}", flush=True)

    seconds, peak = ours(out / "ours", args.jobs, len(reps))
    rows = [Row(f"ours: build_reports(jobs={args.jobs})", len(reps), seconds, peak)]
    print(f"  ours {seconds:.1f} s", flush=True)
    first = seconds
    seconds, peak = ours(out / "ours", args.jobs, len(reps))
    rows.append(Row("ours: rerun, every report unchanged", len(reps), seconds, peak))
    seconds, peak = ours(out / "pdf", args.jobs, len(reps), "--pdf")
    rows.append(Row(f"ours: build_reports(jobs={args.jobs}, pdf=True)", len(reps), seconds, peak,
                    f"{(seconds - first) / len(reps) * args.jobs:.2f} s more per report and worker"))
    stopped, clean = ctrl_c(out / "interrupted", args.jobs)
    print(f"  Ctrl-C: stopped in {stopped:.2f} s (exit 130, no traceback: {clean})", flush=True)
    if args.no_baseline:
        for row in rows:
            print(f"{row.name:<48} {row.reports:>7} {row.seconds:>9.1f} {row.per_minute:>11.1f} "
                  f"{row.peak_mb:>11.0f}  {row.note}")
        return 0

    subset = reps[: args.baseline_subset] if args.baseline_subset else reps
    seconds, peak = baseline(subset, out / "baseline")
    note = ""
    if len(subset) < len(reps):
        note = f"measured on {len(subset)} reps, time extrapolated ×{len(reps) / len(subset):.2f}"
        seconds *= len(reps) / len(subset)
    rows.insert(0, Row("baseline: papermill CLI + nbconvert CLI, serial", len(reps), seconds, peak, note))

    base = rows[0].seconds
    print(f"\nload average after: {os.getloadavg()}")
    header = f"{'approach':<48} {'reports':>7} {'seconds':>9} {'reports/min':>11} {'peak RSS MB':>11} {'speed-up':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.name:<48} {row.reports:>7} {row.seconds:>9.1f} {row.per_minute:>11.1f} "
              f"{row.peak_mb:>11.0f} {base / row.seconds:>7.1f}×")
        if row.note:
            print(f"  ({row.note})")
    print(f"\noutputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
