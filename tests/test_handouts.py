"""Handouts: executed, offline HTML and PDF, in a learner and a teacher edition."""

import os
import re
import shutil
import subprocess

import pytest

from tools.handouts import BROWSERS, build, find_browser

# Two chapters are executed, printed by Chromium and read back with poppler, once, on one worker,
# which also checks their accessibility (tests/test_accessibility.py) with the same executed chapters.
pytestmark = [pytest.mark.pdf, pytest.mark.browser, pytest.mark.notebook, pytest.mark.xdist_group("handouts")]
MISSING = [tool for tool in ("pdftotext", "pdfinfo") if not shutil.which(tool)]
if not any(shutil.which(name) for name in BROWSERS):
    MISSING.append("chromium")
if MISSING and os.environ.get("CI") != "true":
    pytestmark.append(pytest.mark.skip(
        reason=f"needs {', '.join(MISSING)}: apt-get install chromium poppler-utils (CI installs them)"
    ))


@pytest.fixture(scope="module")
def handouts(tmp_path_factory, executed_once):
    out = tmp_path_factory.mktemp("handouts")
    with executed_once():
        build({0, 1}, out=out)
    return out


def pdf_text(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])


@pytest.mark.parametrize("edition", ["learner", "teacher"])
def test_html_is_executed_and_fetches_nothing(handouts, edition):
    page = (handouts / edition / "01-what-is-flask.html").read_text()
    assert "jp-OutputArea-output" in page and "Hello, Flask!" in page
    assert "names in all" in page  # printed by a cell: the outputs are there
    assert not re.search(r"<script[^>]+src=", page), "no script may be loaded"
    assert not re.search(r"<link[^>]+href=\"https?:", page), "no stylesheet may be fetched"
    assert "cdnjs" not in page and "cdn.jsdelivr" not in page
    assert "data:image/svg+xml;base64," in page, "the WSGI picture is embedded"
    assert "<iframe" not in (handouts / edition / "00-start-here.html").read_text()


def test_solutions_are_in_the_teacher_edition_only(handouts):
    learner = (handouts / "learner" / "01-what-is-flask.html").read_text()
    teacher = (handouts / "teacher" / "01-what-is-flask.html").read_text()
    assert "Show a solution" not in learner and "Show a solution" in teacher
    assert 'return [b"Hello from WSGI"]' not in pdf_text(handouts / "learner" / "01-what-is-flask.pdf")
    assert 'return [b"Hello from WSGI"]' in pdf_text(handouts / "teacher" / "01-what-is-flask.pdf")


@pytest.mark.parametrize("name", ["00-start-here", "01-what-is-flask"])
def test_pdf_pages_are_rendered_with_text(handouts, name):
    pdf = handouts / "learner" / f"{name}.pdf"
    assert pdf_pages(pdf) >= 3
    text = pdf_text(pdf)
    assert "Key points" in text and "You will be able to" in text


def test_index_and_cheat_sheet(handouts):
    index = (handouts / "index.html").read_text()
    assert 'href="learner/01-what-is-flask.pdf"' in index and 'href="teacher/00-start-here.html"' in index
    sheet = pdf_text(handouts / "cheatsheet.pdf")
    assert "Read the request" in sheet and "secure_filename" in sheet
    assert pdf_pages(handouts / "cheatsheet.pdf") <= 2


def pdf_size(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Page size:.*\((\w+)\)", info, re.MULTILINE)[1]


def test_pdfs_are_a4_unless_the_teacher_chooses_letter(handouts, tmp_path, executed_once):
    assert pdf_size(handouts / "learner" / "00-start-here.pdf") == "A4"
    assert pdf_size(handouts / "cheatsheet.pdf") == "A4"
    with executed_once():  # chapter 0 as the handouts fixture executed it
        letter = build({0}, out=tmp_path, paper="letter")
    assert {pdf_size(path) for path in letter if path.suffix == ".pdf"} == {"letter"}
    with pytest.raises(ValueError, match="a4, letter"):
        build({0}, out=tmp_path, paper="legal")


def test_teachers_kit_is_in_the_handouts(handouts):
    assert 'href="teachers.html"' in (handouts / "index.html").read_text()
    kit = (handouts / "teachers.html").read_text()
    assert "Workshop plans" in kit and "<table>" in kit
    assert 'href="teacher/01-what-is-flask.html"' in kit and 'href="../' not in kit


def test_a_missing_browser_names_what_to_install(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        find_browser()
