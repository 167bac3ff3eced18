"""A copy of the course in another folder, for the tests that run its make targets there."""

import shutil
import subprocess
from pathlib import Path

from tools.chapters import ROOT

FANCY = Path("My Courses") / "flåsk"  # a space and a non-ASCII letter, as in a newcomer's home folder


def copy_course(dest, commit=False):
    """Copy the course's files (tracked, or new and not ignored) into ``dest``, without .venv or build.

    With ``commit``, make the copy a git repository of one commit, as a fresh clone is.
    """
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    if commit:
        git = ["git", "-c", "user.name=course", "-c", "user.email=course@example.invalid"]
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "a copy of the course"]):
            subprocess.run([*git, *command], cwd=dest, check=True, capture_output=True)
    return dest
