"""The blank 工作日志表 workbook: structure, validation, and a filled copy loading back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import devvolume as dv
from devvolume.core import COLUMNS, STAGE_LABELS
from devvolume.inputs._template import GUIDE_SHEET, SHEET_NAME, write_template


def test_template_structure(tmp_path: Path) -> None:
    path = write_template(tmp_path / "log.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [SHEET_NAME, GUIDE_SHEET]
    sheet = book[SHEET_NAME]
    assert [c.value for c in sheet[1]] == [c.label for c in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 20
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert rules["E2"].type == "list"
    for label in STAGE_LABELS.values():
        assert label in rules["E2"].formula1
    assert rules["E2"].errorStyle == "stop"
    assert rules["F2"].type == "list"          # 渠道: drop-down, other values allowed
    assert rules["F2"].errorStyle == "warning"
    assert rules["G2"].type == "list"          # 活动类型
    assert rules["A2"].type == "date"
    assert rules["H2"].type == "decimal"
    guide_text = " ".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row)
    for column in COLUMNS:
        assert column.label in guide_text
    assert "流失只算一次接触" in guide_text


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"my precious data")
    with pytest.raises(FileExistsError, match="--force"):
        write_template(path)
    assert path.read_bytes() == b"my precious data"
    write_template(path, force=True)
    assert load_workbook(path).sheetnames[0] == SHEET_NAME


def test_rejects_other_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx"):
        write_template(tmp_path / "log.csv")


def test_filled_copy_loads_back(tmp_path: Path) -> None:
    path = write_template(tmp_path / "log.xlsx")
    book = load_workbook(path)
    sheet = book[SHEET_NAME]
    filled = [
        (dt.datetime(2026, 3, 30), "王磊", "华东一组", "杭州恒达贸易有限公司", "首次接触", "陌拜", "拜访", None, None),
        (dt.datetime(2026, 4, 3), "李娜", "华东一组", "宁波远航科技有限公司", "成交", "转介绍", "演示",
         12800.5, "首单", "SO-2026-001"),
    ]
    for r, values in enumerate(filled, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)
    log = dv.read_worklog(path)
    expected = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-30", "2026-04-03"]).astype("datetime64[us]"),
        "rep": ["王磊", "李娜"], "team": ["华东一组", "华东一组"],
        "customer": ["杭州恒达贸易有限公司", "宁波远航科技有限公司"],
        "stage": ["contacted", "won"], "channel": ["陌拜", "转介绍"], "activity": ["拜访", "演示"],
        "amount": [float("nan"), 12800.5], "note": [None, "首单"], "deal": [None, "SO-2026-001"],
    }).astype(dict.fromkeys(("rep", "team", "customer", "stage", "channel", "activity", "note",
                             "deal"), "str"))
    pd.testing.assert_frame_equal(log, expected)


def test_excel_round_trip_through_pandas(tmp_path: Path) -> None:
    log = pd.DataFrame({"日期": pd.to_datetime(["2026-01-05", "2026-01-06"]),
                        "业务员": ["王磊", "李娜"], "团队": ["一组", "二组"],
                        "客户名称": ["甲公司", "乙公司"], "阶段": ["意向", "签约"], "金额": [None, 5000]})
    path = tmp_path / "round.xlsx"
    log.to_excel(path, index=False, sheet_name="日志")
    back = dv.read_worklog(path, sheet="日志")
    assert back["stage"].tolist() == ["qualified", "signed"]
    assert back["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-05", "2026-01-06"]
    with pytest.raises(dv.WorklogError, match="日志"):
        dv.read_worklog(path, sheet="Sheet9")
