"""A blank 工作日志表 workbook that a salesperson fills in Excel or WPS.

The sheet has Chinese headers, drop-downs for 阶段, 渠道 and 活动类型, date and amount
validation, a frozen header row and readable widths. A second sheet, 说明, explains every column
and the stage definitions. A filled copy loads back through :func:`devvolume.read_worklog`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devvolume.core import ACTIVITIES, CHANNELS, COLUMNS, STAGE_LABELS

#: Rows prepared with validation and number formats (Excel applies them to this range).
TEMPLATE_ROWS = 2000
SHEET_NAME = "工作日志"
GUIDE_SHEET = "说明"

_WIDTHS = {"date": 13, "rep": 10, "team": 12, "customer": 28, "stage": 10, "channel": 12,
           "activity": 10, "amount": 14, "note": 36,
           "deal": 16}

_STAGE_GUIDE = (
    ("首次接触", "contacted", "第一次和客户联系上（电话、拜访、微信都算）。同一客户以后再联系不再算新。"),
    ("意向", "qualified", "客户明确表示有需求、愿意进一步谈。"),
    ("签约", "signed", "双方签署合同或订单。"),
    ("成交", "won", "客户付款或首单交付，请在“金额”列填写成交金额（元）。"),
    ("流失", "lost", "客户明确放弃。流失只算一次接触，不算意向、签约或成交。"),
)


def write_template(path: str | Path, *, force: bool = False) -> Path:
    """Write a blank 工作日志表 (``.xlsx``) to ``path``.

    Parameters
    ----------
    path : str or Path
        Where to write; the name should end in ``.xlsx``.
    force : bool, default False
        Overwrite an existing file. Without it an existing file is never touched.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``force`` is false.
    ValueError
        If ``path`` does not end in ``.xlsx``.
    OSError
        If the file cannot be written there: a folder of that name, a file where a folder
        should be, no permission. The message says which, in Chinese and English.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "工作日志表.xlsx"
    >>> write_template(target).name
    '工作日志表.xlsx'
    """
    return save_workbook(_build_workbook, path, force=force)


def save_workbook(build: Callable[[], Any], path: str | Path, *, force: bool = False) -> Path:
    """Check ``path``, build the workbook and save it there atomically (see :func:`write_template`)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        msg = f"模板文件名要以 .xlsx 结尾 / the template must be an .xlsx file: {target}"
        raise ValueError(msg)
    if target.is_dir():
        msg = (f"这是一个文件夹，不能写成文件：{target}\nThis is a folder, not a file.\n"
               "提示 / Hint: 在路径后面加上文件名，如 工作日志表.xlsx / add a file name.")
        raise IsADirectoryError(msg)
    if target.exists() and not force:
        msg = (f"文件已存在，没有覆盖：{target}\nThe file exists and was not overwritten.\n"
               "提示 / Hint: 换一个文件名，或加 --force 覆盖 / choose another name or add --force.")
        raise FileExistsError(msg)
    book = build()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a crash never leaves half a file under its name.
        handle, temp_name = tempfile.mkstemp(suffix=".xlsx", dir=target.parent)
    except (FileExistsError, NotADirectoryError):
        msg = (f"无法在这里建文件夹：路径中有一部分是文件而不是文件夹：{target.parent}\n"
               "Cannot write there: part of the path is a file, not a folder.\n"
               "提示 / Hint: 换一个文件夹 / choose another folder.")
        raise NotADirectoryError(msg) from None
    except OSError as exc:
        msg = (f"无法在这里写文件：{target}（{exc.strerror or type(exc).__name__}）\n"
               "Cannot write the file there.\n"
               "提示 / Hint: 换一个有写入权限的文件夹 / choose a folder you can write to.")
        raise OSError(msg) from None
    os.close(handle)
    try:
        book.save(temp_name)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def _build_workbook():  # type: ignore[no-untyped-def]
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="2F5597")
    letters = {}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        letters[column.name] = letter
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[letter].width = _WIDTHS[column.name]
    sheet.freeze_panes = "A2"
    # Printed logs: landscape, all columns on one page width, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    last = TEMPLATE_ROWS + 1

    def cells(name: str) -> str:
        return f"{letters[name]}2:{letters[name]}{last}"

    def choice(values: tuple[str, ...] | list[str], *, strict: bool, title: str) -> DataValidation:
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                              allow_blank=True, showDropDown=False)
        rule.error = f"请从下拉列表中选择{title}。"
        rule.errorTitle = title
        rule.errorStyle = "stop" if strict else "warning"
        rule.prompt = f"从下拉列表选择{title}" + ("" if strict else "，也可以填写其他值")
        rule.promptTitle = title
        return rule

    stage = choice(list(STAGE_LABELS.values()), strict=True, title="阶段")
    channel = choice(CHANNELS, strict=False, title="渠道")
    activity = choice(ACTIVITIES, strict=False, title="活动类型")
    day = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                         formula2="DATE(2100,12,31)", allow_blank=True)
    day.error, day.errorTitle = "请填写日期，例如 2026-01-05。", "日期"
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True)
    amount.error, amount.errorTitle = "金额填数字，不能为负数。", "金额"
    for rule, name in ((stage, "stage"), (channel, "channel"), (activity, "activity"),
                       (day, "date"), (amount, "amount")):
        rule.showErrorMessage = True
        rule.showInputMessage = True
        sheet.add_data_validation(rule)
        rule.add(cells(name))
    for row in range(2, last + 1):
        sheet[f"{letters['date']}{row}"].number_format = "yyyy-mm-dd"
        sheet[f"{letters['amount']}{row}"].number_format = "#,##0.00"

    guide = book.create_sheet(GUIDE_SHEET)
    guide.append(["列名", "英文名", "是否必填", "填写说明"])
    for column in COLUMNS:
        aliases = "、".join(a for a in column.aliases if a != column.label)
        meaning = column.meaning + (f"（也可以写作：{aliases}）" if aliases else "")
        guide.append([column.label, column.name, "必填" if column.required else "选填", meaning])
    guide.append([])
    guide.append(["阶段", "英文代码", "", "定义"])
    for label, code, meaning in _STAGE_GUIDE:
        guide.append([label, code, "", meaning])
    guide.append([])
    guide.append(["新客户怎么算", "", "", "一个客户第一次达到某个阶段的那天，算作这一阶段的新客户，"
                  "记在那一行的销售员和团队名下；以后重复联系不再算新。"])
    guide.append(["一行一次活动", "", "", "每次电话、拜访、微信或演示都记一行，写清客户和这次活动后客户所处的阶段。"])
    guide.append(["客户和商机", "", "", "客户是一家公司，商机是和它谈的一笔生意；同一客户可以有多个商机。开发量按客户算"
                  "（第一次成交的那笔是“首单”），商机赢单率、在谈商机按商机算。没有商机编号可以不填。"])
    for letter, width in zip("ABCD", (14, 12, 10, 80), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for header_row in (1, len(COLUMNS) + 3):
        for cell in guide[header_row]:
            cell.font = Font(bold=True)
    return book
