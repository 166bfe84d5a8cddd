"""The reached-levels table: hand cases (shared customers, Chinese labels), the table standing in
for the log in every metric, and properties of team slices on every backend, against a
plain-Python oracle."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import devvolume as dv
from devvolume.core import LEVELS, STAGE_LABELS, STAGE_RANK, STAGES

D = dt.date
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


OUTCOMES = [*LEVELS, "lost"]


def test_reached_levels_of_the_design_example(backend, design_log):
    rows = backend.rows(dv.reached_levels(backend.make(design_log)))
    if backend.name == "duckdb":  # a lazy result is a query: its rows come in no set order
        rows.sort(key=lambda row: (row[0], OUTCOMES.index(row[1])))
    assert rows == [
        ("C1", "contacted", D(2026, 3, 30), "A", "T1", D(2026, 5, 6)),
        ("C1", "qualified", D(2026, 4, 10), "A", "T1", D(2026, 5, 6)),
        ("C1", "signed", D(2026, 4, 10), "A", "T1", D(2026, 5, 6)),
        ("C1", "won", D(2026, 5, 6), "A", "T1", D(2026, 5, 6)),
        ("C2", "contacted", D(2026, 4, 3), "B", "T1", D(2026, 4, 3)),
        ("C2", "qualified", D(2026, 4, 3), "B", "T1", D(2026, 4, 3)),
        ("C2", "signed", D(2026, 4, 3), "B", "T1", D(2026, 4, 3)),
        ("C2", "won", D(2026, 4, 3), "B", "T1", D(2026, 4, 3)),
        ("C3", "contacted", D(2026, 5, 7), "B", "T1", D(2026, 5, 7)),
        ("C3", "lost", D(2026, 5, 7), "B", "T1", D(2026, 5, 7)),
    ]


def test_shared_customers_credit_the_row_that_set_the_date(backend, shared_log):
    """Team A first contacts 客户甲, team B wins it: A gets the contact and cohort, B the win."""
    reached = dv.reached_levels(backend.make(shared_log))
    table = {(c, level): (team, d) for c, level, d, _, team, _ in backend.rows(reached)}
    assert table[("客户甲", "contacted")] == ("A", D(2026, 3, 2))
    assert table[("客户甲", "won")] == ("B", D(2026, 3, 30))
    assert table[("客户乙", "contacted")] == ("B", D(2026, 3, 3))
    assert table[("客户乙", "won")] == ("A", D(2026, 4, 6))
    assert table[("客户丁", "contacted")] == ("A", D(2026, 4, 1))  # 张 sorts before 李
    assert table[("客户丙", "lost")] == ("A", D(2026, 3, 20))
    contacted = backend.rows(dv.development_volume(reached, level="contacted", by="team"))
    assert contacted == [
        (D(2026, 3, 1), "A", 2),
        (D(2026, 3, 1), "B", 1),
        (D(2026, 4, 1), "A", 1),
        (D(2026, 4, 1), "B", 0),
    ]
    won = backend.rows(dv.development_volume(reached, level="won", by="team"))
    assert [r for r in won if r[2]] == [(D(2026, 3, 1), "B", 1), (D(2026, 4, 1), "A", 1)]
    conversion = backend.rows(dv.conversion_rate(reached, by="team"))
    assert conversion[:2] == [(D(2026, 3, 1), "A", 2, 1, 0.5), (D(2026, 3, 1), "B", 1, 1, 1.0)]
    funnel = backend.records(dv.funnel(reached, by="team"))
    cohorts = {(r["team"], r["level"]): r["customers"] for r in funnel}
    assert cohorts == {
        ("A", "contacted"): 3, ("A", "qualified"): 1, ("A", "signed"): 1, ("A", "won"): 1,
        ("B", "contacted"): 1, ("B", "qualified"): 1, ("B", "signed"): 1, ("B", "won"): 1,
    }  # fmt: skip
    assert backend.rows(dv.win_rate(reached, by="team")) == [("A", 1, 1, 0.5), ("B", 1, 0, 1.0)]


def test_recounting_a_team_filtered_log_is_the_classic_error(shared_log):
    """The oracle of the DESIGN warning: recounts add up to more than the company has."""
    company = dv.development_volume(shared_log, level="contacted", period="Y")["volume"].sum()
    recount = sum(
        dv.development_volume(shared_log[shared_log["team"] == t], level="contacted", period="Y")[
            "volume"
        ].sum()
        for t in ("A", "B")
    )
    sliced = dv.development_volume(shared_log, level="contacted", period="Y", by="team")
    assert (company, recount, sliced["volume"].sum()) == (4, 7, 4)


def test_chinese_and_english_labels_give_the_same_table(shared_log):
    english = shared_log.assign(
        stage=shared_log["stage"].map({v: k for k, v in STAGE_LABELS.items()})
    )
    pd.testing.assert_frame_equal(dv.reached_levels(shared_log), dv.reached_levels(english))


METRICS = {
    "volume": lambda x, by: dv.development_volume(x, level="signed", period="W", by=by),
    "cohort": lambda x, by: dv.conversion_rate(x, period="Q", by=by, within_days=30),
    "throughput": lambda x, by: dv.conversion_rate(x, form="period", by=by),
    "funnel": lambda x, by: dv.funnel(x, by=by, period="M"),
    "win_rate": lambda x, by: dv.win_rate(x, period="M", by=by),
    "cycle": lambda x, _by: dv.sales_cycle(x, start="qualified"),
    "stalled": lambda x, _by: dv.stalled_customers(x, as_of="2026-06-30", idle_days=3),
}


@pytest.mark.parametrize("metric", list(METRICS))
@pytest.mark.parametrize("by", [None, "team", ["team", "rep"]])
def test_every_metric_takes_the_table_in_place_of_the_log(backend, shared_log, metric, by):
    log = backend.make(shared_log)
    reached = dv.reached_levels(log)
    assert backend.rows(METRICS[metric](reached, by)) == backend.rows(METRICS[metric](log, by))


def test_significance_and_targets_take_the_table(shared_log):
    reached = dv.reached_levels(shared_log)
    windows = {"before": ("2026-03-01", "2026-03-31"), "after": ("2026-04-01", "2026-04-30")}
    for where in (None, {"team": "A"}):
        for metric in ("volume", "conversion"):
            assert dv.compare_periods(
                reached, metric=metric, level="contacted", where=where, **windows
            ) == dv.compare_periods(
                shared_log, metric=metric, level="contacted", where=where, **windows
            )
    targets = pd.DataFrame(
        {"team": ["A", "B"], "period": pd.to_datetime(["2026-04-01"] * 2), "target": [1, 2]}
    )
    pd.testing.assert_frame_equal(
        dv.attainment(reached, targets, by="team"), dv.attainment(shared_log, targets, by="team")
    )


def test_where_slices_the_company_result(shared_log):
    windows = {"before": ("2026-03-01", "2026-03-31"), "after": ("2026-04-01", "2026-04-30")}
    a = dv.compare_periods(shared_log, metric="conversion", where={"team": "A"}, **windows)
    assert a.before == (1, 2)  # 甲 (won by B) and 丙 (lost): A's March cohort, won by anyone
    won = dv.forecast(
        shared_log, period_start="2026-04-01", period_end="2026-04-30", where={"team": "A"}
    )
    assert won.so_far == 1


def test_a_table_without_the_column_asked_for_says_how_to_fix_it(shared_log):
    reached = dv.reached_levels(shared_log)
    with pytest.raises(ValueError, match=r"reached_levels\(log, by=\['region'\]\)"):
        dv.development_volume(reached, by="region")
    with pytest.raises(ValueError, match="activity"):
        dv.activity_counts(reached)


def test_extra_credit_columns_travel_in_the_table(shared_log):
    log = shared_log.assign(region=shared_log["team"].map({"A": "东", "B": "西"}))
    reached = dv.reached_levels(log, by="region")
    assert list(reached.columns) == [
        "customer", "level", "date", "rep", "team", "region", "last_date",
    ]  # fmt: skip
    by_region = dv.development_volume(reached, level="won", period="Y", by="region")
    assert by_region["volume"].tolist() == [1, 1]


def test_a_number_column_is_credited_like_a_text_one(backend, shared_log):
    """by= a number column takes the slower join path; it credits the same rows as text."""
    numbers = shared_log.assign(region=shared_log["team"].map({"A": 1, "B": 2}))
    text = numbers.assign(region=numbers["region"].astype(str))
    as_numbers = backend.rows(dv.reached_levels(backend.make(numbers), by="region"))
    as_text = backend.rows(dv.reached_levels(backend.make(text), by="region"))
    assert sorted(as_numbers) == sorted(
        (*row[:5], int(row[5]), row[6]) for row in as_text
    )  # fmt: skip


def test_a_tie_goes_to_the_row_with_every_credit_column_filled(backend):
    """DESIGN.md's tie rule, whatever extra column is credited: filled beats empty, then names."""
    log = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-02", "2026-03-02", "2026-03-03",
                                "2026-03-03", "2026-03-04", "2026-03-04"]),
        "rep": ["A", None, "Z", "B", "A", "A", None, None],
        "team": [None, "T1", "T9", "T2", "T1", None, "T1", "T2"],
        "customer": ["C1", "C1", "C1", "C1", "C2", "C2", "C3", "C3"],
        "stage": ["contacted"] * 8,
        "amount": [5.0, 1.0, None, 2.0, None, 3.0, None, 4.0],
    })
    expected = {"C1": ("B", "T2"),  # rep A and rep "" lose: a credit column is empty
                "C2": ("A", "T1"),  # the same rep: the row with its team filled
                "C3": (None, "T1")}  # no row filled: the filled columns in order, then names
    for by in (None, "amount"):
        table = dv.reached_levels(backend.make(log), by=by)
        rows = {row[0]: (row[3], row[4]) for row in backend.rows(table) if row[1] == "contacted"}
        assert rows == expected, by
    amounts = {row[0]: row[5] for row in backend.rows(dv.reached_levels(backend.make(log), by="amount"))}
    assert (amounts["C1"], amounts["C2"], amounts["C3"]) == (2.0, None, None)


def test_the_key_limits_follow_from_the_levels():
    from devvolume.core import _levels

    per_year = _levels._SECONDS_PER_PACKED_YEAR * len(dv.LEVELS) * _levels._COMBOS
    assert _levels._LAST_YEAR * per_year < 2**63  # every date before the last year fits
    assert (_levels._LAST_YEAR + 1) * per_year >= 2**63  # and no later one would
    assert _levels._LAST_YEAR >= 4000


def test_a_date_past_the_key_limit_is_refused(shared_log):
    log = shared_log.copy()
    log["date"] = log["date"].astype("datetime64[us]")
    log.loc[0, "date"] = pd.Timestamp("2026-03-02").to_pydatetime().replace(year=4926)
    with pytest.raises(ValueError, match="4926"):
        dv.reached_levels(log)


def test_stalled_customers_need_the_log_before_a_past_day(shared_log):
    reached = dv.reached_levels(shared_log)
    with pytest.raises(ValueError, match="as_of"):
        dv.stalled_customers(reached, as_of="2026-03-31")
    stalled = dv.stalled_customers(shared_log, as_of="2026-03-28", idle_days=3)
    # On 03-28 客户甲 is signed (03-24), idle 4 days by anyone; 乙 is only contacted.
    assert stalled[["customer", "level", "team", "idle_days"]].values.tolist() == [
        ["客户甲", "signed", "B", 4]
    ]


# --- properties: slices add up, on every backend, against a plain-Python oracle ----------------

START = D(2025, 12, 1)
LABELS = {**{s: s for s in STAGES}, **{s: STAGE_LABELS[s] for s in STAGES}}
rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 100),
        st.sampled_from(["张", "李", "王"]),
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from([f"客户{i}" for i in range(6)]),  # few customers: teams share them
        st.sampled_from(STAGES),
        st.booleans(),  # Chinese label?
    ),
    min_size=1,
    max_size=30,
)


def to_frame(rows):
    frame = pd.DataFrame(
        [
            (START + dt.timedelta(days=d), rep, team, c, STAGE_LABELS[s] if zh else s)
            for d, rep, team, c, s, zh in rows
        ],
        columns=["date", "rep", "team", "customer", "stage"],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def oracle(rows, level):
    """Plain Python: per customer the smallest (date, -rank, rep, team) among rows >= level."""
    best = {}
    for d, rep, team, customer, stage, _ in rows:
        if STAGE_RANK[stage] >= STAGE_RANK[level]:
            key = (d, -STAGE_RANK[stage], rep, team)
            best[customer] = min(best.get(customer, key), key)
    return best


@SETTINGS
@given(rows=rows_strategy, level=st.sampled_from(LEVELS), period=st.sampled_from("WMQY"))
def test_team_volumes_add_up_to_the_company(backend, rows, level, period):
    log = backend.make(to_frame(rows))
    reached = dv.reached_levels(log)
    company = backend.rows(dv.development_volume(reached, level=level, period=period))
    by_team = backend.rows(dv.development_volume(reached, level=level, period=period, by="team"))
    summed = defaultdict(int)
    for p, _team, volume in by_team:
        summed[p] += volume
    assert dict(summed) == dict(company)
    credited = defaultdict(int)
    for _d, _rank, _rep, team in oracle(rows, level).values():
        credited[team] += 1
    totals = defaultdict(int)
    for _p, team, volume in by_team:
        totals[team] += volume
    assert {t: v for t, v in totals.items() if v} == dict(credited)


@SETTINGS
@given(rows=rows_strategy, start=st.sampled_from(LEVELS[:-1]))
def test_team_cohorts_add_up_to_the_company(backend, rows, start):
    log = backend.make(to_frame(rows))
    reached = dv.reached_levels(log)
    company = backend.records(dv.funnel(reached))
    by_team = backend.records(dv.funnel(reached, by="team"))
    for level in LEVELS:
        whole = next(r["customers"] for r in company if r["level"] == level)
        assert sum(r["customers"] for r in by_team if r["level"] == level) == whole
    cohorts = backend.records(dv.conversion_rate(reached, start=start, period="Y", by="team"))
    overall = backend.records(dv.conversion_rate(reached, start=start, period="Y"))
    for key in ("cohort", "converted"):
        assert sum(r[key] for r in cohorts) == sum(r[key] for r in overall)
    owners = oracle(rows, start)
    won = oracle(rows, "won")
    expected = defaultdict(int)
    for customer, (_d, _r, _rep, team) in owners.items():
        expected[team] += customer in won
    got = defaultdict(int)
    for r in cohorts:
        got[r["team"]] += r["converted"]
    assert {t: v for t, v in got.items() if v} == {t: v for t, v in expected.items() if v}
