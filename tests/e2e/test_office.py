"""The 工作日志表 template in a real office suite (LibreOffice, headless).

LibreOffice opens the template and a filled copy, converts them to PDF and CSV without error,
keeps the Chinese headers, and its re-saved copy loads back to the same frame. Screenshots of
the PDF pages go to build/e2e/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import devvolume as dv
from devvolume.core import COLUMNS
from devvolume.inputs._template import SHEET_NAME, write_template

SOFFICE = shutil.which("soffice")
PDFTOPPM = shutil.which("pdftoppm")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "e2e"
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1"

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                "(make test installs the Debian package libreoffice-calc)")

FILLED_ROWS = [
    (dt.datetime(2026, 3, 30), "王磊", "华东一组", "杭州恒达贸易有限公司", "首次接触", "陌拜", "拜访", None, "初访"),
    (dt.datetime(2026, 4, 2), "王磊", "华东一组", "杭州恒达贸易有限公司", "意向", "陌拜", "电话", None, None),
    (dt.datetime(2026, 4, 3), "李娜", "华东一组", "宁波远航科技有限公司", "成交", "转介绍", "演示", 12800.5, "首单"),
    (dt.datetime(2026, 5, 7), "李娜", "华东一组", "温州万家乐超市", "流失", "线上", "微信", None, "预算取消"),
]


def convert(source: Path, target: str, outdir: Path, profile: Path) -> Path:
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert produced.is_file(), result.stdout + result.stderr
    return produced


def screenshot(pdf: Path, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / name
    if PDFTOPPM is not None:
        subprocess.run([PDFTOPPM, "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(prefix)], check=True, timeout=60)
    return prefix.with_suffix(".png")


def filled_template(path: Path) -> Path:
    write_template(path)
    book = load_workbook(path)
    sheet = book[SHEET_NAME]
    for r, values in enumerate(FILLED_ROWS, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def test_template_converts_with_chinese_headers(tmp_path: Path) -> None:
    template = write_template(tmp_path / "工作日志表.xlsx")
    pdf = convert(template, "pdf", tmp_path / "out", tmp_path / "profile")
    assert pdf.read_bytes().startswith(b"%PDF")
    csv = convert(template, CSV_UTF8, tmp_path / "out", tmp_path / "profile")
    header = csv.read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "").split(",") == [c.label for c in COLUMNS]
    shot = screenshot(pdf, "office_template")
    assert PDFTOPPM is None or shot.stat().st_size > 0


def test_filled_copy_survives_libreoffice(tmp_path: Path) -> None:
    filled = filled_template(tmp_path / "filled.xlsx")
    original = dv.read_worklog(filled)
    assert len(original) == len(FILLED_ROWS)

    pdf = convert(filled, "pdf", tmp_path / "pdf", tmp_path / "profile")
    screenshot(pdf, "office_filled")
    csv = convert(filled, CSV_UTF8, tmp_path / "csv", tmp_path / "profile")
    from_csv = dv.read_worklog(csv)
    pd.testing.assert_frame_equal(from_csv, original)

    resaved = convert(filled, "xlsx", tmp_path / "resaved", tmp_path / "profile")
    assert resaved.read_bytes() != filled.read_bytes()        # LibreOffice really wrote it
    pd.testing.assert_frame_equal(dv.read_worklog(resaved), original)
    kept = load_workbook(resaved)
    assert [c.value for c in kept[SHEET_NAME][1]] == [c.label for c in COLUMNS]
    assert len(kept[SHEET_NAME].data_validations.dataValidation) >= 5   # drop-downs survive
