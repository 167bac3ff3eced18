"""Exercises and predictions: task, marked solution, hints and check, one source per exercise.

Each chapter's exercises live in ``helpers/exercises/chNN.py`` and are registered with
:func:`exercise`; the starter the learner edits is generated from the marked solution
(``source.py``). Notebooks call :func:`check`, :func:`hint` and :func:`solution` with an
exercise id such as ``"1.2"``, and :func:`predict` and :func:`reveal` with a prediction id
such as ``"2.a"``. Results are kept in the learner's record (``record.py``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import textwrap
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..display import Markdown, shown_as_text
from . import record, source
from .probe import Wrong

EXERCISE_ID = re.compile(r"\d{1,2}\.\d{1,2}")
PREDICTION_ID = re.compile(r"\d{1,2}\.[a-z]")
KINDS = ("warm-up", "modify", "make")

_bank: dict[str, Exercise] = {}
_hints_shown: dict[str, int] = {}


@dataclass
class Exercise:
    """One exercise: what to do, the marked solution, hints, the check, and answers to test it with."""

    id: str
    title: str
    task: str
    source: str
    verify: Callable
    kind: str = "modify"
    args: str = ""
    hints: list[str] = field(default_factory=list)
    setup: str = ""
    right: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    insecure: list = field(default_factory=list)

    @property
    def starter(self):
        """The code the learner starts from: the solution with its marked parts replaced."""
        return source.split(self.source)[0]

    @property
    def solution(self):
        """An answer that passes: the source without its markers and starter lines."""
        return source.split(self.source)[1]

    @property
    def check_call(self):
        """The code of the notebook cell that checks this exercise."""
        args = f", {self.args}" if self.args else ""
        return f'check("{self.id}"{args})'

    def run(self, code):
        """Run the set-up and then ``code`` as a notebook would; return the arguments of the check."""
        namespace = {"__name__": "__main__"}
        exec(compile(f"{self.setup}\n{code}", f"<exercise {self.id}>", "exec"), namespace)
        return eval(f"({self.args},)", namespace) if self.args else ()

    def answers(self, which):
        """The listed ``right``, ``wrong`` or ``insecure`` answers as ``(code, words)``; right ones have no words."""
        found = []
        for answer in getattr(self, which):
            variant, words = (answer, None) if which == "right" else answer
            code = variant if isinstance(variant, str) else source.apply(self.solution, variant)
            found.append((textwrap.dedent(code).strip(), words))
        return found


@dataclass(frozen=True)
class Result:
    """What a check found: passed or not, and what to tell the learner."""

    id: str
    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        mark = "✅ Passed" if self.passed else "❌ Not yet"
        return f"{mark} (exercise {self.id}): {self.message}"

    def _repr_markdown_(self):
        mark = "✅ **Passed**" if self.passed else "❌ **Not yet**"
        return f"{mark} (exercise {self.id}): {shown_as_text(self.message)}"


def exercise(id, title, task, source, kind="modify", hints=(), args="", setup="", right=(), wrong=(), insecure=()):
    """Register the decorated function as the check of a new exercise.

    ``source`` is the solution with the learner's part marked (see ``source.py``). ``kind`` is
    "warm-up", "modify" (change code shown) or "make" (combine ideas; no cell to copy).
    ``right`` lists other correct answers; ``wrong`` and ``insecure`` list ``(answer, words)``
    pairs, where ``words`` must appear in the check's message. An answer is complete code, or
    a dict of ``old: new`` replacements made in the solution.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")

    def register(verify):
        _bank[id] = Exercise(
            id=id, title=title, task=textwrap.dedent(task).strip(), source=textwrap.dedent(source).strip(),
            verify=verify, kind=kind, args=args, hints=[textwrap.dedent(h).strip() for h in hints],
            setup=textwrap.dedent(setup).strip(), right=list(right), wrong=list(wrong), insecure=list(insecure),
        )
        return verify

    return register


def chapter_exercises(chapter):
    """The exercises of chapter number ``chapter``, in order."""
    try:
        importlib.import_module(f"{__name__}.ch{int(chapter):02d}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.ch{int(chapter):02d}":
            raise
    prefix = f"{int(chapter)}."
    return [ex for key, ex in _bank.items() if key.startswith(prefix)]


def _valid(id, pattern, example):
    """``id`` itself when it is a string of the right shape; a clear TypeError or KeyError otherwise."""
    if not isinstance(id, str) or not pattern.fullmatch(id):
        raise TypeError(f"{id!r} is not an id: ids are strings such as {example!r} (with the quotes)")
    return id


def get(id):
    """The exercise with this id, such as ``"1.2"``."""
    _valid(id, EXERCISE_ID, "1.2")
    chapter_exercises(id.split(".")[0])
    if id not in _bank:
        raise KeyError(f"there is no exercise {id!r}")
    return _bank[id]


def _strict():
    """True when checks should raise instead of printing (set COURSE_STRICT=1 in tests)."""
    import os

    return os.environ.get("COURSE_STRICT") == "1"


def check(id, *answer, strict=None):
    """Check the learner's answer; say what was observed and record it (raise instead when strict)."""
    ex = get(id)
    strict = _strict() if strict is None else strict
    try:
        tried = ex.verify(*answer)
    except Wrong as wrong:
        if strict:
            raise
        result = Result(id, False, f"{wrong} Stuck? `hint(\"{id}\")` gives a nudge.")
    except Exception as error:
        if strict:
            raise
        where = traceback.format_exception_only(error)[-1].strip()
        result = Result(id, False, f"your code raised `{where}`. Fix that first, then check again.")
    else:
        result = Result(id, True, f"the check tried {tried}" if tried else "well done.")
    if not strict:
        _record(result)
    return result


def _record(result):
    """Keep the latest result of an exercise, and that it passed once, in the learner's record."""
    with record.changing() as kept:
        entry = kept["exercises"].setdefault(result.id, {"passed": False})
        entry["passed"] = bool(entry.get("passed") or result.passed)
        entry["latest"] = {"passed": result.passed, "message": result.message, "when": time.strftime("%Y-%m-%d %H:%M")}


def all_exercises():
    """Every exercise of the course, chapter by chapter."""
    chapters = sorted(int(m.name[2:]) for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"ch\d\d", m.name))
    return [ex for chapter in chapters for ex in chapter_exercises(chapter)]


def _cell(text):
    return shown_as_text(str(text)).replace("|", "\\|").replace("\n", " ")


def progress():
    """Every exercise's state (passed once, and the latest attempt) and every prediction made."""
    kept = record.load()
    rows = ["| Exercise | Title | State |", "|---|---|---|"]
    for ex in all_exercises():
        seen = kept["exercises"].get(ex.id)
        latest = (seen or {}).get("latest") or {}
        if seen is None:
            state = "not tried"
        elif seen.get("passed") and latest.get("passed", True):
            state = "✅ passed"
        elif seen.get("passed"):
            state = "✅ passed (latest attempt: ❌ " + _cell(latest.get("message", "")) + ")"
        else:
            state = "❌ not yet: " + _cell(latest.get("message", ""))
        rows.append(f"| {ex.id} | {ex.title} | {state} |")
    done = sum(1 for ex in all_exercises() if kept["exercises"].get(ex.id, {}).get("passed"))
    text = f"**{done} of {len(all_exercises())} exercises passed.**\n\n" + "\n".join(rows)
    guesses = kept["predictions"]
    if guesses:
        lines = ["| Prediction | You said | It was |", "|---|---|---|"]
        for id in sorted(guesses, key=lambda key: (int(key.split(".")[0]), key)):
            entry = guesses[id]
            lines.append(f"| {id} | {_cell(entry.get('guess', ''))} | {_cell(entry.get('actual', 'not run yet'))} |")
        text += f"\n\n**{len(guesses)} predictions written.**\n\n" + "\n".join(lines)
    text += f"\n\nYour record is kept in `{record.record_file()}`."
    return Markdown(text)


def hint(id):
    """Show the next hint for an exercise, from a nudge to the answer; each call shows one more."""
    ex = get(id)
    shown = _hints_shown.get(id, 0)
    if shown >= len(ex.hints):
        every = "\n".join(f"{n}. {text}" for n, text in enumerate(ex.hints, start=1))
        return Markdown(f"All hints for {id}:\n\n{every}\n\n`solution(\"{id}\")` shows an answer.")
    _hints_shown[id] = shown + 1
    return Markdown(f"**Hint {shown + 1} of {len(ex.hints)}** for {id}: {ex.hints[shown]}")


def solution(id):
    """Show a solution that passes the check of an exercise."""
    ex = get(id)
    return Markdown(f"A solution to {id} ({ex.title}):\n\n```python\n{ex.solution}\n```")


def _empty(guess):
    return guess is ... or guess is None or (isinstance(guess, str) and not guess.strip())


def predict(id, guess=...):
    """Write down what you expect before the cell that shows it; an empty guess is fine."""
    _valid(id, PREDICTION_ID, "2.a")
    if _empty(guess):
        return Markdown(f"No prediction written for {id}. Replace `...` with your guess and run "
                        "this cell again if you want to test yourself; the course goes on either way.")
    with record.changing() as kept:
        kept["predictions"][id] = {"guess": str(guess)}
    return Markdown(f"📝 Prediction {id} noted: **{guess}**. Now run the cells below.")


def _same(guess, actual):
    """True when a guess matches what happened, ignoring case, spaces and int/str differences."""
    def norm(value):
        return " ".join(str(value).split()).lower().strip("'\"")

    return norm(guess) == norm(actual)


def reveal(id, actual):
    """Show what happened next to the prediction for ``id``; never fails when there was none."""
    _valid(id, PREDICTION_ID, "2.a")
    with record.changing() as kept:
        entry = kept["predictions"].get(id)
        if entry is not None:
            entry["actual"] = str(actual)
    if entry is None:
        return Markdown(f"It was **{actual}**. (No prediction written for {id}.)")
    verdict = "✅ as you predicted." if _same(entry["guess"], actual) else "🤔 not what you predicted: worth a look at why."
    return Markdown(f"You predicted **{entry['guess']}**; it was **{actual}**. {verdict}")


def load_progress(path):
    """Add the passes and predictions of a saved record (say, one downloaded from Binder) to yours."""
    saved = record._parse(Path(path).read_text(encoding="utf-8"))
    with record.changing() as kept:
        record.merge(kept, saved)
    return progress()
