"""The course in a folder whose path has a space and a non-ASCII letter, as in ``~/My Courses/flåsk``.

A fresh copy there installs with the README's make targets, then runs, from its own .venv, the
tests that lean on paths: chapter 0, make wheelhouse's quoting, make lab as root, make sync, and
course.py. pip installs from this run's one download of the pins (tests/wheels.py), not from the
package index, whose path `make test` itself proves. The real `make wheelhouse` and the offline
install run in such a folder too, once per run (tests/test_teachers.py), so they are not repeated here.
"""

import os
import subprocess
import sys

import pytest

from tests.copies import FANCY, copy_course
from tests.wheels import pip_from


@pytest.mark.slow
@pytest.mark.network
def test_make_test_works_in_a_folder_with_a_space_and_a_non_ascii_letter(tmp_path, wheelhouse, dev_wheels):
    root = copy_course(tmp_path / FANCY, commit=True)  # make wheelhouse archives HEAD
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COURSE_", "VIRTUAL_ENV"))}

    install = subprocess.run(["make", "--no-print-directory", ".venv/.installed-test", f"PYTHON={sys.executable}"],
                             cwd=root, env={**env, **pip_from(wheelhouse, dev_wheels)},
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    python = root / ".venv" / "bin" / "python"
    where = subprocess.run([python, "-c", "import helpers, noteboard; print(helpers.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(root)), "the copy's own packages are installed"

    # The tests whose commands take the course's own path: make lab as root, a venv that fails,
    # make sync, make wheelhouse's quoting, and a chapter run as nbval runs it.
    paths = "lab_as_root or without_a_working_venv or sync_repository or wheelhouse or windows or ipynb"
    tests = f"tests/test_platform.py -k '{paths}' notebooks/00-start-here.ipynb"
    done = subprocess.run(["make", "--no-print-directory", "test", f"PYTHON={sys.executable}"],
                          cwd=root, env={**env, "PYTEST_ADDOPTS": tests},
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
    if os.geteuid() == 0:  # as root nothing here is skipped, make lab included
        assert "SKIPPED" not in done.stdout, done.stdout[-3000:]
