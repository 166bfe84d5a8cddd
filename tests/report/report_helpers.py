"""Report test helpers: work logs shaped like the real thing, written as CSV, and output readers.

``shared_teams_rows`` builds a generated company whose teams share customers (one team contacts,
another closes), with Chinese and English stage labels mixed and data that stop mid-month.
``read_summary`` reads a batch's ``summary.csv``; ``html_tables`` reads the tables of a report page.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pandas as pd
from bs4 import BeautifulSoup

STAGES = ["contacted", "qualified", "signed", "won"]
ZH = {"contacted": "首次接触", "qualified": "意向", "signed": "签约", "won": "成交", "lost": "流失"}
TEAMS = {"华东一组": ["王芳", "李强"], "华南一组": ["陈静", "赵磊"], "先锋队": ["周敏"]}
#: The generated data stop in the middle of March (on 16 March, a Monday, with the default seed):
#: a partial month and a partial week.
LAST_DAY = pd.Timestamp("2026-03-17")


def shared_teams_rows(seed: int = 7, customers: int = 60) -> pd.DataFrame:
    """A company of three teams that hand customers to each other, as a canonical frame.

    Each customer climbs the ladder on random days between 1 January and :data:`LAST_DAY`; every
    row goes to a random rep of a random team, so a customer is often contacted by one team and
    qualified, signed or won by another. Some rows repeat a stage, some customers are lost,
    stage labels are Chinese or English at random, and two rows share a day on purpose.
    """
    rng = random.Random(seed)
    reps = [(team, rep) for team, names in TEAMS.items() for rep in names]
    rows = []
    span = (LAST_DAY - pd.Timestamp("2026-01-01")).days
    for number in range(customers):
        customer = f"客户{number:03d}"
        day = pd.Timestamp("2026-01-01") + pd.Timedelta(days=rng.randrange(span))
        top = rng.choice([0, 0, 1, 1, 2, 3, 3])
        for stage in STAGES[: top + 1]:
            if day > LAST_DAY:
                break
            for _ in range(rng.choice([1, 1, 2])):  # a repeat is not new
                team, rep = rng.choice(reps)
                label = ZH[stage] if rng.random() < 0.6 else stage
                rows.append((day, rep, team, customer, label, rng.choice(["转介绍", "陌拜", "线上"])))
            day += pd.Timedelta(days=rng.randrange(0, 20))
        if top < 3 and rng.random() < 0.3 and day <= LAST_DAY:
            team, rep = rng.choice(reps)
            rows.append((day, rep, team, customer, ZH["lost"], "陌拜"))
    # both teams contact the same new customer on the same day: the tie-break decides the credit
    rows.append((pd.Timestamp("2026-03-16"), "陈静", "华南一组", "客户999", "首次接触", "线上"))
    rows.append((pd.Timestamp("2026-03-16"), "王芳", "华东一组", "客户999", "contacted", "线上"))
    frame = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage", "channel"])
    return frame.sort_values(["date", "customer"], kind="stable").reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a canonical frame as a 工作日志表 CSV with Chinese headers."""
    headers = {"date": "日期", "rep": "销售员", "team": "团队", "customer": "客户", "stage": "阶段",
               "channel": "渠道", "amount": "金额"}
    out = frame.rename(columns=headers)
    out["日期"] = pd.to_datetime(out["日期"]).dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, encoding="utf-8")
    return path


def read_summary(path: Path) -> list[dict[str, str]]:
    """Rows of a ``summary.csv`` (which must start with a UTF-8 BOM)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "summary.csv must start with a BOM for Excel"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def html_tables(page: str) -> list[dict[str, Any]]:
    """Every pandas table on a report page: ``columns`` (last header row), ``rows`` by index."""
    soup = BeautifulSoup(page, "html.parser")
    tables = []
    for table in soup.find_all("table"):
        header_rows = table.find("thead").find_all("tr")
        columns = [cell.get_text(strip=True) for cell in header_rows[0].find_all("th")][1:]
        if len(header_rows) > 2:  # a two-level header: join the levels
            top = list(header_rows[0].find_all("th"))[1:]
            spread = []
            for cell in top:
                spread += [cell.get_text(strip=True)] * int(cell.get("colspan", 1))
            second = [cell.get_text(strip=True) for cell in header_rows[1].find_all("th")][1:]
            columns = [f"{a}/{b}" for a, b in zip(spread, second, strict=True)]
        rows = {}
        for row in table.find("tbody").find_all("tr"):
            index = row.find("th").get_text(strip=True)
            rows[index] = [cell.get_text(strip=True) for cell in row.find_all("td")]
        tables.append({"columns": columns, "rows": rows})
    return tables


def number(text: str) -> int:
    """An integer shown in a table cell."""
    return int(text.replace(",", ""))


def funnel_company(teams: dict[str, dict[str, Any]], *, seed: int = 3, first: str = "2026-01-01",
                   days: int = 150) -> pd.DataFrame:
    """A company whose teams differ in known ways, as a canonical work log.

    ``teams`` maps a team to ``customers`` (first contacts), ``steps`` (chance of each later
    step: qualified, signed, won), ``reps`` (names), ``visits`` (follow-up rows per customer)
    and optionally ``amount`` (first order value on won rows; ``signed_amount`` on signed rows).
    """
    rng = random.Random(seed)
    start = pd.Timestamp(first)
    rows = []
    for team, spec in teams.items():
        for number in range(spec["customers"]):
            customer = f"{team}-客户{number:03d}"
            rep = spec["reps"][number % len(spec["reps"])]
            day = start + pd.Timedelta(days=rng.randrange(days))
            rows.append((day, rep, team, customer, "contacted", None))
            for _ in range(spec.get("visits", 1)):
                rows.append((day + pd.Timedelta(days=rng.randrange(1, 5)), rep, team, customer,
                             "contacted", None))
            for stage, chance in zip(("qualified", "signed", "won"), spec["steps"], strict=True):
                if rng.random() >= chance:
                    break
                day += pd.Timedelta(days=rng.randrange(3, 15))
                amount = {"won": spec.get("amount"), "signed": spec.get("signed_amount")}.get(stage)
                rows.append((day, rep, team, customer, stage, amount))
    frame = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage", "amount"])
    frame = frame[frame["date"] < start + pd.Timedelta(days=days)]  # the log ends with the contacts
    return frame.sort_values(["date", "customer"], kind="stable").reset_index(drop=True)


def bad_rows_csv(path: Path, frame: pd.DataFrame, *, bad: int = 5) -> tuple[Path, list[int]]:
    """Write a work log with Chinese headers and ``bad`` damaged rows; return the bad row numbers.

    The damage is what real exports have: an empty 客户, a date that is not one, an unknown
    stage, a negative amount. Row numbers are as seen in Excel (the header is row 1).
    """
    out = write_csv(frame, path)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    damage = [("客户", ""), ("日期", "2026-02-30"), ("阶段", "报价"), ("日期", "下周三"), ("客户", " ")]
    rows = []
    for number in range(bad):
        index = 3 + number * 7
        column, value = damage[number % len(damage)]
        table.loc[index, column] = value
        rows.append(index + 2)
    table.to_csv(out, index=False, encoding="utf-8")
    return out, rows
