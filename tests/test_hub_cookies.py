"""Cookies set through a hub's proxy path stay under that path; direct requests are untouched."""

import pytest
import requests
from flask import Flask, make_response, session

from helpers import serve
from helpers.hub_cookies import scoped_cookie

PREFIX = "/user/ada/"


def cookie_app():
    app = Flask("cookies")
    app.secret_key = "a key long enough for a test of cookie paths only"

    @app.get("/set")
    def set_cookies():
        session["user"] = "ada"
        response = make_response("set")
        response.set_cookie("theme", "dark")
        response.set_cookie("report", "1", path="/reports")
        return response

    @app.get("/forget")
    def forget():
        response = make_response("forgotten")
        response.delete_cookie("theme")
        return response

    return app


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", PREFIX)
    return serve(cookie_app())


def set_cookie_paths(response):
    """{cookie name: its Path attribute} from every Set-Cookie header of a requests response."""
    paths = {}
    for header in response.raw.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        paths[name] = next(p.split("=", 1)[1] for p in header.split("; ") if p.lower().startswith("path="))
    return paths


def test_cookies_through_the_proxy_path_are_scoped_to_the_app(server):
    prefix = f"{PREFIX}proxy/absolute/{server.port}"
    answer = requests.get(f"{server.url}{prefix}/set")
    assert answer.text == "set"
    assert set_cookie_paths(answer) == {"session": prefix, "theme": prefix, "report": f"{prefix}/reports"}
    forgotten = requests.get(f"{server.url}{prefix}/forget")
    assert set_cookie_paths(forgotten) == {"theme": prefix}, "deleting must hit the scoped cookie"


def test_direct_requests_keep_flasks_path(server):
    answer = requests.get(f"{server.url}/set")
    assert set_cookie_paths(answer) == {"session": "/", "theme": "/", "report": "/reports"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("a=1; Path=/", "a=1; Path=/p/q"),
        ("a=1; HttpOnly; path=/x; SameSite=Lax", "a=1; HttpOnly; path=/p/q/x; SameSite=Lax"),
        ("a=1; HttpOnly", "a=1; HttpOnly"),  # no Path: the browser's default is already under the prefix
        ("a=Path=/; Path=/", "a=Path=/; Path=/p/q"),  # a value that looks like an attribute stays
    ],
)
def test_scoped_cookie_rewrites_only_the_path_attribute(header, expected):
    assert scoped_cookie(header, "/p/q") == expected
