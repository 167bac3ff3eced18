"""Exercises of chapter 0: using the background server."""

import requests

from . import Wrong, exercise


@exercise(
    "0.1",
    title="Ask the server",
    task="""
        The `server` started above is answering on `server.url`. Fetch its
        front page `/` with `requests` and store **the text of the page** in
        `page`.
    """,
    source="""
        ### BEGIN SOLUTION
        page = requests.get(server.url + "/").text
        ### STARTER
        page = None  # replace None: fetch server.url + "/" and keep the response's text
        ### END SOLUTION
    """,
    hints=[
        '`requests.get(server.url + "/")` sends the request and returns a `Response`.',
        "A `Response` keeps the body as a string in `.text` (and as bytes in `.content`).",
    ],
    args="page, server",
    setup="""
        import requests
        from flask import Flask
        from helpers import serve
        app = Flask(__name__)
        app.get("/")(lambda: "Hello from the background server!")
        server = serve(app, name="exercise-0.1")
    """,
)
def _ask_the_server(page, server):
    if not server.running:
        raise Wrong("`server` is not running; run the cell that starts it again, then your cell.")
    if page is None:
        raise Wrong("`page` is still `None`.")
    if isinstance(page, requests.Response):
        raise Wrong("`page` holds the whole `Response`; keep only its text.")
    if isinstance(page, bytes):
        raise Wrong("`page` holds bytes (`.content`); use `.text` for a string.")
    expected = requests.get(server.url + "/", timeout=5).text
    if page != expected:
        raise Wrong(f"`page` is {page!r}, but the server's front page says {expected!r}.")


@exercise(
    "0.2",
    title="Stop a server",
    task="""
        The cell below starts a second server named `"practice"`. Add one line
        that stops it, so that its port no longer answers.
    """,
    source="""
        practice = serve(app, name="practice")
        ### BEGIN SOLUTION
        practice.stop()
        ### STARTER
        # add a line here that stops the practice server
        ### END SOLUTION
    """,
    hints=[
        "Every object that `serve` returns has a `.stop()` method.",
        "`stop_all()` would work too, but it stops every server, including `server` above.",
    ],
    args="practice",
    setup="""
        from flask import Flask
        from helpers import serve
        app = Flask(__name__)
        app.get("/")(lambda: "practice")
    """,
)
def _stop_a_server(practice):
    if practice.running:
        raise Wrong(f"the practice server still answers on {practice.url}.")
    try:
        requests.get(practice.url, timeout=2)
    except requests.ConnectionError:
        return
    raise Wrong(f"something still answers on {practice.url}.")
