"""Headless Chromium for the browser tests, pages served from 127.0.0.1, other hosts blocked.

Chromium comes from the system (/usr/bin/chromium): ``playwright install`` cannot download
here. Without it the tests skip, except when ``CI`` is set, where a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; install it (apt install chromium) to run browser tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder) -> base URL``: a static server on a free port of 127.0.0.1, in a thread."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def open_guarded_page(browser, **context_options):
    """A fresh page in its own context; requests to other hosts are aborted and listed in
    ``page.blocked``; uncaught script errors, and errors our scripts log, are listed in
    ``page.errors``; every console error (any source) in ``page.console_errors``."""
    context = browser.new_context(accept_downloads=True, **context_options)
    page = context.new_page()
    page.blocked, page.errors, page.console_errors = [], [], []

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
            page.blocked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def on_console(msg):
        if msg.type != "error":
            return
        # Requests to other hosts are aborted on purpose; they are listed in page.blocked.
        if "net::ERR_FAILED" not in msg.text:
            page.console_errors.append(msg.text)
        # Our scripts report setup failures with console.error("course_utils ...").
        if "course_utils" in msg.text:
            page.errors.append(msg.text)

    page.route("**/*", guard)
    page.on("pageerror", lambda error: page.errors.append(f"{error.message}\n{error.stack}"))
    page.on("console", on_console)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser):
    """A fresh page with other hosts blocked (see :func:`open_guarded_page`)."""
    page = open_guarded_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def page_factory(browser):
    """``page_factory(**context_options)``: pages with a viewport, a colour scheme, ..."""
    pages = []

    def make(**context_options):
        page = open_guarded_page(browser, **context_options)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
