"""A small Chrome DevTools Protocol client over Chromium's debugging pipe: no Python package.

Chromium started with --remote-debugging-pipe reads commands on its file descriptor 3 and
writes answers and events on 4, each a JSON message ending in a NUL byte. That is enough to
open a page at a given viewport, wait for it to load and run a script in it, which is all the
layout check and the phone screenshots need; one browser serves every page of a book, so a
page costs a fraction of a second instead of a browser start.

    with Browser() as browser:
        page = browser.page(width=390, height=844, scale=3, mobile=True)
        page.open("file:///.../index.html")
        height = page.evaluate("document.documentElement.scrollHeight")
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path

from chromium import FLAGS, chromium

TIMEOUT = 60.0


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout
        self._next = 0
        self._events: list[dict] = []
        self._buffer = b""

    # ---------------------------------------------------------------------------- process
    def __enter__(self) -> Browser:
        self._profile = tempfile.TemporaryDirectory()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # The child must see the pipes as descriptors 3 and 4: move them out of the way first.
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def _wire() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        cmd = [
            chromium(),
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "--remote-debugging-pipe",
            "--allow-file-access-from-files",
            "about:blank",
        ]
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_wire,  # runs before close_fds, so 3 and 4 survive (pass_fds)
            pass_fds=(3, 4, high_r, high_w),
        )
        os.close(high_r)
        os.close(high_w)
        self._out, self._in = to_child_w, from_child_r
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close")
        except (CDPError, OSError):
            pass
        for fd in (self._out, self._in):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._profile.cleanup()

    # ---------------------------------------------------------------------------- messages
    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("Chromium did not answer in time")
            ready, _, _ = select.select([self._in], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise CDPError("Chromium closed the debugging pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise CDPError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def wait_event(self, method: str, session: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while True:
            for k, event in enumerate(self._events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self._events.pop(k)
            answer = self._read(deadline)
            if "method" in answer:
                self._events.append(answer)

    def page(self, width: int, height: int, scale: float = 1, mobile: bool = False) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        return Page(self, session["sessionId"], width, height, scale, mobile)


class Page:
    def __init__(self, browser: Browser, session: str, width, height, scale, mobile):
        self.browser, self.session = browser, session
        self.width, self.height = width, height
        self.scale, self.mobile = scale, mobile
        self._send("Page.enable")
        self._send("Runtime.enable")
        self._metrics(height)

    def _metrics(self, height: int) -> None:
        metrics = {
            "width": self.width,
            "height": height,
            "deviceScaleFactor": self.scale,
            "mobile": self.mobile,
        }
        self._send("Emulation.setDeviceMetricsOverride", metrics)

    def _send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def open(self, url: str) -> None:
        """Load `url` and wait for its load event, its web fonts and its images."""
        self.browser._events = [
            e for e in self.browser._events if e.get("sessionId") != self.session
        ]
        loader = self._send("Page.navigate", {"url": url}).get("loaderId")
        # The blank tab's own load event may still be on its way: wait for this document's.
        while True:
            self.browser.wait_event("Page.loadEventFired", self.session)
            ready = self.evaluate(
                "document.readyState === 'complete' && location.href !== 'about:blank'"
            )
            if ready or loader is None:
                break
        self.evaluate(
            "Promise.all([document.fonts.ready, ...[...document.images].map(i => i.decode()"
            ".catch(() => null))]).then(() => true)"
        )

    def evaluate(self, expression: str):
        result = self._send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            detail = result["exceptionDetails"]
            text = detail.get("exception", {}).get("description") or detail.get("text")
            raise CDPError(f"script failed in the page: {text}")
        return result["result"].get("value")

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """The page from its top, `height` CSS px of it (the whole page if None), at the
        device scale the page was opened with. The viewport is made that tall for the shot
        (capturing beyond a short viewport lays the page out again, and pydata's sidebars
        then shift), and set back after."""
        size = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        tall = size[1] if height is None else min(height, size[1])
        self._metrics(self.height if tall <= self.height else tall)
        try:
            self.evaluate("window.scrollTo(0, 0); new Promise(r => requestAnimationFrame(r))")
            params = {
                "format": "png",
                "clip": {"x": 0, "y": 0, "width": self.width, "height": tall, "scale": 1},
            }
            data = self._send("Page.captureScreenshot", params)["data"]
        finally:
            self._metrics(self.height)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
