"""Handouts everyone can read: the real axe-core, in Chromium, on every handout and the index.

Every chapter is executed and written as HTML in both editions (no PDF: the PDFs are printed
from these same pages), with the index, the cheat sheet and the teacher's kit beside them.
axe-core (npm, pinned in tests/npm) must find no serious or critical violation on any page,
and every picture must have a text alternative that says what it shows.
"""

import os
import shutil

import pytest

from tests import node_tools
from tools.handouts import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-headless-shell")
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None

pytestmark = [pytest.mark.browser]
if (CHROMIUM is None or sync_playwright is None) and os.environ.get("CI") != "true":
    pytestmark.append(pytest.mark.skip(reason="needs Chromium (apt-get install chromium) and Playwright (make test installs it)"))
BLOCKING = {"serious", "critical"}
NO_DESCRIPTION = "No description has been provided"  # nbconvert's stand-in, not a description


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    written = build(out=out, pdf=False)
    return [path for path in written if path.suffix == ".html"]


@pytest.fixture(scope="module")
def axe(pages):
    """{page name: (violations, pictures)} from axe-core run in Chromium on every page."""
    script = node_tools.require("axe-core") / "axe.min.js"
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page()
        for path in pages:
            page.goto(path.resolve().as_uri())
            page.add_script_tag(path=str(script))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            pictures = page.eval_on_selector_all("img, svg[role=img]", "els => els.map(e => e.getAttribute('alt') || e.getAttribute('aria-label') || '')")
            found[f"{path.parent.name}/{path.name}"] = (result["violations"], pictures)
        browser.close()
    return found


def test_every_chapter_and_the_index_are_checked(pages):
    names = {f"{path.parent.name}/{path.name}" for path in pages}
    assert {"learner/03-request-response.html", "teacher/12-capstone.html"} <= names
    assert {name.split("/", 1)[1] for name in names} >= {"index.html", "cheatsheet.html", "teachers.html"}
    assert len([name for name in names if name.startswith("learner/")]) >= 13


def test_axe_finds_no_serious_or_critical_violation(axe):
    blocking = [
        f"{page}: {violation['id']} ({violation['impact']}) x{len(violation['nodes'])}, "
        f"first at {violation['nodes'][0]['target']}: {violation['nodes'][0]['failureSummary'].splitlines()[-1].strip()}"
        for page, (violations, _) in axe.items()
        for violation in violations
        if violation["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)


def test_every_picture_says_what_it_shows(axe):
    pictures = [(page, alt) for page, (_, alts) in axe.items() for alt in alts]
    assert any(page.endswith("10-deployment.html") for page, _ in pictures), "chapter 10's plot is a picture"
    missing = [(page, alt) for page, alt in pictures if len(alt.split()) < 4 or NO_DESCRIPTION in alt]
    assert missing == [], missing


def test_axe_would_catch_the_old_styles(tmp_path, axe):
    """The test can fail: the theme's own code colours are below 4.5:1 and axe reports them."""
    script = node_tools.require("axe-core") / "axe.min.js"
    page_file = tmp_path / "old.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>old</title></head><body><main>'
        '<pre style="background:#f5f5f5"><span style="color:#aa22ff">in</span> '
        '<span style="color:#b0b0b0">[1]:</span></pre></main></body></html>'
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(script))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        browser.close()
    blocking = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"] if v["impact"] in BLOCKING]
    assert blocking == [("color-contrast", "serious", 2)]
