"""Ctrl-C at every named moment, driven deterministically, and the rules behind a clean stop.

Each command runs as a terminal would run it: a process group of its own (the terminal's Ctrl-C
goes to the whole group). The program presses Ctrl-C itself when it reaches the moment the test
names (``DEVVOLUME_TEST_INTERRUPT_AT``, see :mod:`devvolume._interrupt`), or waits there for the
test's Ctrl-C (``DEVVOLUME_TEST_PAUSE_AT``): no sleeps, nothing timed. Every run must then exit
with 130, print one line and no traceback, and leave no process behind (found by a marker in
the environment, which workers and kernels inherit). How fast it stops is measured by
``benchmarks/bench_interrupt.py``, not asserted here.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pandas as pd
import psutil
import pytest

from devvolume import _interrupt
from devvolume._interrupt import (
    INTERRUPT_AT_ENV,
    INTERRUPTED,
    PAUSE_AT_ENV,
    PAUSED,
    checkpoint,
    deferred,
    handled,
)
from devvolume.cli import _parser
from devvolume.report._engine import INTERRUPTED as NOT_FINISHED
from devvolume.report._engine import Outcome, _drain, _forget, _WorkerLoop
from devvolume.report._folder import LOCK

ROOT = Path(__file__).resolve().parents[1]
#: The installed console command (its entry point handles Ctrl-C before the package loads).
CONSOLE = Path(sys.executable).parent / "devvolume"
TEAMS = ["甲组", "乙组", "丙组"]
#: Seconds any one command may take here before the test gives up (a hang guard, not a timing).
HANG = 600
MARKER = "DEVVOLUME_TEST_RUN"
#: Seconds a process left behind may take to end by itself before the test says so (a guard).
GONE = 60

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")


def tiny_log(path: Path, teams: list[str] = TEAMS) -> Path:
    rows = []
    for number, team in enumerate(teams):
        for step, (day, stage) in enumerate([("2026-01-05", "首次接触"), ("2026-01-20", "签约"),
                                             ("2026-02-03", "成交"), ("2026-02-05", "首次接触")]):
            rows.append({"日期": day, "销售员": f"R{number}", "团队": team,
                         "客户": f"{number}-C{step // 3}", "阶段": stage})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class Run:
    """A command started in its own process group, with a marker that its descendants inherit."""

    def __init__(self, args: list[str], *, cwd: Path, console: bool = False, **env: str) -> None:
        self.marker = uuid.uuid4().hex
        command = [str(CONSOLE)] if console else [sys.executable, "-m", "devvolume"]
        self.process = subprocess.Popen(
            [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8", cwd=cwd, start_new_session=True,
            env={**os.environ, MARKER: self.marker, **env})  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.err: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        with self.process.stderr:
            for line in self.process.stderr:
                self.err.append(line)
                self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str, times: int = 1) -> None:
        """Wait until stderr has shown ``text`` on ``times`` lines (the program paused there)."""
        seen = 0
        while seen < times:
            line = self.lines.get(timeout=HANG)
            assert line is not None, "".join(self.err)
            seen += text in line

    def ctrl_c(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def finish(self) -> tuple[int, str, str]:
        assert self.process.stdout is not None
        with self.process.stdout:
            out = self.process.stdout.read()
        code = self.process.wait(timeout=HANG)
        self._reader.join(timeout=HANG)
        return code, out, "".join(self.err)

    def left_behind(self) -> list[psutil.Process]:
        """Processes still running with this run's marker (workers, kernels, browsers)."""
        found = []
        for process in psutil.process_iter():
            try:
                if process.environ().get(MARKER) == self.marker:
                    found.append(process)
            except (psutil.Error, OSError):
                continue
        found = [process for process in found if _running(process)]
        if found:  # a kernel may take a moment to notice its worker is gone (a hang guard)
            _, found = psutil.wait_procs(found, timeout=GONE)
        return [process for process in found if _running(process)]


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE  # a zombie has ended, unreaped
    except psutil.NoSuchProcess:
        return False


def assert_clean_stop(run: Run) -> tuple[str, str]:
    code, out, err = run.finish()
    assert code == 130, err
    assert "Traceback" not in err + out, err
    lines = [line for line in err.splitlines() if line.strip() and PAUSED not in line]
    assert len(lines) == 1, err  # one line
    assert lines[0].startswith(INTERRUPTED), err
    assert run.left_behind() == []
    return out, err


def statuses(out: Path) -> dict[str, str]:
    summary = pd.read_csv(out / "summary.csv", encoding="utf-8-sig", dtype=str)
    return dict(zip(summary["name"], summary["status"], strict=True))


# --- every command, while the package loads and when it starts ------------------------------------


def test_ctrl_c_while_the_package_is_imported(tmp_path: Path) -> None:
    run = Run(["validate", "nothing.csv"], cwd=tmp_path, console=True,
              **{INTERRUPT_AT_ENV: "import"})  # fmt: skip
    _, err = assert_clean_stop(run)
    assert err.strip() == INTERRUPTED


def _sample_arguments(name: str, parser: argparse.ArgumentParser) -> list[str]:
    """Arguments that parse for a subcommand: each positional and required option given a value."""
    args = []
    for action in parser._actions:
        if not action.option_strings and action.nargs in (None, 1):
            args.append("x")
        elif action.required and action.option_strings:
            args += [action.option_strings[0], "x"]
    return [name, *args]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_ctrl_c_as_any_command_starts(command: str, tmp_path: Path) -> None:
    """main() stops every subcommand the same way, ``import`` and those yet to come included."""
    args = _sample_arguments(command, _subcommands()[command])
    run = Run(args, cwd=tmp_path, **{INTERRUPT_AT_ENV: "command"})
    _, err = assert_clean_stop(run)
    assert err.strip() == INTERRUPTED


# --- a report batch ------------------------------------------------------------------------------


def test_ctrl_c_while_the_kernels_start(tmp_path: Path) -> None:
    log = tiny_log(tmp_path / "log.csv")
    # both workers press Ctrl-C once their kernel exists, and wait to be stopped: two Ctrl-C
    run = Run(["report", str(log), "--out", "out", "--jobs", "2", "--no-progress"], cwd=tmp_path,
              **{INTERRUPT_AT_ENV: "kernel"})  # fmt: skip
    _, err = assert_clean_stop(run)
    assert "未完成 3 份" in err
    assert statuses(tmp_path / "out") == dict.fromkeys(TEAMS, "interrupted")
    assert "未完成（已中断）" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not list((tmp_path / "out").glob("team_*.html"))


def test_ctrl_c_mid_batch(tmp_path: Path) -> None:
    log = tiny_log(tmp_path / "log.csv")
    # one worker: the first report is written, the second is running when Ctrl-C comes
    run = Run(["report", str(log), "--out", "out", "--no-progress"], cwd=tmp_path,
              **{INTERRUPT_AT_ENV: "report#2"})  # fmt: skip
    assert_clean_stop(run)
    first, *rest = sorted(TEAMS)
    assert statuses(tmp_path / "out") == {first: "ok", **dict.fromkeys(rest, "interrupted")}
    assert [path.name for path in (tmp_path / "out").glob("team_*.html")] == [f"team_{first}.html"]


def test_ctrl_c_while_a_cell_runs_in_the_kernel(tmp_path: Path) -> None:
    log = tiny_log(tmp_path / "log.csv")
    # the third cell of the first report has been sent to the kernel when Ctrl-C comes; the
    # worker is stopped in the middle of it, and its kernel shut down: not a failure, no noise
    run = Run(["report", str(log), "--out", "out", "--no-progress"], cwd=tmp_path,
              **{INTERRUPT_AT_ENV: "cell#3"})  # fmt: skip
    _, err = assert_clean_stop(run)
    assert "DeadKernelError" not in err
    assert statuses(tmp_path / "out") == dict.fromkeys(TEAMS, "interrupted")


def test_ctrl_c_while_the_index_is_written(tmp_path: Path) -> None:
    log = tiny_log(tmp_path / "log.csv")
    run = Run(["report", str(log), "--out", "out", "--no-progress"], cwd=tmp_path,
              **{INTERRUPT_AT_ENV: "index"})  # fmt: skip
    _, err = assert_clean_stop(run)
    assert "都已完成" in err
    # the index and summary.csv are whole, and say every report is done
    assert statuses(tmp_path / "out") == dict.fromkeys(TEAMS, "ok")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert index.rstrip().endswith("</html>")
    assert all(team in index for team in TEAMS)


def test_ctrl_c_while_waiting_then_a_rerun_finishes(tmp_path: Path) -> None:
    """The person's Ctrl-C (from outside) while both workers are running their second report."""
    teams = [*TEAMS, "丁组", "戊组"]
    log = tiny_log(tmp_path / "log.csv", teams)
    run = Run(["report", str(log), "--out", "out", "--jobs", "2", "--no-progress"], cwd=tmp_path,
              **{PAUSE_AT_ENV: "report#2"})  # fmt: skip
    run.wait_for(PAUSED, times=2)
    # meanwhile a second batch into the same folder is refused, naming the first
    second = subprocess.run([sys.executable, "-m", "devvolume", "report", str(log), "--out", "out",
                             "--no-progress"], capture_output=True, text=True, encoding="utf-8",
                            cwd=tmp_path, timeout=HANG, check=False)  # fmt: skip
    assert second.returncode == 1
    assert f"another devvolume report run (process {run.process.pid}" in second.stderr
    assert "Hint:" in second.stderr
    family = psutil.Process(run.process.pid).children(recursive=True)
    assert len(family) >= 4  # two workers and their kernels
    run.ctrl_c()
    assert_clean_stop(run)
    found = statuses(tmp_path / "out")
    assert sorted(found.values()) == ["interrupted"] * 3 + ["ok"] * 2
    assert not (tmp_path / "out" / LOCK).read_text(encoding="utf-8")  # the lock is released
    # a rerun keeps what was done and makes the rest
    again = subprocess.run([sys.executable, "-m", "devvolume", "report", str(log), "--out", "out",
                            "--no-progress"], capture_output=True, text=True, encoding="utf-8",
                           cwd=tmp_path, timeout=HANG, check=False)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "未变、沿用 / unchanged, kept: 2" in again.stdout
    assert set(statuses(tmp_path / "out").values()) == {"ok"}


# --- the class ----------------------------------------------------------------------------------


def _class_folder(root: Path) -> Path:
    for number, name in enumerate(["张三", "李四"]):
        record = (f'{{"learner": "{name}", "lesson": "01", "question": "q1", "outcome": "correct", '
                  f'"time": "2026-05-06T10:0{number}:00+08:00"}}\n')
        path = root / name / ".devvolume" / "progress.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text(record, encoding="utf-8")
    return root


def test_ctrl_c_while_class_reads(tmp_path: Path) -> None:
    folder = _class_folder(tmp_path / "class")
    run = Run(["class", str(folder), "--out", "out"], cwd=tmp_path, **{INTERRUPT_AT_ENV: "class"})
    assert_clean_stop(run)
    assert not (tmp_path / "out").exists()


def test_ctrl_c_while_class_writes(tmp_path: Path) -> None:
    folder = _class_folder(tmp_path / "class")
    run = Run(["class", str(folder), "--out", "out"], cwd=tmp_path,
              **{INTERRUPT_AT_ENV: "class-write"})  # fmt: skip
    assert_clean_stop(run)
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    # held until every file was written: no half set, no temporary file left
    assert written == [".devvolume-class", "class_progress.html", "learners.csv",
                       "misconceptions.csv", "mistakes.csv", "questions.csv"]


# --- the rules, in process -----------------------------------------------------------------------


def test_the_first_ctrl_c_stops_and_later_ones_let_the_cleanup_finish() -> None:
    cleaned, stopped = [], []
    with handled():
        try:
            try:
                signal.raise_signal(signal.SIGINT)
            finally:
                signal.raise_signal(signal.SIGINT)  # impatient: a second Ctrl-C during cleanup
                cleaned.append(True)
        except KeyboardInterrupt:
            stopped.append(True)
    assert cleaned == stopped == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_a_deferred_step_finishes_and_says_ctrl_c_came() -> None:
    done = []
    with handled():
        with deferred() as held:
            signal.raise_signal(signal.SIGINT)
            done.append(True)
        assert held.interrupted
        assert done == [True]
        signal.raise_signal(signal.SIGINT)  # it counted as the first: this one is ignored
    with deferred() as quiet:
        pass
    assert not quiet.interrupted


def test_checkpoints_do_nothing_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_interrupt, "_reached", {})
    monkeypatch.delenv(INTERRUPT_AT_ENV, raising=False)
    monkeypatch.delenv(PAUSE_AT_ENV, raising=False)
    checkpoint("report")  # returns at once
    monkeypatch.setenv(INTERRUPT_AT_ENV, "report#2")
    monkeypatch.setattr(os, "getpgrp", lambda: os.getpid())
    pressed: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "killpg", lambda group, sig: pressed.append((group, sig)))
    checkpoint("index")
    checkpoint("report")
    assert pressed == []
    checkpoint("report")
    assert pressed == [(os.getpid(), signal.SIGINT)]


def test_a_report_that_fails_after_ctrl_c_did_not_finish() -> None:
    """A kernel that dies because of the interrupt is not a failure; a finished report is kept."""
    done: queue.Queue[tuple[str, int, int, object]] = queue.Queue()
    done.put(("done", 0, 0, Outcome(True, 1.0)))
    done.put(("done", 1, 1, Outcome(False, 2.0, "DeadKernelError: Kernel died", "Traceback ...")))
    done.put(("kernel", 1, -1, 4321))
    outcomes: dict[int, Outcome] = {}
    kernels: dict[int, int] = {}
    _drain(done, outcomes, kernels)
    assert outcomes[0].ok
    assert outcomes[1] == Outcome(False, 2.0, NOT_FINISHED, interrupted=True)
    assert kernels == {1: 4321}


def test_a_worker_loop_refuses_signal_handlers() -> None:
    """nbclient's handlers would shut a warm kernel down on Ctrl-C; a worker's loop refuses them."""
    loop = _WorkerLoop()
    try:
        with pytest.raises(RuntimeError, match="report worker"):
            loop.add_signal_handler(signal.SIGINT, lambda: None)
        assert not loop.remove_signal_handler(signal.SIGINT)
    finally:
        loop.close()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_stopped_reports_task_errors_are_taken_quietly(caplog: pytest.LogCaptureFixture) -> None:
    """After a worker shuts its kernel down on purpose, asyncio must not print the cell's error."""

    async def dies() -> None:
        msg = "Kernel died"
        raise RuntimeError(msg)

    def worker() -> None:  # a thread of its own: no event loop of another test in the way
        loop = asyncio.new_event_loop()
        try:
            tasks = [loop.create_task(dies()), loop.create_task(dies())]
            loop.run_until_complete(asyncio.wait(tasks))
            _forget(tasks[:1])  # the other one's error is left untaken
        finally:
            loop.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    gc.collect()
    assert caplog.text.count("Task exception was never retrieved") == 1  # only the one left
