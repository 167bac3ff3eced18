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
import re
import sys
import tempfile
import traceback
from pathlib import Path

from flask.testing import FlaskCliRunner

from ..paths import ROOT
from ..scratch import scratch
from . import Wrong, exercise
from .probe import RecordingClient

PASSWORD = "correct horse"
FIXTURES = ("client", "logged_in", "make_app", "app", "runner", "tmp_path")
NOTEBOOK = ROOT / "notebooks" / "09-testing.ipynb"
APP_CELL = '%%writefile "{WORK}/notesapp.py"'
TEMPLATES_CELL = "TEMPLATES = {"

# Each bug: one exact piece of the chapter's notesapp.py, and what the broken copy has instead.
BUGS = {
    "logout keeps the session": (
        '        session.clear()\n        return redirect(url_for("login"), code=303)\n',
        '        return redirect(url_for("login"), code=303)\n',
    ),
    "logout sends a cookie, keeps the user": (
        '        session.clear()\n        return redirect(url_for("login"), code=303)\n',
        '        session["logged_out"] = True  # a new cookie is sent, and user_id stays in it\n'
        '        return redirect(url_for("login"), code=303)\n',
    ),
    "csrf ignored": ('csrf = app.config["CSRF_ENABLED"]', "csrf = False"),
    "any suffix": (
        "if Path(secure_filename(field.data.filename)).suffix.lower() not in ALLOWED_SUFFIXES:",
        "if False:",
    ),
    "any owner": (
        "note = Note.get_or_none((Note.id == note_id) & (Note.owner == user))",
        "note = Note.get_or_none(Note.id == note_id)",
    ),
    "403 for another's note": (
        "        note = Note.get_or_none((Note.id == note_id) & (Note.owner == user))\n"
        "        if note is None:\n            abort(404)\n",
        "        note = Note.get_or_none(Note.id == note_id)\n"
        "        if note is None:\n            abort(404)\n"
        "        if note.owner_id != user.id:\n            abort(403)  # refuses, and admits that the note exists\n",
    ),
    "saves, then answers 404": (
        "        note = Note.get_or_none((Note.id == note_id) & (Note.owner == user))\n"
        "        if note is None:\n            abort(404)\n",
        "        note = Note.get_or_none(Note.id == note_id)\n"
        "        if note is None:\n            abort(404)\n"
        "        if note.owner_id != user.id:  # stores the file first, then says there is no such note\n"
        "            stolen = make_form(AttachForm)\n"
        "            if stolen.validate():\n"
        "                note.attachment = f\"{note.id}-{secure_filename(stolen.file.data.filename)}\"\n"
        "                stolen.file.data.save(Path(app.config[\"UPLOAD_FOLDER\"]) / note.attachment)\n"
        "                note.save()\n"
        "            abort(404)\n",
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
        app.test_client_class = RecordingClient
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
        if response.status_code != 303:
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


def _judge(test, bug, on_correct, on_broken_pass, more=()):
    """Run ``test`` on the working app (it must pass), then on the broken ones (it must fail on each).

    ``more`` lists further ``(bug, message)`` pairs: the message says what a test that passes
    against that broken app missed. Returns the fixtures of the run on the working app.
    """
    _shape(test)
    outcome, error, working = _run(test, bug=None)
    if outcome == "error":
        raise error
    if outcome == "failed":
        specific = on_correct(working)
        raise Wrong(
            f"Your test fails against the working app{_where(error)}, so the mistake is in the test."
            + (f" {specific}" if specific else "")
        )
    outcome, error, fixtures = _run(test, bug=bug)
    if outcome == "passed":
        raise Wrong(on_broken_pass(fixtures))
    for other_bug, message in more:
        outcome, error, fixtures = _run(test, bug=other_bug)
        if outcome == "passed":
            raise Wrong(message)
    return working


SETUP = """
    import io
    from flask import session
"""

LOGOUT_CHECKS = '''    with client.session_transaction() as sess:
        assert "user_id" not in sess
    assert client.get("/notes").location == "/login"'''


@exercise(
    "9.1",
    title="Logged out means logged out",
    kind="warm-up",
    task="""
        Write `test_logout_forgets_the_user(client)`. Put `user_id` 1 (ada, whom
        the fixtures create) into the session with `client.session_transaction()`,
        check that `GET /notes` answers 200, send `POST /logout`, then check that
        the user is really gone: `user_id` is no longer in the session, or
        `GET /notes` redirects to `/login` again.

        The check runs your test the way pytest would: against the notes app (it
        must pass) and against two copies whose `/logout` keeps the user (it must
        fail on both): one forgets to clear the session, the other sends a new
        session cookie that still holds `user_id`.
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
        "What does your test assert after the logout? A test that asserts nothing passes on "
        "every app, broken or not.",
        'After `client.post("/logout")`, open the session again with '
        '`with client.session_transaction() as sess:` and assert `"user_id" not in sess`.',
        'You can also check the effect: `client.get("/notes")` after logging out '
        'answers a redirect whose `location` is `"/login"`.',
        '`/logout` accepts only POST: `client.get("/logout")` answers 405.',
    ],
    args="test_logout_forgets_the_user",
    setup=SETUP,
    right=[
        {LOGOUT_CHECKS: '    assert client.get("/notes").location == "/login"'},
        {LOGOUT_CHECKS: '    with client.session_transaction() as sess:\n        assert sess.get("user_id") is None'},
    ],
    wrong=[
        ({LOGOUT_CHECKS: '    assert client.get("/login").status_code == 200'}, "broken app"),
        ({LOGOUT_CHECKS: '    assert client.get("/notes").status_code == 200'}, "fails against the working app"),
        ({'client.post("/logout")': 'client.get("/logout")'}, "405"),
        # The learner trial's answer: a Set-Cookie header proves only that some cookie was sent.
        ({'    client.post("/logout")\n' + LOGOUT_CHECKS: '    assert "Set-Cookie" in client.post("/logout").headers'},
         "`Set-Cookie`"),
    ],
)
def _logout(test):
    def on_correct(fixtures):
        notes = _requests(fixtures, "GET", lambda p: p == "/notes")
        if notes and notes[0][3] == 302:
            return "Before logging out, `GET /notes` already redirected to `/login`: the session held no user."
        if _requests(fixtures, "GET", lambda p: p == "/logout"):
            return "`GET /logout` answered 405."
        return ""

    def on_broken_pass(fixtures):
        if not _requests(fixtures, "POST", lambda p: p == "/logout"):
            return "Your test never sent `POST /logout`, and it passed against a broken app."
        return ("Your test passed against a broken app whose `/logout` leaves `user_id` in the "
                "session: it would not catch that bug.")

    _judge(test, "logout keeps the session", on_correct, on_broken_pass, more=[
        ("logout sends a cookie, keeps the user",
         "Your test passed against a broken app whose `/logout` sends a new session cookie (so the answer "
         "has a `Set-Cookie` header) with `user_id` still in it: the user is not gone."),
    ])
    return ("your test against the notes app (it passed) and against two whose /logout keeps the user, one sending "
            "no cookie and one a new cookie that still holds user_id (it failed against both)")


@exercise(
    "9.2",
    title="No token, no note",
    task="""
        The `client` fixture's app has CSRF switched off. Write
        `test_a_note_needs_a_csrf_token(make_app)`: build an app with CSRF on,
        get its test client, log in as user 1 through the session, then
        `POST /notes` with a title but no `csrf_token`. Check that the answer
        is 400 and that `GET /api/notes` still returns an empty list.

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
            assert client.get("/api/notes").json == []
            ### END SOLUTION
    """,
    hints=[
        "Which app does your test build: one that checks tokens or one that does not? Look at "
        "what `make_app()` sets by default in the conftest.",
        "`make_app()` with no arguments builds an app with CSRF off, like the `app` "
        "fixture. Pass the setting: `make_app(CSRF_ENABLED=True)`. Setting "
        "`app.config[\"CSRF_ENABLED\"]` afterwards is too late: the factory built the forms already.",
        "Assert on the answer: `assert response.status_code == 400`, and that "
        '`client.get("/api/notes").json == []` (nothing was stored).',
        "With CSRF on, the login form wants a token too. Logging in through "
        '`client.session_transaction()` (`sess["user_id"] = 1`) skips the form.',
    ],
    args="test_a_note_needs_a_csrf_token",
    setup=SETUP,
    right=[
        {"    assert response.status_code == 400\n": ""},
        {'response = client.post("/notes", data={"title": "No token"})':
         'response = client.post("/notes", data={"title": "No token", "body": "x"}, follow_redirects=True)'},
    ],
    wrong=[
        ({"make_app(CSRF_ENABLED=True)": "make_app()"}, "CSRF off"),
        ({"make_app(CSRF_ENABLED=True).test_client()":
          "make_app().test_client()\n    client.application.config[\"CSRF_ENABLED\"] = True"}, "CSRF off"),
        ({"    assert response.status_code == 400\n    assert client.get(\"/api/notes\").json == []":
          "    assert response.status_code in (303, 400)"}, "broken app"),
    ],
)
def _csrf(test):
    def csrf_never_on(fixtures):
        return not any(app.overrides.get("CSRF_ENABLED") for app in fixtures.apps)

    def on_correct(fixtures):
        posts = _requests(fixtures, "POST", lambda p: p == "/notes")
        if posts and posts[0][3] == 302 and posts[0][4] == "/login":
            return "`POST /notes` redirected to `/login`: no user was logged in."
        if csrf_never_on(fixtures):
            return "Your app had CSRF off, so the note was stored."
        return ""

    def on_broken_pass(fixtures):
        if csrf_never_on(fixtures):
            return ("Your test built its app with CSRF off, so it passed against a broken app that never "
                    "checks the token too.")
        return "Your test passed against a broken app that stores a note without a CSRF token."

    _judge(test, "csrf ignored", on_correct, on_broken_pass)
    return "your test against the notes app (it passed) and against one that never checks the CSRF token (it failed)"


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
            ### END SOLUTION
    """,
    hints=[
        "What does the test client send for a value in `data`: a form field or a file? Print "
        "the answer's text to see what the app complained about.",
        "A plain string in `data` is an ordinary form field, not a file. A file is a "
        '`(file object, file name)` tuple: `{"file": (io.BytesIO(b"MZ"), "run.exe")}`.',
        "Then assert on the answer: `assert response.status_code == 400`, and that "
        '`logged_in.get("/api/notes").json[0]["attachment"] is None`.',
        'The note must exist before its attachment: `logged_in.post("/notes", data={"title": "..."})` first.',
    ],
    args="test_an_exe_is_refused",
    setup=SETUP,
    right=[
        {'(io.BytesIO(b"MZ"), "run.exe")': '(io.BytesIO(b"MZ\\x90\\x00"), "RUN.EXE", "application/octet-stream")'},
        {"    assert response.status_code == 400\n": ""},
    ],
    wrong=[
        ({'{"file": (io.BytesIO(b"MZ"), "run.exe")}': '{"file": "run.exe"}'}, "no file arrived"),
        ({'"run.exe"': '"notes.txt"'}, "accepted your upload"),
        ({"    assert response.status_code == 400\n    assert logged_in.get(\"/api/notes\").json[0][\"attachment\"] is None":
          "    assert response.status_code != 500"}, "broken app"),
    ],
)
def _upload(test):
    def uploads(fixtures):
        return _requests(fixtures, "POST", lambda p: p.endswith("/attachment"))

    def on_correct(fixtures):
        sent = uploads(fixtures)
        if sent and sent[0][3] == 404:
            return f"`POST {sent[0][2]}` answered 404: there is no such note."
        if sent and sent[0][3] == 302 and sent[0][4] == "/login":
            return "The upload was redirected to `/login`: no user was logged in."
        if sent and sent[0][3] == 303:
            return "The app accepted your upload (a redirect back to `/notes`): its name ends in `.txt` or `.md`."
        return ""

    def on_broken_pass(fixtures):
        sent = uploads(fixtures)
        if not sent:
            return "Your test never uploaded anything, and it passed against a broken app."
        if any("Choose a file." in entry[5] for entry in sent):
            return ("The app answered 400 \"Choose a file.\": no file arrived, only a form field. So your "
                    "test passed against a broken app that accepts any name too.")
        if all(entry[3] == 404 for entry in sent):
            return (f"On the broken app too, `POST {sent[0][2]}` answered 404: there was no such note, so the "
                    "file's name was never looked at, and your test passed against a broken app that accepts any name.")
        return "Your test passed against a broken app that accepts any file name, `run.exe` included."

    _judge(test, "any suffix", on_correct, on_broken_pass)
    return "your test against the notes app (it passed) and against one that accepts any file name (it failed)"


@exercise(
    "9.4",
    title="A command that really adds a user",
    task="""
        The app's `add-user NAME` command asks for a password twice and stores
        the user. Write `test_add_user_command(runner, client)`: run
        `add-user grace` with the CLI runner, typing the password on its
        input (`input="..."`), check that it exits with code 0, and then prove
        that the account works: log in as grace with `client.post("/login", ...)`
        and check that the login succeeded.

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
            assert response.location == "/notes"
            ### STARTER
            assert "Added grace." in result.output
            ### END SOLUTION
    """,
    hints=[
        "What does your test prove: that the command printed something, or that grace can log in?",
        "The command's message proves only that it printed something. Check what it did: "
        'log in with `client.post("/login", data={"name": "grace", "password": ...})` and '
        'assert that it redirects to the notes: `response.location == "/notes"`.',
        "The command asks for the password and then for it again: give both lines, "
        '`input="s3cret\\ns3cret\\n"`.',
        "`runner` and `client` come from the same `app` fixture, so they share its database.",
    ],
    args="test_add_user_command",
    setup=SETUP,
    right=[
        {'    assert response.location == "/notes"':
         '    assert client.get("/api/notes").status_code == 200'},
        {'response = client.post("/login", data={"name": "grace", "password": "s3cret"})\n    assert response.location == "/notes"':
         'page = client.post("/login", data={"name": "grace", "password": "s3cret"}, follow_redirects=True)\n'
         '    assert page.request.path == "/notes"'},
    ],
    wrong=[
        ({'response = client.post("/login", data={"name": "grace", "password": "s3cret"})\n    assert response.location == "/notes"':
          'assert "Added grace." in result.output'}, "broken command"),
        ({'input="s3cret\\ns3cret\\n"': 'input="s3cret\\n"'}, "did not finish"),
        ({'"password": "s3cret"})': '"password": "secret"})'}, "fails against the working app"),
    ],
)
def _command(test):
    def commands(fixtures):
        return [entry for entry in fixtures.record if entry[0] == "command"]

    def on_correct(fixtures):
        for _, args, typed, code, output in commands(fixtures):
            if code != 0 and ("Aborted" in output or "Error" in output):
                return f"`{' '.join(args or [])}` did not finish: {output.strip().splitlines()[-1]}"
        logins = _requests(fixtures, "POST", lambda p: p == "/login")
        if logins and logins[0][3] == 400:
            return "The login as grace answered 400: wrong name or password."
        return ""

    def on_broken_pass(fixtures):
        if not commands(fixtures):
            return "Your test never ran the command, and it passed against a broken app."
        return ("Your test passed against a broken command that prints \"Added grace.\" but stores a "
                "password nobody can log in with.")

    _judge(test, "password kept as typed", on_correct, on_broken_pass)
    return "your test against the notes app (it passed) and against a command that stores the password as typed (it failed)"


@exercise(
    "9.5",
    title="Nobody writes on someone else's note",
    kind="make",
    task="""
        No test yet checks that one user cannot attach a file to another
        user's note. Write `test_no_upload_to_a_note_of_another_user(...)`,
        asking for whichever fixtures you need:

        - ada (user 1, made by the fixtures) writes a note, which gets number 1;
        - a second user, made with the `add-user` command, logs in and tries
          to attach a `.txt` file to note 1;
        - the app must answer 404 (it does not even admit the note exists),
          and ada's note must still have no attachment.

        There is no cell to copy: combine the CLI runner (9.4), logging in
        through the session (9.1) and an upload (9.3). The check runs your test
        against the notes app (it must pass) and against three broken copies (it
        must fail on each): one lets any logged-in user attach to any note, one
        answers 403 instead of 404, and one stores the file and then answers 404.
    """,
    source="""
        def test_no_upload_to_a_note_of_another_user(client, runner):
            ### BEGIN SOLUTION
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            client.post("/notes", data={"title": "Ada's note"})
            assert runner.invoke(args=["add-user", "bob"], input="pw\\npw\\n").exit_code == 0
            with client.session_transaction() as sess:
                sess["user_id"] = 2
            upload = {"file": (io.BytesIO(b"not yours"), "bob.txt")}
            assert client.post("/notes/1/attachment", data=upload).status_code == 404
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            assert client.get("/api/notes").json[0]["attachment"] is None
            ### END SOLUTION
    """,
    hints=[
        "Plan it as three acts: ada writes a note; bob appears and tries to attach a file to "
        "it; ada looks at her note. Which fixtures give you a client and the command?",
        '`runner.invoke(args=["add-user", "bob"], input="pw\\npw\\n")` makes bob, who gets id 2. '
        'Switch users by writing `sess["user_id"]` in `client.session_transaction()`.',
        'Bob\'s upload: `client.post("/notes/1/attachment", data={"file": (io.BytesIO(b"x"), "bob.txt")})` '
        "must answer 404. Then, as ada again, `client.get(\"/api/notes\").json[0][\"attachment\"]` is `None`.",
    ],
    args="test_no_upload_to_a_note_of_another_user",
    setup=SETUP,
    right=[
        """
        def test_no_upload_to_a_note_of_another_user(logged_in, runner):
            logged_in.post("/notes", data={"title": "Ada's note"})
            runner.invoke(args=["add-user", "bob"], input="pw\\npw\\n")
            logged_in.post("/logout")
            assert logged_in.post("/login", data={"name": "bob", "password": "pw"}).status_code in (302, 303)
            answer = logged_in.post("/notes/1/attachment", data={"file": (io.BytesIO(b"x"), "x.md")})
            assert answer.status_code == 404
            logged_in.post("/logout")
            logged_in.post("/login", data={"name": "ada", "password": "correct horse"})
            assert [note["attachment"] for note in logged_in.get("/api/notes").json] == [None]
        """,
        # The learner trial's answer: bob logs in through the login form.
        """
        def test_no_upload_to_a_note_of_another_user(client, runner):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            assert client.post("/notes", data={"title": "Ada's note"}).status_code == 303
            made = runner.invoke(args=["add-user", "mallory"], input="pw123\\npw123\\n")
            assert made.exit_code == 0
            assert client.post("/logout").status_code == 303
            assert client.post("/login", data={"name": "mallory", "password": "pw123"}).status_code == 303
            upload = {"file": (io.BytesIO(b"not yours"), "mine.txt")}
            assert client.post("/notes/1/attachment", data=upload).status_code == 404
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            assert client.get("/api/notes").json[0]["attachment"] is None
        """,
        # Looking for the stored file instead of the note's field: the folder stays empty, the file is not served.
        """
        from pathlib import Path


        def test_no_upload_to_a_note_of_another_user(app, client, runner):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            client.post("/notes", data={"title": "mine"})
            runner.invoke(args=["add-user", "eve"], input="secret\\nsecret\\n")
            with client.session_transaction() as sess:
                sess["user_id"] = 2
            answer = client.post("/notes/1/attachment", data={"file": (io.BytesIO(b"hi"), "eve.txt")})
            assert answer.status_code == 404
            assert list(Path(app.config["UPLOAD_FOLDER"]).iterdir()) == []
        """,
        {'    assert client.get("/api/notes").json[0]["attachment"] is None':
         '    assert client.get("/files/1-bob.txt").status_code == 404'},
    ],
    wrong=[
        ({"    assert client.post(\"/notes/1/attachment\", data=upload).status_code == 404\n":
          "    client.post(\"/notes/1/attachment\", data=upload)\n"}, "403 Forbidden"),
        ({'\n    with client.session_transaction() as sess:\n        sess["user_id"] = 1\n'
          '    assert client.get("/api/notes").json[0]["attachment"] is None': ""}, "stores the file"),
        # The learner trial's answer: no command, no look at ada's note, and only `!= 303`.
        ("""
        def test_no_upload_to_a_note_of_another_user(app, client):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            client.post("/notes", data={"title": "Ada's note"})
            with app.extensions["notes"].db:
                app.extensions["notes"].User.create(name="bob", password_hash="not used")
            with client.session_transaction() as sess:
                sess["user_id"] = 2
            upload = {"file": (io.BytesIO(b"not yours"), "bob.txt")}
            assert client.post("/notes/1/attachment", data=upload).status_code != 303
        """, "403 Forbidden"),
        ({'    assert runner.invoke(args=["add-user", "bob"], input="pw\\npw\\n").exit_code == 0\n':
          '    with app.extensions["notes"].db:\n'
          '        app.extensions["notes"].User.create(name="bob", password_hash="not used")\n',
          "(client, runner)": "(client, app)"}, "never ran the `add-user` command"),
        ({'"/notes/1/attachment"': '"/notes/2/attachment"'}, "broken app"),
        ({'        sess["user_id"] = 2\n': '        sess["user_id"] = 1\n'}, "fails against the working app"),
        ({'    assert runner.invoke(args=["add-user", "bob"], input="pw\\npw\\n").exit_code == 0\n': ""},
         "belongs to no user"),
        ({'    client.post("/notes", data={"title": "Ada\'s note"})\n': "",
          '\n    with client.session_transaction() as sess:\n        sess["user_id"] = 1\n    assert client.get("/api/notes").json[0]["attachment"] is None': ""},
         "no note was ever written"),
        ({'"bob.txt")}': '"bob.exe")}', 'assert client.post("/notes/1/attachment", data=upload).status_code == 404':
          'assert client.post("/notes/1/attachment", data=upload).status_code != 302'}, "the upload itself was refused"),
    ],
)
def _owner(test):
    def uploads(fixtures):
        return _requests(fixtures, "POST", lambda p: p.endswith("/attachment"))

    def on_correct(fixtures):
        sent = uploads(fixtures)
        if sent and sent[-1][3] in (302, 303) and sent[-1][4] == "/login":
            return ("The upload was redirected to `/login`: nobody was logged in (a `user_id` in the session "
                    "that belongs to no user counts as nobody).")
        if sent and sent[-1][3] in (302, 303):
            return "The upload was accepted: it was sent by the note's owner."
        return ""

    def on_broken_pass(fixtures):
        sent = uploads(fixtures)
        if not sent:
            return "Your test never uploaded anything, and it passed against a broken app."
        last = sent[-1]
        if last[3] == 404 and not _requests(fixtures, "POST", lambda p: p == "/notes"):
            return (f"On the broken app too, `POST {last[2]}` answered 404: no note was ever written (your test "
                    "sent no `POST /notes`), so there was nothing to protect. Your test passed against a broken "
                    "app that lets any logged-in user attach a file to any note.")
        if last[3] == 400:
            said = re.search(r"<p>(.*?)</p>", last[5], re.DOTALL)
            return (f"On the broken app, `POST {last[2]}` answered 400" + (f" ({said[1].strip()!r})" if said else "")
                    + ": the upload itself was refused, so your test never saw that the owner check is missing, "
                    "and it passed.")
        return "Your test passed against a broken app that lets any logged-in user attach a file to any note."

    working = _judge(test, "any owner", on_correct, on_broken_pass, more=[
        ("403 for another's note",
         "Your test passed against a broken app that answers 403 Forbidden to another user's upload: it refuses, "
         "but tells the other user that note 1 exists. The task asks for 404."),
        ("saves, then answers 404",
         "Your test passed against a broken app that answers 404 to another user's upload but stores the file "
         "on ada's note anyway: nothing in your test looks at ada's note afterwards."),
    ])
    if not any(entry[0] == "command" and "add-user" in (entry[1] or []) for entry in working.record):
        raise Wrong("Your test catches every broken app, but it never ran the `add-user` command: the task makes "
                    "the second user with it (the CLI runner of 9.4), so that the test covers that user's login too.")
    return ("your test against the notes app (it passed) and against three broken ones: one that skips the owner "
            "check, one that answers 403 instead of 404, one that stores the file and then answers 404 (it failed "
            "against each); and that it makes the second user with add-user")
