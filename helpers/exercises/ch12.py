"""Exercises of chapter 12: extend Noteboard with a blueprint, a validator, a JSON endpoint and a test.

Each check mounts or runs the learner's code on a fresh Noteboard of its own, with a throwaway
database in a scratch folder. Every Noteboard has its own database, so the app the notebook
serves goes on answering from its own while a check runs.
"""

import html
import re
import secrets
from contextlib import contextmanager

from flask import current_app, g, request
from werkzeug.datastructures import MultiDict

from ..scratch import scratch
from . import Wrong, exercise
from .probe import RecordingClient, ask, expect, text

PASSWORDS = {"ada": "correct horse battery staple", "grace": "first compiler", "linus": "no notes yet"}

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
    """A fresh Noteboard with ada, grace and linus (and a few notes) on a throwaway database."""
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
        users = {name: add_user_row(name, password) for name, password in PASSWORDS.items()}
        if with_notes:  # linus writes nothing: the neighbouring case of "their notes"
            Note.create(author=users["ada"], title="Shopping list", body="tea, milk")
            Note.create(author=users["grace"], title="Grace's secret plan")
            Note.create(author=users["ada"], title="Reading list")
    yield app


def _log_in(app, name):
    """A test client of app with ``name`` logged in through the real form."""
    client = app.test_client()
    page = text(ask(app, "GET", "/login", client=client))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    answer = client.post("/login", data={"name": name, "password": PASSWORDS[name], "csrf_token": token})
    assert answer.status_code == 303, "the check could not log in"
    return client


def _register(app, blueprint, name):
    from flask import Blueprint

    if not isinstance(blueprint, Blueprint):
        raise Wrong(f"`{name}` is a {type(blueprint).__name__}, not a `Blueprint`.")
    app.register_blueprint(blueprint)


def _titles(page):
    """The note titles a board page lists, in order, unescaped."""
    return [html.unescape(title) for title in re.findall(r'<a href="/notes/\d+">([^<]*)</a>', page)]


@exercise(
    "12.1",
    title="A page of your own notes",
    task="""
        Add a page to Noteboard through a blueprint of your own. `mine` is a
        `Blueprint` with one route, `GET /mine`, that shows the logged-in member
        **only their own notes**, newest first, on the board's template:
        `render_template("notes/index.html", notes=..., heading="My notes")`. A visitor who
        is not logged in is sent to the login page, like every members-only page.
        The check mounts your blueprint on a fresh Noteboard of its own and visits it as
        several members.
    """,
    kind="modify",
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
        "Two things are missing: a guard for visitors, and a filter. Which decorator of "
        "`noteboard.auth` does every members-only page of the board use?",
        "Decorators apply from the bottom up. `@mine.get(...)` must be the top one, so that the route "
        "registers the view *after* `@login_required` has wrapped it.",
        "`g.user` is the logged-in member (the `auth` blueprint loads it before every request); keep "
        "only their notes with `.where(Note.author == g.user)`, newest first with `Note.id.desc()`.",
    ],
    args="mine",
    setup=SETUP,
    right=[
        {".where(Note.author == g.user)": ".where(Note.author_id == g.user.id)"},
        {'@mine.get("/mine")': '@mine.route("/mine", methods=["GET"])',
         "Note.select(Note, User).join(User).where(Note.author == g.user).order_by(Note.id.desc())":
             "g.user.notes.order_by(Note.id.desc())"},
        {"Note.select(Note, User).join(User).where(Note.author == g.user).order_by(Note.id.desc())":
             "sorted(Note.select().where(Note.author == g.user), key=lambda note: note.id, reverse=True)"},
    ],
    wrong=[
        ({".where(Note.author == g.user)": ""}, "grace's note"),
        ({"Note.id.desc()": "Note.id"}, "newest first"),
        ({'heading="My notes"': 'heading="Mine"'}, "heading"),
        ({".where(Note.author == g.user)": '.where(User.name == "ada")'}, "grace got"),
    ],
    insecure=[
        ({"@login_required\n": ""}, "without logging in"),
        ('mine = Blueprint("mine", __name__)\n\n\n@login_required\n@mine.get("/mine")\ndef my_notes():\n'
         "    notes = Note.select(Note, User).join(User).where(Note.author == g.user).order_by(Note.id.desc())\n"
         '    return render_template("notes/index.html", notes=notes, heading="My notes")', "without logging in"),
        # The learner trial's answer: a query parameter overrides the logged-in member.
        ({'mine = Blueprint("mine", __name__)': 'from flask import request\n\nmine = Blueprint("mine", __name__)',
          ".where(Note.author == g.user)": '.where(Note.author == (request.args.get("user", type=int) or g.user.id))'},
         "the query string chose"),
        ({'mine = Blueprint("mine", __name__)': 'from flask import request\n\nmine = Blueprint("mine", __name__)',
          ".where(Note.author == g.user)": '.where(User.name == request.args.get("username", g.user.name))'},
         "the query string chose"),
    ],
)
def _my_notes(mine):
    with _noteboard() as app:
        _register(app, mine, "mine")
        anonymous = ask(app, "GET", "/mine")
        if anonymous.status_code == 200:
            raise Wrong("`GET /mine` without logging in answered 200 OK: a visitor got the page.")
        expect(anonymous, 302, "GET /mine without logging in")
        if anonymous.location != "/login":
            raise Wrong(f"`GET /mine` without logging in redirected to {anonymous.location!r}, not to /login.")
        seen = {}
        for name, wanted in {"ada": ["Reading list", "Shopping list"], "grace": ["Grace's secret plan"], "linus": []}.items():
            client = _log_in(app, name)
            page = expect(ask(app, "GET", "/mine", client=client), 200, f"GET /mine as {name}")
            heading = re.search(r"<h1>(.*?)</h1>", text(page))
            if not heading or heading[1] != "My notes":
                raise Wrong(f"the page's heading is {heading[1] if heading else None!r}, not 'My notes'.")
            seen[name] = _titles(text(page))
            if name == "ada" and "Grace's secret plan" in seen[name]:
                raise Wrong(f"ada's page lists grace's note: {seen[name]!r}.")
            if sorted(seen[name]) == sorted(wanted) and seen[name] != wanted:
                raise Wrong(f"{name}'s page lists {seen[name]!r}; newest first would be {wanted!r}.")
            if seen[name] != wanted:
                raise Wrong(f"{name} got {seen[name]!r} on /mine; {name} wrote {wanted!r}.")
        # Whose notes is for the session to say, never the query string.
        from noteboard.models import User, db

        with app.app_context(), db.connection_context():
            grace = User.get(User.name == "grace").id
        client = _log_in(app, "ada")
        for who in (grace, "grace"):  # her id, then her name, under every name a view might read
            query = "&".join(f"{key}={who}" for key in _WHOSE)
            page = expect(ask(app, "GET", f"/mine?{query}", client=client), 200, f"GET /mine?{query} as ada")
            if _titles(text(page)) != ["Reading list", "Shopping list"]:
                raise Wrong(f"`GET /mine?{query}` as ada listed {_titles(text(page))!r}: the query string chose "
                            "whose notes the page shows.")
    return ("GET /mine without a login (302 to /login), then as ada (2 notes, newest first), grace (1) and "
            "linus (none), and as ada with grace's id, then her name, as ?user= and the like (still ada's notes)")


# The names under which a view might read whose notes to show from the query string.
_WHOSE = ("user", "user_id", "uid", "u", "username", "name", "author", "author_id", "owner", "member", "who", "id", "as")


@exercise(
    "12.2",
    title="No two notes with one title",
    task="""
        Add a validator to the note form. Write `UniqueTitleForm`, a subclass of
        Noteboard's `NoteForm` with an inline validator for `title` that refuses a
        title that a note on the board already has (whoever wrote it), **whatever its case**,
        with the message `There is already a note with that title.` Every other rule of
        `NoteForm` still applies, and any title that no note has is accepted, whatever
        characters it contains.
    """,
    kind="modify",
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
        "What does WTForms do with the value a validator returns? Look at how `NoteForm` refuses a file.",
        "To refuse a value, raise `ValidationError(\"There is already a note with that title.\")`.",
        "`Note.title == field.data` compares exactly, so `shopping LIST` slips past `Shopping list`. "
        "Compare both in lower case: `fn.LOWER(Note.title) == field.data.lower()` (`fn` comes from peewee). "
        "Peewee's `**` (ILIKE) ignores case too, but it treats `%` and `_` in the title as wildcards.",
    ],
    args="UniqueTitleForm",
    setup=SETUP,
    right=[
        {"fn.LOWER(Note.title) == field.data.lower()": "Note.title.collate(\"NOCASE\") == field.data"},
        {"Note.select().where(fn.LOWER(Note.title) == field.data.lower()).exists()":
             "any(note.title.casefold() == field.data.casefold() for note in Note.select())"},
        {"Note.select().where(fn.LOWER(Note.title) == field.data.lower()).exists()":
             "Note.get_or_none(fn.lower(Note.title) == fn.lower(field.data)) is not None"},
    ],
    wrong=[
        ({'raise ValidationError("There is already a note with that title.")': "return False"}, "accepted"),
        ({"fn.LOWER(Note.title) == field.data.lower()": "Note.title == field.data"}, "SHOPPING list"),
        ({"fn.LOWER(Note.title) == field.data.lower()": "Note.title ** field.data"}, "no note has"),
        ({'"There is already a note with that title."': '"Taken."'}, "Taken."),
        ("from wtforms import StringField\n\n\nclass UniqueTitleForm(NoteForm):\n    title = StringField('Title')\n\n    def validate_title(form, field):\n"
         "        if Note.select().where(fn.LOWER(Note.title) == field.data.lower()).exists():\n"
         "            raise ValidationError('There is already a note with that title.')", "empty title"),
        ({"Note.select().where(": "Note.select().where(Note.author == g.user, "}, "Grace's secret plan"),
    ],
)
def _unique_title(UniqueTitleForm):
    from noteboard.forms import NoteForm
    from noteboard.models import User, db

    if not (isinstance(UniqueTitleForm, type) and issubclass(UniqueTitleForm, NoteForm)):
        raise Wrong(f"`UniqueTitleForm` is {UniqueTitleForm!r}, not a subclass of `NoteForm`.")
    with _noteboard() as app:
        def errors(title):
            """The title's errors when ada, logged in, sends the form with this title."""
            with app.test_request_context("/notes/new", method="POST"), db.connection_context():
                g.user = User.get(User.name == "ada")  # what the auth blueprint sets for a member
                form = UniqueTitleForm(MultiDict({"title": title, "body": ""}), meta={"csrf": False})
                form.validate()
                return form.errors.get("title", [])

        message = "There is already a note with that title."
        for taken in ("Shopping list", "SHOPPING list", "reading LIST", "Grace's secret plan"):
            said = errors(taken)
            if not said:
                raise Wrong(f"the title {taken!r} was accepted, yet the board has a note called "
                            f"{'Shopping list' if 'hopping' in taken else 'Reading list' if 'eading' in taken else taken!r}.")
            if message not in said:
                raise Wrong(f"the title {taken!r} got {said!r}, not {message!r}.")
        for fresh in ("Packing list", "%", "Shopping_list", "Shopping list, part 2", "list", "shopping"):
            said = errors(fresh)
            if said:
                raise Wrong(f"the title {fresh!r}, which no note has, got {said!r}.")
        empty = errors("")
        if "This field is required." not in empty:
            raise Wrong(f"an empty title got {empty!r}, not NoteForm's 'This field is required.'.")
        too_long = errors("x" * 81)
        if not too_long:
            raise Wrong("a title of 81 characters was accepted; NoteForm allows 80 at most.")
    return ("Shopping list, SHOPPING list, reading LIST and grace's title (refused); Packing list, %, Shopping_list, "
            "list and shopping (accepted); an empty and an 81-character title")


_APOSTROPHE = "d'Arcy"  # an honest name that breaks SQL built as text
_UNION = "x' GROUP BY u.id UNION SELECT password_hash, 1 FROM user --"  # reads every hash through SQL built as text
_OR_TRUE = "x' OR '1'='1"  # matches every member through SQL built as text
_OR_TRUE_DOUBLE = 'x" OR "1"="1'  # the same, for SQL that quotes with "


@exercise(
    "12.3",
    title="A JSON endpoint about a member",
    task="""
        Give the API a new endpoint, `GET /api/people/<name>`, in a blueprint called
        `people` (no cell above has one to copy: combine a blueprint from this chapter with
        the queries of [chapter 7](07-databases.ipynb)). For a member it answers
        `{"name": ..., "notes": <how many notes they wrote>}` and nothing else (above all, no
        password hash), also for a member who wrote none. For a name nobody has it answers
        **404** with a JSON error, like the rest of the API. A name is matched exactly,
        character for character. The check mounts your blueprint on a fresh Noteboard of its own
        with `app.register_blueprint(people)`, **with no `url_prefix`** (unlike Noteboard's own
        `api` blueprint, which `create_app` mounts under `/api`): the whole path,
        `/api/people/...`, comes from your blueprint.
    """,
    kind="make",
    source="""
        people = Blueprint("people", __name__)
        ### BEGIN SOLUTION


        @people.get("/api/people/<name>")
        def person(name):
            user = User.get_or_none(User.name == name)
            if user is None:
                abort(404, f"nobody is called {name}")
            return {"name": user.name, "notes": user.notes.count()}
        ### STARTER
        # your code here: one route, /api/people/<name>
        ### END SOLUTION
    """,
    hints=[
        "Start with the route: `@people.get(\"/api/people/<name>\")` on a function `person(name)` "
        "(or give the blueprint `url_prefix=\"/api/people\"` and the route `\"/<name>\"`).",
        "Decide what the API shows; never hand out the whole row: `model_to_dict(user)` includes "
        "`password_hash`. Return a dict of your own; a view that returns a dict answers JSON.",
        "`User.get(...)` raises `User.DoesNotExist` for an unknown name, and that is a 500. "
        "`User.get_or_none(User.name == name)` returns `None` instead; then `abort(404, \"...\")`: "
        "Noteboard's error handler answers every error under `/api/` in JSON.",
        "Count with `user.notes.count()` (the `backref` of `Note.author`): a member with no notes "
        "gets 0. A join with `GROUP BY` leaves such a member out.",
        "If you wrote SQL yourself, never put the name into its text (an f-string, `+`, `%`): a name "
        "with an apostrophe breaks it, and a crafted one adds a `UNION` that reads `password_hash`. "
        "Use the ORM, or keep the SQL fixed with a `?` placeholder: "
        "`db.execute_sql(\"... WHERE name = ?\", (name,))` (chapter 7).",
    ],
    args="people",
    setup=SETUP,
    right=[
        {'people = Blueprint("people", __name__)': 'people = Blueprint("people", __name__, url_prefix="/api/people")',
         '@people.get("/api/people/<name>")': '@people.get("/<name>")'},
        {'abort(404, f"nobody is called {name}")': 'return {"error": f"nobody is called {name}"}, 404',
         '"notes": user.notes.count()': '"notes": Note.select().where(Note.author == user).count()'},
        "from flask import jsonify\n\n"
        'people = Blueprint("people", __name__)\n\n\n'
        '@people.route("/api/people/<name>")\n'
        "def person(name):\n"
        "    try:\n"
        "        user = User.get(User.name == name)\n"
        "    except User.DoesNotExist:\n"
        "        abort(404)\n"
        '    return jsonify(name=user.name, notes=len(list(user.notes)))',
    ],
    wrong=[
        ({"User.get_or_none(User.name == name)\n    if user is None:\n        abort(404, f\"nobody is called {name}\")":
          "User.get(User.name == name)"}, "DoesNotExist"),
        ({'abort(404, f"nobody is called {name}")': 'return {"error": f"nobody is called {name}"}'}, "answered 200"),
        ({'abort(404, f"nobody is called {name}")': 'return f"nobody is called {name}", 404'}, "not JSON"),
        ({"User.name == name": "User.name ** name"}, "no member has that name"),
        ({"User.name == name": "User.name == name.strip()"}, "(the name 'ada ') answered 200"),
        ({'"notes": user.notes.count()': '"notes": Note.select().where(Note.author == user).count() or None'}, "linus"),
        ({'return {"name": user.name, "notes": user.notes.count()}':
          'return {"name": user.name, "notes": user.notes.count(), "id": user.id}'}, "id"),
        # The learner trial's answer: routes written for an /api prefix that the check does not add.
        ('people = Blueprint("people", __name__)\n\n\n@people.get("/people/<name>")\ndef person(name):\n'
         "    user = User.get_or_none(User.name == name)\n    if user is None:\n        abort(404)\n"
         '    return {"name": user.name, "notes": user.notes.count()}', "['/people/<name>']"),
    ],
    insecure=[
        ({'return {"name": user.name, "notes": user.notes.count()}':
          'from playhouse.shortcuts import model_to_dict\n    return {**model_to_dict(user), "notes": user.notes.count()}'},
         "password hash"),
        # The learner trial's answer: SQL built with an f-string.
        ("from noteboard import models\n\n"
         'people = Blueprint("people", __name__)\n\n\n@people.get("/api/people/<name>")\ndef person(name):\n'
         '    rows = models.db.execute_sql(f"SELECT u.name, COUNT(n.id) FROM user u LEFT JOIN note n '
         "ON n.author_id = u.id WHERE u.name = '{name}' GROUP BY u.id\").fetchall()\n"
         "    if not rows:\n        abort(404)\n"
         '    return {"name": rows[0][0], "notes": rows[0][1]}', "password hash"),
        # The same after d'Arcy broke it: quoted with ", which a " in the name breaks just as well.
        ("from noteboard import models\n\n"
         'people = Blueprint("people", __name__)\n\n\n@people.get("/api/people/<name>")\ndef person(name):\n'
         "    rows = models.db.execute_sql(f'SELECT u.name, COUNT(n.id) FROM user u LEFT JOIN note n "
         "ON n.author_id = u.id WHERE u.name = \"{name}\" GROUP BY u.id').fetchall()\n"
         "    if not rows:\n        abort(404)\n"
         '    return {"name": rows[0][0], "notes": rows[0][1]}', 'x" OR "1"="1'),
    ],
)
def _people(people):
    from urllib.parse import quote

    from werkzeug.exceptions import NotFound

    from noteboard.models import User, add_user_row, db

    def leaked(name, found):
        body = text(found)
        if any(secret in body for secret in hashes):
            raise Wrong(f"`GET /api/people/<name>` with the name `{name}` answered with a password hash: {body[:160]!r}.")

    with _noteboard() as app:
        _register(app, people, "people")
        with app.app_context(), db.connection_context():
            add_user_row(_APOSTROPHE, "a password for the check")
            # Each stored hash, whole and its last part (the digest), as the answer would show it.
            hashes = {part for user in User.select() for part in (user.password_hash, user.password_hash.rsplit("$", 1)[-1])}
        expected = {"ada": 2, "grace": 1, "linus": 0}
        for name, count in expected.items():
            path = f"/api/people/{name}"
            found = ask(app, "GET", path)
            leaked(name, found)
            if found.status_code == 404:
                try:
                    app.url_map.bind("localhost").match(path, method="GET")
                except NotFound:
                    rules = sorted(rule.rule for rule in app.url_map.iter_rules()
                                   if rule.endpoint.startswith(f"{people.name}."))
                    raise Wrong(f"`GET {path}` answered {found.status}: no route matches it. The check mounts your "
                                f"blueprint with no url_prefix, and it added the rules {rules!r}.") from None
            expect(found, 200, f"GET {path}")
            if not found.is_json:
                raise Wrong(f"`GET /api/people/{name}` answered {found.content_type}, not JSON.")
            if found.get_json() != {"name": name, "notes": count}:
                raise Wrong(f"`GET /api/people/{name}` answered {found.get_json()!r}; {name} wrote {count} "
                            f"note{'s' * (count != 1)}, and the answer has exactly two keys.")
        for name in ("nobody", "ADA", "ada ", "%", "a_a", "ad%", _UNION, _OR_TRUE, _OR_TRUE_DOUBLE):
            path = f"/api/people/{name}"
            missing = ask(app, "GET", f"/api/people/{quote(name, safe='')}")
            leaked(name, missing)
            if missing.status_code != 404:
                raise Wrong(f"`GET {path}` (the name {name!r}) answered {missing.status}, although no member has "
                            "that name.")
            if not missing.is_json or "error" not in (missing.get_json(silent=True) or {}):
                raise Wrong(f"`GET {path}` answered 404 with {missing.content_type}, not JSON with an \"error\".")
        path = f"/api/people/{_APOSTROPHE}"
        found = ask(app, "GET", f"/api/people/{quote(_APOSTROPHE, safe='')}")
        leaked(_APOSTROPHE, found)
        expect(found, 200, f"GET {path}")
        if found.get_json(silent=True) != {"name": _APOSTROPHE, "notes": 0}:
            raise Wrong(f"`GET {path}` answered {text(found)[:120]!r}; {_APOSTROPHE} is a member with no notes.")
    return (f"ada (2 notes), grace (1), linus (0), {_APOSTROPHE} (0); nobody, ADA, 'ada ', %, a_a, ad%, a name "
            "with a UNION that reads password_hash and two with OR '1'='1' (one for each kind of quote) (all 404 in "
            "JSON); no password hash")


def _steps(app):
    """The requests a RecordingClient of app sent, as 'POST /login -> 303'."""
    return [f"{method} {path} -> {status}" for _, method, path, status, *_ in app.__dict__.get("record", [])]


def _run_learner_test(test, app):
    """Run the learner's test with a recording client of app; return the exception it raised, or None."""
    app.record = []
    app.test_client_class = RecordingClient
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
        it **because of its content**, and stores no note. The check runs your test
        against the real app, where it must pass, and against broken ones, where it must fail:
        one that trusts file names, one that refuses the form for another reason, and one
        that says no but stores the note anyway.
    """,
    kind="modify",
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
        "Run your test's POST by hand and look at the status and the page: is the refusal about the file?",
        "Your POST carries no CSRF token, so Noteboard refuses it with 400 before it looks at the file. "
        "Load `/notes/new` first and send `\"csrf_token\": token_from(form.text)` with the form.",
        "`!= 303` is true for any refusal. Assert what the content check answers: 422 and its message, "
        "`does not contain what a .png file contains`.",
        "Also prove that nothing was stored: `client.get(\"/api/notes\").get_json()[\"total\"]` should be 0.",
    ],
    args="test_a_fake_png_is_refused",
    setup=SETUP,
    right=[
        {'assert "does not contain what a .png file contains" in response.text':
         'assert b"does not contain what a .png file contains" in response.data',
         'assert client.get("/api/notes").get_json()["total"] == 0': 'assert "Fake" not in client.get("/").text'},
        {'    assert response.status_code == 422\n': "",
         'client.get("/api/notes").get_json()["total"] == 0': 'client.get("/api/notes").json["notes"] == []'},
    ],
    wrong=[
        ({'"csrf_token": token_from(form.text),\n': ""}, "CSRF"),
        ({'PASSWORDS["ada"]': '"ada"'}, "login failed"),
        ({'    assert "does not contain what a .png file contains" in response.text\n': ""}, "another reason"),
        ({'assert client.get("/api/notes").get_json()["total"] == 0': ""}, "stores the note"),
        ({'    assert response.status_code == 422\n': "",
          '    assert "does not contain what a .png file contains" in response.text\n': "",
          'assert client.get("/api/notes").get_json()["total"] == 0': "assert response.status_code"},
         "trusts file names"),
        ({'assert client.get("/api/notes").get_json()["total"] == 0':
          'assert client.get("/api/notes").get_json()["total"] == 1'}, "fails against the real Noteboard"),
    ],
)
def _a_test_for_the_right_reason(test_a_fake_png_is_refused):
    from noteboard import uploads
    from noteboard.models import Note

    if not callable(test_a_fake_png_is_refused):
        raise Wrong(f"`test_a_fake_png_is_refused` is {test_a_fake_png_is_refused!r}, not a function.")
    with _noteboard(with_notes=False) as app:  # an empty board: the test may count the notes
        failure = _run_learner_test(test_a_fake_png_is_refused, app)
        steps = _steps(app)
        said = "; ".join(steps) or "no request"
        if failure is not None:
            reason = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
            if "POST /login -> 422" in steps:
                raise Wrong(f"in your test the login failed (422, the form came back), and then it failed "
                            f"({reason}; requests: {said}).")
            if "POST /notes/new -> 400" in steps:
                raise Wrong(f"your test fails against the real Noteboard ({reason}): `POST /notes/new` got 400, "
                            f"the answer to a missing CSRF token, so the file was never checked (requests: {said}).")
            raise Wrong(f"your test fails against the real Noteboard ({reason}; requests: {said}).")
        posts = [step for step in steps if step.startswith("POST /notes/new")]
        if not posts:
            raise Wrong(f"your test never posted the new-note form (requests: {said}).")
        if all(step.endswith("-> 400") for step in posts):
            raise Wrong(f"your test passes, but its `POST /notes/new` got 400, the answer to a missing CSRF token: "
                        f"the file was never checked (requests: {said}).")

    real_check = uploads.content_matches
    passes_against = []

    def trusts_names(broken):
        """The broken app believes every file name; any other app, such as the notebook's, still checks."""
        uploads.content_matches = lambda data, kind: current_app._get_current_object() is broken or real_check(data, kind)

    def another_reason(broken):
        @broken.before_request
        def refuse_every_note():
            if request.method == "POST" and request.path == "/notes/new":
                return "<h1>New note</h1><p class=\"error\">Notes are closed today.</p>", 422

    def stores_anyway(broken):
        @broken.after_request
        def keep_the_note(response):
            if request.method == "POST" and request.path == "/notes/new" and response.status_code == 422:
                Note.create(author=g.user, title=request.form.get("title") or "(no title)")
            return response

    flaws = {
        "trusts file names": trusts_names,
        "answers 422 for another reason, without looking at the file": another_reason,
        "refuses the file with the right message but stores the note anyway": stores_anyway,
    }
    for flaw, breaking in flaws.items():
        with _noteboard(with_notes=False) as broken:
            breaking(broken)
            try:
                if _run_learner_test(test_a_fake_png_is_refused, broken) is None:
                    passes_against.append(flaw)
            finally:
                uploads.content_matches = real_check
    if passes_against:
        raise Wrong(f"your test also passes against a broken Noteboard that {passes_against[0]}.")
    return ("your test against the real Noteboard (it passed) and against three broken ones: one that trusts "
            "file names, one that answers 422 for another reason, one that stores the refused note (it failed "
            "against each)")
