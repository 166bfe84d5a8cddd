"""Own targets for own work logs: ``--targets FILE`` and ``devvolume template --targets``.

Targets files are written as people write them: an Excel workbook with Chinese headers under a
title row, a GBK CSV, months as ``2026年3月`` or a date. Damaged ones are refused with the row
and column of each problem, as a work log is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from report_helpers import TEAMS, html_tables, read_summary, shared_teams_rows, write_csv

import devvolume as dv
from devvolume.inputs import check_targets, read_targets
from devvolume.report import build_reports

ROOT = Path(__file__).resolve().parents[2]
#: Each rep's target for March 2026 (the generated log stops on 16 March: a running month).
MARCH = {"王芳": 3, "李强": 2, "陈静": 4, "赵磊": 1, "周敏": 2}


def _targets_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2026 年各销售员新客户目标"])  # a title row above the headers
    sheet.append(["业务员", "团队", "月份", "目标客户数"])
    for team, reps in TEAMS.items():
        for rep in reps:
            sheet.append([rep, team, "2026年3月", MARCH[rep]])
            sheet.append([rep, team, pd.Timestamp("2026-02-01").to_pydatetime(), 1])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("targets")
    log = write_csv(shared_teams_rows(), folder / "工作日志.csv")
    targets = _targets_workbook(folder / "目标.xlsx")
    batch = build_reports(log, out=folder / "out", targets=targets, jobs=2, progress=False)
    return {"log": log, "targets": targets, "batch": batch, "folder": folder}


def test_own_targets_give_target_attainment_and_the_chance_of_reaching_it(own: dict) -> None:
    batch = own["batch"]
    assert batch.ok, [result.error for result in batch.failed]
    rows = {row["name"]: row for row in read_summary(batch.summary)}
    for team, reps in TEAMS.items():
        target = sum(MARCH[rep] for rep in reps)
        assert int(rows[team]["target"]) == target
        assert float(rows[team]["attainment"]) == pytest.approx(int(rows[team]["won"]) / target, abs=1e-4)
    page = next(r.path for r in batch.results if r.name == "华东一组").read_text(encoding="utf-8")
    volume = html_tables(page)[0]
    assert volume["rows"]["成交"][3] == str(MARCH["王芳"] + MARCH["李强"])
    assert "达到目标 5 个的概率约为" in page  # the month is running: a forecast, with the target
    assert "本期目标达成率" in page  # coaching compares attainment with the other teams'


def test_a_gbk_csv_of_targets_reads_the_same(own: dict, tmp_path: Path) -> None:
    frame = read_targets(own["targets"])
    csv = tmp_path / "targets.csv"
    frame.assign(period=frame["period"].dt.strftime("%Y-%m")).rename(
        columns={"rep": "销售员", "team": "团队", "period": "月份", "target": "目标"}
    ).to_csv(csv, index=False, encoding="gb18030")
    pd.testing.assert_frame_equal(read_targets(csv), frame)
    shipped = dv.load_dataset("directsales").targets
    assert list(read_targets(shipped).columns) == list(shipped.columns)


def test_a_damaged_targets_file_is_refused_row_by_row(own: dict, tmp_path: Path) -> None:
    bad = tmp_path / "目标.csv"
    pd.DataFrame({"销售员": ["王芳", "李强", "陈静", "王芳", ""],
                  "团队": ["华东一组", "华东一组", "华南一组", "华东一组", "先锋队"],
                  "月份": ["2026-03", "三月", "2026-03", "2026/3", "2026-03"],
                  "目标": [3, 2, -1, 4, 2]}).to_csv(bad, index=False)
    check = check_targets(bad)
    assert check.bad_rows == [3, 4, 5, 6]
    assert dict(zip(check.problems["row"], check.problems["column"], strict=True)) == {
        3: "period", 4: "target", 5: "period", 6: "rep"}
    with pytest.raises(dv.WorklogError, match=r"目标表有 4 行数据有问题") as refused:
        build_reports(own["log"], out=tmp_path / "out", targets=bad, progress=False)
    assert "第 5 行 / row 5" in str(refused.value)
    assert "与第 2 行是同一销售员" in str(refused.value)
    with pytest.raises(ValueError, match="找不到目标文件"):
        build_reports(own["log"], out=tmp_path / "out", targets=tmp_path / "missing.xlsx", progress=False)
    missing_column = tmp_path / "no_month.csv"
    pd.DataFrame({"销售员": ["王芳"], "团队": ["华东一组"], "目标": [3]}).to_csv(missing_column, index=False)
    with pytest.raises(dv.WorklogError, match=r"月份\(period\)"):
        read_targets(missing_column)


def test_template_targets_end_to_end(own: dict, tmp_path: Path) -> None:
    book = tmp_path / "目标表.xlsx"
    done = subprocess.run([sys.executable, "-m", "devvolume", "template", "--targets", str(book)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "目标表" in done.stdout
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    sheet = workbook["目标"]
    assert [cell.value for cell in sheet[1]] == ["销售员", "团队", "月份", "目标"]
    assert "说明" in workbook.sheetnames
    sheet.append(["周敏", "先锋队", pd.Timestamp("2026-03-01").to_pydatetime(), 7])
    workbook.save(book)
    out = tmp_path / "out"
    report = subprocess.run([sys.executable, "-m", "devvolume", "report", str(own["log"]), "--only", "先锋队",
                             "--targets", str(book), "--out", str(out), "--no-progress"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=300,
                            check=False)  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert read_summary(out / "summary.csv")[0]["target"] == "7"
    again = subprocess.run([sys.executable, "-m", "devvolume", "template", "--targets", str(book)],
                           capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
                           check=False)  # fmt: skip
    assert again.returncode == 1
    assert "--force" in again.stderr
