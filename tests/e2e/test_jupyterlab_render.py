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

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

TITLE = "每月客户开发量（成交）"
SETUP = "from devvolume import display\ndisplay.setup()"
CHART = """\
import pandas as pd
from devvolume import charts
frame = pd.DataFrame({
    "period": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-05-01"] * 2),
    "rep": ["王磊"] * 3 + ["李娜"] * 3,
    "volume": [1, 0, 0, 0, 1, 1],
})
charts.volume_trend(frame, by="rep", level="won")
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A JupyterLab server on loopback; yields (base URL, token)."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    lab_notebook(root)
    user_settings = {
        # no news or update checks: they would try the network
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        # render every cell, not only those in view, so the test sees all outputs
        "notebook-extension/tracker": {"windowingMode": "none"},
    }
    for name, values in user_settings.items():
        path = base / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
    log = (base / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={base / 'settings'}",
         f"--LabApp.workspaces_dir={base / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.extension_manager=readonly", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start:\n"
                                + (base / "lab.log").read_text(encoding="utf-8")[-3000:])
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


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
