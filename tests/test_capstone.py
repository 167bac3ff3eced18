"""The capstone app, Noteboard (noteboard), tested the way chapter 9 teaches.

Every test gets a fresh app on a throwaway SQLite database and upload folder under pytest's
tmp_path. Passwords are hashed with a cheap method here so that the suite stays fast; the app's
default stays scrypt (one test checks that). The apps share Jinja's compiled templates, for the
same reason. The tests of the hardening (from "Attacks" on)
try what an attacker would, over real HTTP wherever the attack comes over the network.
"""

import io
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from jinja2 import BytecodeCache
from peewee import OperationalError
from werkzeug.security import check_password_hash

from helpers import serve
from helpers.paths import ROOT
from noteboard import DEFAULTS, create_app
from noteboard.models import Note, User, db
from tests.support import free_port

DATA = Path(__file__).resolve().parent.parent / "data" / "uploads"
PNG = (DATA / "pixel.png").read_bytes()
FAKE_PNG = (DATA / "not-a-picture.png").read_bytes()
NOTES_TXT = (DATA / "notes.txt").read_bytes()
PASSWORDS = {"ada": "analytical engine", "grace": "compiler first"}
FAST_HASH = "pbkdf2:sha256:1000"  # fast; only for tests
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(png|txt)")


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept for every app of the test run (each Jinja environment compiles its own)."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:  # Jinja throws the code away if the template's source has changed
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


def make_app(data_dir, **config):
    """A Noteboard with ada and grace, on its own database in data_dir."""
    app = create_app({
        "DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_hex(),
        "TESTING": True,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        **config,
    })
    # Each test makes a new app: compile each template once per run, not once per test.
    app.jinja_options = {**app.jinja_options, "bytecode_cache": TEMPLATES}
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    for name, password in PASSWORDS.items():
        assert runner.invoke(args=["add-user", name, "--password", password]).exit_code == 0
    return app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path / "data")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def token(response):
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text)
    assert match, "no CSRF token on the page"
    return match[1]


def log_in(client, name="ada", password=None):
    """Log in through the form; client is a test client or a Browser."""
    page = client.get("/login")
    return client.post("/login", data={
        "name": name, "password": password or PASSWORDS[name], "csrf_token": token(page),
    }, **({} if hasattr(client, "application") else {"allow_redirects": False}))


def post_note(client, title="A note", body="", file=None):
    """Post the new-note form; file is (bytes, name) or None."""
    data = {"title": title, "body": body, "csrf_token": token(client.get("/notes/new"))}
    if file is not None:
        data["attachment"] = (io.BytesIO(file[0]), file[1])
    return client.post("/notes/new", data=data, content_type="multipart/form-data")


def notes_in_db(app):
    with app.app_context(), db.connection_context():
        return [(note.title, note.file_name) for note in Note.select().order_by(Note.id)]


def uploaded(app):
    return sorted(path.name for path in (Path(app.instance_path) / "uploads").iterdir())


class Browser(requests.Session):
    """A requests.Session that takes paths, like the test client, and never waits for ever."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, **kwargs)


# The factory and the command line


def test_the_factory_needs_a_data_folder_and_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPSTONE_DATA_DIR", raising=False)
    monkeypatch.delenv("CAPSTONE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="DATA_DIR"):
        create_app({"SECRET_KEY": secrets.token_hex()})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATA_DIR": tmp_path})


def test_settings_come_from_the_environment_and_the_config_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPSTONE_DATA_DIR", str(tmp_path / "from-env"))
    key = secrets.token_hex()
    monkeypatch.setenv("CAPSTONE_SECRET_KEY", key)
    monkeypatch.setenv("CAPSTONE_MAX_CONTENT_LENGTH", "1000")
    app = create_app({"MAX_CONTENT_LENGTH": 2000})
    assert app.instance_path == str(tmp_path / "from-env")
    assert app.config["SECRET_KEY"] == key
    assert app.config["MAX_CONTENT_LENGTH"] == 2000
    assert (tmp_path / "from-env" / "uploads").is_dir()


def test_init_db_creates_the_tables_and_can_run_again(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Tables ready: user, note" in result.output
    with app.app_context(), db.connection_context():
        assert db.get_tables() == ["note", "user"]


def test_add_user_stores_a_hash_and_refuses_a_taken_or_odd_name(app, runner):
    with app.app_context(), db.connection_context():
        stored = User.get(User.name == "ada").password_hash
    assert "analytical engine" not in stored and check_password_hash(stored, "analytical engine")
    taken = runner.invoke(args=["add-user", "ada", "--password", "x"])
    assert taken.exit_code == 1 and "already a user called 'ada'" in taken.output
    odd = runner.invoke(args=["add-user", "../ada", "--password", "x"])
    assert odd.exit_code == 1 and "1 to 40 letters" in odd.output


def test_the_default_hash_is_scrypt():
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"


def test_each_request_opens_its_own_connection_and_closes_it(app, client):
    """Chapter 7's strict connect(): a connection left open in this thread is an error, not reused."""
    assert client.get("/api/notes").status_code == 200
    with app.app_context():
        assert db.is_closed()  # teardown_request closed it
        db.connect()  # as a cell that keeps a connection open would
    try:
        with pytest.raises(OperationalError, match="Connection already opened"):
            client.get("/api/notes")  # the test client runs in this thread
    finally:
        with app.app_context():
            if not db.is_closed():
                db.close()


def test_the_models_outside_an_app_say_what_they_need():
    with pytest.raises(RuntimeError, match="app_context"):
        Note.select().count()


# Pages, templates and static files


def test_every_page_extends_the_base_layout(client):
    for path, title in [("/", "The board"), ("/login", "Log in")]:
        page = client.get(path)
        assert page.status_code == 200
        assert f"<title>{title} · Noteboard</title>" in page.text
        assert '<link rel="stylesheet" href="/static/style.css">' in page.text
    assert client.get("/static/style.css").status_code == 200


def test_every_response_carries_the_security_headers(client):
    for path in ["/", "/login", "/api/notes", "/api/notes/99", "/nowhere", "/static/style.css"]:
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == (
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        ), path
        assert "Strict-Transport-Security" not in headers, path  # plain HTTP: no promise of HTTPS
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


# Logging in and out


def test_login_logout(client):
    response = log_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["user_id"] == 1 and "csrf" not in session  # a fresh session
        assert session["generation"] == 0
    home = client.get("/")
    assert "Welcome, ada!" in home.text and "Logged in as <strong>ada</strong>" in home.text
    assert client.get("/notes/new").status_code == 200
    out = client.post("/logout", data={"csrf_token": token(home)})
    assert out.status_code == 303
    with client.session_transaction() as session:
        assert "user_id" not in session
    assert client.get("/notes/new").status_code == 302


@pytest.mark.parametrize("name, password", [("ada", "wrong"), ("nobody", "analytical engine")])
def test_a_wrong_name_or_password_gets_the_form_again_and_one_message(client, name, password):
    response = log_in(client, name, password)
    assert response.status_code == 422 and "Wrong name or password." in response.text
    assert 'name="password"' in response.text and 'value="' + name + '"' in response.text
    with client.session_transaction() as session:
        assert "user_id" not in session


def test_an_empty_login_form_gets_422_with_messages(client):
    response = client.post("/login", data={"name": "", "password": "", "csrf_token": token(client.get("/login"))})
    assert response.status_code == 422 and response.text.count("This field is required.") == 2


def test_members_only_pages_send_visitors_to_the_login(client):
    response = client.get("/notes/new", follow_redirects=True)
    assert response.request.path == "/login" and "Please log in first." in response.text


def test_remember_me_makes_the_session_permanent(client):
    page = client.get("/login")
    client.post("/login", data={"name": "ada", "password": PASSWORDS["ada"], "remember": "y", "csrf_token": token(page)})
    assert client.get_cookie("session").expires is not None


# CSRF


@pytest.mark.parametrize("sent, reason", [
    (None, "CSRF token missing."),
    ("20991231235959##" + "0" * 40, "CSRF failed."),
])
def test_a_form_without_a_good_csrf_token_is_refused(client, sent, reason):
    data = {"name": "ada", "password": PASSWORDS["ada"]}
    if sent:
        data["csrf_token"] = sent
    client.get("/login")
    response = client.post("/login", data=data)
    assert response.status_code == 400 and reason in response.text
    with client.session_transaction() as session:
        assert "user_id" not in session


def test_an_expired_token_is_refused(app, client):
    app.config["CSRF_TIME_LIMIT"] = -60  # every new token expired a minute ago
    page = client.get("/login")
    response = client.post("/login", data={"name": "ada", "password": PASSWORDS["ada"], "csrf_token": token(page)})
    assert response.status_code == 400 and "CSRF token expired." in response.text


def test_a_token_from_another_session_is_refused(app, client):
    other = app.test_client()
    foreign = token(other.get("/login"))
    client.get("/login")
    response = client.post("/login", data={"name": "ada", "password": PASSWORDS["ada"], "csrf_token": foreign})
    assert response.status_code == 400 and "CSRF failed." in response.text


def test_logout_needs_the_token_too(client):
    log_in(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/notes/new").status_code == 200  # still logged in


# Notes and uploads


def test_a_note_with_a_png_is_stored_and_served_back(app, client):
    log_in(client)
    response = post_note(client, "A pixel", "tiny", (PNG, "pixel.png"))
    assert response.status_code == 303 and response.headers["Location"] == "/notes/1"
    assert notes_in_db(app) == [("A pixel", "pixel.png")]
    [stored] = uploaded(app)
    assert STORED_NAME.fullmatch(stored) and stored.endswith(".png")
    assert (Path(app.instance_path) / "uploads" / stored).read_bytes() == PNG
    page = client.get("/notes/1")
    assert "Note saved." in page.text and 'href="/notes/1/file"' in page.text
    download = client.get("/notes/1/file")
    assert download.data == PNG and download.mimetype == "image/png"
    assert download.headers["Content-Disposition"] == "attachment; filename=pixel.png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_note_sent_without_the_text_field_is_stored_with_empty_text(client):
    log_in(client)
    response = client.post("/notes/new", data={"title": "Title only", "csrf_token": token(client.get("/notes/new"))})
    assert response.status_code == 303
    assert client.get("/api/notes/1").get_json()["body"] == ""


def test_a_note_without_a_file_and_text_that_is_escaped(client):
    log_in(client)
    assert post_note(client, "<script>alert(1)</script>").status_code == 303
    page = client.get("/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>" not in page.text
    assert client.get("/notes/1/file").status_code == 404


@pytest.mark.parametrize("name, data, message", [
    ("not-a-picture.png", FAKE_PNG, "does not contain what a .png file contains"),
    ("evil.py", b"print('owned')\n", "Only .png and .txt files are allowed."),
    ("../../evil.txt", b"owned\n", "must not contain a path"),
    ("..", b"owned\n", "no usable characters"),
    ("empty.txt", b"", "empty.txt is empty."),
    ("pixel.txt", PNG, "does not contain what a .txt file contains"),
])
def test_a_dangerous_upload_is_refused_and_nothing_is_stored(app, client, name, data, message):
    log_in(client)
    response = post_note(client, "Try this", file=(data, name))
    assert response.status_code == 422 and message in response.text
    assert 'value="Try this"' in response.text  # what the user typed is kept
    assert notes_in_db(app) == [] and uploaded(app) == []


def test_a_form_sent_without_multipart_gets_a_clear_message(client):
    log_in(client)
    page = client.get("/notes/new")
    response = client.post("/notes/new", data={"title": "t", "attachment": "notes.txt", "csrf_token": token(page)})
    assert response.status_code == 422 and "multipart/form-data" in response.text


def test_an_upload_over_the_limit_gets_the_413_page(app, client):
    log_in(client)
    response = post_note(client, "Big", file=(b"x" * (DEFAULTS["MAX_CONTENT_LENGTH"] + 1), "big.txt"))
    assert response.status_code == 413 and "<title>413 Request Entity Too Large · Noteboard</title>" in response.text
    assert notes_in_db(app) == [] and uploaded(app) == []


def test_only_the_author_deletes_a_note_and_its_file(app, client):
    log_in(client)
    post_note(client, "Ada's", file=(NOTES_TXT, "notes.txt"))
    grace = app.test_client()
    log_in(grace, "grace")
    refused = grace.post("/notes/1/delete", data={"csrf_token": token(grace.get("/notes/1"))})
    assert refused.status_code == 403 and "Only the author can delete a note." in refused.text
    assert len(uploaded(app)) == 1
    deleted = client.post("/notes/1/delete", data={"csrf_token": token(client.get("/notes/1"))})
    assert deleted.status_code == 303 and notes_in_db(app) == [] and uploaded(app) == []
    assert client.post("/notes/1/delete", data={"csrf_token": token(client.get("/"))}).status_code == 404


# The JSON API


def test_the_api_lists_notes_in_pages(client):
    log_in(client)
    for number in range(1, 4):
        post_note(client, f"Note {number}")
    listing = client.get("/api/notes?per_page=2").get_json()
    assert listing["total"] == 3 and [n["title"] for n in listing["notes"]] == ["Note 3", "Note 2"]
    second = client.get("/api/notes?per_page=2&page=2").get_json()
    assert [n["title"] for n in second["notes"]] == ["Note 1"]
    assert client.get("/api/notes?author=grace").get_json()["total"] == 0


def test_the_api_shows_one_note_and_never_a_password_hash(client):
    log_in(client)
    post_note(client, "With a file", "text", (NOTES_TXT, "notes.txt"))
    response = client.get("/api/notes/1")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": 1, "title": "With a file", "body": "text", "author": "ada", "url": "/api/notes/1",
        "attachment": {"name": "notes.txt", "kind": "txt", "size": len(NOTES_TXT), "url": "/notes/1/file"},
    }
    assert "password" not in response.text and "pbkdf2" not in response.text


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=51", "per_page=-1", "page=1e3"])
def test_the_api_answers_bad_parameters_with_400_in_json(client, query):
    response = client.get(f"/api/notes?{query}")
    assert response.status_code == 400 and response.is_json
    assert "must be a whole number" in response.get_json()["error"]


def test_the_api_answers_404_and_405_in_json(client):
    missing = client.get("/api/notes/99")
    assert missing.status_code == 404 and missing.get_json() == {"error": "no note with id 99"}
    assert client.get("/api/nothing").get_json()["error"].startswith("The requested URL was not found")
    wrong = client.delete("/api/notes/1")
    assert wrong.status_code == 405 and wrong.is_json and set(wrong.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


# Error pages


def test_site_errors_get_an_html_page_on_the_base_layout(client):
    response = client.get("/notes/99")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "<title>404 Not Found · Noteboard</title>" in response.text and "There is no note 99." in response.text


def test_an_unhandled_exception_gets_the_500_page_without_details(tmp_path, monkeypatch):
    app = create_app({"DATA_DIR": tmp_path, "SECRET_KEY": secrets.token_hex()})  # not TESTING: errors are not raised

    @app.get("/boom")
    def boom():
        raise RuntimeError("a secret detail")

    monkeypatch.setattr(app.logger, "disabled", True)  # keep the traceback out of the output
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "500 Internal Server Error · Noteboard" in response.text
    assert "a secret detail" not in response.text


# Attacks. Each test below failed on the app as it was before the hardening (issue 12).


@pytest.fixture
def served(app):
    """The app behind the development server on 127.0.0.1, as chapter 12 serves it."""
    return serve(app, name="capstone-test")


# Each app has its own database (item 6)


def test_two_apps_in_one_process_answer_interleaved_requests_from_their_own_databases(tmp_path):
    apps = {name: make_app(tmp_path / name) for name in ("first", "second")}
    for name, app in apps.items():
        client = app.test_client()
        log_in(client)
        for number in range(3):
            post_note(client, f"{name} {number}")
    urls = {name: serve(app, name=f"capstone-{name}").url for name, app in apps.items()}

    def titles(name):
        response = requests.get(urls[name] + "/api/notes", timeout=30)
        return name, response.status_code, sorted(note["title"] for note in response.json()["notes"])

    with ThreadPoolExecutor(8) as pool:  # both servers answer at the same moments, from many threads
        answers = list(pool.map(titles, ["first", "second"] * 20))
    for name, status, seen in answers:
        assert (status, seen) == (200, [f"{name} {number}" for number in range(3)])


@pytest.mark.slow
def test_chapter_12_keeps_working_after_its_two_apps_cell_runs_again():
    """Run the chapter to its JSON API, run the two-apps cell again, then every cell that uses the app."""
    # Imported here: nbformat loads jsonschema, whose IRI checker builds its grammar at import (a second
    # of CPU), and chapter 12 runs this file's other tests from a notebook cell.
    import nbformat
    from nbclient import NotebookClient

    cells = [cell for cell in nbformat.read(ROOT / "notebooks" / "12-capstone.ipynb", as_version=4).cells
             if cell.cell_type == "code"]
    at = {cell.id: index for index, cell in enumerate(cells)}
    order = cells[: at["c058"] + 1] + [cells[at["c014"]]] + cells[at["c032"]: at["c056"] + 1]
    run = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell.source) for cell in order]
                                   + [nbformat.v4.new_code_cell("stop_all()")])
    NotebookClient(run, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()  # raises if a cell fails


def test_a_check_of_chapter_12_leaves_the_served_app_and_its_upload_checks_alone(app, served):
    from helpers.exercises import chapter_exercises, check

    log_in(app.test_client())
    stop = threading.Event()
    seen = []

    def keep_asking():
        browser = Browser(served.url)
        assert log_in(browser).status_code == 303
        while True:
            seen.append(browser.get("/api/notes").status_code == 200 and browser.get("/api/notes").json()["total"])
            form = token(browser.get("/notes/new"))
            fake = browser.post("/notes/new", data={"title": "fake", "csrf_token": form},
                                files={"attachment": ("not-a-picture.png", FAKE_PNG)})
            seen.append(fake.status_code)
            if stop.wait(0.02):  # rounds all through the checks, but not a busy loop that slows them down
                break

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        for ex in chapter_exercises(12):  # each check builds a throwaway Noteboard of its own
            assert check(ex.id, *ex.run(ex.solution), strict=True).passed
    finally:
        stop.set()
        asker.join()
    assert seen and set(seen) == {0, 422}, "the served app answered from another database or took a fake PNG"


# The secret key (item 9)


@pytest.mark.parametrize("key", ["demo", "x" * 31, "changeme-changeme-changeme"])
def test_a_short_secret_key_is_refused(tmp_path, key):
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app({"DATA_DIR": tmp_path, "SECRET_KEY": key})


@pytest.mark.parametrize("value", ["12345678901234567890123456789012345", "1e40", "true"])
def test_a_secret_key_the_environment_turns_into_a_number_is_refused_at_once(tmp_path, monkeypatch, value):
    monkeypatch.setenv("CAPSTONE_SECRET_KEY", value)  # from_prefixed_env reads it as JSON: not a str
    with pytest.raises(RuntimeError, match="must be a string") as refused:
        create_app({"DATA_DIR": tmp_path})
    assert "secrets.token_hex()" in str(refused.value)


def test_a_weak_fallback_key_is_refused_too(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY_FALLBACKS .*at least 32"):
        create_app({"DATA_DIR": tmp_path, "SECRET_KEY": secrets.token_hex(), "SECRET_KEY_FALLBACKS": ["demo"]})


def test_a_key_of_32_characters_from_the_environment_signs_sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPSTONE_SECRET_KEY", "k" * 32)
    app = make_app(tmp_path)
    client = app.test_client()
    assert log_in(client).status_code == 303 and client.get("/notes/new").status_code == 200


# Huge ids (item 10)


@pytest.mark.parametrize("number", ["99999999999999999999999", str(2**63), "0"])
def test_an_id_no_row_can_have_is_a_404_not_a_500(app, served, number):
    browser = Browser(served.url)
    log_in(browser)
    form = token(browser.get("/"))
    answers = {
        "page": browser.get(f"/notes/{number}"),
        "file": browser.get(f"/notes/{number}/file"),
        "delete": browser.post(f"/notes/{number}/delete", data={"csrf_token": form}),
        "api": browser.get(f"/api/notes/{number}"),
    }
    assert {label: answer.status_code for label, answer in answers.items()} == dict.fromkeys(answers, 404)
    assert answers["api"].json()["error"].startswith("The requested URL was not found")


def test_the_largest_id_sqlite_can_store_is_still_looked_up(app, served):
    answer = requests.get(f"{served.url}/notes/{2**63 - 1}", timeout=30)
    assert answer.status_code == 404 and f"There is no note {2**63 - 1}." in answer.text


# Text fields sent as files (item 11)


@pytest.mark.parametrize("field", ["name", "password", "csrf_token"])
def test_a_login_field_sent_as_a_file_is_a_400(app, served, field):
    browser = Browser(served.url)
    fields = {"name": "ada", "password": PASSWORDS["ada"], "csrf_token": token(browser.get("/login"))}
    text = {key: value for key, value in fields.items() if key != field}
    answer = browser.post("/login", data=text, files={field: ("x.txt", fields[field].encode())}, allow_redirects=False)
    assert answer.status_code == 400 and f"{field} arrived as a file" in answer.text
    assert "user_id" not in browser.cookies.get("session", "")


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_note_field_sent_as_a_file_is_a_400_and_nothing_is_stored(app, served, field):
    browser = Browser(served.url)
    log_in(browser)
    fields = {"title": "A title", "body": "Some text", "csrf_token": token(browser.get("/notes/new"))}
    text = {key: value for key, value in fields.items() if key != field}
    answer = browser.post("/notes/new", data=text, files={field: ("x.txt", b"x" * 3000)}, allow_redirects=False)
    assert answer.status_code == 400 and f"{field} arrived as a file" in answer.text
    assert notes_in_db(app) == [] and uploaded(app) == []


# Stored file names (item 12)


def test_old_files_under_any_id_based_name_do_not_stop_uploads(app, served):
    folder = Path(app.instance_path) / "uploads"
    planted = {f"{number}.{kind}" for number in range(1, 6) for kind in ("png", "txt")}
    for name in planted:  # left over from notes whose rows were rolled back
        (folder / name).write_bytes(b"an old file")
    browser = Browser(served.url)
    log_in(browser)
    for number in range(1, 4):
        form = token(browser.get("/notes/new"))
        answer = browser.post("/notes/new", data={"title": f"Note {number}", "csrf_token": form},
                              files={"attachment": ("notes.txt", NOTES_TXT)}, allow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
        assert browser.get(f"/notes/{number}/file").content == NOTES_TXT
    new = set(uploaded(app)) - planted
    assert len(new) == 3 and all(STORED_NAME.fullmatch(name) for name in new)
    assert all((folder / name).read_bytes() == b"an old file" for name in planted)  # nothing replaced


def test_a_row_that_cannot_be_stored_leaves_no_file_behind(app, client, monkeypatch):
    log_in(client)

    def full_disk(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(Note, "create", full_disk)
    app.testing = False  # answer the 500 as a server would
    monkeypatch.setattr(app.logger, "disabled", True)
    assert post_note(client, "Lost", file=(NOTES_TXT, "notes.txt")).status_code == 500
    assert uploaded(app) == []


# Login limits and hashing slots (item 13)

# A limit of 3 instead of the defaults (20 per address, 10 per account): the app reads its limits
# on every request, so a low one shows the same with a few guesses instead of two dozen.
LOWER_LIMIT = "3 per 15 minutes"


def wrong_guesses(browser, name, count):
    """Post the login form count times with a wrong password; return the status codes."""
    return guesses(browser, [name] * count)


def guesses(browser, names):
    """Post the login form once for each name, with a wrong password; return the status codes."""
    form = token(browser.get("/login"))
    return [browser.post("/login", data={"name": name, "password": f"guess {n}", "csrf_token": form},
                         allow_redirects=False).status_code for n, name in enumerate(names)]


def test_wrong_guesses_past_the_account_limit_then_the_right_password_does_not_log_in(app, served):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = LOWER_LIMIT  # the per-address limit stays 20
    attacker = Browser(served.url)
    codes = wrong_guesses(attacker, "ada", 5)
    assert codes == [422] * 3 + [429] * 2
    right = log_in(attacker)
    assert right.status_code == 429 and "Too many log-in attempts" in right.text
    assert int(right.headers["Retry-After"]) > 0
    assert attacker.get("/notes/new", allow_redirects=False).status_code == 302  # not logged in


def test_one_address_guessing_many_names_is_stopped(app, served):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = LOWER_LIMIT  # one guess for each name: the account limit never binds
    attacker = Browser(served.url)
    codes = guesses(attacker, [f"name{n}" for n in range(5)])
    assert codes == [422] * 3 + [429] * 2


def test_many_addresses_guessing_one_name_are_stopped(tmp_path):
    # Behind one proxy, each guess comes from another address.
    app = make_app(tmp_path, PROXIES=1, LOGIN_LIMIT_PER_ACCOUNT=LOWER_LIMIT)
    server = serve(app, name="capstone-proxied")
    codes = []
    for n in range(5):
        browser = Browser(server.url)
        browser.headers["X-Forwarded-For"] = f"198.51.100.{n}"
        codes += wrong_guesses(browser, "grace", 1)
    assert codes == [422] * 3 + [429] * 2


GUNICORN = [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", "2"]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="Gunicorn does not run on Windows")
def test_the_login_limit_holds_under_gunicorn_with_two_workers(app, tmp_path):
    port = free_port()
    env = {**os.environ, "CAPSTONE_DATA_DIR": app.instance_path, "CAPSTONE_SECRET_KEY": app.config["SECRET_KEY"],
           "CAPSTONE_PASSWORD_HASH_METHOD": FAST_HASH, "CAPSTONE_LOGIN_LIMIT_PER_CLIENT": "10 per hour"}
    with open(tmp_path / "gunicorn.log", "w") as log:
        server = subprocess.Popen(GUNICORN + ["--bind", f"127.0.0.1:{port}", "noteboard:create_app()"],
                                  env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/login", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.05)

        def guess(n):
            browser = Browser(url)  # a new connection each time, so both workers take turns
            return wrong_guesses(browser, f"name{n}", 1)[0]

        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(guess, range(30)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert sorted(codes) == [422] * 10 + [429] * 20  # in-memory counters would let 20 through
    workers = set(re.findall(r"Booting worker with pid: (\d+)", (tmp_path / "gunicorn.log").read_text()))
    assert len(workers) == 2


@pytest.mark.slow
def test_the_limit_store_counts_for_two_processes_at_once(tmp_path):
    """Two processes add to one counter at the same moment, many times: not one hit is lost."""
    script = (
        "import sys; from noteboard.throttle import SQLiteStorage\n"
        "store = SQLiteStorage('noteboard-sqlite://', path=sys.argv[1])\n"
        "for _ in range(200): store.incr('shared', 60)\n"
    )
    path = str(tmp_path / "limits.sqlite")
    runs = [subprocess.Popen([sys.executable, "-c", script, path]) for _ in range(2)]
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    from noteboard.throttle import SQLiteStorage

    store = SQLiteStorage("noteboard-sqlite://", path=path)
    assert store.get("shared") == 400 and store.get_expiry("shared") > time.time()
    assert store.incr("short", 0.2) == 1 and store.incr("short", 0.2) == 2
    time.sleep(0.3)
    assert store.get("short") == 0 and store.incr("short", 60) == 1  # a counter that expired starts again
    store.clear("shared")
    assert store.get("shared") == 0 and store.check()


def test_no_more_password_hashes_than_the_slots_run_at_once(tmp_path, monkeypatch):
    import noteboard.auth

    app = make_app(tmp_path, PASSWORD_CHECKS_AT_ONCE=2, LOGIN_LIMIT_PER_CLIENT="1000 per hour")
    running, most = [], []
    lock = threading.Lock()
    real_check = noteboard.auth.check_password_hash

    def slow_check(stored, password):
        with lock:
            running.append(1)
            most.append(len(running))
        time.sleep(0.05)
        with lock:
            running.pop()
        return real_check(stored, password)

    monkeypatch.setattr(noteboard.auth, "check_password_hash", slow_check)
    server = serve(app, name="capstone-slots")
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda n: wrong_guesses(Browser(server.url), f"name{n}", 1)[0], range(6)))
    assert codes == [422] * 6 and max(most) == 2


def test_a_login_that_waits_too_long_for_a_slot_gets_503_with_retry_after(tmp_path):
    app = make_app(tmp_path, PASSWORD_CHECKS_AT_ONCE=1, PASSWORD_CHECK_WAIT=0.01)
    slots = app.extensions["noteboard.hashing"]
    client = app.test_client()
    form = token(client.get("/login"))
    slots.acquire()  # another login is hashing
    try:
        busy = client.post("/login", data={"name": "ada", "password": PASSWORDS["ada"], "csrf_token": form})
    finally:
        slots.release()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5" and "busy" in busy.text
    assert log_in(client).status_code == 303


BURST = 24  # logins at the same moment; the issue measured 1.08 GB for 40 before the hashing slots


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc (Linux)")
def test_a_burst_of_scrypt_logins_stays_small(tmp_path):
    """The memory a burst of logins takes, measured like an attacker's victim would: the server's peak RSS."""
    data = tmp_path / "data"
    make_app(data, PASSWORD_HASH_METHOD="scrypt")  # tables and users; the server below hashes with scrypt
    port = free_port()
    script = (
        "import sys; from werkzeug.serving import make_server; from noteboard import create_app\n"
        "make_server('127.0.0.1', int(sys.argv[1]), create_app(), threaded=True).serve_forever()\n"
    )
    env = {**os.environ, "CAPSTONE_DATA_DIR": str(data), "CAPSTONE_SECRET_KEY": secrets.token_hex(),
           "CAPSTONE_LOGIN_LIMIT_PER_CLIENT": "1000 per hour", "CAPSTONE_PASSWORD_CHECK_WAIT": "300"}
    server = subprocess.Popen([sys.executable, "-c", script, str(port)], env=env, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/login", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        browsers = [Browser(url) for _ in range(BURST)]
        forms = [token(browser.get("/login")) for browser in browsers]

        def attempt(n):
            data = {"name": f"name{n}", "password": "guess", "csrf_token": forms[n]}
            return browsers[n].post("/login", data=data, allow_redirects=False, timeout=300).status_code

        with ThreadPoolExecutor(BURST) as pool:
            codes = list(pool.map(attempt, range(BURST)))
        status = Path(f"/proc/{server.pid}/status").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    peak_mib = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024
    # 24 scrypt hashes at once need 24 x 32 MiB; four slots need 128 MiB, plus the interpreter's own.
    assert peak_mib < 400, f"the server peaked at {peak_mib:.0f} MiB"
    assert codes == [422] * BURST  # every login was checked, none turned away


# Log-out ends the session (item 14)


def test_a_cookie_copied_before_logout_does_not_log_in_afterwards(app, served):
    ada = Browser(served.url)
    assert log_in(ada).status_code == 303
    copied = ada.cookies["session"]
    assert ada.post("/logout", data={"csrf_token": token(ada.get("/"))}, allow_redirects=False).status_code == 303
    thief = Browser(served.url)
    thief.cookies.set("session", copied)
    stolen = thief.get("/notes/new", allow_redirects=False)
    assert stolen.status_code == 302 and stolen.headers["Location"] == "/login"
    assert "Logged in as" not in thief.get("/").text
    again = Browser(served.url)  # ada can log in again, with a cookie of the new generation
    assert log_in(again).status_code == 303 and again.get("/notes/new").status_code == 200


def test_a_new_password_ends_every_session(app, served, runner):
    ada = Browser(served.url)
    log_in(ada)
    assert ada.get("/notes/new", allow_redirects=False).status_code == 200
    result = runner.invoke(args=["set-password", "ada", "--password", "a brand new one"])
    assert result.exit_code == 0 and "every session of theirs has ended" in result.output
    assert ada.get("/notes/new", allow_redirects=False).status_code == 302
    assert log_in(Browser(served.url), password="a brand new one").status_code == 303
    assert runner.invoke(args=["set-password", "nobody", "--password", "x"]).exit_code == 1


def test_logging_out_one_browser_logs_out_the_others(app, served):
    """The price of one number per user: log-out ends every session of that user."""
    laptop, phone = Browser(served.url), Browser(served.url)
    log_in(laptop)
    log_in(phone)
    laptop.post("/logout", data={"csrf_token": token(laptop.get("/"))})
    assert phone.get("/notes/new", allow_redirects=False).status_code == 302


# Behind a proxy that speaks HTTPS (item 15)


def test_behind_a_tls_proxy_the_cookie_is_secure_and_https_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPSTONE_PROXIES", "1")
    monkeypatch.setenv("CAPSTONE_SESSION_COOKIE_SECURE", "true")
    app = make_app(tmp_path)
    assert app.config["PROXIES"] == 1 and app.config["SESSION_COOKIE_SECURE"] is True
    server = serve(app, name="capstone-behind-tls")
    proxy = Browser(server.url)  # what nginx sends on for a browser that came over HTTPS
    proxy.headers.update({"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "notes.example"})
    page = proxy.get("/login")
    assert "; Secure" in page.headers["Set-Cookie"]
    # requests keeps a Secure cookie off plain http://, as a browser would: send it on as the proxy does.
    answer = proxy.post("/login", data={"name": "ada", "password": PASSWORDS["ada"], "csrf_token": token(page)},
                        headers={"Cookie": f"session={page.cookies['session']}"}, allow_redirects=False)
    assert answer.status_code == 303 and "; Secure" in answer.headers["Set-Cookie"]
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_without_proxies_forwarded_headers_change_nothing(app, served):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = LOWER_LIMIT  # read on every request
    forger = Browser(served.url)
    forger.headers.update({"X-Forwarded-Proto": "https"})
    answer = forger.get("/login")
    assert "Strict-Transport-Security" not in answer.headers
    form = token(forger.get("/login"))
    codes = []
    for n in range(5):  # a new address in every request: still one client, the real one
        forger.headers["X-Forwarded-For"] = f"198.51.100.{n}"
        codes.append(forger.post("/login", data={"name": f"name{n}", "password": "guess", "csrf_token": form}).status_code)
    assert codes == [422] * 3 + [429] * 2


def test_behind_one_proxy_a_forged_first_address_does_not_escape_the_limit(tmp_path):
    app = make_app(tmp_path, PROXIES=1, LOGIN_LIMIT_PER_CLIENT=LOWER_LIMIT)
    server = serve(app, name="capstone-proxied-forger")
    forger = Browser(server.url)
    form = token(forger.get("/login"))
    codes = []
    for n in range(5):  # the proxy appends the real address after whatever the client sent
        forger.headers["X-Forwarded-For"] = f"10.0.0.{n}, 203.0.113.7"
        codes.append(forger.post("/login", data={"name": f"name{n}", "password": "guess", "csrf_token": form}).status_code)
    assert codes == [422] * 3 + [429] * 2


@pytest.mark.parametrize("value", ["yes", "-1", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_is_refused(tmp_path, monkeypatch, value):
    monkeypatch.setenv("CAPSTONE_PROXIES", value)
    with pytest.raises(RuntimeError, match="number of reverse proxies"):
        create_app({"DATA_DIR": tmp_path, "SECRET_KEY": secrets.token_hex()})


# No 401 without a challenge (item 16)


def test_a_failed_login_over_http_is_a_422_with_the_form_never_a_401(app, served):
    browser = Browser(served.url)
    for name, password in [("ada", "wrong"), ("nobody", "x"), ("", "")]:
        answer = browser.post("/login", data={"name": name, "password": password,
                                              "csrf_token": token(browser.get("/login"))})
        assert answer.status_code == 422 and '<form method="post"' in answer.text
        assert "WWW-Authenticate" not in answer.headers
