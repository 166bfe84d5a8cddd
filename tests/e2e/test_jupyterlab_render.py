"""Proof in JupyterLab 4.6 itself: devvolume's chart output renders offline, trusted or not.

JupyterLab runs on loopback with a token. Chromium may reach that server and nothing else (every
other request is aborted and counted). The notebook opened holds outputs stored by a real kernel,
as a lesson from the repository does, so it is *untrusted*: JupyterLab does not draw a bare
``image/svg+xml`` output there (it shows the text/plain fallback, or "Cannot display an
untrusted SVG"), and the test keeps one such output as a control. devvolume's output (an HTML
``<img>`` with a ``data:`` SVG) must render both before and after the cells are run again.
Screenshots: ``build/e2e/jupyterlab_*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest
from nbclient import NotebookClient

if TYPE_CHECKING:
    from conftest import JupyterLab

TITLE = "每月客户开发量（成交）"
SETUP = "import devvolume as dv\ndv.viz.setup()"
CHART = """\
import pandas as pd
import devvolume as dv
frame = pd.DataFrame({
    "period": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-05-01"] * 2),
    "rep": ["王磊"] * 3 + ["李娜"] * 3,
    "volume": [1, 0, 0, 0, 1, 1],
})
dv.viz.volume_trend(frame, by="rep", level="won")
"""
CONTROL = """\
from IPython.display import SVG
SVG('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30">'
    '<text x="5" y="20">裸SVG对照</text></svg>')
"""

LOADED_CHARTS = """() => {
    const imgs = [...document.querySelectorAll('.jp-OutputArea-output .devvolume-chart img')];
    return imgs.length >= 1 && imgs.every(i => i.complete && i.naturalWidth > 0);
}"""


KERNEL_IDLE = """() => {
    const widget = window.jupyterapp.shell.currentWidget;
    const kernel = widget && widget.sessionContext && widget.sessionContext.session
        && widget.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.status === 'idle' && !widget.sessionContext.isRestarting;
}"""


def lab_notebook(root: Path) -> Path:
    """Write ``charts.ipynb`` with outputs from a real kernel, unsigned (untrusted)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# JupyterLab 离线图表"),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell(CHART),
        nbformat.v4.new_code_cell(CONTROL),
    ])
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(root)}}).execute()
    path = root / "charts.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def lab(jupyterlab: JupyterLab) -> Iterator[tuple[str, str]]:
    """The session's JupyterLab (see conftest) with ``charts.ipynb``; yields (base URL, token)."""
    lab_notebook(jupyterlab.root)
    yield jupyterlab.url, jupyterlab.token
    jupyterlab.shutdown_kernels()


def test_chart_renders_in_jupyterlab_offline(lab: tuple[str, str], make_blocked_page) -> None:
    url, token = lab
    watched = make_blocked_page(allow=(url,), width=1400, height=1000)
    page = watched.page
    watched.goto(f"{url}/lab/tree/charts.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function(LOADED_CHARTS, timeout=60_000)

    chart = page.locator(".jp-OutputArea-output .devvolume-chart img").first
    assert chart.get_attribute("alt") == TITLE
    assert chart.bounding_box()["width"] > 300
    chart.scroll_into_view_if_needed()
    watched.screenshot("jupyterlab_stored_outputs", full_page=False)
    # the control: an untrusted bare SVG output is not drawn; JupyterLab falls back to its text
    assert page.get_by_text("<IPython.core.display.SVG object>").count() == 1

    # clear the outputs, run everything again in a live kernel: the new outputs render too
    page.wait_for_function("() => window.jupyterapp !== undefined")
    # run only once the kernel is ready: cells sent while it starts can be dropped (seen under load)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function("() => !document.querySelector('.devvolume-chart')")
    # not awaited: the command's promise settles only when the last cell has run
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    try:
        page.wait_for_function(LOADED_CHARTS, timeout=120_000)
        page.wait_for_selector(".jp-RenderedSVG img", timeout=60_000)
    finally:
        watched.screenshot("jupyterlab_after_run", full_page=False)
    assert page.get_by_text("<IPython.core.display.SVG object>").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).count() == 0
    assert page.locator(".jp-OutputArea-output .devvolume-chart img").first.get_attribute(
        "alt") == TITLE
    page.locator(".jp-OutputArea-output .devvolume-chart img").first.scroll_into_view_if_needed()
    watched.screenshot("jupyterlab_after_run", full_page=False)

    assert watched.blocked == [], watched.blocked
