"""The index of a report folder, ``summary.csv``, ``evidence.csv``, and the page of rows left out.

The index lists **every report in the folder** (from the folder's manifest, see
:mod:`devvolume.report._folder`), grouped by kind, each row with the report day and the numbers
of the run that wrote that file, its PDF, or why it failed or did not finish. ``summary.csv`` is
for machines and spreadsheets: English column names, one row per report, the numbers the report
itself published (:func:`publish_summary`), never recomputed here; ``evidence.csv`` holds every
comparison of a report with its peers and its verdict. With ``--skip-invalid``,
``problems.html`` and ``problems.csv`` list each problem of the rows left out, as
``devvolume validate`` does, and the index says how many rows that was.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from devvolume.inputs._errors import printable_lines
from devvolume.inputs._excel_csv import csv_text, write_csv
from devvolume.report._engine import SUMMARY_MIMETYPE, write_atomic
from devvolume.report._evidence import EVIDENCE_FIELDS, Evidence, evidence_rows
from devvolume.report._figures import SUMMARY_FIELDS, PeriodFigures

if TYPE_CHECKING:
    from devvolume.report._build import ReportResult
    from devvolume.report._coaching import Coaching
    from devvolume.report._data import Skipped
    from devvolume.report._deals import DealFigures
    from devvolume.report._folder import Entry
    from devvolume.report._money import Money

#: The machine-readable summary of a folder, beside ``index.html``.
SUMMARY_FILE = "summary.csv"
#: Its columns, in order.
SUMMARY_COLUMNS = ("name", "kind", *SUMMARY_FIELDS, "skipped_rows", "status", "file")
#: Every report's comparisons with its peers, beside ``summary.csv``.
EVIDENCE_FILE = "evidence.csv"
#: Its columns, in order.
EVIDENCE_COLUMNS = ("name", "kind", *EVIDENCE_FIELDS)
#: The pages listing the rows left out with ``--skip-invalid``.
PROBLEMS_HTML = "problems.html"
PROBLEMS_CSV = "problems.csv"
#: Kinds in the order the index shows them.
KIND_ORDER = ("team", "meeting", "rep")

INDEX_TEXT: dict[str, dict[str, Any]] = {
    "zh": {"title": "客户开发量报告", "name": "名称", "status": "状态", "ok": "完成", "failed": "失败",
           "interrupted": "未完成（已中断）", "error": "错误", "source": "数据", "period": "周期",
           "as_of": "报告日期", "written": "生成时间", "skipped": "跳过的行", "pdf": "PDF",
           "count": "共 {n} 份，完成 {ok} 份，失败 {bad} 份",
           "unfinished": "，未完成 {n} 份（中断）",
           "previous": "文件夹中保留的是上一次（报告日期 {as_of}）生成的报告",
           "mixed": "注意：这个文件夹中的报告不是同一次生成的，报告日期或周期不同，请看每行的“报告日期”。",
           "skipped_note": "注意：工作日志表共 {rows_read} 行，其中 {n} 行有问题，没有计入报告。"
                           "每一行的问题见 {html}（表格：{csv}）。",
           "kinds": {"team": "团队报告", "rep": "个人报告", "meeting": "周会材料"},
           "problems_title": "工作日志表中没有计入报告的行",
           "problems_meta": "数据：{source} · 共 {rows_read} 行，{n} 行有问题，没有计入报告。"
                            "行号与 Excel 中看到的一致（第 1 行是表头）。",
           "row": "行", "column": "列", "value": "值", "problem": "问题",
           "back": "返回报告索引"},
    "en": {"title": "Customer development reports", "name": "Name", "status": "Status", "ok": "done",
           "failed": "failed", "interrupted": "not finished (interrupted)", "error": "Error",
           "source": "Data", "period": "Period", "as_of": "Report day", "written": "Made",
           "skipped": "Rows skipped", "pdf": "PDF",
           "count": "{n} reports: {ok} done, {bad} failed",
           "unfinished": ", {n} not finished (interrupted)",
           "previous": "the folder keeps the earlier report (report day {as_of})",
           "mixed": "Note: the reports in this folder were not all made by one run; their report "
                    "days or periods differ (see each row's report day).",
           "skipped_note": "Note: {n} of the work log's {rows_read} rows have problems and are not "
                           "counted in the reports. Each problem is listed in {html} (table: {csv}).",
           "kinds": {"team": "Team reports", "rep": "Rep reports", "meeting": "Meeting packs"},
           "problems_title": "Work-log rows not counted in the reports",
           "problems_meta": "Data: {source} · {rows_read} rows, {n} with problems, not counted. "
                            "Row numbers are as seen in Excel (row 1 is the header).",
           "row": "Row", "column": "Column", "value": "Value", "problem": "Problem",
           "back": "Back to the index"},
}  # fmt: skip

_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left;
         overflow-wrap: anywhere; }
th { background: #f4f6f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.failed { color: #b00020; } .meta { color: #555; }
.note { background: #fff8e1; border-left: 4px solid #f0a500; padding: .5em .8em; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } }
"""


def write_index(out: Path, entries: Mapping[str, Entry], *, unknown: Sequence[ReportResult],
                run: Mapping[str, Any]) -> tuple[Path, Path, Path]:  # fmt: skip
    """Write ``index.html``, ``summary.csv`` and ``evidence.csv`` for every report in the folder.

    Returns the three paths.
    """
    shown = [entry for entry in entries.values()
             if entry.status != "ok" or (out / entry.file).is_file()]  # fmt: skip
    index = out / "index.html"
    write_atomic(index, render_index(shown, unknown, out=out, run=run))
    summary = write_csv(out / SUMMARY_FILE, summary_rows(shown, unknown, run=run), SUMMARY_COLUMNS)
    evidence = write_csv(out / EVIDENCE_FILE, evidence_table(shown), EVIDENCE_COLUMNS)
    return index, summary, evidence


def render_index(entries: Sequence[Entry], unknown: Sequence[ReportResult], *, out: Path,
                 run: Mapping[str, Any]) -> str:  # fmt: skip
    """Return the index page: one section per kind, one row per report, its numbers or its error.

    Every name, number and error is HTML-escaped; links are relative and percent-encoded.
    """
    lang = run["lang"]
    text = INDEX_TEXT[lang]
    esc = page_text
    kinds = [kind for kind in KIND_ORDER
             if kind == run["kind"] or any(entry.kind == kind for entry in entries)]  # fmt: skip
    if len(kinds) > 1:  # this run's kind first
        kinds.remove(run["kind"])
        kinds.insert(0, run["kind"])
    sections = []
    statuses = [entry.status for entry in entries] + ["error"] * len(unknown)
    for kind in kinds:
        rows = sorted((entry for entry in entries if entry.kind == kind), key=lambda e: e.name)
        missing = [result for result in unknown if result.kind == kind]
        sections.append(_section(kind, rows, missing, out=out, text=text,
                                 single=len(kinds) == 1))  # fmt: skip
    bad = statuses.count("error")
    unfinished = statuses.count("interrupted")
    count = text["count"].format(n=len(statuses), ok=statuses.count("ok"), bad=bad)
    if unfinished:
        count += text["unfinished"].format(n=unfinished)
    notes = []
    if run.get("skipped"):
        notes.append(text["skipped_note"].format(
            n=run["skipped"], rows_read=run["rows_read"], html=_link(PROBLEMS_HTML, PROBLEMS_HTML),
            csv=_link(PROBLEMS_CSV, PROBLEMS_CSV)))  # fmt: skip
    days = {(entry.as_of, entry.source) for entry in entries if entry.status == "ok"}
    periods = {(entry.kind, entry.period) for entry in entries if entry.status == "ok"}
    if len(days) > 1 or len(periods) > len({kind for kind, _ in periods}):
        notes.append(esc(text["mixed"]))
    title = f'{text["title"]} · {text["kinds"][run["kind"]]}'
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head>",
        f"<body><h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(text["source"])}: {esc(Path(run["source"]).name)} · '
        f'{esc(text["period"])}: {esc(run["period"])} · {esc(text["as_of"])}: {run["as_of"]} · '
        f'{esc(count)}</p>',
        *(f'<p class="note">{note}</p>' for note in notes),
        *sections,
        "</body></html>", "",
    ])  # fmt: skip


def _section(kind: str, rows: Sequence[Entry], unknown: Sequence[ReportResult], *, out: Path,
             text: dict[str, Any], single: bool) -> str:  # fmt: skip
    esc = page_text
    columns = list(dict.fromkeys(label for entry in rows for label in entry.summary))
    skipped = any(entry.skipped_rows for entry in rows)
    pdfs = any(entry.pdf for entry in rows)
    head = [text["name"], text["status"], text["as_of"], *columns,
            *([text["skipped"]] if skipped else []), *([text["pdf"]] if pdfs else []),
            text["written"], text["error"]]  # fmt: skip
    lines = []
    for entry in rows:
        ok = entry.status == "ok"
        previous = entry.previous if not ok else None
        target = entry.file if ok else (previous or {}).get("file", "")
        name = (_link(target, entry.name) if target and (out / target).is_file()
                else esc(entry.name))  # fmt: skip
        status = esc(text["ok"]) if ok else f'<span class="failed">{esc(text[_status(entry)])}</span>'
        error = entry.error
        if previous and target:
            error = f"{error}（{text['previous'].format(as_of=previous.get('as_of', ''))}）"
        cells = [name, status, esc(entry.as_of)]
        cells_html = [f"<td>{cell}</td>" for cell in cells]
        cells_html += [_cell(entry.summary.get(label) if ok else None) for label in columns]
        if skipped:
            cells_html.append(_cell(entry.skipped_rows if ok else None))
        if pdfs:
            pdf = _link(entry.pdf, "PDF") if ok and entry.pdf else ""
            cells_html.append(f"<td>{pdf}</td>")
        cells_html.append(f'<td class="meta">{esc(entry.written.replace("T", " "))}</td>')
        cells_html.append(f'<td class="failed">{esc(error)}</td>')
        lines.append("<tr>" + "".join(cells_html) + "</tr>")
    for result in unknown:
        blanks = len(head) - 4
        lines.append(f"<tr><td>{esc(result.name)}</td>"
                     f'<td><span class="failed">{esc(text["failed"])}</span></td>'
                     + "<td></td>" * blanks + f'<td class="failed">{esc(result.error)}</td></tr>')  # fmt: skip
    heading = "" if single else f"<h2>{esc(text['kinds'][kind])}</h2>"
    return "\n".join([
        heading,
        "<table><thead><tr>" + "".join(f"<th>{esc(str(h))}</th>" for h in head) + "</tr></thead>",
        "<tbody>", *lines, "</tbody></table>",
    ])  # fmt: skip


def _status(entry: Entry) -> str:
    return "interrupted" if entry.status == "interrupted" else "failed"


def page_text(value: object) -> str:
    r"""Escape text for a page: HTML, and control and bidi characters shown as ``\u202e``.

    Names come from people's files; an invisible override could make a name (or a file name)
    read backwards on the page.
    """
    return html.escape(printable_lines(value))


def _link(file: str, label: str) -> str:
    return f'<a href="{html.escape(quote(file))}">{page_text(label)}</a>'


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, float):
        return f'<td class="num">{value:,.1f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value:,}</td>'
    return f"<td>{page_text(value)}</td>"


def render_summary(entries: Sequence[Entry], unknown: Sequence[ReportResult], *,
                   run: Mapping[str, Any]) -> str:  # fmt: skip
    """Return ``summary.csv``: a BOM, then one row per report in :data:`SUMMARY_COLUMNS` order.

    Written by :func:`~devvolume.inputs._excel_csv.write_csv`: no cell starts a formula, numbers
    stay numbers. See :func:`summary_rows` for the rows.
    """
    return csv_text(summary_rows(entries, unknown, run=run), SUMMARY_COLUMNS)


def summary_rows(entries: Sequence[Entry], unknown: Sequence[ReportResult], *,
                 run: Mapping[str, Any]) -> list[dict[str, Any]]:  # fmt: skip
    """Give the rows of ``summary.csv``, one per report, by column name.

    A report that was written gives the figures it published; one that failed (or did not
    finish) gives its name, kind, period and report day, empty numbers and ``status`` ``error``
    (``interrupted``). Empty cells are values the report does not have (a target where there is
    none).
    """
    rows: list[dict[str, Any]] = []
    for entry in sorted(entries, key=lambda e: (KIND_ORDER.index(e.kind), e.name)):
        row: dict[str, Any] = {"period": _first_day(entry.as_of, entry.period), "as_of": entry.as_of}
        if entry.status == "ok":
            row.update(entry.figures)
            row.update(file=entry.file, skipped_rows=entry.skipped_rows)
        row.update(name=entry.name, kind=entry.kind, status=entry.status)
        rows.append(row)
    for result in unknown:
        rows.append({"name": result.name, "kind": result.kind, "status": "error",
                     "period": _first_day(str(run["as_of"]), run.get("period", "")),
                     "as_of": str(run["as_of"])})  # fmt: skip
    return rows


def evidence_table(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Give the rows of ``evidence.csv``: one per report written and measure compared.

    The columns are :data:`EVIDENCE_COLUMNS`: the report's name and kind, then what its page
    judged (see :func:`devvolume.report.evidence_rows`), so an instructor can sort the class by
    any measure and a script can check the verdicts' calibration. Written, like ``summary.csv``,
    by :func:`~devvolume.inputs._excel_csv.write_csv`.
    """
    rows = []
    for entry in sorted(entries, key=lambda e: (KIND_ORDER.index(e.kind), e.name)):
        if entry.status == "ok":
            rows += [{"name": entry.name, "kind": entry.kind, **row} for row in entry.evidence]
    return rows


def _first_day(as_of: str, period: str) -> str:
    """Give the first day of the period (code) holding ``as_of``, as the report's rows do."""
    from devvolume.core import period_window

    try:
        return period_window(as_of, period).first.isoformat()
    except (ValueError, TypeError):
        return ""


def write_problems(out: Path, skipped: Skipped | None, *, source: str, lang: str) -> Path | None:
    """Write ``problems.html`` and ``problems.csv`` for the rows left out; ``None`` if none were."""
    if skipped is None:
        return None
    text = INDEX_TEXT[lang]
    esc = page_text
    columns = ("row", "column", "header", "value", "problem")
    rows = []
    lines = []
    for problem in skipped.problems.itertuples(index=False):
        values = {column: getattr(problem, column, "") for column in columns}
        rows.append(values)
        where = values["header"] or values["column"]
        lines.append(f'<tr><td class="num">{esc(str(values["row"]))}</td><td>{esc(str(where))}</td>'
                     f"<td>{esc(str(values['value']))}</td><td>{esc(str(values['problem']))}</td></tr>")  # fmt: skip
    write_csv(out / PROBLEMS_CSV, rows, columns)
    meta = text["problems_meta"].format(source=Path(source).name, rows_read=skipped.rows_read,
                                        n=skipped.rows)  # fmt: skip
    page = "\n".join([
        "<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        f'<head><meta charset="utf-8"><title>{esc(text["problems_title"])}</title>'
        f"<style>{_STYLE}</style></head>",
        f'<body><h1>{esc(text["problems_title"])}</h1><p class="meta">{esc(meta)}</p>',
        f'<p><a href="index.html">{esc(text["back"])}</a> · {_link(PROBLEMS_CSV, PROBLEMS_CSV)}</p>',
        "<table><thead><tr>" + "".join(f"<th>{esc(text[c])}</th>"
                                        for c in ("row", "column", "value", "problem"))
        + "</tr></thead><tbody>", *lines, "</tbody></table></body></html>", "",
    ])  # fmt: skip
    path = out / PROBLEMS_HTML
    write_atomic(path, page)
    return path


def publish_summary(figures: Mapping[str, Any], /, *, evidence: Sequence[Mapping[str, Any]] = (),
                    **shown: Any) -> None:  # fmt: skip
    """Give the batch this report's numbers: ``figures`` for ``summary.csv``, ``shown`` for the index.

    Call it once, at the end of a report notebook. The output is taken out of the report
    before export, so it never shows in the HTML.

    Parameters
    ----------
    figures : mapping
        The machine-readable row: keys among :data:`SUMMARY_FIELDS` (e.g.
        :meth:`PeriodFigures.summary`), the numbers the page shows.
    evidence : sequence of mappings
        The report's rows of ``evidence.csv`` (:func:`devvolume.report.evidence_rows`).
    **shown
        Headline numbers for the index page, under human labels (``成交=8``).

    Raises
    ------
    ValueError
        For a key of ``figures`` that ``summary.csv`` has no column for.
    """
    from IPython.display import display

    unknown = sorted(set(figures) - set(SUMMARY_FIELDS))
    if unknown:
        msg = (f"summary.csv 没有这些列 / summary.csv has no columns {unknown}.\n"
               f"Hint: use {', '.join(SUMMARY_FIELDS)}.")  # fmt: skip
        raise ValueError(msg)

    def plain(value: Any) -> Any:
        return value.item() if hasattr(value, "item") else value

    payload = {"figures": {key: plain(value) for key, value in figures.items()},
               "shown": {label: plain(value) for label, value in shown.items()},
               "evidence": {"rows": [{key: plain(value) for key, value in row.items()}
                                     for row in evidence]}}  # fmt: skip
    display({SUMMARY_MIMETYPE: payload}, raw=True)


def publish_figures(figures: PeriodFigures, *, money: Money | None, stalled: int,
                    coaching: Coaching, text: Mapping[str, str], evidence: Evidence | None = None,
                    deals: DealFigures | None = None) -> None:  # fmt: skip
    """Give the batch a team or rep report's numbers (see :func:`publish_summary`).

    ``summary.csv`` gets the period's figures, the money and, where the log has deals, the deal
    figures the page shows (``deals``); ``evidence.csv`` the comparisons
    of ``evidence`` with their verdicts; the index shows won, target,
    attainment, forecast, stalled customers and the bottleneck under the report's own labels
    (``text``: keys ``won``, ``target``, ``attain``, ``forecast``, ``stalled_n``,
    ``bottleneck_short`` and ``none``).
    """
    attained = figures.attainment
    publish_summary({
        **figures.summary(),
        "first_order_value": None if money is None else round(money.first_order_total, 2),
        "open_signed_value": None if money is None else round(money.open_value, 2),
        **(deals.summary() if deals is not None else {}),
    }, evidence=evidence_rows(evidence) if evidence is not None else (), **{
        text["won"]: figures.now["won"], text["target"]: figures.target,
        text["attain"]: None if attained is None else f"{attained:.0%}",
        text["forecast"]: None if figures.outlook is None else round(figures.outlook.projected, 1),
        text["stalled_n"]: stalled, text["bottleneck_short"]: coaching.bottleneck or text["none"],
    })  # fmt: skip
