"""Render HTML in real headless Chromium at a phone's width and measure it (the leadership mail, SPEC §14).

Headless Chromium will not make a window narrower than 500 px, and ``--dump-dom`` lays the page out at that
width; ``--screenshot`` only narrows it after the page loaded. So the page is driven over the DevTools
protocol on a pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL byte on file descriptors 3
and 4, no extra package): ``Emulation.setDeviceMetricsOverride`` makes it a 390 px phone (``mobile``, so
the page's viewport meta applies), the page is loaded, a script measures the layout and
``Page.captureScreenshot`` takes what the phone shows. Skips when Chromium is missing and fails under
``BAOCAO_REQUIRE_ALL=1`` (``require_tool``).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support import require_tool

# what the page measures of itself once loaded
_MEASURE = """JSON.stringify({
  scroll_width: document.documentElement.scrollWidth,
  viewport: document.documentElement.clientWidth,
  scripts: document.scripts.length,
  overflowing: Array.from(document.querySelectorAll('body *')).filter(
    function (e) { return e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5; }
  ).length,
  height: document.documentElement.scrollHeight,
  title: document.title
})"""


@dataclass(frozen=True)
class Layout:
    scroll_width: int  # document.documentElement.scrollWidth: wider than the viewport = sideways scrolling
    viewport: int  # the layout viewport's width
    scripts: int  # <script> elements in the page
    overflowing: int  # elements whose right edge is beyond the viewport
    height: int
    title: str


class _Pipe:
    """One headless Chromium driven over ``--remote-debugging-pipe``."""

    def __init__(self, profile: str) -> None:
        chromium = require_tool("chromium", "chromium-browser")
        to_chromium, self._to = os.pipe()
        self._from, from_chromium = os.pipe()

        def descriptors() -> None:  # in the child: our pipe ends become its fds 3 (commands) and 4 (replies)
            reads, writes = os.dup2(to_chromium, 100), os.dup2(from_chromium, 101)
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=descriptors, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_chromium)
        os.close(from_chromium)
        self._buffer = b""
        self._id = 0
        self._events: list[str] = []  # events that came while waiting for a reply

    def _next(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from, 1 << 16)
            if not chunk:
                raise AssertionError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message: dict = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._next()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self._events.append(reply["method"])

    def wait_for(self, event: str) -> None:
        if event in self._events:
            self._events.remove(event)
            return
        while self._next().get("method") != event:
            pass

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (AssertionError, OSError):
            pass
        for fd in (self._to, self._from):
            os.close(fd)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def render(page: Path, screenshot: Path | None = None, width: int = 390, height: int = 900) -> Layout:
    """Load ``page`` on a phone ``width`` CSS pixels wide, measure its layout and, with ``screenshot``,
    write a PNG of the whole page as the phone shows it."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        browser = _Pipe(profile)
        try:
            targets = browser.call("Target.getTargets")["targetInfos"]
            target = next(t["targetId"] for t in targets if t["type"] == "page")
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            browser.call("Page.enable", session=session)
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}
            browser.call("Emulation.setDeviceMetricsOverride", metrics, session)
            browser.call("Page.navigate", {"url": page.as_uri()}, session)
            browser.wait_for("Page.loadEventFired")
            value = browser.call("Runtime.evaluate", {"expression": _MEASURE, "returnByValue": True}, session)
            layout = Layout(**json.loads(value["result"]["value"]))
            if screenshot is not None:
                shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                                    session)  # fmt: skip
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            return layout
        finally:
            browser.close()


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
