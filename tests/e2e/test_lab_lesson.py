"""Lesson 05 in JupyterLab, in a real browser, as a course participant meets it.

A copy of ``notebooks/05_strategies.ipynb`` is opened in the session's JupyterLab (loopback,
token; every other request is aborted and counted, and the count must be zero). Its outputs are
cleared and Run → Run All Cells runs it in a live kernel: no cell may fail or write to stderr,
the charts must be drawn with their Chinese titles, and dragging the 培训 slider of the strategy
simulator must change the projected development volume it shows. Screenshots:
``build/e2e/lab_lesson05_*.png``.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import papermill

import devvolume as dv
from devvolume.teach import PROJECTED_VOLUME_CLASS, PROJECTED_VOLUME_TEXT, STRATEGIES

if TYPE_CHECKING:
    from conftest import LabPage

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "05_strategies.ipynb"
#: The lesson's chart titles with its default parameters (the whole company, ``scope`` 全公司).
TITLES = [
    "全公司：新成交客户（现状）",
    "四种策略各投入 50%：每月新成交客户",
    "四种策略各投入 50%：每月成本与新增客户价值（元）",
]
#: The lesson's default parameters.
DATASET, TEAM = "directsales", ""
SLIDER = "training"
SIMULATOR_TITLE = "全公司：每月新成交客户，方案与现状对比"

#: The headline widget shows a number.
HEADLINE_SHOWN = f"""() => {{
    const label = document.querySelector('.{PROJECTED_VOLUME_CLASS}');
    return Boolean(label) && /{PROJECTED_VOLUME_TEXT}[0-9.]+/.test(label.innerText);
}}"""

#: The headline widget shows something other than ``before``.
HEADLINE_CHANGED = f"""before => {{
    const label = document.querySelector('.{PROJECTED_VOLUME_CLASS}');
    return Boolean(label) && label.innerText.trim() !== before;
}}"""


#: The simulator shows a chart drawn after the slider moved: a visible static SVG image other
#: than ``before``, or a chart drawn live by JupyterLab's Vega-Lite renderer, with ``title``.
CHART_REDRAWN = """([simulator, before, title]) => {
    const shown = e => e.getBoundingClientRect().width > 200;
    const img = [...simulator.querySelectorAll('.devvolume-chart img')].filter(shown)[0];
    if (img) {
        return img.src !== before && img.complete && img.naturalWidth > 0
            && img.alt.includes(title);
    }
    const live = [...simulator.querySelectorAll('.jp-RenderedVegaCommon5 svg')].filter(shown)[0];
    return Boolean(live) && live.textContent.includes(title);
}"""


def projected(text: str) -> float:
    """The number after ``预计每月新成交客户：`` in the headline."""
    match = re.search(rf"{PROJECTED_VOLUME_TEXT}([0-9.]+)", text)
    assert match, f"no projection in {text!r}"
    return float(match.group(1))


def expected_headline(**levels: float) -> str:
    """The headline the pure function gives for these slider levels, as the lesson computes it."""
    data = dv.load_dataset(DATASET)
    baseline = dv.teach.baseline_from_worklog(data.worklog, targets=data.targets, team=TEAM,
                                              model=dv.sim.CASES[DATASET].model)
    # the lesson's assumption parameters are the simulator's starting values
    defaults = papermill.inspect_notebook(str(LESSON))
    assumptions = {"value_per_customer": float(defaults["customer_value"]["default"]),
                   "ramp_months": float(defaults["ramp_months"]["default"]),
                   "effect": float(defaults["effect_percent"]["default"]) / 100}
    return dv.teach.project_strategies(baseline, **levels, **assumptions).headline


def svg_text(src: str) -> str:
    """The SVG document inside a ``data:image/svg+xml;base64,`` image source."""
    head, data = src.split(",", 1)
    assert head == "data:image/svg+xml;base64", head
    return base64.b64decode(data).decode("utf-8")


def test_lesson05_runs_and_the_simulator_responds(lab_page: LabPage) -> None:
    from conftest import charts_loaded

    shutil.copy(LESSON, lab_page.lab.root / LESSON.name)
    page = lab_page.page
    lab_page.open(LESSON.name, workspace="lesson05")

    # a fresh run in a live kernel: clear the stored outputs first, so nothing old is seen
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function("() => !document.querySelector('.jp-OutputArea-output')")
    assert lab_page.run_all() == "done"

    assert lab_page.error_outputs() == []
    tracebacks = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        has_text="Traceback")
    assert tracebacks.count() == 0

    # the charts: drawn (the images loaded and have a size) with their Chinese titles
    outputs = charts_loaded(".jp-OutputArea-output")  # not the charts inside widgets
    page.wait_for_function(outputs, arg=len(TITLES), timeout=60_000)
    images = page.eval_on_selector_all(
        ".jp-OutputArea-output .devvolume-chart img",
        "imgs => imgs.map(i => ({alt: i.alt, w: i.naturalWidth, src: i.src,"
        " shown: i.getBoundingClientRect().width}))")
    by_title = {image["alt"]: image for image in images}
    for title in TITLES:
        assert title in by_title, f"no chart titled {title!r}: {list(by_title)}"
        image = by_title[title]
        assert image["w"] > 200
        assert image["shown"] > 200
        # the title is real text in the drawn SVG (the screenshot shows it is not boxes)
        assert f">{title}</text>" in svg_text(image["src"])
    first = page.locator(f".jp-OutputArea-output .devvolume-chart img[alt='{TITLES[0]}']")
    first.scroll_into_view_if_needed()
    assert first.is_visible()
    lab_page.screenshot("lab_lesson05_chart")

    # the simulator: read the headline, drag the 培训 slider, see the headline change
    page.wait_for_function(HEADLINE_SHOWN, timeout=60_000)
    headline = page.locator(f".{PROJECTED_VOLUME_CLASS}")
    simulator = page.locator(".widget-vbox", has=headline).first
    sliders = [page.locator(f".dv-strategy-{code}") for code in STRATEGIES]
    assert [slider.count() for slider in sliders] == [1] * len(STRATEGIES)
    slider = page.locator(f".dv-strategy-{SLIDER}")
    readout = slider.locator(".widget-readout")
    assert readout.inner_text().strip() == "0%"
    before_text = headline.inner_text().strip()
    before = projected(before_text)
    assert before_text == expected_headline()
    widget_chart = simulator.locator(".devvolume-chart img").first
    before_chart = widget_chart.get_attribute("src")
    assert SIMULATOR_TITLE in (widget_chart.get_attribute("alt") or "")
    simulator.scroll_into_view_if_needed()
    lab_page.screenshot("lab_lesson05_simulator_before")

    handle = slider.locator(".noUi-handle")
    box = handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 160, y, steps=12)
    page.mouse.up()
    # the slider updates on release: the kernel recomputes and sends the new headline
    page.wait_for_function(HEADLINE_CHANGED, arg=before_text, timeout=60_000)
    after = projected(headline.inner_text())
    level = readout.inner_text().strip()
    assert level != "0%"
    assert after > before, (before, after)  # more training never lowers the projection
    # the number shown is the pure function's at the level the slider shows
    assert headline.inner_text().strip() == expected_headline(
        **{SLIDER: int(level.rstrip("%")) / 100})
    # then the simulator's chart is redrawn, with its Chinese title
    page.wait_for_function(CHART_REDRAWN, arg=[simulator.element_handle(), before_chart,
                                               SIMULATOR_TITLE], timeout=60_000)
    simulator.scroll_into_view_if_needed()
    lab_page.screenshot("lab_lesson05_simulator_after")

    assert lab_page.error_outputs() == []
    assert lab_page.watched.blocked == [], lab_page.watched.blocked
