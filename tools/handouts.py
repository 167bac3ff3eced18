"""Handouts: every chapter executed once, written as offline HTML and PDF in two editions.

The learner edition leaves out the solutions; the teacher edition shows them. Run
``python -m tools.handouts [--paper letter] [NN ...]`` (``make handouts PAPER=letter``); files
go to ``build/handouts``. Every PDF is printed on A4 unless the teacher chooses Letter.
"""

from __future__ import annotations

import argparse
import base64
import copy
import functools
import html
import mimetypes
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

from . import cheatsheet
from .chapters import NOTEBOOKS, ROOT, chapters, licence_note
from .kit import render as render_kit

BUILD = ROOT / "build" / "handouts"
TEMPLATES = Path(__file__).parent / "templates"
EDITIONS = {
    "learner": "Learner edition: solutions are in the notebook, one click away.",
    "teacher": "Teacher edition: solutions shown.",
}
PAPERS = {"a4": "A4", "letter": "letter"}  # the name a teacher types: the CSS @page size
BROWSERS = ["chromium", "chromium-headless-shell", "google-chrome", "google-chrome-stable", "chrome"]
# Chromium's switches for every headless use in the course (PDFs here, Playwright in the tests):
# no sandbox (root in a container has none), no GPU, and nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
SOLUTION = re.compile(r'\s*<details class="solution">.*?</details>', re.DOTALL)
IFRAME = re.compile(r"<iframe\b.*?</iframe>", re.DOTALL)
PICTURE = re.compile(r"(!\[[^\]]*\]\()([^)\s:]+)\)")  # ![alt](images/x.svg): a file beside the chapter
PREDICTION = re.compile(r"^predict\(", re.MULTILINE)
WRITE_IN = "**Your prediction:** ______________________________________________"


def installed_browser():
    """The path of the first headless-capable Chromium on PATH, or None."""
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def find_browser():
    """The path of a headless-capable Chromium, or a RuntimeError saying what to install."""
    found = installed_browser()
    if found:
        return found
    raise RuntimeError(
        "PDF handouts need a headless Chromium and none was found. Install one, for example "
        "Debian's `apt-get install chromium` (or `chromium-headless-shell`), or Google Chrome."
    )


def execute(path):
    """Run a chapter from a fresh kernel, in its own folder, and return it with its outputs."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def embedded(match):
    """A picture's link with the picture in it (a data: URL), so that the page needs no other file."""
    path = NOTEBOOKS / match[2]
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{match[1]}data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()})"


def edition(nb, name):
    """A copy of an executed chapter for one edition, with live-app frames made static."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = PICTURE.sub(embedded, cell.source)
        if cell.cell_type == "markdown" and "exercise" in cell.metadata:
            if name == "learner":
                cell.source = SOLUTION.sub("", cell.source)
            else:
                cell.source = cell.source.replace('<details class="solution">', '<details class="solution" open>')
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "<iframe" in data.get("text/html", ""):
                note = "<p><em>In the notebook, the running app is shown here.</em></p>"
                data["text/html"] = IFRAME.sub(note, data["text/html"])
    # On paper, a prediction is written by hand: leave a line for it under the cell.
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and PREDICTION.search(cell.source):
            # An id made from the cell's own: the same in both editions and in every build.
            cells.append(nbformat.v4.new_markdown_cell(WRITE_IN, id=f"{cell.get('id', 'cell')}-write-in"[:64]))
    nb.cells = cells
    return nb


@functools.cache
def exporter():
    """The exporter of every handout page, made once: loading its templates costs a fifth of a page."""
    # Pictures are embedded by edition(), not by nbconvert's embed_images: that option reparses each
    # HTML block on its own, which closes a <details> before the solution inside it.
    return HTMLExporter(template_name="handout", extra_template_basedirs=[str(TEMPLATES)])


def to_html(nb, title, note, paper="a4"):
    """Offline HTML of a notebook: styles inline, images embedded, no script from a CDN."""
    resources = {"metadata": {"name": title, "path": str(NOTEBOOKS)}, "edition_note": note, "paper": PAPERS[paper],
                 "licence_note": licence_note()}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body


def to_pdf(html_file, pdf_file, browser):
    """Print an HTML file to PDF with headless Chromium (no LaTeX involved)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_file}", Path(html_file).resolve().as_uri(),
        ]
        subprocess.run(command, check=True, timeout=120, capture_output=True)
    if not Path(pdf_file).exists():
        raise RuntimeError(f"{browser} did not write {pdf_file}")


def _page(title, body, columns=1, paper="a4"):
    """A small standalone HTML page in the handouts' style."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
@page {{ size: {PAPERS[paper]}; }}
body {{ font: 11pt/1.4 sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }}
.columns {{ columns: {columns}; column-gap: 2rem; }}
section {{ break-inside: avoid; }}
h2 {{ font-size: 1.05rem; margin: 0.8rem 0 0.2rem; }}
ul {{ margin: 0.2rem 0; padding-left: 1.2rem; }}
code {{ font-size: 0.9em; }}
a {{ color: #0b4a8b; text-decoration: underline; }}
table {{ border-collapse: collapse; margin: 0.5rem 0; }}
th, td {{ border: 1px solid #ccc; padding: 0.15rem 0.4rem; text-align: left; vertical-align: top; }}
@media print {{ body {{ font-size: 8.5pt; margin: 0; }} }}
</style></head><body><main><h1>{html.escape(title)}</h1><div class="columns">{body}</div>
<p class="handout-licence">{html.escape(licence_note())}</p></main></body></html>
"""


def teachers_page(paper="a4"):
    """The teacher's kit as a handout page, its chapter links pointing at the teacher edition."""
    text = render_kit().split("\n", 1)[1]  # without its title: the page has one
    text = re.sub(r"\]\(\.\./(\d\d-[^)]+)\.ipynb\)", r"](teacher/\1.html)", text)
    return _page("Teacher's kit", markdown2html(text), paper=paper)


def chapter_row(ch, pdf=True):
    """The index's line for a chapter: its title, its time and a link to each of its files."""
    links = []
    for name in EDITIONS:
        links.append(f'<a href="{name}/{ch.path.stem}.html">{name} HTML</a>')
        if pdf:
            links.append(f'<a href="{name}/{ch.path.stem}.pdf">{name} PDF</a>')
    return f"<li>{html.escape(ch.title)} ({ch.minutes} min): {' · '.join(links)}</li>"


def build_chapter(ch, out=BUILD, pdf=True, paper="a4", browser=None):
    """Execute one chapter and write its pages in both editions; return the files written.

    :param ch: the chapter (a ``tools.chapters.Chapter``).
    :param browser: the Chromium that prints the PDFs (found when None and ``pdf`` is true).
    The other parameters are those of :func:`build`.
    """
    browser = browser or (find_browser() if pdf else None)
    executed = execute(ch.path)
    written = []
    for name, note in EDITIONS.items():
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        html_file = folder / f"{ch.path.stem}.html"
        html_file.write_text(to_html(edition(executed, name), ch.title, note, paper))
        written.append(html_file)
        if pdf:
            to_pdf(html_file, html_file.with_suffix(".pdf"), browser)
            written.append(html_file.with_suffix(".pdf"))
    return written


def build_overview(selected, out=BUILD, pdf=True, paper="a4", browser=None):
    """Write the pages about the chosen chapters: the cheat sheet, the teacher's kit and the index.

    :param selected: the chapters the index lists (``tools.chapters.Chapter``), in order.
    The other parameters are those of :func:`build_chapter`. Returns the files written.
    """
    browser = browser or (find_browser() if pdf else None)
    written = []
    sheet = Path(out) / "cheatsheet.html"
    sheet.write_text(cheatsheet.render(paper=PAPERS[paper]))
    written.append(sheet)
    if pdf:
        to_pdf(sheet, sheet.with_suffix(".pdf"), browser)
        written.append(sheet.with_suffix(".pdf"))
    kit = Path(out) / "teachers.html"
    kit.write_text(teachers_page(paper))
    written.append(kit)
    index = Path(out) / "index.html"
    rows = "".join(chapter_row(ch, pdf) for ch in selected)
    extra = ' · <a href="cheatsheet.pdf">PDF</a>' if pdf else ""
    kit_link = '<p><a href="teachers.html">Teacher\'s kit</a>: workshop plans, setting up a room, mistakes and questions</p>'
    sheet_link = f'<p><a href="cheatsheet.html">Cheat sheet</a>{extra}: the calls of the course by task, two pages</p>'
    index.write_text(_page("Flask course handouts", f'<ul>{rows}</ul>{sheet_link}{kit_link}', paper=paper))
    written.append(index)
    return written


def build(numbers=None, out=BUILD, pdf=True, paper="a4"):
    """Write the handouts of the chosen chapters (all by default); return the files written.

    :param numbers: chapter numbers to build, or None for all of them.
    :param out: the folder to write into.
    :param pdf: also print every page to PDF (needs a headless Chromium).
    :param paper: "a4" or "letter", the paper size of every PDF.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    selected = [ch for ch in chapters() if numbers is None or ch.number in numbers]
    browser = find_browser() if pdf else None
    written = []
    for ch in selected:
        written += build_chapter(ch, out, pdf, paper, browser)
    return written + build_overview(selected, out, pdf, paper, browser)


def main(argv=None):
    """Build the handouts of the chapters named by number, or of all of them."""
    parser = argparse.ArgumentParser(prog="python -m tools.handouts", description=__doc__.splitlines()[0])
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size of every PDF (default: a4)")
    parser.add_argument("chapters", nargs="*", type=int, help="chapter numbers (default: all)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        written = build(set(args.chapters) or None, paper=args.paper)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
