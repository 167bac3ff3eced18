"""The raw HTTP view of a known exchange, over the wire and through the test client."""

import threading

import pytest
import requests
from flask import Flask

from helpers import raw, serve
from helpers.http import BODY_CAP, BODY_LIMIT
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


@pytest.fixture
def endless():
    """An app whose /endless body never ends (until the test is over) and /short body is streamed."""
    app, over = Flask("endless"), threading.Event()

    @app.get("/endless")
    def forever():
        def chunks():
            while not over.is_set():
                yield "é" * 30_000  # two bytes a character: a cut can split one

        return chunks()

    @app.get("/short")
    def short():
        return iter(["streamed ", "and short"])

    yield app
    over.set()


def in_thread_with_deadline(function, seconds=20):
    """``function()``'s result, or a failure if it is still running after ``seconds``."""
    result = []
    worker = threading.Thread(target=lambda: result.append(function()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still reading after {seconds} s: the body was not capped"
    return result[0]


def test_an_endless_streamed_body_is_cut_and_the_output_says_so(endless):
    server = serve(endless)
    with requests.get(server.url + "/endless", stream=True, timeout=5) as response:
        exchange = in_thread_with_deadline(lambda: raw(response))
    body = exchange.response.split("\n\n", 1)[1]
    assert body.startswith("é" * BODY_LIMIT + "…")
    assert body.endswith(f"<body cut after {BODY_CAP:,} bytes: the rest was not read>")
    assert "binary" not in body


def test_an_endless_body_through_the_test_client_is_cut(endless):
    response = endless.test_client().get("/endless")
    exchange = in_thread_with_deadline(lambda: raw(response))
    assert exchange.response.endswith(f"éé… <body cut after {BODY_CAP:,} bytes: the rest was not read>")


def test_a_short_streamed_body_is_shown_whole_and_still_readable(endless):
    server = serve(endless)
    response = requests.get(server.url + "/short", stream=True, timeout=5)
    assert raw(response).response.endswith("\n\nstreamed and short")
    assert response.text == "streamed and short"  # raw() read it, and left it to read again
    client_response = endless.test_client().get("/short")
    assert raw(client_response).response.endswith("\n\nstreamed and short")
    assert client_response.get_data(as_text=True) == "streamed and short"


def test_a_cut_binary_body_says_both():
    app = Flask("binary")
    app.get("/")(lambda: iter([b"\xff" * 5000] * 1000))
    exchange = raw(app.test_client().get("/"))
    assert exchange.response.endswith(
        f"<{BODY_CAP:,} bytes of binary data; body cut after {BODY_CAP:,} bytes: the rest was not read>"
    )
    assert raw(app.test_client().get("/"), cap=2000).response.endswith("<2,000 bytes of binary data; body cut"
                                                                       " after 2,000 bytes: the rest was not read>")


def test_a_huge_request_body_is_capped_too(echo):
    exchange = raw(echo.test_client().post("/echo", data={"name": "x" * BODY_CAP}), limit=10)
    assert exchange.request.endswith(f"name=xxxxx… <body cut after {BODY_CAP:,} bytes: the rest was not read>")
