"""What a lesson reads (``dv.teach.lesson_data``): a case, or a manager's own work-log file.

An own log is found from the current folder (a relative path), read as ``check_worklog`` reads
it, and used whole (teams are slices); its bad rows are left out and said so; a team that is not
in it fails naming the teams that are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import devvolume as dv

#: A small own log: two teams, a customer both worked on (一组 contacted it, 二组 won it).
ROWS = [
    ("2026-03-02", "王磊", "一组", "恒达贸易", "首次接触"),
    ("2026-03-05", "李娜", "一组", "万通物流", "首次接触"),
    ("2026-03-09", "孙强", "二组", "恒达贸易", "成交"),
    ("2026-04-01", "孙强", "二组", "华联超市", "意向"),
    ("2026-04-08", "李娜", "一组", "万通物流", "流失"),
]
HEADERS = ["日期", "销售员", "团队", "客户", "阶段"]


def own_log(folder: Path, name: str = "我的日志.csv", *, bad: bool = False) -> Path:
    rows = list(ROWS)
    if bad:  # an empty 客户 on row 3 (as seen in Excel), a date that is not one on row 5
        rows[1] = ("2026-03-05", "李娜", "一组", "", "首次接触")
        rows[3] = ("2026-02-30", "孙强", "二组", "华联超市", "意向")
    frame = pd.DataFrame(rows, columns=HEADERS)
    path = folder / name
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8")
    return path


def test_a_case_has_everything_and_says_nothing_more() -> None:
    data = dv.teach.lesson_data("software", team="华东一组")
    assert data.is_case
    assert data.source == data.name == "software"
    assert data.label == "案例：software"
    assert data.scope == "华东一组"
    assert data.targets is not None
    assert data.orders is not None
    assert data.reps is not None
    assert data.model is dv.sim.CASES["software"].model
    assert data.banner() is None
    assert data.note("x") is None
    assert data.skip("x") is None
    assert data.worklog["team"].nunique() > 1  # the whole company, never cut to the team


@pytest.mark.parametrize("name", ["我的日志.csv", "我的日志.xlsx"])
def test_an_own_log_by_a_path_relative_to_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:  # fmt: skip
    own_log(tmp_path, name)
    monkeypatch.chdir(tmp_path)
    data = dv.teach.lesson_data(name, team="二组")
    assert not data.is_case
    assert data.source == str((tmp_path / name).resolve())
    assert data.name == name
    assert data.label == f"你的工作日志表：{name}"
    assert data.scope == "二组"
    assert (data.targets, data.orders, data.reps, data.model) == (None, None, None, None)
    assert sorted(data.worklog["team"].unique()) == ["一组", "二组"]  # company-wide
    assert len(data.worklog) == len(ROWS)
    assert data.skipped_rows == []
    banner = repr(data.banner())
    assert name in banner
    assert "二组" in banner
    assert "有问题" not in banner
    # the shared customer is 二组's new won customer, and 一组's new contact
    won = dv.development_volume(data.worklog, level="won", period="M", by="team")
    assert won.groupby("team")["volume"].sum().to_dict() == {"一组": 0, "二组": 1}


def test_a_team_not_in_the_log_names_the_teams_that_are(tmp_path: Path) -> None:
    path = own_log(tmp_path)
    with pytest.raises(ValueError, match="三组") as error:
        dv.teach.lesson_data(str(path), team="三组")
    assert "一组、二组" in str(error.value)


def test_bad_rows_are_left_out_and_said_so(tmp_path: Path) -> None:
    data = dv.teach.lesson_data(str(own_log(tmp_path, bad=True)))
    assert data.skipped_rows == [3, 5]
    assert data.rows_read == len(ROWS)
    assert len(data.worklog) == len(ROWS) - 2
    banner = data.banner()
    assert banner is not None
    text = repr(banner)
    assert f"文件共 {len(ROWS)} 行，其中 2 行有问题，没有算进来" in text
    assert "第 3 行" in text
    assert "第 5 行" in text
    assert "devvolume validate 我的日志.csv" in text
    page = banner._repr_html_()
    assert page.startswith('<div class="dv-lesson-note')


def test_a_missing_file_says_where_it_looked_and_names_the_cases(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    with pytest.raises(dv.WorklogError) as error:
        dv.teach.lesson_data("没有这个.xlsx")
    message = str(error.value)
    assert str(tmp_path.resolve() / "没有这个.xlsx") in message
    assert "directsales, fmcg, software" in message


def test_a_file_without_one_valid_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "空.csv"
    path.write_text("日期,销售员,团队,客户,阶段\n2026-02-30,王磊,一组,恒达,首次接触\n", encoding="utf-8")
    with pytest.raises(dv.WorklogError, match="没有一行可以用"):
        dv.teach.lesson_data(str(path))


def test_notes_show_for_an_own_log_only_and_are_escaped(tmp_path: Path) -> None:
    data = dv.teach.lesson_data(str(own_log(tmp_path)))
    note = data.note("<b>不是</b> & 案例")
    assert note is not None
    assert "&lt;b&gt;不是&lt;/b&gt; &amp; 案例" in note._repr_html_()
    assert repr(note) == "你的数据：<b>不是</b> & 案例"
    skip = data.skip("没有订单表")
    assert skip is not None
    assert "跳过" in repr(skip)
    assert "dv-lesson-note-skip" in skip._repr_html_()


LESSON_SOURCES = sorted((Path(__file__).resolve().parents[2] / "notebooks" / "source").glob("0*.py"))


@pytest.mark.parametrize("source", LESSON_SOURCES, ids=[s.stem for s in LESSON_SOURCES])
def test_every_lesson_reads_its_data_through_lesson_data(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    assert "dv.teach.lesson_data(dataset, team)" in text
    assert "data.banner()" in text
    assert "dv.load_dataset(dataset)" not in text
    assert "dv.sim.CASES[dataset]" not in text


# --- a CRM export, and a work log imported from one ----------------------------------------------

CRM = Path(__file__).resolve().parents[2] / "examples" / "crm" / "pipeline"


def test_a_crm_export_is_imported_with_the_same_options(tmp_path: Path) -> None:
    data = dv.teach.lesson_data(str(CRM / "sales_pipeline.csv"), team="Dana Whitfield",
                                crm="pipeline", roster=str(CRM / "sales_teams.csv"))  # fmt: skip
    assert not data.is_case
    assert data.worklog["deal"].nunique() == 144
    assert data.imported is not None
    assert data.imported.left_out == {"no_date": 10, "no_account": 22}
    banner = data.banner()
    assert banner is not None
    assert "176 个商机中写入了 144 个" in banner.text
    assert "另有 22 个没有客户名的商机未计入。" in banner.text


def test_a_work_log_imported_earlier_keeps_its_left_out_count(tmp_path: Path) -> None:
    out = tmp_path / "工作日志.xlsx"
    dv.inputs.write_import(CRM / "sales_pipeline.csv", out, roster=CRM / "sales_teams.csv")
    data = dv.teach.lesson_data(str(out))
    assert data.imported is not None
    assert data.imported.source == "sales_pipeline.csv"
    assert "另有 10 个没有任何日期的商机未计入。" in data.banner().text  # type: ignore[union-attr]


def test_an_export_without_options_is_named_as_one() -> None:
    with pytest.raises(dv.WorklogError, match="这是 pipeline 格式的 CRM 商机导出"):
        dv.teach.lesson_data(str(CRM / "sales_pipeline.csv"))
