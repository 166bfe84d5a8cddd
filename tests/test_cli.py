"""The command line: once through main(), once end to end as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devvolume.cli import main

GOOD = "日期,业务员,团队,客户名称,阶段,金额\n2026/1/5,王磊,华东一组,恒达贸易,首次接触,\n" \
       "2026/1/9,李娜,华东二组,远航科技,成交,\"8,000\"\n"
BAD = GOOD + "2026-02-30,王磊,华东一组,C3,首次接触,\n2026/2/1,王磊,华东一组,,首次接触,\n" \
      "2026/2/1,王磊,华东一组,C5,也许,\n2026/2/1,王磊,华东一组,C6,成交,-5\n"


def test_validate_clean_file_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD.encode("gbk"))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "rows:         2" in out
    assert "reps:       2" in out
    assert "teams:        2" in out
    assert "2026-01-05 ~ 2026-01-09" in out


def test_validate_bad_file_lists_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line[:1].isdigit()]
    assert [line.split()[0] for line in lines] == ["4", "5", "6", "7"]
    assert "4 行有问题" in out


def test_validate_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text(GOOD.replace("业务员", "业务代表"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--column", "业务代表=rep"]) == 0


def test_template_and_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == 0
    assert main(["template", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["template", str(path), "--force"]) == 0


def test_python_dash_m_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "devvolume", "validate", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "2026-02-30" in result.stdout
    template = tmp_path / "工作日志表.xlsx"
    result = subprocess.run([sys.executable, "-m", "devvolume", "template", str(template)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "devvolume", "validate", str(template)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "rows:         0" in result.stdout
