"""The course's libraries: the versions installed against the versions the course was tested with."""

import os
import re
import sys
from importlib.metadata import PackageNotFoundError, version

from .display import Markdown
from .paths import ROOT

FIX = "pip install -r requirements.txt  (or `make lab`, which does it for you)"


def tested():
    """The pinned versions from requirements.txt, by package name."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.]+)", line.strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def versions():
    """A table of installed and tested versions that says plainly what to do about a mismatch."""
    rows = ["| Library | Installed | Tested with | |", "|---|---|---|---|"]
    outside = []
    for name, pinned in tested().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        same = installed == pinned
        rows.append(f"| {name} | {installed} | {pinned} | {'✅' if same else '⚠️'} |")
        if not same:
            outside.append(name)
    if outside:
        verdict = (f"⚠️ **{', '.join(outside)}** differ from the tested versions: the course may not run "
                   f"as written. Fix it with `{FIX}`, then restart the kernel.")
    else:
        verdict = "✅ Every library is at the version the course was tested with."
    table = Markdown(verdict + "\n\n" + "\n".join(rows))
    table.outside = outside
    return table


UNIX_ONLY = {
    "gunicorn": "Gunicorn needs Unix (it imports `fcntl`, which Windows lacks)",
}


def platform():
    """The platform the course believes it runs on: ``sys.platform``, or ``$COURSE_PLATFORM`` in tests."""
    return os.environ.get("COURSE_PLATFORM") or sys.platform


def unix_only(tool):
    """True where a Unix-only ``tool`` runs; elsewhere say so, and what to do, and return False."""
    if not platform().startswith("win"):
        return True
    print(f"Skipped on Windows: {UNIX_ONLY.get(tool, tool + ' needs Unix')}. Run this chapter on Binder "
          "or in WSL to see this cell; the cells without it still run here.")
    return False
