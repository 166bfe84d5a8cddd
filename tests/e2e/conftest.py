"""Real-browser fixtures: Debian's Chromium driven by Playwright, with the network cut off.

``browser`` is one headless Chromium for the session. ``blocked_page`` is a fresh page whose
every request is routed: the document opened with ``goto`` and requests to an allowed origin
(none by default; a JupyterLab test allows its own loopback server) go through, everything else
is aborted and counted. A test asserts ``page.blocked == []``. Screenshots go to ``build/e2e/`` for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk "
                    "(make test installs it)")
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
