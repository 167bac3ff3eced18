"""What several test modules share that is not a fixture: a small Flask app.

Import it as ``from tests.support import ...``; test modules never import each other.
"""

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
