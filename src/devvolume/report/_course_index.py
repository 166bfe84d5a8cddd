"""The index page of a course folder: a row per team, a column per lesson, and the failures."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from devvolume.report._engine import write_atomic
from devvolume.report._folder import Entry
from devvolume.report._index import PROBLEMS_HTML, page_text

_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left;
         overflow-wrap: anywhere; vertical-align: top; }
th { background: #f4f6f8; } .failed { color: #b00020; } .meta { color: #555; }
.note { background: #fff8e1; border-left: 4px solid #f0a500; padding: .5em .8em; }
"""


def write_course_index(out: Path, entries: dict[str, Entry], *, source: str,
                       teams: Sequence[str], skipped: Any = None,
                       problems: Path | None = None) -> Path:  # fmt: skip
    """Write ``index.html``: a row per team, a column per lesson, each a link or its error."""
    index = out / "index.html"
    write_atomic(index, render_course_index(out, list(entries.values()), source=source,
                                            teams=teams, skipped=skipped,
                                            problems=problems))  # fmt: skip
    return index


def render_course_index(out: Path, entries: Sequence[Entry], *, source: str,
                        teams: Sequence[str], skipped: Any = None,
                        problems: Path | None = None) -> str:  # fmt: skip
    """Return the index page of a course folder (every name, title and error escaped)."""
    esc = page_text
    shown = [entry for entry in entries
             if entry.status != "ok" or (out / entry.file).is_file()]  # fmt: skip
    lessons = sorted({entry.kind for entry in shown})
    titles = {entry.kind: entry.summary.get("title", entry.kind) for entry in shown}
    names = sorted({entry.name for entry in shown} | set(teams))
    cell = {(entry.name, entry.kind): entry for entry in shown}
    statuses = [entry.status for entry in shown]
    count = (f"共 {len(statuses)} 课次：完成 {statuses.count('ok')}，失败 {statuses.count('error')}"
             + (f"，未完成（中断）{statuses.count('interrupted')}" if "interrupted" in statuses else ""))
    rows = []
    for team in names:
        cells = [f"<td>{esc(team)}</td>"]
        for lesson in lessons:
            entry = cell.get((team, lesson))
            if entry is None:
                cells.append("<td></td>")
            elif entry.status == "ok":
                notebook = Path(entry.file).with_suffix(".ipynb").as_posix()
                cells.append(f"<td>{_link(entry.file, '打开')} · "
                             f"{_link(notebook, 'ipynb')}</td>")  # fmt: skip
            else:
                word = "未完成" if entry.status == "interrupted" else "失败"
                cells.append(f'<td class="failed" title="{esc(entry.error)}">{word}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th title="{esc(titles[lesson])}">{esc(_short(titles[lesson], lesson))}</th>'
                   for lesson in lessons)  # fmt: skip
    failures = [entry for entry in sorted(shown, key=lambda e: (e.name, e.kind))
                if entry.status != "ok"]  # fmt: skip
    notes = []
    if skipped is not None and problems is not None:
        notes.append(f"注意：工作日志表共 {skipped.rows_read:,} 行，其中 {skipped.rows:,} 行有问题，没有"
                     f"算进课程里的数字；每一课的开头都写明了这一点。每一行的问题见 "
                     f"{_link(problems.name, PROBLEMS_HTML)}。")  # fmt: skip
    written = sorted({entry.written[:10] for entry in shown if entry.written})
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>个性化课程 · {esc(Path(source).name)}</title><style>{_STYLE}</style></head>",
        f"<body><h1>个性化课程 · {esc(Path(source).name)}</h1>",
        f'<p class="meta">数据：{esc(Path(source).name)} · {len(names)} 个团队 · {len(lessons)} 课 · '
        f'{esc(count)}{" · 生成于 " + esc("、".join(written)) if written else ""}</p>',
        "<p>每个团队一个文件夹：每一课有一个网页（不联网也能打开）和一个已运行的笔记本（.ipynb，用 JupyterLab "
        "打开后可以动手操作小工具）。课里的团队数字都是先在整个文件上数好、再记在这个团队名下的那部分。</p>",
        *(f'<p class="note">{note}</p>' for note in notes),
        f"<table><thead><tr><th>团队</th>{head}</tr></thead><tbody>", *rows, "</tbody></table>",
        "<h2>课程</h2><ul>",
        *(f"<li>{esc(titles[lesson])}</li>" for lesson in lessons), "</ul>",
        *(["<h2>失败</h2><table><thead><tr><th>团队</th><th>课</th><th>错误</th></tr></thead><tbody>",
           *(f'<tr><td>{esc(e.name)}</td><td>{esc(e.kind)}</td><td class="failed">{esc(e.error)}</td></tr>'
             for e in failures), "</tbody></table>"] if failures else []),
        "</body></html>", "",
    ])  # fmt: skip


def _short(title: str, lesson: str) -> str:
    """Head a column with the lesson's ordinal (``第一课``), else its number."""
    match = re.match(r"^(第.+?课)", title)
    return match.group(1) if match else lesson[:2]


def _link(file: str, label: str) -> str:
    return f'<a href="{html.escape(quote(file))}">{page_text(label)}</a>'
