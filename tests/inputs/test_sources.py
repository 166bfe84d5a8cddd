"""Where a work log comes from: OS errors, Parquet, other frames, and the validate command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from worklog_files import make_workbook

import devvolume as dv
from devvolume.cli import main
from devvolume.inputs import _sources

LOG = pd.DataFrame({
    "日期": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-03"]),
    "销售员": ["王磊", "王磊", "李娜"], "团队": ["华东一组"] * 3,
    "客户": ["恒达贸易", "恒达贸易", "远航科技"], "阶段": ["首次接触", "意向", "成交"],
    "金额": [None, None, 12800.0],
})


# --- operating-system errors -------------------------------------------------------------------

def test_a_folder_as_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "日志.xlsx"
    folder.mkdir()
    with pytest.raises(dv.WorklogError, match="this is a folder"):
        dv.read_worklog(folder)
    assert main(["validate", str(folder)]) == 1
    assert "folder" in capsys.readouterr().err


def test_a_path_under_a_file(tmp_path: Path) -> None:
    file = tmp_path / "log.csv"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(dv.WorklogError, match=r"file not found|cannot read"):
        dv.read_worklog(file / "inner.csv")


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"PK\x03\x04")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(_sources.Path, "open", refuse)
    with pytest.raises(dv.WorklogError, match="no permission to read this file") as caught:
        dv.read_worklog(path)
    assert "Excel" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads any file")
def test_an_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "locked.csv"
    path.write_text("日期\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(dv.WorklogError, match="no permission"):
        dv.read_worklog(path)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_not_a_file() -> None:
    with pytest.raises(dv.WorklogError, match=r"file not found|not a regular file|unknown file type"):
        dv.read_worklog("/dev/null")


def test_a_null_character_in_the_name() -> None:
    with pytest.raises(dv.WorklogError, match="null character"):
        dv.read_worklog("log\x00.csv")


def test_unknown_source_type() -> None:
    with pytest.raises(dv.WorklogError, match="unknown source"):
        dv.read_worklog(42)  # type: ignore[arg-type]


def test_template_under_a_file_or_onto_a_folder(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    assert main(["template", str(file / "log.xlsx")]) == 1
    assert "part of the path is a file" in capsys.readouterr().err
    folder = tmp_path / "模板.xlsx"
    folder.mkdir()
    assert main(["template", str(folder)]) == 1
    assert "This is a folder" in capsys.readouterr().err


# --- Parquet and other frames --------------------------------------------------------------------

def test_parquet_from_a_warehouse(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    LOG.to_parquet(path)
    report = dv.check_worklog(path)
    assert report.ok
    assert report.valid["stage"].tolist() == ["contacted", "qualified", "won"]
    assert report.valid["amount"].iloc[2] == 12800.0
    pd.testing.assert_frame_equal(dv.read_worklog(path), dv.read_worklog(LOG))


def test_parquet_with_typed_and_dictionary_columns(tmp_path: Path) -> None:
    table = pa.table({
        "date": pa.array([dt.date(2026, 1, 5), dt.date(2027, 6, 1), None], pa.date32()),
        "rep": pa.array(["A", "B", "A"]).dictionary_encode(),
        "team": ["T", "T", "T"], "customer": ["C1", "C2", "C3"],
        "stage": ["won", "maybe", "lost"], "amount": pa.array([1.5, -2.0, None]),
    })
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    report = dv.check_worklog(path, date_window=("2020-01-01", "2026-12-31"))
    assert report.bad_rows == [3, 4]  # a Parquet row counts as in a sheet: header = row 1
    assert set(report.problems["column"]) == {"date", "stage", "amount"}


def test_parquet_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + bytes(100))
    with pytest.raises(dv.WorklogError, match="Parquet"):
        dv.read_worklog(broken)
    fake = tmp_path / "fake.parquet"
    fake.write_text("date,rep\n", encoding="utf-8")
    with pytest.raises(dv.WorklogError, match="not a Parquet file"):
        dv.read_worklog(fake)
    nested = tmp_path / "nested.parquet"
    pq.write_table(pa.table({"date": ["2026-01-05"], "rep": [["A", "B"]]}), nested)
    with pytest.raises(dv.WorklogError, match="rep"):
        dv.read_worklog(nested)


def test_polars_frame() -> None:
    log = dv.read_worklog(pl.from_pandas(LOG))
    assert log["rep"].tolist() == ["王磊", "王磊", "李娜"]


def test_frame_with_booleans_and_numbers_keeps_them_apart() -> None:
    raw = pd.DataFrame({"date": ["2026-01-05"] * 3, "rep": ["A"] * 3, "team": ["T"] * 3,
                        "customer": ["C"] * 3, "stage": ["won"] * 3,
                        "amount": pd.Series([1.0, True, 1], dtype=object)})
    report = dv.check_worklog(raw)
    assert report.bad_rows == [3]  # True is not an amount, 1.0 and 1 are
    assert report.valid["amount"].tolist() == [1.0, 1.0]


def test_frame_with_unhashable_cells() -> None:
    raw = pd.DataFrame({"date": ["2026-01-05"] * 2, "rep": ["A", "B"], "team": ["T"] * 2,
                        "customer": ["C"] * 2, "stage": ["won"] * 2,
                        "note": pd.Series([["x"], {"y": 1}], dtype=object)})
    assert dv.read_worklog(raw)["note"].tolist() == ["['x']", "{'y': 1}"]


# --- the validate command ----------------------------------------------------------------------

def test_validate_names_the_sheet_and_header_row(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    def extra_sheet(book: object, ws: object) -> None:
        book.create_sheet("说明", 0)["A1"] = "说明"  # type: ignore[attr-defined]

    path = make_workbook(tmp_path / "log.xlsx", above=[["华东一组工作日志"]], edit=extra_sheet)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "工作表 sheet:      工作日志" in out
    assert "表头 header row:   2" in out
    assert main(["validate", str(path), "--sheet", "说明"]) == 1
    assert "缺少必填列" in capsys.readouterr().err
    assert main(["validate", str(path), "--sheet", "2"]) == 0  # the second tab, counted from 1
    assert "工作日志" in capsys.readouterr().out


def test_validate_parquet_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.parquet"
    LOG.to_parquet(path)
    done = subprocess.run([sys.executable, "-m", "devvolume", "validate", str(path)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert "rows:         3" in done.stdout


@pytest.mark.parametrize("name", ["damaged.xlsx", "encrypted.xlsx", "folder"])
def test_validate_never_shows_a_traceback(tmp_path: Path, name: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    elif name == "encrypted.xlsx":
        path.write_bytes((Path(__file__).parent / "data" / name).read_bytes())
    else:
        path.write_bytes(b"PK\x03\x04" + bytes(50))
    assert main(["validate", str(path)]) == 1
    error = capsys.readouterr().err
    assert "提示 / Hint" in error
    assert str(path) in error
    if name == "damaged.xlsx":  # and once end to end: exit status 1, no traceback
        done = subprocess.run([sys.executable, "-m", "devvolume", "validate", str(path)],
                              capture_output=True, text=True, encoding="utf-8", check=False)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert done.stderr.strip() == error.strip()


def test_a_workbook_cut_to_its_first_bytes_is_damaged_not_text(tmp_path):
    for name, data in (("old.xls", b"\xd0\xcf"), ("new.xlsx", b"PK\x03")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(dv.WorklogError, match="已损坏"):
            dv.read_worklog(path)


def test_tab_separated_text_named_xls_is_still_read(tmp_path):
    path = tmp_path / "crm.xls"
    path.write_text("日期\t销售员\t团队\t客户\t阶段\n2026-01-05\t张\tA\t甲\t成交\n", encoding="utf-8")
    assert len(dv.read_worklog(path)) == 1
