"""Make the small binary work logs checked in beside this script (run once; needs extra tools).

- ``encrypted.xlsx``: a three-row work log saved with the password ``1234``, as Excel encrypts it
  (an OLE container holding ``EncryptionInfo`` and ``EncryptedPackage``). Needs
  ``pip install msoffcrypto-tool openpyxl``.
- ``worklog.xls`` and ``worklog.ods``: the same log saved by LibreOffice as Excel 97-2003 and as
  OpenDocument. Needs ``soffice`` (LibreOffice) on the PATH.

Run: ``python tests/inputs/data/make_files.py`` from the repository root.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
ROWS = [
    ("日期", "销售员", "团队", "客户", "阶段", "金额"),
    (dt.datetime(2026, 1, 5), "王磊", "华东一组", "恒达贸易", "首次接触", None),
    (dt.datetime(2026, 1, 9), "王磊", "华东一组", "恒达贸易", "意向", None),
    (dt.datetime(2026, 2, 3), "李娜", "华东一组", "远航科技", "成交", 12800.0),
]


def plain_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "工作日志"
    for row in ROWS:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def encrypted() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(plain_workbook())
    with (HERE / "encrypted.xlsx").open("wb") as target:
        OOXMLFile(plain).encrypt("1234", target)


def converted() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        msg = "soffice (LibreOffice) is needed for worklog.xls and worklog.ods"
        raise SystemExit(msg)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "worklog.xlsx"
        source.write_bytes(plain_workbook())
        for kind in ("xls", "ods"):
            subprocess.run([soffice, "--headless", "--convert-to", kind, "--outdir", folder,
                            str(source)], check=True, capture_output=True)
            shutil.copyfile(Path(folder) / f"worklog.{kind}", HERE / f"worklog.{kind}")


if __name__ == "__main__":
    encrypted()
    converted()
