"""A small own 工作日志表 for course tests: two teams, a shared customer and one bad row.

The second team's name has characters a file system or a page must not take as they are
(``/``, ``<``, ``&``). The log runs from January to late June 2026 (a month that is not over),
with channels, amounts on won rows and reasons on lost rows, Chinese headers, and row 12 (as
seen in Excel) has an empty 客户.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

TEAMS = {"华东一组": ["王磊", "李娜", "赵敏"], "合作组 <B&C>/二": ["孙强", "周洁"]}
HEADERS = ["日期", "销售员", "团队", "客户", "阶段", "渠道", "金额", "备注"]
#: The row (as seen in Excel: the header is row 1) with an empty 客户.
BAD_ROW = 12
SHARED = "共享客户"


def course_log(path: Path, *, customers: int = 70, seed: int = 5) -> Path:
    """Write the log as CSV (UTF-8 with a BOM, as Excel saves it); return its path."""
    rng = random.Random(seed)
    first = pd.Timestamp("2026-01-05")
    teams = list(TEAMS)
    rows = []
    for number in range(customers):
        team = teams[number % 2]
        rep = TEAMS[team][number % len(TEAMS[team])]
        customer = f"客户{number:03d}"
        channel = ["转介绍", "陌拜", "线上"][number % 3]
        day = first + pd.Timedelta(days=rng.randrange(170))
        rows.append((day, rep, team, customer, "首次接触", channel, "", ""))
        draw = rng.random()
        if draw < 0.6:
            day += pd.Timedelta(days=rng.randrange(2, 20))
            rows.append((day, rep, team, customer, "意向", channel, "", ""))
            day += pd.Timedelta(days=rng.randrange(2, 20))
            if draw < 0.35:
                rows.append((day, rep, team, customer, "成交", channel, str(rng.randrange(1, 40) * 1000), ""))
            else:
                rows.append((day, rep, team, customer, "流失", channel, "",
                             rng.choice(["价格谈不拢", "暂无需求", "联系不上"])))  # fmt: skip
    # one customer both teams worked on: 华东一组 contacted it first, the other team won it
    rows.append((pd.Timestamp("2026-02-02"), "王磊", teams[0], SHARED, "首次接触", "展会", "", ""))
    rows.append((pd.Timestamp("2026-03-10"), "孙强", teams[1], SHARED, "成交", "展会", "8000", ""))
    frame = pd.DataFrame(rows, columns=HEADERS).sort_values("日期", kind="stable")
    frame = frame[frame["日期"] <= pd.Timestamp("2026-06-24")]
    frame["日期"] = frame["日期"].dt.strftime("%Y-%m-%d")
    bad = pd.DataFrame([["2026-03-03", "李娜", teams[0], "", "首次接触", "", "", ""]], columns=HEADERS)
    at = BAD_ROW - 2
    frame = pd.concat([frame.iloc[:at], bad, frame.iloc[at:]], ignore_index=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path
