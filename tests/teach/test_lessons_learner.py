"""What a learner meets in every lesson: a note that the stored outputs are the case's until the
lesson is run, their own data by team without code (never a whole file titled as one team), tables
with Chinese headers, Chinese quotes, and labels that say what is counted."""

from __future__ import annotations

import io
import json
import re
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in (ROOT / "notebooks" / "source").glob("0*.py"))
#: The words of the first cell of every lesson.
RUN_FIRST = ("先运行，再阅读", "运行全部单元格", "Run All Cells", "案例数据")


def cells(name: str) -> list[jupytext.cell_types.NotebookNode]:  # type: ignore[name-defined]
    return jupytext.read(ROOT / "notebooks" / "source" / f"{name}.py").cells


def stored(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def test_there_are_seven_lessons() -> None:
    assert len(LESSONS) == 7


@pytest.mark.parametrize("name", LESSONS)
def test_the_first_cell_says_the_outputs_are_the_cases_until_run(name: str) -> None:
    first = cells(name)[0]
    assert first.cell_type == "markdown"
    for words in RUN_FIRST:
        assert words in first.source, words
    assert stored(name)["cells"][0]["cell_type"] == "markdown"


@pytest.mark.parametrize("name", LESSONS)
def test_own_data_is_one_control_with_teams_and_no_code(name: str) -> None:
    code = "\n".join(c.source for c in cells(name) if c.cell_type == "code")
    assert "dv.teach.own_worklog(" in code
    # no cell a learner has to re-run after loading, and no output that looks like a result
    assert "picker.worklog" not in code
    assert "还没有载入" not in code
    source = (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")
    assert "我的团队" not in source                    # a title says which team it counts
    assert "启动 JupyterLab 的文件夹" in source          # where a relative path starts


class _Headers(HTMLParser):
    """The texts of the ``<th>`` cells of an HTML table."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "th":
            self._inside = True
            self.headers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.headers[-1] += data


#: A header a zh-CN reader cannot read: Latin letters only (``period``, ``rep volume``).
ENGLISH = re.compile(r"^[A-Za-z_ ]+$")


@pytest.mark.parametrize("name", LESSONS)
def test_stored_tables_have_chinese_headers(name: str) -> None:
    english = []
    for index, cell in enumerate(stored(name)["cells"]):
        for output in cell.get("outputs", []):
            table = "".join(output.get("data", {}).get("text/html", ""))
            if "<table" not in table:
                continue
            parser = _Headers()
            parser.feed(table)
            english += [(index, h.strip()) for h in parser.headers if ENGLISH.match(h.strip())]
    assert english == [], english


def _prose(name: str) -> list[str]:
    """Markdown text (outside `code`) and code comments of a lesson."""
    texts = []
    for cell in cells(name):
        if cell.cell_type == "markdown":
            texts.append(re.sub(r"`[^`]*`", "", cell.source))
        else:
            tokens = tokenize.generate_tokens(io.StringIO(cell.source).readline)
            texts += [t.string for t in tokens if t.type == tokenize.COMMENT]
    return texts


@pytest.mark.parametrize("name", LESSONS)
def test_chinese_text_uses_chinese_quotes(name: str) -> None:
    straight = [text for text in _prose(name) if '"' in text]
    assert straight == [], straight


def test_lesson_04_counts_lost_customers_not_rows() -> None:
    notebook = stored("04_factors")
    tables = ["".join(o.get("data", {}).get("text/html", "")) for c in notebook["cells"]
              for o in c.get("outputs", [])]
    reasons = next(t for t in tables if "流失原因" in t)
    assert "流失客户数" in reasons
    assert ">客户数<" not in reasons


@pytest.mark.parametrize("name", LESSONS)
def test_a_stored_control_says_to_run_the_lesson(name: str) -> None:
    """An unrun lesson shows a control's text form: it says what appears there once run."""
    texts = ["".join(o["data"]["text/plain"]) for c in stored(name)["cells"]
             for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert texts, name
    for text in texts:
        assert "Run All Cells" in text, text
        assert "children=" not in text
