"""Exercises of chapter 0: using the background server."""

import requests

from . import Wrong, exercise
from .probe import short

SERVED = """
    import requests
    from flask import Flask
    from helpers import serve, servers, stop_all
    app = Flask(__name__)
    app.get("/")(lambda: "Hello from the background server!")
    server = serve(app)
"""


def _running(server, what):
    """Raise Wrong unless ``server`` is a running server that answers."""
    if server is None:
        raise Wrong(f"`{what}` is still `None`.")
    if not hasattr(server, "running"):
        raise Wrong(f"`{what}` holds {type(server).__name__} {short(server, 60)}, not the server that `serve(...)` returns.")
    if not server.running:
        raise Wrong(f"`{what}` ({server.name!r} on {server.url}) is not running.")


def _front_page(server):
    return requests.get(server.url + "/", timeout=5).text


@exercise(
    "0.1",
    title="Ask the server",
    kind="warm-up",
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
    setup=SERVED,
    right=[
        "page = requests.get(server.url).text",
        'page = requests.get(f"{server.url}/").text',
        'answer = requests.get(server.url + "/")\nassert answer.status_code == 200\npage = answer.text',
    ],
    wrong=[
        ('page = requests.get(server.url + "/")', "whole `Response`"),
        ('page = requests.get(server.url + "/").content', "bytes"),
        ('page = requests.get(server.url + "/").status_code', "int"),
        ("page = server.url", "front page says"),
        ('page = print(requests.get(server.url + "/").text)', "`None`"),
    ],
)
def _ask_the_server(page, server):
    _running(server, "server")
    if page is None:
        raise Wrong("`page` is `None`.")
    if isinstance(page, requests.Response):
        raise Wrong(f"`page` holds the whole `Response` ({page.status_code}), not the text of the page.")
    if isinstance(page, bytes):
        raise Wrong(f"`page` holds bytes, {short(page, 60)}, not text.")
    if not isinstance(page, str):
        raise Wrong(f"`page` holds an `{type(page).__name__}`, {short(page, 60)}, not the text of the page.")
    expected = _front_page(server)
    if page != expected:
        raise Wrong(f"`page` is {short(page, 80)}, but the server's front page says {expected!r}.")
    return f"GET {server.url}/ myself and compared its text with `page`"


@exercise(
    "0.2",
    title="Stop one server",
    kind="warm-up",
    task="""
        The cell below starts a second server named `"practice"`. Add one line
        that stops it, so that its port no longer answers, **and leaves `server`
        running**.
    """,
    source="""
        if not server.running:  # an earlier attempt stopped it: start it again
            server = serve(app)
        practice = serve(app, name="practice")
        ### BEGIN SOLUTION
        practice.stop()
        ### STARTER
        # add a line here that stops the practice server, and only that one
        ### END SOLUTION
    """,
    hints=[
        "Every object that `serve` returns has a method that stops it: look at the section *Stop a server*.",
        "`practice.stop()`, with the parentheses: without them Python only looks the method up.",
        "`stop_all()` stops every server, `server` included, so it does too much here.",
    ],
    args="practice, server",
    setup=SERVED,
    right=[
        'practice = serve(app, name="practice")\nservers()["practice"].stop()',
        'practice = serve(app, name="practice")\nwith practice:\n    pass',
        # an earlier attempt ran stop_all(): the cell starts `server` again before the fixed line runs
        {'if not server.running:': 'stop_all()\nif not server.running:'},
    ],
    wrong=[
        ({"practice.stop()": "practice.stop"}, "still answers"),
        ({"practice.stop()": "stop_all()"}, "`server`"),
        ({"practice.stop()": "server.stop()"}, "`server`"),
    ],
)
def _stop_one_server(practice, server):
    seen = []
    if practice.running:
        seen.append(f"the practice server still answers on {practice.url}")
    if not server.running:
        seen.append(f"`server` ({server.name!r} on {server.url}) is not running any more")
    if seen:
        raise Wrong(", and ".join(seen) + ".")
    try:
        requests.get(practice.url, timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise Wrong(f"something still answers on {practice.url}.")
    _front_page(server)
    return f"that nothing answers on {practice.url} any more, and that `server` still answers on {server.url}"


@exercise(
    "0.3",
    title="Two apps at once",
    kind="make",
    task="""
        Make a second app, `notes_app`, whose page `/` answers `My notes`.
        Serve it as `mine` **while `server` keeps running**, then fetch `/`
        from both servers with `requests` and store the two texts in `both`,
        `server`'s first.
    """,
    source="""
        if not server.running:  # an earlier attempt stopped it: start it again
            server = serve(app)
        notes_app = Flask(__name__)
        ### BEGIN SOLUTION


        @notes_app.route("/")
        def notes():
            return "My notes"


        mine = serve(notes_app, name="notes")
        both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]
        ### STARTER
        # give notes_app its page "/" here

        mine = None  # serve notes_app here
        both = None  # what server and mine answer at "/", server's first
        ### END SOLUTION
    """,
    hints=[
        "Look again at prediction 0.a: what happened to `first` when `app` was served a second time, and why?",
        "`Flask(__name__)` in a notebook is named `\"__main__\"`, like `app`, so `serve(notes_app)` "
        "replaces `server`. Give the new server a name of its own: `serve(notes_app, name=\"notes\")`.",
        "The page: `@notes_app.route(\"/\")` above a function that returns `\"My notes\"`. Then "
        "`both = [requests.get(server.url + \"/\").text, requests.get(mine.url + \"/\").text]`.",
    ],
    args="server, mine, both",
    setup=SERVED,
    right=[
        """
        notes_app = Flask(__name__)
        notes_app.add_url_rule("/", "notes", lambda: "My notes")
        mine = serve(notes_app, name="mine")
        both = tuple(requests.get(s.url).text for s in (server, mine))
        """,
        """
        notes_app = Flask("notes")


        @notes_app.get("/")
        def notes():
            return "My notes"


        mine = serve(notes_app)
        both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]
        """,
        # an earlier attempt served notes_app without a name, which stopped `server`: the cell starts it again
        {'if not server.running:': 'serve(Flask(__name__))\nif not server.running:'},
    ],
    wrong=[
        ("""
         notes_app = Flask(__name__)
         notes_app.add_url_rule("/", "notes", lambda: "My notes")
         first = requests.get(server.url + "/").text
         mine = serve(notes_app)
         both = [first, requests.get(mine.url + "/").text]
         """, "is not running"),
        ("""
         notes_app = Flask(__name__)
         notes_app.add_url_rule("/", "notes", lambda: "My notes")
         first = requests.get(server.url + "/").text
         mine = serve(notes_app, name="__main__")
         both = [first, requests.get(mine.url + "/").text]
         """, "is not running"),
        ({'both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]':
          'both = [requests.get(mine.url + "/").text, requests.get(server.url + "/").text]'}, "`both` is"),
        ({'both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]':
          'both = [requests.get(server.url + "/"), requests.get(mine.url + "/")]'}, "Response"),
        ({'return "My notes"': 'return "my notes"'}, "answers 'my notes'"),
        ({'mine = serve(notes_app, name="notes")': 'mine = serve(app, name="notes")'}, "answers 'Hello"),
        ({'both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]':
          'both = [requests.get(server.url + "/").text, requests.get(mine.url + "/").text]\nserver.stop()'},
         "`server` ('__main__' on http://127.0.0.1:"),
    ],
)
def _two_apps_at_once(server, mine, both):
    _running(mine, "mine")
    if not server.running and server.name == mine.name:
        raise Wrong(
            f"`server` is not running: it was served under the name {server.name!r}, "
            f"and `mine` is served under the name {mine.name!r}."
        )
    if not server.running:
        raise Wrong(f"`server` ({server.name!r} on {server.url}) is not running; `mine` is {mine.name!r} on {mine.url}.")
    if mine is server or mine.port == server.port:
        raise Wrong(f"`mine` and `server` are the same server, on {server.url}.")
    ours, theirs = _front_page(mine), _front_page(server)
    if ours != "My notes":
        raise Wrong(f"`mine` answers {ours!r} at `/`, not 'My notes'.")
    if both is None:
        raise Wrong("`both` is `None`.")
    if not isinstance(both, (list, tuple)) or len(both) != 2:
        raise Wrong(f"`both` is {short(both, 80)}, not a pair of texts.")
    if any(isinstance(item, requests.Response) for item in both):
        raise Wrong("`both` holds `Response` objects, not the texts of the pages.")
    if list(both) != [theirs, ours]:
        raise Wrong(f"`both` is {short(list(both), 100)}; the two servers answer {theirs!r} and {ours!r}.")
    return (f"GET / on `server` ({server.name!r}, port {server.port}) and on `mine` ({mine.name!r}, "
            f"port {mine.port}): both running, and `both` matches what they answer")
