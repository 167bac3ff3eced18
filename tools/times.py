"""How long a chapter takes, from one model: reading speed for prose and for code, minutes per task.

A newcomer reads prose at ``PROSE_WORDS_PER_MINUTE`` and code at ``CODE_LINES_PER_MINUTE``
(running a cell and looking at its output included), and spends ``EXERCISE_MINUTES`` on an
exercise of each kind and ``PREDICTION_MINUTES`` on writing down a prediction. A chapter's
core path leaves out its "Going deeper" sections: a level-2 heading that starts with
``## Going deeper:`` opens one, and the next level-2 heading closes it.

The speeds were fitted (least squares) to the timings of the 13 chapters as they stood on
2026-12-06, worked through by newcomers: ``CALIBRATION`` holds what those chapters contained
and how long they took, and ``tests/test_times.py`` checks that the model still reproduces
the course's total. ``make sync`` writes both times into every chapter's opening cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROSE_WORDS_PER_MINUTE = 70
CODE_LINES_PER_MINUTE = 14
EXERCISE_MINUTES = {"warm-up": 2, "modify": 4, "make": 10}
PREDICTION_MINUTES = 1
DEEPER = re.compile(r"^## Going deeper: \S")
PREDICTION_CELL = re.compile(r"^predict\(", re.MULTILINE)

# chapter: (prose words, code lines, exercises, minutes newcomers took), all exercises "modify".
CALIBRATION = {
    0: (1589, 86, 2, 22), 1: (2199, 132, 3, 50), 2: (3745, 509, 4, 107), 3: (4405, 626, 4, 115),
    4: (4056, 456, 4, 90), 5: (3195, 381, 4, 90), 6: (4167, 542, 4, 125), 7: (3688, 632, 4, 115),
    8: (3677, 525, 5, 105), 9: (3776, 645, 4, 120), 10: (5429, 504, 4, 120), 11: (6629, 604, 9, 175),
    12: (4105, 395, 4, 140),
}


@dataclass
class Effort:
    """What one part of a chapter asks of the learner."""

    words: int = 0
    code_lines: int = 0
    exercises: tuple[str, ...] = ()
    predictions: int = 0

    @property
    def minutes(self):
        """Minutes this part takes by the model, before rounding."""
        return (self.words / PROSE_WORDS_PER_MINUTE + self.code_lines / CODE_LINES_PER_MINUTE
                + sum(EXERCISE_MINUTES[kind] for kind in self.exercises) + self.predictions * PREDICTION_MINUTES)


def words(text):
    """The words of Markdown prose, code spans and blocks included (a learner reads those too)."""
    return len(re.findall(r"\S+", text))


def effort(nb, kinds):
    """The core and the deeper parts of a notebook; ``kinds`` maps exercise ids to their kind."""
    core, deeper = Effort(), Effort()
    part = core
    for cell in nb.cells:
        if {"nav", "contents"} & set(cell.metadata.get("tags", [])):  # generated links, not read as prose
            continue
        if cell.cell_type == "markdown":
            if cell.source.startswith("## "):
                part = deeper if DEEPER.match(cell.source) else core
            part.words += words(cell.source)
            spec = cell.metadata.get("exercise")
            if spec and spec.get("part") == "task":
                part.exercises += (kinds[spec["id"]],)
        elif cell.cell_type == "code":
            part.code_lines += sum(1 for line in cell.source.splitlines() if line.strip())
            part.predictions += len(PREDICTION_CELL.findall(cell.source))
    return core, deeper


def rounded(minutes):
    """Minutes to the nearest five, at least five."""
    return max(5, 5 * round(minutes / 5))


def chapter_times(nb, kinds):
    """``(core, full)`` minutes of a chapter: its core path, and with its deeper sections."""
    core, deeper = effort(nb, kinds)
    full = rounded(core.minutes + deeper.minutes)
    if deeper.minutes:  # a chapter with deeper sections never states the same time twice
        full = max(full, rounded(core.minutes) + 5)
    return rounded(core.minutes), full


def time_line(core, full):
    """The opening cell's line that states a chapter's times (full is core when nothing is optional)."""
    if core == full:
        return f"**Time:** about {core} minutes (no optional sections)"
    return f"**Time:** about {core} minutes on the core path, {full} with the \"Going deeper\" sections"


def calibration_total():
    """The model's total and the newcomers' total over the calibration chapters."""
    model = sum(Effort(w, c, ("modify",) * e).minutes for w, c, e, _ in CALIBRATION.values())
    return model, sum(taken for *_, taken in CALIBRATION.values())
