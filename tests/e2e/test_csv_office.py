"""Every CSV file an instructor opens, in a real office suite: no formula runs, numbers are numbers.

Names and values that start a formula (``=1+1``, ``+cmd|' /C calc'!A0``, ``-2+3``, ``@SUM(1)``,
``=HYPERLINK(…)``, after blanks too) go in where people's text reaches each CSV output: team
names (``summary.csv``), cell values of bad rows (``problems.csv``), learner names, question and
mistake codes (the class tables), and any value of a table given to the writer (the batch's
evidence). LibreOffice, headless, opens each file with formula evaluation on (as Excel does) and
saves it as .xlsx; every cell is read back. A raw CSV of the same cells, converted the same way,
gets live formulas: the check can see one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from devvolume.inputs._excel_csv import write_csv
from devvolume.report import build_reports
from devvolume.teach._classroom import build_class_report

SOFFICE = shutil.which("soffice")
#: LibreOffice's CSV import: comma, double quote, UTF-8, from line 1, standard cell formats, …
#: with "Evaluate formulas" on (the 13th field), as a spreadsheet that runs them would.
CSV_IMPORT = "CSV:44,34,76,1,,1033,false,false,false,false,false,-1,true"

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                "(make test installs the Debian package libreoffice-calc)")

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", '=HYPERLINK("http://x/","c")',
             " =2+2"]


def converted(files: list[Path], out: Path, profile: Path) -> dict[str, list[list[tuple]]]:
    """Open the CSV files in LibreOffice, save them as .xlsx; each file's cells and their types."""
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         f"--infilter={CSV_IMPORT}", "--convert-to", "xlsx", "--outdir", str(out),
         *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    sheets = {}
    for file in files:
        book = load_workbook(out / f"{file.stem}.xlsx")
        sheets[file.name] = [[(cell.value, cell.data_type) for cell in row]
                             for row in book.active.iter_rows()]
    return sheets


def _worklog(path: Path) -> Path:
    rows = []
    for number, team in enumerate(DANGEROUS):
        for day, stage in [("2026-01-05", "首次接触"), ("2026-02-03", "成交")]:
            rows.append({"日期": day, "销售员": f"R{number}", "团队": team, "客户": f"C{number}",
                         "阶段": stage, "金额": 12800 if stage == "成交" else None})
    # bad rows, left out with --skip-invalid: their values go to problems.csv
    rows.append({"日期": "=3+3", "销售员": "R0", "团队": "T", "客户": "C9", "阶段": "首次接触"})
    rows.append({"日期": "2026-01-06", "销售员": "R0", "团队": "T", "客户": "C9", "阶段": "@SUM(1)"})
    rows.append({"日期": "2026-01-07", "销售员": "R0", "团队": "T", "客户": "C9", "阶段": "成交",
                 "金额": "-5"})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _class(root: Path) -> Path:
    lines = []
    for minute, name in enumerate(DANGEROUS):
        for outcome, mistake in [("incorrect", "+cmd|' /C calc'!A0"), ("correct", None)]:
            lines.append(json.dumps({"learner": name, "lesson": "01", "question": "=1+1",
                                     "outcome": outcome, "mistake": mistake,
                                     "time": f"2026-05-06T10:{minute:02d}:00+08:00"}))  # fmt: skip
    path = root / "班" / ".devvolume" / "progress.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[tuple]]]:
    folder = tmp_path_factory.mktemp("csv")
    batch = build_reports(_worklog(folder / "log.csv"), out=folder / "reports", skip_invalid=True,
                          jobs=2, progress=False)  # fmt: skip
    assert batch.ok, [result.error for result in batch.failed]
    klass = build_class_report(_class(folder / "class"), out=folder / "class_out")
    evidence = write_csv(folder / "evidence.csv", pd.DataFrame({
        "unit": DANGEROUS, "z": [-2.5, 0.0, 1.25, -0.001, 3.0, -1.0],
        "named": ["-3", "+1", "clear", "", None, "@x"]}))  # fmt: skip
    raw = folder / "raw.csv"
    raw.write_text("name,n\r\n" + "".join(f'"{v.replace(chr(34), 2 * chr(34))}",1\r\n'
                                          for v in DANGEROUS), encoding="utf-8")  # fmt: skip
    files = [batch.summary, folder / "reports" / "problems.csv", *klass.csv.values(), evidence, raw]
    return converted(files, folder / "xlsx", folder / "profile")


def test_the_check_sees_a_live_formula(outputs: dict[str, list[list[tuple]]]) -> None:
    formulas = [value for row in outputs["raw.csv"] for value, kind in row if kind == "f"]
    assert "=1+1" in formulas


@pytest.mark.parametrize("name", ["summary.csv", "problems.csv", "learners.csv", "questions.csv",
                                  "mistakes.csv", "misconceptions.csv", "evidence.csv"])  # fmt: skip
def test_no_formula_runs(outputs: dict[str, list[list[tuple]]], name: str) -> None:
    cells = [cell for row in outputs[name] for cell in row]
    assert [value for value, kind in cells if kind == "f"] == []
    text = {value for value, kind in cells if kind == "s"}
    for value in text:
        assert not str(value).lstrip().startswith(("=", "+", "-", "@")), (name, value)


def test_the_dangerous_names_read_as_text(outputs: dict[str, list[list[tuple]]]) -> None:
    summary = [row[0][0] for row in outputs["summary.csv"][1:]]
    assert sorted(summary) == sorted(f"'{name.strip()}" for name in DANGEROUS)
    learners = [row[0][0] for row in outputs["learners.csv"][1:]]
    assert sorted(learners) == sorted(f"'{name.strip()}" for name in DANGEROUS)
    mistakes = outputs["mistakes.csv"]
    assert mistakes[1][1][0] == "'=1+1"  # the question
    assert mistakes[1][2][0] == "'+cmd|' /C calc'!A0"  # the mistake code
    problems = {row[3][0] for row in outputs["problems.csv"][1:]}  # the value column
    assert {"'=3+3", "'@SUM(1)", -5} <= problems


def test_numbers_are_numbers(outputs: dict[str, list[list[tuple]]]) -> None:
    header, *rows = outputs["summary.csv"]
    won = [value for value, _ in header].index("won")
    assert {row[won] for row in rows} == {(1, "n")}
    evidence = outputs["evidence.csv"]
    assert [row[1] for row in evidence[1:]] == [(-2.5, "n"), (0, "n"), (1.25, "n"), (-0.001, "n"),
                                                (3, "n"), (-1, "n")]  # fmt: skip
    assert evidence[1][2] == (-3, "n")  # text that is exactly a number is that number
    assert evidence[6][2] == ("'@x", "s")
