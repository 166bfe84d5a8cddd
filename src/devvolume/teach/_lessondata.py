"""What a lesson reads: a case dataset, or a manager's own 工作日志表, and the team it looks at.

Every lesson's first code cell calls :func:`lesson_data` with its ``dataset`` and ``team``
parameters. ``dataset`` is a case name (``directsales``, ``fmcg``, ``software``) or the path of a
work-log file (``.xlsx``, ``.csv``, ``.parquet``). A relative path is looked for where
:func:`~devvolume.teach.resolve_path` looks: the folder JupyterLab was started in, then the
current folder (the notebook's own folder, or the folder ``papermill`` and ``devvolume course``
run the lesson in); when no such file exists, the error names every path it tried.

A CRM opportunity export is read through :func:`devvolume.import_crm` when ``crm``, ``roster``
or ``mapping`` is given (as ``devvolume import`` reads it); the banner then says how many deals
were left out and why, and so it does for a work log that ``devvolume import`` wrote (its import
summary lies beside it). An own log is read with :func:`devvolume.check_worklog`, and the lesson
goes on with the **valid rows**: rows with problems are left out and :meth:`LessonData.banner` says how many, with the
first few problems and the command that lists them all. (``devvolume course`` refuses such a log
unless ``--skip-invalid`` is given, as ``devvolume report`` does.) A file that cannot be used at
all, or without a single valid row, raises :class:`~devvolume.WorklogError`.

A case has more than a work log: targets, orders, the reps' hire and training dates and the
simulator model that made it. An own log has none of them (``None``), and a lesson skips or adapts
the sections that need them. Where a lesson's text quotes a figure of the case, it shows
:meth:`LessonData.note` for an own log: that the case is different, and the figure computed
from the manager's data where it can. Both notes show nothing for a case.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from devvolume._kit import kit_path
from devvolume.inputs import (
    ImportSummary,
    WorklogCheck,
    WorklogError,
    check_worklog,
    import_crm,
    read_import_summary,
)
from devvolume.sim import CASES, SalesModel, list_datasets, load_dataset
from devvolume.teach._ownlog import resolve_path
from devvolume.teach._views import check_team

#: Kinds of problem named in the banner of a lesson on a log with bad rows (all: ``devvolume validate``).
PROBLEMS_NAMED = 3
#: How a lesson names the whole company (or the whole of an own file) when no team is chosen.
EVERYONE = "全公司"

_NOTE_STYLE = ("border-left:4px solid {color};background:{background};padding:.5em .9em;"
               "margin:.4em 0")  # fmt: skip
_OWN = {"color": "#1f6fb2", "background": "#eef5fc"}
_SKIP = {"color": "#8a5a00", "background": "#fff8e1"}


@dataclass(frozen=True)
class Note:
    """A short note in a lesson's output: HTML in a page, plain text elsewhere."""

    text: str
    title: str = ""
    kind: str = "own"

    def _repr_html_(self) -> str:
        style = _NOTE_STYLE.format(**(_SKIP if self.kind == "skip" else _OWN))
        title = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        body = "<br>".join(html.escape(line) for line in self.text.split("\n"))
        return f'<div class="dv-lesson-note dv-lesson-note-{self.kind}" style="{style}">{title}{body}</div>'

    def __repr__(self) -> str:
        return f"{self.title}{self.text}"


@dataclass(frozen=True)
class LessonData:
    """The data of one lesson run: the company-wide work log, the team, and what else there is.

    Attributes
    ----------
    source : str
        The case name, or the absolute path of the own work-log file.
    name : str
        How the lesson names the data: the case name or the file's name.
    is_case : bool
        True for a case dataset, False for a manager's own log.
    worklog : pandas.DataFrame
        The whole company's (or file's) work log: teams are slices of its results.
    team : str
        The team the lesson looks at (checked: it is in the log); ``""`` for everyone.
    targets, orders, reps : pandas.DataFrame or None
        The case's targets, orders and reps; ``None`` for an own log.
    model : devvolume.sim.SalesModel or None
        The simulator model that made the case; ``None`` for an own log.
    rows_read : int
        Data rows in the file (0 for a case).
    problems : pandas.DataFrame or None
        The problems of the rows left out (``row, column, header, value, problem``), if any.
    imported : ImportSummary or None
        For a CRM export (or a work log imported from one): the deals written and left out.
    """

    source: str
    name: str
    is_case: bool
    worklog: pd.DataFrame
    team: str = ""
    targets: pd.DataFrame | None = None
    orders: pd.DataFrame | None = None
    reps: pd.DataFrame | None = None
    model: SalesModel | None = None
    rows_read: int = 0
    problems: pd.DataFrame | None = None
    imported: ImportSummary | None = None

    @property
    def scope(self) -> str:
        """The team looked at, or :data:`EVERYONE`."""
        return self.team or EVERYONE

    @property
    def label(self) -> str:
        """What the lesson's first lines call the data: ``案例：directsales`` or the file's name."""
        return f"案例：{self.name}" if self.is_case else f"你的工作日志表：{self.name}"

    @property
    def skipped_rows(self) -> list[int]:
        """Rows (as seen in Excel) left out because they have problems."""
        if self.problems is None or self.problems.empty:
            return []
        return sorted({int(row) for row in self.problems["row"] if row > 0})

    def banner(self) -> Note | None:
        """Say, at the top of a lesson on an own log, whose data it is and what was left out.

        ``None`` (nothing shown) for a case.
        """
        if self.is_case:
            return None
        log = self.worklog
        first, last = log["date"].min(), log["date"].max()
        lines = [
            f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}，{len(log):,} 行记录，{log['team'].nunique()} 个团队、"
            f"{log['rep'].nunique()} 位销售员、{log['customer'].nunique():,} 位客户。"
            f"这一课看的范围：{self.scope}。",
            "课文是为课程的案例公司写的：文字里提到的人名、月份和数字说的是案例，不是你们；"
            "提到这些的地方，下面都加了“你的数据”说明。表格和图都是用你们的日志算的。"
            + ("团队的数字是先在整个文件上数好、再记在这个团队名下的那部分。" if self.team else ""),
        ]
        if self.imported is not None:
            summary = self.imported
            lines.append(f"这份数据是从 CRM 导出的商机表 {summary.source} 导入的：{summary.deals_in:,} 个商机中"
                         f"写入了 {summary.deals_written:,} 个。" + "".join(summary.notice("zh")))
        skipped = self.skipped_rows
        if skipped:
            lines.append(
                f"⚠️ 文件共 {self.rows_read:,} 行，其中 {len(skipped):,} 行有问题，没有算进来"
                f"（{_kinds(self.problems)}）。下面的数字只用了没有问题的 {len(log):,} 行；"
                f"在命令行运行 devvolume validate {self.name} 可以列出每一行的问题。")
        return Note("\n".join(lines), title=f"这一课用的是你们自己的工作日志表：{self.name}。")

    def note(self, text: str) -> Note | None:
        """Show ``text`` under a case figure quoted in the lesson's text, for an own log only.

        ``text`` says the case is different, and the figure in the manager's data where it can.
        """
        return None if self.is_case else Note(text, title="你的数据：")

    def skip(self, text: str) -> Note | None:
        """Say why a section that needs a case's data is skipped for an own log (``None`` for a case)."""
        return None if self.is_case else Note(text, title="这一节在你的数据上跳过：", kind="skip")


def _kinds(problems: pd.DataFrame | None) -> str:
    """Name the commonest kinds of problem, each with its rows: ``客户：不能为空，1,088 行，如第 20、84 行``."""
    if problems is None:
        return ""
    rows = problems[problems["row"] > 0].sort_values("row", kind="stable")
    where = rows["header"].where(rows["header"].astype(str) != "", rows["column"]).astype(str)
    groups = rows.groupby([where, rows["problem"].astype(str)], sort=False)["row"]
    kinds = sorted(((int(group.nunique()), str(header), str(problem), group.unique()[:3].tolist())
                    for (header, problem), group in groups),
                   key=lambda kind: -kind[0])[:PROBLEMS_NAMED]  # fmt: skip
    return "；".join(f"{header}：{problem}，{count:,} 行，如第 {'、'.join(map(str, first))} 行"
                    for count, header, problem, first in kinds)


def lesson_data(dataset: str, team: str = "", *, crm: str | None = None, roster: str | None = None,
                mapping: str | None = None) -> LessonData:  # fmt: skip
    """Load what a lesson reads: a case dataset or an own work-log file, and check the team.

    Parameters
    ----------
    dataset : str
        A case name (:func:`devvolume.list_datasets`) or the path of a work-log file
        (``.xlsx``, ``.xls``, ``.csv``, ``.parquet``); a relative path starts in JupyterLab's
        folder, then the current folder.
    team : str
        A team of the log, or ``""`` for the whole company.
    crm, roster, mapping : str, optional
        ``dataset`` is a CRM opportunity export: its format (``auto``, ``pipeline``,
        ``salesforce``, ``hubspot``, ``odoo``), a roster file and a mapping file, as for
        ``devvolume import``; relative paths are found as ``dataset`` is.

    Returns
    -------
    LessonData
        For an own log, ``worklog`` holds its valid rows and ``problems`` those of the rows left
        out; ``targets``, ``orders``, ``reps`` and ``model`` are ``None``.

    Raises
    ------
    devvolume.WorklogError
        For a file that is not there (naming every path tried, and the case names), cannot be
        used, or has no valid row.
    ValueError
        For a team that is not in the log (listing the teams that are).

    Examples
    --------
    >>> data = lesson_data("software", team="华东一组")
    >>> data.label, data.scope, data.targets is not None, data.banner() is None
    ('案例：software', '华东一组', True, True)
    >>> lesson_data("software", team="火星组")
    Traceback (most recent call last):
    ...
    ValueError: 没有名为“火星组”的团队。/ no team named '火星组'.
    ...
    """
    dataset = str(dataset).strip()
    if dataset in CASES:
        case = load_dataset(dataset)
        return LessonData(dataset, dataset, True, case.worklog, check_team(case.worklog, team),
                          case.targets, case.orders, case.reps, CASES[dataset].model)  # fmt: skip
    path = _find(dataset)
    imported = None
    if crm is not None or roster is not None or mapping is not None:
        extras = tuple("" if item is None else str(resolve_path(item)) for item in (roster, mapping))
        check, imported = _import(str(path), *_stamp(path), crm or "auto", *extras)
    else:
        check = _check(str(path), *_stamp(path))
        imported = read_import_summary(path)
    if check.valid.empty:
        message = (f"{path.name} 里没有一行可以用的记录 / no valid row in {path.name}: "
                   f"{len(check.bad_rows)} 行有问题，共 {check.rows_read} 行。\n"
                   f"Hint: 运行 devvolume validate {path} 查看每一行的问题 / run devvolume validate "
                   "to list them.")  # fmt: skip
        raise WorklogError(message, check.problems, path.name)
    log = check.valid.copy()
    problems = None if check.problems.empty else check.problems.copy()
    return LessonData(str(path), path.name, False, log, check_team(log, team),
                      rows_read=check.rows_read, problems=problems, imported=imported)  # fmt: skip


#: The kit's example CRM exports (``examples/crm/``): each format's export and its roster.
CRM_EXAMPLES: dict[str, tuple[str, str | None]] = {
    "pipeline": ("sales_pipeline.csv", "sales_teams.csv"),
    "salesforce": ("opportunities.csv", "roster.csv"),
    "hubspot": ("deals.csv", "roster.csv"),
    "odoo": ("crm_lead.csv", None),
}


def crm_example_files(crm: str = "pipeline") -> tuple[Path, Path | None]:
    """Return the kit's example CRM export of one format and its roster (``None``: none needed).

    The same 176 opportunities in each format (``examples/crm/``), for lessons and exercises to
    import with :func:`devvolume.import_crm` as a manager imports their own export.

    Examples
    --------
    >>> export, roster = crm_example_files()
    >>> export.name, roster.name
    ('sales_pipeline.csv', 'sales_teams.csv')
    >>> crm_example_files("odoo")[1] is None
    True
    """
    if crm not in CRM_EXAMPLES:
        msg = f"没有 {crm!r} 格式的示例 / no example export for {crm!r}: use one of {', '.join(CRM_EXAMPLES)}."
        raise ValueError(msg)
    export, roster = CRM_EXAMPLES[crm]
    return kit_path("examples", "crm", crm, export), (
        None if roster is None else kit_path("examples", "crm", crm, roster))


def _find(dataset: str) -> Path:
    try:
        return resolve_path(dataset)
    except WorklogError as exc:
        cases = ", ".join(list_datasets())
        message = f"{exc}\n或者用课程自带的案例数据集 / or a case dataset: {cases}。"
        raise WorklogError(message, exc.problems, exc.source) from None


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=4)
def _check(path: str, size: int, mtime_ns: int) -> WorklogCheck:
    """Check a file once per version: a warm kernel runs lesson after lesson on the same log."""
    return check_worklog(path)


@lru_cache(maxsize=4)
def _import(path: str, size: int, mtime_ns: int, crm: str, roster: str, mapping: str
            ) -> tuple[WorklogCheck, ImportSummary]:  # fmt: skip
    """Import a CRM export once per version (and options): every deal is written or counted."""
    result = import_crm(path, crm=crm, roster=roster or None, mapping=mapping or None)
    empty = pd.DataFrame(columns=["row", "column", "header", "value", "problem"])
    return WorklogCheck(path, result.worklog, empty, len(result.worklog)), result.summary
