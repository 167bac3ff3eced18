"""Windows without WSL: Gunicorn's cells step aside, the rest of chapter 10 still runs, and 8.3 skips its link case."""

import os

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import check, unix_only
from helpers.exercises import get
from tools.chapters import NOTEBOOKS


def test_unix_only_runs_gunicorn_on_linux(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_PLATFORM", raising=False)
    assert unix_only("gunicorn") is True
    assert capsys.readouterr().out == ""


def test_unix_only_says_why_and_what_to_do_on_windows(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PLATFORM", "win32")
    assert unix_only("gunicorn") is False
    said = capsys.readouterr().out
    assert "Skipped on Windows" in said and "fcntl" in said and "WSL" in said


def test_the_gunicorn_check_says_it_cannot_run_on_windows(monkeypatch):
    monkeypatch.setenv("COURSE_PLATFORM", "win32")
    ex = get("10.1")
    result = check("10.1", *ex.run(ex.solution))
    assert not result.passed and "does not run on Windows" in result.message


def test_the_keep_both_check_skips_the_link_case_on_windows_and_says_so(monkeypatch):
    """Windows' C library follows a dangling link even with "xb", so 8.3's solution could not pass the link case there."""
    monkeypatch.setenv("COURSE_PLATFORM", "win32")
    ex = get("8.3")
    result = check("8.3", *ex.run(ex.solution), strict=True)
    assert result.passed and "not a name taken by a link: on Windows" in result.message


def test_the_keep_both_check_still_catches_a_look_then_save_on_windows(monkeypatch):
    monkeypatch.setenv("COURSE_PLATFORM", "win32")
    ex = get("8.3")
    looks_first = ex.answers("wrong")[0][0]  # exists(), then save(): the link case would have caught it
    with pytest.raises(AssertionError, match="the other upload was replaced"):
        check("8.3", *ex.run(looks_first), strict=True)


@pytest.mark.notebook
@pytest.mark.slow
def test_chapter_10_runs_to_the_end_on_windows(tmp_path, monkeypatch):
    """Run All with the platform faked: no cell fails, Gunicorn cells say why they stepped aside."""
    monkeypatch.setenv("COURSE_PLATFORM", "win32")
    path = NOTEBOOKS / "10-deployment.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    said = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)
    guarded = [cell for cell in nb.cells if cell.cell_type == "code" and 'unix_only("gunicorn")' in cell.source]
    assert len(guarded) >= 7 and said.count("Skipped on Windows") >= 7
    assert "waitress" in said and "gunicorn -w 2 " not in said  # the load test measured the other servers only
