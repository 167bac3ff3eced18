"""How the course teaches: predictions before surprises, a marked core path, times from one model."""

import re

import nbformat
import pytest

from helpers.exercises import chapter_exercises
from tools.chapters import chapters
from tools.handouts import WRITE_IN, edition, to_html
from tools.times import CALIBRATION, DEEPER, chapter_times, calibration_total

CHAPTERS = chapters()
PREDICT = re.compile(r'^predict\("(\d+\.[a-z])", ', re.MULTILINE)
REVEAL = re.compile(r'^\s*reveal\("(\d+\.[a-z])", ', re.MULTILINE)


def notebook(ch):
    return nbformat.read(ch.path, as_version=4)


def code(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_a_chapter_asks_for_two_predictions_and_reveals_each(ch):
    sources = code(notebook(ch))
    predicted = [id for source in sources for id in PREDICT.findall(source)]
    revealed = [id for source in sources for id in REVEAL.findall(source)]
    assert len(predicted) >= 2, "at least two predictions per chapter"
    assert len(set(predicted)) == len(predicted) and sorted(predicted) == sorted(revealed)
    assert all(id.startswith(f"{ch.number}.") for id in predicted)
    for id in predicted:  # the reveal comes after its prediction, in a later cell
        where = {kind: next(n for n, s in enumerate(sources) if re.search(rf'^\s*{kind}\("{re.escape(id)}"', s, re.M))
                 for kind in ("predict", "reveal")}
        assert where["predict"] < where["reveal"], id


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_an_empty_prediction_is_the_stored_form(ch):
    for source in code(notebook(ch)):
        for line in source.splitlines():
            if line.startswith("predict("):
                assert line.endswith(", ...)") or ", ...)  #" in line, "ship predictions empty: predict(id, ...)"


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_optional_sections_use_one_heading_form(ch):
    for cell in notebook(ch).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#") and re.search(r"deeper|optional", line, re.IGNORECASE):
                    assert DEEPER.match(line), f"write optional sections as '## Going deeper: ...', not {line!r}"


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_stated_times_come_from_the_model(ch):
    kinds = {ex.id: ex.kind for ex in chapter_exercises(ch.number)}
    assert (ch.minutes, ch.full_minutes) == chapter_times(notebook(ch), kinds)
    assert 5 <= ch.minutes <= ch.full_minutes <= 240


def test_the_model_reproduces_the_calibration_timings():
    model, taken = calibration_total()
    assert len(CALIBRATION) == 13 and abs(model - taken) / taken < 0.02, (model, taken)


def test_a_printed_prediction_leaves_a_line_to_write_on():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('predict("2.a", ...)'),
                                         nbformat.v4.new_code_cell("x = 1")])
    printed = edition(nb, "learner")
    assert [cell.source for cell in printed.cells] == ['predict("2.a", ...)', WRITE_IN, "x = 1"]



def test_a_handout_shows_code_as_text_never_as_markup():
    """The handout template skips nbconvert's clean_html on code cells, so Pygments alone must escape them."""
    source = 'page = "<script>alert(1)</script>"  # <b>not bold</b> & <img src=x onerror=alert(2)>'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    page = to_html(nb, "Escaping", "a test page")
    assert "<script>alert" not in page and "<b>not" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;not bold&lt;/b&gt;" in page
