"""A learner's set-up path: the README gives two commands, and ``make lab`` opens a folder where
the lessons and the exercises both are, as root too (``--allow-root`` only for root).

The recipe is checked by a dry run (``make -n``), with ``id`` faked to answer 0 or 1000.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lab_command(tmp_path: Path, uid: int) -> list[str]:
    """The command line ``make lab`` would run for a user with this uid (nothing is run)."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    fake = tmp_path / f"bin{uid}"
    fake.mkdir()
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
    (fake / "id").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    # -o: treat the venv stamp as up to date, so only the lab recipe is printed
    done = subprocess.run([make, "-n", "-o", ".venv/.installed", "lab"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=60)
    (line,) = [line for line in done.stdout.splitlines() if "jupyter lab" in line]
    return shlex.split(line)


@pytest.mark.parametrize("uid", [0, 1000])
def test_make_lab_allows_root_only_for_root(tmp_path: Path, uid: int) -> None:
    command = lab_command(tmp_path, uid)
    assert ("--allow-root" in command) is (uid == 0)


def test_make_lab_serves_the_lessons_and_the_exercises(tmp_path: Path) -> None:
    command = lab_command(tmp_path, 1000)
    assert Path(command[0]).name == "jupyter"
    assert command[1] == "lab"
    (root,) = [Path(a.split("=", 1)[1]) for a in command if a.startswith("--ServerApp.root_dir=")]
    assert root == ROOT
    for folder in ("notebooks", "exercises"):
        assert any((root / folder).glob("0*.ipynb")), folder
    opened = [a for a in command[2:] if not a.startswith("-")]
    assert opened == ["notebooks/01_what_counts.ipynb"]
    assert (root / opened[0]).is_file()


def test_the_readme_gives_the_learner_path() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 学员入门"):]
    section = section[:section.index("\n## ", 1)]
    for words in ("make venv", "make lab", "notebooks/", "exercises/", "Run All Cells",
                  "Copy Path", "q1.check()"):
        assert words in section, words
