"""Noteboard: the course's capstone, a small Flask app that uses every chapter.

``create_app(config=None)`` builds the app. Its settings come from three places, each
overriding the one before: ``DEFAULTS`` below, environment variables that start with
``CAPSTONE_`` (``CAPSTONE_SECRET_KEY=...`` sets ``SECRET_KEY``), and the ``config`` dict.
Two settings have no default and must be given: ``DATA_DIR``, the folder that holds the
database and the uploaded files, and ``SECRET_KEY``, a string of at least 32 characters.

Under a production server the environment carries them. Behind one reverse proxy that speaks
HTTPS to the browsers, for example::

    CAPSTONE_DATA_DIR=/srv/noteboard CAPSTONE_SECRET_KEY=... \\
    CAPSTONE_PROXIES=1 CAPSTONE_SESSION_COOKIE_SECURE=true \\
        gunicorn --workers 2 --bind 127.0.0.1:8000 'noteboard:create_app()'
"""

import os
from pathlib import Path

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import api, auth, models, notes, throttle

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes in a whole request body; more is a 413
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # True behind HTTPS: the cookie then never travels in clear text
    "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,  # seconds, for "remember me"
    "CSRF_TIME_LIMIT": 30 * 60,  # seconds a form's CSRF token stays valid
    "PASSWORD_HASH_METHOD": "scrypt",
    "PASSWORD_CHECKS_AT_ONCE": 4,  # password hashes one process computes at a time (32 MiB each)
    "PASSWORD_CHECK_WAIT": 10,  # seconds a login waits for a free slot before a 503
    "LOGIN_LIMIT_PER_CLIENT": "20 per 15 minutes",  # POST /login from one address
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",  # POST /login for one name, from anywhere
    "PROXIES": 0,  # reverse proxies in front that set X-Forwarded-For, -Proto and -Host
    "NOTES_PER_PAGE": 10,
}
SHORTEST_SECRET_KEY = 32  # characters; secrets.token_hex() gives 64


class RowId(IntegerConverter):
    """A row id in a URL: a whole number from 1 to SQLite's largest; any other matches no route (404)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=models.LARGEST_ID)


def create_app(config=None):
    """Build a Noteboard app; ``config`` overrides the defaults and the environment."""
    config = dict(config or {})
    data_dir = config.get("DATA_DIR") or os.environ.get("CAPSTONE_DATA_DIR")
    if not data_dir:
        raise RuntimeError(
            "Noteboard needs a folder for its database and uploads: pass "
            "create_app({'DATA_DIR': ...}) or set CAPSTONE_DATA_DIR."
        )
    # The instance folder holds what the app writes at run time; it is never in the package.
    app = Flask(__name__, instance_path=str(Path(data_dir).resolve()))
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CAPSTONE")
    app.config.from_mapping(config)
    app.config["DATA_DIR"] = app.instance_path
    check_secret_key(app.config.get("SECRET_KEY"))
    for old_key in app.config.get("SECRET_KEY_FALLBACKS") or []:  # old keys still verify cookies
        check_secret_key(old_key, "SECRET_KEY_FALLBACKS")
    proxies = app.config["PROXIES"]
    if type(proxies) is not int or proxies < 0:
        raise RuntimeError(f"PROXIES is the number of reverse proxies in front of the app (0, 1, ...), not {proxies!r}.")
    Path(app.instance_path, "uploads").mkdir(parents=True, exist_ok=True)

    app.url_map.converters["id"] = RowId  # before the blueprints: their routes use <id:note_id>
    models.init_app(app)  # first: its hooks open the connection the others use
    limiter = throttle.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    auth.limit_logins(app, limiter)
    app.register_error_handler(HTTPException, error_page)
    app.after_request(security_headers)
    if proxies:
        # Trust exactly as many X-Forwarded- entries as there are proxies: the last ones, which
        # they appended. Any more, and a client could write its own address and scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    return app


def check_secret_key(key, setting="SECRET_KEY"):
    """Refuse a key that is missing, not a string, or short enough to be a placeholder."""
    make_one = "Make one with: python -c 'import secrets; print(secrets.token_hex())'"
    if not key:
        raise RuntimeError(f"Noteboard needs a {setting}: pass it in the config or set CAPSTONE_{setting}. {make_one}")
    if not isinstance(key, str):
        # from_prefixed_env reads each value as JSON when it can: CAPSTONE_SECRET_KEY=12345 is a number.
        raise RuntimeError(
            f"{setting} must be a string, and this one is of type {type(key).__name__} (a value of "
            f"only digits in CAPSTONE_{setting} is read as a number). {make_one}"
        )
    if len(key) < SHORTEST_SECRET_KEY:
        raise RuntimeError(
            f"{setting} is {len(key)} characters long; it must have at least {SHORTEST_SECRET_KEY}, "
            f"made by a random generator, so that nobody can guess it. {make_one}"
        )


SECURITY_HEADERS = {
    # Scripts, styles and images from this site only, no inline script, never inside a frame,
    # forms posted only to this site, and no <base> element that could move relative links.
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def security_headers(response):
    """The headers chapter 11 sends on every response, error pages and downloads included."""
    response.headers.update(SECURITY_HEADERS)
    if request.is_secure:  # over HTTPS (seen through ProxyFix behind a proxy): stay on HTTPS
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def error_page(error):
    """Every HTTP error, including the 500 for an unhandled exception: JSON under /api/, a page elsewhere."""
    # Keep headers such as Allow (on a 405) and Retry-After (on a 503); the body is ours.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if request.path.startswith("/api/"):
        return {"error": error.description}, error.code, headers
    return render_template("error.html", error=error), error.code, headers
