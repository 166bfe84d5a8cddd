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
    assert result.returncode == 1  # a blank template has nothing to report on, as report says too
    assert "没有数据行 / the work log has headers but no data rows" in result.stderr
    assert "Traceback" not in result.stderr


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


# --- devvolume import, and an export given to validate directly ----------------------------------

CRM = Path(__file__).resolve().parents[1] / "examples" / "crm"
PIPELINE = [str(CRM / "pipeline" / "sales_pipeline.csv"), "--roster",
            str(CRM / "pipeline" / "sales_teams.csv")]


def test_import_writes_a_work_log_and_accounts_for_every_deal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "工作日志.csv"
    assert main(["import", *PIPELINE, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Engaging    → 意向 qualified: 32 个商机 / deals, 写入 / written 10" in text
    assert "商机 / deals: 读入 in 176 = 写入 written 144 + 未计入 left out 32" in text
    assert "另有 22 个没有客户名的商机未计入。 / 22 more deals without an account are not counted." in text
    from devvolume import read_worklog

    assert read_worklog(out)["deal"].nunique() == 144
    assert main(["import", *PIPELINE, "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["import", *PIPELINE, "--out", str(out), "--force", "--from", "pipeline"]) == 0


def test_import_refuses_what_it_cannot_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = pd.read_csv(CRM / "pipeline" / "sales_pipeline.csv", dtype=str)
    export.loc[3, "deal_stage"] = "On Hold"
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    out = tmp_path / "log.xlsx"
    assert main(["import", str(path), "--roster", PIPELINE[2], "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "“On Hold”（1 个商机，首见第 5 行 / 1 deals, first on row 5）" in err
    assert "Hint:" in err
    assert not out.exists()
    assert main(["import", str(path), "--out", str(out)]) == 1
    assert "--roster" in capsys.readouterr().err


def test_suggest_writes_a_mapping_to_correct(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "映射.toml"
    assert main(["import", str(CRM / "hubspot" / "deals.csv"), "--suggest", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert 'preset = "hubspot"' in out.read_text(encoding="utf-8")
    assert main(["import", str(CRM / "hubspot" / "deals.csv"), "--suggest", "--out", str(out)]) == 1
    log = tmp_path / "log.csv"
    assert main(["import", str(CRM / "hubspot" / "deals.csv"), "--map", str(out), "--roster",
                 str(CRM / "hubspot" / "roster.csv"), "--out", str(log)]) == 0


def test_validate_takes_an_export_directly(capsys: pytest.CaptureFixture[str]) -> None:
    export = str(CRM / "salesforce" / "opportunities.csv")
    roster = str(CRM / "salesforce" / "roster.csv")
    assert main(["validate", export, "--from", "salesforce", "--roster", roster]) == 0
    out = capsys.readouterr().out
    assert "日期格式 / dates: MDY" in out
    assert "工作日志表没有问题 / the work log is valid" in out
    assert "rows:         278" in out
    assert main(["validate", export]) == 1
    assert "这是 salesforce 格式的 CRM 商机导出" in capsys.readouterr().err


def test_import_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "工作日志.xlsx"
    result = subprocess.run([sys.executable, "-m", "devvolume", "import",
                             str(CRM / "odoo" / "crm_lead.csv"), "--out", str(out)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "odoo" in result.stdout
    assert out.is_file()
    assert (tmp_path / "工作日志.xlsx.import.json").is_file()


# --- a file with headers and no data rows: validate and report agree ---------------------------


@pytest.mark.parametrize("body", ["", "\n,,,,\n"])
def test_headers_only_is_no_data_rows_for_validate_and_report(
        body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = tmp_path / "empty.csv"
    path.write_text("日期,销售员,团队,客户,阶段\n" + body.lstrip("\n"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    validate = capsys.readouterr().err
    assert main(["report", str(path), "--out", str(tmp_path / "out"), "--no-progress"]) == 1
    report = capsys.readouterr().err
    assert validate.splitlines()[0] == report.splitlines()[0]
    assert "没有数据行" in validate
    assert "/ the work log has headers but no data rows" in validate
    assert not (tmp_path / "out").exists()
