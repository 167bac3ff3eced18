"""What helpers.installed says the running Flask and Werkzeug do is what they do, on 3.1 and on 3.2.

Each fact is checked twice: against the running libraries, and against the release whose change
log announced it, so a new release that changes it again fails here first.
"""

import json
import re
import subprocess
import sys

import pytest
from flask import Flask, g, redirect, request, stream_with_context

from helpers import installed
from helpers.installed import release

FLASK_32 = release("flask") >= (3, 2)
WERKZEUG_32 = release("werkzeug") >= (3, 2)


def test_redirect_without_a_code_answers_302_in_flask_31_and_303_from_32():
    app = Flask(__name__)

    @app.get("/old")
    def old():
        return redirect("/new")

    assert app.test_client().get("/old").status_code == installed.REDIRECT_CODE
    assert installed.REDIRECT_CODE == (303 if FLASK_32 else 302)


def test_reason_phrases_are_upper_case_in_werkzeug_31_and_title_case_from_32():
    app = Flask(__name__)
    app.get("/made")(lambda: ("made", 201))
    assert app.test_client().get("/made").status == f"201 {installed.reason(201)}"
    assert installed.reason(201) == ("Created" if WERKZEUG_32 else "CREATED")
    assert installed.reason(500) == ("Internal Server Error" if WERKZEUG_32 else "INTERNAL SERVER ERROR")


def test_an_equal_rule_twice_is_refused_from_werkzeug_32_and_kept_before():
    app = Flask(__name__)
    app.add_url_rule("/report", "first", lambda: "first")
    if WERKZEUG_32:
        with pytest.raises(installed.DuplicateRuleError):
            app.add_url_rule("/report", "second", lambda: "second")
    else:
        app.add_url_rule("/report", "second", lambda: "second")
    assert installed.REFUSES_DUPLICATE_RULES is WERKZEUG_32
    assert app.test_client().get("/report").text == "first"


def test_one_context_holds_app_and_request_from_flask_32():
    app = Flask(__name__)
    with app.app_context():
        with pytest.raises(RuntimeError) as outside:
            request.path
    expected = "There is no request in this context." if FLASK_32 else "Working outside of request context."
    assert str(outside.value).splitlines()[0] == expected
    assert installed.ONE_CONTEXT is FLASK_32


def test_a_request_reuses_an_app_context_already_pushed_only_in_flask_31():
    app = Flask(__name__)
    app.get("/")(lambda: {"seen": g.get("mark")})
    with app.app_context():
        g.mark = "pushed before the request"
        seen = app.test_client().get("/").json["seen"]
    assert seen == (None if installed.ONE_CONTEXT else "pushed before the request")


def test_stream_with_context_runs_teardown_twice_only_in_flask_31():
    app = Flask(__name__)
    trace = []

    @app.get("/stream")
    def stream():
        def body():
            trace.append(f"body at {request.path}")
            yield "piece"

        return stream_with_context(body())

    app.teardown_request(lambda error: trace.append("teardown"))
    assert app.test_client().get("/stream").text == "piece"
    if installed.STREAM_TEARDOWN_TWICE:
        assert trace == ["teardown", "body at /stream", "teardown"]
    else:
        assert trace == ["body at /stream", "teardown"]


class Record:
    """A stand-in for an installed distribution whose direct_url.json holds ``record``."""

    def __init__(self, record):
        self.record = record

    def read_text(self, name):
        assert name == "direct_url.json"
        return None if self.record is None else json.dumps(self.record)


def test_a_library_from_a_package_index_has_no_origin(monkeypatch):
    monkeypatch.setattr(installed, "distribution", lambda name: Record(None))
    assert installed.origin("flask") is None


def test_a_library_from_a_repository_names_the_commit(monkeypatch):
    record = {"url": "https://github.com/pallets/flask", "vcs_info": {"vcs": "git", "commit_id": "2ac8988"}}
    monkeypatch.setattr(installed, "distribution", lambda name: Record(record))
    assert installed.origin("flask") == "https://github.com/pallets/flask at 2ac8988"


def test_a_library_from_a_folder_names_its_checkout_commit(monkeypatch, tmp_path):
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "main"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    monkeypatch.setattr(installed, "distribution", lambda name: Record({"url": tmp_path.as_uri(), "dir_info": {}}))
    assert installed.origin("flask") == f"{tmp_path} at {commit}"
    (tmp_path / ".git").rename(tmp_path / "git-was-here")  # an unpacked snapshot: no history
    assert installed.origin("flask") == f"{tmp_path} at no git commit (not a checkout)"
    editable = {"url": tmp_path.as_uri(), "dir_info": {"editable": True}}
    monkeypatch.setattr(installed, "distribution", lambda name: Record(editable))
    assert installed.origin("flask") is None


def test_known_versions_name_the_pinned_flask():
    assert installed.KNOWN_TO_WORK[0][0] == installed.tested()["flask"]
    assert f"**{installed.tested()['flask']}**" in installed.known_to_work()
    assert installed.known_to_work() in installed.versions()


def test_the_readme_names_every_flask_version_known_to_work():
    readme = (installed.ROOT / "README.md").read_text()
    for number, _ in installed.KNOWN_TO_WORK:
        assert number in readme.split("**Flask versions known to work")[1].split("\n\n")[0], number
    assert "make test-next FLASK=" in readme


def test_the_report_names_python_every_pin_and_the_redirect_code():
    lines = installed.report().splitlines()
    assert lines[0].startswith("Python 3.")
    assert any(line.startswith(f"flask {installed.version('flask')}") for line in lines)
    assert len(lines) == 1 + len(installed.tested()) + 4 + 1
    assert lines[-1].startswith(f"redirect() answers {installed.REDIRECT_CODE} without a code")


def test_flask_limiter_imports_two_aliases_that_flask_32_deprecates():
    """pyproject.toml shows these two warnings instead of failing on them; drop its filters when this fails."""
    imported = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c", "import flask_limiter"],
                              capture_output=True, text=True, check=True)
    warned = re.findall(r"DeprecationWarning: '(\w+)' has merged", imported.stderr)
    assert warned == (["RequestContext", "request_ctx"] if FLASK_32 else [])


def test_make_test_next_installs_the_sources_reports_them_and_runs_what_make_test_runs():
    makefile = (installed.ROOT / "Makefile").read_text()
    prerequisites, recipe = re.search(r"^test-next:(.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE).groups()
    assert "$(NPM_STAMP)" in prerequisites, "the JupyterHub and accessibility tests need npm's tools, as in make test"
    test = re.search(r"^test: .*\n\t(.*)\n", makefile, re.MULTILINE)[1]
    assert '"$(WERKZEUG)" "$(FLASK)"' in recipe and "from helpers.installed import report" in recipe
    assert "-m tools.lab_settings" in recipe, "tests/test_lab_settings.py needs the course's JupyterLab defaults"
    assert recipe.splitlines()[-1].split(" -m pytest")[1] == test.split(" -m pytest")[1]
    assert "test-next" not in re.search(r"^test: (.*)", makefile, re.MULTILINE)[1]
