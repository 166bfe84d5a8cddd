"""Suggest a mapping file for an export: its headers and its stage values, guessed, to correct.

``devvolume import EXPORT --suggest --out 映射.toml`` writes a TOML mapping
(:mod:`._mapping`) built from the export itself: each field mapped to the header a preset or a
keyword points to, and every distinct value of the stage column with its number of deals and a
guess of the work-log stage it becomes. A guess is marked as one; a value with no guess is
written commented out, so the import refuses it by name until the manager says what it is. The
export is only read; an existing file is never overwritten without ``force``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from devvolume.inputs._cells import clean, to_text
from devvolume.inputs._columns import RawTable
from devvolume.inputs._crm_write import write_atomic
from devvolume.inputs._errors import fail
from devvolume.inputs._headers import find_header, normalise_header
from devvolume.inputs._mapping import FIELDS, CrmMapping, resolve, stage_key
from devvolume.inputs._presets import PRESETS, SOURCES, detect
from devvolume.inputs._sources import read_source

#: Header keywords (normalised) that point to a field, when no preset names the header.
HEADER_HINTS: dict[str, tuple[str, ...]] = {
    "deal": ("opportunityid", "dealid", "recordid", "商机编号", "商机号", "商机id", "编号", "单号",
             "id", "商机"),
    "customer": ("account", "company", "customer", "client", "客户", "公司"),
    "rep": ("owner", "salesperson", "agent", "rep", "销售员", "业务员", "负责人", "销售"),
    "team": ("team", "团队", "小组", "部门", "manager"),
    "stage": ("stage", "阶段", "status", "状态"),
    "created": ("created", "createdate", "engage", "创建", "开始"),
    "closed": ("closedate", "closed", "关闭", "成交日期", "结单", "结案", "关单", "结束"),
    "latest": ("lastactivity", "laststage", "最近", "最后"),
    "amount": ("amount", "value", "revenue", "金额", "价值", "收入"),
    "channel": ("leadsource", "source", "channel", "来源", "渠道"),
    "note": ("name", "product", "名称", "产品"),
}
#: Stage-value keywords (as :func:`stage_key` writes them) -> the stage guessed, first match.
STAGE_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lost", ("lost", "丢", "输", "流失", "失败", "放弃")),
    ("won", ("won", "赢", "成交", "签单", "成功")),
    ("signed", ("signed", "签约", "已签")),
    ("contacted", ("prospect", "new", "lead", "appointment", "线索", "新建", "初步", "接触")),
    ("qualified", ("qualif", "proposal", "proposition", "negotiat", "contract", "presentation",
                   "decision", "demo", "意向", "报价", "谈判", "方案", "合同")),
)
_FIELD_NOTES = {f.name: f.meaning for f in FIELDS}


def suggest_mapping(export: str | Path, out: str | Path, *, crm: str = "auto",
                    sheet: str | int | None = None, force: bool = False) -> Path:  # fmt: skip
    """Write a mapping file for ``export`` to ``out`` (``.toml``) for the manager to correct.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    WorklogError
        For an export that cannot be read.
    FileExistsError
        If ``out`` exists and ``force`` is false.
    ValueError
        If ``out`` does not end in ``.toml``.
    """
    target = Path(out)
    if target.suffix.lower() != ".toml":
        msg = (f"--suggest 写的是映射文件，--out 要以 .toml 结尾：{target}\nWith --suggest, --out is "
               "the mapping file and must end in .toml.\n提示 / Hint: 例如 --out 映射.toml")
        raise ValueError(msg)
    if target.exists() and not force:
        msg = (f"文件已存在，没有覆盖：{target}\nThe file exists and was not overwritten.\n"
               "提示 / Hint: 换一个文件名，或加 --force 覆盖 / choose another name or add --force.")
        raise FileExistsError(msg)
    text = suggestion(export, crm=crm, sheet=sheet)
    write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))
    return target


def suggestion(export: str | Path | pd.DataFrame, *, crm: str = "auto",
               sheet: str | int | None = None) -> str:  # fmt: skip
    """Return the text of a suggested mapping file for ``export``."""
    name = "<DataFrame>" if isinstance(export, pd.DataFrame) else str(export)
    if crm not in SOURCES:
        fail(name, f"不认识的格式 --from {crm} / unknown export format", f"可用的 / formats: "
             f"{', '.join(SOURCES)}")
    known: dict[str, str | None] = {normalise_header(h): None for preset in PRESETS.values()
                                    for headers in preset.columns.values() for h in headers}
    table = read_source(export, sheet=sheet, known=known)
    header = find_header(table, known)
    if header is None:
        fail(name, "文件是空的，没有表头 / the file is empty: no header row",
             "导出时带上表头（第一行）。/ Export it with its header row.")
    headers = [header.text(p) for p in range(len(header.cells))]
    preset_name = crm if crm in PRESETS else detect(headers)
    preset = PRESETS.get(preset_name or "")
    chosen = _columns(headers, preset_name)
    lines = [
        "# devvolume 映射文件（由 --suggest 生成，请逐项核对）/ a mapping file written by --suggest:",
        "# check every line. 用法 / use it:",
        f"#   devvolume import {Path(name).name} --map 这个文件.toml --out 工作日志.xlsx [--roster 名单.csv]",
        "",
    ]
    if preset_name:
        lines += [f"# 表头符合 {preset_name} 的格式：下面只写需要改的，其余按预设。/ The headers fit the "
                  f"{preset_name} preset; entries below are put over it.", f'preset = "{preset_name}"',
                  ""]
    lines.append("[columns]")
    for spec in FIELDS:
        found = chosen.get(spec.name, [])
        note = _FIELD_NOTES[spec.name]
        if found:
            value = _quote(found[0]) if len(found) == 1 else "[" + ", ".join(map(_quote, found)) + "]"
            lines.append(f"{spec.name} = {value}  # {note}")
        else:
            need = "必填，请填写 / required: fill in" if spec.required else "没找到 / not found"
            lines.append(f'# {spec.name} = ""  # {need}。{note}')
    lines += ["", "[stages]"]
    stage_at = chosen.get("stage")
    if stage_at is None:
        lines.append('# 没找到阶段列：先在 [columns] 里写 stage = "表头" / no stage column found')
    else:
        lines += _stage_lines(table, header.record, headers.index(stage_at[0]), preset)
    lines += ["", "[options]",
              '# date_order = "MDY"  # 只在日期是 3/4/2017 这种写法、又分不清月和日时才需要：MDY 是月/日/年'
              "（美国），DMY 是日/月/年 / only for slashed dates the file cannot tell apart", ""]
    return "\n".join(lines)


def _columns(headers: list[str], preset_name: str | None) -> dict[str, list[str]]:
    """Each field's headers: the preset's where it names them, else the first keyword match."""
    chosen: dict[str, list[str]] = {}
    if preset_name:
        for field_name, positions in resolve(PRESETS[preset_name], headers).items():
            chosen[field_name] = [headers[p] for p in positions]
    taken = {h for found in chosen.values() for h in found}
    for field_name, hints in HEADER_HINTS.items():
        if field_name in chosen:
            continue
        for hint in hints:
            free = [h for h in headers if h and h not in taken]
            # a whole header first, then one holding the word ("客户名称" holds "客户"; "id" is
            # too short to look for inside a header)
            match = next((h for h in free if normalise_header(h) == hint), None)
            if match is None and (not hint.isascii() or len(hint) > 2):
                match = next((h for h in free if hint in normalise_header(h)), None)
            if match:
                chosen[field_name] = [match]
                taken.add(match)
                break
    return chosen


def _stage_lines(table: RawTable, header_record: int, position: int,
                 preset: CrmMapping | None) -> list[str]:  # fmt: skip
    column = table.columns[position]
    codes = column.codes[header_record + 1:]
    counts: Counter[str] = Counter()
    for code, n in Counter(codes.tolist()).items():
        cell = clean(column.values[code])
        if cell is not None:
            counts[to_text(cell)] += n
    lines = ["# 阶段列的每个值 = 它在工作日志里是什么（后面是商机数）/ every stage value = what it becomes "
             "(deals)", "# 可填 / use: contacted 首次接触, qualified 意向, signed 签约, won 成交, lost 流失, "
             "skip 跳过"]
    for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        known = preset.stages.get(stage_key(value)) if preset is not None else None
        guess = known or _guess(value)
        if known:
            lines.append(f"{_quote(value)} = \"{guess}\"  # {n:,}")
        elif guess:
            lines.append(f"{_quote(value)} = \"{guess}\"  # {n:,}，猜的，请确认 / a guess: check it")
        else:
            lines.append(f'# {_quote(value)} = ""  # {n:,}，请填写后去掉行首的 # / fill in, then '
                         "remove the leading #")
    return lines


def _guess(value: str) -> str | None:
    key = stage_key(value)
    for stage, hints in STAGE_HINTS:
        if any(hint in key for hint in hints):
            return stage
    return None


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
