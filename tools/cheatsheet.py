"""The cheat sheet: the calls of the course, by task, each with a one-line example from the chapters.

``SHEET`` is the content; ``render`` makes the handout page (two pages at most, A4 or Letter,
printed by ``tools.handouts``). Every example runs: ``run(entry)`` executes it against the
installed Flask, Werkzeug, WTForms and Peewee in a fresh app (``tests/test_cheatsheet.py`` runs
them all), so the sheet cannot drift from the libraries the course pins.
"""

from __future__ import annotations

import html
import io
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from .chapters import licence_note


@dataclass
class Entry:
    """One line of the sheet.

    :param call: the API, as a learner would look it up.
    :param does: what it is for, in a few words.
    :param example: one line of code as the chapters use it; it is run exactly as shown.
    :param before: code run before the example, not printed (a view for a decorator to wrap).
    :param after: code run after the example, not printed: it asserts what the example did.
    :param request: keyword arguments for ``app.test_request_context`` around the example
        (or a function returning them, for a body that can be read only once).
    :param shell: the example is a command; it is run with ``--check-config`` instead.
    """

    call: str
    does: str
    example: str
    before: str = ""
    after: str = ""
    request: dict = field(default_factory=dict)
    shell: bool = False


# Each example runs in a fresh namespace made by SETUP: a new app with two views and a scratch
# folder with a Peewee database, inside a request context that ``Entry.request`` describes.
SETUP = """
import io, json, os, secrets
from pathlib import Path
from flask import (Blueprint, Flask, abort, flash, get_flashed_messages, g, jsonify, make_response,
                   redirect, render_template, render_template_string, request, send_from_directory,
                   session, url_for)
from markupsafe import Markup, escape
from peewee import CharField, ForeignKeyField, Model, SqliteDatabase
from werkzeug.datastructures import FileStorage
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.utils import secure_filename
from wtforms import Form, StringField, validators
from wtforms.csrf.session import SessionCSRF

folder = Path(FOLDER)
(folder / "templates").mkdir(exist_ok=True)
(folder / "templates" / "note.html").write_text("<h1>{{ note.title }}</h1>")
(folder / "templates" / "base.html").write_text("<main>{% block content %}{% endblock %}</main>")
(folder / "uploads").mkdir(exist_ok=True)
(folder / "uploads" / "cat.png").write_bytes(b"png")
app = Flask("cheatsheet", template_folder=folder / "templates")
app.config["SECRET_KEY"] = "a secret key of at least thirty-two characters"
app.add_url_rule("/", "index", lambda: "home")
app.add_url_rule("/notes/<int:note_id>", "note", lambda note_id: f"note {note_id}")
db = SqliteDatabase(folder / "notes.db")


class User(Model):
    name = CharField(unique=True)

    class Meta:
        database = db


class Note(Model):
    title = CharField()
    author = ForeignKeyField(User, backref="notes", null=True)

    class Meta:
        database = db


db.connect(reuse_if_open=True)
db.create_tables([User, Note])
note = Note.create(title="first")
user = User.get_or_create(name="ada")[0]
"""

VIEW = "def view(**kwargs):\n    return 'ok'\n"

SHEET: list[tuple[str, list[Entry]]] = [
    ("Route", [
        # POST: the set-up app already answers GET there, and Werkzeug 3.2 refuses an equal rule twice.
        Entry("@app.get / @app.post", "a view for one method", '@app.post("/notes/<int:note_id>")', after=VIEW),
        Entry("converters", "int, path, uuid in the URL", '@app.route("/files/<path:name>")', after=VIEW),
        Entry("url_for", "a URL from a view's name", 'url_for("note", note_id=3)',
              after='assert url_for("note", note_id=3) == "/notes/3"'),
        Entry("Blueprint", "a group of views, mounted later", 'bp = Blueprint("api", __name__, url_prefix="/api")',
              after='bp.add_url_rule("/x", "x", lambda: "x"); app.register_blueprint(bp); assert "/api/x" in [r.rule for r in app.url_map.iter_rules()]'),
        Entry("app.url_map", "every rule the app knows", "sorted(r.rule for r in app.url_map.iter_rules())"),
    ]),
    ("Read the request", [
        Entry("request.args", "the query string", 'page = request.args.get("page", 1, type=int)',
              request={"query_string": {"page": "2"}}, after="assert page == 2"),
        Entry("request.form", "fields of a posted form", 'title = request.form.get("title", "")',
              request={"method": "POST", "data": {"title": "Hello"}}, after='assert title == "Hello"'),
        Entry("request.get_json", "a JSON body, None if not JSON", "data = request.get_json(silent=True)",
              request={"method": "POST", "json": {"text": "buy milk"}}, after='assert data == {"text": "buy milk"}'),
        Entry("request.headers / .cookies", "headers and cookies, as sent", 'theme = request.cookies.get("theme", "light")',
              request={"headers": {"Cookie": "theme=dark"}}, after='assert theme == "dark"'),
        Entry("request.method, .path", "what was asked", "asked = (request.method, request.path)",
              after='assert asked == ("GET", "/")'),
    ]),
    ("Answer", [
        Entry("return a dict or tuple", "JSON, a status, headers", 'answer = ({"id": 3}, 201, {"Location": "/notes/3"})',
              after="response = app.make_response(answer); assert response.status_code == 201 and response.json == {'id': 3}"),
        Entry("redirect", "send the browser elsewhere (PRG)", 'response = redirect(url_for("index"), code=303)',
              after="assert response.status_code == 303 and response.location == '/'"),
        Entry("abort", "stop with an error status", "abort(404)", before="import werkzeug.exceptions\ntry:\n", after="except werkzeug.exceptions.NotFound:\n    pass"),
        Entry("make_response", "a response to add headers or cookies to", 'response = make_response("saved", 200)',
              after='response.set_cookie("theme", "dark"); assert "theme=dark" in response.headers["Set-Cookie"]'),
        Entry("@app.errorhandler", "your own error page", "@app.errorhandler(404)", after="def not_found(error):\n    return 'gone', 404"),
    ]),
    ("Template", [
        Entry("render_template", "a file from templates/", 'page = render_template("note.html", note=note)',
              after="assert page == '<h1>first</h1>'"),
        Entry("{{ value }}", "printed and escaped", 'render_template_string("{{ t }}", t="<b>")',
              after='assert render_template_string("{{ t }}", t="<b>") == "&lt;b&gt;"'),
        Entry("{% extends %} {% block %}", "a page from a layout", '{% extends "base.html" %}{% block content %}Hi{% endblock %}'),
        Entry("|safe, Markup", "trusted HTML only, never user input", 'Markup("<em>{}</em>").format(user_input)',
              before='user_input = "<script>"\n', after='assert str(Markup("<em>{}</em>").format(user_input)) == "<em>&lt;script&gt;</em>"'),
        Entry("url_for('static')", "a file from static/", "url_for('static', filename='style.css')",
              after="assert url_for('static', filename='style.css') == '/static/style.css'"),
    ]),
    ("Form", [
        Entry("Form and fields", "fields with validators", 'class NoteForm(Form): title = StringField("Title", [validators.DataRequired()])',
              after="assert 'title' in NoteForm()._fields"),
        Entry("validate()", "check the posted data", "form = NoteForm(request.form); ok = form.validate()",
              before='class NoteForm(Form):\n    title = StringField("Title", [validators.DataRequired()])\n',
              request={"method": "POST", "data": {"title": ""}}, after="assert not ok"),
        Entry("field.errors", "messages to show beside a field", "form.title.errors",
              before='class NoteForm(Form):\n    title = StringField("Title", [validators.DataRequired()])\nform = NoteForm(request.form); form.validate()\n',
              request={"method": "POST", "data": {"title": ""}}, after="assert form.title.errors == ['This field is required.']"),
        Entry("SessionCSRF", "a token per session in every form", 'form = SecureForm(request.form, meta={"csrf_context": session})',
              before=("class SecureForm(Form):\n    class Meta:\n        csrf = True\n        csrf_class = SessionCSRF\n"
                      "        csrf_secret = b'a secret of thirty-two bytes or more!'\n"),
              request={"method": "POST", "data": {}}, after="assert not form.validate() and form.csrf_token.errors == ['CSRF token missing.']"),
    ]),
    ("Session", [
        Entry("SECRET_KEY", "signs the session cookie", 'app.config["SECRET_KEY"] = secrets.token_hex()'),
        Entry("session[...]", "remember per browser (signed, readable)", 'session["user_id"] = user.id',
              after="assert session['user_id'] == user.id"),
        Entry("session.clear()", "log out; fresh session at log-in", "session.clear()"),
        Entry("session.permanent", "Expires from PERMANENT_SESSION_LIFETIME", "session.permanent = True"),
        Entry("flash", "a message for the next page", 'flash("Note saved.")',
              after="assert get_flashed_messages() == ['Note saved.']"),
        Entry("password hashes", "store hashes, check them", 'ok = check_password_hash(generate_password_hash("pw"), "pw")',
              after="assert ok"),
    ]),
    ("Database", [
        Entry("Model, fields", "a table as a class", "class Tag(Model): name = CharField(unique=True)",
              after="assert Tag.name.unique"),
        Entry("create_tables", "make the tables", "db.create_tables([User, Note])"),
        Entry("create / get_or_none", "insert, fetch one", 'Note.create(title="Hello", author=user)',
              after='assert Note.get_or_none(Note.title == "Hello").author.name == "ada"'),
        Entry("select().where()", "query; values are parameters", 'Note.select().where(Note.title.contains("ell")).order_by(Note.id)',
              before='Note.create(title="Hello")\n'),
        Entry("db.atomic()", "all or nothing", "with db.atomic(): Note.create(title=\"both or none\")"),
        Entry("connect per request", "open, then close in teardown", "app.before_request(db.connect)",
              after="app.teardown_request(lambda exc: db.close())"),
    ]),
    ("Upload", [
        Entry("enctype", "a form that can send files", '<form method="post" enctype="multipart/form-data">'),
        Entry("request.files", "a FileStorage per field", 'upload = request.files["attachment"]',
              request=lambda: {"method": "POST", "data": {"attachment": (io.BytesIO(b"hello"), "notes.txt")}},
              after='assert upload.filename == "notes.txt" and upload.read() == b"hello"'),
        Entry("secure_filename", "a name safe to use on disk", 'secure_filename("../../etc/passwd")',
              after='assert secure_filename("../../etc/passwd") == "etc_passwd"'),
        Entry("MAX_CONTENT_LENGTH", "a bigger body gets 413", 'app.config["MAX_CONTENT_LENGTH"] = 256 * 1024'),
        Entry("send_from_directory", "serve a stored file", 'send_from_directory(folder / "uploads", "cat.png", as_attachment=True)',
              after='r = send_from_directory(folder / "uploads", "cat.png", as_attachment=True); r.direct_passthrough = False; assert r.get_data() == b"png"'),
    ]),
    ("Test", [
        Entry("test_client", "requests without a server", 'client = app.test_client(); answer = client.get("/notes/3")',
              after='assert answer.status_code == 200 and answer.text == "note 3"'),
        Entry("follow_redirects", "post, then land where it redirects", 'client.post("/notes", data={"title": "x"}, follow_redirects=True)',
              before='app.add_url_rule("/notes", "create", lambda: redirect("/"), methods=["POST"])\nclient = app.test_client()\n'),
        Entry("session_transaction", "set the session before a request", 'with client.session_transaction() as s: s["user_id"] = 1',
              before="client = app.test_client()\n"),
        Entry("test_cli_runner", "run a flask command", 'app.test_cli_runner().invoke(args=["routes"])'),
        Entry("pytest fixture", "a fresh app for every test", "@pytest.fixture", before="import pytest\n",
              after="def client(app):\n    return app.test_client()"),
    ]),
    ("Deploy", [
        Entry("app factory", "a new app per call; servers call it", "def create_app(config=None): return Flask(__name__)",
              after="assert create_app().name"),
        Entry("from_prefixed_env", "settings from MYAPP_* variables", 'app.config.from_prefixed_env("MYAPP")',
              before='os.environ["MYAPP_MAX_CONTENT_LENGTH"] = "65536"\n',
              after='assert app.config["MAX_CONTENT_LENGTH"] == 65536; del os.environ["MYAPP_MAX_CONTENT_LENGTH"]'),
        Entry("ProxyFix", "trust one reverse proxy's headers", "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)"),
        Entry("gunicorn", "a production WSGI server (waitress-serve on Windows)", "gunicorn -w 2 'noteboard:create_app()'", shell=True),
    ]),
    ("Secure", [
        Entry("autoescape", "user text is escaped in templates", 'escape("<script>")',
              after='assert escape("<script>") == "&lt;script&gt;"'),
        Entry("parameters", "never format SQL with user input", 'db.execute_sql("SELECT title FROM note WHERE id = ?", (3,))'),
        Entry("cookie flags", "HttpOnly, Secure, SameSite", 'app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")'),
        Entry("security headers", "set on every response", 'response.headers["Content-Security-Policy"] = "default-src \'self\'"',
              before="response = make_response('ok')\n"),
        Entry("debug off", "the debugger runs any code it is sent", "assert not app.debug  # never debug on a server"),
    ]),
]


def run(entry):
    """Execute one entry's example exactly as printed, in a fresh app; raise if it fails."""
    if entry.shell:
        return _run_command(entry.example)
    folder = tempfile.mkdtemp(prefix="cheatsheet-")
    try:
        namespace = {"FOLDER": folder, "__name__": "cheatsheet_example"}
        exec(SETUP, namespace)
        app = namespace["app"]
        if entry.example.startswith("<form"):
            code = f"line = {entry.example!r}\nassert 'enctype=\"multipart/form-data\"' in line"
        elif entry.example.startswith("{%"):
            code = f"page = render_template_string({entry.example!r})\nassert page == '<main>Hi</main>', page"
        elif entry.before.rstrip().endswith(":"):
            code = entry.before + textwrap.indent(entry.example, "    ") + "\n" + entry.after
        else:
            code = entry.before + entry.example + "\n" + entry.after
        request = entry.request() if callable(entry.request) else entry.request
        with app.test_request_context("/", **request):
            exec(compile(code, f"<cheat sheet: {entry.call}>", "exec"), namespace)
        namespace["db"].close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_command(command):
    """Check a server command as printed: Gunicorn loads the app and checks its settings."""
    words = shlex.split(command)
    with tempfile.TemporaryDirectory(prefix="cheatsheet-") as folder:
        env = {**os.environ, "CAPSTONE_SECRET_KEY": secrets.token_hex(), "CAPSTONE_DATA_DIR": folder}
        done = subprocess.run(
            [sys.executable, "-m", words[0], "--check-config", *words[1:]],
            env=env, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=60,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed its check: {done.stderr[-500:]}")


def render(title="Flask cheat sheet", paper="A4"):
    """The cheat sheet as a standalone HTML page, laid out for ``paper`` (A4 or letter)."""
    sections = []
    for task, entries in SHEET:
        rows = "".join(
            f"<dt><code>{html.escape(e.call)}</code> {html.escape(e.does)}</dt>"
            f"<dd><code>{html.escape(e.example)}</code></dd>"
            for e in entries
        )
        sections.append(f"<section><h2>{html.escape(task)}</h2><dl>{rows}</dl></section>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
@page {{ size: {paper}; margin: 9mm; }}
body {{ font: 8pt/1.25 sans-serif; color: #1a1a1a; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }}
h1 {{ font-size: 12pt; margin: 0 0 0.3rem; }}
.columns {{ columns: 2; column-gap: 1.2rem; }}
section {{ break-inside: avoid; margin-bottom: 0.35rem; }}
h2 {{ font-size: 9pt; margin: 0.2rem 0 0.1rem; border-bottom: 1px solid #595959; }}
dl {{ margin: 0; }}
dt {{ margin-top: 0.12rem; }}
dd {{ margin: 0 0 0 0.8rem; }}
code {{ font: 7.5pt/1.2 monospace; }}
dd code {{ color: #1f4e79; overflow-wrap: anywhere; }}
p {{ margin: 0.2rem 0; }}
@media print {{ body {{ margin: 0; padding: 0; max-width: none; }} }}
</style></head><body><main><h1>{html.escape(title)}</h1>
<p>Every example is taken from the chapters and runs against the versions the course pins.</p>
<div class="columns">{"".join(sections)}</div>
<p class="handout-licence">{html.escape(licence_note())}</p></main></body></html>
"""
