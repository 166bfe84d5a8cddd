"""The wheel, built from the sdist as ``make wheel`` does, carries the course kit.

Installing it and using it from another folder is ``make wheel-test`` (tools/check_wheel.py);
here the build itself is checked: the sdist holds the kit's folders and nothing a learner must
not get, and the wheel built from it has the kit as package data.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_wheel", ROOT / "tools" / "check_wheel.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the build package is missing (make venv installs it)")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--quiet", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_sdist_holds_the_kit_folders(dist: Path) -> None:
    (sdist,) = dist.glob("devvolume-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"setup.py", "MANIFEST.in", "datasets/fmcg/worklog.csv", "datasets/fmcg/README.md",
            "notebooks/07_cases.ipynb", "notebooks/reports/team_report.ipynb",
            "exercises/06_team_management.ipynb"} <= names
    assert not [name for name in names if "solutions/" in name or "/source/" in name]


def test_the_wheel_carries_the_kit(dist: Path) -> None:
    (wheel,) = dist.glob("devvolume-*-py3-none-any.whl")
    assert load_checker().kit_problems(wheel) == []


def test_the_checker_sees_a_wheel_without_the_kit(tmp_path: Path) -> None:
    wheel = tmp_path / "devvolume-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("devvolume/__init__.py", "")
        archive.writestr("devvolume/kit/exercises/solutions/01_what_counts.ipynb", "{}")
    problems = load_checker().kit_problems(wheel)
    assert problems[0].startswith("the kit lacks ['datasets/directsales/README.md'")
    assert "0 lessons and 0 exercises" in problems[1]
    assert "solutions/01_what_counts.ipynb" in problems[2]
    assert problems[3] == "the wheel lacks the HTML export template"
