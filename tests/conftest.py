"""Fixtures shared by the helper tests."""

import pytest
from flask import Flask, redirect, render_template_string, url_for

from helpers import stop_all


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


@pytest.fixture
def app():
    return make_app()


@pytest.fixture(autouse=True)
def _no_servers_left():
    """Stop whatever a test started, so one test's server cannot answer another's request."""
    yield
    stop_all()
