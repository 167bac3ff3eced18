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
TIME = re.compile(r"\*\*Time:\*\*\s*(?:about\s+)?(\d+)\s*min")


@dataclass(frozen=True)
class Chapter:
    """A chapter notebook, known by its file name ``NN-slug.ipynb`` and first heading."""

    path: Path
    number: int
    title: str
    minutes: int | None

    @property
    def name(self):
        return self.path.name


def repository():
    """The GitHub ``owner/name`` that Binder links point to (kept in pyproject.toml)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["course"]["repository"], config["tool"]["course"]["branch"]


def binder_url(notebook_name):
    """A Binder link that opens a chapter in JupyterLab."""
    repo, branch = repository()
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/notebooks/{notebook_name}"


def chapters(folder=NOTEBOOKS):
    """Every chapter notebook, in file-name order."""
    found = []
    for path in sorted(Path(folder).glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        heading = re.search(r"^# (.+)$", text, re.MULTILINE)
        minutes = TIME.search(text)
        found.append(
            Chapter(
                path=path,
                number=int(path.name[:2]),
                title=heading[1].strip() if heading else path.stem,
                minutes=int(minutes[1]) if minutes else None,
            )
        )
    return found


def replace_between(text, marker, body):
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    start_tag, end_tag = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    start, end = text.index(start_tag), text.index(end_tag)
    return text[: start + len(start_tag)] + "\n" + body + "\n" + text[end:]
