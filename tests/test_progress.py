"""Exercise progress is recorded by learner-mode checks and shown for the whole course."""

import pytest

from helpers import progress, versions
from helpers.exercises import all_exercises, check, get, progress_file
from tests.support import run_exercise


@pytest.fixture(autouse=True)
def own_scratch(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_SCRATCH", str(tmp_path))


def row(table, id):
    return next(line for line in table.splitlines() if line.startswith(f"| {id} |"))


def test_every_exercise_starts_not_tried():
    table = progress()
    assert f"**0 of {len(all_exercises())} exercises passed.**" in table
    for ex in all_exercises():
        assert row(table, ex.id).endswith("| not tried |")


def test_a_failed_check_records_its_hint_and_a_pass_replaces_it():
    ex = get("1.1")
    check("1.1", *run_exercise(ex, ex.starter))
    assert "❌ not yet: `GET /about` answers 404" in row(progress(), "1.1")
    check("1.1", *run_exercise(ex, ex.solution))
    assert row(progress(), "1.1").endswith("| ✅ passed |")
    assert "**1 of" in progress()


def test_strict_checks_record_nothing_and_deleting_the_file_resets():
    ex = get("1.3")
    check("1.3", *run_exercise(ex, ex.solution), strict=True)
    assert not progress_file().exists()
    check("1.3", *run_exercise(ex, ex.solution))
    assert progress_file().exists()
    progress_file().unlink()
    assert row(progress(), "1.3").endswith("| not tried |")


def test_a_corrupt_progress_file_counts_as_empty():
    progress_file().write_text("{not json")
    assert "**0 of" in progress()


def test_versions_flag_a_library_outside_the_tested_range(monkeypatch):
    assert versions().outside == []
    monkeypatch.setattr("helpers.installed.version", lambda name: "0.0.1" if name == "flask" else "9")
    table = versions()
    assert "flask" in table.outside and "pip install -r requirements.txt" in table
    assert "| flask | 0.0.1 | 3.1.3 | ⚠️ |" in table
