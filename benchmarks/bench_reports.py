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

``--scale`` measures instead how a batch grows with the company (issue 15): it writes the
``directsales`` model scaled to 60 teams × 8 reps (seed 7: 243,007 rows, 480 reps) as a work-log
CSV and a targets CSV, then, with ``--jobs 2``:

(f) per-report seconds of rep reports on the case (all 42 reps) and on the big log (``--sample``
    reps, spread over the alphabet), back to back: the median and mean of each report's own
    seconds (from the folder's manifest; a worker's first report also loads the company);
(g) every rep report of the big log (``--scale-reports``, default all 480): total seconds and
    peak memory (the summed RSS, and PSS, of the command, its workers and their kernels).

``--before DIR`` runs (f), and (g) on ``--sample`` reps (time extrapolated), with the code in
``DIR/src`` (and its notebooks in ``DIR/notebooks/reports``) as well, for a before/after table
in the same run. Make ``DIR`` from the current tree with the report package of an older
commit::

    mkdir -p /tmp/before && cp -r src /tmp/before/ && ln -s "$PWD/datasets" /tmp/before/datasets
    git archive HEAD src/devvolume/report notebooks/reports | tar -x -C /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil

from devvolume import load_dataset
from devvolume.sim import CASES, simulate, write_simulation

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "reports" / "rep_report.ipynb"
BIN = Path(sys.executable).parent
SAMPLE_SECONDS = 0.1


#: The big company of ``--scale``: the directsales model with 60 teams of 8 reps.
SCALE_TEAMS, SCALE_REPS = 60, 8
#: Every this many samples, also the summed PSS (shared pages split between their users).
PSS_EVERY = 5


class PeakTreeRSS:
    """Sample the summed RSS (and PSS) of this process's descendants until stopped; keep the peaks."""

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
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
        sample = 0
        while not self._stop.is_set():
            total = pss = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                    if sample % PSS_EVERY == 0:
                        pss += _pss(child.pid)
                except (psutil.Error, OSError):
                    continue
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            sample += 1
            self._stop.wait(SAMPLE_SECONDS)


def _pss(pid: int) -> int:
    """Proportional set size (shared pages split between their users) from Linux's smaps_rollup.

    Cheaper than psutil's ``memory_full_info`` (which formats every mapping of the process);
    0 where there is no such file.
    """
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


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


# --- --scale: a batch on a company 11.7 times the case ---------------------------------------


@dataclass
class Batch:
    code: str
    source: str
    reports: int
    seconds: float
    peak_mb: float
    peak_pss_mb: float
    each: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.each)

    @property
    def mean(self) -> float:
        return statistics.mean(self.each)


def write_big_log(folder: Path) -> tuple[Path, Path, int]:
    """Write the scaled directsales company (work log and targets CSV); return paths and rows."""
    model = CASES["directsales"].model.replace(teams=SCALE_TEAMS, reps_per_team=SCALE_REPS)
    sim = simulate(model)
    write_simulation(sim, folder)
    return folder / "worklog.csv", folder / "targets.csv", len(sim.worklog)


def batch(code: str, tree: Path | None, source: str, out: Path, jobs: int, only: list[str],
          *extra: str) -> Batch:
    """Run ``devvolume report SOURCE --by rep`` (with the code in ``tree/src`` if given)."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ}
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    selection = [arg for name in only for arg in ("--only", name)]
    started = time.perf_counter()
    with PeakTreeRSS() as memory:
        run([sys.executable, "-m", "devvolume", "report", source, "--by", "rep", "--kind", "rep",
             "--out", str(out), "--jobs", str(jobs), "--no-progress", *selection, *extra],
            env=env)
    seconds = time.perf_counter() - started
    manifest = json.loads((out / ".devvolume-manifest.json").read_text(encoding="utf-8"))
    each = [entry["seconds"] for entry in manifest["reports"].values() if entry["status"] == "ok"]
    assert len(each) == (len(only) or len(each)), f"{len(each)} of {len(only)} reports written"
    row = Batch(code, source, len(each), seconds, memory.peak / 2**20, memory.peak_pss / 2**20, each)
    print(f"  {code:<7} {Path(source).name:<14} {row.reports:>4} reports {seconds:7.1f} s, "
          f"median {row.median:.2f} s, mean {row.mean:.2f} s, peak RSS {row.peak_mb:.0f} MB",
          flush=True)
    return row


def spread(names: list[str], count: int) -> list[str]:
    """``count`` names spread evenly over a sorted list."""
    step = max(1, len(names) // count)
    return names[::step][:count]


def scale(args: argparse.Namespace, out: Path) -> int:
    big, targets, rows = write_big_log(out / "big")
    case_reps = sorted(load_dataset("directsales").worklog["rep"].unique())
    big_reps = sorted(pd.read_csv(big, usecols=["rep"])["rep"].unique())
    sample = spread(big_reps, args.sample)
    print(f"big log: {rows:,} rows, {len(big_reps)} reps; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()}", flush=True)
    codes: list[tuple[str, Path | None]] = [("after", None)]
    if args.before:
        codes.insert(0, ("before", args.before))
    rows_: list[Batch] = []
    for code, tree in codes:
        rows_.append(batch(code, tree, "directsales", out / f"{code}_case", args.jobs, case_reps))
        rows_.append(batch(code, tree, str(big), out / f"{code}_big", args.jobs, sample,
                           "--targets", str(targets)))
    everyone = big_reps[: args.scale_reports] if args.scale_reports else big_reps
    full: list[tuple[Batch, str]] = []
    if args.before:
        measured = next(row for row in rows_ if row.code == "before" and row.source == str(big))
        factor = len(everyone) / measured.reports
        full.append((measured, f"measured on {measured.reports} reports, time ×{factor:.1f}"))
    full.append((batch("after", None, str(big), out / "after_all", args.jobs, everyone,
                       "--targets", str(targets)), ""))
    print(f"\nload average after: {os.getloadavg()}\n")
    print("per-report seconds (each report's own time; rep reports, --jobs 2):")
    header = f"{'code':<7} {'source':<28} {'reports':>7} {'median':>7} {'mean':>6} {'× case':>7}"
    print(header)
    print("-" * len(header))
    for code, _ in codes:
        case = next(row for row in rows_ if row.code == code and row.source == "directsales")
        for row in (row for row in rows_ if row.code == code):
            label = ("directsales (20,841 rows)" if row.source == "directsales"
                     else f"big ({rows:,} rows)")
            print(f"{code:<7} {label:<28} {row.reports:>7} {row.median:>7.2f} {row.mean:>6.2f} "
                  f"{row.median / case.median:>6.2f}×")
    print(f"\nevery rep report of the big log ({len(everyone)}), --jobs {args.jobs}:")
    header = (f"{'code':<7} {'reports':>7} {'seconds':>9} {'s/report':>8} {'peak RSS MB':>11} "
              f"{'peak PSS MB':>11}")
    print(header)
    print("-" * len(header))
    for row, note in full:
        factor = len(everyone) / row.reports
        print(f"{row.code:<7} {len(everyone):>7} {row.seconds * factor:>9.1f} "
              f"{row.seconds / row.reports:>8.2f} {row.peak_mb:>11.0f} {row.peak_pss_mb:>11.0f}"
              f"{'  (' + note + ')' if note else ''}")
    print(f"\noutputs in {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline-subset", type=int, default=0,
                        help="run the baseline on the first N reps only and extrapolate")
    parser.add_argument("--no-baseline", action="store_true", help="skip the (slow) baseline")
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temp dir)")
    parser.add_argument("--scale", action="store_true",
                        help="case against a 243,007-row company, and all its 480 rep reports")
    parser.add_argument("--sample", type=int, default=48,
                        help="--scale: reps of the big log for the per-report comparison")
    parser.add_argument("--scale-reports", type=int, default=0,
                        help="--scale: rep reports of the big log in the full run (default all)")
    parser.add_argument("--before", type=Path,
                        help="--scale: also run the code in DIR/src, for a before/after table")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_reports_"))
    if args.scale:
        return scale(args, out)
    reps = sorted(load_dataset("directsales").worklog["rep"].unique())
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
