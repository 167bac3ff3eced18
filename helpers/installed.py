"""The course's libraries: the versions installed against the versions the course was tested with."""

import re
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
