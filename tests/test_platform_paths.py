"""The course in a folder whose path has a space and a non-ASCII letter, as in ``~/My Courses/flåsk``.

The course is the one the kit's offline steps unpacked and installed in such a folder, once per run
(tests/offline.py; tests/test_teachers.py checks those steps, and chapter 0 under nbval there).
On top of it the README's make targets install what `make test` needs, then `make test` runs,
from the folder's own .venv, the tests whose commands take the course's own path: make lab as
root, make with a Python that cannot make a venv, make wheelhouse's quoting, and course.py.
pip installs from this run's one download of the pins (tests/wheels.py), not from the package
index, whose path `make test` itself proves. The real `make wheelhouse` runs in such a folder
too, once per run (tests/wheels.py), and tests/test_platform.py runs make sync in one, so neither
is repeated here.
"""

import os
import subprocess
import sys

import pytest

from tests.offline import GROUP, NO_COMPILE
from tests.wheels import pip_from

GIT = ["git", "-c", "user.name=course", "-c", "user.email=course@example.invalid"]


@pytest.mark.slow
@pytest.mark.network
@GROUP  # builds on the offline install, which tests/test_teachers.py checks first
def test_make_test_works_in_a_folder_with_a_space_and_a_non_ascii_letter(tmp_path, offline_course, wheelhouse,
                                                                          dev_wheels):
    # offline_course first: it needs only make wheelhouse's step, and the test tools' download
    # goes on meanwhile.
    pip = {**pip_from(wheelhouse, dev_wheels), **NO_COMPILE}  # no byte-compiling: see tests/offline.py
    assert offline_course and not offline_course.failed, (
        f"the kit's offline install failed (tests/test_teachers.py says how): {offline_course and offline_course.failed}")
    root = offline_course.course
    assert " " in str(root) and "å" in str(root)
    # A git repository of one commit, as a fresh clone is: make wheelhouse archives HEAD, and the
    # tests copy the course's tracked files.
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the unpacked course"]):
        subprocess.run([*GIT, *command], cwd=root, check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COURSE_", "VIRTUAL_ENV"))}

    # The lab's libraries are there (the kit installed them): course.py installs the course's
    # packages, JupyterLab's settings and the test tools, each step with this folder's paths.
    install = subprocess.run(["make", "--no-print-directory", ".venv/.installed-test", f"PYTHON={sys.executable}"],
                             cwd=root, env={**env, **pip}, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert "Installing the test tools" in install.stdout and "Installed." in install.stdout, install.stdout
    python = root / ".venv" / "bin" / "python"
    where = subprocess.run([python, "-c", "import helpers, noteboard; print(helpers.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(root)), "the copy's own packages are installed"

    # The tests whose commands take the course's own path: make lab as root, a venv that fails,
    # make wheelhouse's quoting, and course.py's commands.
    paths = "lab_as_root or without_a_working_venv or wheelhouse or windows"
    done = subprocess.run(["make", "--no-print-directory", "test", f"PYTHON={sys.executable}"],
                          cwd=root, env={**env, "PYTEST_ADDOPTS": f"tests/test_platform.py -k '{paths}'"},
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
    if os.geteuid() == 0:  # as root nothing here is skipped, make lab included
        assert "SKIPPED" not in done.stdout, done.stdout[-3000:]
