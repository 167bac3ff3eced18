"""Generated parts of the course: navigation, contents tables, Binder links, exercise cells, the kit's tables.

Run ``python -m tools.sync`` (``make sync``) after adding or renaming a chapter or
editing an exercise; ``--check`` only reports what is stale. ``--repository owner/name``
(``make sync REPOSITORY=owner/name``) first writes a fork's GitHub address into pyproject.toml,
so that every Binder link points at the fork.
"""

from __future__ import annotations

import re
import sys
import tomllib

import nbformat

from helpers.exercises import chapter_exercises

from .chapters import NOTEBOOKS, README, ROOT, binder_url, read_chapter, replace_between, repository
from .kit import KIT, render
from .times import chapter_times, time_line

PYPROJECT = ROOT / "pyproject.toml"
# What a fresh copy says until its maintainers name their repository.
PLACEHOLDER = "your-github-user/flask-course"
# GitHub's rules: an owner of letters, digits and single hyphens; a name of letters, digits, '.', '-', '_'.
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/[A-Za-z0-9._-]{1,100}")


def set_repository(text, address):
    """pyproject.toml's ``text`` with ``[tool.course] repository`` set to ``address`` (``owner/name``)."""
    if not REPOSITORY.fullmatch(address) or address.split("/")[1] in (".", ".."):
        raise ValueError(f"{address!r} is not a GitHub repository: give it as owner/name, e.g. ada/flask-course")
    section = re.search(r"(?ms)^\[tool\.course\]\n.*?(?=^\[|\Z)", text)
    line = re.compile(r'(?m)^repository = ".*"$')
    if not section or not line.search(section[0]):
        raise ValueError("pyproject.toml has no `repository = \"...\"` line under [tool.course]")
    body = line.sub(f'repository = "{address}"', section[0], count=1)
    fresh = text[: section.start()] + body + text[section.end():]
    assert tomllib.loads(fresh)["tool"]["course"]["repository"] == address
    return fresh


def contents_table(all_chapters, prefix=""):
    """A Markdown table of the chapters with links relative to ``prefix``."""
    rows = ["| Chapter | Time | Open on Binder |", "|---|---|---|"]
    for ch in all_chapters:
        binder = f"[launch]({binder_url(ch.name)})"
        rows.append(f"| [{ch.title}]({prefix}{ch.name}) | {ch.times} | {binder} |")
    core = sum(ch.minutes or 0 for ch in all_chapters)
    full = sum(ch.full_minutes or ch.minutes or 0 for ch in all_chapters)
    rows.append(f"| **All chapters** | **{core} min on the core path, {full} min in full** | |")
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
    """The README's Binder badge, opening the first chapter, and how to set the address while it is a placeholder."""
    badge = f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(all_chapters[0].name)})"
    if repository()[0] != PLACEHOLDER:
        return badge
    return (f"{badge}\n\n*The Binder links point at `{PLACEHOLDER}`, a placeholder. To publish your copy,"
            " run `make sync REPOSITORY=owner/name` with its GitHub address, then commit and push.*")


KIND_NOTE = {"make": "*Make: no cell above does this; combine what you have learned.*\n\n"}


def _sync_exercises_and_time(nb, number):
    """Regenerate the exercise cells of one notebook in place, then the time its opening states."""
    exercises = {ex.id: ex for ex in chapter_exercises(number)}
    for cell in nb.cells:
        spec = cell.metadata.get("exercise")
        if spec:
            ex = exercises[spec["id"]]
            cell.source = {
                "task": f"### Exercise {ex.id}: {ex.title}\n\n{KIND_NOTE.get(ex.kind, '')}{ex.task}\n\n"
                f'Edit the next cell, run it, then run the check below it. '
                f'Stuck? `hint("{ex.id}")` gives a hint (run it again for the next); '
                f'`solution("{ex.id}")` shows an answer.\n\n'
                f'<details class="solution"><summary>Show a solution</summary>\n\n'
                f"```python\n{ex.solution}\n```\n\n</details>",
                "starter": ex.starter,
                "check": ex.check_call,
            }[spec["part"]]
    core, full = chapter_times(nb, {id: ex.kind for id, ex in exercises.items()})
    opening = nb.cells[1]
    line = time_line(core, full)
    opening.source = re.sub(r"^\*\*Time:\*\*.*$", lambda _: line, opening.source, count=1, flags=re.MULTILINE)


def _sync_links(nb, all_chapters, index):
    """Regenerate the navigation and contents cells of one notebook in place."""
    nav = navigation(all_chapters, index)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "nav" in tags:
            cell.source = nav
        if "contents" in tags:
            cell.source = replace_between(cell.source, "contents", contents_table(all_chapters))


def sync(write=True):
    """Bring every generated part up to date; return the files that were (or would be) changed."""
    stale = []
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    before = {path: path.read_text() for path in paths}
    books = {path: nbformat.reads(text, as_version=4) for path, text in before.items()}
    for path, nb in books.items():
        _sync_exercises_and_time(nb, int(path.name[:2]))
    all_chapters = [read_chapter(path, nb) for path, nb in books.items()]
    for index, (path, nb) in enumerate(books.items()):
        _sync_links(nb, all_chapters, index)
        after = nbformat.writes(nb) + "\n"
        if after != before[path]:
            stale.append(path)
            if write:
                path.write_text(after)
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
    argv = sys.argv[1:] if argv is None else list(argv)
    check_only = "--check" in argv
    if "--repository" in argv:
        at = argv.index("--repository")
        if at + 1 == len(argv):
            print("usage: python -m tools.sync --repository owner/name", file=sys.stderr)
            return 2
        try:
            PYPROJECT.write_text(set_repository(PYPROJECT.read_text(), argv[at + 1]))
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"repository: {argv[at + 1]} (pyproject.toml)")
    stale = sync(write=not check_only)
    for path in stale:
        print(f"{'stale' if check_only else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if check_only and stale else 0


if __name__ == "__main__":
    sys.exit(main())
