"""What several test modules share that is not a fixture: a small Flask app and a free port.

Import it as ``from tests.support import ...``; test modules never import each other.
"""

import socket

from flask import Flask, redirect, render_template_string, url_for


def make_app(name="test-app", greeting="hello"):
    """A small app with a link made by url_for, a redirect and a failing view."""
    app = Flask(name)

    @app.get("/")
    def index():
        return render_template_string('<a href="{{ url_for(\'target\') }}">go</a> {{ greeting }}', greeting=greeting)

    @app.get("/go")
    def go():
        return redirect(url_for("target"))

    @app.get("/target")
    def target():
        return "target page"

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("boom in a view")

    return app


def free_port():
    """A port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
