"""Scratch folders are fresh, outside the tracked tree, and refuse odd names."""

import subprocess

import pytest

from helpers import scratch
from helpers.paths import ROOT
from helpers.scratch import scratch_root


def test_scratch_is_fresh_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_SCRATCH", str(tmp_path))
    folder = scratch("04-templates")
    (folder / "page.html").write_text("old")
    assert scratch("04-templates") == folder
    assert list(folder.iterdir()) == []
    (folder / "keep.db").write_text("data")
    assert (scratch("04-templates", fresh=False) / "keep.db").exists()


@pytest.mark.parametrize("bad", ["", ".", "..", "../escape", "a/b", "/tmp"])
def test_names_that_leave_the_scratch_root_are_refused(bad):
    with pytest.raises(ValueError, match="plain name"):
        scratch(bad)


def test_default_scratch_root_is_ignored_by_git(monkeypatch):
    monkeypatch.delenv("COURSE_SCRATCH", raising=False)
    assert scratch_root() == ROOT / "scratch"
    ignored = subprocess.run(["git", "check-ignore", "-q", "scratch/any/file.db"], cwd=ROOT)
    assert ignored.returncode == 0


def test_a_scratch_setting_with_a_tilde_is_in_the_learners_home(monkeypatch, tmp_path):
    from helpers.scratch import scratch_root

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COURSE_SCRATCH", "~/flask-course-scratch")
    assert scratch_root() == tmp_path / "flask-course-scratch"


def test_a_work_setting_with_a_tilde_is_in_the_learners_home(monkeypatch, tmp_path):
    from helpers.exercises.record import work_root

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COURSE_WORK", "~/flask-course-work")
    assert work_root() == tmp_path / "flask-course-work"
