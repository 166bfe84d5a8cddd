"""A CRM opportunity export shaped like the public "CRM Sales Opportunities" dataset, and its twins.

:func:`crm_opportunities` writes, seeded, what a real B2B CRM export looks like and what makes it
hard: about 85 accounts shared by the 6 managers' teams, 30 reps with very uneven volumes (5 more
in the roster with no deal), many repeat deals per account, engage dates from 2016-10-20, no
close before 2017-03-01, Prospecting deals with no date at all, Engaging deals with no account,
and a deal win rate near 63 %. At ``scale=1`` the stage counts are the dataset's (4,238 won,
2,473 lost, 1,589 engaging, 500 prospecting; 1,088 engaging and 337 prospecting deals without an
account); ``scale`` shrinks every count in proportion, for fast tests.

The same opportunities are written as the vendors export them (:func:`salesforce_export`,
:func:`hubspot_export`, :func:`odoo_export`): their column names, stage names, date formats (US
month/day for Salesforce), flags, and the expected close dates and amounts of open deals, which
an import must not take for events. The tests import all four and get one work log; the kit's
``examples/crm/`` files are written by :func:`write_crm_examples`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: Stage counts of the public dataset (8,800 opportunities).
STAGE_COUNTS = {"Won": 4238, "Lost": 2473, "Engaging": 1589, "Prospecting": 500}
#: Deals without an account, by stage, in the public dataset.
NO_ACCOUNT = {"Engaging": 1088, "Prospecting": 337}
FIRST_ENGAGE = dt.date(2016, 10, 20)
FIRST_CLOSE = dt.date(2017, 3, 1)
LAST_DAY = dt.date(2017, 12, 31)
ACCOUNTS = 85
#: (manager, regional office, reps in the team); one rep per team but the last has no deal.
TEAMS = (("Dana Whitfield", "Central", 6), ("Marcus Ohlsen", "Central", 6),
         ("Priya Raman", "East", 6), ("Tomas Varga", "East", 6),
         ("Helen Oduya", "West", 6), ("Sergio Blanco", "West", 5))  # fmt: skip
#: Products and list prices (a won deal closes near its product's price).
PRODUCTS = {"GTX Basic": 550, "GTX Pro": 4821, "MG Special": 55, "MG Advanced": 3393,
            "GTX Plus Pro": 5482, "GTX Plus Basic": 1096, "GTK 500": 26768}  # fmt: skip
_PRODUCT_WEIGHTS = (0.19, 0.15, 0.20, 0.17, 0.12, 0.16, 0.01)
_FIRST = ("Anna", "Boris", "Chen", "Dara", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas",
          "Kaito", "Lena", "Mateo", "Nadia", "Omar", "Petra", "Quinn", "Rosa", "Sami", "Tara",
          "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Cyrus", "Dmitri",
          "Esme", "Farid", "Gita", "Hana", "Ivo")  # fmt: skip
_LAST = ("Moss", "Reyes", "Lindqvist", "Okafor", "Hart", "Brandt", "Ito", "Sousa", "Keller",
         "Novak", "Farrow", "Quist", "Adeyemi", "Larsen", "Petrov", "Castro", "Nguyen", "Weir",
         "Duval", "Haas", "Mensah", "Rossi", "Tanaka", "Ortiz", "Berg", "Kaya", "Mehta",
         "Falk", "Lund", "Abara", "Shaw", "Vance", "Corr", "Doyle", "Engel")  # fmt: skip
_WORDS = ("Acme", "Blue", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iron",
          "Juniper", "Kite", "Lumen", "Maple", "Nimbus", "Orbit", "Pine", "Quarry", "River",
          "Summit", "Tidal", "Umber", "Vertex", "Willow")  # fmt: skip
_KINDS = ("Systems", "Logistics", "Holdings", "Labs", "Foods", "Energy", "Media", "Textiles",
          "Robotics", "Pharma", "Retail", "Capital")  # fmt: skip
_ALPHABET = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@dataclass(frozen=True)
class Opportunities:
    """An opportunity export (``sales_pipeline.csv``) and its roster (``sales_teams.csv``).

    ``pipeline``: ``opportunity_id, sales_agent, product, account, deal_stage, engage_date,
    close_date, close_value`` (dates ``datetime64``, empty where the export has none).
    ``teams``: ``sales_agent, manager, regional_office`` (every rep, also those with no deal),
    and ``hire_date`` for the rosters the examples write.
    """

    pipeline: pd.DataFrame
    teams: pd.DataFrame


def crm_opportunities(*, scale: float = 1.0, seed: int = 2017) -> Opportunities:
    """Write a seeded opportunity export shaped like the public CRM dataset.

    Parameters
    ----------
    scale : float
        1 gives the dataset's 8,800 opportunities; 0.05 gives 440 (every stage count scaled).
    seed : int
        The random seed: the same seed and scale give the same export.

    Examples
    --------
    >>> data = crm_opportunities(scale=0.05)
    >>> len(data.pipeline), data.pipeline["deal_stage"].value_counts().to_dict()
    (440, {'Won': 212, 'Lost': 124, 'Engaging': 79, 'Prospecting': 25})
    >>> data.teams["manager"].nunique(), data.pipeline["sales_agent"].nunique()
    (6, 30)
    """
    rng = np.random.default_rng(seed)
    teams = _roster(rng)
    active = teams[teams["active"]].reset_index(drop=True)
    counts = {stage: round(n * scale) for stage, n in STAGE_COUNTS.items()}
    stages = np.concatenate([np.full(n, stage, dtype=object) for stage, n in counts.items()])
    total = len(stages)
    # Very uneven rep volumes: a few reps carry several times the deals of others.
    rep_weights = rng.lognormal(0.0, 0.7, len(active))
    reps = rng.choice(active["sales_agent"].to_numpy(), total, p=rep_weights / rep_weights.sum())
    accounts = np.array(_accounts(rng), dtype=object)
    account_weights = rng.lognormal(0.0, 0.45, len(accounts))
    account = rng.choice(accounts, total, p=account_weights / account_weights.sum()).astype(object)
    # Every account gets at least one closed deal when there are enough (shared by many teams).
    closed_at = np.flatnonzero(np.isin(stages, ["Won", "Lost"]))
    first = closed_at[: min(len(accounts), len(closed_at))]
    account[first] = accounts[: len(first)]
    for stage, n in NO_ACCOUNT.items():
        at = np.flatnonzero(stages == stage)
        account[at[: min(round(n * scale), len(at))]] = None
    product = rng.choice(list(PRODUCTS), total, p=_PRODUCT_WEIGHTS)
    engage, close = _dates(rng, stages)
    value = np.where(stages == "Won",
                     np.round([PRODUCTS[p] * rng.uniform(0.85, 1.1) for p in product]), np.nan)
    value = np.where(stages == "Lost", 0.0, value)
    order = rng.permutation(total)
    pipeline = pd.DataFrame({
        "opportunity_id": _ids(rng, total), "sales_agent": reps[order], "product": product[order],
        "account": account[order], "deal_stage": stages[order],
        "engage_date": engage[order], "close_date": close[order], "close_value": value[order],
    })
    pipeline = pipeline.astype({"opportunity_id": "str", "sales_agent": "str", "product": "str",
                                "account": "str", "deal_stage": "str"})
    return Opportunities(pipeline, teams.drop(columns="active"))


def _roster(rng: np.random.Generator) -> pd.DataFrame:
    rows, taken = [], 0
    for manager, office, size in TEAMS:
        for k in range(size):
            name = f"{_FIRST[taken]} {_LAST[(taken * 7) % len(_LAST)]}"
            hired = dt.date(2013, 1, 7) + dt.timedelta(days=int(rng.integers(0, 1300)))
            rows.append((name, manager, office, hired, k < size - 1 or size == 5))
            taken += 1
    frame = pd.DataFrame(rows, columns=["sales_agent", "manager", "regional_office", "hire_date",
                                        "active"])
    frame["hire_date"] = pd.to_datetime(frame["hire_date"]).astype("datetime64[us]")
    return frame


def _accounts(rng: np.random.Generator) -> list[str]:
    names: list[str] = []
    while len(names) < ACCOUNTS:
        name = f"{rng.choice(_WORDS)} {rng.choice(_KINDS)}"
        if name not in names:
            names.append(name)
    return sorted(names)


def _ids(rng: np.random.Generator, total: int) -> list[str]:
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < total:
        code = "".join(rng.choice(_ALPHABET, 8))
        if code not in seen:
            seen.add(code)
            ids.append(code)
    return ids


def _dates(rng: np.random.Generator, stages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Engage and close dates: closed deals close from 2017-03-01; Prospecting has neither."""
    total = len(stages)
    span = (LAST_DAY - FIRST_ENGAGE).days
    engage = np.array([FIRST_ENGAGE + dt.timedelta(days=int(d))
                       for d in rng.integers(0, span - 10, total)], dtype=object)  # fmt: skip
    cycle = 1 + rng.gamma(2.0, 24.0, total).astype(int)
    close = np.empty(total, dtype=object)
    for i, stage in enumerate(stages):
        if stage == "Prospecting":
            engage[i] = None
        if stage not in ("Won", "Lost"):
            continue
        day = engage[i] + dt.timedelta(days=int(cycle[i]))
        if day < FIRST_CLOSE:
            day = FIRST_CLOSE + dt.timedelta(days=int(rng.integers(0, 25)))
        close[i] = min(day, LAST_DAY)
    return (pd.to_datetime(engage).astype("datetime64[us]").to_numpy(),
            pd.to_datetime(close).astype("datetime64[us]").to_numpy())  # fmt: skip


# --- the same opportunities as the vendors export them -----------------------------------------

_SALESFORCE_STAGES = {"Prospecting": "Prospecting", "Engaging": "Qualification",
                      "Won": "Closed Won", "Lost": "Closed Lost"}  # fmt: skip
_HUBSPOT_STAGES = {"Prospecting": "Appointment Scheduled", "Engaging": "Qualified To Buy",
                   "Won": "Closed Won", "Lost": "Closed Lost"}  # fmt: skip
_ODOO_STAGES = {"Prospecting": "New", "Engaging": "Qualified", "Won": "Won",
                "Lost": "Proposition"}  # fmt: skip


def _fmt(dates: pd.Series, pattern: str) -> pd.Series:
    return dates.map(lambda d: "" if pd.isna(d) else _strftime(d, pattern))


def _strftime(day: pd.Timestamp, pattern: str) -> str:
    if pattern == "us":  # 3/1/2017: no leading zeros, as a US-locale Salesforce export writes
        return f"{day.month}/{day.day}/{day.year}"
    return day.strftime(pattern)


def _expected(pipeline: pd.DataFrame) -> pd.Series:
    """Give an open deal's expected close date: 45 days after engaging (or the year's end)."""
    start = pipeline["engage_date"].fillna(pd.Timestamp(LAST_DAY))
    return (start + pd.Timedelta(days=45)).where(pipeline["close_date"].isna(),
                                                 pipeline["close_date"])  # fmt: skip


def _clock(pipeline: pd.DataFrame, seconds: bool) -> pd.Series:
    """Give a time of day per deal (exports write date-times); the date is what counts."""
    codes = pipeline["opportunity_id"].map(lambda s: sum(map(ord, s)))
    text = codes.map(lambda c: f" {8 + c % 10:02d}:{c % 60:02d}")
    return text + (codes.map(lambda c: f":{(c * 7) % 60:02d}") if seconds else "")


def salesforce_export(data: Opportunities) -> pd.DataFrame:
    """Write the opportunities as a Salesforce Opportunity export (API names, US month/day dates)."""
    p = data.pipeline
    stage = p["deal_stage"]
    closed = stage.isin(["Won", "Lost"])
    price = p["product"].map(PRODUCTS).astype(float)
    return pd.DataFrame({
        "Id": p["opportunity_id"], "Name": p["product"], "Account.Name": p["account"],
        "Owner.Name": p["sales_agent"], "StageName": stage.map(_SALESFORCE_STAGES),
        "CreatedDate": _fmt(p["engage_date"], "us"), "CloseDate": _fmt(_expected(p), "us"),
        "IsClosed": closed.map({True: "true", False: "false"}),
        "IsWon": (stage == "Won").map({True: "true", False: "false"}),
        "Amount": p["close_value"].where(closed, price),
        "LeadSource": "",
        "LastStageChangeDate": _fmt(p["close_date"].where(closed, p["engage_date"]), "us"),
    })


def hubspot_export(data: Opportunities) -> pd.DataFrame:
    """Write the opportunities as a HubSpot deals export (stage labels, date-times)."""
    p = data.pipeline
    clock = _clock(p, seconds=False)
    closed = p["deal_stage"].isin(["Won", "Lost"])
    price = p["product"].map(PRODUCTS).astype(float)
    created = _fmt(p["engage_date"], "%Y-%m-%d")
    return pd.DataFrame({
        "Deal ID": p["opportunity_id"], "Deal Name": p["product"],
        "Deal Stage": p["deal_stage"].map(_HUBSPOT_STAGES), "Pipeline": "Sales Pipeline",
        "Create Date": created.where(created == "", created + clock),
        "Close Date": _fmt(_expected(p), "%Y-%m-%d") + clock,
        "Amount": p["close_value"].where(closed, price),
        "Deal owner": p["sales_agent"], "Associated Company": p["account"],
    })


def odoo_export(data: Opportunities) -> pd.DataFrame:
    """Write the opportunities as an Odoo crm.lead export: lost ones archived with a reason."""
    p = data.pipeline
    clock = _clock(p, seconds=True)
    lost = p["deal_stage"] == "Lost"
    closed = p["deal_stage"].isin(["Won", "Lost"])
    team = p["sales_agent"].map(dict(zip(data.teams["sales_agent"], data.teams["manager"],
                                         strict=True)))  # fmt: skip
    created = _fmt(p["engage_date"], "%Y-%m-%d")
    closed_on = _fmt(p["close_date"], "%Y-%m-%d")
    return pd.DataFrame({
        "ID": p["opportunity_id"], "Opportunity": p["product"], "Customer": p["account"],
        "Salesperson": p["sales_agent"], "Sales Team": team,
        "Stage": p["deal_stage"].map(_ODOO_STAGES),
        "Created on": created.where(created == "", created + clock),
        "Closed Date": closed_on.where(closed_on == "", closed_on + clock),
        "Expected Revenue": p["close_value"].where(closed & ~lost,
                                                   p["product"].map(PRODUCTS).astype(float)),
        "Source": "", "Active": (~lost).map({True: "True", False: "False"}),
        "Lost Reason": lost.map({True: "Too expensive", False: ""}),
    })


def pipeline_csv(data: Opportunities) -> pd.DataFrame:
    """Write the export as ``sales_pipeline.csv`` holds it: ISO dates, empty cells where none."""
    p = data.pipeline.copy()
    for column in ("engage_date", "close_date"):
        p[column] = _fmt(p[column], "%Y-%m-%d")
    p["close_value"] = p["close_value"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return p


#: The kit's examples are this share of the full export (176 opportunities).
EXAMPLE_SCALE = 0.02


def write_crm_examples(folder: str | Path, *, scale: float = EXAMPLE_SCALE) -> list[Path]:
    """Write the small example exports of ``examples/crm/``: one folder per format.

    ``pipeline/`` holds ``sales_pipeline.csv`` and ``sales_teams.csv``; ``salesforce/`` and
    ``hubspot/`` an export and a ``roster.csv`` (销售员, 团队, 入职日期); ``odoo/`` an export that
    names each deal's sales team itself. All hold the same opportunities.
    """
    data = crm_opportunities(scale=scale)
    root = Path(folder)
    roster = pd.DataFrame({"销售员": data.teams["sales_agent"], "团队": data.teams["manager"],
                           "入职日期": data.teams["hire_date"].dt.strftime("%Y-%m-%d")})
    files = {
        "pipeline/sales_pipeline.csv": pipeline_csv(data),
        "pipeline/sales_teams.csv": data.teams[["sales_agent", "manager", "regional_office"]],
        "salesforce/opportunities.csv": salesforce_export(data),
        "salesforce/roster.csv": roster,
        "hubspot/deals.csv": hubspot_export(data),
        "hubspot/roster.csv": roster,
        "odoo/crm_lead.csv": odoo_export(data),
    }
    written = []
    for name, frame in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written
