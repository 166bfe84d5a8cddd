"""Ctrl-C on the command line: one clean stop at any moment, and named moments for the tests.

A person presses Ctrl-C at any moment, once or (impatiently) several times: while Python imports
the package, while report kernels start, in the middle of a batch, while the index is written,
while ``class`` reads a class folder. The command then stops, prints one line, exits with
:data:`INTERRUPTED_STATUS` (130, what shells expect after Ctrl-C), and leaves no process behind
and no file half written:

- :func:`handled` (around a whole command): the first Ctrl-C raises ``KeyboardInterrupt`` where
  the program is; later ones are only noted, so the cleanup it starts (stopping the workers and
  their kernels, writing the index that marks what did not finish) is never cut short.
- :func:`deferred` (around a short step that must finish whole, such as writing an index and
  its ``summary.csv``): a Ctrl-C inside is held, and the caller stops when the step is done.
- :func:`checkpoint`: a named moment of the program. When the environment variable
  :data:`INTERRUPT_AT_ENV` names it, the program presses Ctrl-C itself there, as a terminal
  does (SIGINT to its whole process group); when :data:`PAUSE_AT_ENV` names it, the program
  says so on stderr (:data:`PAUSED`) and waits there for someone else's Ctrl-C. The tests hit
  each moment that way, deterministically, without sleeping or timing anything, and
  ``benchmarks/bench_interrupt.py`` measures how long the stop takes from each.

Only the main thread may change signal handlers; elsewhere (a notebook's background thread)
these are no-ops and Python's own Ctrl-C handling applies.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType

#: The exit status after Ctrl-C: 128 + SIGINT, as a shell reports a program Ctrl-C stopped.
INTERRUPTED_STATUS = 130
#: The one line printed when Ctrl-C stopped a command (more may follow it on the same line).
INTERRUPTED = "已中断 / interrupted (Ctrl-C)"
#: Names the moment at which :func:`checkpoint` presses Ctrl-C: ``moment`` or ``moment#n`` for
#: the n-th time a process reaches it. For tests and benchmarks only.
INTERRUPT_AT_ENV = "DEVVOLUME_TEST_INTERRUPT_AT"
#: Names a moment (as above) at which :func:`checkpoint` waits for a Ctrl-C from outside.
PAUSE_AT_ENV = "DEVVOLUME_TEST_PAUSE_AT"
#: What a paused process prints on stderr (then the moment and its process id), on a line.
PAUSED = "devvolume-test: paused at"

_reached: dict[str, int] = {}


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _first(signum: int, frame: FrameType | None) -> None:
    """Stop the program where it is, once: a further Ctrl-C must not cut its cleanup short."""
    signal.signal(signal.SIGINT, _again)
    raise KeyboardInterrupt


def _again(signum: int, frame: FrameType | None) -> None:
    """Already stopping: let the cleanup finish."""


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Inside the block, the first Ctrl-C raises ``KeyboardInterrupt`` and later ones are ignored.

    The handler in place before the block is restored after it.
    """
    if not _main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class Held:
    """Whether Ctrl-C was pressed while a :func:`deferred` block ran."""

    interrupted: bool = False


@contextlib.contextmanager
def deferred() -> Iterator[Held]:
    """Hold Ctrl-C while a step that must finish whole runs; ``.interrupted`` says if one came.

    The caller decides what to do after the block (raise, or mark what did not finish). Inside
    :func:`handled`, that counts as the first Ctrl-C: further ones are then ignored.
    """
    held = Held()
    if not _main_thread():
        yield held
        return

    def note(signum: int, frame: FrameType | None) -> None:
        held.interrupted = True

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, _again if held.interrupted and previous is _first
                      else previous)  # fmt: skip


def checkpoint(moment: str, *, hold: bool = False) -> None:
    """Press Ctrl-C here, or wait for one, if the tests' environment names this moment.

    Parameters
    ----------
    moment : str
        The moment's name, e.g. ``"import"``, ``"kernel"``, ``"report"``, ``"index"``.
    hold : bool
        After pressing, wait here until this process is stopped: a report worker (which
        ignores Ctrl-C) waits for the command to stop it, so that what it was doing is
        deterministically unfinished.
    """
    press = _names(moment, INTERRUPT_AT_ENV)
    pause = _names(moment, PAUSE_AT_ENV)
    if not (press or pause):
        return
    _reached[moment] = count = _reached.get(moment, 0) + 1
    if count not in (press, pause):
        return
    with _woken() as wait:  # in place before anything is pressed or said: no signal is missed
        if count == press:
            if hasattr(os, "killpg"):
                os.killpg(os.getpgrp(), signal.SIGINT)  # the terminal's Ctrl-C: the whole group
            else:  # pragma: no cover - Windows
                signal.raise_signal(signal.SIGINT)
        else:
            print(f"{PAUSED} {moment} {os.getpid()}", file=sys.stderr, flush=True)
            wait()  # then a handler runs: Ctrl-C raises, or is held (deferred), or a SIGTERM
            return
        while hold:  # until a handler raises: a worker ignores Ctrl-C, and waits for its SIGTERM
            wait()


@contextlib.contextmanager
def _woken() -> Iterator[Callable[[], None]]:
    """Give a function that waits until a signal with a handler has arrived since the block began.

    ``signal.pause()`` would miss a signal that came just before it (and wait for ever); the
    signal module's wake-up file keeps it: the wait returns, and the handler runs right after.
    """
    if not _main_thread() or not hasattr(os, "pipe"):  # pragma: no cover - not a command's thread
        yield lambda: time.sleep(1)
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)

    def wait() -> None:
        select.select([read], [], [])
        os.read(read, 512)

    try:
        yield wait
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read)
        os.close(write)


def _names(moment: str, variable: str) -> int:
    """Which time reaching ``moment`` the variable names (``moment#n``; 1 by default), or 0."""
    name, _, nth = os.environ.get(variable, "").partition("#")
    return int(nth or 1) if name == moment else 0
