"""Exercises of chapter 9: tests that pass on a working app and fail on a broken one.

Each exercise asks for a pytest test function. The check calls it the way
pytest would, handing it the fixtures it names (``client``, ``logged_in``,
``make_app``, ``app``, ``runner``, ``tmp_path``), first against a working
notes app and then against a copy with one bug. A good test passes on the
first and fails on the second. The notes app here behaves like the one the
chapter writes to its scratch folder, for every route the exercises use.
"""

from __future__ import annotations

import inspect
import tempfile
import traceback
from pathlib import Path

import click
from flask import Flask, abort, redirect, render_template_string, request, session, url_for
from flask.testing import FlaskClient, FlaskCliRunner
from peewee import CharField, ForeignKeyField, Model, SqliteDatabase, TextField
from werkzeug.datastructures import CombinedMultiDict, FileStorage
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.utils import secure_filename
from wtforms import FileField, Form, PasswordField, StringField
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import DataRequired, ValidationError

from ..scratch import scratch
from . import Wrong, exercise

PASSWORD = "correct horse"
FIXTURES = ("client", "logged_in", "make_app", "app", "runner", "tmp_path")

_PAGE = """{% for errors in form.errors.values() %}<p>{{ errors|join(" ") }}</p>{% endfor %}
<form method="post" enctype="multipart/form-data">{{ form.csrf_token }}</form>"""


def notes_app(folder, bug=None, **config):
    """The chapter's notes app, with the named ``bug`` put in on purpose."""
    app = Flask("notes_reference", root_path=str(folder))
    app.config.update(
        TESTING=True,
        SECRET_KEY="test",
        DATABASE=str(Path(folder) / "notes.sqlite"),
        UPLOAD_FOLDER=str(Path(folder) / "uploads"),
        MAX_CONTENT_LENGTH=64 * 1024,
        CSRF_ENABLED=False,
        PASSWORD_METHOD="pbkdf2:sha256:1000",
    )
    app.config.update(config)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(app.config["DATABASE"], pragmas={"foreign_keys": 1})

    class User(Model):
        name = CharField(unique=True)
        password_hash = CharField()

        class Meta:
            database = db

    class Note(Model):
        owner = ForeignKeyField(User, backref="notes")
        title = CharField(max_length=80)
        body = TextField(default="")
        attachment = CharField(null=True)

        class Meta:
            database = db

    class AppForm(Form):
        class Meta:
            csrf = app.config["CSRF_ENABLED"] and bug != "csrf ignored"
            csrf_class = SessionCSRF
            csrf_secret = app.config["SECRET_KEY"].encode()

    class LoginForm(AppForm):
        name = StringField(validators=[DataRequired()])
        password = PasswordField(validators=[DataRequired()])

    class NoteForm(AppForm):
        title = StringField(validators=[DataRequired()])
        body = StringField()

    class AttachForm(AppForm):
        file = FileField()

        def validate_file(self, field):
            if not isinstance(field.data, FileStorage) or not field.data.filename:
                raise ValidationError("Choose a file.")
            suffix = Path(secure_filename(field.data.filename)).suffix.lower()
            if bug != "any suffix" and suffix not in {".txt", ".md"}:
                raise ValidationError("Only .md and .txt files are allowed.")

    def form(cls):
        return cls(CombinedMultiDict([request.files, request.form]), meta={"csrf_context": session})

    def current_user():
        return User.get_or_none(User.id == session.get("user_id"))

    @app.before_request
    def connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def disconnect(error):
        if not db.is_closed():
            db.close()

    @app.route("/login", methods=["GET", "POST"])
    def login():
        login_form = form(LoginForm)
        if request.method == "GET":
            return render_template_string(_PAGE, form=login_form)
        if login_form.validate():
            user = User.get_or_none(User.name == login_form.name.data)
            if user and check_password_hash(user.password_hash, login_form.password.data):
                session.clear()
                session["user_id"] = user.id
                return redirect(url_for("notes"))
            login_form.form_errors.append("Wrong name or password.")
        return render_template_string(_PAGE, form=login_form), 400

    @app.post("/logout")
    def logout():
        if bug != "logout keeps the session":
            session.clear()
        return redirect(url_for("login"))

    @app.route("/notes", methods=["GET", "POST"])
    def notes():
        user = current_user()
        if user is None:
            return redirect(url_for("login"))
        note_form = form(NoteForm)
        if request.method == "POST":
            if note_form.validate():
                Note.create(owner=user, title=note_form.title.data, body=note_form.body.data or "")
                return redirect(url_for("notes"))
            return render_template_string(_PAGE, form=note_form), 400
        return render_template_string(_PAGE, form=note_form)

    @app.post("/notes/<int:note_id>/attachment")
    def attach(note_id):
        user = current_user()
        if user is None:
            return redirect(url_for("login"))
        note = Note.get_or_none((Note.id == note_id) & (Note.owner == user))
        if note is None:
            abort(404)
        attach_form = form(AttachForm)
        if not attach_form.validate():
            abort(400, "; ".join(e for errors in attach_form.errors.values() for e in errors))
        name = secure_filename(attach_form.file.data.filename)
        note.attachment = f"{note.id}-{name}"
        attach_form.file.data.save(Path(app.config["UPLOAD_FOLDER"]) / note.attachment)
        note.save()
        return redirect(url_for("notes"))

    @app.get("/api/notes")
    def api_notes():
        user = current_user()
        if user is None:
            return {"error": "log in first"}, 401
        return [
            {"id": n.id, "title": n.title, "body": n.body, "attachment": n.attachment}
            for n in user.notes.order_by(Note.id)
        ]

    @app.cli.command("init-db")
    def init_db_command():
        with db:
            db.drop_tables([User, Note])
            db.create_tables([User, Note])
        click.echo("Initialized the database.")

    @app.cli.command("add-user")
    @click.argument("name")
    @click.password_option()
    def add_user_command(name, password):
        hashed = generate_password_hash(password, method=app.config["PASSWORD_METHOD"])
        with db:
            User.create(name=name, password_hash=password if bug == "password kept as typed" else hashed)
        click.echo(f"Added {name}.")

    with db:
        db.create_tables([User, Note])
        User.create(name="ada", password_hash=generate_password_hash(PASSWORD, method=app.config["PASSWORD_METHOD"]))
    app.test_client_class = _RecordingClient
    app.test_cli_runner_class = _RecordingRunner
    app.record = []  # what the learner's test did, for specific hints
    return app


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
    """pytest's fixtures for one test run, made on first use like pytest makes them."""

    def __init__(self, folder, bug):
        self.folder = Path(folder)
        self.bug = bug
        self.apps = []
        self.made = {}

    def make_app(self, **overrides):
        app = notes_app(self.folder / f"app{len(self.apps)}", bug=self.bug, **overrides)
        app.overrides = overrides
        self.apps.append(app)
        return app

    def get(self, name):
        if name not in self.made:
            self.made[name] = {
                "tmp_path": lambda: self.folder,
                "make_app": lambda: self.make_app,
                "app": lambda: self.make_app(),
                "client": lambda: self.get("app").test_client(),
                "runner": lambda: self.get("app").test_cli_runner(),
                "logged_in": self._logged_in,
            }[name]()
        return self.made[name]

    def _logged_in(self):
        client = self.get("client")
        client.post("/login", data={"name": "ada", "password": PASSWORD})
        client.application.record.clear()  # the fixture's own login is not the test's doing
        return client

    @property
    def record(self):
        return [entry for app in self.apps for entry in app.record]


def _run(test, bug):
    """Call ``test`` with fresh fixtures; return (outcome, error, record)."""
    with tempfile.TemporaryDirectory(dir=scratch("ch09-checks", fresh=False)) as folder:
        fixtures = _Fixtures(folder, bug)
        kwargs = {name: fixtures.get(name) for name in inspect.signature(test).parameters}
        try:
            test(**kwargs)
        except AssertionError as error:
            return "failed", error, fixtures
        except Exception as error:
            return "error", error, fixtures
        return "passed", None, fixtures


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
    starter="""
        def test_logout_forgets_the_user(client):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            # check GET /notes, then POST /logout, then check the user is gone
    """,
    solution="""
        def test_logout_forgets_the_user(client):
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            assert client.get("/notes").status_code == 200
            client.post("/logout")
            with client.session_transaction() as sess:
                assert "user_id" not in sess
            assert client.get("/notes").location == "/login"
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
    starter="""
        def test_a_note_needs_a_csrf_token(make_app):
            client = make_app().test_client()
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            response = client.post("/notes", data={"title": "No token"})
    """,
    solution="""
        def test_a_note_needs_a_csrf_token(make_app):
            client = make_app(CSRF_ENABLED=True).test_client()
            with client.session_transaction() as sess:
                sess["user_id"] = 1
            response = client.post("/notes", data={"title": "No token"})
            assert response.status_code == 400
            assert b"CSRF token missing." in response.data
            assert client.get("/api/notes").json == []
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
                "Build it with `make_app(CSRF_ENABLED=True)`."
            )
        return ""

    def on_broken_pass(fixtures):
        if csrf_never_on(fixtures):
            return (
                "Your test never turns CSRF on, so it cannot tell whether the app checks the "
                "token. Build the app with `make_app(CSRF_ENABLED=True)`."
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
    starter="""
        def test_an_exe_is_refused(logged_in):
            logged_in.post("/notes", data={"title": "With a file"})
            upload = {}  # the form field "file" with a file named run.exe
            response = logged_in.post("/notes/1/attachment", data=upload)
    """,
    solution="""
        def test_an_exe_is_refused(logged_in):
            logged_in.post("/notes", data={"title": "With a file"})
            upload = {"file": (io.BytesIO(b"MZ"), "run.exe")}
            response = logged_in.post("/notes/1/attachment", data=upload)
            assert response.status_code == 400
            assert logged_in.get("/api/notes").json[0]["attachment"] is None
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
    starter="""
        def test_add_user_command(runner, client):
            result = runner.invoke(args=["add-user", "grace"], input="s3cret\\ns3cret\\n")
            assert "Added grace." in result.output
    """,
    solution="""
        def test_add_user_command(runner, client):
            result = runner.invoke(args=["add-user", "grace"], input="s3cret\\ns3cret\\n")
            assert result.exit_code == 0, result.output
            response = client.post("/login", data={"name": "grace", "password": "s3cret"})
            assert response.status_code == 302
            assert response.location == "/notes"
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
