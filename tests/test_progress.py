"""Exercise progress is recorded by learner-mode checks and shown for the whole course."""

import pytest

from helpers import progress, versions
from helpers import installed
from helpers.exercises import all_exercises, check, get, progress_file
from tests.test_exercises import run


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
    check("1.1", *run(ex, ex.starter))
    assert "❌ not yet: `GET /about` answers 404" in row(progress(), "1.1")
    check("1.1", *run(ex, ex.solution))
    assert row(progress(), "1.1").endswith("| ✅ passed |")
    assert "**1 of" in progress()


def test_strict_checks_record_nothing_and_deleting_the_file_resets():
    ex = get("1.3")
    check("1.3", *run(ex, ex.solution), strict=True)
    assert not progress_file().exists()
    check("1.3", *run(ex, ex.solution))
    assert progress_file().exists()
    progress_file().unlink()
    assert row(progress(), "1.3").endswith("| not tried |")


def test_a_corrupt_progress_file_counts_as_empty():
    progress_file().write_text("{not json")
    assert "**0 of" in progress()


def test_the_installed_libraries_are_the_pinned_ones():
    table = versions()
    assert table.outside == []
    if table.from_source:  # make test-next: report the libraries it installed from their sources
        pytest.skip("installed from source instead of the pins: " + "; ".join(
            f"{name} {installed.version(name)} from {source}" for name, source in table.from_source.items()))


def test_versions_flag_a_library_outside_the_tested_range(monkeypatch):
    monkeypatch.setattr("helpers.installed.origin", lambda name: None)
    monkeypatch.setattr("helpers.installed.version", lambda name: "0.0.1" if name == "flask" else "9")
    table = versions()
    assert "flask" in table.outside and "pip install -r requirements.txt" in table
    assert "| flask | 0.0.1 | 3.1.3 | ⚠️ |" in table


def test_versions_report_a_library_installed_from_its_source(monkeypatch):
    monkeypatch.setattr("helpers.installed.origin", lambda name: "/src/flask at 2ac8988" if name == "flask" else None)
    pins = installed.tested()
    monkeypatch.setattr("helpers.installed.version", lambda name: "3.2.0.dev0" if name == "flask" else pins[name])
    table = versions()
    assert table.from_source == {"flask": "/src/flask at 2ac8988"} and "flask" not in table.outside
    assert "| flask | 3.2.0.dev0 (from /src/flask at 2ac8988) | 3.1.3 | ⚠️ |" in table
    assert "installed from their sources" in table and "known to work with Flask" in table
