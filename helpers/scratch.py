"""Scratch folders: where chapters write templates, databases and uploads."""

import os
import shutil
from pathlib import Path

from .paths import ROOT


def scratch_root():
    """The folder that holds every chapter's scratch folder (ignored by git).

    ``COURSE_SCRATCH`` overrides it; a leading ``~`` is the learner's home, so one setting on a
    hub (``COURSE_SCRATCH=~/flask-course-scratch``) gives every learner a folder of their own.
    """
    configured = os.environ.get("COURSE_SCRATCH")
    return Path(configured).expanduser() if configured else ROOT / "scratch"


def scratch(name, fresh=True):
    """A scratch folder for ``name``, emptied first unless ``fresh`` is False."""
    if not name or Path(name).name != name or name in {".", ".."}:
        raise ValueError(f"scratch folder name must be a plain name, not {name!r}")
    folder = scratch_root() / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
