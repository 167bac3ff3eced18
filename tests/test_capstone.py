"""The capstone app, Noteboard (noteboard), tested the way chapter 9 teaches.

Every test gets a fresh app on a throwaway SQLite database and upload folder under pytest's
tmp_path. Passwords are hashed with a cheap method here so that the suite stays fast; the app's
default stays scrypt (one test checks that).
"""

import io
import re
from pathlib import Path

import pytest
from peewee import OperationalError
from werkzeug.security import check_password_hash

from noteboard import DEFAULTS, create_app
from noteboard.models import Note, User, db

DATA = Path(__file__).resolve().parent.parent / "data" / "uploads"
PNG = (DATA / "pixel.png").read_bytes()
FAKE_PNG = (DATA / "not-a-picture.png").read_bytes()
NOTES_TXT = (DATA / "notes.txt").read_bytes()
PASSWORDS = {"ada": "analytical engine", "grace": "compiler first"}


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "DATA_DIR": tmp_path / "data",
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast; only for tests
    })
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    for name, password in PASSWORDS.items():
        assert runner.invoke(args=["add-user", name, "--password", password]).exit_code == 0
    return app


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
    page = client.get("/login")
    return client.post("/login", data={
        "name": name, "password": password or PASSWORDS[name], "csrf_token": token(page),
    })


def post_note(client, title="A note", body="", file=None):
    """Post the new-note form; file is (bytes, name) or None."""
    data = {"title": title, "body": body, "csrf_token": token(client.get("/notes/new"))}
    if file is not None:
        data["attachment"] = (io.BytesIO(file[0]), file[1])
    return client.post("/notes/new", data=data, content_type="multipart/form-data")


def notes_in_db():
    with db.connection_context():
        return [(note.title, note.file_name) for note in Note.select().order_by(Note.id)]


def uploaded(app):
    return sorted(path.name for path in (Path(app.instance_path) / "uploads").iterdir())


# The factory and the command line


def test_the_factory_needs_a_data_folder_and_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPSTONE_DATA_DIR", raising=False)
    monkeypatch.delenv("CAPSTONE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="DATA_DIR"):
        create_app({"SECRET_KEY": "x"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATA_DIR": tmp_path})


def test_settings_come_from_the_environment_and_the_config_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPSTONE_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("CAPSTONE_SECRET_KEY", "env-secret")
    monkeypatch.setenv("CAPSTONE_MAX_CONTENT_LENGTH", "1000")
    app = create_app({"MAX_CONTENT_LENGTH": 2000})
    assert app.instance_path == str(tmp_path / "from-env")
    assert app.config["SECRET_KEY"] == "env-secret"
    assert app.config["MAX_CONTENT_LENGTH"] == 2000
    assert (tmp_path / "from-env" / "uploads").is_dir()


def test_init_db_creates_the_tables_and_can_run_again(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Tables ready: user, note" in result.output
    with db.connection_context():
        assert db.get_tables() == ["note", "user"]


def test_add_user_stores_a_hash_and_refuses_a_taken_or_odd_name(runner):
    with db.connection_context():
        stored = User.get(User.name == "ada").password_hash
    assert "analytical engine" not in stored and check_password_hash(stored, "analytical engine")
    taken = runner.invoke(args=["add-user", "ada", "--password", "x"])
    assert taken.exit_code == 1 and "already a user called 'ada'" in taken.output
    odd = runner.invoke(args=["add-user", "../ada", "--password", "x"])
    assert odd.exit_code == 1 and "1 to 40 letters" in odd.output


def test_the_default_hash_is_scrypt():
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"


def test_each_request_opens_its_own_connection_and_closes_it(client):
    """Chapter 7's strict connect(): a connection left open in this thread is an error, not reused."""
    assert client.get("/api/notes").status_code == 200
    assert db.is_closed()  # teardown_request closed it
    db.connect()  # as a cell that keeps a connection open would
    try:
        with pytest.raises(OperationalError, match="Connection already opened"):
            client.get("/api/notes")  # the test client runs in this thread
    finally:
        if not db.is_closed():
            db.close()


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
        assert headers["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'", path
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


# Logging in and out


def test_login_logout(client):
    response = log_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["user_id"] == 1 and "csrf" not in session  # a fresh session
    home = client.get("/")
    assert "Welcome, ada!" in home.text and "Logged in as <strong>ada</strong>" in home.text
    assert client.get("/notes/new").status_code == 200
    out = client.post("/logout", data={"csrf_token": token(home)})
    assert out.status_code == 303
    with client.session_transaction() as session:
        assert "user_id" not in session
    assert client.get("/notes/new").status_code == 302


@pytest.mark.parametrize("name, password", [("ada", "wrong"), ("nobody", "analytical engine")])
def test_a_wrong_name_or_password_gets_401_and_one_message(client, name, password):
    response = log_in(client, name, password)
    assert response.status_code == 401 and "Wrong name or password." in response.text
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
    assert notes_in_db() == [("A pixel", "pixel.png")] and uploaded(app) == ["1.png"]
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
    assert notes_in_db() == [] and uploaded(app) == []


def test_a_form_sent_without_multipart_gets_a_clear_message(client):
    log_in(client)
    page = client.get("/notes/new")
    response = client.post("/notes/new", data={"title": "t", "attachment": "notes.txt", "csrf_token": token(page)})
    assert response.status_code == 422 and "multipart/form-data" in response.text


def test_an_upload_over_the_limit_gets_the_413_page(app, client):
    log_in(client)
    response = post_note(client, "Big", file=(b"x" * (DEFAULTS["MAX_CONTENT_LENGTH"] + 1), "big.txt"))
    assert response.status_code == 413 and "<title>413 Request Entity Too Large · Noteboard</title>" in response.text
    assert notes_in_db() == [] and uploaded(app) == []


def test_only_the_author_deletes_a_note_and_its_file(app, client):
    log_in(client)
    post_note(client, "Ada's", file=(NOTES_TXT, "notes.txt"))
    grace = app.test_client()
    log_in(grace, "grace")
    refused = grace.post("/notes/1/delete", data={"csrf_token": token(grace.get("/notes/1"))})
    assert refused.status_code == 403 and "Only the author can delete a note." in refused.text
    assert uploaded(app) == ["1.txt"]
    deleted = client.post("/notes/1/delete", data={"csrf_token": token(client.get("/notes/1"))})
    assert deleted.status_code == 303 and notes_in_db() == [] and uploaded(app) == []
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
    app = create_app({"DATA_DIR": tmp_path, "SECRET_KEY": "x"})  # not TESTING: errors are not raised

    @app.get("/boom")
    def boom():
        raise RuntimeError("a secret detail")

    monkeypatch.setattr(app.logger, "disabled", True)  # keep the traceback out of the output
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "500 Internal Server Error · Noteboard" in response.text
    assert "a secret detail" not in response.text
