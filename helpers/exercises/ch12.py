"""Exercises of chapter 12: extend Noteboard with a blueprint, a validator, a JSON endpoint and a test.

Each check mounts or runs the learner's code on a fresh Noteboard of its own, with a throwaway
database in a scratch folder. Every Noteboard has its own database, so the app the notebook
serves goes on answering from its own while a check runs.
"""

import re
import secrets
from contextlib import contextmanager

from flask import current_app
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from ..scratch import scratch
from . import Wrong, exercise

PASSWORDS = {"ada": "correct horse battery staple", "grace": "first compiler"}

# What the notebook has defined by the time the exercises start.
SETUP = """
    import io
    import re

    from flask import Blueprint, abort, g, render_template
    from peewee import fn
    from wtforms.validators import ValidationError

    from noteboard.auth import login_required
    from noteboard.forms import NoteForm
    from noteboard.models import Note, User

    from helpers.paths import ROOT

    PASSWORDS = {"ada": "correct horse battery staple", "grace": "first compiler"}
    FAKE_PNG = (ROOT / "data" / "uploads" / "not-a-picture.png").read_bytes()


    def token_from(page):
        \"\"\"The CSRF token of the first form in an HTML page.\"\"\"
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


    def log_in(client, name, password):
        \"\"\"Log in like a browser: load the form, send it back with its token.\"\"\"
        page = client.get("/login")
        return client.post("/login", data={"name": name, "password": password, "csrf_token": token_from(page.text)})
"""


@contextmanager
def _noteboard(with_notes=True, **config):
    """A fresh Noteboard with ada and grace (and a few notes) on a throwaway database."""
    from noteboard import create_app
    from noteboard.models import MODELS, Note, add_user_row, db

    app = create_app({
        "DATA_DIR": scratch("12-capstone-check"),
        "SECRET_KEY": secrets.token_hex(),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **config,
    })
    with app.app_context(), db.connection_context():
        db.create_tables(MODELS)
        ada = add_user_row("ada", PASSWORDS["ada"])
        grace = add_user_row("grace", PASSWORDS["grace"])
        if with_notes:
            Note.create(author=ada, title="Shopping list", body="tea, milk")
            Note.create(author=grace, title="Grace's secret plan")
            Note.create(author=ada, title="Reading list")
    yield app


def _log_in(client, name):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post("/login", data={"name": name, "password": PASSWORDS[name], "csrf_token": token})
    assert response.status_code == 303, "the check could not log in"


def _register(app, blueprint, name):
    from flask import Blueprint

    if not isinstance(blueprint, Blueprint):
        raise Wrong(f"`{name}` is a {type(blueprint).__name__}; it should be a `Blueprint`.")
    app.register_blueprint(blueprint)


@exercise(
    "12.1",
    title="A page of your own notes",
    task="""
        Add a page to Noteboard through a blueprint of your own. `mine` is a
        `Blueprint` with one route, `GET /mine`, that shows a logged-in member
        **only their own notes**, newest first, on the board's template:
        `render_template("notes/index.html", notes=..., heading="My notes")`. A visitor who
        is not logged in is sent to the login page, like every members-only page.
        The check mounts your blueprint on a fresh Noteboard of its own.
    """,
    source="""
        mine = Blueprint("mine", __name__)


        @mine.get("/mine")
        ### BEGIN SOLUTION
        @login_required
        ### STARTER
        ### END SOLUTION
        def my_notes():
            ### BEGIN SOLUTION
            notes = Note.select(Note, User).join(User).where(Note.author == g.user).order_by(Note.id.desc())
            ### STARTER
            notes = Note.select(Note, User).join(User).order_by(Note.id.desc())
            ### END SOLUTION
            return render_template("notes/index.html", notes=notes, heading="My notes")
    """,
    hints=[
        "A visitor who is not logged in must get a redirect to `/login`: put `@login_required` "
        "(imported from `noteboard.auth`) on the view.",
        "Decorators apply from the bottom up. `@mine.get(...)` must be the top one, so that the route "
        "registers the view *after* `@login_required` has wrapped it.",
        "`g.user` is the logged-in member (the `auth` blueprint loads it before every request); keep "
        "only their notes with `.where(Note.author == g.user)`.",
    ],
    args="mine",
    setup=SETUP,
)
def _my_notes(mine):
    with _noteboard() as app:
        _register(app, mine, "mine")
        client = app.test_client()
        anonymous = client.get("/mine")
        if anonymous.status_code == 404:
            raise Wrong("`GET /mine` answers 404: give the blueprint a route `@mine.get(\"/mine\")`.")
        if anonymous.status_code == 200:
            raise Wrong(
                "a visitor who is not logged in got the page (200). Protect the view with `@login_required`, "
                "placed under the `@mine.get(...)` line."
            )
        if anonymous.status_code != 302 or anonymous.headers.get("Location") != "/login":
            raise Wrong(
                f"a visitor who is not logged in got {anonymous.status}; it should be a 302 redirect to /login, "
                "which `@login_required` gives you."
            )
        _log_in(client, "ada")
        page = client.get("/mine")
        text = page.get_data(as_text=True)
        if page.status_code != 200:
            raise Wrong(f"ada, logged in, got {page.status} from `/mine`; it should be 200 OK.")
        if "<h1>My notes</h1>" not in text:
            raise Wrong('the page\'s heading is not "My notes": pass `heading="My notes"` to `render_template`.')
        if "Grace&#39;s secret plan" in text or "Grace's secret plan" in text:
            raise Wrong("ada's page shows grace's note: keep only the notes of `g.user` with `.where(Note.author == g.user)`.")
        titles = re.findall(r'<a href="/notes/\d+">([^<]*)</a>', text)
        if titles != ["Reading list", "Shopping list"]:
            raise Wrong(f"ada's page lists {titles!r}; it should list her two notes, newest first: "
                        "['Reading list', 'Shopping list'].")


@exercise(
    "12.2",
    title="No two notes with one title",
    task="""
        Add a validator to the note form. Write `UniqueTitleForm`, a subclass of
        Noteboard's `NoteForm` with an inline validator for `title` that refuses a
        title that a note on the board already has, **whatever its case**, with the
        message `There is already a note with that title.` Every other rule of
        `NoteForm` still applies.
    """,
    source="""
        class UniqueTitleForm(NoteForm):
            def validate_title(form, field):
                ### BEGIN SOLUTION
                if Note.select().where(fn.LOWER(Note.title) == field.data.lower()).exists():
                    raise ValidationError("There is already a note with that title.")
                ### STARTER
                if Note.select().where(Note.title == field.data).exists():
                    return False
                ### END SOLUTION
    """,
    hints=[
        "WTForms ignores what a validator returns. To refuse a value, raise "
        '`ValidationError("There is already a note with that title.")`.',
        "`Note.title == field.data` compares exactly, so `shopping LIST` slips past `Shopping list`. "
        "Compare both in lower case: `fn.LOWER(Note.title) == field.data.lower()` (`fn` comes from peewee).",
    ],
    args="UniqueTitleForm",
    setup=SETUP,
)
def _unique_title(UniqueTitleForm):
    from noteboard.forms import NoteForm
    from noteboard.models import db

    if not (isinstance(UniqueTitleForm, type) and issubclass(UniqueTitleForm, NoteForm)):
        raise Wrong("`UniqueTitleForm` should be a class that subclasses `NoteForm`: `class UniqueTitleForm(NoteForm):`.")
    with _noteboard() as app:

        def errors(title):
            with app.test_request_context("/notes/new", method="POST"), db.connection_context():
                form = UniqueTitleForm(MultiDict({"title": title, "body": ""}), meta={"csrf": False})
                form.validate()
                return form.errors

        taken = errors("Shopping list").get("title", [])
        if "There is already a note with that title." not in taken:
            if taken:
                raise Wrong(f"`Shopping list` is taken and got {taken!r}; the message should be "
                            "'There is already a note with that title.'.")
            raise Wrong("`Shopping list` is already on the board, yet the form accepted it. A validator refuses "
                        "by raising `ValidationError`; returning `False` does nothing.")
        shouting = errors("SHOPPING list").get("title", [])
        if not shouting:
            raise Wrong("`SHOPPING list` was accepted although `Shopping list` is on the board: compare ignoring case.")
        fresh = errors("Packing list")
        if fresh:
            raise Wrong(f"`Packing list` is a new title, yet the form says {fresh!r}.")
        empty = errors("").get("title", [])
        if "This field is required." not in empty:
            raise Wrong(f"an empty title got {empty!r}: keep `NoteForm`'s own rules by subclassing it.")


@exercise(
    "12.3",
    title="A JSON endpoint with a 404",
    task="""
        Add `GET /api/people/<name>` to the API through a blueprint called
        `people`. For a member it answers `{"name": ..., "notes": <how many notes
        they wrote>}` and nothing else (above all, no password hash). For a name
        nobody has it answers **404** with a JSON error, like the rest of the API.
        The check mounts your blueprint on a fresh Noteboard of its own.
    """,
    source="""
        ### BEGIN SOLUTION
        ### STARTER
        from playhouse.shortcuts import model_to_dict

        ### END SOLUTION
        people = Blueprint("people", __name__, url_prefix="/api/people")


        @people.get("/<name>")
        def person(name):
            ### BEGIN SOLUTION
            user = User.get_or_none(User.name == name)
            if user is None:
                abort(404, f"nobody is called {name}")
            return {"name": user.name, "notes": user.notes.count()}
            ### STARTER
            user = User.get(User.name == name)
            return model_to_dict(user)
            ### END SOLUTION
    """,
    hints=[
        "Choose what the API shows; do not hand out the whole row. `model_to_dict(user)` includes "
        "`password_hash`. Return a dict of your own: `{\"name\": user.name, \"notes\": user.notes.count()}`.",
        "`User.get(...)` raises `User.DoesNotExist` for an unknown name, and that is a 500. "
        "`User.get_or_none(...)` returns `None` instead.",
        "For `None`, call `abort(404, \"...\")`. Noteboard's error handler answers every error under "
        "`/api/` in JSON, so you get `{\"error\": \"...\"}` for free.",
    ],
    args="people",
    setup=SETUP,
)
def _people(people):
    from noteboard.models import User

    with _noteboard(TESTING=True) as app:
        _register(app, people, "people")
        client = app.test_client()
        found = client.get("/api/people/ada")
        if found.status_code == 404:
            raise Wrong("`/api/people/ada` answers 404: the blueprint needs `url_prefix=\"/api/people\"` "
                        "and a route `@people.get(\"/<name>\")`.")
        text = found.get_data(as_text=True)
        if "password" in text or "pbkdf2" in text:
            raise Wrong("the answer for ada contains her password hash! Return a dict of your own with only "
                        "`name` and `notes`.")
        if found.status_code != 200 or not found.is_json:
            raise Wrong(f"`/api/people/ada` answered {found.status} ({found.content_type}); it should be 200 with JSON.")
        if found.get_json() != {"name": "ada", "notes": 2}:
            raise Wrong(f"`/api/people/ada` answered {found.get_json()!r}; ada wrote 2 notes, so it should be "
                        "{'name': 'ada', 'notes': 2}. `user.notes.count()` counts them.")
        try:
            missing = client.get("/api/people/nobody")
        except User.DoesNotExist:
            raise Wrong("for an unknown name `User.get(...)` raised `DoesNotExist` (a 500 for the client). "
                        "Use `User.get_or_none(...)` and `abort(404, ...)`.") from None
        if missing.status_code != 404:
            raise Wrong(f"`/api/people/nobody` answered {missing.status}; it should be 404.")
        if not missing.is_json or "error" not in (missing.get_json() or {}):
            raise Wrong("the 404 is not JSON with an \"error\" key: call `abort(404, \"...\")` and let the app's "
                        "error handler answer, or return `{\"error\": \"...\"}, 404`.")


class _RecordingClient(FlaskClient):
    """A test client that remembers each request's method, path and status."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        self.application.seen.append(f"{response.request.method} {response.request.path} -> {response.status_code}")
        return response


def _run_learner_test(test, app):
    """Run the learner's test function with a client of app; return the exception it raised, or None."""
    app.seen = []
    app.test_client_class = _RecordingClient
    try:
        test(app.test_client())
    except Exception as error:  # the learner's test may fail in any way; report it
        return error
    return None


@exercise(
    "12.4",
    title="A test that fails for the right reason",
    task="""
        Write a test in the style of `tests/test_capstone.py`:
        `test_a_fake_png_is_refused(client)` gets a test client of a fresh
        Noteboard where `ada` exists (password in `PASSWORDS["ada"]`). It logs ada
        in, posts the new-note form with `FAKE_PNG` (the web page named
        `not-a-picture.png`) as the attachment, and proves that Noteboard refuses
        it **because of its content**, and stores no note. The test must pass
        against the real app and fail against a broken one that trusts file names.
    """,
    source="""
        def test_a_fake_png_is_refused(client):
            log_in(client, "ada", PASSWORDS["ada"])
            ### BEGIN SOLUTION
            form = client.get("/notes/new")
            ### STARTER
            ### END SOLUTION
            response = client.post("/notes/new", data={
                "title": "Fake", "attachment": (io.BytesIO(FAKE_PNG), "not-a-picture.png"),
                ### BEGIN SOLUTION
                "csrf_token": token_from(form.text),
                ### STARTER
                ### END SOLUTION
            })
            ### BEGIN SOLUTION
            assert response.status_code == 422
            assert "does not contain what a .png file contains" in response.text
            assert client.get("/api/notes").get_json()["total"] == 0
            ### STARTER
            assert response.status_code != 303
            ### END SOLUTION
    """,
    hints=[
        "Your POST carries no CSRF token, so Noteboard refuses it with 400 before it looks at the file: "
        "the test passes for the wrong reason. Load `/notes/new` first and send "
        "`\"csrf_token\": token_from(form.text)` with the form.",
        "`!= 303` is true for any refusal. Assert what the content check answers: 422 and its message, "
        "`does not contain what a .png file contains`.",
        "Also prove that nothing was stored: `client.get(\"/api/notes\").get_json()[\"total\"]` should be 0.",
    ],
    args="test_a_fake_png_is_refused",
    setup=SETUP,
)
def _a_test_for_the_right_reason(test_a_fake_png_is_refused):
    from noteboard import uploads

    if not callable(test_a_fake_png_is_refused):
        raise Wrong("`test_a_fake_png_is_refused` should be a function that takes `client`.")
    with _noteboard(with_notes=False) as app:  # an empty board: the test may count the notes
        failure = _run_learner_test(test_a_fake_png_is_refused, app)
        steps = "; ".join(app.seen) or "no request"
        if failure is not None:
            if "POST /login -> 422" in app.seen:
                raise Wrong("in your test the login failed (422, the form came back): log in with ada's real password, "
                            f"`log_in(client, \"ada\", PASSWORDS[\"ada\"])` (requests: {steps}).")
            if "POST /notes/new -> 400" in app.seen:
                raise Wrong("your test fails against the real Noteboard: `POST /notes/new` got 400 because it "
                            "carried no valid CSRF token, so the file was never checked. Load `/notes/new` first "
                            f"and send `csrf_token` from it (requests: {steps}).")
            reason = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
            raise Wrong(f"your test fails against the real Noteboard ({reason}; requests: {steps}). "
                        "A test must pass when the app is right.")
        posts = [step for step in app.seen if step.startswith("POST /notes/new")]
        if not posts:
            raise Wrong("your test never posted the new-note form: send it to `/notes/new`.")

    real_check = uploads.content_matches

    def broken_check(data, kind):
        """The broken app believes every file name; any other app, such as the notebook's, still checks."""
        return current_app._get_current_object() is broken or real_check(data, kind)

    with _noteboard(with_notes=False) as broken:
        uploads.content_matches = broken_check
        try:
            broken_failure = _run_learner_test(test_a_fake_png_is_refused, broken)
        finally:
            uploads.content_matches = real_check
        if broken_failure is None:
            if any(step.endswith("-> 400") for step in posts):
                raise Wrong("your test also passes against a Noteboard that trusts file names. Against the real "
                            "app your POST got 400: it carried no CSRF token, so the file was never checked. "
                            "Send the token from the form page.")
            raise Wrong("your test also passes against a Noteboard that trusts file names. Assert what the "
                        "content check answers: status 422 and its message, and that no note was stored.")
