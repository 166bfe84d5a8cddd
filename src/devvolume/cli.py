"""The ``devvolume`` command: a thin layer over the library functions.

``devvolume validate FILE`` checks a 工作日志表; ``devvolume template FILE.xlsx`` writes a blank
one; ``devvolume import EXPORT --out FILE`` turns a CRM opportunity export into a work log
(``--suggest`` writes a mapping file to correct; ``validate``, ``report`` and ``course`` take an
export directly with the same ``--from``/``--roster``/``--map``); ``devvolume report SOURCE
--by team --out DIR`` writes a report per team (or rep), an index page and ``summary.csv``
(``--as-of DATE`` sets the report day); ``devvolume class FOLDER --out DIR`` sums up the
exercise progress files collected from a class; ``devvolume lessons DIR`` copies the lessons and
exercises into a learner's folder (never overwriting) and ``devvolume lab [DIR]`` opens
JupyterLab there; ``devvolume course WORKLOG --by team --out DIR`` runs the lessons on a work
log for every team. Exit status: 0 when all is well, 1 when the file has problems or the command
(or any report) failed, 2 for a usage error, 130 after Ctrl-C.

Whatever the command, Ctrl-C stops it with one line on stderr and status 130 (the first Ctrl-C
stops it; the cleanup that follows, such as marking unfinished reports in the index, is not cut
short by another: :mod:`devvolume._interrupt`), and an operating-system error (no permission, a
full disk, ``--out`` below a file, a path too long) is one bilingual message with a hint and
status 1 (:mod:`devvolume._oserrors`), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from devvolume import __version__
from devvolume._interrupt import INTERRUPTED, INTERRUPTED_STATUS, checkpoint, handled
from devvolume._oserrors import os_error_message
from devvolume.inputs import SOURCES, ImportSummary, import_crm, suggest_mapping, write_import
from devvolume.inputs._errors import printable
from devvolume.inputs._excel import sheet_option
from devvolume.inputs._template import write_template
from devvolume.inputs._worklog import WorklogCheck, WorklogError, check_worklog
from devvolume.report._build import KINDS, LANGS, PERIODS, build_reports

if TYPE_CHECKING:
    from devvolume.teach._workspace import Workspace


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    with handled():
        try:
            args = _parser().parse_args(argv)
            checkpoint("command")
            return int(args.run(args))
        except KeyboardInterrupt as stop:
            print(_interrupted(stop), file=sys.stderr)
            return INTERRUPTED_STATUS
        except OSError as error:
            print(os_error_message(error), file=sys.stderr)
            return 1


def _interrupted(stop: KeyboardInterrupt) -> str:
    """One line: interrupted, and, after a batch, how much did not finish and where it is marked."""
    batch = getattr(stop, "batch", None)
    if batch is None:
        return INTERRUPTED
    unfinished = sum(bool(getattr(result, "interrupted", False)) for result in batch.results)
    index = batch.index.resolve().as_uri()
    if not unfinished:
        return f"{INTERRUPTED}: 都已完成，索引已写好 / everything had finished; the index: {index}"
    return (f"{INTERRUPTED}: 未完成 {unfinished} 份，已在索引中标出 / {unfinished} not finished, "
            f"marked in the index: {index}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devvolume",
        description="客户开发量工作簿 / customer development volume workbook",
    )
    parser.add_argument("--version", action="version", version=f"devvolume {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="检查工作日志表 / check a work log (.xlsx, .xls, .csv or .parquet)")
    validate.add_argument("file", help="工作日志表文件 / the work-log file")
    validate.add_argument(
        "--sheet", metavar="NAME|INDEX",
        help="Excel 工作表名称或序号（从 1 数起）；默认读有工作日志表头的那一页 / worksheet name or "
             "position counted from 1 (default: the sheet holding the work-log headers)")
    validate.add_argument(
        "--column", action="append", default=[], metavar="HEADER=NAME",
        help="额外的表头对应，如 业务代表=rep / map another header, e.g. 业务代表=rep")
    validate.add_argument(
        "--date-window", metavar="FIRST:LAST",
        help="接受的日期范围，如 2020-01-01:2026-12-31，一端可留空（默认 2000-01-01 至一年后）/ "
             "dates accepted, either end may be empty (default 2000-01-01 to a year from today)")
    _export_options(validate)
    validate.set_defaults(run=_validate)

    template = commands.add_parser(
        "template", help="生成空白工作日志表 / write a blank work-log workbook")
    template.add_argument("file", help="要生成的 .xlsx 文件 / the .xlsx file to write")
    template.add_argument("--force", action="store_true",
                          help="覆盖已有文件 / overwrite an existing file")
    template.add_argument("--targets", action="store_true",
                          help="生成空白目标表（销售员、团队、月份、目标），供 report --targets 使用 / "
                               "write a blank targets workbook for report --targets instead")
    template.set_defaults(run=_template)

    importer = commands.add_parser(
        "import", help="把 CRM 导出的商机表转成工作日志表 / turn a CRM opportunity export into a work log")
    importer.add_argument("export", help="CRM 导出文件（每个商机一行）/ the CRM export (one row per deal)")
    importer.add_argument("--out", required=True,
                          help="要写的工作日志表：.xlsx、.csv 或 .parquet；用 --suggest 时是 .toml 映射文件 / "
                               "the work log to write (.xlsx, .csv, .parquet); with --suggest, the "
                               ".toml mapping file")
    _export_options(importer)
    importer.add_argument("--suggest", action="store_true",
                          help="按导出文件的表头和阶段值写一份映射文件供修改，不导入 / write a mapping "
                               "file from the export's headers and stage values to correct; import "
                               "nothing")
    importer.add_argument("--sheet", metavar="NAME|INDEX",
                          help="Excel 工作表名称或序号（从 1 数起）/ worksheet name or position from 1")
    importer.add_argument("--force", action="store_true",
                          help="覆盖已有文件 / overwrite an existing file")
    importer.set_defaults(run=_import)

    report = commands.add_parser(
        "report", help="为每个团队或销售员生成报告 / write a report per team or rep, and an index")
    report.add_argument("source", help="工作日志表文件或数据集名称 / work-log file or dataset name")
    report.add_argument("--by", choices=["team", "rep"], default="team",
                        help="每个团队或每个销售员一份 / one report per team or per rep")
    report.add_argument("--kind", choices=list(KINDS),
                        help="报告类型 / report kind: team, meeting (--by team), rep (--by rep)")
    report.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                        help="只生成这些团队或销售员（可重复）/ only these teams or reps (repeatable)")
    report.add_argument("--period", choices=PERIODS, default="M",
                        help="统计周期 / period: W, M, Q, Y (default M)")
    report.add_argument("--as-of", metavar="DATE",
                        help="报告日期 YYYY-MM-DD，之后的记录不计（默认为数据的最后一天）/ report day: "
                             "rows after it are left out (default: the last day in the data)")
    report.add_argument("--out", required=True, help="输出文件夹 / output folder")
    report.add_argument("--jobs", type=int, default=1,
                        help="并行进程数 / worker processes (default 1)")
    report.add_argument("--lang", choices=LANGS, default="zh", help="语言 / language")
    report.add_argument("--force", action="store_true",
                        help="写入非 devvolume 生成的非空文件夹，并重新生成没有变化的报告 / write into "
                             "a non-empty folder, and remake reports that have not changed")
    report.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")
    report.add_argument("--skip-invalid", action="store_true",
                        help="跳过有问题的行，只用有效的行生成报告（报告会注明跳过了多少行，明细见 "
                             "problems.html）/ report on the valid rows; the rows left out are "
                             "counted in every report and listed in problems.html")
    report.add_argument("--targets", metavar="FILE",
                        help="目标表（.xlsx 或 .csv：销售员、团队、月份、目标）/ a targets file "
                             "(rep, team, period, target); see devvolume template --targets")
    report.add_argument("--stalled-days", type=int, metavar="N",
                        help="客户多少天没有活动算停滞（默认 14）/ days without activity after "
                             "which a customer counts as stalled (default 14)")
    report.add_argument("--pdf", action="store_true",
                        help="每份报告旁边再生成一份 A4 PDF / also print each report to an A4 PDF")
    _export_options(report)
    report.set_defaults(run=_report)

    klass = commands.add_parser(
        "class", help="汇总全班的练习进度 / the class's exercise progress: a page and CSV files")
    klass.add_argument("folder", help="收齐的学员练习文件夹（或 zip）所在的文件夹 / the folder of "
                                      "the collected exercise folders (or zips)")
    klass.add_argument("--out", required=True, help="输出文件夹 / output folder")
    klass.add_argument("--force", action="store_true",
                       help="写入非 devvolume 生成的非空文件夹 / write into a non-empty folder")
    klass.set_defaults(run=_class)

    course = commands.add_parser(
        "course", help="为每个团队运行课程（用团队自己的工作日志表）/ run the lessons on a work "
                       "log for every team: a folder per team, and an index")
    course.add_argument("source", metavar="WORKLOG",
                        help="工作日志表文件（或案例数据集名称）/ work-log file (or a case dataset)")
    course.add_argument("--by", choices=["team"], default="team",
                        help="每个团队一套课程 / one set of lessons per team")
    course.add_argument("--out", required=True, help="输出文件夹 / output folder")
    course.add_argument("--lessons", nargs="+", action="extend", metavar="NN",
                        help="只运行这几课，如 01 02 03（默认全部）/ only these lessons (default all)")
    course.add_argument("--jobs", type=int, default=1,
                        help="并行进程数 / worker processes (default 1)")
    course.add_argument("--skip-invalid", action="store_true",
                        help="跳过有问题的行，只用有效的行（每一课都会注明跳过了多少行，明细见 "
                             "problems.html）/ use the valid rows; every lesson says how many rows "
                             "were left out, and problems.html lists them")
    course.add_argument("--force", action="store_true",
                        help="写入非 devvolume course 生成的非空文件夹，并重新运行没有变化的课 / write "
                             "into a non-empty folder, and rerun lessons that have not changed")
    course.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")
    _export_options(course)
    course.set_defaults(run=_course)

    lessons = commands.add_parser(
        "lessons", help="把课程和练习复制到你的文件夹（不覆盖已有文件）/ copy the lessons and "
                        "exercises into your folder (files already there are kept)")
    lessons.add_argument("folder", help="学员的文件夹，没有就新建 / your folder (made if missing)")
    lessons.set_defaults(run=_lessons)

    lab = commands.add_parser(
        "lab", help="在你的文件夹里打开 JupyterLab（先复制缺少的课程）/ open JupyterLab in your "
                    "folder, after copying in any lesson missing there")
    lab.add_argument("folder", nargs="?", default=".",
                     help="学员的文件夹（默认当前文件夹）/ your folder (default: this one)")
    lab.add_argument("--port", type=int, help="端口（默认 8888）/ port (default 8888)")
    lab.add_argument("--no-browser", action="store_true",
                     help="不自动打开浏览器 / do not open a browser")
    lab.set_defaults(run=_lab)
    return parser


def _export_options(command: argparse.ArgumentParser) -> None:
    """``--from``, ``--roster``, ``--map``: the source is a CRM export, imported on the way in."""
    command.add_argument(
        "--from", dest="crm", choices=SOURCES, metavar="FORMAT",
        help="文件是 CRM 导出的商机表：pipeline、salesforce、hubspot、odoo 或 auto（按表头识别）/ the "
             f"file is a CRM opportunity export: {', '.join(SOURCES)} (auto: from its headers)")
    command.add_argument(
        "--roster", metavar="FILE",
        help="名单（销售员、团队[、入职日期]），导出文件只有销售员时用来找团队 / a roster (rep, team"
             "[, hire date]) giving each rep's team when the export names only the rep")
    command.add_argument(
        "--map", dest="mapping", metavar="FILE.toml",
        help="映射文件：列和阶段值怎么对应（见 devvolume import --suggest）/ a mapping file of "
             "columns and stage values (see devvolume import --suggest)")


def _is_export(args: argparse.Namespace) -> bool:
    return args.crm is not None or args.roster is not None or args.mapping is not None


def _import(args: argparse.Namespace) -> int:
    sheet = None if args.sheet is None else sheet_option(args.export, args.sheet)
    try:
        if args.suggest:
            path = suggest_mapping(args.export, args.out, crm=args.crm or "auto", sheet=sheet,
                                   force=args.force)  # fmt: skip
        else:
            result = write_import(args.export, args.out, crm=args.crm or "auto",
                                  roster=args.roster, mapping=args.mapping, sheet=sheet,
                                  force=args.force)  # fmt: skip
    except ValueError as exc:  # WorklogError is one; Ctrl-C and OSError: see main()
        print(exc, file=sys.stderr)
        return 1
    if args.suggest:
        print(f"已写出映射文件，请核对后用 --map 传入 / wrote a mapping file: check it, then pass it "
              f"with --map: {path}")
        return 0
    print(result.text())
    _notice(result.summary)
    print(f"已写入 / wrote: {args.out}")
    print(f"下一步 / next: devvolume validate {args.out}；devvolume report {args.out} --by team "
          "--out 报告")
    return 0


def _notice(summary: ImportSummary | None) -> None:
    """Say which deals the numbers leave out, as a report page will."""
    if summary is not None:
        for zh, en in zip(summary.notice("zh"), summary.notice("en"), strict=True):
            print(f"{zh} / {en}")


def _validate(args: argparse.Namespace) -> int:
    columns: dict[str, str | None] = {}
    for pair in args.column:
        header, _, name = pair.partition("=")
        columns[header] = name or None
    sheet = None if args.sheet is None else sheet_option(args.file, args.sheet)
    window = None
    if args.date_window is not None:
        first, _, last = args.date_window.partition(":")
        window = (first.strip() or None, last.strip() or None)
    try:
        if _is_export(args):
            result = import_crm(args.file, crm=args.crm or "auto", roster=args.roster,
                                mapping=args.mapping, sheet=sheet)  # fmt: skip
            print(result.text())
            _notice(result.summary)
            report = check_worklog(result.worklog, date_window=window)
            report = WorklogCheck(args.file, report.valid, report.problems, report.rows_read)
        else:
            report = check_worklog(args.file, columns=columns, sheet=sheet, date_window=window)
    except WorklogError as exc:
        print(exc, file=sys.stderr)
        return 1
    if report.ok:
        print(_summary(report))
        return 0
    print(_problems_table(report))
    return 1


def _imported(summary: ImportSummary | None) -> None:
    if summary is not None:
        print(f"导入 / imported {summary.source}: 商机 / deals {summary.deals_in:,} = 写入 written "
              f"{summary.deals_written:,} + 未计入 left out {summary.deals_left_out:,}")
        _notice(summary)


def _summary(report: WorklogCheck) -> str:
    log = report.valid
    blank = f"（跳过空行 {len(report.blank_rows)} 行 / blank rows skipped）" if report.blank_rows else ""
    first, last = log["date"].min(), log["date"].max()
    span = "无 / none" if log.empty else f"{first:%Y-%m-%d} ~ {last:%Y-%m-%d}"
    return "\n".join([
        f"工作日志表没有问题 / the work log is valid: {printable(report.source)}",
        *_read_as(report),
        f"  行数 rows:         {report.rows_read}{blank}",
        f"  销售员 reps:       {log['rep'].nunique()}",
        f"  团队 teams:        {log['team'].nunique()}",
        f"  客户 customers:    {log['customer'].nunique()}",
        f"  日期范围 dates:    {span}",
    ])


def _read_as(report: WorklogCheck) -> list[str]:
    """Say how the file was read: its sheet, header row and encoding (one line each)."""
    lines = []
    if report.sheet is not None:
        lines.append(f"  工作表 sheet:      {printable(report.sheet)}")
    if report.header_row > 1:
        lines.append(f"  表头 header row:   {report.header_row}（上面的标题行已跳过 / title rows "
                     "above it skipped）")
    if report.encoding is not None:
        lines.append(f"  编码 encoding:     {report.encoding}")
    return lines


def _problems_table(report: WorklogCheck) -> str:
    problems = report.problems
    lines = [
        f"工作日志表有问题 / the work log has problems: {printable(report.source)}",
        *_read_as(report),
        f"  {len(report.bad_rows)} 行有问题，{len(report.valid)} 行有效，共 {report.rows_read} 行 / "
        f"{len(report.bad_rows)} bad, {len(report.valid)} valid, {report.rows_read} rows read",
        "",
        _pad("行 row", 8) + _pad("列 column", 14) + _pad("值 value", 16) + "问题 problem",
    ]
    for p in problems.itertuples(index=False):
        lines.append(_pad(str(p.row), 8) + _pad(p.header or p.column, 14) + _pad(p.value, 16)
                     + p.problem)
    lines.append("")
    lines.append("提示：在 Excel 中改正这些单元格后再运行 devvolume validate。")
    lines.append("Hint: fix these cells in Excel, then run devvolume validate again.")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align text in a terminal, counting Chinese characters as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 1)


def _template(args: argparse.Namespace) -> int:
    if args.targets:
        from devvolume.inputs import write_targets_template

        try:
            path = write_targets_template(args.file, force=args.force)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"已生成空白目标表 / wrote a blank targets workbook: {path}")
        return 0
    try:
        path = write_template(args.file, force=args.force)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成空白工作日志表 / wrote a blank work log: {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from devvolume.report import FolderBusyError

    try:
        batch = build_reports(args.source, by=args.by, kind=args.kind, only=args.only,
                              period=args.period, as_of=args.as_of, out=args.out, jobs=args.jobs,
                              force=args.force, lang=args.lang, progress=not args.no_progress,
                              skip_invalid=args.skip_invalid, targets=args.targets,
                              stalled_days=args.stalled_days, pdf=args.pdf, crm=args.crm,
                              roster=args.roster, mapping=args.mapping)  # fmt: skip
    except (ValueError, FolderBusyError, RuntimeError) as exc:  # Ctrl-C and OSError: see main()
        print(exc, file=sys.stderr)
        return 1
    done = sum(result.ok and not result.unchanged for result in batch.results)
    kept = sum(result.unchanged for result in batch.results)
    _imported(batch.imported)
    print(f"已生成 {done} 份报告 / wrote {done} reports; "
          f"未变、沿用 / unchanged, kept: {kept}; "
          f"失败 / failed: {len(batch.failed)}")  # fmt: skip
    if batch.skipped_rows:
        print(f"跳过了 {batch.skipped_rows} 行有问题的记录 / skipped {batch.skipped_rows} rows "
              f"with problems: {batch.problems.resolve() if batch.problems else ''}")
    print(f"报告日期 / report day: {batch.as_of}")
    print(f"打开 / open: {batch.index.resolve().as_uri()}")
    print(f"汇总表 / summary: {batch.summary.resolve()}")
    return 0 if batch.ok else 1


def _class(args: argparse.Namespace) -> int:
    # imported here: the teaching package loads the notebook libraries, the other commands need not
    from devvolume.teach._classroom import build_class_report

    try:
        report = build_class_report(args.folder, out=args.out, force=args.force)
    except ValueError as exc:  # Ctrl-C and OSError (a missing folder, a foreign one): see main()
        print(exc, file=sys.stderr)
        return 1
    progress = report.progress
    print(f"已读取 {len(progress.sources)} 个进度文件，{report.learners} 位学员，"
          f"{len(progress.records)} 条记录 / read {len(progress.sources)} progress files: "
          f"{report.learners} learners, {len(progress.records)} records")
    if progress.problems:
        print(f"跳过了 {len(progress.problems)} 处读不了的内容，见页底 / skipped "
              f"{len(progress.problems)} unreadable files or lines (listed on the page)")
    print(f"打开 / open: {report.page.resolve().as_uri()}")
    print(f"表格 / tables: {', '.join(str(path.resolve()) for path in report.csv.values())}")
    return 0


def _course(args: argparse.Namespace) -> int:
    from devvolume.report import FolderBusyError, build_course

    try:
        batch = build_course(args.source, out=args.out, by=args.by, lessons=args.lessons,
                             jobs=args.jobs, skip_invalid=args.skip_invalid, force=args.force,
                             progress=not args.no_progress, crm=args.crm, roster=args.roster,
                             mapping=args.mapping)  # fmt: skip
    except (ValueError, FolderBusyError) as exc:  # Ctrl-C and OSError: see main()
        print(exc, file=sys.stderr)
        return 1
    done = sum(result.ok and not result.unchanged for result in batch.results)
    kept = sum(result.unchanged for result in batch.results)
    _imported(batch.imported)
    print(f"已运行 {done} 课次 / ran {done} lessons; 未变、沿用 / unchanged, kept: {kept}; "
          f"失败 / failed: {len(batch.failed)}")
    if batch.skipped_rows:
        print(f"跳过了 {batch.skipped_rows} 行有问题的记录 / skipped {batch.skipped_rows} rows with "
              f"problems: {batch.problems.resolve() if batch.problems else ''}")
    print(f"打开 / open: {batch.index.resolve().as_uri()}")
    return 0 if batch.ok else 1


def _lessons(args: argparse.Namespace) -> int:
    from devvolume.teach._workspace import make_workspace

    workspace = make_workspace(args.folder)  # an OSError is worded by main()
    _workspace_summary(workspace)
    folder = f'"{args.folder}"' if any(ch.isspace() for ch in args.folder) else args.folder
    print(f"下一步 / next: devvolume lab {folder}")
    return 0


def _workspace_summary(workspace: Workspace) -> None:
    folder = workspace.folder.resolve()
    if workspace.added:
        print(f"已复制 {len(workspace.added)} 个笔记本到 / copied {len(workspace.added)} "
              f"notebooks into {folder}:")
        for name in workspace.added:
            print(f"  {name}")
    if workspace.kept:
        print(f"已有 {len(workspace.kept)} 个，保留不动 / kept {len(workspace.kept)} already "
              f"there (never overwritten)")
    if not workspace.added:
        print(f"没有缺少的笔记本 / nothing missing in {folder}")


def _lab(args: argparse.Namespace) -> int:
    from devvolume.teach._workspace import lab_command, make_workspace, open_lab

    try:
        lab_command(args.folder)  # JupyterLab is there, before anything is written
        workspace = make_workspace(args.folder)  # an OSError is worded by main()
    except ModuleNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    _workspace_summary(workspace)
    print("正在打开 JupyterLab，在这里按两次 Ctrl+C 关闭 / opening JupyterLab; press Ctrl+C "
          "twice here to stop it", flush=True)
    return open_lab(args.folder, port=args.port, browser=not args.no_browser)
