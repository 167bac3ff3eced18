"""Exercises of chapter 11: one fix per hole of the weak noticeboard, each in a small app of its own."""

import re
import secrets
import sqlite3

from jinja2 import Environment
from markupsafe import Markup
from peewee import PeeweeException, SqliteDatabase
from werkzeug.datastructures import MultiDict

from ..scratch import scratch
from . import Wrong, exercise

# --- 11.1 -------------------------------------------------------------------------------

_TITLES = ["Minutes", "Agenda", "Zoo trip", "Budget"]  # inserted in this order: ids 1 to 4
_ORDERS = {
    "title": ["Agenda", "Budget", "Minutes", "Zoo trip"],
    "newest": ["Budget", "Zoo trip", "Agenda", "Minutes"],
    "oldest": ["Minutes", "Agenda", "Zoo trip", "Budget"],
}
# Blind injection: the order of the answer tells whether the secret starts with "h".
_PROBE = "CASE WHEN (SELECT substr(secret, 1, 1) FROM vault) = '{}' THEN title ELSE id END"


def _notes_database():
    """A small SQLite database with a note table and a vault the attacker wants to read."""
    path = scratch("11-exercise-11.1") / "notes.db"
    db = SqliteDatabase(str(path))
    with db.connection_context():
        db.execute_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT)")
        db.execute_sql("CREATE TABLE vault (secret TEXT)")
        for title in _TITLES:
            db.execute_sql("INSERT INTO note (title) VALUES (?)", (title,))
        db.execute_sql("INSERT INTO vault VALUES ('hunter2')")
    return db


@exercise(
    "11.1",
    title="Sort without injection",
    task="""
        The notes page has `?sort=` in its address, and `sorted_titles(db, sort)`
        builds its `ORDER BY` from it. A `?` placeholder cannot help here: a parameter
        stands for a *value*, and a column name or `DESC` is SQL, not a value. So an
        attacker can put a whole expression into `sort` and read other tables one
        letter at a time from the order of the answer.

        Rewrite `sorted_titles` so that `sort` may only be one of three words:

        - `"title"`: titles from A to Z;
        - `"newest"`: highest `id` first;
        - `"oldest"`: lowest `id` first.

        Anything else raises `ValueError` before any SQL runs (a view would turn it into
        a 400). Return the list of titles, as the starter does.
    """,
    source="""
        ### BEGIN SOLUTION
        ORDER_BY = {"title": "title", "newest": "id DESC", "oldest": "id"}


        ### STARTER
        ### END SOLUTION
        def sorted_titles(db, sort):
            ### BEGIN SOLUTION
            if sort not in ORDER_BY:
                raise ValueError(f"cannot sort by {sort!r}")
            sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"
            ### STARTER
            column = {"newest": "id DESC", "oldest": "id"}.get(sort, sort)
            sql = f"SELECT title FROM note ORDER BY {column}"
            ### END SOLUTION
            return [row[0] for row in db.execute_sql(sql)]
    """,
    hints=[
        "Keep a dict from the three allowed words to fixed pieces of SQL, such as "
        '`{"title": "title", "newest": "id DESC", "oldest": "id"}`. Only text from that dict '
        "may go into the SQL.",
        "Check first: `if sort not in ORDER_BY: raise ValueError(...)`. The starter's "
        "`.get(sort, sort)` falls back to the raw input, which is the hole.",
        "Do not try `ORDER BY ?`: SQLite then sorts by one constant string, so nothing moves.",
    ],
    args="sorted_titles",
)
def _sort_without_injection(sorted_titles):
    db = _notes_database()
    try:
        for sort, expected in _ORDERS.items():
            try:
                got = sorted_titles(db, sort)
            except ValueError:
                raise Wrong(f"`sorted_titles(db, {sort!r})` raised ValueError, but {sort!r} is allowed.") from None
            if list(got) == expected:
                continue
            if sort == "title" and list(got) == _ORDERS["oldest"]:
                raise Wrong(
                    "sorting by `'title'` did not sort: the titles came back in the order they were "
                    "added. `ORDER BY ?` with `'title'` as a parameter sorts by one constant string. "
                    "Put the column name itself into the SQL, taken from your dict of allowed choices."
                )
            raise Wrong(f"`sorted_titles(db, {sort!r})` returned {got!r}; expected {expected!r}.")
        attacks = [_PROBE.format("h"), _PROBE.format("x"), "title; DROP TABLE note", "id DESC", "TITLE"]
        for attack in attacks:
            try:
                got = sorted_titles(db, attack)
            except ValueError:
                continue
            except (sqlite3.Error, PeeweeException) as error:  # the text reached the database
                raise Wrong(
                    f"`sort={attack!r}` reached the database, which answered "
                    f"`{type(error).__name__}: {error}`. Raise `ValueError` for anything that is "
                    "not one of the three words, before you build any SQL."
                ) from None
            except Exception as error:
                raise Wrong(
                    f"`sorted_titles(db, {attack!r})` raised `{type(error).__name__}`. Check the word "
                    "first and raise `ValueError` yourself (`if sort not in ORDER_BY: raise ValueError(...)`): "
                    "that is the error a view turns into a 400."
                ) from None
            if attack.startswith("CASE"):
                raise Wrong(
                    "an attacker's `CASE WHEN (SELECT ... FROM vault) ...` expression was accepted as "
                    f"the sort order, and the answer was {got!r}. The order of the titles leaks one "
                    "letter of the secret per request. Allow only `title`, `newest` and `oldest`."
                )
            raise Wrong(f"`sort={attack!r}` was accepted (answer {got!r}); only the three words may pass.")
    finally:
        db.close()


# --- 11.2 -------------------------------------------------------------------------------


@exercise(
    "11.2",
    title="An error page that echoes safely",
    task="""
        `echo_app` answers every unknown address with a friendly 404 page that repeats
        the path, such as `There is no page at /pricing.` The path comes from the visitor's
        address bar, so a link like `/<script>...</script>` runs its script on your site:
        reflected XSS.

        Fix the 404 handler so that the path is shown exactly as typed, escaped, and the
        status stays 404.
    """,
    source="""
        ### BEGIN SOLUTION
        from flask import Flask, render_template_string, request
        ### STARTER
        from flask import Flask, request
        ### END SOLUTION

        echo_app = Flask("echo")


        @echo_app.errorhandler(404)
        def not_found(error):
            ### BEGIN SOLUTION
            page = "<h1>Not found</h1><p>There is no page at {{ path }}.</p>"
            return render_template_string(page, path=request.path), 404
            ### STARTER
            return f"<h1>Not found</h1><p>There is no page at {request.path}.</p>", 404
            ### END SOLUTION
    """,
    hints=[
        "An f-string pastes the path into HTML as it is. Let Jinja escape it: "
        '`render_template_string("... {{ path }} ...", path=request.path)`.',
        "Or escape it yourself with `escape(request.path)` from `markupsafe`.",
        "Return the page with the status, as a tuple: `return page, 404`.",
    ],
    args="echo_app",
)
def _error_page(echo_app):
    client = echo_app.test_client()
    honest = client.get("/pricing")
    if honest.status_code != 404:
        raise Wrong(f"`GET /pricing` answered {honest.status}; an unknown page must stay 404 Not Found.")
    if "/pricing" not in honest.text:
        raise Wrong("the 404 page for `/pricing` does not show the path any more; it should still say where.")
    for attack, tag in [("/<script>alert(1)</script>", "<script>"), ('/"><img src=x onerror=alert(1)>', "<img")]:
        answer = client.get(attack)
        text = answer.get_data(as_text=True)
        if tag in text:
            raise Wrong(
                f"`GET {attack}` put a real `{tag}` tag into the page: the path went into the HTML "
                "unescaped. Render it through a template variable or `escape()`."
            )
        if "&amp;lt;" in text:
            raise Wrong("the path is escaped twice (`&amp;lt;`): escape it once, either in Python or in the template.")
        if "&lt;" not in text:
            raise Wrong(f"the 404 page for `{attack}` no longer shows the path; show it, escaped.")
        if answer.status_code != 404:
            raise Wrong(f"the page for `{attack}` answered {answer.status}; it must stay 404.")
    injected = client.get("/{{7*7}}").get_data(as_text=True)
    if "49" in injected or "{{7*7}}" not in injected:
        raise Wrong(
            "`GET /{{7*7}}` showed the result of `7*7`: the path became part of the template's source, "
            "which is server-side template injection (chapter 4). Keep the template a constant string "
            "and pass the path in as a variable: `render_template_string(page, path=request.path)`."
        )


# --- 11.3 -------------------------------------------------------------------------------

_PAGE = Environment(autoescape=True).from_string("<p>{{ entry }}</p>")


@exercise(
    "11.3",
    title="Line breaks without HTML",
    task="""
        A guestbook wants each entry shown with its line breaks, so a newline in the text
        must become a `<br>` tag in the page. `render_entry(text)` returns what the template
        prints with `{{ entry }}`. The starter marks the whole text as safe HTML to keep its
        `<br>` tags, so any markup a guest types is stored and served to every reader:
        stored XSS.

        Make `render_entry` escape the guest's text and still turn each `"\\n"` into a real
        `<br>`. It must return a `Markup` string, so that the template does not escape your
        `<br>` tags again.
    """,
    source="""
        from markupsafe import Markup, escape


        def render_entry(text):
            ### BEGIN SOLUTION
            return escape(text).replace("\\n", Markup("<br>"))
            ### STARTER
            return Markup(text.replace("\\n", "<br>"))
            ### END SOLUTION
    """,
    hints=[
        "Escape first, then add your own markup: `escape(text)` returns a `Markup` string in which "
        "the guest's `<` and `&` are already entities.",
        "`Markup` methods escape plain-string arguments, so `escape(text).replace(\"\\n\", \"<br>\")` "
        'turns your tag into `&lt;br&gt;`. Pass the tag as `Markup("<br>")`.',
        'Another way: `Markup("<br>").join(text.split("\\n"))` escapes each line and joins them with real tags.',
    ],
    args="render_entry",
)
def _line_breaks(render_entry):
    def shown(text):
        return _PAGE.render(entry=render_entry(text))

    two_lines = shown("first line\nsecond line")
    if "&lt;br" in two_lines:
        if not isinstance(render_entry("a\nb"), Markup):
            raise Wrong(
                "`render_entry` returns a plain `str`, so the template escapes your `<br>` tags too. "
                "Return a `Markup` string."
            )
        raise Wrong(
            "your `<br>` came out as `&lt;br&gt;`: a `Markup` method escaped it. Replace with "
            '`Markup("<br>")`, not the plain string `"<br>"`.'
        )
    if not re.search(r"first line<br\s*/?>\s*second line", two_lines):
        raise Wrong(f"two lines should be shown with a `<br>` between them; the page was {two_lines!r}.")
    attack = shown("hi<script>alert(1)</script>")
    if "<script>" in attack:
        raise Wrong(
            "a guest's `<script>` reached the page as a real tag. Escape the text before you add "
            "your own `<br>` tags: `escape(text)` from markupsafe."
        )
    if "&lt;script&gt;" not in attack:
        raise Wrong(f"the guest's text should be shown as typed, escaped; the page was {attack!r}.")
    amp = shown("Tom & Jerry")
    if "&amp;amp;" in amp:
        raise Wrong("`&` was escaped twice (`&amp;amp;`): escape the text once and return `Markup`.")
    if "Tom &amp; Jerry" not in amp:
        raise Wrong(f"`Tom & Jerry` should be shown as `Tom &amp; Jerry` in the HTML; the page was {amp!r}.")


# --- 11.4 -------------------------------------------------------------------------------

_GOOD_LINKS = ["", "https://example.org/page", "http://example.org/a?b=c"]
_BAD_LINKS = [
    ("javascript:alert(1)", "a plain `javascript:` link"),
    ("JavaScript:alert(1)", "`JavaScript:` (schemes ignore case)"),
    (" javascript:alert(1)", "`javascript:` after a space (browsers drop leading spaces)"),
    ("java\tscript:alert(1)", "`java<TAB>script:` (browsers drop tabs inside URLs)"),
    ("data:text/html,<script>alert(1)</script>", "a `data:` URL holding a whole page"),
    ("//evil.example/x", "an address without a scheme"),
    ("https://", "`https://` with no host"),
]


@exercise(
    "11.4",
    title="Only web links",
    task="""
        `LinkForm` takes a note and an optional link, which a page shows as
        `<a href="...">`. Escaping cannot stop a `javascript:` link: it contains no `<` or
        `"` to escape, and clicking it runs the script. The starter refuses links that
        start with `javascript:`, a deny list, and attackers have many other spellings.

        Change the `link` field so that it accepts only a full web address that starts
        with `http://` or `https://` and has a host, and stays optional: an empty link is
        fine. Keep the field names `text` and `link`.
    """,
    source="""
        from wtforms import Form, StringField
        ### BEGIN SOLUTION
        from wtforms.validators import URL, DataRequired, Length, Optional
        ### STARTER
        from wtforms.validators import DataRequired, Length, Optional, ValidationError


        def no_javascript(form, field):
            if field.data.startswith("javascript:"):
                raise ValidationError("That link is not allowed.")
        ### END SOLUTION


        class LinkForm(Form):
            text = StringField("Note", [DataRequired(), Length(max=500)])
            ### BEGIN SOLUTION
            link = StringField("Link", [Optional(), URL()])
            ### STARTER
            link = StringField("Link", [Optional(), no_javascript])
            ### END SOLUTION
    """,
    hints=[
        "Accept what you want instead of refusing what you fear: an allow list of schemes. "
        "WTForms' `URL()` validator accepts only `http` and `https` addresses with a host by default.",
        "Keep `Optional()` first in the list: it stops the checks when the link is empty.",
        "Writing it by hand? `urlsplit(field.data)` from `urllib.parse` gives `.scheme` (lower case) and "
        '`.netloc`; require `scheme in {"http", "https"}` and a non-empty `netloc`.',
    ],
    args="LinkForm",
)
def _only_web_links(LinkForm):
    def accepts(link):
        form = LinkForm(MultiDict({"text": "See this", "link": link}))
        return form.validate(), form.errors

    for link in _GOOD_LINKS:
        ok, errors = accepts(link)
        if not ok:
            if link == "":
                raise Wrong(f"an empty link was refused ({errors}); the link is optional. Put `Optional()` first.")
            raise Wrong(f"the honest link {link!r} was refused ({errors}); http and https addresses must pass.")
    for link, label in _BAD_LINKS:
        ok, _ = accepts(link)
        if ok:
            raise Wrong(
                f"{label} got through: {link!r}. A deny list of spellings never ends; accept only "
                "`http` and `https` addresses that have a host."
            )


# --- 11.5 -------------------------------------------------------------------------------

_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


def _token(page):
    found = _TOKEN.search(page)
    return (found[1] or found[2]) if found else None


def _shown_email(client):
    page = client.get("/email").get_data(as_text=True)
    found = re.search(r"Your e-mail: ([^<\s]*)", page)
    return found[1] if found else None


@exercise(
    "11.5",
    title="A token on the e-mail form",
    task="""
        `email_app` lets a visitor change their e-mail address with a POST to `/email`.
        Any page on the web can make a visitor's browser send that POST: cross-site request
        forgery. Protect the form with WTForms' session CSRF, as in chapter 5:

        - give `EmailForm` a `class Meta` with `csrf = True`, `csrf_class = SessionCSRF`
          and `csrf_secret = CSRF_SECRET`;
        - build the form with `meta={"csrf_context": session}`;
        - render `{{ form.csrf_token }}` inside the `<form>`;
        - answer a POST whose token is missing or wrong with **400**, and change nothing.

        An honest change (a POST with the token from the page) still answers 303 and
        saves the new address.
    """,
    source="""
        import secrets

        from flask import Flask, abort, redirect, render_template_string, request, session, url_for
        from wtforms import EmailField, Form
        from wtforms.csrf.session import SessionCSRF
        from wtforms.validators import DataRequired

        CSRF_SECRET = secrets.token_bytes(32)
        EMAIL_PAGE = \"\"\"
        <form method="post" action="{{ url_for('change_email') }}">
          ### BEGIN SOLUTION
          {{ form.csrf_token }}
          ### STARTER
          ### END SOLUTION
          {{ form.email.label }} {{ form.email() }}
          <button>Save</button>
        </form>
        <p>Your e-mail: {{ email }}</p>
        \"\"\"


        class EmailForm(Form):
            email = EmailField("New e-mail", [DataRequired()])

            ### BEGIN SOLUTION
            class Meta:
                csrf = True
                csrf_class = SessionCSRF
                csrf_secret = CSRF_SECRET

            ### STARTER
            ### END SOLUTION

        email_app = Flask("email")
        email_app.secret_key = secrets.token_hex()
        emails = {"ada": "ada@example.org"}


        @email_app.route("/email", methods=["GET", "POST"])
        def change_email():
            ### BEGIN SOLUTION
            form = EmailForm(request.form, meta={"csrf_context": session})
            if request.method == "POST":
                if form.validate():
                    emails["ada"] = form.email.data
                    return redirect(url_for("change_email"), code=303)
                if "csrf_token" in form.errors:
                    abort(400, description=form.errors["csrf_token"][0])
                return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"]), 422
            ### STARTER
            form = EmailForm(request.form)
            if request.method == "POST" and form.validate():
                emails["ada"] = form.email.data
                return redirect(url_for("change_email"), code=303)
            ### END SOLUTION
            return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"])
    """,
    hints=[
        "Add the `class Meta` inside `EmailForm` (csrf, csrf_class, csrf_secret) and build the form "
        'with `EmailForm(request.form, meta={"csrf_context": session})`.',
        "Render the token in the template: `{{ form.csrf_token }}` inside the `<form>`, or the "
        "honest POST has no token to send.",
        "After `form.validate()` fails, look at `form.errors`: when it has a `\"csrf_token\"` key, "
        "refuse with `abort(400)` before touching `emails`.",
    ],
    args="email_app",
)
def _csrf_token(email_app):
    visitor = email_app.test_client()
    page = visitor.get("/email")
    if page.status_code != 200:
        raise Wrong(f"`GET /email` answered {page.status}; the form page must load.")
    before = _shown_email(visitor)
    forged = visitor.post("/email", data={"email": "mallory@evil.example"})
    after = _shown_email(visitor)
    if after != before:
        raise Wrong(
            "a POST with no token, the kind another site's page makes a browser send, changed the "
            f"address from {before!r} to {after!r}. Turn on CSRF in the form's `class Meta`."
        )
    if forged.status_code != 400:
        raise Wrong(f"a POST with no token answered {forged.status}; refuse it with 400 Bad Request.")
    token = _token(visitor.get("/email").get_data(as_text=True))
    if token is None:
        raise Wrong(
            "the page has no hidden `csrf_token` field, so an honest visitor cannot send the form. "
            "Render `{{ form.csrf_token }}` inside the `<form>`."
        )
    honest = visitor.post("/email", data={"email": "ada@new.example", "csrf_token": token})
    if honest.status_code != 303 or _shown_email(visitor) != "ada@new.example":
        raise Wrong(
            f"an honest POST with the page's token answered {honest.status} and the page shows "
            f"{_shown_email(visitor)!r}; it should answer 303 and save `ada@new.example`. Pass "
            '`meta={"csrf_context": session}` every time you build the form.'
        )
    stranger = email_app.test_client()
    foreign = _token(stranger.get("/email").get_data(as_text=True))
    refused = visitor.post("/email", data={"email": "mallory@evil.example", "csrf_token": foreign})
    if refused.status_code != 400 or _shown_email(visitor) != "ada@new.example":
        raise Wrong(
            "a token copied from another visitor's session was accepted. Build the form with "
            '`meta={"csrf_context": session}` so the token is bound to this session.'
        )


# --- 11.6 -------------------------------------------------------------------------------


@exercise(
    "11.6",
    title="A secret key that must be set",
    task="""
        `load_secret_key(environ)` reads the app's `SECRET_KEY` from the environment
        (`environ` is a dict such as `os.environ`). The starter falls back to `"dev"` when
        the variable is missing, the placeholder from Flask's tutorial, so a server started
        without its secret runs with a key anyone can guess.

        Make it fail instead of falling back: return the value when it is at least
        **32 characters** long (a `secrets.token_hex()` has 64), and raise `RuntimeError`
        with a helpful message when it is missing, empty or shorter. The length test
        only catches placeholders such as `"dev"`; a long phrase can still be guessed,
        so the value itself must come from `secrets`.
    """,
    source="""
        def load_secret_key(environ):
            ### BEGIN SOLUTION
            key = environ.get("SECRET_KEY", "")
            if len(key) < 32:
                raise RuntimeError(
                    "SECRET_KEY is missing or too short. Make one with "
                    "python -c 'import secrets; print(secrets.token_hex())' and set it in the environment."
                )
            return key
            ### STARTER
            return environ.get("SECRET_KEY", "dev")
            ### END SOLUTION
    """,
    hints=[
        "No default: `environ.get(\"SECRET_KEY\", \"\")` and then check it. A fallback key is a key "
        "everyone who read your code knows.",
        "`if len(key) < 32: raise RuntimeError(\"...\")`: raise, do not return None, so the server "
        "refuses to start instead of running without a key.",
    ],
    args="load_secret_key",
)
def _secret_key(load_secret_key):
    strong = secrets.token_hex()
    environ = {"SECRET_KEY": strong, "PATH": "/usr/bin"}
    got = load_secret_key(dict(environ))
    if got != strong:
        raise Wrong(f"with a 64-character SECRET_KEY in the environment you returned {got!r}; return it unchanged.")
    for label, env in [
        ("no SECRET_KEY at all", {"PATH": "/usr/bin"}),
        ("an empty SECRET_KEY", {"SECRET_KEY": ""}),
        ('SECRET_KEY="dev"', {"SECRET_KEY": "dev"}),
        ('SECRET_KEY="changeme"', {"SECRET_KEY": "changeme"}),
        ("a 31-character SECRET_KEY", {"SECRET_KEY": "x" * 31}),
    ]:
        try:
            got = load_secret_key(env)
        except RuntimeError:
            continue
        except Exception as error:
            raise Wrong(f"with {label} you raised {type(error).__name__}; raise `RuntimeError`.") from None
        raise Wrong(
            f"with {label} you returned {got!r}, so the app would run with a guessable key. "
            "Raise `RuntimeError` instead."
        )
    exactly = "y" * 32
    try:
        got = load_secret_key({"SECRET_KEY": exactly})
    except RuntimeError:
        raise Wrong("a key of exactly 32 characters was refused; 32 or more must pass.") from None
    if got != exactly:
        raise Wrong(f"a 32-character key came back as {got!r}; return it unchanged.")


# --- 11.7 -------------------------------------------------------------------------------


def _reports_folder():
    root = scratch("11-exercise-11.7")
    reports = root / "reports"
    reports.mkdir()
    (reports / "q1.txt").write_text("Q1: sales are up.\n")
    (root / "secret.txt").write_text("TOP SECRET: the launch date\n")
    return reports


@exercise(
    "11.7",
    title="Reports that stay in their folder",
    task="""
        `make_reports_app(folder)` builds an app that serves the text reports in `folder`:
        `GET /reports/q1` answers the content of `folder/q1.txt`. The view adds `.txt` to
        the name and joins it to the folder, which looks safe and is not:
        `/reports/../secret` reads `secret.txt` one folder up.

        Fix the view so that only files inside `folder` can be served: a name that leaves
        the folder answers 404, a report that does not exist answers 404 (not 500), and
        `GET /reports/q1` still answers the report.
    """,
    source="""
        ### BEGIN SOLUTION
        from flask import Flask, send_from_directory
        ### STARTER
        from pathlib import Path

        from flask import Flask
        ### END SOLUTION


        def make_reports_app(folder):
            app = Flask("reports")

            @app.get("/reports/<path:name>")
            def report(name):
                ### BEGIN SOLUTION
                return send_from_directory(folder, f"{name}.txt")
                ### STARTER
                text = (Path(folder) / f"{name}.txt").read_text()
                return text, {"Content-Type": "text/plain; charset=utf-8"}
                ### END SOLUTION

            return app
    """,
    hints=[
        "Let Flask join the name to the folder: `send_from_directory(folder, f\"{name}.txt\")` "
        "refuses a name that leaves the folder, and answers 404 for a missing file.",
        "If you need the text in Python instead, `werkzeug.security.safe_join(folder, name)` returns "
        "`None` for a name that leaves the folder; answer `abort(404)` then.",
    ],
    args="make_reports_app",
)
def _reports(make_reports_app):
    folder = _reports_folder()
    client = make_reports_app(folder).test_client()
    for attack in ["/reports/../secret", "/reports/x/../../secret"]:
        answer = client.get(attack)
        if "TOP SECRET" in answer.get_data(as_text=True):
            raise Wrong(
                f"`GET {attack}` answered the content of `secret.txt`, a file outside the reports "
                "folder. Adding `.txt` does not stop `..`; serve with `send_from_directory`."
            )
        if answer.status_code != 404:
            raise Wrong(f"`GET {attack}` answered {answer.status}; a name that leaves the folder should get 404.")
    honest = client.get("/reports/q1")
    if honest.status_code != 200 or "sales are up" not in honest.get_data(as_text=True):
        raise Wrong(f"`GET /reports/q1` answered {honest.status}; it should answer the report.")
    missing = client.get("/reports/q9")
    if missing.status_code != 404:
        raise Wrong(f"`GET /reports/q9`, a report that does not exist, answered {missing.status}; it should be 404.")


# --- 11.8 -------------------------------------------------------------------------------

_LOCAL = ["/", "/account", "/search?q=flask+security", "/notes/3#comments"]
_FOREIGN = [
    ("https://evil.example/login", "it is a full address on another site"),
    ("//evil.example/login", "browsers read `//host` as another site"),
    ("/\\evil.example/login", "browsers read the backslash as a slash, which makes `//host`"),
    ("/\t/evil.example/login", "browsers delete the tab, which leaves `//host`"),
    ("javascript:alert(1)", "it is a `javascript:` address"),
    ("evil.example/login", "it does not start with `/`"),
]


@exercise(
    "11.8",
    title="A safe place to go next",
    task="""
        After a login, many sites go back to the page named in `?next=`. Followed blindly,
        that is an open redirect. Write `safe_next(target, fallback="/")`: it returns
        `target` when it is a path on this site, and `fallback` for anything else.

        A path on this site starts with one `/` and is not read by browsers as another
        site. Browsers treat `//host` as an address on another site, read a backslash as a
        slash (so `/\\host` is `//host` too), and silently delete tabs and newlines. So:
        refuse targets that do not start with `/`, that start with `//`, or that contain a
        backslash or any control character (code below 32, or 127). `None` and `""` give
        the fallback too. Query strings and `#fragments` are fine.

        Check the value as Flask hands it to you: `request.args` and `request.form` have
        already turned `%2F%2Fhost` into `//host`, which your check refuses. Never decode
        it again after the check; a `/%2F%2Fhost` left encoded is only a path on your site.
    """,
    source="""
        def safe_next(target, fallback="/"):
            ### BEGIN SOLUTION
            if not target or not target.startswith("/") or target.startswith("//"):
                return fallback
            if "\\\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
                return fallback
            return target
            ### STARTER
            return target or fallback
            ### END SOLUTION
    """,
    hints=[
        'Start with the shape: `target.startswith("/") and not target.startswith("//")`.',
        'Then the characters browsers rewrite: a backslash (`"\\\\"` in Python) and control characters, '
        "`any(ord(char) < 32 or ord(char) == 127 for char in target)`.",
        "Check `if not target` first, so `None` (no `next` in the request) gives the fallback.",
    ],
    args="safe_next",
)
def _safe_next(safe_next):
    for target in _LOCAL:
        got = safe_next(target)
        if got != target:
            raise Wrong(f"`safe_next({target!r})` returned {got!r}; a path on this site must pass unchanged.")
    for target, label in _FOREIGN:
        got = safe_next(target)
        if got != "/":
            raise Wrong(f"`safe_next({target!r})` returned {got!r}, but {label}: it must give the fallback.")
    for empty in (None, ""):
        got = safe_next(empty)
        if got != "/":
            raise Wrong(f"`safe_next({empty!r})` returned {got!r}; no target means the fallback.")
    if safe_next("https://evil.example", fallback="/home") != "/home":
        raise Wrong("use the `fallback` argument when the target is refused, not a fixed `\"/\"`.")


# --- 11.9 -------------------------------------------------------------------------------

_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _directives(policy):
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = " ".join(words[1:])
    return found


@exercise(
    "11.9",
    title="Security headers on every response",
    task="""
        Add the security headers to every response of `headers_app`, in its
        `after_request` function:

        - `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'`
        - `X-Content-Type-Options: nosniff`
        - `X-Frame-Options: DENY`
        - `Referrer-Policy: strict-origin-when-cross-origin`
        - and, **only when the request came over HTTPS** (`request.is_secure`),
          `Strict-Transport-Security: max-age=31536000; includeSubDomains`.
    """,
    source="""
        from flask import Flask, request

        headers_app = Flask("headers")


        @headers_app.get("/")
        def home():
            return "<p>Hello</p>"


        @headers_app.after_request
        def add_security_headers(response):
            ### BEGIN SOLUTION
            response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
            if request.is_secure:
                response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
            ### STARTER
            ### END SOLUTION
            return response
    """,
    hints=[
        "Set each one on the response and return it: "
        "`response.headers[\"X-Content-Type-Options\"] = \"nosniff\"`, and so on.",
        "`default-src` does not cover framing: `frame-ancestors 'none'` must be in the same policy.",
        "HSTS only over HTTPS: `if request.is_secure:` around the `Strict-Transport-Security` line.",
    ],
    args="headers_app",
)
def _headers(headers_app):
    client = headers_app.test_client()
    for path in ["/", "/no-such-page"]:
        headers = client.get(path).headers
        policy = headers.get("Content-Security-Policy")
        if policy is None:
            raise Wrong(f"`GET {path}` has no `Content-Security-Policy` header. Set it in `add_security_headers`.")
        directives = _directives(policy)
        if directives.get("default-src") not in ("'self'", "'none'"):
            raise Wrong(f"the policy {policy!r} should start with `default-src 'self'` (quotes included).")
        if "unsafe-inline" in policy:
            raise Wrong("`'unsafe-inline'` lets injected inline scripts run again; leave it out.")
        if directives.get("frame-ancestors") not in ("'none'", "'self'"):
            raise Wrong(
                f"the policy {policy!r} has no `frame-ancestors 'none'`. `default-src` does not cover "
                "framing, so another site could still put your page in an invisible frame."
            )
        if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
            raise Wrong("`X-Content-Type-Options` should be `nosniff`.")
        if headers.get("X-Frame-Options", "").upper() not in ("DENY", "SAMEORIGIN"):
            raise Wrong("`X-Frame-Options` should be `DENY`, for browsers that do not know `frame-ancestors`.")
        if headers.get("Referrer-Policy", "").lower() not in _REFERRER:
            raise Wrong("`Referrer-Policy` should be `strict-origin-when-cross-origin`.")
    if "Strict-Transport-Security" in client.get("/").headers:
        raise Wrong(
            "a plain-HTTP response carries `Strict-Transport-Security`. RFC 6797 says to send it only over "
            "HTTPS (browsers ignore it on HTTP): wrap it in `if request.is_secure:`."
        )
    secure = client.get("/", base_url="https://localhost").headers.get("Strict-Transport-Security", "")
    found = re.search(r"max-age=(\d+)", secure)
    if not found:
        raise Wrong("an HTTPS response has no `Strict-Transport-Security: max-age=...` header.")
    if int(found[1]) < 31536000:
        raise Wrong(f"`max-age={found[1]}` is shorter than the year the task asks for (31536000 seconds).")
