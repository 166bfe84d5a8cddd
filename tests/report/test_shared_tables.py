"""Company-wide tables computed once per batch: used, invalidated, never shared, same reports.

A batch writes the company (the log up to the report day and its reached levels) into a batch
store once, and each company-wide result (funnel by team, win rate by rep, stalled customers…)
is computed by one process and read by the others. These tests count the computations through
the documented hook (``DEVVOLUME_SHARED_TRACE``), check that a company is never taken from a
store made from another source or with other options, and that the reports are the same with
and without the store.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_helpers import read_summary, shared_teams_rows, write_csv

import devvolume as dv
from devvolume.report import _build as build_module
from devvolume.report import build_reports, load_company, weekly_review
from devvolume.report._data import _company_shared, company_key, company_shared
from devvolume.report._shared import STORE_ENV, TRACE_ENV, Shared, write_store

#: Random ids in exported pages (nbval's sanitisers do the same for notebooks).
_IDS = [(re.compile(r"cell-id=[0-9a-f]+"), "cell-id=X"),
        (re.compile(r"altair-viz-[0-9a-f]{32}"), "altair-viz-X")]  # fmt: skip


def _log_with_amounts() -> pd.DataFrame:
    """Teams that share customers (Chinese and English labels), with 金额 on won rows."""
    log = shared_teams_rows()
    won = log["stage"].isin(["won", "成交"])
    log["amount"] = None
    log.loc[won, "amount"] = [12000.0 + 500 * number for number in range(int(won.sum()))]
    return log


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_csv(_log_with_amounts(), tmp_path / "工作日志.csv")


@pytest.fixture
def trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "trace.tsv"
    monkeypatch.setenv(TRACE_ENV, str(path))
    _company_shared.cache_clear()
    return path


def _computed(trace: Path) -> list[tuple[int, str]]:
    if not trace.is_file():
        return []
    return [(int(pid), name) for pid, name in
            (line.split("\t", 1) for line in trace.read_text(encoding="utf-8").splitlines())]  # fmt: skip


def _pages(out: Path) -> dict[str, str]:
    pages = {}
    for page in sorted(out.glob("*.html")):
        if page.name == "index.html":
            continue
        text = page.read_text(encoding="utf-8")
        for pattern, replace in _IDS:
            text = pattern.sub(replace, text)
        pages[page.name] = text
    return pages


# --- a batch --------------------------------------------------------------------------------------


def test_a_batch_computes_the_company_and_each_company_wide_table_once(
    source: Path, trace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    batch = build_reports(source, out=tmp_path / "out", by="rep", jobs=2, progress=False)
    assert batch.ok
    assert len(batch.results) == 5
    computed = _computed(trace)
    counts = collections.Counter(name for _, name in computed)
    assert [name for name, count in counts.items() if count > 1] == []
    # the company (and its reached levels) once, in the process that started the batch
    companies = [(pid, name) for pid, name in computed if name.startswith("reached_levels(")]
    assert companies == [(os.getpid(), companies[0][1])]
    # every company-wide table in the workers' kernels, once for the whole batch
    tables = [name for pid, name in computed if pid != os.getpid()]
    assert len(tables) == len(computed) - 1
    for expected in ("funnel(reached, by='rep'", "funnel(reached, by='team'",
                     "win_rate(reached, period=None, by='rep', unit='customer')",
                     "stalled_customers(reached", "peer cases",
                     "sales_cycle(reached", "activity_counts(log", "roster", "home teams"):  # fmt: skip
        assert any(expected in name for name in tables), expected
    # the store is gone with the batch
    assert list((tmp_path / "tmp").glob("devvolume-batch-*")) == []


# The team report reads the same shared tables as the rep report; the meeting pack has its own.
@pytest.mark.parametrize(("by", "kind"), [("rep", "rep"), ("team", "meeting")])
def test_reports_are_the_same_with_and_without_the_batch_store(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by: str, kind: str
) -> None:
    names = {"rep": ["王芳", "陈静", "周敏"], "team": ["华东一组", "先锋队", "华南一组"]}[by]
    shared = build_reports(source, out=tmp_path / "shared", by=by, kind=kind, jobs=2,  # type: ignore[arg-type]
                           only=names, progress=False)  # fmt: skip
    # Without the company in the store, the kernel reads the source and computes it all itself.
    monkeypatch.setattr(build_module, "_share_company", lambda *_: None)
    alone = build_reports(source, out=tmp_path / "alone", by=by, kind=kind, jobs=1,  # type: ignore[arg-type]
                          only=names, progress=False)  # fmt: skip
    assert shared.ok
    assert alone.ok
    assert read_summary(shared.summary) == read_summary(alone.summary)
    assert _pages(tmp_path / "shared") == _pages(tmp_path / "alone")
    assert len(_pages(tmp_path / "shared")) == len(shared.results)


# --- which company a store may give -----------------------------------------------------------


def _store(tmp_path: Path, source: Path, **options: object) -> Path:
    store = tmp_path / "store"
    store.mkdir()
    write_store(store, company_shared(company_key(source, **options)))  # type: ignore[arg-type]
    return store


def _loaded_from(store: Path, source: Path, trace: Path, **options: object) -> bool:
    """Load a company with the store in the environment; whether it came from the store."""
    _company_shared.cache_clear()
    before = len(_computed(trace))
    company = load_company(source, **options)  # type: ignore[arg-type]
    from_store = company.shared.store == store
    assert from_store == (len(_computed(trace)) == before)  # else the company was computed here
    return from_store


def test_a_store_gives_only_the_company_it_was_made_from(
    source: Path, trace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log_with_amounts()
    day = str(log["date"].max().date())
    store = _store(tmp_path, source, as_of=day)
    monkeypatch.setenv(STORE_ENV, str(store))
    assert _loaded_from(store, source, trace, as_of=day)
    assert _loaded_from(store, source, trace)  # the default day is the same day
    assert not _loaded_from(store, source, trace, as_of="2026-02-27")
    assert not _loaded_from(store, source, trace, skip_invalid=True)
    targets = tmp_path / "targets.csv"
    plan = pd.DataFrame({"销售员": ["王芳"], "团队": ["华东一组"], "月份": ["2026-03"], "目标": [3]})
    plan.to_csv(targets, index=False)
    assert not _loaded_from(store, source, trace, targets=targets)
    # another file with the same rows is another source
    other = shutil.copy(source, tmp_path / "copy.csv")
    assert not _loaded_from(store, Path(other), trace)
    # the same file, changed since the store was written
    write_csv(log.iloc[:-3], source)
    assert not _loaded_from(store, source, trace)
    # a dataset is never the file's company either
    assert not _loaded_from(store, Path("software"), trace)


def test_a_changed_file_with_the_same_size_is_not_taken_from_the_store(
    source: Path, trace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path, source)
    monkeypatch.setenv(STORE_ENV, str(store))
    assert _loaded_from(store, source, trace)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("客户001", "客户00X"), encoding="utf-8")  # same size, new time
    os.utime(source, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert not _loaded_from(store, source, trace)


def test_results_differ_by_their_options_and_callers_get_copies(trace: Path) -> None:
    company = load_company(_log_with_amounts())
    monthly = company.result(dv.development_volume, level="won", period="M")
    quarterly = company.result(dv.development_volume, level="won", period="Q")
    assert monthly.equals(dv.development_volume(company.reached, level="won", period="M"))
    assert quarterly.equals(dv.development_volume(company.reached, level="won", period="Q"))
    assert not monthly.equals(quarterly)
    stalled = {days: company.result(dv.stalled_customers, as_of=company.day, idle_days=days)
               for days in (7, 30)}  # fmt: skip
    assert len(stalled[7]) >= len(stalled[30])
    names = [name for _, name in _computed(trace)]
    assert sum("development_volume" in name for name in names) == 2
    assert sum("stalled_customers" in name for name in names) == 2
    # the same call again is not computed again, and what a caller changes stays its own
    monthly.loc[0, "volume"] = -1
    again = company.result(dv.development_volume, level="won", period="M")
    assert again.loc[0, "volume"] != -1
    assert sum("development_volume" in name for name in (n for _, n in _computed(trace))) == 2
    # so are the frames of a company
    first = load_company(_log_with_amounts())
    first.log.loc[0, "team"] = "changed"
    assert "changed" not in set(load_company(_log_with_amounts()).log["team"])


def test_a_result_is_not_keyed_by_a_frame() -> None:
    company = load_company(_log_with_amounts())
    with pytest.raises(TypeError, match="cannot be keyed"):
        company.result(dv.attainment, targets=pd.DataFrame(), level="won", period="M")


def _compute_slowly(store: str, trace: str, ready: Any) -> None:
    os.environ[TRACE_ENV] = trace
    shared = Shared(("key",), "s", pd.Timestamp("2026-01-01").date(), pd.DataFrame(), pd.DataFrame(),
                    None, {}, store=Path(store))  # fmt: skip
    ready.wait(30)

    def slow() -> int:
        time.sleep(1.0)
        return 42

    assert shared.get("the answer", slow) == 42


def test_two_processes_asking_at_once_compute_a_result_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "results").mkdir(parents=True)
    trace = tmp_path / "trace.tsv"
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    workers = [context.Process(target=_compute_slowly, args=(str(store), str(trace), ready))
               for _ in range(2)]  # fmt: skip
    for worker in workers:
        worker.start()
    ready.set()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert [name for _, name in _computed(trace)] == ["the answer"]


# --- helpers that read company-wide tables give what they gave before ----------------------------


def test_company_wide_helpers_match_their_direct_counts() -> None:
    log = shared_teams_rows()
    company = load_company(log)
    for team in company.names["team"]:
        direct = weekly_review(company.log, as_of=company.day, team=team, reached=company.reached)
        assert weekly_review(company, team=team).equals(direct)
        reps = sorted(company.log.loc[company.log["team"] == team, "rep"].dropna().unique())
        assert dv.report.roster(company, team) == reps
    assert weekly_review(company).equals(weekly_review(company.log, as_of=company.day))
    for rep in company.names["rep"]:
        counts = company.log.loc[company.log["rep"] == rep, "team"].value_counts()
        assert dv.report.home_team(company, rep) == min(counts[counts == counts.max()].index)
