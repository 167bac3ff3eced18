"""The teacher's kit: current, plans within budget and true to the chapters, notes for every
chapter, and an offline install that works with the network shut out."""

import os
import re
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import chapter_exercises
from tests import offline
from tests.copies import FANCY
from tools.chapters import ROOT, Chapter, chapters
from tools.kit import (FORMATS, FULL_DAY_BREAKS, KIT, ONE_DAY_TRACK_FORMAT, Format, Stop, place_breaks, plan, render,
                       stop_minutes, stretches, teaching_notes, track_plan)

CHAPTERS = chapters()
LINK = re.compile(r"\]\(([^)\s]+)\)")
ROW = re.compile(r"^\| (\d+):(\d\d)–(\d+):(\d\d) \| (.+?) \| (\d+) \| (.*) \|$")


def made_up(*minutes):
    """Chapters numbered from 0 with the given times, for testing the rule."""
    return [Chapter(Path(f"{n:02d}-x.ipynb"), n, f"{n}. X", m) for n, m in enumerate(minutes)]


def test_kit_is_current():
    assert KIT.read_text() == render(), "run `make sync`: notebooks/teachers/README.md is stale"


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.title)
def test_every_plan_fits_its_budget(fmt):
    p = plan(fmt, CHAPTERS)
    taught = [slot.chapter for day in p.days for slot in day if slot.chapter]
    assert taught[0].number == 0, "chapter 0 comes first"
    assert taught + p.left_out == CHAPTERS, "chapters in order, none skipped"
    assert len(p.days) == fmt.days
    for day in p.days:
        assert p.taught(day) <= fmt.budget
        assert day[0].start == 0 and day[-1].end == fmt.day_minutes
        assert all(a.end == b.start for a, b in zip(day, day[1:])), "each slot starts when the last ends"
    # A day ends early only because the next chapter did not fit.
    firsts = [next((s.chapter for s in day if s.chapter), None) for day in p.days[1:]] + p.left_out[:1]
    for day, following in zip(p.days, firsts):
        if following:
            assert p.taught(day) + following.minutes > fmt.budget


def test_generated_timings_match_the_chapters_estimates():
    minutes = {ch.name: ch.minutes for ch in CHAPTERS}
    exercises = {ch.name: "; ".join(f"{ex.id} {ex.title}" for ex in chapter_exercises(ch.number)) for ch in CHAPTERS}
    seen, previous_end = set(), 0
    plans = KIT.read_text().split("<!-- plans:start -->")[1].split("<!-- plans:end -->")[0]
    for line in plans.splitlines():
        row = ROW.match(line)
        if not row:
            continue
        start, end = int(row[1]) * 60 + int(row[2]), int(row[3]) * 60 + int(row[4])
        assert start in (0, previous_end), f"a gap or an overlap before {line}"
        assert end - start == int(row[6]), line
        previous_end = end
        name = re.search(r"\(\.\./(\d\d-[^)]+\.ipynb)\)", row[5])
        if name:
            assert end - start == minutes[name[1]], f"{name[1]} states {minutes[name[1]]} min: {line}"
            assert row[7] == exercises[name[1]], line
            seen.add(name[1])
    assert CHAPTERS[0].name in seen and len(seen) >= 3


def test_a_chapter_that_does_not_fit_ends_the_day_and_is_not_skipped():
    half, two_days = FORMATS[0], FORMATS[2]
    p = plan(half, made_up(20, 170, 10))
    assert [ch.number for ch in p.left_out] == [1, 2], "chapter 2 would fit, but it comes after 1"
    p = plan(two_days, made_up(20, 300, 300, 100))
    assert [[s.chapter.number for s in day if s.chapter] for day in p.days] == [[0, 1], [2]]
    assert [ch.number for ch in p.left_out] == [3]


def test_breaks_make_the_longest_stretch_as_short_as_it_can_be():
    day = [20, 45, 80, 75, 75, 60]
    cuts = place_breaks(day, FULL_DAY_BREAKS, opening=15)
    assert [label for _, (label, _) in sorted(cuts.items())] == ["Break", "Lunch", "Break"]
    assert max(stretches(day, sorted(cuts), 15)) == 135  # 75 + 60 must go together: 6 chapters, 4 stretches
    assert sorted(cuts) == [2, 3, 4], "on a tie, the more even day: no break 35 minutes in"
    assert place_breaks([90, 90], FULL_DAY_BREAKS) == {1: ("Lunch", 60)}, "one gap: lunch"
    assert place_breaks([200], FULL_DAY_BREAKS) == {}


def test_a_day_without_room_for_breaks_ends_in_spare_time():
    fmt = Format("Test", 1, 480, 15, FULL_DAY_BREAKS)
    [day] = plan(fmt, made_up(100)).days
    assert [slot.label for slot in day] == [day[0].label, "0. X", day[-1].label]
    assert day[-1].start == 115 and day[-1].end == 480


@pytest.fixture(scope="module")
def notes():
    """The notes as written in the kit (a note in the wrong form fails here, quoted)."""
    return teaching_notes()


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_every_chapter_has_teaching_notes(ch, notes):
    assert ch.number in notes, f"run `make sync`: notebooks/teachers/README.md has no part for chapter {ch.number}"
    mine = notes[ch.number]
    where = f"chapter {ch.number} in notebooks/teachers/README.md"
    assert len(mine["mistakes"]) >= 2, f"{where}: write at least two common mistakes"
    assert 2 <= len(mine["questions"]) <= 3, f"{where}: write two or three questions for the room"
    assert all(len(entry) == 3 and all(entry) for entry in mine["mistakes"])
    assert all(len(entry) == 2 and all(entry) for entry in mine["questions"])


def test_notes_belong_to_chapters_that_exist(notes):
    assert sorted(notes) == [ch.number for ch in CHAPTERS]


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.name)
def test_notes_name_real_exercises_and_headings_and_cover_every_exercise(ch, notes):
    if ch.number not in notes:
        pytest.skip("no notes yet: test_every_chapter_has_teaching_notes says so")
    nb = nbformat.read(ch.path, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("##")}
    ids = {ex.id for ex in chapter_exercises(ch.number)}
    wheres = {where for where, _, _ in notes[ch.number]["mistakes"]}
    assert wheres <= ids | headings, f"not an exercise or heading of {ch.name}: {wheres - ids - headings}"
    assert ids <= wheres, f"exercises with no mistake noted in notebooks/teachers/README.md: {sorted(ids - wheres)}"


SAMPLE = """## Chapter by chapter

<!-- chapter-01:start -->
<!-- chapter-01:end -->

**Common mistakes**

- **Exercise 1.1**: Writes the rule as `/about/`. *Answer:* The check
  says so.
- **“WSGI in one picture”**: Calls Gunicorn a framework. *Answer:* It is a server.

**Questions for the room**

1. What does a WSGI server call? *Listen for:* The app,
   once per request.
2. Why bytes? *Listen for:* Sockets carry bytes.

<!-- chapter-02:start -->
<!-- chapter-02:end -->

*No notes yet.*

## Something after the notes

- **Exercise 9.9**: not a note. *Answer:* outside every chapter's part.
"""


def test_notes_are_read_from_the_markdown_with_wrapped_lines():
    assert teaching_notes(SAMPLE) == {
        1: {
            "mistakes": [("1.1", "Writes the rule as `/about/`.", "The check says so."),
                         ("WSGI in one picture", "Calls Gunicorn a framework.", "It is a server.")],
            "questions": [("What does a WSGI server call?", "The app, once per request."),
                          ("Why bytes?", "Sockets carry bytes.")],
        },
        2: {"mistakes": [], "questions": []},
    }


GOOD_MISTAKE = "- **Exercise 1.1**: Writes `/about/`. *Answer:* The check says so."
GOOD_QUESTION = "1. What does a WSGI server call? *Listen for:* The app."


@pytest.mark.parametrize(("mistake", "question"), [
    pytest.param("- **Exercise 1.1**: Writes `/about/`. The check says so.", GOOD_QUESTION, id="no-answer"),
    pytest.param("- Exercise 1.1: Writes `/about/`. *Answer:* The check says so.", GOOD_QUESTION, id="where-not-bold"),
    pytest.param(GOOD_MISTAKE, "1. What does a WSGI server call? The app.", id="no-listen-for"),
])
def test_a_note_in_the_wrong_form_is_a_clear_error(mistake, question):
    text = ("<!-- chapter-01:start -->\n<!-- chapter-01:end -->\n\n**Common mistakes**\n\n"
            f"{mistake}\n\n**Questions for the room**\n\n{question}\n")
    assert teaching_notes(text.replace(mistake, GOOD_MISTAKE).replace(question, GOOD_QUESTION))
    bad = mistake if mistake != GOOD_MISTAKE else question
    with pytest.raises(ValueError, match=r"chapter 1: write .* not: " + re.escape(bad)):
        teaching_notes(text)


def test_sync_fills_only_the_markers_and_adds_a_part_for_a_new_chapter():
    text = "# Kit\n\nHand-written.\n\n<!-- plans:start -->\nold\n<!-- plans:end -->\n\n" \
           "<!-- launch-links:start -->\n<!-- launch-links:end -->\n\n## Chapter by chapter\n\n" \
           "<!-- chapter-01:start -->\nold heading\n<!-- chapter-01:end -->\n\nNotes on one.\n"
    chs = CHAPTERS[:3]
    done = render(chs, text)
    assert done.startswith("# Kit\n\nHand-written.\n") and "\nold" not in done
    assert done.index("Notes on one.") < done.index("<!-- chapter-02:start -->"), "the new part comes in order"
    assert done.index("<!-- chapter-00:start -->") < done.index("<!-- chapter-01:start -->")
    for ch in chs:
        assert f"### [{ch.title}](../{ch.name}) · {ch.minutes} min" in done
    assert teaching_notes(done) == {n: {"mistakes": [], "questions": []} for n in (0, 1, 2)}
    assert render(chs, done) == done, "a second sync changes nothing"


def test_every_link_in_the_kit_resolves():
    targets = [t for t in LINK.findall(KIT.read_text()) if not t.startswith("https://")]
    assert len(targets) > len(CHAPTERS)
    for target in targets:
        assert (KIT.parent / target.partition("#")[0]).exists(), target


def test_readme_links_the_kit():
    assert "(notebooks/teachers/README.md)" in (ROOT / "README.md").read_text()


UNREACHABLE = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
               "from versions: none", "ProxyError", "ConnectTimeout")


@pytest.mark.network  # make wheelhouse downloads every pinned wheel
@pytest.mark.notebook
@pytest.mark.slow
@offline.GROUP
def test_offline_install_from_the_wheelhouse(wheelhouse, offline_course):
    """`make wheelhouse`, then the kit's offline steps, run as written, with every network route closed.

    `make wheelhouse` runs once per test run (tests/wheels.py: the Binder replica and the course in a
    folder with a space install from its wheels too), in a copy of the course in a folder with a
    space and a non-ASCII letter. The offline steps run once per test run too, in such a folder
    (tests/offline.py, which the test of make test in such a folder then builds on): unpacking the
    archive, a virtual environment, the pins from the wheelhouse and the course's own packages,
    then chapter 0 under nbval with nothing else installed.
    """
    build = wheelhouse  # make wheelhouse, as it ran
    if build.returncode and any(sign in build.stderr for sign in UNREACHABLE) and os.environ.get("CI") != "true":
        pytest.skip("make wheelhouse could not reach the package index, which `pip download` needs")
    assert build.returncode == 0, build.failure()
    wheels = {path.name.lower() for path in build.path("wheels").iterdir()}
    assert all(name.endswith(".whl") for name in wheels), "wheels only: nothing to build offline"
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line]
    for prefix in ["setuptools-", "wheel-", *(pin.replace("-", "_").replace("==", "-") + "-" for pin in pins)]:
        assert any(wheel.startswith(prefix) for wheel in wheels), prefix

    installed = offline_course  # the kit's steps, as they ran in .../My Courses/flåsk
    steps = installed.steps
    assert steps[0] == f"tar xzf {build.path('archive').name}" and steps[-1].startswith(".venv/bin/jupyter lab")
    assert not installed.failed, installed.failed
    assert FANCY.as_posix() in installed.course.as_posix(), "the course is unpacked where a teacher's path has a space"
    assert installed.helpers.returncode == 0, installed.helpers.stderr[-3000:]
    assert installed.helpers.stdout.startswith(str(installed.course)), "helpers comes from the unpacked course"
    chapter = installed.chapter
    assert chapter.returncode == 0, chapter.stdout[-3000:] + chapter.stderr[-2000:]


def test_the_one_day_track_reaches_forms_and_a_database_within_the_day():
    p = track_plan(CHAPTERS)
    [day] = p.days
    taught = [slot.chapter.number for slot in day if slot.chapter]
    assert {5, 7} <= set(taught), "the track reaches a form (chapter 5) and a database (chapter 7)"
    assert taught == sorted(taught), "a track keeps the chapters in order"
    assert p.taught(day) <= ONE_DAY_TRACK_FORMAT.budget
    assert "<!-- one-day-track:start -->" in KIT.read_text()


def test_a_whole_chapter_as_a_stop_takes_its_stated_core_time():
    for ch in CHAPTERS:
        nb = nbformat.read(ch.path, as_version=4)
        core = [cell.source.splitlines()[0][3:] for cell in nb.cells if cell.cell_type == "markdown"
                and cell.source.startswith("## ") and not cell.source.startswith("## Going deeper:")]
        every = tuple(ex.id for ex in chapter_exercises(ch.number))
        assert stop_minutes(Stop(ch.number, tuple(core), every), ch) == ch.minutes, ch.name


@pytest.mark.parametrize(("stop", "message"), [
    (Stop(2, ("No such section",)), "no section No such section"),
    (Stop(2, ("Key points",), ("2.9",)), "no exercise 2.9"),
    (Stop(2, ("Key points",), ("2.1",)), "no exercise in those sections 2.1"),
    (Stop(2, ("Going deeper: when two rules or two views collide",)), "core path"),
])
def test_a_stop_that_names_what_is_not_there_is_refused(stop, message):
    with pytest.raises(ValueError, match=message):
        stop_minutes(stop, CHAPTERS[stop.number])


def test_a_track_longer_than_the_day_is_refused():
    everything = tuple(Stop(ch.number, ("Key points",)) for ch in CHAPTERS) * 10
    with pytest.raises(ValueError, match="the day has 375"):
        track_plan(CHAPTERS, everything)
