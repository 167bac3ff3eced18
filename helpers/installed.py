"""The course's libraries: installed against tested versions, what the installed Flask does where releases differ, and which tools need Unix."""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution, version
from urllib.parse import unquote, urlparse

import flask.ctx
from flask import redirect
from werkzeug.wrappers import Response

from .display import Markdown
from .paths import ROOT

FIX = "pip install -r requirements.txt  (or `make lab`, which does it for you)"

# The Flask versions the whole course (every cell, check and test) has passed on, and how.
# Chapter 0's table and the teacher's kit quote this list; update it after `make test-next`.
KNOWN_TO_WORK = (
    ("3.1.3", "the pinned release, with Werkzeug 3.1.9 (`make test`)"),
    ("3.2.0.dev0", "Flask's main branch at pallets/flask@2ac8988, with Werkzeug's at "
                   "pallets/werkzeug@1b00618 (`make test-next`)"),
)


def release(name, parts=2):
    """The first numbers of an installed library's version: (3, 1) for 3.1.3, (3, 2, 0) for 3.2.0.dev0 with parts=3."""
    numbers = re.match(r"\d+(\.\d+)*", version(name))[0].split(".")
    return tuple(int(n) for n in (numbers + ["0"] * parts)[:parts])


# What the installed Flask and Werkzeug do where 3.1 and 3.2 differ. The chapters read these
# instead of testing version numbers themselves; tests/test_installed.py checks each one
# against the running libraries and against the release that changed it.

#: The status ``redirect(url)`` answers when no ``code`` is given: 302 in Flask 3.1, 303 from 3.2.
REDIRECT_CODE = redirect("/").status_code

#: From Flask 3.2 one context holds both the app and the request (RequestContext merged into
#: AppContext, and the old name is only a deprecated alias), and a request always pushes a context
#: of its own. In 3.1 a request context is pushed on top of an app context, and a request reuses an
#: app context already pushed for its app (and its ``g``).
ONE_CONTEXT = "RequestContext" not in vars(flask.ctx)

#: Flask 3.1.2 and 3.1.3 run teardown functions twice for a body wrapped in stream_with_context,
#: once after the view and again when the body ends; 3.1.0, 3.1.1 and 3.2 run them once, at the end.
STREAM_TEARDOWN_TWICE = (3, 1, 2) <= release("flask", 3) < (3, 2, 0)

try:  # Werkzeug 3.2 refuses a rule equal to one the map already has
    from werkzeug.routing.exceptions import DuplicateRuleError

    REFUSES_DUPLICATE_RULES = True
except ImportError:  # Werkzeug 3.1 keeps both rules; the first one added answers
    REFUSES_DUPLICATE_RULES = False

    class DuplicateRuleError(Exception):
        """Never raised: Werkzeug before 3.2 accepts a rule equal to one it has."""


def reason(status):
    """The reason phrase Werkzeug sends with ``status``: "INTERNAL SERVER ERROR" in 3.1, "Internal Server Error" from 3.2."""
    return Response(status=status).status.partition(" ")[2]


def origin(name):
    """Where an installed library came from when not from a package index: a folder or repository and its commit, else None."""
    try:
        record = distribution(name).read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    if not record:
        return None
    direct = json.loads(record)
    url = direct["url"]
    if "vcs_info" in direct:
        return f"{url} at {direct['vcs_info'].get('commit_id', 'an unknown commit')}"
    if url.startswith("file://") and "dir_info" in direct:
        folder = unquote(urlparse(url).path)
        if direct["dir_info"].get("editable"):
            return None  # the course's own package, installed with --editable
        commit = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True)
        return f"{folder} at {commit.stdout.strip() if commit.returncode == 0 else 'no git commit (not a checkout)'}"
    return url


def tested():
    """The pinned versions from requirements.txt, by package name."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.]+)", line.strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def known_to_work():
    """One sentence naming the Flask versions the course is known to work with."""
    versions = "; ".join(f"**{number}**, {how}" for number, how in KNOWN_TO_WORK)
    return f"The course is known to work with Flask {versions}."


def versions():
    """A table of installed and tested versions that says plainly what to do about a mismatch."""
    rows = ["| Library | Installed | Tested with | |", "|---|---|---|---|"]
    outside, from_source = [], {}
    for name, pinned in tested().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        same = installed == pinned
        source = origin(name) if not same else None
        shown = f"{installed} (from {source})" if source else installed
        rows.append(f"| {name} | {shown} | {pinned} | {'✅' if same else '⚠️'} |")
        if source:
            from_source[name] = source
        elif not same:
            outside.append(name)
    if outside:
        verdict = (f"⚠️ **{', '.join(outside)}** differ from the tested versions: the course may not run "
                   f"as written. Fix it with `{FIX}`, then restart the kernel.")
    elif from_source:
        verdict = (f"🧪 **{', '.join(from_source)}** are installed from their sources, as `make test-next` "
                   f"does; every other library is at the tested version.")
    else:
        verdict = "✅ Every library is at the version the course was tested with."
    table = Markdown(verdict + "\n\n" + "\n".join(rows) + "\n\n" + known_to_work())
    table.outside = outside
    table.from_source = from_source
    return table


def report(extra=("click", "itsdangerous", "blinker", "markupsafe")):
    """Plain text for a log: Python, every pinned library and Flask's own dependencies, with versions and sources."""
    lines = [f"Python {sys.version.split()[0]}"]
    for name in [*tested(), *extra]:
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        pinned = tested().get(name)
        note = f" (pinned {pinned})" if pinned and pinned != installed else ""
        source = origin(name)
        lines.append(f"{name} {installed}{note}" + (f" from {source}" if source else ""))
    lines.append(f"redirect() answers {REDIRECT_CODE} without a code; a reason phrase reads {reason(500)!r}")
    return "\n".join(lines)


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
