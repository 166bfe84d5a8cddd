"""The class page and the CSV files: the instructor's tables, rendered.

The page is one HTML file that works offline: inline CSS, no script, no font or image to fetch.
Every name, question and file name on it is HTML-escaped (learners type their own names). The
CSV files beside it are written by :func:`devvolume.inputs._excel_csv.write_csv`, like every CSV
file an instructor opens (a BOM, no cell that starts a formula).
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from devvolume.inputs._errors import printable
from devvolume.teach.exercises._misconceptions import misconception

if TYPE_CHECKING:
    from devvolume.teach._class_records import ClassProgress
    from devvolume.teach._classroom import ClassTables

#: Misconceptions shown on the page (all of them are in ``misconceptions.csv``).
PAGE_MISCONCEPTIONS = 10
#: Characters of a question's prompt shown in the questions table (the rest on hover).
PROMPT_CHARS = 36

_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; line-height: 1.5; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #1f4e79;
       color: #1f4e79; padding-bottom: .2rem; }
h2 small, th small { color: #777; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .55rem; text-align: left;
         vertical-align: top; }
th { background: #f4f6f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; } .warn { color: #8a5300; } .muted { color: #777; }
tr.stuck td { background: #fff1f1; } .badge { background: #b00020; color: #fff;
       border-radius: .6rem; padding: 0 .45rem; font-size: .85em; white-space: nowrap; }
.bar { display: inline-block; height: .7rem; background: #2e75b6; vertical-align: middle;
       margin-right: .4rem; } .bar.low { background: #c55a11; }
ol.plan li { margin: .35rem 0; } code { background: #f4f6f8; padding: 0 .2rem; }
footer { margin-top: 2.5rem; color: #555; font-size: .9em; }
"""


def _esc(value: Any) -> str:
    # control and bidi characters shown as \u202e…: an override could make a name read backwards
    return html.escape(printable(value), quote=True)


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '<td class="num muted">–</td>'
    return f'<td class="num">{int(value):,}</td>'


def _share(value: Any, *, width: float = 6.0, low: float | None = None) -> str:
    """Show a rate as a bar and a percentage."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '<td class="muted">–</td>'
    rate = float(value)
    tone = " low" if low is not None and rate < low else ""
    return (f'<td><span class="bar{tone}" style="width:{rate * width:.2f}rem"></span>'
            f"{rate:.0%}</td>")


def _time(text: Any) -> str:
    """``2026-05-06T10:12:03+08:00`` -> ``2026-05-06 10:12``: the learner's own clock."""
    return str(text)[:16].replace("T", " ")


def _table(head: list[str], rows: list[str], *, empty: str) -> str:
    if not rows:
        return f'<p class="muted">{_esc(empty)}</p>'
    cells = "".join(f"<th>{label}</th>" for label in head)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _question(lesson: str, question: str) -> str:
    return f"{_esc(lesson)} {_esc(question)}"


def _plan(tables: ClassTables) -> str:
    items = "".join(f"<li>{_esc(item)}</li>" for item in tables.next_session)
    return f'<ol class="plan">{items}</ol>'


def _misconceptions(tables: ClassTables, class_size: int) -> str:
    rows = []
    for row in tables.misconceptions.head(PAGE_MISCONCEPTIONS).itertuples(index=False):
        share = row.share if row.share is not None else math.nan
        rows.append(
            f"<tr><td>{_esc(row.name)}<br><code>{_esc(row.mistake)}</code></td>"
            f"{_share(share)}<td class=\"num\">{row.learners} / {class_size}</td>"
            f"{_number(row.attempts)}<td>{_esc(row.questions)}</td>"
            f"<td>{_esc(row.reteach) or '<span class=muted>–</span>'}</td></tr>")
    head = ["错误观念 <small>misconception</small>", "占全班 <small>share</small>",
            "学员 <small>learners</small>", "次数 <small>attempts</small>",
            "出现在 <small>questions</small>", "重讲哪一节 <small>re-teach</small>"]
    return _table(head, rows, empty="还没有被诊断出的错误。")


def _learners(tables: ClassTables) -> str:
    rows = []
    # the learners who need the instructor first; the CSV keeps the plain name order
    ordered = tables.learners.sort_values(["stuck", "learner"], ascending=[False, True],
                                          kind="stable")  # fmt: skip
    for row in ordered.itertuples(index=False):
        stuck = (f'<span class="badge">卡住 {row.stuck}</span> {_esc(row.stuck_questions)}'
                 if row.stuck else "")
        css = ' class="stuck"' if row.stuck else ""
        rows.append(
            f"<tr{css}><td>{_esc(row.learner)}</td>{_number(row.attempted)}{_number(row.solved)}"
            f"{_number(row.solved_without_hints)}{_number(row.incorrect)}{_number(row.format)}"
            f"{_number(row.hints)}"
            f"{_number(row.solutions)}{_number(row.minutes)}<td>{stuck}</td>"
            f"<td>{_esc(_time(row.last_activity))}</td></tr>")
    head = ["学员 <small>learner</small>", "做过 <small>attempted</small>",
            "做对 <small>solved</small>", "没看提示就做对 <small>without hints</small>",
            "答错次数 <small>incorrect</small>", "换个写法 <small>format</small>",
            "提示 <small>hints</small>",
            "看答案 <small>solutions</small>", "用时（分钟）<small>minutes</small>",
            "卡住 <small>stuck</small>", "最后活动 <small>last activity</small>"]
    return _table(head, rows, empty="没有学员记录。")


def _questions(tables: ClassTables) -> str:
    rows = []
    for row in tables.questions.itertuples(index=False):
        prompt = str(row.prompt)
        short = prompt if len(prompt) <= PROMPT_CHARS else prompt[:PROMPT_CHARS] + "…"
        rows.append(
            f"<tr><td>{_question(row.lesson, row.question)}</td>"
            f'<td title="{_esc(prompt)}">{_esc(short)}</td>{_number(row.learners)}'
            f"{_number(row.attempts)}{_number(row.solved)}"
            f"{_share(row.success_rate, low=0.5)}{_number(row.first_try)}"
            f"{_number(row.hints)}{_number(row.solutions)}{_number(row.stuck)}</tr>")
    head = ["题目 <small>question</small>", "题干 <small>prompt</small>",
            "学员 <small>learners</small>", "提交 <small>attempts</small>",
            "做对 <small>solved</small>", "成功率 <small>success</small>",
            "一次做对 <small>first try</small>", "提示 <small>hints</small>",
            "看答案 <small>solutions</small>", "卡住 <small>stuck</small>"]
    return _table(head, rows, empty="没有题目记录。")


def _mistakes(tables: ClassTables) -> str:
    rows = [f"<tr><td>{_question(row.lesson, row.question)}</td>"
            f"<td>{_esc(misconception(row.mistake).name)} <code>{_esc(row.mistake)}</code></td>"
            f"{_number(row.learners)}{_number(row.attempts)}<td>{_esc(row.answers)}</td></tr>"
            for row in tables.mistakes.itertuples(index=False)]
    head = ["题目 <small>question</small>", "错误 <small>mistake</small>",
            "学员 <small>learners</small>", "次数 <small>attempts</small>",
            "交的答案 <small>answers given</small>"]
    return _table(head, rows, empty="还没有答错的记录。")


def _problems(progress: ClassProgress) -> str:
    if not progress.problems:
        return '<p class="muted">所有文件都读好了，没有跳过任何内容。/ Every file was read in full.</p>'
    items = "".join(
        f"<li><code>{_esc(p.source)}</code>{f' 第 {p.line} 行' if p.line else ''}："
        f"{_esc(p.problem)}</li>" for p in progress.problems)
    return ('<p class="warn">这些文件或行读不了，已跳过；其余内容照常统计。'
            f"/ Skipped; everything else was counted.</p><ul>{items}</ul>")


def render_class_page(progress: ClassProgress, tables: ClassTables, *, source: str) -> str:
    """Return the class page: one self-contained HTML document, everything escaped."""
    records = progress.records
    class_size = len(tables.learners)
    span = ""
    if len(records):
        first = records.loc[records["time"].idxmin(), "time_text"]
        last = records.loc[records["time"].idxmax(), "time_text"]
        span = f" · 记录时间 {_esc(_time(first))} 至 {_esc(_time(last))}"
    warn = (f'<p class="warn">有 {len(progress.problems)} 处内容读不了，已跳过，见页底。</p>'
            if progress.problems else "")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>班级练习进度 · {_esc(source)}</title><style>{_STYLE}</style></head>",
        "<body><h1>班级练习进度 <small class=\"muted\">Class progress</small></h1>",
        f'<p class="meta">数据 {_esc(source)} · {class_size} 位学员 · {len(records)} 条记录 · '
        f"来自 {len(progress.sources)} 个文件{span}</p>",
        warn,
        "<h2>下次课 <small>next session</small></h2>", _plan(tables),
        "<h2>常见错误观念 <small>most common misconceptions</small></h2>",
        _misconceptions(tables, class_size),
        "<h2>学员 <small>learners</small></h2>", _learners(tables),
        "<h2>题目 <small>questions</small></h2>", _questions(tables),
        "<h2>每道题的错误 <small>mistakes per question</small></h2>", _mistakes(tables),
        "<h2>跳过的内容 <small>skipped files and lines</small></h2>", _problems(progress),
        "<footer><p>怎么算的：“做过”= 至少提交过一次 check()；“卡住”= 同一道题答错 3 次以上还没做对；"
        "“没看提示就做对”= 第一次做对之前没有看提示或答案；“用时”= 相邻两条记录间隔的总和，"
        "间隔超过 30 分钟算休息、不计入；“成功率”= 做对的学员 ÷ 做过这道题的学员（看过提示、"
        "没提交也算做过）；“换个写法”= 答案写成了百分数或小数位太少、被请求重交的次数，"
        "不算对也不算错；“交的答案”= 最常见的几个错答案（较早版本的记录没有保存答案）。"
        "同名学员（忽略大小写、全角半角）的多个文件合并统计。</p>"
        "<p>表格文件：learners.csv、questions.csv、mistakes.csv、misconceptions.csv（同一文件夹）。"
        "所有数据只在本机，这个页面不连网。</p></footer>",
        "</body></html>", "",
    ])  # fmt: skip
