"""Mapping files: any other export, a preset corrected, and every broken file named with its fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devvolume.inputs import WorklogError, import_crm, read_mapping
from devvolume.inputs._suggest import suggestion
from devvolume.sim._opportunities import crm_opportunities, pipeline_csv

#: A Chinese CRM's export: its own headers and stage names.
OWN = pd.DataFrame({
    "商机号": ["S1", "S2", "S3", "S4"], "客户名称": ["恒达贸易", "恒达贸易", "远航科技", "万通物流"],
    "负责人": ["王磊", "王磊", "李娜", "李娜"], "部门": ["华东一组", "华东一组", "华东二组", "华东二组"],
    "商机阶段": ["初步接洽", "赢单", "方案报价", "输单"],
    "创建时间": ["2026-01-05", "2026-01-06", "2026-01-08", "2026-01-09"],
    "结单日期": ["", "2026-02-10", "", "2026-02-12"], "金额": ["", "12800", "", ""],
})
OWN_MAPPING = """\
[columns]
deal = "商机号"
customer = "客户名称"
"销售员" = "负责人"
team = "部门"
stage = "商机阶段"
created = "创建时间"
closed = "结单日期"
amount = "金额"

[stages]
"初步接洽" = "首次接触"
"方案报价" = "意向"
"赢单" = "won"
"输单" = "lost"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "映射.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_mapping_file_imports_any_export(tmp_path: Path) -> None:
    result = import_crm(OWN, mapping=_write(tmp_path, OWN_MAPPING))
    assert result.summary.preset == "映射.toml"
    log = result.worklog
    assert log[["deal", "stage", "team"]].values.tolist() == [
        ["S1", "contacted", "华东一组"], ["S2", "contacted", "华东一组"],
        ["S3", "qualified", "华东二组"], ["S4", "contacted", "华东二组"],
        ["S2", "won", "华东一组"], ["S4", "lost", "华东二组"]]
    assert log["amount"].sum() == 12800.0


def test_a_mapping_file_corrects_a_preset(tmp_path: Path) -> None:
    data = crm_opportunities(scale=0.02)
    export = pipeline_csv(data).rename(columns={"account": "company"})
    export["deal_stage"] = export["deal_stage"].replace({"Engaging": "In Talks"})
    mapping = _write(tmp_path, '[columns]\ncustomer = "company"\n[stages]\n"In Talks" = "qualified"\n')
    result = import_crm(export, crm="pipeline", roster=data.teams, mapping=mapping)
    plain = import_crm(pipeline_csv(data), roster=data.teams)
    pd.testing.assert_frame_equal(result.worklog, plain.worklog)
    # the same through a "preset =" line instead of --from
    with_preset = _write(tmp_path, 'preset = "pipeline"\n' + mapping.read_text(encoding="utf-8"))
    again = import_crm(export, roster=data.teams, mapping=with_preset)
    pd.testing.assert_frame_equal(again.worklog, plain.worklog)


@pytest.mark.parametrize(("text", "expected"), [
    ('[columns\ndeal = "x"\n', r"(?s)不是有效的 TOML.*第 1 行第 9 列 / line 1, column 9.*Hint: "),
    ('[columns]\naccount = "Company"\n',
     r"(?s)第 2 行 / line 2.*不认识的字段 'account'.*fields: deal, customer, rep"),
    ('[stages]\n"Won" = "赢了"\n', r"(?s)第 2 行.*阶段 'Won' 的去向 '赢了' 不认识.*Hint: .*skip"),
    ('preset = "zoho"\n', r"(?s)第 1 行.*不认识的预设 'zoho'.*presets: pipeline, salesforce"),
    ('[options]\ndate_order = "YMD"\n', r"(?s)第 2 行.*date_order 应是 MDY 或 DMY"),
    ('[columns]\ndeal = 7\n', r"(?s)deal 的值应是表头名或表头名列表.*例如 deal ="),
    ('[extra]\nx = 1\n', r"(?s)第 1 行.*不认识的项 'extra'"),
])  # fmt: skip
def test_a_broken_mapping_file_is_named_with_its_line_and_fix(
        tmp_path: Path, text: str, expected: str) -> None:  # fmt: skip
    path = _write(tmp_path, text)
    with pytest.raises(WorklogError, match=expected) as caught:
        read_mapping(path)
    assert "映射.toml" in str(caught.value)
    assert "--suggest" in str(caught.value)


def test_a_missing_or_non_utf8_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(WorklogError, match="找不到映射文件 / mapping file not found"):
        read_mapping(tmp_path / "none.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes('[stages]\n"赢单" = "won"\n'.encode("gbk"))
    with pytest.raises(WorklogError, match="不是 UTF-8"):
        read_mapping(path)


def test_a_mapping_naming_a_header_the_export_lacks(tmp_path: Path) -> None:
    mapping = _write(tmp_path, OWN_MAPPING.replace('"客户名称"', '"客户全称"'))
    with pytest.raises(WorklogError, match=r"(?s)缺少列.*客户 \(customer; 找过 / looked for: 客户全称\)"):
        import_crm(OWN, mapping=mapping)


# --- --suggest ---------------------------------------------------------------------------------


def test_the_suggestion_guesses_columns_and_stages_and_reads_back(tmp_path: Path) -> None:
    text = suggestion(OWN)
    assert 'deal = "商机号"' in text
    assert 'customer = "客户名称"' in text
    assert 'stage = "商机阶段"' in text
    assert 'created = "创建时间"' in text
    assert '"赢单" = "won"  # 1，猜的，请确认 / a guess: check it' in text
    assert '"输单" = "lost"' in text
    assert '"方案报价" = "qualified"' in text
    path = _write(tmp_path, text)
    result = import_crm(OWN, mapping=path)  # a guessed file is a valid file
    assert result.summary.deals_written == 4


def test_a_stage_it_cannot_guess_is_left_for_the_manager(tmp_path: Path) -> None:
    export = OWN.assign(商机阶段=["初步接洽", "赢单", "搁置", "输单"])
    text = suggestion(export)
    assert '# "搁置" = ""  # 1，请填写后去掉行首的 #' in text
    with pytest.raises(WorklogError, match="“搁置”"):
        import_crm(export, mapping=_write(tmp_path, text))
    fixed = text.replace('# "搁置" = ""', '"搁置" = "qualified"')
    assert import_crm(export, mapping=_write(tmp_path, fixed)).summary.deals_written == 4


def test_the_suggestion_builds_on_a_recognised_preset() -> None:
    text = suggestion(pipeline_csv(crm_opportunities(scale=0.02)))
    assert 'preset = "pipeline"' in text
    assert '"Won" = "won"  # ' in text
    assert "猜的" not in text
    assert '# team = ""  # 没找到 / not found' in text
