"""The teacher's kit: workshop plans, a room's set-up checklist, and notes for each chapter.

``make sync`` writes it to ``notebooks/teachers/README.md`` from the chapters' own time
estimates, the exercise bank and ``tools/teaching.py``; a test fails when it is stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from helpers.exercises import chapter_exercises
from helpers.installed import known_to_work

from .chapters import NOTEBOOKS, Chapter, binder_url, chapters
from .kit_hub import render_hub
from .teaching import NOTES

KIT = NOTEBOOKS / "teachers" / "README.md"
FULL_DAY_BREAKS = (("Break", 15), ("Lunch", 60), ("Break", 15))


@dataclass(frozen=True)
class Format:
    """A workshop: days of a fixed length, each opening with a welcome and paused by breaks."""

    title: str
    days: int
    day_minutes: int
    opening: int
    breaks: tuple[tuple[str, int], ...]

    @property
    def budget(self):
        """Teaching minutes in one day: what the opening and the breaks leave."""
        return self.day_minutes - self.opening - sum(minutes for _, minutes in self.breaks)


FORMATS = (
    Format("Half day", 1, 210, 15, (("Break", 15),)),
    Format("One day", 1, 480, 15, FULL_DAY_BREAKS),
    Format("Two days", 2, 480, 15, FULL_DAY_BREAKS),
)


@dataclass(frozen=True)
class Slot:
    """One row of a day's schedule, in minutes from the day's start."""

    start: int
    minutes: int
    label: str
    chapter: Chapter | None = None

    @property
    def end(self):
        """Minutes from the day's start when this slot is over."""
        return self.start + self.minutes


@dataclass(frozen=True)
class Plan:
    """A format filled with chapters: a schedule per day, and the chapters left for self-study."""

    format: Format
    days: list[list[Slot]]
    left_out: list[Chapter]

    def taught(self, day):
        """Minutes of chapters in one day's schedule."""
        return sum(slot.minutes for slot in day if slot.chapter)


def stretches(minutes, cuts, opening=0):
    """Minutes sat without a break when breaks fall after the chapters at positions ``cuts``."""
    edges = [0, *cuts, len(minutes)]
    runs = [sum(minutes[a:b]) for a, b in zip(edges, edges[1:])]
    return [runs[0] + opening, *runs[1:]]


def place_breaks(minutes, breaks, opening=0):
    """Where breaks go: between chapters, making the longest stretch without one as short as it can be."""
    count = min(len(breaks), len(minutes) - 1)
    # A short day has fewer gaps than breaks: keep the longest (lunch), in their order.
    kept = sorted(sorted(range(len(breaks)), key=lambda i: -breaks[i][1])[:count])

    def unevenness(cuts):
        # Ties on the longest stretch go to the most even day (the smallest sum of squares).
        runs = stretches(minutes, cuts, opening)
        return max(runs), sum(run * run for run in runs)

    cuts = min(combinations(range(1, len(minutes)), count), key=unevenness)
    return dict(zip(cuts, (breaks[i] for i in kept)))


def plan(fmt, all_chapters):
    """Fill ``fmt`` with chapters in order, chapter 0 first, each day until the next one does not fit."""
    queue, days = list(all_chapters), []
    for number in range(fmt.days):
        day = []
        while queue and sum(ch.minutes for ch in day) + queue[0].minutes <= fmt.budget:
            day.append(queue.pop(0))
        opening = "Welcome and set-up: everyone opens chapter 0" if number == 0 else "Welcome back: questions"
        slots, now = [Slot(0, fmt.opening, opening)], fmt.opening
        breaks = place_breaks([ch.minutes for ch in day], fmt.breaks, fmt.opening) if day else {}
        for index, ch in enumerate(day, start=1):
            slots.append(Slot(now, ch.minutes, ch.title, ch))
            now += ch.minutes
            if index in breaks:
                label, minutes = breaks[index]
                slots.append(Slot(now, minutes, label))
                now += minutes
        if now < fmt.day_minutes:
            slots.append(Slot(now, fmt.day_minutes - now, "Spare: questions, catching up, feedback"))
        days.append(slots)
    return Plan(fmt, days, queue)


def clock(minutes):
    """Minutes from the start as a clock-style offset, such as ``1:05``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(minutes):
    """Minutes as hours and minutes, such as ``3 h 30 min``."""
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if part)


def length(fmt):
    """How long a format lasts on the clock, such as ``2 × 8 h``."""
    return duration(fmt.day_minutes) if fmt.days == 1 else f"{fmt.days} × {duration(fmt.day_minutes)}"


def link(ch):
    """A link from the kit's folder to a chapter notebook."""
    return f"[{ch.title}](../{ch.name})"


def exercise_list(ch):
    """The chapter's exercises as ``id title`` pairs on one line."""
    return "; ".join(f"{ex.id} {ex.title}" for ex in chapter_exercises(ch.number))


def chapter_span(chs):
    """``0–2`` for a run of chapters, or a dash for none."""
    return f"{chs[0].number}–{chs[-1].number}" if chs else "–"


def render_plans(all_chapters):
    """The plans section: the rule, a summary, and a schedule per format."""
    plans = [plan(fmt, all_chapters) for fmt in FORMATS]
    half, full = FORMATS[0], FORMATS[1]
    lines = [
        "## Workshop plans",
        "",
        "Generated from each chapter's `**Time:** about NN minutes` and the exercise bank, so they stay",
        "true when a chapter changes. The rule (`tools/kit.py`):",
        "",
        f"- A day opens with {full.opening} minutes of welcome and set-up (on a second day: questions). A",
        f"  half day lasts {duration(half.day_minutes)} with one {half.breaks[0][1]}-minute break;"
        f" a full day {duration(full.day_minutes)}",
        "  with " + ", ".join(f"{m} min {label.lower()}" for label, m in full.breaks) + ".",
        f"  What is left is the teaching budget: {half.budget} minutes for a half day, {full.budget} for a full day.",
        "- Chapters go in order, chapter 0 first, each for the time it states (exercises included),",
        "  until the next chapter would not fit into the day. A later chapter is never pulled forward:",
        "  each builds on the ones before it.",
        "- Breaks fall between chapters, never inside one, where they make the longest stretch without a",
        "  break as short as it can be (on a tie, where they make the day most even). A break mid-chapter",
        "  would leave servers and half-done exercises behind, and Binder ends a session after 10 idle minutes.",
        "- What is left of the day is spare time at the end; chapters that do not fit are listed for",
        "  self-study.",
        "",
        "Times are offsets from the start (`1:05` is an hour and five minutes in): add your start time.",
        "",
        "| Plan | On the clock | Teaching | Chapters | Exercises |",
        "|---|---|---|---|---|",
    ]
    for p in plans:
        taught = [slot.chapter for day in p.days for slot in day if slot.chapter]
        budget = p.format.budget * p.format.days
        exercises = sum(len(chapter_exercises(ch.number)) for ch in taught)
        lines.append(
            f"| {p.format.title} | {length(p.format)} | "
            f"{sum(ch.minutes for ch in taught)} of {budget} min | {chapter_span(taught)} | {exercises} |"
        )
    for p in plans:
        lines += ["", f"### {p.format.title}"]
        for number, day in enumerate(p.days, start=1):
            if len(p.days) > 1:
                lines += ["", f"#### Day {number}"]
            lines += ["", "| Time | What | Minutes | Exercises |", "|---|---|---|---|"]
            for slot in day:
                what = link(slot.chapter) if slot.chapter else f"*{slot.label}*"
                exercises = exercise_list(slot.chapter) if slot.chapter else ""
                lines.append(f"| {clock(slot.start)}–{clock(slot.end)} | {what} | {slot.minutes} | {exercises} |")
            lines += ["", f"Teaching {p.taught(day)} of {p.format.budget} minutes."]
        if p.left_out:
            rest = ", ".join(f"{link(ch)} ({ch.minutes} min)" for ch in p.left_out)
            lines += ["", f"Not in this plan, for self-study afterwards: {rest}."]
    return lines


def render_setup(all_chapters):
    """The checklist for a room: Binder, a local install, and the offline fallback."""
    lines = [
        "## Setting up a room",
        "",
        "### Binder: nothing to install",
        "",
        "- **The day before**, open the launch link of chapter 0 below once and wait until JupyterLab",
        "  opens. The first launch after a change builds the image, which takes minutes; later launches",
        "  reuse it. mybinder.org sends each launch to one of several sites, and a site without the image",
        "  builds it first: launch a few times, and once more an hour before you start.",
        "- **Do not push** to the branch the links name between that launch and the workshop: a new",
        "  commit means a new build. To freeze the course, tag it, set `branch` under `[tool.course]` in",
        "  `pyproject.toml` to the tag and run `make sync`; every link below follows.",
        "- A session gets 1 to 2 GB of memory and ends after **10 minutes without activity** (an open",
        "  JupyterLab tab in the foreground counts as activity). Ask learners to keep the tab open during",
        "  breaks, and to download notebooks they edited (*File → Download*) before lunch: an ended",
        "  session loses its files.",
        "- At most 100 people can use one repository on mybinder.org at once; for a larger room, ask the",
        "  Binder team for more ahead of time (see their usage guidelines).",
        "- **Binder slow or down?** Look at its [status page](https://mybinder.readthedocs.io/en/latest/about/status.html).",
        "  If launches have not started after ten minutes, stop waiting: move the room to a local install",
        "  or the offline copy below, pair learners on the laptops that have one, and hand out the",
        "  printed chapters (`make handouts`) so that nobody sits idle.",
        "",
        "| Chapter | Open on Binder |",
        "|---|---|",
    ]
    lines += [f"| {link(ch)} | [launch]({binder_url(ch.name)}) |" for ch in all_chapters]
    lines += [
        "",
        "### A local install",
        "",
        "Each machine needs Python 3.11 or newer with its `venv` module (on Debian and Ubuntu the",
        "`python3-venv` package), `make`, a current browser, and about 1 GB of free disk. Measured on",
        "Linux with Python 3.11: `.venv` takes 267 MB after `make lab` and 435 MB after `make test`",
        "(which adds Playwright); pip's download cache comes on top. On Windows, take the README's",
        "conda route. In the course folder:",
        "",
        "```bash",
        "make lab     # installs what is missing, then opens JupyterLab on the course",
        "make test    # installs what is missing, then runs every test, every notebook included",
        "```",
        "",
        "Ask learners to run `make lab` **before** the day: it downloads about 50 MB, and a room",
        "full of first installs shares one network. Check that chapter 0 runs to the end. The course's",
        "servers listen on 127.0.0.1 only, so no firewall needs opening.",
        "",
        f"**Which Flask.** {known_to_work()} `make lab` installs the pinned versions; a learner who",
        "installed Flask some other way sees in chapter 0's table which versions they have. Where 3.1",
        "and 3.2 differ (the default code of `redirect`, reason phrases, duplicate rules, contexts), the",
        "chapters say so in a sentence and show the version in use.",
        "",
        "### Offline: no internet in the room",
        "",
        "On a machine with internet and the same operating system and processor as the room's",
        "machines (Linux on x86-64, say), in the course folder:",
        "",
        "```bash",
        "make wheelhouse",
        "```",
        "",
        "It downloads the wheel of every pinned library, plus `setuptools` and `wheel` for installing",
        "the helpers without the network, into `build/wheelhouse/` (114 files, 51 MB measured), and",
        "writes `build/flask-course-offline.tar.gz` (51 MB): the last commit of the course with that",
        "wheelhouse inside. The wheels suit every release of the Python X.Y that `.venv` runs (one made",
        "with 3.11.7 installs on Debian's 3.11.2); for another, `make wheelhouse WHEEL_PYTHON=3.12`. For",
        "other machines add pip's `--platform`, for example",
        "`make wheelhouse WHEEL_FLAGS=\"--platform macosx_11_0_arm64\"` for a Mac with Apple silicon.",
        "",
        "Copy the archive onto a USB stick or a local share. On each machine, with no network at all:",
        "",
        "```bash",
        "tar xzf flask-course-offline.tar.gz",
        "cd flask-course",
        "python3 -m venv .venv",
        ".venv/bin/pip install --no-index --find-links build/wheelhouse -r requirements.txt \"setuptools>=69\" wheel",
        ".venv/bin/pip install --no-index --no-deps --no-build-isolation -e .",
        ".venv/bin/jupyter lab notebooks/00-start-here.ipynb",
        "```",
        "",
        "`--no-index` keeps pip off the network. The second install builds the helpers with the",
        "`setuptools` and `wheel` of the first: without them it fails offline, because Python 3.12",
        "and later make a virtual environment without setuptools, and 3.11's setuptools 65 cannot",
        "build a wheel alone (`invalid command 'bdist_wheel'`). Measured on Linux: the three commands",
        "take 35 to 60 seconds, and chapter 0 then passes. `tests/test_teachers.py` repeats them, as",
        "written and with the network shut out, on every `make test`.",
    ]
    return lines


def render_notes(all_chapters):
    """Mistakes and questions for each chapter, from tools/teaching.py."""
    lines = [
        "## Chapter by chapter",
        "",
        "For each chapter: its exercises, the mistakes learners make and what answers them (for an",
        "exercise, the words of its check or hints), and questions to ask the room with what to listen",
        "for. Edit them in `tools/teaching.py`.",
    ]
    for ch in all_chapters:
        lines += ["", f"### {link(ch)} · {ch.minutes} min", "", f"Exercises: {exercise_list(ch) or 'none'}."]
        notes = NOTES.get(ch.number)
        if notes is None:
            lines += ["", "*No notes yet: add this chapter to `tools/teaching.py`.*"]
            continue
        lines += ["", "**Common mistakes**", ""]
        for where, mistake, answer in notes["mistakes"]:
            place = f"Exercise {where}" if re.fullmatch(r"\d+\.\d+", where) else f"“{where}”"
            lines.append(f"- **{place}**: {mistake} *Answer:* {answer}")
        lines += ["", "**Questions for the room**", ""]
        for number, (question, listen_for) in enumerate(notes["questions"], start=1):
            lines.append(f"{number}. {question} *Listen for:* {listen_for}")
    return lines


def render(all_chapters=None):
    """The whole kit as Markdown."""
    all_chapters = chapters() if all_chapters is None else all_chapters
    untimed = [ch.name for ch in all_chapters if not ch.minutes]
    if untimed:  # the plans are built from the times: say which chapter lacks one
        raise ValueError(f"no '**Time:** about NN minutes' line in {', '.join(untimed)}")
    lines = [
        "# Teacher's kit",
        "",
        "<!-- Generated by `make sync` from tools/kit.py, tools/teaching.py, the chapters and the",
        "exercise bank. Edit those, not this file. -->",
        "",
        "Plans for a half day, one day and two days; how to set up a room (Binder, a local install,",
        "or no internet at all); and for each chapter the common mistakes and questions for the room.",
        "Printable chapters, with a teacher edition that shows the solutions: `make handouts`.",
        "",
        *render_plans(all_chapters),
        "",
        *render_setup(all_chapters),
        "",
        *render_hub(),
        "",
        *render_notes(all_chapters),
    ]
    return "\n".join(lines) + "\n"
