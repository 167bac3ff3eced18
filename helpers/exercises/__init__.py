"""Exercises: task, starter, hints, solution and check, kept in one source per chapter.

Each chapter's exercises live in ``helpers/exercises/chNN.py`` and are
registered with :func:`exercise`. Notebooks call :func:`check`, :func:`hint`
and :func:`solution` with the exercise id, such as ``"1.2"``.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import textwrap
import traceback
from dataclasses import dataclass, field
from typing import Callable

from ..display import Markdown as _Markdown
from ..scratch import scratch_root

_bank: dict[str, Exercise] = {}
_hints_shown: dict[str, int] = {}


class Wrong(AssertionError):
    """A check found the answer wrong; the message is the hint shown to the learner."""


@dataclass
class Exercise:
    """One exercise: what to do, where to start, how to tell, and an answer that passes."""

    id: str
    title: str
    task: str
    starter: str
    solution: str
    verify: Callable
    args: str = ""
    hints: list[str] = field(default_factory=list)
    setup: str = ""

    @property
    def check_call(self):
        """The code of the notebook cell that checks this exercise."""
        args = f", {self.args}" if self.args else ""
        return f'check("{self.id}"{args})'


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
        return f"{mark} (exercise {self.id}): {self.message}"


def exercise(id, title, task, starter, solution, hints=(), args="", setup=""):
    """Register the decorated function as the check of a new exercise."""

    def register(verify):
        _bank[id] = Exercise(
            id=id,
            title=title,
            task=textwrap.dedent(task).strip(),
            starter=textwrap.dedent(starter).strip(),
            solution=textwrap.dedent(solution).strip(),
            verify=verify,
            args=args,
            hints=[textwrap.dedent(h).strip() for h in hints],
            setup=textwrap.dedent(setup).strip(),
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


def get(id):
    """The exercise with this id, such as ``"1.2"``."""
    chapter_exercises(id.split(".")[0])
    if id not in _bank:
        raise KeyError(f"there is no exercise {id!r}")
    return _bank[id]


def _strict():
    """True when checks should raise instead of printing (set COURSE_STRICT=1 in tests)."""
    return os.environ.get("COURSE_STRICT") == "1"


def check(id, *answer, strict=None):
    """Check the learner's answer; show a pass or a specific hint (raise instead when strict)."""
    ex = get(id)
    strict = _strict() if strict is None else strict
    try:
        ex.verify(*answer)
    except Wrong as wrong:
        if strict:
            raise
        result = Result(id, False, f"{wrong} Stuck? Run `hint(\"{id}\")`.")
    except Exception as error:
        if strict:
            raise
        where = traceback.format_exception_only(error)[-1].strip()
        result = Result(id, False, f"your code raised `{where}`. Fix that first, then check again.")
    else:
        result = Result(id, True, "well done.")
    if not strict:
        _record(result)
    return result


def progress_file():
    """Where the learner's exercise results are kept; delete it to start over."""
    return scratch_root() / "progress.json"


def _load_progress():
    try:
        return json.loads(progress_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _record(result):
    """Keep the latest result of an exercise in the progress file."""
    results = _load_progress()
    results[result.id] = {"passed": result.passed, "message": result.message}
    progress_file().parent.mkdir(parents=True, exist_ok=True)
    progress_file().write_text(json.dumps(results, indent=1, sort_keys=True))


def all_exercises():
    """Every exercise of the course, chapter by chapter."""
    chapters = sorted(int(m.name[2:]) for m in pkgutil.iter_modules(__path__) if m.name.startswith("ch"))
    return [ex for chapter in chapters for ex in chapter_exercises(chapter)]


def progress():
    """A table of every exercise in the course: not tried, not yet passed (with the last hint), or passed."""
    results = _load_progress()
    rows = ["| Exercise | Title | State |", "|---|---|---|"]
    for ex in all_exercises():
        seen = results.get(ex.id)
        if seen is None:
            state = "not tried"
        elif seen["passed"]:
            state = "✅ passed"
        else:
            state = "❌ not yet: " + seen["message"].replace("|", "\\|").replace("\n", " ")
        rows.append(f"| {ex.id} | {ex.title} | {state} |")
    done = sum(1 for ex in all_exercises() if results.get(ex.id, {}).get("passed"))
    return _Markdown(f"**{done} of {len(all_exercises())} exercises passed.**\n\n" + "\n".join(rows))


def hint(id):
    """Show the next hint for an exercise; each call shows one more."""
    ex = get(id)
    shown = _hints_shown.get(id, 0)
    if shown >= len(ex.hints):
        every = "\n".join(f"{n}. {text}" for n, text in enumerate(ex.hints, start=1))
        return _Markdown(f"All hints for {id}:\n\n{every}\n\n`solution(\"{id}\")` shows an answer.")
    _hints_shown[id] = shown + 1
    return _Markdown(f"**Hint {shown + 1} of {len(ex.hints)}** for {id}: {ex.hints[shown]}")


def solution(id):
    """Show a solution that passes the check of an exercise."""
    ex = get(id)
    return _Markdown(f"A solution to {id} ({ex.title}):\n\n```python\n{ex.solution}\n```")
