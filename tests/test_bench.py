"""make bench's arithmetic and verdicts, without running the benchmarks themselves."""

import pytest

from tools import bench


def test_percentile_is_the_nearest_rank():
    values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    assert bench.percentile(values, 0.9) == 10 and bench.percentile(values, 0.5) == 6
    assert bench.percentile([3.0], 0.9) == 3.0


@pytest.mark.parametrize(("ratios", "met"), [([1.9, 2.6, 1.8], True), ([2.2, 1.5, 2.1], False)])
def test_the_nbval_verdict_is_the_median_of_three_rounds(monkeypatch, capsys, ratios, met):
    rounds = iter(ratios)
    monkeypatch.setattr(bench, "course_against_floor",
                        lambda: (13, 10.0 * next(rounds), 10.0, {"00-start-here.ipynb": 1.0}))
    assert bench.nbval_report() is met
    out = capsys.readouterr().out
    assert out.count("(c) round") == 3 and f"median ratio of 3: {sorted(ratios)[1]:.2f}" in out
    assert ("MISSED" in out) is not met


def test_main_names_the_parts_missed_and_refuses_unknown_ones(monkeypatch, capsys):
    monkeypatch.setitem(bench.PARTS, "rerun", lambda: True)
    monkeypatch.setitem(bench.PARTS, "idle", lambda: False)
    assert bench.main(["rerun"]) == 0 and capsys.readouterr().out.strip() == "targets met"
    assert bench.main(["rerun", "idle"]) == 1 and "TARGETS MISSED: idle" in capsys.readouterr().out
    assert bench.main(["speed"]) == 2 and "choose from rerun, idle, nbval, lab" in capsys.readouterr().out


@pytest.mark.parametrize(("times", "met"), [([1.2, 2.5, 1.9], True), ([2.1, 1.1, 2.2], False)])
def test_the_lab_verdict_is_the_median_of_three_starts(monkeypatch, capsys, times, met):
    starts = iter(times)
    monkeypatch.setattr(bench, "lab_start_seconds", lambda: next(starts))
    monkeypatch.setattr(bench, "import_cpu_seconds", lambda module: 0.1)
    assert bench.lab_report() is met
    assert f"median {sorted(times)[1]:.2f} s" in capsys.readouterr().out


@pytest.mark.slow
def test_jupyterlab_starts_answers_and_stops():
    """The measured start is a real one: JupyterLab answers, then no process is left on its port."""
    seconds = bench.lab_start_seconds()
    assert 0 < seconds < 60
    assert 0 < bench.import_cpu_seconds("jsonschema") < 5
