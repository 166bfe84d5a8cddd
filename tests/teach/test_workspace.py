"""A learner's workspace (``devvolume lessons DIR``, ``devvolume lab [DIR]``).

The workspace holds the 7 lessons and 6 exercises (learner copies, no solutions), byte for byte
as shipped; a second run adds only what is missing and never touches a file that is there. An
exercise run from the workspace records its progress beside it. ``devvolume lab`` is checked
through the command line it builds, and once for real: JupyterLab starts and answers HTTP.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from devvolume._kit import kit_path
from devvolume.cli import main
from devvolume.teach import _workspace as workspace
from devvolume.teach import lab_command, make_workspace, read_progress

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [f"notebooks/{path.name}" for path in sorted((ROOT / "notebooks").glob("0*.ipynb"))]
EXERCISES = [f"exercises/{path.name}" for path in sorted((ROOT / "exercises").glob("0*.ipynb"))]


def notebooks_in(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.ipynb"))


def test_the_repository_has_the_course() -> None:
    assert len(LESSONS) == 7
    assert len(EXERCISES) == 6


def test_a_workspace_has_the_lessons_and_the_learner_exercises(tmp_path: Path) -> None:
    folder = tmp_path / "我的 课程"
    made = make_workspace(folder)
    assert made.folder == folder
    assert made.added == (*LESSONS, *EXERCISES)
    assert made.kept == ()
    assert made.notebooks == made.added
    assert notebooks_in(folder) == sorted(LESSONS + EXERCISES)
    for name in made.added:
        assert (folder / name).read_bytes() == (ROOT / name).read_bytes(), name
    # the learner copies, never the answers
    solutions = {path.read_bytes() for path in (ROOT / "exercises" / "solutions").glob("*.ipynb")}
    assert solutions
    assert not solutions & {(folder / name).read_bytes() for name in EXERCISES}
    assert not list(folder.rglob("*.part"))


def test_a_second_run_adds_only_what_is_missing(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    changed = tmp_path / EXERCISES[0]
    changed.write_text("学员的答案 / the learner's work", encoding="utf-8")
    (tmp_path / LESSONS[2]).unlink()
    again = make_workspace(tmp_path)
    assert again.added == (LESSONS[2],)
    assert len(again.kept) == 12
    assert changed.read_text(encoding="utf-8") == "学员的答案 / the learner's work"
    assert (tmp_path / LESSONS[2]).read_bytes() == (ROOT / LESSONS[2]).read_bytes()
    assert make_workspace(tmp_path).added == ()


def test_anything_already_in_place_is_kept(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / LESSONS[0]).mkdir()          # even a folder of that name
    (tmp_path / LESSONS[1]).symlink_to(tmp_path / "nowhere")  # or a broken link
    made = make_workspace(tmp_path)
    assert made.kept == (LESSONS[0], LESSONS[1])
    assert (tmp_path / LESSONS[0]).is_dir()
    assert (tmp_path / LESSONS[1]).is_symlink()


def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "notebooks" / "01.ipynb"
    target.parent.mkdir()
    target.write_text("the learner's", encoding="utf-8")
    assert workspace._copy_new(ROOT / LESSONS[0], target) is False
    assert target.read_text(encoding="utf-8") == "the learner's"
    assert [path.name for path in target.parent.iterdir()] == ["01.ipynb"]


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "课程.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        make_workspace(path)


def test_an_unwritable_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(workspace.shutil, "copyfile", refuse)
    with pytest.raises(PermissionError, match=r"cannot write.*Permission denied") as raised:
        make_workspace(tmp_path)
    assert "Hint:" in str(raised.value)
    assert "0 written" in str(raised.value)


def test_a_missing_kit_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace, "kit_path", lambda folder: tmp_path / folder)
    with pytest.raises(FileNotFoundError, match="reinstall devvolume"):
        workspace.shipped_notebooks()


def test_the_kit_is_where_the_lessons_are() -> None:
    assert kit_path("notebooks") == ROOT / "notebooks"
    assert kit_path("exercises") == ROOT / "exercises"


# --- the command line -----------------------------------------------------------------------


def test_lessons_command_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ws"
    assert main(["lessons", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "copied 13 notebooks" in out
    assert "notebooks/01_what_counts.ipynb" in out
    assert main(["lessons", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "已有 13 个，保留" in out
    assert "kept 13" in out
    assert "nothing missing" in out
    assert "copied" not in out


def test_lessons_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a file"
    path.write_text("", encoding="utf-8")
    assert main(["lessons", str(path / "below")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err
    assert "Hint:" in err
    # end to end: exit status 1, a message and no traceback
    done = subprocess.run([sys.executable, "-m", "devvolume", "lessons", str(path)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 1, done
    assert done.stderr.startswith(f"{path} 是一个文件，不是文件夹 / is a file, not a folder.")
    assert "Traceback" not in done.stderr


def option(command: list[str], name: str) -> str:
    (value,) = [arg.split("=", 1)[1] for arg in command if arg.startswith(f"--{name}=")]
    return value


@pytest.mark.parametrize("uid", [0, 1000])
def test_lab_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uid: int) -> None:
    monkeypatch.setattr(workspace.os, "geteuid", lambda: uid, raising=False)
    make_workspace(tmp_path)
    command = lab_command(tmp_path)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert Path(option(command, "ServerApp.root_dir")) == tmp_path.resolve()
    assert ("--allow-root" in command) is (uid == 0)
    assert command[-1] == str(tmp_path.resolve() / LESSONS[0])
    assert "--no-browser" not in command
    quiet = lab_command(tmp_path, port=9123, browser=False)
    assert "--no-browser" in quiet
    assert option(quiet, "ServerApp.port") == "9123"


def test_lab_without_jupyterlab_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = workspace.importlib.util.find_spec
    monkeypatch.setattr(workspace.importlib.util, "find_spec",
                        lambda name: None if name == "jupyterlab" else real(name))  # fmt: skip
    assert main(["lab", str(tmp_path / "ws")]) == 1
    assert 'pip install "devvolume[lab]"' in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()


def test_lab_makes_the_workspace_then_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[tuple[str, int | None, bool]] = []
    monkeypatch.setattr(workspace, "open_lab",
                        lambda folder, *, port, browser: opened.append((folder, port, browser)) or 0)
    assert main(["lab", str(tmp_path), "--port", "9000", "--no-browser"]) == 0
    assert opened == [(str(tmp_path), 9000, False)]
    assert notebooks_in(tmp_path) == sorted(LESSONS + EXERCISES)
    assert "copied 13 notebooks" in capsys.readouterr().out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_lab_starts_jupyterlab_for_real(tmp_path: Path) -> None:
    """``devvolume lab DIR --no-browser --port P``: the workspace appears, the server answers."""
    folder, port = tmp_path / "ws", free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
    log = tmp_path / "lab.log"
    with log.open("w") as output:
        lab = subprocess.Popen(
            [sys.executable, "-m", "devvolume", "lab", str(folder), "--no-browser", "--port",
             str(port)], stdout=output, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=10) as answer:
                    version = json.loads(answer.read())["version"]
                break
            except (OSError, urllib.error.URLError):
                if lab.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text(encoding="utf-8"))
                time.sleep(0.5)
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
            lab.wait()
    assert version
    text = log.read_text(encoding="utf-8")
    assert "copied 13 notebooks" in text
    assert str(folder.resolve()) in text  # JupyterLab serves the workspace
    assert notebooks_in(folder) == sorted(LESSONS + EXERCISES)


# --- the exercises record progress beside themselves ------------------------------------------


def test_an_exercise_in_the_workspace_records_progress_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "张三"
    make_workspace(folder)
    exercise = folder / EXERCISES[0]
    notebook = nbformat.read(exercise, as_version=4)
    (answer,) = [cell for cell in notebook.cells
                 if cell.cell_type == "code" and cell.source.startswith("may_new_contacted = ")]
    answer.source = "may_new_contacted = 999"      # the learner's (wrong) answer
    nbformat.write(notebook, exercise)
    for name in ("DEVVOLUME_WORKSPACE", "DEVVOLUME_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEVVOLUME_LEARNER", "张三")
    NotebookClient(nbformat.read(exercise, as_version=4), kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(exercise.parent)}}).execute()
    records = (folder / "exercises" / ".devvolume" / "progress.jsonl").read_text(encoding="utf-8")
    assert json.loads(records.splitlines()[0]) | {"time": ""} == {
        "learner": "张三", "lesson": "01", "question": "q1", "outcome": "incorrect",
        "mistake": None, "answer": "999", "time": ""}
    # the learner's answer survives another run; the instructor's command finds the record
    assert make_workspace(folder).added == ()
    assert "999" in exercise.read_text(encoding="utf-8")
    shutil.make_archive(str(tmp_path / "class" / "张三"), "zip", folder / "exercises")
    progress = read_progress(tmp_path / "class")
    records = progress.records[["learner", "question", "outcome"]]
    assert records.to_dict("records") == [
        {"learner": "张三", "question": "q1", "outcome": "incorrect"}]
