"""Generated parts of the course: navigation, contents tables, Binder links, exercise cells, the kit's tables.

Run ``python -m tools.sync`` (``make sync``) after adding or renaming a chapter or
editing an exercise; ``--check`` only reports what is stale.
"""

from __future__ import annotations

import sys

import nbformat

from helpers.exercises import chapter_exercises

from .chapters import README, ROOT, binder_url, chapters, replace_between
from .kit import KIT, render


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
            cell.source = replace_between(cell.source, "contents", contents_table(all_chapters))
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
    fresh = replace_between(readme, "contents", contents_table(all_chapters, prefix="notebooks/"))
    fresh = replace_between(fresh, "binder", binder_badge(all_chapters))
    if fresh != readme:
        stale.append(README)
        if write:
            README.write_text(fresh)
    kit = render(all_chapters)  # the kit is edited by hand: only its marked parts are rewritten
    if KIT.read_text() != kit:
        stale.append(KIT)
        if write:
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
