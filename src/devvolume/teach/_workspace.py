"""A learner's workspace: the lessons and exercises that ship with the package, in a folder of theirs.

:func:`make_workspace` copies the learner copies of the lessons (``notebooks/01_…``–``07_…``)
and exercises (``exercises/01_…``–``06_…``: blanks, no solutions) from the course kit
(:mod:`devvolume._kit`) into a folder, laid out as in the repository, so that a lesson's pointer
to ``exercises/05_strategies.ipynb`` holds and the instructions for a checkout apply. A file that
is already there is never touched, whatever it holds: a learner's work survives a second run,
which adds only what is missing. :func:`lab_command` is the command line that opens JupyterLab on
the workspace, and :func:`open_lab` runs it.

The copies are byte for byte the notebooks the package ships, stored outputs included: a
lesson reads (its text, tables and charts) before it is run, exactly as tested by nbval; the
widgets appear once it runs. The lessons load the case data with ``dv.load_dataset``, which
finds the shipped datasets from any folder. Exercise progress is recorded in the exercise
notebook's folder, ``exercises/.devvolume/progress.jsonl`` (:mod:`devvolume.teach._progress`):
zip ``exercises/`` to hand it in.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from devvolume._kit import kit_path

#: The workspace's folders: the lessons, and the exercises (as named in the repository).
LESSONS = "notebooks"
EXERCISES = "exercises"
#: The notebooks copied from each folder; sub-folders (report notebooks, solutions) are left out.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: What to install when JupyterLab is missing.
LAB_INSTALL = 'pip install "devvolume[lab]"'

__all__ = ["Workspace", "lab_command", "make_workspace", "open_lab", "shipped_notebooks"]


@dataclass(frozen=True)
class Workspace:
    """What :func:`make_workspace` found and did: paths relative to ``folder``, ``/``-separated."""

    folder: Path
    added: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def notebooks(self) -> tuple[str, ...]:
        """Every notebook of the course in the workspace: the lessons, then the exercises."""
        return tuple(sorted((*self.added, *self.kept),
                            key=lambda name: (not name.startswith(f"{LESSONS}/"), name)))


def shipped_notebooks() -> dict[str, Path]:
    """Map each notebook's place in a workspace to the file the package ships.

    Examples
    --------
    >>> files = shipped_notebooks()
    >>> files["notebooks/01_what_counts.ipynb"].name, "exercises/solutions" in str(files)
    ('01_what_counts.ipynb', False)
    """
    files: dict[str, Path] = {}
    for folder in (LESSONS, EXERCISES):
        found = sorted(kit_path(folder).glob(NOTEBOOK_GLOB))
        if not found:
            msg = (f"找不到课程笔记本 / the course's notebooks are missing: no {NOTEBOOK_GLOB} in "
                   f"{kit_path(folder)}.\nHint: reinstall devvolume (pip install --force-reinstall "
                   "devvolume), or in a checkout build them with `make notebooks`.")
            raise FileNotFoundError(msg)
        files.update({f"{folder}/{path.name}": path for path in found})
    return files


def make_workspace(folder: str | os.PathLike[str]) -> Workspace:
    """Copy the lessons and exercises into ``folder``, never replacing a file already there.

    Parameters
    ----------
    folder : str or path-like
        The learner's folder; created (with its parents) if missing.

    Returns
    -------
    Workspace
        Which notebooks were added and which were already there (and kept as they are).

    Raises
    ------
    NotADirectoryError
        When ``folder`` is a file.
    OSError
        When the folder cannot be written (the message says where, and what to do).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "课程"
    >>> first = make_workspace(folder)
    >>> len(first.added), first.added[0], first.added[-1]
    (13, 'notebooks/01_what_counts.ipynb', 'exercises/06_team_management.ipynb')
    >>> second = make_workspace(folder)
    >>> len(second.added), len(second.kept)
    (0, 13)
    """
    root = Path(folder).expanduser()
    if root.exists() and not root.is_dir():
        msg = (f"{root} 是一个文件，不是文件夹 / is a file, not a folder.\n"
               "Hint: 换一个文件夹名，例如 devvolume-课程 / give the name of a folder, e.g. "
               "devvolume-课程 (it is created if missing).")
        raise NotADirectoryError(msg)
    added: list[str] = []
    kept: list[str] = []
    for name, source in shipped_notebooks().items():
        target = root / name
        try:
            if target.exists() or target.is_symlink() or not _copy_new(source, target):
                kept.append(name)
            else:
                added.append(name)
        except OSError as exc:
            msg = (f"不能在 {root} 里写入课程笔记本 / cannot write the course's notebooks into "
                   f"{root}: {exc.strerror or exc} ({exc.filename or target}); "
                   f"{len(added)} written before that.\n"
                   "Hint: 换一个你有写权限的文件夹 / use a folder you can write to, e.g. one in "
                   "your home folder.")
            raise type(exc)(msg) from exc
    return Workspace(folder=root, added=tuple(added), kept=tuple(kept))


def _copy_new(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` unless ``target`` exists; return False if it does.

    The copy is written beside the target and linked into place, so the target never holds a
    half-written notebook and a file that appears meanwhile is not replaced.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    shutil.copyfile(source, partial)
    try:
        target.hardlink_to(partial)
    except FileExistsError:
        return False
    except OSError:  # no hard links on this drive (FAT, some network drives)
        if target.exists():
            return False
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return True


def lab_command(folder: str | os.PathLike[str], *, port: int | None = None,
                browser: bool = True) -> list[str]:  # fmt: skip
    """Return the command that opens JupyterLab on ``folder``, with its first lesson open.

    JupyterLab of this Python environment (``sys.executable -m jupyterlab``); ``--allow-root``
    only for the root user. Raises ModuleNotFoundError, saying what to install, without it.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> command = lab_command(folder, port=8890, browser=False)
    >>> command[1:3], "--no-browser" in command, "--ServerApp.port=8890" in command
    (['-m', 'jupyterlab'], True, True)
    """
    if importlib.util.find_spec("jupyterlab") is None:
        msg = ("没有安装 JupyterLab / JupyterLab is not installed in this Python environment "
               f"({sys.executable}).\nHint: {LAB_INSTALL}")
        raise ModuleNotFoundError(msg)
    root = Path(folder).expanduser().resolve()
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if not browser:
        command.append("--no-browser")
    lessons = sorted((root / LESSONS).glob(NOTEBOOK_GLOB))
    if lessons:
        command.append(str(lessons[0]))
    return command


def open_lab(folder: str | os.PathLike[str], *, port: int | None = None,
             browser: bool = True) -> int:  # fmt: skip
    """Run JupyterLab on ``folder`` until it stops; return its exit status.

    On Linux and macOS this process becomes JupyterLab (so Ctrl-C reaches it alone and it shuts
    down as usual) and the function does not return.
    """
    command = lab_command(folder, port=port, browser=browser)
    os.chdir(Path(folder).expanduser())
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(command[0], command)
    with subprocess.Popen(command) as lab:  # pragma: no cover - Windows
        while True:
            try:
                return lab.wait()
            except KeyboardInterrupt:  # JupyterLab asks, and stops, by itself
                continue
