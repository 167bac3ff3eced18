"""Every chapter notebook has the course's shape, and every generated part is current."""

import re
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from tools.chapters import NOTEBOOKS, README, ROOT, chapters
from tools.sync import sync
from helpers.exercises import chapter_exercises

CHAPTERS = chapters()
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def notebook(ch):
    return nbformat.read(ch.path, as_version=4)


def markdown(nb):
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_chapters_are_numbered_from_zero_without_gaps():
    assert [ch.number for ch in CHAPTERS] == list(range(len(CHAPTERS)))
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_stored_without_outputs_and_with_the_python3_kernel(ch):
    nb = notebook(ch)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_opens_with_title_time_objectives_and_assumptions(ch):
    nb = notebook(ch)
    opening = nb.cells[1]
    assert opening.cell_type == "markdown"
    assert opening.source.startswith(f"# {ch.number}. "), "the first heading is '# N. Title'"
    assert ch.title == opening.source.splitlines()[0][2:]
    assert ch.minutes and 5 <= ch.minutes <= 240
    assert "**You will be able to**" in opening.source
    assert "**Assumes:**" in opening.source


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_closes_with_key_points_and_navigation(ch):
    nb = notebook(ch)
    assert nb.cells[-2].source.startswith("## Key points")
    assert "\n- " in nb.cells[-2].source
    for cell in (nb.cells[0], nb.cells[-1]):
        assert "nav" in cell.metadata.get("tags", [])
        assert "[Contents](00-start-here.ipynb#Contents)" in cell.source
    index = CHAPTERS.index(ch)
    if index + 1 < len(CHAPTERS):
        assert f"({CHAPTERS[index + 1].name})" in nb.cells[-1].source, "ends with a link to the next chapter"


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_exercise_cells_match_the_exercise_bank(ch):
    nb = notebook(ch)
    found = [(c.metadata["exercise"]["id"], c.metadata["exercise"]["part"]) for c in nb.cells if "exercise" in c.metadata]
    expected = [(ex.id, part) for ex in chapter_exercises(ch.number) for part in ("task", "starter", "check")]
    assert found == expected


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_apps_are_served_by_the_helpers_never_by_app_run_or_in_debug_mode(ch):
    code = "\n".join(c.source for c in notebook(ch).cells if c.cell_type == "code")
    # app.run() or app.run(host=..., port=..., debug=...): a blocking server in the kernel
    assert not re.search(r"\b\w+\.run\((\s*\)|[^)]*\b(host|port|debug)=)", code)
    assert "debug=True" not in code
    assert "0.0.0.0" not in code


def test_generated_parts_are_current():
    stale = sync(write=False)
    assert stale == [], f"run `make sync`: stale {[str(p.relative_to(ROOT)) for p in stale]}"


def local_links(text, base):
    """Relative link targets in Markdown ``text``, resolved against the folder ``base``."""
    for target in LINK.findall(text):
        if urlsplit(target).scheme:
            continue
        path, _, anchor = target.partition("#")
        yield target, (base / unquote(path)) if path else None, anchor


def headings(path):
    """The anchors JupyterLab gives a notebook's headings (spaces become dashes)."""
    nb = nbformat.read(path, as_version=4)
    return {line.lstrip("#").strip().replace(" ", "-") for line in markdown(nb).splitlines() if line.startswith("#")}


def test_every_relative_link_resolves():
    sources = [(README.read_text(), ROOT)] + [(markdown(notebook(ch)), NOTEBOOKS) for ch in CHAPTERS]
    checked = 0
    for text, base in sources:
        for target, path, anchor in local_links(text, base):
            assert path is None or path.exists(), f"broken link {target}"
            if anchor and path is not None and path.suffix == ".ipynb":
                assert anchor in headings(path), f"no heading for {target}"
            checked += 1
    assert checked > 10


def test_binder_links_have_the_lab_form_and_open_a_real_chapter():
    names = {ch.name for ch in CHAPTERS}
    links = re.findall(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", README.read_text())
    assert len(links) == len(CHAPTERS) + 1  # one per chapter and the badge
    for link in links:
        match = re.fullmatch(r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/[\w.-]+\?urlpath=lab/tree/notebooks/(.+\.ipynb)", link)
        assert match and match[1] in names, link
