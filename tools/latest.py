"""The newest release of every library the course pins: install it, then say which differ from the pins.

tox's ``latest`` environment (``make test-latest``) runs ``python -m tools.latest install`` before
the suite and ``python -m tools.latest report`` after it, whether the suite passed or not. The
report only informs: the run fails when a test or a notebook cell does, not because a library
has a newer release.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("requirements.txt", "requirements-dev.txt")
PIN = re.compile(r"([A-Za-z0-9_.-]+)==(\S+)")


def pins(root=ROOT):
    """Every pinned library of the requirement files, name to version, in the files' order."""
    found = {}
    for name in FILES:
        for line in (Path(root) / name).read_text().splitlines():
            match = PIN.fullmatch(line.split("#")[0].strip())
            if match:
                found[match[1].lower()] = match[2]
    return found


def install(root=ROOT):
    """Install the newest release of every pinned library, and of what each one needs."""
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
               "--upgrade", "--upgrade-strategy", "eager", *pins(root)]
    return subprocess.call(command)


def compare(pinned, installed):
    """Lines that name each library whose installed version differs from its pin, newest first."""
    from packaging.version import Version  # installed with the libraries, not before them

    newer, older = [], []
    for name, pin in pinned.items():
        have = installed.get(name)
        if have is None:
            older.append(f"  {name} {pin}: not installed")
        elif Version(have) > Version(pin):
            newer.append(f"  {name} {pin} -> {have}")
        elif Version(have) < Version(pin):
            older.append(f"  {name} {pin} -> {have} (older than the pin)")
    lines = [f"{len(newer)} of {len(pinned)} pinned libraries have a newer release:", *newer]
    if not newer:
        lines = [f"All {len(pinned)} pinned libraries are at their newest release."]
    if older:
        lines += ["Not at their pin, and not newer:", *older]
    if newer:
        lines.append("If the suite passed, move these pins in requirements*.txt and environment.yml together.")
    return lines


def installed_versions(names):
    """The installed version of each name, leaving out those not installed."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def main(argv=None):
    """``install`` the newest releases, or ``report`` how they differ from the pins."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["install"]:
        return install()
    if argv == ["report"]:
        pinned = pins()
        print("\n".join(compare(pinned, installed_versions(pinned))))
        return 0
    print("usage: python -m tools.latest install|report", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
