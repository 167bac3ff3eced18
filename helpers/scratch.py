"""Scratch folders: where chapters write templates, databases and uploads."""

import os
import shutil
from pathlib import Path

from .paths import ROOT


def scratch_root():
    """The folder that holds every chapter's scratch folder (ignored by git)."""
    configured = os.environ.get("COURSE_SCRATCH")
    return Path(configured) if configured else ROOT / "scratch"


def scratch(name, fresh=True):
    """A scratch folder for ``name``, emptied first unless ``fresh`` is False."""
    if not name or Path(name).name != name or name in {".", ".."}:
        raise ValueError(f"scratch folder name must be a plain name, not {name!r}")
    folder = scratch_root() / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
