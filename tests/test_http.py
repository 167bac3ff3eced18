"""The raw HTTP view of a known exchange, over the wire and through the test client."""

import pytest
import requests
from flask import Flask

from helpers import raw, serve
from helpers.installed import reason


@pytest.fixture
def echo():
    app = Flask("echo")

    @app.post("/echo")
    def echo_view():
        return {"got": dict(__import__("flask").request.form)}, 201, {"X-Course": "yes"}

    @app.get("/bytes")
    def binary():
        return b"\x89PNG\r\n\x1a\n\x00\xff"

    return app


def test_requests_exchange_reads_as_http_text(echo):
    server = serve(echo)
    exchange = raw(requests.post(server.url + "/echo?lang=en", data={"name": "Ada"}, timeout=5))
    request_lines = exchange.request.split("\n")
    assert request_lines[0] == "POST /echo?lang=en HTTP/1.1"
    assert request_lines[1] == f"Host: 127.0.0.1:{server.port}"
    assert "Content-Type: application/x-www-form-urlencoded" in request_lines
    assert exchange.request.endswith("\n\nname=Ada")
    response_lines = exchange.response.split("\n")
    assert response_lines[0] == f"HTTP/1.1 201 {reason(201)}"  # CREATED in Werkzeug 3.1, Created from 3.2
    assert "X-Course: yes" in response_lines
    assert "Content-Type: application/json" in response_lines
    assert exchange.response.endswith('\n\n{"got":{"name":"Ada"}}\n')
    assert str(exchange).index("POST /echo") < str(exchange).index("HTTP/1.1 201")


def test_test_client_exchange_has_the_same_shape(echo):
    exchange = raw(echo.test_client().post("/echo?lang=en", data={"name": "Ada"}))
    assert exchange.request.split("\n")[0] == "POST /echo?lang=en HTTP/1.1"
    assert "Host: localhost" in exchange.request
    assert exchange.request.endswith("\n\nname=Ada")
    assert exchange.response.split("\n")[0] == f"HTTP/1.1 201 {reason(201)}"
    assert exchange.response.endswith('{"got":{"name":"Ada"}}\n')


def test_binary_and_long_bodies_are_summarised(echo):
    assert raw(echo.test_client().get("/bytes")).response.endswith("<10 bytes of binary data>")
    app = Flask("long")
    app.get("/")(lambda: "x" * 1000)
    assert raw(app.test_client().get("/"), limit=10).response.endswith("xxxxxxxxxx… <990 more characters>")


def test_other_objects_are_refused():
    with pytest.raises(TypeError, match="requests or Flask test-client response"):
        raw("not a response")
