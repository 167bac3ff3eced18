"""The cheat sheet: by task, every example runs on the pinned libraries, two pages on A4 and Letter."""

import re
import shutil
import subprocess

import pytest

from tools import cheatsheet
from tools.handouts import BROWSERS, PAPERS, to_pdf

TASKS = ["Route", "Read the request", "Answer", "Template", "Form", "Session", "Database", "Upload", "Test", "Deploy", "Secure"]
ENTRIES = [(task, entry) for task, entries in cheatsheet.SHEET for entry in entries]


def test_the_sheet_is_organised_by_task():
    assert [task for task, _ in cheatsheet.SHEET] == TASKS
    for task, entries in cheatsheet.SHEET:
        assert 3 <= len(entries) <= 7, f"{task}: a handful of entries per task"
    for _, entry in ENTRIES:
        assert "\n" not in entry.example, f"{entry.call}: one line per example"


@pytest.mark.parametrize(("task", "entry"), ENTRIES, ids=[f"{task}: {entry.call}" for task, entry in ENTRIES])
def test_every_example_runs_on_the_pinned_libraries(task, entry):
    cheatsheet.run(entry)


def test_a_wrong_example_fails():
    wrong = cheatsheet.Entry("url_for", "a URL", 'url_for("no_such_view")')
    with pytest.raises(Exception, match="no_such_view"):
        cheatsheet.run(wrong)
    renamed = cheatsheet.Entry("request.args", "query", "request.args.get_int('page')")
    with pytest.raises(AttributeError):
        cheatsheet.run(renamed)


def pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1]), re.search(r"^Page size:.*\((\w+)\)", info, re.MULTILINE)[1]


@pytest.mark.pdf
@pytest.mark.browser
@pytest.mark.skipif(
    not shutil.which("pdfinfo") or not any(shutil.which(b) for b in BROWSERS),
    reason="needs Chromium and pdfinfo: apt-get install chromium poppler-utils (CI installs them)",
)
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_pdf_is_at_most_two_pages(tmp_path, paper):
    page = tmp_path / "cheatsheet.html"
    page.write_text(cheatsheet.render(paper=PAPERS[paper]))
    browser = next(shutil.which(b) for b in BROWSERS if shutil.which(b))
    to_pdf(page, tmp_path / "cheatsheet.pdf", browser)
    count, size = pages(tmp_path / "cheatsheet.pdf")
    assert size.lower() == paper and count <= 2, (size, count)
    text = subprocess.run(["pdftotext", str(tmp_path / "cheatsheet.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    for task in TASKS:
        assert task in text
