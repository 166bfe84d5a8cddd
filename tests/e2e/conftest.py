"""Real-browser fixtures: Debian's Chromium driven by Playwright, with the network cut off.

``browser`` is one headless Chromium for the session. ``blocked_page`` is a fresh page whose
every request is routed: the document opened with ``goto`` and requests to an allowed origin
(none by default; a JupyterLab test allows its own loopback server) go through, everything else
is aborted and counted. A test asserts ``page.blocked == []``. Screenshots go to ``build/e2e/`` for a person to look at.

``jupyterlab`` is one JupyterLab server for the session, on loopback with a token, serving a
temporary folder (tests copy notebooks into it; the repository's notebooks are never opened in
place). ``lab_page`` opens a notebook there in a blocked page whose only allowed origin is that
server, and shuts the notebook's kernel down afterwards.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

#: Debian's chromium package; Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")

#: Flags for running as root in a container and for never calling home.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # belt and braces: no name but loopback resolves, even for requests Playwright cannot route
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "e2e"


@dataclass
class BlockedPage:
    """A Playwright page with the network blocked, and what it tried to load."""

    page: Any
    allow: tuple[str, ...] = ()
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)

    def goto(self, url: str, **options: Any) -> Any:
        """Open ``url`` (e.g. a ``file://`` report): that one document may load, nothing else."""
        self.documents.add(url)
        return self.page.goto(url, **options)

    def route(self, route: Any) -> None:
        """Let the opened documents and allowed origins through; abort and count the rest."""
        url = route.request.url
        if url in self.documents or (self.allow and url.startswith(self.allow)):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def screenshot(self, name: str, **options: Any) -> Path:
        """Save a full-page screenshot as ``build/e2e/<name>.png`` and return its path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), **{"full_page": True, **options})
        return path


def require_chromium() -> None:
    """Skip the test when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk "
                    "(make test installs it)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def make_blocked_page(browser: Any) -> Iterator[Callable[..., BlockedPage]]:
    """Return a factory: ``make_blocked_page(allow=("http://127.0.0.1:8888",))``."""
    contexts: list[Any] = []

    def make(*, allow: tuple[str, ...] = (), width: int = 1280, height: int = 900) -> BlockedPage:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": width, "height": height},
                                      service_workers="block")
        contexts.append(context)
        page = context.new_page()
        watched = BlockedPage(page=page, allow=allow)
        context.route("**/*", watched.route)
        page.on("request", lambda request: watched.requests.append(request.url))
        page.on("console", lambda message: message.type == "error"
                and watched.console_errors.append(message.text))
        return watched

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def blocked_page(make_blocked_page: Callable[..., BlockedPage]) -> BlockedPage:
    """A page on which every network request is aborted and counted."""
    return make_blocked_page()


def charts_loaded(within: str = "") -> str:
    """JavaScript for ``page.wait_for_function(js, arg=n)``: ``n`` chart images have loaded.

    Every ``.devvolume-chart`` image (inside ``within``, a CSS selector) is complete and has a
    size, and there are at least ``n`` of them.
    """
    selector = f"{within} .devvolume-chart img".strip()
    return f"""n => {{
    const imgs = [...document.querySelectorAll('{selector}')];
    return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0);
}}"""


# --- JupyterLab -----------------------------------------------------------------------------

#: The kernel of the notebook in view is connected, idle and not restarting.
KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = widget && widget.sessionContext && widget.sessionContext.session
        && widget.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.status === 'idle' && !widget.sessionContext.isRestarting;
}"""

#: Start "Run → Run All Cells"; ``window.__dvRunAll`` becomes its result once the last cell ran.
#: Not awaited in ``evaluate``: the command's promise settles only when every cell has run.
RUN_ALL = """() => {
    window.__dvRunAll = undefined;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        ok => { window.__dvRunAll = ok === false ? 'stopped' : 'done'; },
        error => { window.__dvRunAll = 'failed: ' + error; });
}"""

#: Every error output and stderr stream in the notebook's model, as ``"<cell>: <text>"``.
ERROR_OUTPUTS = """() => {
    const found = [];
    window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code') { return; }
        for (const out of cell.model.outputs.toJSON()) {
            if (out.output_type === 'error') {
                found.push(`${index}: ${out.ename}: ${out.evalue}`);
            } else if (out.output_type === 'stream' && out.name === 'stderr') {
                found.push(`${index}: stderr: ${[].concat(out.text).join('')}`);
            }
        }
    });
    return found;
}"""

#: JupyterLab settings for the test server.
LAB_SETTINGS = {
    # no news or update checks: they would try the network
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # render every cell, not only those in view, so the test sees all outputs
    "notebook-extension/tracker": {"windowingMode": "none"},
}


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class JupyterLab:
    """A running JupyterLab server: its base URL, token and the folder it serves."""

    url: str
    token: str
    root: Path

    def tree_url(self, path: str, *, workspace: str) -> str:
        """URL that opens ``path`` (relative to ``root``) in its own, fresh workspace.

        A workspace of its own per test keeps JupyterLab from restoring (and starting kernels
        for) the notebooks another test left open.
        """
        return (f"{self.url}/lab/workspaces/{quote(workspace)}/tree/{quote(path)}"
                f"?token={self.token}")

    def api(self, method: str, endpoint: str) -> Any:
        """Call the server's REST API; returns the decoded JSON body (or None)."""
        request = urllib.request.Request(
            f"{self.url}{endpoint}", method=method,
            headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every session and kernel the server runs."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")


@contextmanager
def running_jupyterlab(base: Path) -> Iterator[JupyterLab]:
    """Start JupyterLab on loopback with a token and no browser, serving ``base/root``."""
    root = base / "root"
    root.mkdir()
    for name, values in LAB_SETTINGS.items():
        path = base / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
    lab = JupyterLab(url=f"http://127.0.0.1:{port}", token=token, root=root)
    with (base / "lab.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={base / 'settings'}",
             f"--LabApp.workspaces_dir={base / 'workspaces'}",
             "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
             "--allow-root"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    lab.api("GET", "/api/status")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        pytest.fail("JupyterLab did not start:\n"
                                    + (base / "lab.log").read_text(encoding="utf-8")[-3000:])
                    time.sleep(0.5)
            yield lab
        finally:
            if server.poll() is None:
                # a server that stopped answering is ended by terminate() below anyway
                with suppress(OSError):
                    lab.shutdown_kernels()
                server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """One JupyterLab server for the session; tests copy their notebooks into ``.root``."""
    require_chromium()
    with running_jupyterlab(tmp_path_factory.mktemp("lab")) as lab:
        yield lab


@dataclass
class LabPage:
    """A notebook open in JupyterLab, in a page that may reach the server and nothing else."""

    lab: JupyterLab
    watched: BlockedPage

    @property
    def page(self) -> Any:
        """The Playwright page."""
        return self.watched.page

    def open(self, path: str, *, workspace: str) -> None:
        """Open ``path`` (relative to the server's root) and wait until its kernel is idle."""
        self.watched.goto(self.lab.tree_url(path, workspace=workspace))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        self.wait_idle()

    def wait_idle(self, timeout: float = 120_000) -> None:
        """Wait until the notebook's kernel is connected and idle.

        Cells sent while a kernel is starting can be dropped (seen under load), so a test
        runs anything only after this.
        """
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout)

    def run_all(self, timeout: float = 240_000) -> str:
        """Run → Run All Cells; wait until the last cell ran and the kernel is idle."""
        self.page.evaluate(RUN_ALL)
        self.page.wait_for_function("() => window.__dvRunAll !== undefined", timeout=timeout)
        self.wait_idle()
        return str(self.page.evaluate("() => window.__dvRunAll"))

    def error_outputs(self) -> list[str]:
        """Error outputs and stderr text in the notebook, ``"<cell index>: <text>"``."""
        return list(self.page.evaluate(ERROR_OUTPUTS))

    def screenshot(self, name: str, **options: Any) -> Path:
        """Save the visible part of the page as ``build/e2e/<name>.png``."""
        return self.watched.screenshot(name, **{"full_page": False, **options})


@pytest.fixture
def lab_page(jupyterlab: JupyterLab,
             make_blocked_page: Callable[..., BlockedPage]) -> Iterator[LabPage]:
    """A blocked page allowed to reach the session's JupyterLab; its kernels end with the test."""
    watched = make_blocked_page(allow=(f"{jupyterlab.url}/",), width=1400, height=1000)
    yield LabPage(lab=jupyterlab, watched=watched)
    watched.page.context.close()
    jupyterlab.shutdown_kernels()
