"""Instructor reports: safe names, escaping, failure isolation, offline HTML, warm == isolated.

One batch through :func:`build_reports` (hostile team names, two workers), one with a failing
report, one end to end through ``python -m devvolume report``, and one comparison of the warm
engine with a plain papermill run. Each batch keeps to a handful of tiny teams. The numbers the
reports show are checked in test_report_figures.py.
"""

from __future__ import annotations

import configparser
import html.parser
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nbformat
import pandas as pd
import papermill
import pytest
from report_helpers import read_summary

from devvolume.report import SUMMARY_COLUMNS, ReportBatch, build_reports, safe_file_names
from devvolume.report._folder import LOCK, MANIFEST, MARKER

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks" / "reports"
HOSTILE = ["<script>alert(1)</script>", "../../x", "a/b", "a:b", "a?b", "华东一组"]
STEPS = [("2026-01-05", "contacted"), ("2026-01-07", "qualified"), ("2026-01-20", "signed"),
         ("2026-02-03", "won"), ("2026-02-05", "contacted"), ("2026-02-10", "lost")]


def write_log(path: Path, teams: list[str], *, month: str = "") -> Path:
    """A tiny work log with the same six rows for every team (dates moved to ``month``)."""
    rows = []
    for number, team in enumerate(teams):
        for step, (day, stage) in enumerate(STEPS):
            date = f"{month}-{day[-2:]}" if month else day
            rows.append({"日期": date, "销售员": f"R{number}{'ab'[step % 2]}", "团队": team,
                         "客户": f"{team}-C{step // 3}", "阶段": stage, "渠道": "转介绍"})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class Links(html.parser.HTMLParser):
    """Collect the (tag, attribute, value) of every src and href."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs if name in ("src", "href")]


def links(text: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(text)
    return parser.found


# --- file names --------------------------------------------------------------------------------


def test_safe_names_keep_chinese_and_stay_flat() -> None:
    files = safe_file_names([*HOSTILE, "CON", ".hidden", "", "A:B"], prefix="team")
    assert files["华东一组"] == "team_华东一组.html"
    assert files["CON"] == "team_CON.html"  # the prefix keeps Windows device names harmless
    assert len(set(files.values())) == len(files)
    for name, file in files.items():
        assert not set(file) & set('/\\:*?"<>|'), file
        assert ".." not in file
        assert not file.startswith(".")
        if name not in ("华东一组", "CON"):
            assert re.search(r"-[0-9a-f]{8}\.html$", file), file


def test_names_that_collide_get_distinct_hashes() -> None:
    files = safe_file_names(["a/b", "a:b", "a?b", "A_B", "a_b"], prefix="rep")
    assert len(set(files.values())) == 5
    assert all(file.startswith("rep_a_b-") or file.startswith("rep_A_B-") for file in files.values())


# --- a batch with hostile names ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> ReportBatch:
    folder = tmp_path_factory.mktemp("hostile")
    log = write_log(folder / "log.csv", HOSTILE)
    return build_reports(log, by="team", out=folder / "out", jobs=2, progress=False)


def test_hostile_names_are_confined_to_out(hostile: ReportBatch) -> None:
    assert hostile.ok, [result.error for result in hostile.failed]
    assert sorted(result.name for result in hostile.results) == sorted(HOSTILE)
    written = {path.name for path in hostile.out.iterdir()}
    expected = {result.path.name for result in hostile.results if result.path}
    assert written == {*expected, "index.html", "summary.csv", "evidence.csv", MARKER, LOCK, MANIFEST}
    for result in hostile.results:
        assert result.path is not None
        assert result.path.resolve().parent == hostile.out.resolve()
    assert not list(hostile.out.parent.glob("x*"))
    assert not (hostile.out.parent / "a").exists()


def test_every_name_is_escaped(hostile: ReportBatch) -> None:
    pages = [hostile.index, *(result.path for result in hostile.results if result.path)]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text, page.name
    index = hostile.index.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    report = next(r.path for r in hostile.results if r.name.startswith("<script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.read_text(encoding="utf-8")


def test_index_links_every_report(hostile: ReportBatch) -> None:
    hrefs = [unquote(value) for tag, name, value in links(hostile.index.read_text(encoding="utf-8"))
             if tag == "a" and name == "href"]
    assert len(hrefs) == len(HOSTILE)
    for href in hrefs:
        assert (hostile.out / href).resolve().parent == hostile.out.resolve()
        assert (hostile.out / href).is_file(), href


def test_html_is_offline_and_has_no_code(hostile: ReportBatch) -> None:
    for result in hostile.results:
        assert result.path is not None
        text = result.path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", text, flags=re.IGNORECASE)
        assert not re.search(r"@import\s+url\(\s*[\"']?(https?:)?//", text, flags=re.IGNORECASE)
        for tag, _, value in links(text):
            if tag in ("script", "link", "img", "iframe", "source", "embed"):
                assert not re.match(r"(https?:)?//", value), (tag, value[:80])
        assert "load_source(source)" not in text  # no code
        assert 'class="jp-InputArea' not in text
        assert "下面带" not in text  # the notebook's own note for its readers is not in the report
        assert "data:image/svg+xml;base64," in text  # the charts are inline


def test_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    log = write_log(tmp_path / "log.csv", ["T1"])
    with pytest.raises(FileExistsError, match="--force"):
        build_reports(log, out=tmp_path, progress=False)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "index.html").exists()


def test_unknown_name_lists_the_names_that_exist(tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", ["华东一组", "华南一组"])
    batch = build_reports(log, only=["华北九组"], out=tmp_path / "out", progress=False)
    assert not batch.ok
    (result,) = batch.results
    assert "华北九组" in result.error
    assert "华东一组、华南一组" in result.error
    assert "no team named" in result.error
    assert "华北九组" in batch.index.read_text(encoding="utf-8")


def test_bad_options_fail_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--by rep --kind rep"):
        build_reports("directsales", by="rep", kind="team", out=tmp_path)
    with pytest.raises(ValueError, match="no work-log file or dataset"):
        build_reports(tmp_path / "missing.csv", out=tmp_path)
    with pytest.raises(ValueError, match="does not take the parameters"):
        build_reports("directsales", out=tmp_path, parameters={"colour": "red"})
    with pytest.raises(ValueError, match="are set by build_reports"):
        build_reports("directsales", out=tmp_path, parameters={"as_of": "2025-06-30"})
    with pytest.raises(ValueError, match=r"不在数据的日期范围内.*is outside the data's dates"):
        build_reports("directsales", out=tmp_path, as_of="2026-01-01")
    with pytest.raises(ValueError, match="is not a date"):
        build_reports("directsales", out=tmp_path, as_of="June")
    assert not any(tmp_path.iterdir())


# --- failure isolation -------------------------------------------------------------------------


def test_a_failing_report_does_not_stop_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A组 has rows only in March, so its report as of 31 January raises; B组 comes after it in
    # the same warm kernel and must still be written.
    log = tmp_path / "log.csv"
    write_log(tmp_path / "a.csv", ["A组"], month="2026-03")
    write_log(tmp_path / "b.csv", ["B组"])
    pd.concat([pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv")]).to_csv(log, index=False)
    batch = build_reports(log, out=tmp_path / "out", jobs=1, progress=False, as_of="2026-01-31")
    failed, written = batch.results
    assert (failed.name, failed.ok, failed.path) == ("A组", False, None)
    assert "has no activity up to 2026-01-31" in failed.error
    assert written.ok
    assert written.path is not None
    assert written.path.is_file()
    assert "has no activity up to" in capsys.readouterr().err
    index = batch.index.read_text(encoding="utf-8")
    assert "has no activity up to 2026-01-31" in index
    assert not batch.ok
    rows = read_summary(batch.summary)
    assert [(row["name"], row["status"], row["as_of"], row["won"]) for row in rows] == [
        ("A组", "error", "2026-01-31", ""), ("B组", "ok", "2026-01-31", "0")]
    assert list(rows[0]) == list(SUMMARY_COLUMNS)


# --- the command line --------------------------------------------------------------------------


def test_cli_end_to_end_unknown_team_still_writes_the_others(tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", ["华东一组", "华南一组"])
    done = subprocess.run(
        [sys.executable, "-m", "devvolume", "report", str(log), "--by", "team", "--only", "华东一组",
         "不存在", "--out", str(tmp_path / "out"), "--lang", "en"],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "no team named '不存在'" in done.stderr
    assert "华东一组、华南一组" in done.stderr
    assert (tmp_path / "out" / "team_华东一组.html").is_file()
    assert not (tmp_path / "out" / "team_华南一组.html").exists()
    assert "index.html" in done.stdout
    page = (tmp_path / "out" / "team_华东一组.html").read_text(encoding="utf-8")
    assert "Customer development report" in page
    # the data stop on 10 February: February so far against the same 10 days of January
    assert ("This period so far (1 Feb – 10 Feb, 10 days) is compared with the same 10 days of "
            "the period before (1 Jan – 10 Jan).") in page


# --- notebooks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("notebook", "who"), [("team_report", "team"), ("rep_report", "rep"),
                                                ("meeting_pack", "team")])
def test_report_notebooks_explain_their_parameters(notebook: str, who: str) -> None:
    parameters = papermill.inspect_notebook(str(NOTEBOOKS / f"{notebook}.ipynb"))
    assert {"source", who, "lang"} <= set(parameters)
    for name, info in parameters.items():
        assert info["inferred_type_name"] in {"str", "int", "bool"}, name
        assert info["help"], f"{notebook}: parameter {name} has no comment"


def _sanitisers() -> list[tuple[re.Pattern[str], str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[section]["regex"]), config[section]["replace"])
            for section in config.sections()]


def _numbers(notebook: Any) -> list[tuple[int, str, str]]:
    """(cell, mimetype, sanitised text) of every text/plain and text/html output."""
    rules = _sanitisers()
    shown = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            assert output.output_type != "error", output.get("evalue")
            for mimetype in ("text/plain", "text/html"):
                if mimetype in output.get("data", {}):
                    text = output["data"][mimetype]
                    for pattern, replace in rules:
                        text = pattern.sub(replace, text)
                    shown.append((index, mimetype, text))
    return shown


def test_warm_engine_gives_the_numbers_of_an_isolated_run(tmp_path: Path) -> None:
    from devvolume.report._engine import ENGINE_NAME, KERNEL_NAME, WarmWorker

    notebook = str(NOTEBOOKS / "team_report.ipynb")
    teams = ["华东一组", "先锋队"]
    isolated = {team: papermill.execute_notebook(
        notebook, None, parameters={"source": "directsales", "team": team}, kernel_name=KERNEL_NAME,
        progress_bar=False) for team in teams}
    worker = WarmWorker()
    try:
        warm = {}
        for team in teams:  # the second team runs in the kernel the first one used
            warm[team] = papermill.execute_notebook(
                nbformat.read(notebook, as_version=4), None,
                parameters={"source": "directsales", "team": team}, engine_name=ENGINE_NAME,
                kernel_name=KERNEL_NAME, progress_bar=False, km=worker.km, kc=worker.kc)
    finally:
        worker.close()
    for team in teams:
        assert _numbers(warm[team]) == _numbers(isolated[team])
        counts = [cell.execution_count for cell in warm[team].cells if cell.cell_type == "code"]
        assert counts == [cell.execution_count for cell in isolated[team].cells if cell.cell_type == "code"]
    assert _numbers(warm[teams[0]]) != _numbers(warm[teams[1]])


def test_warm_kernel_forgets_what_a_report_changed(tmp_path: Path) -> None:
    from devvolume.report._engine import ENGINE_NAME, KERNEL_NAME, WarmWorker

    meddle = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, warnings\nimport altair as alt\nimport pandas as pd\n"
        "LEAK = 1\npd.set_option('display.max_rows', 3)\nalt.theme.enable('dark')\n"
        "os.environ['DV_LEAK'] = '1'\nwarnings.simplefilter('ignore')\nos.chdir('/')")])
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, warnings\nimport altair as alt\nimport pandas as pd\n"
        "print('LEAK' in globals(), pd.get_option('display.max_rows'), alt.theme.active,\n"
        "      'DV_LEAK' in os.environ, warnings.filters[0][0] == 'ignore' and warnings.filters[0][2] is Warning,\n"
        "      os.getcwd() == '/')")])
    for notebook in (meddle, probe):
        notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    worker = WarmWorker(cwd=str(tmp_path))
    try:
        for notebook in (meddle, probe):
            executed = papermill.execute_notebook(notebook, None, engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME,
                                                  progress_bar=False, km=worker.km, kc=worker.kc)
    finally:
        worker.close()
    assert executed.cells[0].outputs[0]["text"].split() == ["False", "60", "default", "False", "False", "False"]
