"""Test helpers: a TensorBoard server and headless Chromium driven through chromedriver's W3C
WebDriver HTTP API (standard library only, no selenium).

Usage::

    with tensorboard_server(logdir) as url, HeadlessChromium() as browser:
        browser.open(url + "#scalars")
        browser.wait_for_text(["loss"])
        browser.screenshot("scalars.png")
"""
import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900"]

# every text node of the page, inside shadow roots too (TensorBoard's Polymer parts use them)
_PAGE_TEXT = """
const parts = [];
const walk = (node) => {
  if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
  if (node.shadowRoot) walk(node.shadowRoot);
  for (const child of node.childNodes) walk(child);
};
walk(document);
return parts.join(" ");
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def tensorboard_server(logdir: str, timeout: float = 60):
    """Run ``tensorboard --logdir`` on a loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--host", "127.0.0.1",
         "--port", str(port), "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url + "data/logdir", process, timeout)
        yield url
    finally:
        process.terminate()
        process.wait(10)


class HeadlessChromium:
    """One chromedriver process and one headless Chromium session (fresh profile)."""

    def __init__(self, timeout: float = 30):
        self._port = free_port()
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self._driver = subprocess.Popen([CHROMEDRIVER, f"--port={self._port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._base = f"http://127.0.0.1:{self._port}"
        _wait_http(self._base + "/status", self._driver, timeout)
        options = {"binary": CHROMIUM, "args": FLAGS + [f"--user-data-dir={self._profile}"]}
        reply = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self._session = f"/session/{reply['sessionId']}"

    def _call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self._base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["value"]

    def open(self, url: str) -> None:
        self._call("POST", self._session + "/url", {"url": url})

    def page_text(self) -> str:
        return self._call("POST", self._session + "/execute/sync",
                          {"script": _PAGE_TEXT, "args": []})

    def wait_for_text(self, needles, timeout: float = 60) -> str:
        """Poll the page until every string in ``needles`` appears; returns the page text."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.page_text()
            if all(n in text for n in needles) or time.monotonic() > deadline:
                return text
            time.sleep(0.5)

    def screenshot(self, path: str) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        png = base64.b64decode(self._call("GET", self._session + "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def close(self) -> None:
        try:
            self._call("DELETE", self._session)
        finally:
            self._driver.terminate()
            self._driver.wait(10)
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "HeadlessChromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
