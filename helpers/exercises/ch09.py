"""Exercises of chapter 9: tests that pass on a working app and fail on a broken one.

Each exercise asks for a pytest test function. The check calls it the way
pytest would, handing it the fixtures it names (``client``, ``logged_in``,
``make_app``, ``app``, ``runner``, ``tmp_path``, made as the chapter's
``conftest.py`` makes them), first against the chapter's notes app and then
against a copy with one bug. A good test passes on the first and fails on the
second.

The notes app is not copied here. The check reads it from the chapter's
notebook, the ``%%writefile`` cell that writes ``notesapp.py`` and the cell that
holds its templates, and writes both into a throwaway folder under
``scratch/``, so the check always judges against the app the learner reads.
A bug is put in by replacing one exact piece of that source, as the chapter
itself does when it breaks the login on purpose.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import itertools
import json
import sys
import tempfile
import traceback
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from ..paths import ROOT
from ..scratch import scratch
from . import Wrong, exercise

PASSWORD = "correct horse"
FIXTURES = ("client", "logged_in", "make_app", "app", "runner", "tmp_path")
NOTEBOOK = ROOT / "notebooks" / "09-testing.ipynb"
APP_CELL = '%%writefile "{WORK}/notesapp.py"'
TEMPLATES_CELL = "TEMPLATES = {"

# Each bug: one exact piece of the chapter's notesapp.py, and what the broken copy has instead.
BUGS = {
    "logout keeps the session": (
        '        session.clear()\n        return redirect(url_for("login"))\n',
        '        return redirect(url_for("login"))\n',
    ),
    "csrf ignored": ('csrf = app.config["CSRF_ENABLED"]', "csrf = False"),
    "any suffix": (
        "if Path(secure_filename(field.data.filename)).suffix.lower() not in ALLOWED_SUFFIXES:",
        "if False:",
    ),
    "password kept as typed": (
        "        add_user(app, name, password)\n",
        '        with app.extensions["notes"].db:\n'
        '            app.extensions["notes"].User.create(name=name, password_hash=password)\n',
    ),
}
_module_numbers = itertools.count()


def chapter_app_source():
    """The notes app's module text and its templates, as the chapter's notebook holds them."""
    # Plain JSON, not nbformat.read: validating the whole notebook costs about a second.
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    app_cells = [source for source in code if source.startswith(APP_CELL)]
    template_cells = [source for source in code if source.startswith(TEMPLATES_CELL)]
    if not app_cells or not template_cells:
        raise Wrong(
            f"The check reads the notes app from {NOTEBOOK.name}, but as saved it has no cell that "
            f"starts with `{APP_CELL}` or `{TEMPLATES_CELL}`. Undo your changes to those cells, "
            "save the notebook, and check again."
        )
    try:
        templates = ast.literal_eval(ast.parse(template_cells[0]).body[0].value)
    except (SyntaxError, ValueError) as error:
        raise Wrong(
            f"The check reads the templates from the `{TEMPLATES_CELL}` cell of {NOTEBOOK.name} and "
            f"could not ({error}). Undo your changes to that cell, save the notebook, and check again."
        ) from None
    return app_cells[0].split("\n", 1)[1], templates


def load_notes_app(folder, bug=None):
    """Write the chapter's notes app (with ``bug`` put in) into ``folder`` and import it."""
    source, templates = chapter_app_source()
    if bug is not None:
        old, new = BUGS[bug]
        if source.count(old) != 1:
            raise Wrong(
                f"The check makes its broken copy of the notes app by changing `{old.strip()}` in the "
                f"`%%writefile` cell of {NOTEBOOK.name}, and the saved notebook does not have that "
                "line exactly once. Undo your changes to that cell, save the notebook, and check again."
            )
        source = source.replace(old, new)
    folder = Path(folder)
    (folder / "templates").mkdir(parents=True)
    for name, text in templates.items():
        (folder / "templates" / name).write_text(text)
    (folder / "notesapp.py").write_text(source)
    name = f"_ch09_notesapp_{next(_module_numbers)}"  # never the notebook's own `notesapp`
    spec = importlib.util.spec_from_file_location(name, folder / "notesapp.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Flask(__name__) finds its root folder, and templates/, through here
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


class _RecordingClient(FlaskClient):
    """A test client that notes each request and its answer."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        for answer in [*response.history, response]:
            self.application.record.append(
                ("request", answer.request.method, answer.request.path, answer.status_code,
                 answer.location or "", answer.get_data(as_text=True)[:300])
            )
        return response


class _RecordingRunner(FlaskCliRunner):
    """A CLI runner that notes each command, its input and its result."""

    def invoke(self, cli=None, args=None, **kwargs):
        result = super().invoke(cli, args, **kwargs)
        self.app.record.append(("command", args, kwargs.get("input"), result.exit_code, result.output))
        return result


class _Fixtures:
    """pytest's fixtures for one test run, made on first use as the chapter's conftest makes them."""

    def __init__(self, folder, bug):
        self.folder = Path(folder)
        self.module = load_notes_app(self.folder / "source", bug)
        self.tmp_path = self.folder / "tmp_path"
        self.tmp_path.mkdir()
        self.apps = []
        self.made = {}

    def make_app(self, **overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE": str(self.tmp_path / "notes.sqlite"),
            "UPLOAD_FOLDER": str(self.tmp_path / "uploads"),
            "CSRF_ENABLED": False,
            "PASSWORD_METHOD": "pbkdf2:sha256:1000",
        }
        app = self.module.create_app(config | overrides)
        self.module.init_db(app)
        self.module.add_user(app, "ada", PASSWORD)
        app.test_client_class = _RecordingClient
        app.test_cli_runner_class = _RecordingRunner
        app.record = []  # what the learner's test did, for specific hints
        app.overrides = overrides
        self.apps.append(app)
        return app

    def get(self, name):
        if name not in self.made:
            self.made[name] = {
                "tmp_path": lambda: self.tmp_path,
                "make_app": lambda: self.make_app,
                "app": lambda: self.make_app(),
                "client": lambda: self.get("app").test_client(),
                "runner": lambda: self.get("app").test_cli_runner(),
                "logged_in": self._logged_in,
            }[name]()
        return self.made[name]

    def _logged_in(self):
        client = self.get("client")
        response = client.post("/login", data={"name": "ada", "password": PASSWORD})
        if response.status_code != 302:
            raise Wrong(
                f"The `logged_in` fixture could not log ada in: `POST /login` answered "
                f"{response.status_code}. The check uses the app of the `%%writefile` cell of "
                f"{NOTEBOOK.name} as saved: undo your changes to it, save, and check again."
            )
        client.application.record.clear()  # the fixture's own login is not the test's doing
        return client

    @property
    def record(self):
        return [entry for app in self.apps for entry in app.record]

    def close(self):
        sys.modules.pop(self.module.__name__, None)


def _run(test, bug):
    """Call ``test`` with fresh fixtures; return (outcome, error, fixtures)."""
    with tempfile.TemporaryDirectory(dir=scratch("ch09-checks", fresh=False)) as folder:
        fixtures = _Fixtures(folder, bug)
        try:
            kwargs = {name: fixtures.get(name) for name in inspect.signature(test).parameters}
            try:
                test(**kwargs)
            except AssertionError as error:
                return "failed", error, fixtures
            except Exception as error:
                return "error", error, fixtures
            return "passed", None, fixtures
        finally:
            fixtures.close()


def _where(error):
    """The line of the learner's test that failed, when Python can show it."""
    frames = traceback.extract_tb(error.__traceback__)
    line = frames[-1].line if frames else ""
    detail = f" at `{line}`" if line else ""
    message = f" ({error})" if str(error) else ""
    return f"{detail}{message}"


def _shape(test):
    """Reject what pytest would not run as a test, with the reason."""
    if not callable(test):
        raise Wrong(f"pass your test function itself (its name, no parentheses), not {type(test).__name__}.")
    name = getattr(test, "__name__", "")
    if not name.startswith("test"):
        raise Wrong(f"pytest only collects functions whose names start with `test`; yours is `{name}`.")
    unknown = [p for p in inspect.signature(test).parameters if p not in FIXTURES]
    if unknown:
        raise Wrong(
            f"pytest has no fixture named `{unknown[0]}` in this suite; "
            f"the conftest offers {', '.join(f'`{f}`' for f in FIXTURES)}."
        )


def _requests(fixtures, method=None, path=None):
    return [
        entry for entry in fixtures.record
        if entry[0] == "request" and (method is None or entry[1] == method) and (path is None or path(entry[2]))
    ]


def _judge(test, bug, on_correct, on_broken_pass):
    """Run ``test`` on the working app (it must pass), then on the broken one (it must fail)."""
    _shape(test)
    outcome, error, fixtures = _run(test, bug=None)
    if outcome == "error":
        raise error
    if outcome == "failed":
        specific = on_correct(fixtures)
        raise Wrong(
            f"Your test fails against the working app{_where(error)}, so the mistake is in the test."
            + (f" {specific}" if specific else "")
        )
    outcome, error, fixtures = _run(test, bug=bug)
    if outcome == "passed":
        raise Wrong(on_broken_pass(fixtures))


SETUP = """
    import io
    from flask import session
"""


@exercise(
    "9.1",
    title="Logged out means logged out",
    task="""
        Write `test_logout_forgets_the_user(client)`. Put `user_id` 1 (ada, whom
        the fixtures create) into the session with `client.session_transaction()`,
        check that `GET /notes` answers 200, send `POST /logout`, then check that
        the user is really gone: `user_id` is no longer in the session, or
        `GET /notes` redirects to `/login` again.

        The check runs your test twice, the way pytest would: against the notes
        app (it must pass) and against a copy whose `/logout` forgets to clear
        the session (it must fail).
    """,
    source="""
        def test_logout_forgets_the_user(client):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            ### BEGIN SOLUTION
            assert client.get("/notes").status_code == 200
            client.post("/logout")
            with client.session_transaction() as sess:
                assert "user_id" not in sess
            assert client.get("/notes").location == "/login"
            ### STARTER
            # check GET /notes, then POST /logout, then check the user is gone
            ### END SOLUTION
    """,
    hints=[
        "A test that asserts nothing passes on every app, broken or not. After "
        '`client.post("/logout")`, open the session again with '
        "`with client.session_transaction() as sess:` and assert "
        '`"user_id" not in sess`.',
        'You can also check the effect: `client.get("/notes")` after logging out '
        'answers 302 with `response.location == "/login"`.',
        '`/logout` accepts only POST: `client.get("/logout")` answers 405.',
    ],
    args="test_logout_forgets_the_user",
    setup=SETUP,
)
def _logout(test):
    def on_correct(fixtures):
        notes = _requests(fixtures, "GET", lambda p: p == "/notes")
        if notes and notes[0][3] == 302:
            return (
                "Before logging out, `GET /notes` already redirected to `/login`: the session "
                'held no user. The app looks for the key `"user_id"`: `sess["user_id"] = 1`.'
            )
        if _requests(fixtures, "GET", lambda p: p == "/logout"):
            return '`GET /logout` answers 405: log out with `client.post("/logout")`.'
        return ""

    def on_broken_pass(fixtures):
        if not _requests(fixtures, "POST", lambda p: p == "/logout"):
            return 'Your test never logs out: send `client.post("/logout")`, then check the session.'
        return (
            "Your test passed against a broken app whose `/logout` leaves `user_id` in the "
            "session, so it would not catch that bug. After the logout, assert that "
            '`"user_id"` is not in the session, or that `GET /notes` redirects to `/login`.'
        )

    _judge(test, "logout keeps the session", on_correct, on_broken_pass)


@exercise(
    "9.2",
    title="No token, no note",
    task="""
        The `client` fixture's app has CSRF switched off. Write
        `test_a_note_needs_a_csrf_token(make_app)`: build an app with CSRF on
        (`make_app(CSRF_ENABLED=True)`), get its test client, log in as user 1
        through the session, then `POST /notes` with a title but no
        `csrf_token`. Check that the answer is 400 and that `GET /api/notes`
        still returns an empty list.

        The check runs your test against the notes app (it must pass) and
        against a copy that never checks the token (it must fail).
    """,
    source="""
        def test_a_note_needs_a_csrf_token(make_app):
            ### BEGIN SOLUTION
            client = make_app(CSRF_ENABLED=True).test_client()
            ### STARTER
            client = make_app().test_client()
            ### END SOLUTION
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            response = client.post("/notes", data={"title": "No token"})
            ### BEGIN SOLUTION
            assert response.status_code == 400
            assert b"CSRF token missing." in response.data
            assert client.get("/api/notes").json == []
            ### STARTER
            ### END SOLUTION
    """,
    hints=[
        "`make_app()` with no arguments builds an app with CSRF off, like the `app` "
        "fixture. Pass the setting: `make_app(CSRF_ENABLED=True)`.",
        "Assert on the answer: `assert response.status_code == 400`, and that "
        '`client.get("/api/notes").json == []` (nothing was stored).',
        "With CSRF on, the login form wants a token too. Logging in through "
        '`client.session_transaction()` (`sess["user_id"] = 1`) skips the form.',
    ],
    args="test_a_note_needs_a_csrf_token",
    setup=SETUP,
)
def _csrf(test):
    def csrf_never_on(fixtures):
        return not any(app.overrides.get("CSRF_ENABLED") for app in fixtures.apps)

    def too_late(fixtures):
        if any(app.config.get("CSRF_ENABLED") for app in fixtures.apps):
            return (
                " Setting `app.config[\"CSRF_ENABLED\"] = True` on an app that exists is too late: "
                "the factory built the forms already (the trap shown after \"Two apps from one "
                "factory\")."
            )
        return ""

    def on_correct(fixtures):
        posts = _requests(fixtures, "POST", lambda p: p == "/notes")
        if posts and posts[0][3] == 302 and posts[0][4] == "/login":
            if _requests(fixtures, "POST", lambda p: p == "/login"):
                return (
                    "`POST /notes` redirected to `/login`: the login failed, because with CSRF "
                    "on the login form needs a token too. Log in through the session instead: "
                    '`sess["user_id"] = 1`.'
                )
            return '`POST /notes` redirected to `/login`: log in first with `sess["user_id"] = 1`.'
        if csrf_never_on(fixtures):
            return (
                "Your app had CSRF off, so the note was stored. "
                "Build it with `make_app(CSRF_ENABLED=True)`." + too_late(fixtures)
            )
        return ""

    def on_broken_pass(fixtures):
        if csrf_never_on(fixtures):
            return (
                "Your test never turns CSRF on, so it cannot tell whether the app checks the "
                "token. Build the app with `make_app(CSRF_ENABLED=True)`." + too_late(fixtures)
            )
        return (
            "Your test passed against a broken app that stores a note without a CSRF token. "
            "Assert that `POST /notes` without a token answers 400, and that `/api/notes` "
            "is still empty."
        )

    _judge(test, "csrf ignored", on_correct, on_broken_pass)


@exercise(
    "9.3",
    title="Only text files",
    task="""
        Attachments must end in `.txt` or `.md`. Write
        `test_an_exe_is_refused(logged_in)`: create a note with
        `POST /notes` (its id is 1), upload a file named `run.exe` to
        `/notes/1/attachment` in the form field `file`, and check that the
        answer is 400 and that the note in `GET /api/notes` still has no
        attachment (`None`).

        The check runs your test against the notes app (it must pass) and
        against a copy that accepts any file name (it must fail).
    """,
    source="""
        def test_an_exe_is_refused(logged_in):
            logged_in.post("/notes", data={"title": "With a file"})
            ### BEGIN SOLUTION
            upload = {"file": (io.BytesIO(b"MZ"), "run.exe")}
            ### STARTER
            upload = {}  # the form field "file" with a file named run.exe
            ### END SOLUTION
            response = logged_in.post("/notes/1/attachment", data=upload)
            ### BEGIN SOLUTION
            assert response.status_code == 400
            assert logged_in.get("/api/notes").json[0]["attachment"] is None
            ### STARTER
            ### END SOLUTION
    """,
    hints=[
        "A plain string in `data` is an ordinary form field, not a file. A file is a "
        '`(file object, file name)` tuple: `{"file": (io.BytesIO(b"MZ"), "run.exe")}`.',
        "Then assert on the answer: `assert response.status_code == 400`, and that "
        '`logged_in.get("/api/notes").json[0]["attachment"] is None`.',
        'The note must exist before its attachment: `logged_in.post("/notes", data={"title": "..."})` first.',
    ],
    args="test_an_exe_is_refused",
    setup=SETUP,
)
def _upload(test):
    def uploads(fixtures):
        return _requests(fixtures, "POST", lambda p: p.endswith("/attachment"))

    def on_correct(fixtures):
        sent = uploads(fixtures)
        if sent and sent[0][3] == 404:
            return (
                f"`POST {sent[0][2]}` answered 404: there is no such note. Create note 1 "
                'first with `logged_in.post("/notes", data={"title": "..."})`.'
            )
        if sent and sent[0][3] == 302 and sent[0][4] == "/login":
            return "The upload was redirected to `/login`: use the `logged_in` fixture, not `client`."
        if sent and sent[0][3] == 302:
            return (
                "The app accepted your upload (302 back to `/notes`), so the file's name ends in "
                "`.txt` or `.md`. Send one named `run.exe`."
            )
        return ""

    def on_broken_pass(fixtures):
        sent = uploads(fixtures)
        if not sent:
            return "Your test never uploads anything: POST a file to `/notes/1/attachment`."
        if any("Choose a file." in entry[5] for entry in sent):
            return (
                "The app answered 400 because no file arrived, not because of its name, so your "
                "test would pass on an app that accepts any name. A file in `data` is a "
                "`(file object, file name)` tuple under the field name: "
                '`{"file": (io.BytesIO(b"MZ"), "run.exe")}`. A plain string is only a form field.'
            )
        return (
            "Your test passed against a broken app that accepts any file name, `run.exe` "
            "included. Upload a file named `run.exe` and assert that the answer is 400 and "
            "that no attachment was stored."
        )

    _judge(test, "any suffix", on_correct, on_broken_pass)


@exercise(
    "9.4",
    title="A command that really adds a user",
    task="""
        The app's `add-user NAME` command asks for a password twice and stores
        the user. Write `test_add_user_command(runner, client)`: run
        `add-user grace` with the CLI runner, typing the password on its
        input (`input="..."`), check that it exits with code 0, and then prove
        that the account works: log in as grace with `client.post("/login", ...)`
        and check for the 302 redirect to `/notes`.

        The check runs your test against the notes app (it must pass) and
        against a copy whose command says "Added grace." but stores the password
        as typed instead of its hash, so nobody can log in (it must fail).
    """,
    source="""
        def test_add_user_command(runner, client):
            result = runner.invoke(args=["add-user", "grace"], input="s3cret\\ns3cret\\n")
            ### BEGIN SOLUTION
            assert result.exit_code == 0, result.output
            response = client.post("/login", data={"name": "grace", "password": "s3cret"})
            assert response.status_code == 302
            assert response.location == "/notes"
            ### STARTER
            assert "Added grace." in result.output
            ### END SOLUTION
    """,
    hints=[
        "The command's message proves only that it printed something. Check what it did: "
        'log in with `client.post("/login", data={"name": "grace", "password": ...})` and '
        "assert `response.status_code == 302`.",
        "The command asks for the password and then for it again: give both lines, "
        '`input="s3cret\\ns3cret\\n"`.',
        "`runner` and `client` come from the same `app` fixture, so they share its database.",
    ],
    args="test_add_user_command",
    setup=SETUP,
)
def _command(test):
    def commands(fixtures):
        return [entry for entry in fixtures.record if entry[0] == "command"]

    def on_correct(fixtures):
        for _, args, typed, code, output in commands(fixtures):
            if code != 0 and ("Aborted" in output or "Error" in output):
                return (
                    f"`{' '.join(args or [])}` did not finish ({output.strip().splitlines()[-1]}). "
                    'It reads the password twice: pass `input="s3cret\\ns3cret\\n"`.'
                )
        logins = _requests(fixtures, "POST", lambda p: p == "/login")
        if logins and logins[0][3] == 400:
            return "The login answered 400: log in with the same name and password the command stored."
        if logins and logins[0][3] == 302:
            return (
                "The login as grace worked: `POST /login` answered 302, a redirect to `/notes`. "
                "Expect that (`response.status_code == 302`), or pass `follow_redirects=True` "
                "and check the notes page."
            )
        return ""

    def on_broken_pass(fixtures):
        if not commands(fixtures):
            return "Your test never runs the command: `runner.invoke(args=[\"add-user\", \"grace\"], input=...)`."
        return (
            "Your test passed against a broken command that prints \"Added grace.\" but stores a "
            "password nobody can log in with. Test the effect, not the message: log in as grace "
            'with `client.post("/login", ...)` and assert the 302.'
        )

    _judge(test, "password kept as typed", on_correct, on_broken_pass)
