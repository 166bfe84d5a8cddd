"""``report`` and ``course`` take a CRM export directly: imported into the output folder first.

The export is the kit's pipeline example (176 opportunities, 6 teams). The work log the batch
reports on is the import's (with its summary beside it, for the pages to read), and a rerun
finds the reports unchanged, because the import writes the same bytes each time.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd

import devvolume as dv
from devvolume.inputs import read_import_summary
from devvolume.report import build_course, build_reports

CRM = Path(__file__).resolve().parents[2] / "examples" / "crm" / "pipeline"
EXPORT, ROSTER = CRM / "sales_pipeline.csv", CRM / "sales_teams.csv"


def test_a_report_batch_on_an_export(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    batch = build_reports(EXPORT, out=out, only=["Dana Whitfield"], progress=False,
                          crm="pipeline", roster=ROSTER)  # fmt: skip
    assert batch.ok, [result.error for result in batch.results]
    assert batch.imported is not None
    assert (batch.imported.deals_in, batch.imported.deals_written) == (176, 144)
    imported = out / ".devvolume-import" / "sales_pipeline.parquet"
    assert read_import_summary(imported) == batch.imported
    summary = pd.read_csv(batch.summary, encoding="utf-8-sig")
    log = dv.read_worklog(imported)
    won = dv.development_volume(log, level="won", period="M", by="team")
    last = won[(won["team"] == "Dana Whitfield") & (won["period"] == won["period"].max())]
    assert summary["won"].tolist() == last["volume"].tolist()
    again = build_reports(EXPORT, out=out, only=["Dana Whitfield"], progress=False,
                          crm="auto", roster=ROSTER)  # fmt: skip
    assert [result.unchanged for result in again.results] == [True]


def test_a_course_on_an_export_reads_the_imported_log(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
              "language_info": {"name": "python"}}  # fmt: skip
    parameters = nbformat.v4.new_code_cell('dataset: str = ""\nteam: str = ""')
    parameters.metadata["tags"] = ["parameters"]
    code = ("import devvolume as dv\ndata = dv.teach.lesson_data(dataset, team=team)\n"
            "print('deals', data.worklog['deal'].nunique(), data.imported.deals_left_out)")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 第1课 deals"), parameters,
        nbformat.v4.new_code_cell(code)], metadata=kernel)  # fmt: skip
    nbformat.write(notebook, lessons / "01_deals.ipynb")
    batch = build_course(EXPORT, out=tmp_path / "course", notebooks=lessons, progress=False,
                         roster=ROSTER)  # fmt: skip
    assert batch.ok, [result.error for result in batch.results]
    assert batch.imported is not None
    assert len(batch.results) == 6  # one per manager's team
    for result in batch.results:
        assert result.html is not None
        assert "deals 144 32" in result.html.read_text(encoding="utf-8")
