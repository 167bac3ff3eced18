"""Exercises of chapter 1: a first route, WSGI by hand, a JSON answer."""

from werkzeug.test import EnvironBuilder

from . import Wrong, exercise


@exercise(
    "1.1",
    title="A second page",
    task="""
        Add a route to `about_app` so that `GET /about` answers with status
        200 and exactly the text `Flask is a micro framework`.
    """,
    source="""
        from flask import Flask

        about_app = Flask(__name__)

        @about_app.route("/")
        def home():
            return "Home"

        ### BEGIN SOLUTION
        @about_app.route("/about")
        def about():
            return "Flask is a micro framework"
        ### STARTER
        # add a view for /about here
        ### END SOLUTION
    """,
    hints=[
        "Copy the `home` view: a decorator `@about_app.route(...)` above a function that returns a string.",
        'The rule is the path, starting with a slash: `@about_app.route("/about")`. '
        "Each view function needs its own name.",
    ],
    args="about_app",
)
def _second_page(about_app):
    response = about_app.test_client().get("/about")
    if response.status_code == 404:
        raise Wrong("`GET /about` answers 404 Not Found: no route matches `/about` yet.")
    if response.status_code == 308:
        raise Wrong(
            "`GET /about` redirects to `/about/`: a rule that ends in a slash does that. "
            'Use `"/about"` without the trailing slash.'
        )
    _no_server_error(response, "/about")
    if response.status_code != 200:
        raise Wrong(f"`GET /about` answers {response.status}; it should be 200 OK.")
    text = response.get_data(as_text=True)
    if text.strip() != "Flask is a micro framework":
        raise Wrong(f"`GET /about` says {text!r}; it should say 'Flask is a micro framework'.")


def _no_server_error(response, path):
    """Point at the traceback when the view itself failed."""
    if response.status_code == 500:
        raise Wrong(f"`GET {path}` failed inside your view (500); the traceback printed above says why.")


@exercise(
    "1.2",
    title="WSGI by hand",
    task="""
        Write `hello_wsgi`, a WSGI application with no Flask at all. For any
        request it calls `start_response` with the status `"200 OK"` and a
        `Content-Type` of `text/plain; charset=utf-8`, and returns the body
        `Hello from WSGI` as bytes.
    """,
    source="""
        def hello_wsgi(environ, start_response):
            ### BEGIN SOLUTION
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Hello from WSGI"]
            ### STARTER
            # 1. call start_response(status, headers)
            # 2. return an iterable of bytes
            return []
            ### END SOLUTION
    """,
    hints=[
        "The status is a string such as `\"200 OK\"`; the headers are a list of `(name, value)` tuples.",
        'Return a list holding one bytes object: `[b"Hello from WSGI"]`. A `str` is not allowed in WSGI bodies.',
    ],
    args="hello_wsgi",
)
def _wsgi_by_hand(hello_wsgi):
    started = []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))

    body = hello_wsgi(EnvironBuilder(path="/").get_environ(), start_response)
    if body is None:
        raise Wrong('the app returned `None`; return the body as a list of bytes, such as `[b"..."]`.')
    if isinstance(body, (bytes, str)):
        raise Wrong('the app returned the body itself; return a list holding it: `[b"Hello from WSGI"]`.')
    chunks = list(body)  # a generator app calls start_response only once it is iterated
    if not started:
        raise Wrong("the app returned without calling `start_response(status, headers)`.")
    status, headers = started[0]
    if not isinstance(status, str):
        raise Wrong(f'the status is {status!r}; it must be a string such as `"200 OK"`.')
    if status != "200 OK":
        raise Wrong(f"the status is {status!r}; it should be '200 OK'.")
    if not isinstance(headers, list) or not all(isinstance(h, tuple) and len(h) == 2 for h in headers):
        raise Wrong(f"the headers are {headers!r}; they must be a list of `(name, value)` tuples.")
    content_type = {name.lower(): value for name, value in headers}.get("content-type", "")
    if not content_type.startswith("text/plain"):
        raise Wrong(f"the Content-Type is {content_type!r}; it should be text/plain.")
    if not all(isinstance(chunk, bytes) for chunk in chunks):
        raise Wrong('the body holds a `str`; WSGI bodies are bytes, such as `b"Hello from WSGI"`.')
    if b"".join(chunks) != b"Hello from WSGI":
        raise Wrong(f"the body is {b''.join(chunks)!r}; it should be b'Hello from WSGI'.")


@exercise(
    "1.3",
    title="An answer in JSON",
    task="""
        Make `GET /api/framework` on `json_app` answer with the JSON object
        `{"name": "Flask", "micro": true}`. Let Flask do the encoding: return
        a Python `dict` from the view.
    """,
    source="""
        from flask import Flask

        json_app = Flask(__name__)

        @json_app.route("/api/framework")
        def framework():
            ### BEGIN SOLUTION
            return {"name": "Flask", "micro": True}
            ### STARTER
            return "name: Flask, micro: yes"
            ### END SOLUTION
    """,
    hints=[
        "A view that returns a `dict` gets a JSON response with `Content-Type: application/json`.",
        'Python spells JSON\'s `true` as `True`: `return {"name": "Flask", "micro": True}`.',
    ],
    args="json_app",
)
def _json_answer(json_app):
    response = json_app.test_client().get("/api/framework")
    if response.status_code == 404:
        raise Wrong("`GET /api/framework` answers 404 Not Found: check the path in the route.")
    _no_server_error(response, "/api/framework")
    if response.status_code != 200:
        raise Wrong(f"`GET /api/framework` answers {response.status}; it should be 200 OK.")
    if not response.is_json:
        raise Wrong(
            f"the answer is {response.content_type!r}, not JSON. Return a dict instead of a string."
        )
    if response.get_json() != {"name": "Flask", "micro": True}:
        raise Wrong(
            f"the JSON is {response.get_data(as_text=True).strip()}; "
            'it should be {"name": "Flask", "micro": true} (true is a boolean, not a string).'
        )
