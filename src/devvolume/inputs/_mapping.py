"""A CRM mapping: which export columns hold a deal's fields, and what each stage value becomes.

A mapping names, for every field of an opportunity (:data:`FIELDS`: deal id, account, owner,
stage, dates, amount …), the export headers that may hold it (the first one present is used;
every ``latest`` header present is used), and for every stage value of the export the work-log
stage it becomes (``contacted`` … ``won``, ``lost``, or ``skip`` to leave those deals out on
purpose). The vendors' presets (:mod:`._presets`) are mappings; a TOML file read by
:func:`read_mapping` is one too, on its own or over a preset (``preset = "salesforce"``)::

    preset = "salesforce"           # optional: start from a preset

    [columns]
    customer = "Account Name"       # a header, or a list of headers to try in order
    latest = ["LastActivityDate"]

    [stages]
    "Contract Review" = "signed"    # 首次接触/意向/签约/成交/流失 work too; "skip" leaves them out

    [options]
    date_order = "MDY"              # how 3/4/2017 is read when the file cannot tell (MDY or DMY)

A file that cannot be read, an unknown section, field, stage or option is a
:class:`~devvolume.inputs.WorklogError` naming the file, the line and the fix, in Chinese and
English.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from devvolume.core import STAGE_LABELS, STAGES
from devvolume.inputs._errors import fail, printable


@dataclass(frozen=True)
class Field:
    """One field of an opportunity that an export column may hold."""

    name: str
    label: str
    required: bool
    meaning: str
    #: Whether every header named is used (dates of activity), not just the first present.
    many: bool = False


FIELDS: tuple[Field, ...] = (
    Field("deal", "商机编号", True, "商机的编号（每个商机一个）/ the deal's id"),
    Field("customer", "客户", True, "客户（公司）名称；空的商机不计入 / the account"),
    Field("rep", "销售员", True, "负责的销售员 / the deal's owner"),
    Field("team", "团队", False, "销售员的团队；没有时用 --roster 名单 / the team (else --roster)"),
    Field("stage", "阶段", True, "商机现在的阶段 / the deal's current stage"),
    Field("created", "创建日期", False, "创建（或开始接触）的日期 → 首次接触 / created: contacted"),
    Field("closed", "关闭日期", False,
          "赢单或丢单的日期；在谈商机的这一列是预计日期，不算 / close date (expected, for open deals)"),
    Field("latest", "最近日期", False,
          "最近一次阶段变化或活动的日期，给在谈商机的当前阶段定日期 / last stage change or "
          "activity: dates an open deal's current stage", many=True),
    Field("amount", "金额", False, "商机金额，只记在成交行 / the amount, written on won rows"),
    Field("channel", "渠道", False, "客户来源 / lead source"),
    Field("note", "备注", False, "商机名称或产品 / the deal's name or product"),
    Field("won_flag", "赢单标记", False, "是/否：已赢单（优先于阶段）/ true: won (over the stage)"),
    Field("closed_flag", "关闭标记", False,
          "是/否：已关闭；关闭且没赢就是丢单 / true: closed (closed and not won: lost)"),
    Field("active_flag", "有效标记", False,
          "是/否：有效；无效（归档）且没赢就是丢单 / false: archived, lost unless won"),
    Field("lost_reason", "丢单原因", False, "有丢单原因且没赢就是丢单 / filled: lost unless won"),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: Fields that give a deal a date; a mapping needs at least one of them in the export.
DATE_FIELDS: tuple[str, ...] = ("created", "closed", "latest")
#: Chinese names accepted for the fields in a mapping file.
FIELD_ALIASES: dict[str, str] = {f.label: f.name for f in FIELDS} | {"商机": "deal"}

#: What a stage value may become: a work-log stage, or ``skip`` (leave those deals out).
SKIP = "skip"
TARGETS: dict[str, str] = (
    {code: code for code in STAGES}
    | {label: code for code, label in STAGE_LABELS.items()}
    | {SKIP: SKIP, "跳过": SKIP, "忽略": SKIP}
)
DATE_ORDERS: tuple[str, ...] = ("MDY", "DMY")
#: How to get a mapping file to correct, said by every error a mapping would fix.
SUGGEST_HINT = ("用 devvolume import 导出文件 --suggest --out 映射.toml 生成映射文件，改好后用 --map 传入。/ "
                "`devvolume import EXPORT --suggest --out mapping.toml` writes a mapping to correct; "
                "pass it with --map.")
_SECTIONS = {"preset", "columns", "stages", "options"}
_OPTIONS = {"date_order"}
_HINT = ("改正映射文件后再运行；用 devvolume import 导出文件 --suggest --out 映射.toml 可以生成一个"
         "按文件表头写好的映射，再改。/ Fix the mapping file; `devvolume import EXPORT --suggest "
         "--out mapping.toml` writes one from the export's headers for you to correct.")


def stage_key(value: Any) -> str:
    """Put a stage value in the form stages are matched in: no spaces, ``-`` or ``_``, lower case.

    So ``Closed Won``, ``closedwon`` (HubSpot's internal name) and ``CLOSED_WON`` are one stage.

    Examples
    --------
    >>> stage_key(" Closed Won"), stage_key("closedwon"), stage_key("Decision Maker Bought-In")
    ('closedwon', 'closedwon', 'decisionmakerboughtin')
    """
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"[\s_\-\u3000]+", "", text)


@dataclass(frozen=True)
class CrmMapping:
    """How an opportunity export maps to the work log: its columns and its stage values.

    Attributes
    ----------
    name : str
        The preset's name, or the mapping file's.
    columns : mapping of str to tuple of str
        Field (:data:`FIELDS`) -> the headers that may hold it, in order.
    stages : mapping of str to str
        Stage value (as :func:`stage_key` puts it) -> ``contacted``, ``qualified``, ``signed``,
        ``won``, ``lost`` or ``skip``.
    date_order : {"MDY", "DMY"} or None
        How to read ``3/4/2017`` when the export's own dates cannot tell.
    source : str or None
        The mapping file, when it came from one.
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    stages: Mapping[str, str]
    date_order: str | None = None
    source: str | None = None
    #: Stage values as the mapping writes them (for messages and the suggested file).
    stage_names: Mapping[str, str] = field(default_factory=dict)

    def over(self, base: CrmMapping) -> CrmMapping:
        """Return ``base`` with this mapping's columns, stages and options put over it."""
        return replace(
            base, name=self.name, columns={**base.columns, **self.columns},
            stages={**base.stages, **self.stages}, date_order=self.date_order or base.date_order,
            source=self.source, stage_names={**base.stage_names, **self.stage_names},
        )


def mapping(name: str, columns: Mapping[str, tuple[str, ...] | str],
            stages: Mapping[str, str]) -> CrmMapping:  # fmt: skip
    """Build a mapping in code (the presets): stage values are keyed by :func:`stage_key`."""
    cols = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in columns.items()}
    return CrmMapping(name, cols, {stage_key(k): v for k, v in stages.items()},
                      stage_names={stage_key(k): k for k in stages})  # fmt: skip


def read_mapping(path: str | os.PathLike[str], presets: Mapping[str, CrmMapping] | None = None) -> CrmMapping:
    r"""Read a mapping file (TOML); with ``preset = "…"`` it is put over that preset.

    Parameters
    ----------
    path : str or Path
        The ``.toml`` file.
    presets : mapping, optional
        The presets a file may name (default :data:`devvolume.inputs._presets.PRESETS`).

    Raises
    ------
    WorklogError
        For a file that cannot be read or parsed, an unknown section, field, stage target,
        preset or option; the message names the file and the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = path.write_text('[columns]\ndeal = "No."\n[stages]\n"Closed Won" = "成交"\n',
    ...                     encoding="utf-8")
    >>> found = read_mapping(path)
    >>> dict(found.columns), dict(found.stages)
    ({'deal': ('No.',)}, {'closedwon': 'won'})
    """
    if presets is None:
        from devvolume.inputs._presets import PRESETS

        presets = PRESETS
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(name, f"找不到映射文件 / mapping file not found: {printable(name)}",
             "检查路径；用 --suggest 生成一个。/ Check the path, or write one with --suggest.")
    except UnicodeDecodeError:
        fail(name, "映射文件不是 UTF-8 文本 / the mapping file is not UTF-8 text",
             "用记事本或 VS Code 以 UTF-8 编码另存。/ Save it as UTF-8 text.")
    except OSError as exc:
        fail(name, f"无法读取映射文件 / cannot read the mapping file ({printable(exc.strerror)})",
             "确认文件存在且没有被其他程序占用。/ Check that the file exists and is not held open.")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f"第 {where[1]} 行第 {where[2]} 列 / line {where[1]}, column {where[2]}: " if where else ""
        fail(name, f"映射文件不是有效的 TOML / the mapping file is not valid TOML: {at}"
             f"{printable(exc)}",
             '每行写成 键 = "值"；表头名、阶段名和中文的键都加英文双引号，例如 "Closed Won" = "won"、'
             '"销售员" = "负责人"。/ Write each line as key = "value", quoting headers, stage names '
             f'and Chinese keys: "Closed Won" = "won".\n{_HINT}', row=int(where[1]) if where else 0)
    return _parse(name, text, data, presets)


def _parse(name: str, text: str, data: dict[str, Any], presets: Mapping[str, CrmMapping]
           ) -> CrmMapping:  # fmt: skip
    for key in data:
        if key not in _SECTIONS:
            _bad(name, text, key, f"不认识的项 {key!r} / unknown entry {key!r}",
                 f"可用的 / allowed: preset, [columns], [stages], [options]。{_HINT}")
    columns: dict[str, tuple[str, ...]] = {}
    for key, value in _table(name, text, data, "columns").items():
        canon = FIELD_ALIASES.get(key, key)
        if canon not in FIELD_NAMES:
            _bad(name, text, key, f"[columns] 里不认识的字段 {key!r} / unknown field {key!r}",
                 f"可用的字段 / fields: {', '.join(FIELD_NAMES)}。")
        headers = [value] if isinstance(value, str) else value
        if not isinstance(headers, list) or not headers or not all(
                isinstance(h, str) and h.strip() for h in headers):
            _bad(name, text, key, f"[columns] 里 {key} 的值应是表头名或表头名列表 / {key} must be a "
                 "header or a list of headers",
                 f'例如 {key} = "Account Name" 或 {key} = ["Account Name", "AccountId"]。')
        columns[canon] = tuple(h.strip() for h in headers)
    stages: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, value in _table(name, text, data, "stages").items():
        target = TARGETS.get(str(value).strip().lower() if isinstance(value, str) else "")
        if target is None:
            _bad(name, text, key, f"[stages] 里阶段 {key!r} 的去向 {printable(repr(value))} 不认识 / "
                 f"stage {key!r} maps to an unknown stage {printable(repr(value))}",
                 "可填 contacted/qualified/signed/won/lost（首次接触/意向/签约/成交/流失），或 skip"
                 "（这些商机不导入）。/ Use one of contacted, qualified, signed, won, lost, or skip.")
        stages[stage_key(key)] = target
        names[stage_key(key)] = key
    options = _table(name, text, data, "options")
    for key in options:
        if key not in _OPTIONS:
            _bad(name, text, key, f"[options] 里不认识的选项 {key!r} / unknown option {key!r}",
                 "可用的选项 / options: date_order。")
    order = options.get("date_order")
    if order is not None and (not isinstance(order, str) or order.upper() not in DATE_ORDERS):
        _bad(name, text, "date_order", f"date_order 应是 MDY 或 DMY，而不是 {printable(repr(order))}"
             " / date_order must be MDY or DMY",
             "MDY：3/4/2017 是 3 月 4 日（美国）；DMY：是 4 月 3 日。/ MDY reads 3/4/2017 as "
             "March 4 (US); DMY as 3 April.")
    own = CrmMapping(Path(name).name, columns, stages, order.upper() if order else None, name,
                     names)  # fmt: skip
    preset = data.get("preset")
    if preset is None:
        return own
    if not isinstance(preset, str) or preset not in presets:
        _bad(name, text, "preset", f"不认识的预设 {printable(repr(preset))} / unknown preset",
             f"可用的预设 / presets: {', '.join(presets)}。")
    return own.over(presets[preset])


def _table(name: str, text: str, data: dict[str, Any], section: str) -> dict[str, Any]:
    value = data.get(section, {})
    if not isinstance(value, dict):
        _bad(name, text, section, f"{section} 应是一个 [{section}] 段 / {section} must be a "
             f"[{section}] section", f"写成一行 [{section}]，下面每行一项。/ Write a line "
             f"[{section}] and one entry per line below it.")
    return value


def _bad(name: str, text: str, key: str, what: str, hint: str) -> NoReturn:
    line = line_of(text, key)
    at = f"（第 {line} 行 / line {line}）" if line else ""
    fail(name, f"映射文件有问题{at}：{what}", f"{hint}\n{_HINT}", row=line)


def line_of(text: str, key: str) -> int:
    """Return the first line (counted from 1) that sets ``key`` (or opens section ``key``), else 0."""
    quoted = re.escape(key)
    pattern = re.compile(rf'^\s*(?:"{quoted}"|\'{quoted}\'|{quoted})\s*=|^\s*\[\s*{quoted}\s*\]')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 0


def resolve(found: CrmMapping, headers: list[str]) -> dict[str, list[int]]:
    """Say which positions of ``headers`` hold each field the mapping names (fields found only).

    The first header present is used, except for ``latest``, where every one present is.
    """
    from devvolume.inputs._headers import normalise_header

    where: dict[str, int] = {}
    for position, header in enumerate(headers):
        where.setdefault(normalise_header(header), position)
    result: dict[str, list[int]] = {}
    for spec in FIELDS:
        present = [where[key] for key in (normalise_header(h) for h in found.columns.get(spec.name, ()))
                   if key in where]
        if present:
            result[spec.name] = list(dict.fromkeys(present)) if spec.many else present[:1]
    return result


def missing_fields(resolved: Mapping[str, list[int]]) -> list[str]:
    """List the required fields not found, and the date fields when none of them is."""
    missing = [f.name for f in FIELDS if f.required and f.name not in resolved]
    if not any(name in resolved for name in DATE_FIELDS):
        missing.append("/".join(DATE_FIELDS))
    return missing
