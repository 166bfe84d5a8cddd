"""Rosters: each rep's team (and hire date), read like a work log, every bad row named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devvolume.inputs import WorklogError, read_roster
from devvolume.inputs._roster import check_roster


def test_the_public_datasets_sales_teams_file(tmp_path: Path) -> None:
    path = tmp_path / "sales_teams.csv"
    path.write_text("sales_agent,manager,regional_office\nAnna Moss,Dana Whitfield,Central\n"
                    "Bo Reyes,Dana Whitfield,Central\n", encoding="utf-8")
    roster = read_roster(path)
    assert roster[["rep", "team"]].values.tolist() == [["Anna Moss", "Dana Whitfield"],
                                                        ["Bo Reyes", "Dana Whitfield"]]
    assert roster["hire_date"].isna().all()


def test_a_chinese_roster_in_gbk_with_hire_dates(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("销售员,团队,入职日期\n王磊,华东一组,2024/3/1\n李娜,华东二组,\n".encode("gbk"))
    roster = read_roster(path)
    assert roster["hire_date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == ["2024-03-01", ""]


def test_bad_rows_are_named_and_nothing_is_guessed() -> None:
    raw = pd.DataFrame({"销售员": ["王磊", "李娜", "王磊", None, "赵敏"],
                        "团队": ["一组", "二组", "二组", "一组", ""],
                        "入职日期": ["2024-03-01", "昨天", None, None, None]})
    report = check_roster(raw)
    assert report.bad_rows == [3, 4, 5, 6]
    problems = dict(zip(report.problems["row"], report.problems["problem"], strict=True))
    assert problems[3].startswith("入职日期不是有效日期")
    assert "一个销售员只能有一个团队 / this rep is in another team on row 2" in problems[4]
    assert problems[5] == "销售员不能为空 / rep is required"
    assert problems[6] == "团队不能为空 / team is required"
    with pytest.raises(WorklogError, match=r"(?s)名单有 4 行数据有问题.*第 4 行 / row 4"):
        read_roster(raw)


def test_the_same_rep_twice_in_one_team_is_fine() -> None:
    roster = read_roster(pd.DataFrame({"rep": ["A", "A"], "team": ["T", "T"]}))
    assert roster["rep"].tolist() == ["A"]


def test_a_roster_without_a_team_column() -> None:
    with pytest.raises(WorklogError, match=r"(?s)名单缺少列 / the roster lacks: 团队\(team\).*"
                                           r"headers found: 销售员、部门"):
        read_roster(pd.DataFrame({"销售员": ["A"], "部门": ["T"]}))
