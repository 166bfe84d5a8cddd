"""A batch that behaves: bad rows, colliding names, reruns, a lock, Ctrl-C.

Real files throughout: a generated work log with damaged rows (an empty 客户, impossible dates,
an unknown stage) written as a Chinese-header CSV, team names that collide once sanitised, and a
second batch into a locked folder. Ctrl-C, at every moment of a batch: tests/test_interrupt.py.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from report_helpers import bad_rows_csv, read_summary, shared_teams_rows, write_csv

import devvolume as dv
from devvolume.cli import _parser
from devvolume.report import FolderBusyError, build_reports
from devvolume.report._folder import FolderLock

ROOT = Path(__file__).resolve().parents[2]
#: Names that meet in one file once sanitised, on a case- or width-insensitive file system, or
#: once cut to the byte limit.
COLLIDING = ["a/b", "a_b-3ec69c85", "A_B", "ａ_ｂ", "😀" * 70]


def _tiny_log(path: Path, teams: list[str]) -> Path:
    rows = []
    for number, team in enumerate(teams):
        for step, (day, stage) in enumerate([("2026-01-05", "首次接触"), ("2026-01-20", "签约"),
                                             ("2026-02-03", "成交"), ("2026-02-05", "首次接触")]):
            rows.append({"日期": day, "销售员": f"R{number}", "团队": team,
                         "客户": f"{number}-C{step // 3}", "阶段": stage})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


# --- --skip-invalid ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def skipped(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("skip")
    log = shared_teams_rows()
    path, bad = bad_rows_csv(folder / "工作日志.csv", log, bad=5)
    batch = build_reports(path, out=folder / "out", skip_invalid=True, jobs=2, progress=False)
    check = dv.check_worklog(path)
    clean = write_csv(check.valid, folder / "valid.csv")
    reference = build_reports(clean, out=folder / "reference", jobs=2, progress=False)
    return {"path": path, "bad": bad, "batch": batch, "check": check, "reference": reference}


def test_a_log_with_bad_rows_is_refused_with_a_hint_to_skip_them(skipped: dict, tmp_path: Path) -> None:
    with pytest.raises(dv.WorklogError, match="--skip-invalid") as refused:
        build_reports(skipped["path"], out=tmp_path / "out", progress=False)
    assert sorted(refused.value.problems["row"].unique()) == skipped["bad"]
    assert not (tmp_path / "out").exists()


def test_skip_invalid_reports_on_the_valid_rows(skipped: dict) -> None:
    batch, reference = skipped["batch"], skipped["reference"]
    assert batch.ok, [result.error for result in batch.failed]
    assert batch.skipped_rows == len(skipped["bad"]) == 5
    rows = {row["name"]: row for row in read_summary(batch.summary)}
    expected = {row["name"]: row for row in read_summary(reference.summary)}
    for name, row in rows.items():
        assert row["skipped_rows"] == "5"
        for column in ("contacted", "qualified", "signed", "won"):
            assert row[column] == expected[name][column], (name, column)


def test_every_report_and_the_index_say_how_many_rows_were_skipped(skipped: dict) -> None:
    batch = skipped["batch"]
    for result in batch.results:
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        rows_read = skipped["check"].rows_read
        assert f"工作日志表共 {rows_read} 行，其中 5 行有问题，没有计入本报告" in page
        assert "problems.html" in page
    index = batch.index.read_text(encoding="utf-8")
    assert "其中 5 行有问题，没有计入报告" in index
    assert 'href="problems.html"' in index


def test_the_problems_page_lists_each_problem_as_validate_does(skipped: dict) -> None:
    out = skipped["batch"].out
    with (out / "problems.csv").open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    problems = skipped["check"].problems
    assert [int(row["row"]) for row in listed] == problems["row"].tolist()
    assert [row["problem"] for row in listed] == problems["problem"].tolist()
    page = (out / "problems.html").read_text(encoding="utf-8")
    for row in skipped["bad"]:
        assert f'<td class="num">{row}</td>' in page
    assert "客户不能为空" in page


# --- names, reruns, the lock ---------------------------------------------------------------------


def test_repeated_only_accumulates() -> None:
    args = _parser().parse_args(["report", "x.csv", "--only", "A", "--only", "B", "C", "--out", "o"])
    assert args.only == ["A", "B", "C"]


def test_colliding_names_each_get_their_report(tmp_path: Path) -> None:
    log = _tiny_log(tmp_path / "log.csv", COLLIDING)
    batch = build_reports(log, out=tmp_path / "out", progress=False, jobs=2)
    assert batch.ok, [result.error for result in batch.failed]
    files = [result.path for result in batch.results]
    assert len({path.name.casefold() for path in files if path}) == len(COLLIDING)
    for result in batch.results:
        assert result.path is not None
        assert len(result.path.name.encode("utf-8")) < 200
        assert result.name in result.path.read_text(encoding="utf-8").replace("&lt;", "<")
    index = batch.index.read_text(encoding="utf-8")
    for result in batch.results:
        assert result.path is not None
        assert f'href="{result.path.name}"' in unquote(index)


def test_a_rerun_keeps_the_other_reports_and_skips_what_did_not_change(tmp_path: Path) -> None:
    log = _tiny_log(tmp_path / "log.csv", ["甲组", "乙组", "丙组"])
    out = tmp_path / "out"
    first = build_reports(log, out=out, progress=False, jobs=2)
    made = {result.name: result.path.stat().st_mtime_ns for result in first.results if result.path}
    again = build_reports(log, out=out, only=["甲组"], progress=False)
    (result,) = again.results
    assert result.unchanged
    assert result.ok
    assert result.path is not None
    assert result.path.stat().st_mtime_ns == made["甲组"]
    later = build_reports(log, out=out, only=["乙组"], as_of="2026-02-03", progress=False)
    assert not later.results[0].unchanged
    index = later.index.read_text(encoding="utf-8")
    for name in ("甲组", "乙组", "丙组"):  # every report in the folder, not just this run's
        assert name in index
    assert "报告日期或周期不同" in index
    rows = {row["name"]: row["as_of"] for row in read_summary(later.summary)}
    assert rows == {"甲组": "2026-02-05", "乙组": "2026-02-03", "丙组": "2026-02-05"}
    forced = build_reports(log, out=out, only=["甲组"], force=True, progress=False)
    assert not forced.results[0].unchanged


def test_a_second_run_into_a_locked_folder_is_refused(tmp_path: Path) -> None:
    log = _tiny_log(tmp_path / "log.csv", ["甲组"])
    out = tmp_path / "out"
    build_reports(log, out=out, progress=False)
    before = sorted(path.name for path in out.iterdir())
    busy = rf"another devvolume report run \(process {os.getpid()}"
    with FolderLock(out), pytest.raises(FolderBusyError, match=busy):
        build_reports(log, out=out, force=True, progress=False)
    assert sorted(path.name for path in out.iterdir()) == before
    build_reports(log, out=out, force=True, progress=False)  # released: the next run goes ahead


def test_stalled_days_reaches_every_report(tmp_path: Path) -> None:
    log = write_csv(shared_teams_rows(), tmp_path / "log.csv")
    batch = build_reports(log, out=tmp_path / "out", only=["先锋队"], stalled_days=30, progress=False)
    assert batch.results[0].path is not None
    assert "30 天以上" in batch.results[0].path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="stalled_days=0"):
        build_reports(log, out=tmp_path / "out", stalled_days=0, progress=False)


# Ctrl-C at every moment, and a second batch refused while one runs: tests/test_interrupt.py.
