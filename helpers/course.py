"""Generated parts of the course: navigation, contents tables and exercise cells.

Run ``python -m helpers.course`` (``make sync``) after adding or renaming a
chapter or editing an exercise; ``--check`` only reports what is stale.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .exercises import chapter_exercises
from .scratch import ROOT

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


def contents_table(all_chapters, prefix=""):
    """A Markdown table of the chapters with links relative to ``prefix``."""
    rows = ["| Chapter | Time | Open on Binder |", "|---|---|---|"]
    for ch in all_chapters:
        time = f"{ch.minutes} min" if ch.minutes else ""
        binder = f"[launch]({binder_url(ch.name)})"
        rows.append(f"| [{ch.title}]({prefix}{ch.name}) | {time} | {binder} |")
    total = sum(ch.minutes or 0 for ch in all_chapters)
    rows.append(f"| **All chapters** | **{total} min** | |")
    return "\n".join(rows)


def navigation(all_chapters, index):
    """The previous / contents / next line for chapter ``index``."""
    parts = []
    if index > 0:
        prev = all_chapters[index - 1]
        parts.append(f"[← {prev.title}]({prev.name})")
    parts.append(f"[Contents]({all_chapters[0].name}#Contents)")
    if index + 1 < len(all_chapters):
        nxt = all_chapters[index + 1]
        parts.append(f"[{nxt.title} →]({nxt.name})")
    return " | ".join(parts)


def _replace_between(text, marker, body):
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    start_tag, end_tag = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    start, end = text.index(start_tag), text.index(end_tag)
    return text[: start + len(start_tag)] + "\n" + body + "\n" + text[end:]


def binder_badge(all_chapters):
    """The README's Binder badge, opening the first chapter."""
    return f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(all_chapters[0].name)})"


def _sync_notebook(nb, all_chapters, index):
    """Regenerate navigation, contents and exercise cells of one notebook in place."""
    nav = navigation(all_chapters, index)
    exercises = {ex.id: ex for ex in chapter_exercises(all_chapters[index].number)}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "nav" in tags:
            cell.source = nav
        if "contents" in tags:
            cell.source = _replace_between(cell.source, "contents", contents_table(all_chapters))
        spec = cell.metadata.get("exercise")
        if spec:
            ex = exercises[spec["id"]]
            cell.source = {
                "task": f"### Exercise {ex.id}: {ex.title}\n\n{ex.task}\n\n"
                f'Edit the next cell, run it, then run the check below it. '
                f'Stuck? `hint("{ex.id}")` gives a hint (run it again for the next); '
                f'`solution("{ex.id}")` shows an answer.\n\n'
                f'<details class="solution"><summary>Show a solution</summary>\n\n'
                f"```python\n{ex.solution}\n```\n\n</details>",
                "starter": ex.starter,
                "check": ex.check_call,
            }[spec["part"]]


def sync(write=True):
    """Bring every generated part up to date; return the files that were (or would be) changed."""
    stale = []
    all_chapters = chapters()
    for index, ch in enumerate(all_chapters):
        before = ch.path.read_text()
        nb = nbformat.reads(before, as_version=4)
        _sync_notebook(nb, all_chapters, index)
        after = nbformat.writes(nb) + "\n"
        if after != before:
            stale.append(ch.path)
            if write:
                ch.path.write_text(after)
    readme = README.read_text()
    fresh = _replace_between(readme, "contents", contents_table(all_chapters, prefix="notebooks/"))
    fresh = _replace_between(fresh, "binder", binder_badge(all_chapters))
    if fresh != readme:
        stale.append(README)
        if write:
            README.write_text(fresh)
    from .kit import KIT, render  # imported here because helpers.kit imports this module

    kit = render(all_chapters)
    if not KIT.exists() or KIT.read_text() != kit:
        stale.append(KIT)
        if write:
            KIT.parent.mkdir(exist_ok=True)
            KIT.write_text(kit)
    return stale


def main(argv=None):
    """Sync the generated parts, or with --check only list the stale files."""
    argv = sys.argv[1:] if argv is None else argv
    check_only = "--check" in argv
    stale = sync(write=not check_only)
    for path in stale:
        print(f"{'stale' if check_only else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if check_only and stale else 0


if __name__ == "__main__":
    sys.exit(main())
