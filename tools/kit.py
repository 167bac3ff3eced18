"""The teacher's kit: the parts of ``notebooks/teachers/README.md`` that are computed.

People edit ``notebooks/teachers/README.md`` directly: its set-up checklist and each chapter's
mistakes and questions are plain Markdown. ``make sync`` rewrites only what stands between a
``<!-- name:start -->`` and a ``<!-- name:end -->`` marker: the workshop plans (from the
chapters' stated times and the exercise bank), the Binder launch links, and each chapter's
heading and exercise list. :func:`teaching_notes` reads the notes back, so that a test can
tell when a chapter or an exercise has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations

import nbformat

from helpers.exercises import chapter_exercises
from helpers.installed import known_to_work

from .chapters import NOTEBOOKS, Chapter, binder_url, chapters, replace_between
from .measure import load as load_measured
from .measure import render as render_measured
from .measure import render_wheelhouse
from .kit_hub import render_hub
from .times import effort, rounded

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
    """The plans' figures: a summary with each format's day and budget, and a schedule per format."""
    plans = [plan(fmt, all_chapters) for fmt in FORMATS]
    lines = [
        "| Plan | On the clock | Opening and breaks | Teaching | Chapters | Exercises |",
        "|---|---|---|---|---|---|",
    ]
    for p in plans:
        fmt = p.format
        taught = [slot.chapter for day in p.days for slot in day if slot.chapter]
        pauses = ", ".join([f"{fmt.opening} min welcome"] + [f"{m} min {label.lower()}" for label, m in fmt.breaks])
        exercises = sum(len(chapter_exercises(ch.number)) for ch in taught)
        lines.append(
            f"| {fmt.title} | {length(fmt)} | {pauses} | "
            f"{sum(ch.minutes for ch in taught)} of {fmt.budget * fmt.days} min | {chapter_span(taught)} | {exercises} |"
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
    return "\n".join(lines)


@dataclass(frozen=True)
class Stop:
    """A chapter on a track: the level-2 sections a room works through, and the exercises it does."""

    number: int
    sections: tuple[str, ...]
    exercises: tuple[str, ...] = ()


# One day, from a first app to a form whose data a database keeps. Chapter 6 waits for a second
# day: chapter 5 sets the session key its CSRF tokens need. Times come from the chapters' model.
ONE_DAY_TRACK = (
    Stop(0, ("How a notebook runs", "A Flask app running inside the notebook", "Open the app in your browser",
             "See what crosses the wire", "Stop a server", "Exercises, hints and solutions",
             "Your work: where it is kept", "Key points"), ("0.1", "0.2")),
    Stop(1, ("Your first app", "The HTTP text", "WSGI in one picture", "Exercises", "Key points"), ("1.1",)),
    Stop(2, ("Routes and the methods they answer", "404 and 405: when no rule fits", "Variable parts and converters",
             "Exercises: converters", "Building URLs with `url_for`", "Key points"), ("2.1",)),
    Stop(3, ("The request object", "What a view may return", "`make_response`, `abort` and `redirect`", "Key points")),
    Stop(4, ("Why templates", "One layout for every page", "Loops and conditionals",
             "Autoescaping and cross-site scripting", "Key points"), ("4.1",)),
    Stop(5, ("A form by hand", "Rendering fields and errors", "The form in an app: POST/redirect/GET",
             "Cross-site request forgery", "What Flask-WTF adds", "Key points"), ("5.1", "5.3")),
    Stop(7, ("SQLite: a whole database in one file", "Models: tables as classes", "Create, read, update, delete",
             "Queries", "SQL injection", "Moving to PostgreSQL or MySQL", "Key points"), ("7.4",)),
)
ONE_DAY_TRACK_FORMAT = Format("One-day track", 1, 480, 15, FULL_DAY_BREAKS)


def stop_minutes(stop, ch):
    """Minutes a stop takes by the chapters' time model: its opening, its sections and its exercises."""
    nb = nbformat.read(ch.path, as_version=4)
    kinds = {ex.id: ex.kind for ex in chapter_exercises(ch.number)}
    unknown = set(stop.exercises) - set(kinds)
    if unknown:
        raise ValueError(f"{ch.name} has no exercise {', '.join(sorted(unknown))}")
    heading, headings, kept, found = None, set(), [], set()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell.source.splitlines()[0][3:]
            headings.add(heading)
        if heading is not None and heading not in stop.sections:
            continue
        spec = cell.metadata.get("exercise")
        if spec and spec["id"] not in stop.exercises:
            continue
        if spec:
            found.add(spec["id"])
        kept.append(cell)
    for missing, what in ((set(stop.sections) - headings, "section"), (set(stop.exercises) - found, "exercise in those sections")):
        if missing:
            raise ValueError(f"{ch.name} has no {what} {', '.join(sorted(missing))}")
    core, deeper = effort(nbformat.v4.new_notebook(cells=kept), kinds)
    if deeper.minutes:
        raise ValueError(f"a track keeps to the core path: {ch.name} names a \"Going deeper\" section")
    return rounded(core.minutes)


def track_plan(all_chapters, track=ONE_DAY_TRACK, fmt=ONE_DAY_TRACK_FORMAT):
    """A day's plan for a track: each chapter timed by its stop; ValueError when the day is too short."""
    by_number = {ch.number: ch for ch in all_chapters}
    stops = [replace(by_number[stop.number], minutes=stop_minutes(stop, by_number[stop.number])) for stop in track]
    p = plan(fmt, stops)
    if p.left_out:
        raise ValueError(f"the track needs {sum(ch.minutes for ch in stops)} minutes; the day has {fmt.budget}")
    return p


def render_track(all_chapters, track=ONE_DAY_TRACK):
    """The one-day track's schedule: for each chapter, its sections and exercises."""
    p = track_plan(all_chapters, track)
    stops = {stop.number: stop for stop in track}
    [day] = p.days
    lines = ["| Time | What | Minutes | Sections | Exercises |", "|---|---|---|---|---|"]
    for slot in day:
        if slot.chapter is None:
            lines.append(f"| {clock(slot.start)}–{clock(slot.end)} | *{slot.label}* | {slot.minutes} |  |  |")
            continue
        stop = stops[slot.chapter.number]
        titles = {ex.id: ex.title for ex in chapter_exercises(stop.number)}
        lines.append(f"| {clock(slot.start)}–{clock(slot.end)} | {link(slot.chapter)} | {slot.minutes} | "
                     f"{'; '.join(stop.sections)} | {'; '.join(f'{id} {titles[id]}' for id in stop.exercises)} |")
    skipped = [ch for ch in all_chapters if ch.number not in stops and ch.number < max(stops)]
    lines += ["", f"Teaching {p.taught(day)} of {p.format.budget} minutes."
              + (f" Left for a second day: {', '.join(link(ch) for ch in skipped)}." if skipped else "")]
    return "\n".join(lines)


def render_launch_links(all_chapters):
    """A table with each chapter's Binder launch link."""
    rows = ["| Chapter | Open on Binder |", "|---|---|"]
    rows += [f"| {link(ch)} | [launch]({binder_url(ch.name)}) |" for ch in all_chapters]
    return "\n".join(rows)


def chapter_marker(number):
    """The marker name of a chapter's heading in the kit, such as ``chapter-03``."""
    return f"chapter-{number:02d}"


def render_chapter_heading(ch):
    """A chapter's heading in the notes, with its time and its exercises."""
    return f"### {link(ch)} · {ch.minutes} min\n\nExercises: {exercise_list(ch) or 'none'}."


CHAPTER_START = re.compile(r"<!-- chapter-(\d+):start -->")
SECTION_END = re.compile(r"^## ", re.MULTILINE)


def chapter_sections(text):
    """Each chapter's part of the notes: chapter number to the ``(start, end)`` of its text.

    A part starts at its chapter's start marker and runs to the next chapter's, or to the
    next ``## `` heading, or to the end of the file.
    """
    starts = [(int(m[1]), m.start()) for m in CHAPTER_START.finditer(text)]
    sections = {}
    for index, (number, start) in enumerate(starts):
        after = SECTION_END.search(text, start)
        end = after.start() if after else len(text)
        if index + 1 < len(starts):
            end = min(end, starts[index + 1][1])
        sections[number] = (start, end)
    return sections


def _add_chapter(text, ch):
    """Insert an empty notes part for a chapter the kit does not have yet, in chapter order."""
    marker = chapter_marker(ch.number)
    block = (f"<!-- {marker}:start -->\n<!-- {marker}:end -->\n\n"
             "*No notes yet: write this chapter's common mistakes and questions for the room here.*\n\n")
    sections = chapter_sections(text)
    later = [start for number, (start, _) in sections.items() if number > ch.number]
    earlier = [end for number, (_, end) in sections.items() if number < ch.number]
    at = min(later) if later else max(earlier) if earlier else len(text)
    if at == len(text):
        text = text.rstrip("\n") + "\n\n"
        at = len(text)
    return text[:at] + block + text[at:]


def render(all_chapters=None, text=None):
    """The kit with every generated part brought up to date (``text`` defaults to the kit's file)."""
    all_chapters = chapters() if all_chapters is None else all_chapters
    text = KIT.read_text() if text is None else text
    untimed = [ch.name for ch in all_chapters if not ch.minutes]
    if untimed:  # the plans are built from the times: say which chapter lacks one
        raise ValueError(f"no '**Time:** about NN minutes' line in {', '.join(untimed)}")
    text = replace_between(text, "plans", render_plans(all_chapters))
    text = replace_between(text, "launch-links", render_launch_links(all_chapters))
    fills = {"one-day-track": lambda: render_track(all_chapters),
             "flask-versions": known_to_work, "hub": lambda: "\n".join(render_hub()),
             "measured": lambda: render_measured(load_measured()),
             "wheelhouse": lambda: render_wheelhouse(load_measured())}
    for marker, fill in fills.items():
        if f"<!-- {marker}:start -->" in text:  # a kit may leave a part out (tests do)
            text = replace_between(text, marker, fill())
    for ch in all_chapters:
        if ch.number not in chapter_sections(text):
            text = _add_chapter(text, ch)
        text = replace_between(text, chapter_marker(ch.number), render_chapter_heading(ch))
    return text.rstrip("\n") + "\n"


MISTAKE = re.compile(
    r"\*\*(?:Exercise (?P<exercise>\d+\.\d+)|“(?P<heading>[^”]+)”)\*\*: (?P<mistake>.+?) \*Answer:\* (?P<answer>.+)",
    re.DOTALL,
)
QUESTION = re.compile(r"(?P<question>.+?) \*Listen for:\* (?P<listen>.+)", re.DOTALL)
LISTS = {"**Common mistakes**": "mistakes", "**Questions for the room**": "questions"}
ITEM = {"mistakes": re.compile(r"- (.*)"), "questions": re.compile(r"\d+\. (.*)")}


def _items(lines):
    """The items of the two note lists in one chapter's lines: (list name, item text, line)."""
    found, current, kind = [], None, None
    for line in lines:
        stripped = line.strip()
        if stripped in LISTS:
            kind, current = LISTS[stripped], None
        elif not stripped:
            current = None
        elif kind and line[0].isspace() and current is not None:
            current[1] += " " + stripped  # a wrapped line of the item above
        elif kind and ITEM[kind].fullmatch(line):
            current = [kind, ITEM[kind].fullmatch(line)[1], line]
            found.append(current)
        else:
            kind = current = None  # any other paragraph ends the list
    return found


def teaching_notes(text=None):
    """Each chapter's notes as written in the kit: number to its mistakes and its questions.

    ``mistakes`` are ``(where, what learners do, what answers them)``, where ``where`` is an
    exercise id such as ``"2.1"`` or a heading of the chapter; ``questions`` are ``(question,
    what to listen for)``. A list item in the wrong form is a ValueError that quotes it.
    """
    text = KIT.read_text() if text is None else text
    notes = {}
    for number, (start, end) in chapter_sections(text).items():
        end_tag = f"<!-- {chapter_marker(number)}:end -->"
        body = text[text.index(end_tag, start) + len(end_tag):end]
        mine = notes[number] = {"mistakes": [], "questions": []}
        for kind, item, line in _items(body.splitlines()):
            pattern = MISTAKE if kind == "mistakes" else QUESTION
            match = pattern.fullmatch(item)
            if not match:
                form = ("- **Exercise N.M**: what learners do. *Answer:* what answers them (or **“Heading”** for "
                        "a heading of the chapter)") if kind == "mistakes" else "N. The question? *Listen for:* the answer"
                raise ValueError(f"chapter {number}: write {kind} as `{form}`, not: {line.strip()}")
            if kind == "mistakes":
                where = match["exercise"] or match["heading"]
                mine["mistakes"].append((where, match["mistake"].strip(), match["answer"].strip()))
            else:
                mine["questions"].append((match["question"].strip(), match["listen"].strip()))
    return notes
