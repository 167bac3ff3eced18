"""The kit's offline install, once per run, in a folder whose path has a space and a non-ASCII letter.

Two tests need the course installed in such a folder: the offline install from the wheelhouse
(tests/test_teachers.py) and ``make test`` in such a folder (tests/test_platform_paths.py).
Installing every pin takes most of a minute, so both use one install: the session fixture
``offline_course`` (tests/conftest.py) runs :func:`install` once, and both tests carry the mark
:data:`GROUP`, so that pytest-xdist runs them on the worker that holds the fixture.

:func:`install` does everything the offline test checks before any other test can change the
folder: the kit's steps, with every network route closed, then chapter 0 with only what they
installed. The path test then runs ``make test``'s install and a part of ``make test`` there.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.copies import FANCY
from tools.kit import KIT

GROUP = pytest.mark.xdist_group("course-in-a-folder-with-a-space")
DEAD = "http://127.0.0.1:9"  # a proxy that refuses every connection
# pip's setting for --no-compile, as an environment variable. Not PIP_NO_COMPILE=1: pip reads a
# --no-X variable's value as X's, so that one turns byte-compiling on.
NO_COMPILE = {"PIP_COMPILE": "false"}


def offline_steps():
    """The kit's shell lines for a machine with no network, in order."""
    return re.search(r"with no network at all:\n\n```bash\n(.*?)```", KIT.read_text(), re.DOTALL)[1].splitlines()


def no_network():
    """This process's environment with no pip configuration (no index, no find-links) and a dead proxy for anything that tries."""
    offline = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTEST", "COURSE_"))}
    offline.update(PIP_CONFIG_FILE=os.devnull, HTTP_PROXY=DEAD, HTTPS_PROXY=DEAD, http_proxy=DEAD, https_proxy=DEAD,
                   ALL_PROXY=DEAD, NO_PROXY="", no_proxy="")
    return offline


class Installed(NamedTuple):
    """What :func:`install` did: the kit's steps, where the course is, and what ran there after them.

    ``failed`` is the first step that failed, with its output ("" when every step passed); then
    ``helpers`` (where the installed helpers are imported from) and ``chapter`` are None.
    """

    steps: list
    course: Path
    failed: str
    helpers: subprocess.CompletedProcess | None
    chapter: subprocess.CompletedProcess | None


def install(archive, room):
    """Unpack ``archive`` in ``room`` with the kit's offline steps as written, then check what they installed.

    Every line but the last (which starts JupyterLab) runs in a shell, with the network shut out.
    pip is told not to byte-compile (:data:`NO_COMPILE`): that takes half of its time, needs no
    network and cannot fail an install, so the steps prove what they did with it.
    """
    room.mkdir(parents=True, exist_ok=True)
    shutil.copy(archive, room)
    offline = {**no_network(), **NO_COMPILE}
    steps, cwd = offline_steps(), room
    for line in steps[:-1]:
        if line.startswith("cd "):
            cwd = cwd / line[3:]
            continue
        line = re.sub(r"^python3 ", f"{shlex.quote(sys.executable)} ", line)
        done = subprocess.run(line, shell=True, cwd=cwd, env=offline, capture_output=True, text=True)
        if done.returncode:
            return Installed(steps, cwd, f"{line}\n{done.stdout[-2000:]}{done.stderr[-3000:]}", None, None)

    python = cwd / ".venv" / "bin" / "python"
    # From a folder outside the course, so that only the installed helpers can be found.
    helpers = subprocess.run([python, "-c", "import flask, helpers; print(helpers.__file__)"],
                             cwd=room.parent, env=offline, capture_output=True, text=True)
    local = {**offline, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}  # the app's own server
    chapter = subprocess.run([python, "-m", "pytest", "-q", "notebooks/00-start-here.ipynb"],
                             cwd=cwd, env=local, capture_output=True, text=True)
    return Installed(steps, cwd, "", helpers, chapter)

