"""Headless Chromium for the web tests (Debian's chromium through Playwright; never a downloaded one).

Without a browser the tests skip, except under CI (``$CI`` set), where they fail.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.apps import REPO

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "build" / "screenshots"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests need Chromium: {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[Any]:
    """A browser context on a fresh profile (its own user-data-dir), removed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)")
    with tempfile.TemporaryDirectory(prefix="triage-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM),
                                                       headless=True, args=ARGS,
                                                       java_script_enabled=javascript)
        try:
            yield context
        finally:
            context.close()


@dataclass
class Watch:
    """What a page did: every request it made, every dialog it opened, requests to other origins."""

    origin: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).netloc != urlsplit(self.origin).netloc
                and not u.startswith(("data:", "about:"))]


def watch(context: Any, origin: str) -> Watch:
    """Record requests and dialogs of *context*; requests to other origins are also blocked."""
    seen = Watch(origin)

    def route(route: Any) -> None:
        seen.requests.append(route.request.url)
        if urlsplit(route.request.url).netloc == urlsplit(origin).netloc:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("page", lambda page: page.on("dialog", on_dialog))
    return seen


def login(page: Any, url: str, username: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + "/drafts")


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
