"""The command line: once through main(), once end to end as a subprocess."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
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


# --- devvolume report --as-of --------------------------------------------------------------------


def _shared_csv(log: pd.DataFrame, path: Path) -> Path:
    frame = log.rename(columns={"date": "日期", "rep": "销售员", "team": "团队", "customer": "客户",
                                "stage": "阶段"})
    frame["日期"] = frame["日期"].dt.strftime("%Y-%m-%d")
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def test_report_refuses_a_day_outside_the_data(shared_log: pd.DataFrame, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    log = _shared_csv(shared_log, tmp_path / "log.csv")
    out = tmp_path / "out"
    assert main(["report", str(log), "--as-of", "2026-05-01", "--out", str(out), "--no-progress"]) == 1
    error = capsys.readouterr().err
    assert "报告日期 as_of=2026-05-01 不在数据的日期范围内（2026-03-02 至 2026-04-20）" in error
    assert "is outside the data's dates (2026-03-02 to 2026-04-20)" in error
    assert main(["report", str(log), "--as-of", "5月1日", "--out", str(out), "--no-progress"]) == 1
    assert "is not a date" in capsys.readouterr().err
    assert not out.exists()


def test_report_as_of_end_to_end(shared_log: pd.DataFrame, tmp_path: Path) -> None:
    """--as-of through a subprocess, on the hand case: A contacts 客户甲 first, B wins it."""
    log = _shared_csv(shared_log, tmp_path / "共享客户.csv")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "devvolume", "report", str(log), "--by", "team", "--as-of",
         "2026-03-31", "--out", str(out), "--no-progress"],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "2026-03-31" in done.stdout
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    figures = ["kind", "period", "as_of", "contacted", "qualified", "signed", "won", "status"]
    # A: 客户甲 and 客户丙 contacted; B: 客户乙 contacted and 客户甲 qualified, signed and won
    assert [rows["A"][key] for key in figures] == ["team", "2026-03-01", "2026-03-31", "2", "0", "0", "0", "ok"]
    assert [rows["B"][key] for key in figures] == ["team", "2026-03-01", "2026-03-31", "1", "1", "1", "1", "ok"]
    page_a = (out / "team_A.html").read_text(encoding="utf-8")
    assert "数据截至 2026-03-31" in page_a
    assert "客户丁" not in page_a  # April rows are after the report day
    # A's cohort (甲, 丙) holds 甲, qualified and won by B: 1 of 2 qualified; the company 1 of 3
    steps = re.search(r"<th>首次接触 → 意向</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", page_a)
    assert steps is not None
    assert steps.groups() == ("50.0%", "33.3%")
    assert "本期（3 月 1 日–3 月 31 日）与上期（2 月 1 日–2 月 28 日）整期比较" in page_a
    assert "本期已于 2026-03-31 结束" in page_a
