"""Run report notebooks fast: a papermill engine that reuses one warm kernel per worker.

Running ``papermill`` once per report starts a Python, imports papermill (and, through
nbformat, ``jsonschema``), starts a kernel, imports pandas and altair in it, and throws it all
away: about 10 s per report, nearly all of it start-up. Here each worker process starts one
kernel, imports what the reports need once, and then runs report after report in it with the
``"devvolume"`` papermill engine, which hands papermill's notebook client the already started
kernel manager. nbclient does not shut down a kernel it does not own (``owns_km``); before each
report :func:`devvolume.report._kernel_state.restore` returns the kernel to the state of a fresh one.
The worker exports the HTML in-process with :func:`devvolume.viz.export_html`.

Workers are processes started with ``spawn`` (safe when the caller is itself a Jupyter kernel
with running threads). They take tasks from one queue, so a slow report never holds up the
others, and report ``("start" | "done", worker, task, outcome)`` on another.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, TypeVarTuple

from devvolume._interrupt import checkpoint, deferred
from devvolume._oserrors import os_error_message
from devvolume.report._kernel_state import defer_rfc3987_syntax

R = TypeVar("R")
_Ts = TypeVarTuple("_Ts")

#: Name under which the warm-kernel engine is registered with papermill.
ENGINE_NAME = "devvolume"
KERNEL_NAME = "python3"
#: Seconds a single cell may run before the report fails.
CELL_TIMEOUT = 600
#: Seconds to wait for a kernel to start.
START_TIMEOUT = 60
#: Extra kernel arguments: quieten the kernel's own start-up log (the TCP warning), and keep its
#: history in memory (as nbclient does for the kernels it starts).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
#: Mimetype of the summary a report notebook publishes for the index (see ``publish_summary``).
SUMMARY_MIMETYPE = "application/vnd.devvolume.summary+json"

#: Modules imported once in every warm kernel, before the first report.
WARM_MODULES = (
    "numpy", "pandas", "scipy.stats", "narwhals", "altair", "vl_convert", "IPython.display",
    "devvolume", "devvolume.core", "devvolume.inputs", "devvolume.sim", "devvolume.viz",
    "devvolume.report",
)  # fmt: skip

_WARM_CODE = """\
import importlib as _importlib
import devvolume.report._kernel_state as _kernel_state
_kernel_state.defer_rfc3987_syntax()
for _name in {modules!r}:
    try:
        _importlib.import_module(_name)
    except ImportError:
        pass
_kernel_state.warm_charts()
_kernel_state.snapshot()
"""
_RESET_CODE = "__import__('devvolume.report._kernel_state', fromlist=['restore']).restore()"


class Finished(Generic[R]):
    """What a batch made (reports or lessons): ``ok`` when every one was written."""

    results: tuple[R, ...]

    @property
    def ok(self) -> bool:
        """True when every result was written."""
        return all(result.ok for result in self.results)  # type: ignore[attr-defined]

    @property
    def failed(self) -> list[R]:
        """The results that failed (or did not finish)."""
        return [result for result in self.results if not result.ok]  # type: ignore[attr-defined]


#: Gives, for a task, the function ``(notebook, *, title) -> page HTML`` that exports it.
Exporter = Callable[["Task"], Callable[..., str]]


@dataclass
class Task:
    """One report to make."""

    index: int
    name: str
    notebook: str
    parameters: dict[str, Any]
    html: str
    title: str = ""
    #: Where to print the report as a PDF (A4) beside its HTML; empty for no PDF.
    pdf: str = ""
    #: What the report is made from (see :func:`devvolume.report._folder.fingerprint`).
    fingerprint: str = ""


@dataclass
class Outcome:
    """What came of one task."""

    ok: bool
    seconds: float
    error: str = ""
    #: A traceback, for failures that are not the notebook's own (worth a bug report).
    detail: str = ""
    #: Headline numbers for the index page, and the report's row of ``summary.csv``.
    summary: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    #: The report's rows of ``evidence.csv``: each comparison with its peers, and its verdict.
    evidence: list[dict[str, Any]] = field(default_factory=list)
    #: Ctrl-C stopped the batch before this report was written.
    interrupted: bool = False
    #: Seconds spent printing the PDF (0 without one).
    pdf_seconds: float = 0.0


def _engine_class() -> type:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmClient(PapermillNotebookClient):  # type: ignore[misc]
        """Papermill's client in a kernel it does not own, after a reset.

        With ``kc`` it also reuses the caller's started kernel client (and leaves it open);
        without, it opens one and closes it afterwards.
        """

        def __init__(self, nb_man: Any, km: Any, kc: Any = None, **kwargs: Any) -> None:
            super().__init__(nb_man, km=km, **kwargs)
            self.kc = kc
            self._owns_kc = kc is None

        def papermill_execute_cells(self) -> None:
            reply = self.wait_for_reply(
                self.kc.execute(_RESET_CODE, silent=True, store_history=False)
            )
            if reply is None or reply["content"]["status"] != "ok":
                content = reply["content"] if reply else {}
                msg = f"could not reset the warm kernel: {content.get('evalue', 'no reply')}"
                raise RuntimeError(msg)
            super().papermill_execute_cells()

        def execute(self, **kwargs: Any) -> Any:
            try:
                return super().execute(**kwargs)
            finally:
                # The kernel stays up for the next report.
                if self._owns_kc and self.kc is not None:
                    self.kc.stop_channels()
                    self.kc = None

    class WarmKernelEngine(NBClientEngine):  # type: ignore[misc]
        """papermill engine: like ``nbclient``, but in the started kernel manager ``km``.

        Pass ``km`` (and optionally a started client ``kc``) as engine keyword arguments to
        :func:`papermill.execute_notebook`; without ``km`` it is papermill's own engine.
        """

        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, km: Any = None, kc: Any = None,
            log_output: bool = False,
            stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = START_TIMEOUT,
            execution_timeout: int | None = None, **kwargs: Any,
        ) -> Any:  # fmt: skip
            if km is None:
                return super().execute_managed_notebook(
                    nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file,
                    stderr_file=stderr_file, start_timeout=start_timeout,
                    execution_timeout=execution_timeout, **kwargs,
                )  # fmt: skip
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )  # fmt: skip
            return WarmClient(nb_man, km=km, kc=kc, **final).execute()

    return WarmKernelEngine


def register_engine() -> None:
    """Register the warm-kernel engine with papermill as ``"devvolume"``."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class())


class WarmWorker:
    """One warm kernel and the code to run report notebooks in it and export them."""

    def __init__(self, *, cwd: str | None = None, warm_modules: tuple[str, ...] = WARM_MODULES,
                 on_kernel: Callable[[int | None], None] | None = None) -> None:  # fmt: skip
        defer_rfc3987_syntax()
        import papermill  # noqa: F401  (imported here, once, while the kernel starts)

        register_engine()
        self._cwd = cwd or str(Path.cwd())
        self._warm_modules = warm_modules
        #: Told each new kernel's process id, as soon as the process exists.
        self._on_kernel = on_kernel or (lambda pid: None)
        self._notebooks: dict[str, Any] = {}
        self.km: Any = None
        self.kc: Any = None
        self._pdf: Any = None
        self._start_kernel()

    def _start_kernel(self) -> None:
        import nbformat
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        from nbclient import NotebookClient

        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        warm = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(_WARM_CODE.format(modules=self._warm_modules))]
        )
        client = NotebookClient(warm, km=self.km, kernel_name=KERNEL_NAME, timeout=CELL_TIMEOUT,
                                startup_timeout=START_TIMEOUT)  # fmt: skip
        try:
            # Started here, not by nbclient, so that its process id is known (and passed on)
            # before anything can interrupt the start-up.
            run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=self._cwd)
            self._on_kernel(self.kernel_pid)
            checkpoint("kernel", hold=True)  # a test's Ctrl-C while the kernels start
            client.execute()
        except BaseException:  # also SystemExit: the command stops this worker mid-start
            if client.kc is not None:
                client.kc.stop_channels()
            self._kill_kernel()
            raise
        # The client stays open for every report: starting one costs 0.2 s.
        self.kc = client.kc

    def _kill_kernel(self) -> None:
        """End a kernel that did not start properly; it is of no use, so no shutdown request."""
        pid = self.kernel_pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        self.km = None

    @property
    def kernel_pid(self) -> int | None:
        """The kernel's process id, so the parent can kill it if this worker is killed."""
        provisioner = getattr(self.km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        return int(pid) if pid else None

    def _kernel_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(self.km is not None and run_sync(self.km.is_alive)())

    def run(self, task: Task, export: Callable[..., str]) -> Outcome:
        """Execute the task's notebook in the warm kernel and write its HTML."""
        import papermill
        from papermill.exceptions import PapermillExecutionError

        started = time.perf_counter()
        try:
            if not self._kernel_alive():
                self.close()
                self._start_kernel()
            executed = papermill.execute_notebook(
                self._notebook(task.notebook), None, parameters=task.parameters,
                engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME, progress_bar=False, km=self.km,
                kc=self.kc, execution_timeout=CELL_TIMEOUT, start_timeout=START_TIMEOUT,
                on_cell_complete=_cell_sent,
            )  # fmt: skip
        except PapermillExecutionError as exc:  # the notebook raised: the kernel is fine
            return Outcome(False, time.perf_counter() - started,
                           f"{exc.ename}: {_strip_ansi(exc.evalue)} (In [{exc.exec_count}])")  # fmt: skip
        except Exception as exc:  # a timeout or a dead kernel: the next report gets a fresh one
            self.close()
            return Outcome(False, time.perf_counter() - started,
                           f"{type(exc).__name__}: {exc}", traceback.format_exc())  # fmt: skip
        try:
            published = take_summary(executed)
            write_atomic(Path(task.html), export(executed, title=task.title))
        except OSError as exc:  # a full disk, no permission: the person's problem, not a bug
            return Outcome(False, time.perf_counter() - started,
                           os_error_message(exc).replace("\n", " "))  # fmt: skip
        except Exception as exc:  # e.g. a page that would load from the network
            return Outcome(False, time.perf_counter() - started,
                           f"{type(exc).__name__}: {exc}", traceback.format_exc())  # fmt: skip
        pdf_seconds = 0.0
        if task.pdf:
            try:
                pdf_seconds = self._printer().print_pdf(Path(task.html), Path(task.pdf))
            except Exception as exc:
                return Outcome(False, time.perf_counter() - started,
                               f"PDF: {type(exc).__name__}: {exc}", traceback.format_exc())  # fmt: skip
        return Outcome(True, time.perf_counter() - started, summary=published.get("shown", {}),
                       figures=published.get("figures", {}), pdf_seconds=pdf_seconds,
                       evidence=list(published.get("evidence", {}).get("rows", [])))  # fmt: skip

    def _printer(self) -> Any:
        if self._pdf is None:
            from devvolume.report._pdf import PdfPrinter

            self._pdf = PdfPrinter()
        return self._pdf

    def _notebook(self, path: str) -> Any:
        import nbformat

        if path not in self._notebooks:
            self._notebooks[path] = nbformat.read(path, as_version=4)
        return copy.deepcopy(self._notebooks[path])

    def close(self) -> None:
        """Shut the kernel (and the PDF printer's browser) down."""
        if self._pdf is not None:
            pdf, self._pdf = self._pdf, None
            with contextlib.suppress(Exception):
                pdf.close()
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.km = None


def _cell_sent(**_: Any) -> None:
    """Give a test its Ctrl-C while a cell runs in the kernel (nbclient calls this once it is sent)."""
    checkpoint("cell", hold=True)


def take_summary(notebook: Any) -> dict[str, Any]:
    """Remove the summary output from an executed report and return it.

    The result has ``"figures"`` (the row of ``summary.csv``), ``"shown"`` (the index's
    numbers) and ``"evidence"`` (``{"rows": [...]}``, the rows of ``evidence.csv``); see
    :func:`devvolume.report.publish_summary`.
    """
    summary: dict[str, Any] = {}
    for cell in notebook.cells:
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SUMMARY_MIMETYPE in data:
                for part, fields in data.pop(SUMMARY_MIMETYPE).items():
                    summary.setdefault(part, {}).update(fields)
                if not data:
                    continue
            kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
    return summary


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder and ``os.replace``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _exporter() -> Callable[..., str]:
    from devvolume.report._pdf import add_print_style
    from devvolume.viz import export_html

    def export(notebook: Any, *, title: str) -> str:
        return add_print_style(export_html(notebook, title=title))

    return export


def worker_main(worker_id: int, tasks: Any, results: Any, cwd: str,
                exporter: Exporter | None = None) -> None:  # fmt: skip
    """Entry point of a worker process: start a warm kernel, then run tasks until ``None``.

    ``exporter`` gives, for a task, the function that turns its executed notebook into a page
    (default: the report page); it must be a module-level function (workers are spawned).
    The worker ignores Ctrl-C (the parent decides what an interrupt means and stops it), and
    on ``SIGTERM`` shuts its kernel down before it exits. Each kernel's process id is reported
    (``"kernel"``) as soon as the kernel exists, so that the parent can end it even if this
    worker is killed before it could.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # started with Ctrl-C blocked: see run_tasks
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, _exit_on_term)
    if os.name == "posix":
        asyncio.set_event_loop_policy(_WorkerLoopPolicy())
    worker: WarmWorker | None = None
    stopped: list[asyncio.Task[Any]] = []
    try:
        try:
            worker = WarmWorker(cwd=cwd, on_kernel=lambda pid: results.put(
                ("kernel", worker_id, -1, pid)))  # fmt: skip
            export = _exporter()
        except SystemExit:
            raise
        except BaseException:
            results.put(("failed", worker_id, -1, traceback.format_exc()))
            return
        results.put(("ready", worker_id, -1, worker.kernel_pid))
        while (task := tasks.get()) is not None:
            results.put(("start", worker_id, task.index, worker.kernel_pid))
            checkpoint("report", hold=True)  # a test's Ctrl-C while this report runs
            task_export = exporter(task) if exporter is not None else export
            results.put(("done", worker_id, task.index, worker.run(task, task_export)))
    except SystemExit:
        stopped = _unfinished_tasks()
    finally:
        if worker is not None:
            worker.close()
        _forget(stopped)


def _unfinished_tasks() -> list[asyncio.Task[Any]]:
    """List the tasks a stopped report left in the event loop (its cell's execution, polls)."""
    with contextlib.suppress(Exception):
        return list(asyncio.all_tasks(asyncio.get_event_loop_policy().get_event_loop()))
    return []


def _forget(tasks: list[asyncio.Task[Any]]) -> None:
    """Take the errors of a stopped report's tasks, once its kernel is shut down.

    Shutting the kernel down runs the event loop again: the cell's execution wakes to a dead
    kernel and ends with ``DeadKernelError`` (nbclient turns even a cancellation into one), and
    asyncio would print "Task exception was never retrieved" with its traceback. The kernel was
    shut down on purpose; the list keeps the tasks still running until the worker exits.
    """
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()


class _WorkerLoop(asyncio.SelectorEventLoop):
    """An event loop that refuses signal handlers, so a worker's own handlers stay in place.

    nbclient sets loop handlers for SIGINT and SIGTERM while it runs a notebook: on either it
    shuts the kernel down (a warm kernel it does not own), and afterwards it leaves SIGINT to
    raise ``KeyboardInterrupt`` and SIGTERM to kill the worker outright. A terminal's Ctrl-C,
    which reaches every worker, then killed the kernel of the report being run, and that report
    failed with ``DeadKernelError`` before the command could stop the batch. It gives up its
    handlers, as it does in any thread but the main one, when this refuses them.
    """

    def add_signal_handler(self, sig: int, callback: Callable[[*_Ts], object],
                           *args: *_Ts) -> None:  # fmt: skip
        msg = "signals are handled by the report worker"
        raise RuntimeError(msg)


class _WorkerLoopPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return _WorkerLoop()


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a batch; ``outcomes`` has an outcome for every task (unfinished ones marked)."""

    def __init__(self, outcomes: dict[int, Outcome], seconds: float) -> None:
        super().__init__()
        self.outcomes = outcomes
        #: Seconds from the interrupt to every worker and kernel being gone.
        self.seconds = seconds


def run_tasks(tasks: list[Task], *, jobs: int, progress: bool, label: str,
              env: dict[str, str] | None = None,
              exporter: Exporter | None = None) -> dict[int, Outcome]:  # fmt: skip
    """Run the tasks in ``jobs`` worker processes; every task gets an outcome.

    ``exporter``: see :func:`worker_main` (the course uses it to keep each executed lesson).

    ``env`` holds environment variables for the workers and their kernels only (a batch's
    store of company-wide results: :mod:`devvolume.report._shared`).

    Raises
    ------
    Interrupted
        On Ctrl-C (``KeyboardInterrupt``): the workers and their kernels are stopped (within
        :data:`STOP_SECONDS`), and the exception carries the outcomes so far, every unfinished
        task marked ``interrupted``.
    """
    from tqdm.auto import tqdm

    outcomes: dict[int, Outcome] = {}
    if not tasks:
        return outcomes
    context = multiprocessing.get_context("spawn")
    todo, done = context.Queue(), context.Queue()
    for queue_ in (todo, done):  # never wait at exit for a queue nobody reads any more
        queue_.cancel_join_thread()
    for task in tasks:
        todo.put(task)
    workers = [
        context.Process(target=worker_main, args=(number, todo, done, str(Path.cwd()), exporter),
                        name=f"devvolume-report-{number}", daemon=True)
        for number in range(min(jobs, len(tasks)))
    ]  # fmt: skip
    for _ in workers:
        todo.put(None)
    kernels: dict[int, int] = {}
    names = {task.index: task.name for task in tasks}
    running: dict[int, int] = {}
    gone: dict[int, str] = {}
    bar = tqdm(total=len(tasks), desc=label, unit="report", disable=not progress,
               file=sys.stderr, dynamic_ncols=True)  # fmt: skip
    try:
        # The workers start with Ctrl-C blocked (the parent handles it; a worker unblocks it once
        # it ignores it), and with ``env`` (a spawned process copies the environment of the
        # moment it starts; its kernel inherits it). A Ctrl-C meanwhile waits, blocked, and
        # arrives as soon as they are started: it leads to the cleanup below.
        with _sigint_blocked(), _environment(env or {}):
            for worker in workers:
                worker.start()
        while len(outcomes) < len(tasks):
            # Ctrl-C waits while a message is read: raised in the middle of a read, it would
            # lose the message (a report written, then counted as not finished).
            with deferred() as held:
                try:
                    message = done.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    message = None
            if held.interrupted:
                if message is not None:
                    _drain_one(message, outcomes, kernels)
                raise KeyboardInterrupt
            if message is None:
                _check_workers(workers, running, gone, outcomes)
                if len(gone) == len(workers):
                    reason = "; ".join(sorted(set(gone.values())))
                    for task in tasks:
                        outcomes.setdefault(task.index, Outcome(False, 0.0, reason))
                continue
            event, number, index, payload = message
            if event == "failed":
                gone[number] = f"report worker could not start: {payload.strip().splitlines()[-1]}"
                print(payload, file=sys.stderr)
            elif event in ("kernel", "ready", "start"):
                if payload:
                    kernels[number] = payload
                if event == "start":
                    running[number] = index
            elif event == "done":
                running.pop(number, None)
                outcomes[index] = payload
                bar.update()
                bar.set_postfix_str(names[index], refresh=False)
                if not payload.ok:
                    bar.write(f"报告失败 / report failed: {names[index]}: {payload.error}"
                              f"{chr(10) + payload.detail if payload.detail else ''}",
                              file=sys.stderr)  # fmt: skip
    except KeyboardInterrupt:
        started = time.perf_counter()
        with _sigint_ignored():
            bar.close()
            _stop(workers)
            _drain(done, outcomes, kernels)
            _kill(kernels)
            for task in tasks:
                outcomes.setdefault(task.index, Outcome(False, 0.0, INTERRUPTED, interrupted=True))
        raise Interrupted(outcomes, time.perf_counter() - started) from None
    finally:
        bar.close()
        for worker in workers:
            if worker.pid is None:  # never started
                continue
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
    return outcomes


#: The error of a report that Ctrl-C stopped before it was written.
INTERRUPTED = "已中断，未完成 / interrupted before it was written"
#: Seconds a worker gets to shut its kernel down after ``SIGTERM`` before it is killed.
STOP_SECONDS = 1.0
#: Seconds between looks at the workers while waiting for a message (and the longest a Ctrl-C
#: waits to be taken, see run_tasks).
POLL_SECONDS = 0.2


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """Set environment variables inside the block only."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Hold Ctrl-C back inside the block, in this thread and in the processes it starts.

    A Ctrl-C that comes meanwhile is delivered when the block ends. A process started inside
    inherits the blocked signal, so it cannot be interrupted while it starts up. Where signals
    cannot be blocked (Windows), Ctrl-C is ignored inside the block instead.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        with _sigint_ignored():
            yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C inside the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(workers: list[Any]) -> None:
    """Stop every worker (``SIGTERM``: it shuts its kernel down), then kill what is left."""
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for worker in workers:
        if worker.pid is not None:
            worker.join(timeout=max(0.0, deadline - time.monotonic()))
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join(timeout=1.0)


def _kill(kernels: dict[int, int]) -> None:
    """Kill the kernels whose worker was killed before it could shut them down."""
    for pid in kernels.values():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _drain(done: Any, outcomes: dict[int, Outcome], kernels: dict[int, int]) -> None:
    """Read what the workers said while they were being stopped (see :func:`_drain_one`)."""
    while True:
        try:
            message = done.get_nowait()
        except Exception:  # empty, or a message cut short by the stop
            return
        _drain_one(message, outcomes, kernels)


def _drain_one(message: tuple[str, int, int, Any], outcomes: dict[int, Outcome],
               kernels: dict[int, int]) -> None:  # fmt: skip
    """Take one message that came after Ctrl-C.

    A report that finished is kept. One that failed then failed because of the interrupt (its
    worker was stopped, its kernel shut down or killed): it did not finish, it is not a
    failure. A kernel started meanwhile is noted, to be killed.
    """
    event, number, index, payload = message
    if event in ("kernel", "ready", "start") and payload:
        kernels[number] = payload
    elif event == "done":
        outcomes[index] = payload if payload.ok else Outcome(
            False, payload.seconds, INTERRUPTED, interrupted=True)  # fmt: skip


def _check_workers(workers: list[Any], running: dict[int, int], gone: dict[int, str],
                   outcomes: dict[int, Outcome]) -> None:  # fmt: skip
    for number, worker in enumerate(workers):
        if number in gone or worker.is_alive():
            continue
        gone[number] = f"report worker {number} stopped (exit code {worker.exitcode})"
        if number in running:
            index = running.pop(number)
            outcomes[index] = Outcome(False, 0.0, gone[number])
