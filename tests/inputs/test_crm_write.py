"""Writing the imported work log: three formats that load back, the summary beside it, no overwrites."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import devvolume as dv
from devvolume.inputs import (
    _crm_write,
    import_crm,
    import_into,
    read_import_summary,
    summary_path,
    write_import,
)
from devvolume.sim._opportunities import Opportunities, crm_opportunities, pipeline_csv


@pytest.fixture(scope="module")
def data() -> Opportunities:
    return crm_opportunities(scale=0.02)


@pytest.fixture
def files(data: Opportunities, tmp_path: Path) -> tuple[Path, Path]:
    export, roster = tmp_path / "sales_pipeline.csv", tmp_path / "sales_teams.csv"
    pipeline_csv(data).to_csv(export, index=False)
    data.teams.to_csv(roster, index=False)
    return export, roster


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".parquet"])
def test_each_format_loads_back_as_the_same_work_log(files: tuple[Path, Path], tmp_path: Path,
                                                     suffix: str) -> None:  # fmt: skip
    export, roster = files
    out = tmp_path / f"工作日志{suffix}"
    result = write_import(export, out, roster=roster)
    loaded = dv.read_worklog(out)
    pd.testing.assert_frame_equal(loaded, result.worklog)
    assert read_import_summary(out) == result.summary
    assert summary_path(out).name == f"工作日志{suffix}.import.json"


def test_the_csv_is_what_a_manager_reads(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, roster = files
    out = tmp_path / "工作日志.csv"
    write_import(export, out, roster=roster)
    text = out.read_bytes()
    assert text.startswith("\ufeff日期,销售员,团队,客户,阶段,渠道,活动类型,金额,备注,商机\r\n".encode())
    assert "首次接触" in text.decode("utf-8-sig")


FORMULA_ACCOUNT = '=HYPERLINK("http://example.com/","点我")'


@pytest.fixture
def formula_export(data: Opportunities, tmp_path: Path) -> tuple[Path, Path]:
    """The export with one account named like a spreadsheet formula (all its deals)."""
    export, roster = tmp_path / "export.csv", tmp_path / "roster.csv"
    pipeline = pipeline_csv(data)
    first = pipeline["account"].dropna().iloc[0]
    pipeline.loc[pipeline["account"] == first, "account"] = FORMULA_ACCOUNT
    pipeline.to_csv(export, index=False)
    data.teams.to_csv(roster, index=False)
    return export, roster


def test_a_formula_in_the_export_stays_text_in_the_workbook(
        formula_export: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
    from openpyxl import load_workbook

    export, roster = formula_export
    out = tmp_path / "工作日志.xlsx"
    result = write_import(export, out, roster=roster)
    sheet = load_workbook(out)["工作日志"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert any(cell.value == FORMULA_ACCOUNT and cell.data_type == "s" for cell in cells)
    pd.testing.assert_frame_equal(dv.read_worklog(out), result.worklog)


def test_a_formula_in_the_export_is_neutralised_in_the_csv(
        formula_export: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
    export, roster = formula_export
    out = tmp_path / "工作日志.csv"
    result = write_import(export, out, roster=roster)
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    loaded = dv.read_worklog(out)
    assert loaded["customer"].nunique() == result.worklog["customer"].nunique()
    assert len(loaded) == len(result.worklog)


def test_the_workbook_says_what_the_import_did(files: tuple[Path, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    export, roster = files
    out = tmp_path / "工作日志.xlsx"
    result = write_import(export, out, roster=roster)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["工作日志", "导入说明"]
    notes = [row[0] for row in book["导入说明"].iter_rows(values_only=True)]
    assert f"另有 {result.summary.left_out['no_account']} 个没有客户名的商机未计入。" in notes


def test_nothing_is_overwritten_without_force(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, roster = files
    out = tmp_path / "log.csv"
    out.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"(?s)没有覆盖.*Hint: .*--force"):
        write_import(export, out, roster=roster)
    assert out.read_text(encoding="utf-8") == "mine"
    write_import(export, out, roster=roster, force=True)
    assert out.read_text(encoding="utf-8-sig").startswith("日期")
    with pytest.raises(ValueError, match="导出文件本身"):
        write_import(export, export, roster=roster, force=True)
    with pytest.raises(ValueError, match=r"\.xlsx、\.csv 或 \.parquet"):
        write_import(export, tmp_path / "log.txt", roster=roster)


def test_too_many_rows_for_excel_are_refused_with_the_way_out(
        files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    export, roster = files
    monkeypatch.setattr(_crm_write, "EXCEL_MAX_ROWS", 10)
    out = tmp_path / "log.xlsx"
    with pytest.raises(ValueError, match=r"(?s)超过 Excel 一个工作表能放的 9 行.*Hint: 写成 \.csv 或 "
                                         r"\.parquet，例如 --out log\.csv"):
        write_import(export, out, roster=roster)
    assert not out.exists()
    assert not list(tmp_path.glob(".log-*"))  # no half-written file left behind


def test_a_changed_log_no_longer_has_the_summary(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, roster = files
    out = tmp_path / "log.csv"
    write_import(export, out, roster=roster)
    record = json.loads(summary_path(out).read_text(encoding="utf-8"))
    assert record["summary"]["left_out"]["no_account"] > 0
    out.write_text(out.read_text(encoding="utf-8-sig") + "\n", encoding="utf-8-sig")
    assert read_import_summary(out) is None


def test_a_batch_import_is_the_same_bytes_each_time(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, roster = files
    first, result = import_into(tmp_path / "out", export, roster=roster)
    digest = first.read_bytes()
    again, _ = import_into(tmp_path / "out", export, roster=roster)
    assert again == first == tmp_path / "out" / ".devvolume-import" / "sales_pipeline.parquet"
    assert again.read_bytes() == digest
    assert read_import_summary(first) == result.summary
    pd.testing.assert_frame_equal(dv.read_worklog(first), import_crm(export, roster=roster).worklog)
