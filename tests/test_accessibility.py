"""Handouts everyone can read: the real axe-core, in Chromium, on every handout and the index.

Every chapter is executed and written as HTML in both editions (no PDF: the PDFs are printed
from these same pages), and the index, the cheat sheet and the teacher's kit are written as
`make handouts` writes them. axe-core (npm, pinned in tests/npm) must find no serious or
critical violation on any page, and every picture must have a text alternative that says what
it shows. Each chapter is built and checked on its own, so pytest-xdist spreads the chapters
over the workers; a chapter's tests share its pages on one worker.

axe runs on the teacher edition of each chapter, not on both: a test shows that the learner
page is the teacher page less its solutions (the same elements, attributes and text, in the
same order, but for the line that names the edition), so it holds nothing axe has not checked.
Checking both cost as much again (about 3 s of Chromium per page).
"""

import os
from html.parser import HTMLParser

import pytest

from tests import node_tools
from tools import handouts
from tools.chapters import NOTEBOOKS, chapters

CHROMIUM = handouts.installed_browser()
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None

pytestmark = [pytest.mark.browser]
if (CHROMIUM is None or sync_playwright is None) and os.environ.get("CI") != "true":
    pytestmark.append(pytest.mark.skip(reason="needs Chromium (apt-get install chromium) and Playwright (make test installs it)"))
BLOCKING = {"serious", "critical"}
NO_DESCRIPTION = "No description has been provided"  # nbconvert's stand-in, not a description
CHAPTERS = chapters()
OVERVIEW = "index"  # the pages about every chapter: the index, the cheat sheet and the teacher's kit
# tests/test_handouts.py builds chapters 0 and 1 too: theirs go to its worker, to be executed once.
HANDOUTS_GROUP, HANDOUTS_CHAPTERS = "handouts", {0, 1}


def group(ch):
    """The pytest-xdist group of a chapter's set: its tests share its pages on one worker."""
    return HANDOUTS_GROUP if ch.number in HANDOUTS_CHAPTERS else f"axe-{ch.path.stem}"


# One set of pages per chapter, and the overview.
SETS = [*(pytest.param(ch, id=ch.path.stem, marks=pytest.mark.xdist_group(group(ch))) for ch in CHAPTERS),
        pytest.param(None, id=OVERVIEW, marks=pytest.mark.xdist_group(f"axe-{OVERVIEW}"))]


@pytest.fixture(scope="module", params=SETS)
def chapter(request):
    """The chapter whose pages are checked, or None for the overview."""
    return request.param


@pytest.fixture(scope="module")
def pages(chapter, tmp_path_factory, executed_once):
    """{page name: path} of one chapter's pages in both editions, or of the overview."""
    out = tmp_path_factory.mktemp("handouts")
    if chapter is None:
        written = handouts.build_overview(CHAPTERS, out=out, pdf=False)
    else:
        with executed_once():
            written = handouts.build_chapter(chapter, out=out, pdf=False)
    return {str(path.relative_to(out)): path for path in written if path.suffix == ".html"}


@pytest.fixture(scope="module")
def browser():
    """Chromium, for every set this worker checks one after another (launching it costs a second of CPU)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=handouts.CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


def run_axe(browser, paths):
    """{path: (violations, pictures)}: axe-core's violations on each page, and the text alternative of each picture."""
    script = node_tools.require("axe-core") / "axe.min.js"
    found = {}
    page = browser.new_page()
    try:
        for path in paths:
            page.goto(path.resolve().as_uri())
            page.add_script_tag(path=str(script))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            pictures = page.eval_on_selector_all("img, svg[role=img]", "els => els.map(e => e.getAttribute('alt') || e.getAttribute('aria-label') || '')")
            found[path] = (result["violations"], pictures)
    finally:
        page.close()
    return found


def checked(name):
    """Whether axe runs on a page: the teacher edition of a chapter, and every overview page."""
    return not name.startswith("learner/")


@pytest.fixture(scope="module")
def axe(pages, browser):
    """{page name: (violations, pictures)} from axe-core run in Chromium on every page of the set that it checks."""
    chosen = {name: path for name, path in pages.items() if checked(name)}
    found = run_axe(browser, chosen.values())
    return {name: found[path] for name, path in chosen.items()}


class Outline(HTMLParser):
    """A page as a list of (kind, tag or text, attributes), leaving out solutions and the edition's line."""

    SKIPPED = {("details", "solution"), ("div", "handout-edition")}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.skipping, self.depth, self.solutions = [], None, 0, 0

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            self.depth += tag == self.skipping
            return
        classes = (dict(attrs).get("class") or "").split()
        if any(tag == name and cls in classes for name, cls in self.SKIPPED):
            self.skipping, self.depth = tag, 1
            self.solutions += tag == "details"
            return
        self.items.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        if self.skipping:
            self.depth -= tag == self.skipping
            if self.depth == 0:
                self.skipping = None
            return
        self.items.append(("end", tag, None))

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.items.append(("text", data.strip(), None))


def outline(page):
    """The Outline of an HTML text."""
    parser = Outline()
    parser.feed(page)
    parser.close()
    return parser


def test_every_chapter_and_the_index_are_checked():
    stems = [ch.path.stem for ch in CHAPTERS]
    assert stems == sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")), "every chapter is a set"
    assert {"03-request-response", "12-capstone"} <= set(stems) and len(stems) >= 13
    assert [param.id for param in SETS] == [*stems, OVERVIEW]


def test_each_set_has_its_pages(chapter, pages):
    if chapter is None:
        assert set(pages) == {"index.html", "cheatsheet.html", "teachers.html"}
        index = pages["index.html"].read_text()
        assert all(f'href="learner/{ch.path.stem}.html"' in index for ch in CHAPTERS), "the index lists every chapter"
    else:
        assert set(pages) == {f"{edition}/{chapter.path.stem}.html" for edition in ("learner", "teacher")}


def test_the_learner_page_is_the_teacher_page_less_its_solutions(chapter, pages):
    if chapter is None:  # one edition: axe checks every page of it
        assert pages and all(checked(name) for name in pages)
        return
    learner = outline(pages[f"learner/{chapter.path.stem}.html"].read_text())
    teacher = outline(pages[f"teacher/{chapter.path.stem}.html"].read_text())
    assert learner.solutions == 0 and teacher.solutions >= 1, "the teacher edition shows the solutions"
    different = next((i for i, pair in enumerate(zip(learner.items, teacher.items)) if pair[0] != pair[1]), None)
    assert different is None and len(learner.items) == len(teacher.items), (
        f"the learner page differs from the teacher page less its solutions at item {different}: "
        f"{learner.items[different:different + 3] if different is not None else len(learner.items)} against "
        f"{teacher.items[different:different + 3] if different is not None else len(teacher.items)}"
    )


def test_outline_sees_what_axe_would_see():
    """The comparison can fail: a learner-only element, a changed style or text, a missing solution."""
    teacher = ('<div class="handout-edition">Teacher</div><p style="color:#333">Task</p>'
               '<details class="solution" open><summary>Solution</summary><details><p>nested</p></details></details><p>End</p>')
    learner = '<div class="handout-edition">Learner</div><p style="color:#333">Task</p><p>End</p>'
    assert outline(learner).items == outline(teacher).items and outline(teacher).solutions == 1
    for changed in (learner.replace("#333", "#ccc"), learner.replace("End", "Fin"),
                    learner.replace("<p>End</p>", '<p>End</p><span style="color:#eee">new</span>')):
        assert outline(changed).items != outline(teacher).items


def test_axe_finds_no_serious_or_critical_violation(axe):
    blocking = [
        f"{page}: {violation['id']} ({violation['impact']}) x{len(violation['nodes'])}, "
        f"first at {violation['nodes'][0]['target']}: {violation['nodes'][0]['failureSummary'].splitlines()[-1].strip()}"
        for page, (violations, _) in axe.items()
        for violation in violations
        if violation["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)


def test_every_picture_says_what_it_shows(chapter, axe):
    pictures = [(page, alt) for page, (_, alts) in axe.items() for alt in alts]
    if chapter is not None and chapter.number == 10:
        assert any(page.endswith("10-deployment.html") for page, _ in pictures), "chapter 10's plot is a picture"
    missing = [(page, alt) for page, alt in pictures if len(alt.split()) < 4 or NO_DESCRIPTION in alt]
    assert missing == [], missing


def test_axe_would_catch_the_old_styles(tmp_path, browser):
    """The test can fail: the theme's own code colours are below 4.5:1 and axe reports them."""
    page_file = tmp_path / "old.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>old</title></head><body><main>'
        '<pre style="background:#f5f5f5"><span style="color:#aa22ff">in</span> '
        '<span style="color:#b0b0b0">[1]:</span></pre></main></body></html>'
    )
    [(violations, _)] = run_axe(browser, [page_file]).values()
    blocking = [(v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in BLOCKING]
    assert blocking == [("color-contrast", "serious", 2)]
