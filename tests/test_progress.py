"""The learner's record: checks and predictions are kept, passes are never lost, bad input is explained."""

import json
import multiprocessing

import pytest

from helpers import installed, load_progress, predict, progress, reveal, versions
from helpers.exercises import all_exercises, check, get, record


@pytest.fixture(autouse=True)
def own_record(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_WORK", str(tmp_path))


def row(table, id):
    return next(line for line in table.splitlines() if line.startswith(f"| {id} |"))


def test_every_exercise_starts_not_tried():
    table = progress()
    assert f"**0 of {len(all_exercises())} exercises passed.**" in table
    for ex in all_exercises():
        assert row(table, ex.id).endswith("| not tried |")


def test_a_failed_check_records_what_it_saw_and_a_pass_replaces_it():
    ex = get("1.1")
    check("1.1", *ex.run(ex.starter))
    assert "❌ not yet: `GET /about` answered 404" in row(progress(), "1.1")
    check("1.1", *ex.run(ex.solution))
    assert row(progress(), "1.1").endswith("| ✅ passed |")
    assert "**1 of" in progress()


def test_a_pass_is_kept_when_a_later_attempt_fails():
    ex = get("1.1")
    check("1.1", *ex.run(ex.solution))
    check("1.1", *ex.run(ex.starter))
    assert "✅ passed (latest attempt: ❌" in row(progress(), "1.1")
    assert "**1 of" in progress()


def test_strict_checks_record_nothing_and_deleting_the_file_resets():
    ex = get("1.3")
    check("1.3", *ex.run(ex.solution), strict=True)
    assert not record.record_file().exists()
    check("1.3", *ex.run(ex.solution))
    assert record.record_file().exists()
    record.record_file().unlink()
    assert row(progress(), "1.3").endswith("| not tried |")


@pytest.mark.parametrize("content", ["{not json", "null", "[]", '"text"', "42", '{"exercises": null}', "\xff\xfe"])
def test_a_damaged_record_counts_as_empty_and_is_kept_aside(content):
    record.record_file().write_text(content, encoding="latin-1")
    assert "**0 of" in progress()
    ex = get("1.3")
    assert check("1.3", *ex.run(ex.solution)).passed
    assert "**1 of" in progress()
    kept = list(record.work_root().glob("progress.damaged-*.json"))
    if content.startswith("{\"exercises\""):
        assert kept == []  # a valid object with a bad part is repaired, not set aside
    else:
        assert len(kept) == 1 and kept[0].read_text(encoding="latin-1") == content


def test_the_first_format_of_the_record_is_still_read():
    record.record_file().write_text(json.dumps({"1.1": {"passed": True, "message": "well done."}}))
    assert row(progress(), "1.1").endswith("| ✅ passed |")


@pytest.mark.parametrize("bad", [1.2, None, 12, "1,2", "one.two", ("1", "2")])
def test_an_id_that_is_not_a_string_like_1_2_is_explained(bad):
    with pytest.raises(TypeError, match=r"ids are strings such as '1\.2' \(with the quotes\)"):
        check(bad)


def _record_many(work, ids, start):
    """Check each exercise in ``ids`` with its solution, all at once with another process."""
    import os

    os.environ["COURSE_WORK"] = work
    from helpers.exercises import check as check_in_child, get as get_in_child

    start.wait()
    for id in ids:
        ex = get_in_child(id)
        check_in_child(id, *ex.run(ex.solution))


@pytest.mark.slow  # three trials of two fresh processes: about ten seconds
def test_two_kernels_recording_at_the_same_moment_keep_every_result(tmp_path):
    ids = [ex.id for ex in all_exercises() if ex.id.split(".")[0] in {"0", "1", "2", "3", "4"}]
    halves = ids[0::2], ids[1::2]
    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        work = tmp_path / f"trial-{trial}"
        start = context.Event()
        children = [context.Process(target=_record_many, args=(str(work), half, start)) for half in halves]
        for child in children:
            child.start()
        start.set()
        for child in children:
            child.join(timeout=120)
            assert child.exitcode == 0
        kept = json.loads((work / "progress.json").read_text())
        assert sorted(id for id, entry in kept["exercises"].items() if entry["passed"]) == sorted(ids)


def test_a_prediction_is_noted_and_shown_next_to_what_happened():
    assert "noted" in predict("2.a", 405)
    shown = reveal("2.a", 405)
    assert "You predicted **405**; it was **405**. ✅" in shown
    assert "| 2.a | 405 | 405 |" in progress()
    predict("2.a", "404 Not Found")
    assert "🤔" in reveal("2.a", 405)


@pytest.mark.parametrize("empty", [..., None, "", "   "])
def test_an_empty_prediction_never_fails_and_records_nothing(empty):
    assert "No prediction written" in predict("3.b", empty)
    assert "It was **200**" in reveal("3.b", 200)
    assert "predictions written" not in progress()


def test_a_prediction_id_is_a_chapter_and_a_letter():
    with pytest.raises(TypeError, match="2.a"):
        predict("2.1", 404)


def test_a_saved_record_is_merged_without_losing_a_pass(tmp_path):
    ex = get("1.1")
    check("1.1", *ex.run(ex.solution))
    saved = tmp_path / "downloaded.json"
    saved.write_text(json.dumps({"exercises": {"1.1": {"passed": False}, "1.3": {"passed": True}},
                                 "predictions": {"2.a": {"guess": "405"}}}))
    table = load_progress(saved)
    assert row(table, "1.1").endswith("| ✅ passed |") and row(table, "1.3").endswith("| ✅ passed |")
    assert "| 2.a | 405 |" in table


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
