"""Settings for every test run: folders of its own, and marks and groups for the notebooks."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Keep what test runs write (scratch files, the learner's record) out of the learner's own folders.
FOLDERS = (("COURSE_SCRATCH", "course-scratch-"), ("COURSE_WORK", "course-work-"))
for variable, prefix in FOLDERS:
    if variable not in os.environ:
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)  # kernels inherit it
        atexit.register(shutil.rmtree, os.environ[variable], ignore_errors=True)

# Parallel workers (make test) may run one chapter at the same time, and scratch("name") empties
# its folder: give each worker folders of its own, inside the run's.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
for variable, _ in FOLDERS:
    if WORKER and Path(os.environ[variable]).name != WORKER:
        own = Path(os.environ[variable]) / WORKER
        own.mkdir(exist_ok=True)
        os.environ[variable] = str(own)

# Tests with these marks start first, so that the wait for them overlaps with the rest.
LONGEST_FIRST = ("network", "notebook")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Mark the notebooks' cells, keep each notebook on one worker, and start the long tests first."""
    for item in items:
        if item.path.suffix == ".ipynb":  # nbval: one test per cell, every cell in one kernel
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.xdist_group(f"nbval-{item.path.stem}"))
    rank = {item: next((i for i, mark in enumerate(LONGEST_FIRST) if item.get_closest_marker(mark)), len(LONGEST_FIRST))
            for item in items}
    items.sort(key=rank.get)  # stable: tests of equal rank keep their order
    yield
    # pytest-xdist 3.8 (--dist loadgroup) tells a test's group by appending "@group" to
    # item._nodeid, which pytest 9.2 no longer reads, so every group would be split silently
    # (pytest-xdist issue 1386). Carry the suffix over; this does nothing once xdist is fixed.
    for item in items:
        grouped = item.__dict__.get("_nodeid")
        if grouped and grouped != item.nodeid:
            item._id = type(item.id).parse(grouped)
