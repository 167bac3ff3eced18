"""The chapters as the tools see them: file name, number, first heading and stated time."""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
TIME = re.compile(r"\*\*Time:\*\* about (\d+) minutes(?: on the core path, (\d+) with)?")


@dataclass(frozen=True)
class Chapter:
    """A chapter notebook, known by its file name ``NN-slug.ipynb``, first heading and stated times (core, full)."""

    path: Path
    number: int
    title: str
    minutes: int | None
    full_minutes: int | None = None

    @property
    def name(self):
        return self.path.name

    @property
    def times(self):
        """The stated times as text: the core path, and the whole chapter when it differs."""
        if self.full_minutes and self.full_minutes != self.minutes:
            return f"{self.minutes} min ({self.full_minutes} with deeper sections)"
        return f"{self.minutes} min" if self.minutes else ""


def repository():
    """The GitHub ``owner/name`` that Binder links point to (kept in pyproject.toml)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["course"]["repository"], config["tool"]["course"]["branch"]


def binder_url(notebook_name):
    """A Binder link that opens a chapter in JupyterLab."""
    repo, branch = repository()
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/notebooks/{notebook_name}"


def read_chapter(path, nb):
    """The chapter that notebook ``nb``, stored at ``path``, stands for."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    heading = re.search(r"^# (.+)$", text, re.MULTILINE)
    minutes = TIME.search(text)
    return Chapter(
        path=path,
        number=int(path.name[:2]),
        title=heading[1].strip() if heading else path.stem,
        minutes=int(minutes[1]) if minutes else None,
        full_minutes=int(minutes[2] or minutes[1]) if minutes else None,
    )


def chapters(folder=NOTEBOOKS):
    """Every chapter notebook, in file-name order."""
    return [read_chapter(path, nbformat.read(path, as_version=4))
            for path in sorted(Path(folder).glob("[0-9][0-9]-*.ipynb"))]


def replace_between(text, marker, body):
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    start_tag, end_tag = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    start, end = text.index(start_tag), text.index(end_tag)
    return text[: start + len(start_tag)] + "\n" + body + "\n" + text[end:]


def licence_note():
    """The credit line every handout ends with: the work, where it lives, and its two licences."""
    return (f"“Flask, one running cell at a time”, by its authors, github.com/{repository()[0]}. "
            "Text and teacher's kit: CC BY 4.0 (creativecommons.org/licenses/by/4.0), "
            "code: BSD 3-Clause (the LICENSE file). Share and adapt it, giving credit.")
