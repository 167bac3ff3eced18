"""Noteboard: the course's capstone, a small Flask app that uses every chapter.

``create_app(config=None)`` builds the app. Its settings come from three places, each
overriding the one before: ``DEFAULTS`` below, environment variables that start with
``CAPSTONE_`` (``CAPSTONE_SECRET_KEY=...`` sets ``SECRET_KEY``), and the ``config`` dict.
Two settings have no default and must be given: ``DATA_DIR``, the folder that holds the
database and the uploaded files, and ``SECRET_KEY``.

Under a production server the environment carries them, for example::

    CAPSTONE_DATA_DIR=/srv/noteboard CAPSTONE_SECRET_KEY=... \\
        gunicorn --bind 127.0.0.1:8000 'noteboard:create_app()'
"""

import os
from pathlib import Path

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from . import api, auth, models, notes

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes in a whole request body; more is a 413
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,  # seconds, for "remember me"
    "CSRF_TIME_LIMIT": 30 * 60,  # seconds a form's CSRF token stays valid
    "PASSWORD_HASH_METHOD": "scrypt",
    "NOTES_PER_PAGE": 10,
}


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
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Noteboard needs a SECRET_KEY: pass it in the config or set CAPSTONE_SECRET_KEY.")
    Path(app.instance_path, "uploads").mkdir(parents=True, exist_ok=True)

    models.init_app(app)  # first: its hooks open the connection the others use
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_error_handler(HTTPException, error_page)
    app.after_request(security_headers)
    return app


SECURITY_HEADERS = {
    # Scripts, styles and images from this site only, no inline script, never inside a frame.
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def security_headers(response):
    """The headers chapter 11 sends on every response, error pages and downloads included."""
    response.headers.update(SECURITY_HEADERS)
    return response


def error_page(error):
    """Every HTTP error, including the 500 for an unhandled exception: JSON under /api/, a page elsewhere."""
    # Keep headers such as Allow (on a 405); the body is ours.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if request.path.startswith("/api/"):
        return {"error": error.description}, error.code, headers
    return render_template("error.html", error=error), error.code, headers
