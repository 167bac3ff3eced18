"""Real-browser tests: headless Chromium from the system, driven by Playwright.

The chapter 5 form and the chapter 8 upload form are used as a learner's browser would use
them, against the apps the chapters start; the running app is also opened through
JupyterLab's jupyter-server-proxy. Screenshots go to build/screenshots for a person to see.
Without Chromium or Playwright these tests skip, except under CI=true, where they fail.
"""

import os

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import serve
from tools import handouts
from tools.chapters import NOTEBOOKS, ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = handouts.installed_browser()
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None

# One worker (make test runs several) starts Chromium and the Jupyter server once for all of these.
pytestmark = [pytest.mark.browser, pytest.mark.notebook, pytest.mark.xdist_group("jupyter")]
if (CHROMIUM is None or sync_playwright is None) and os.environ.get("CI") != "true":
    pytestmark.append(pytest.mark.skip(reason="needs Chromium (apt-get install chromium) and Playwright (make test installs it)"))


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=handouts.CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


class ChapterKernel:
    """A chapter run in a kernel up to its closing stop_all(), so its servers keep running."""

    def __init__(self, name):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        last = max(i for i, cell in enumerate(code) if "stop_all()" in cell.source)
        nb.cells = code[:last]
        self.client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})

    def __enter__(self):
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        for index, cell in enumerate(self.client.nb.cells):
            self.client.execute_cell(cell, index)
        return self

    def value(self, expression):
        """Evaluate an expression in the chapter's kernel and return its text."""
        cell = nbformat.v4.new_code_cell(f"print({expression})")
        self.client.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        return cell.outputs[0]["text"].strip()

    def __exit__(self, *exc_info):
        self._context.__exit__(*exc_info)


def test_chapter5_form_in_a_real_browser(browser):
    with ChapterKernel("05-forms.ipynb") as chapter:
        url = chapter.value('safe_server.url + "/signup"')
        page = browser.new_page()
        page.goto(url)
        page.fill("input[name=name]", "")
        page.fill("input[name=email]", "not an address")
        page.fill("input[name=seats]", "2")
        page.evaluate("document.querySelector('form').noValidate = true")  # let the server judge
        page.click("form [type=submit]")
        html = page.content()
        page.screenshot(path=SCREENSHOTS / "ch05-form-errors.png", full_page=True)
        assert page.url == url, "a form with errors is shown again, not redirected"
        assert html.index('name="email"') < html.index("Enter an address such as ada@example.org.") < html.index('name="seats"')
        assert page.input_value("input[name=seats]") == "2" and page.input_value("input[name=email]") == "not an address"

        page.fill("input[name=name]", "Ada")
        page.fill("input[name=email]", "ada@example.org")
        page.click("form [type=submit]")
        page.screenshot(path=SCREENSHOTS / "ch05-form-accepted.png", full_page=True)
        assert page.url.endswith("/signups"), "a valid form redirects to the list"
        assert "Ada" in page.inner_text("body")

        page.goto(url)
        page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
        page.fill("input[name=name]", "Mallory")
        page.fill("input[name=email]", "mallory@example.org")
        page.fill("input[name=seats]", "1")
        response_text = page.evaluate(
            "async () => { const f = document.querySelector('form');"
            " const r = await fetch(f.action, {method: 'POST', body: new URLSearchParams(new FormData(f))});"
            " return r.status + ' ' + await r.text(); }"
        )
        assert response_text.startswith("400") and "CSRF token missing." in response_text
        page.close()


def test_chapter8_upload_in_a_real_browser(browser):
    samples = ROOT / "data" / "uploads"
    with ChapterKernel("08-uploads.ipynb") as chapter:
        base = chapter.value("uploads_server.url")
        page = browser.new_page()
        page.goto(base + "/")
        page.set_input_files("input[type=file]", str(samples / "pixel.png"))
        page.click("form button")
        page.screenshot(path=SCREENSHOTS / "ch08-upload-accepted.png", full_page=True)
        assert "pixel.png" in page.inner_text("body")
        download = page.request.get(base + "/files/pixel.png")
        assert download.status == 200 and download.body() == (samples / "pixel.png").read_bytes()

        page.goto(base + "/")
        page.set_input_files("input[type=file]", str(samples / "not-a-picture.png"))
        page.click("form button")
        page.screenshot(path=SCREENSHOTS / "ch08-upload-refused.png", full_page=True)
        body = page.inner_text("body")
        assert "error" in body and "not-a-picture" not in page.request.get(base + "/files").text()
        page.close()


def test_app_through_jupyterlab_and_jupyter_server_proxy(browser, jupyter, app, monkeypatch):
    url, base = jupyter.url, jupyter.base
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", base)
    server = serve(app)
    from helpers import app_url

    page = browser.new_page()
    page.goto(f"{url}{base}lab?token={jupyter.token}")  # log in to JupyterLab as a learner would
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    page.screenshot(path=SCREENSHOTS / "jupyterlab.png")

    page.goto(url + app_url(server, "/"))
    assert "hello" in page.inner_text("body")
    page.click("text=go")  # a link made by url_for
    assert page.url == f"{url}{base}proxy/absolute/{server.port}/target"
    assert page.inner_text("body") == "target page"
    page.goto(url + app_url(server, "/go"))  # a redirect made by url_for
    assert page.url == f"{url}{base}proxy/absolute/{server.port}/target"
    page.screenshot(path=SCREENSHOTS / "proxy-after-redirect.png")
    page.close()
