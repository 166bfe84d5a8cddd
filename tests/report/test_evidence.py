"""The evidence behind coaching: every verdict's words from one place, coverage, evidence.csv.

Function level: every team and rep of the three case datasets is coached, and every sentence,
table cell and action is checked against the judged comparison it came from. Batch level: a
company whose reps differ as real reps do and in nothing else (``sim._spread``), with data that
start inside a period and outcomes recorded only from a later day (as in a CRM export), is
reported by team and by rep: the pages never compare the partial period as whole, no page shows
"nan", and ``evidence.csv`` names a clear difference in no more reports than the calibration
benchmark's false-alarm rate allows.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from report_helpers import html_tables

from devvolume.report import build_reports, load_company, period_figures
from devvolume.report._coaching import _T, advise
from devvolume.report._evidence import EVIDENCE_FIELDS
from devvolume.report._index import EVIDENCE_COLUMNS
from devvolume.sim._spread import uneven_reps_log

CLEAR = {"weaker", "stronger"}


@pytest.mark.parametrize("dataset", ["directsales", "fmcg", "software"])
def test_every_sentence_says_what_its_verdict_says(dataset: str) -> None:
    company = load_company(dataset)
    for who in ("team", "rep"):
        for name in company.names[who]:
            figures = period_figures(company, period="M", **{who: name})
            evidence, coaching = advise(company, figures, money=None, stalled_days=14,
                                        who_label="" if who == "team" else name)
            table = coaching.table
            labels = list(table.index)
            assert len(labels) == len(evidence.tests)
            for label, test in zip(labels, evidence.tests.values(), strict=True):
                assert table.loc[label, "结论"] == test.words("zh"), (name, label)
                mentioned = [s for s in (*coaching.strengths, *coaching.weaknesses)
                             if s.startswith(label + "：")]  # fmt: skip
                if test.code in CLEAR and test.measure != "activities":
                    assert len(mentioned) == 1, (name, label)
                    assert test.words("zh") in mentioned[0]
                    assert mentioned[0] in (coaching.strengths if test.code == "stronger"
                                            else coaching.weaknesses)  # fmt: skip
                else:
                    assert mentioned == [], (name, label)
            # a note naming the largest gap quotes that comparison's own verdict
            for note in coaching.notes:
                if note.startswith("差距最大的一项是"):
                    label = next(label for label in labels if note.startswith(f"差距最大的一项是{label}"))
                    verdict = table.loc[label, "结论"]
                    assert f"结论是“{verdict}”" in note
                    assert verdict not in ("明显较弱", "明显较强")
            text = coaching.html() + table.to_string()
            assert not re.search(r"\bnan\b", text, re.IGNORECASE), name
            if not coaching.weaknesses:
                assert coaching.bottleneck == ""


def test_the_words_for_every_verdict_exist_in_both_languages() -> None:
    from devvolume.core._peers import VERDICT_WORDS

    assert set(VERDICT_WORDS) == {"weaker", "stronger", "small", "similar", "too_few", "no_data"}
    for key in ("detectable", "rank", "no_data", "peers_team", "peers_rep"):
        assert key in _T["zh"]
        assert key in _T["en"]


@pytest.fixture(scope="module")
def null_batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Team and rep reports of a company with no true difference, data starting mid-period."""
    folder = tmp_path_factory.mktemp("null")
    log = uneven_reps_log(3, 0.3, teams=5, reps=6, start=dt.date(2024, 10, 20), days=438,
                          outcomes_from=dt.date(2025, 3, 1))  # fmt: skip
    path = folder / "工作日志.csv"
    out = log.rename(columns={"date": "日期", "rep": "销售员", "team": "团队", "customer": "客户",
                              "stage": "阶段", "channel": "渠道"})  # fmt: skip
    out["日期"] = out["日期"].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False)
    outs = {}
    for by in ("team", "rep"):
        batch = build_reports(path, out=folder / by, by=by, period="Y", as_of="2025-12-31", jobs=2,
                              progress=False)  # fmt: skip
        assert batch.ok, [result.error for result in batch.failed]
        assert batch.evidence == folder / by / "evidence.csv"
        outs[by] = folder / by
    return outs


def _evidence(folder: Path) -> list[dict[str, str]]:
    raw = (folder / "evidence.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (folder / "evidence.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == EVIDENCE_COLUMNS
        return list(reader)


def test_evidence_csv_has_every_report_and_flags_no_more_than_the_calibrated_rate(
        null_batches: dict[str, Path]) -> None:  # fmt: skip
    flagged = reports = 0
    for by, folder in null_batches.items():
        rows = _evidence(folder)
        names = {row["name"] for row in rows}
        pages = {path.stem.split("_", 1)[1] for path in folder.glob(f"{by}_*.html")}
        assert names == pages
        assert {row["kind"] for row in rows} == {by}
        for row in rows:
            assert set(EVIDENCE_FIELDS) <= set(row)
            assert row["verdict"] in {"weaker", "stronger", "small", "similar", "too_few", "no_data"}
            if row["verdict"] in CLEAR:
                assert float(row["p_value"]) < float(row["clear_below"])
                value, low, high = (float(row[k]) for k in ("value", "limit998_low", "limit998_high"))
                assert not low <= value <= high  # outside the 99.8 % limit
        reports += len(names)
        flagged += len({row["name"] for row in rows if row["verdict"] in CLEAR})
    # bench_calibration.py: 2-3 % of reports at σ 0.3 to 0.6; a naive test flagged ~40 % of reps
    assert flagged <= 0.05 * reports, (flagged, reports)


def test_a_period_the_data_cover_in_part_is_never_compared_as_whole(null_batches: dict[str, Path]) -> None:
    for by, folder in null_batches.items():
        for page in folder.glob(f"{by}_*.html"):
            text = page.read_text(encoding="utf-8")
            assert not re.search(r"\bnan\b", text, re.IGNORECASE), page.name
            # contacts start in October 2024: compared on the covered days only, counts given (a
            # rep hired in 2025 has no day of 2024 to compare with)
            covered = re.search(r"首次接触：上期的数据从 2024-1\d-\d\d 才开始，所以两期都只比较这一段日子："
                                r"本期 2025-1\d-\d\d – 2025-12-31 \d+ 个，上期 2024-1\d-\d\d – 2024-12-31 \d+ 个", text)
            assert covered or "首次接触：数据里从 2025-" in text, page.name
            # no 成交 before March 2025: no comparison with 2024 at all
            assert re.search(r"成交：数据里从 2025-0\d-\d\d 起才有能算出成交的记录", text), page.name
            assert "无法和上期公平比较" in text
            volume = html_tables(text)[0]
            for level in ("首次接触", "意向", "签约", "成交"):
                assert volume["rows"][level][1:3] == ["—", "—"], (page.name, level)
