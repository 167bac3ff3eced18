"""Exercises of chapter 1: a first route, WSGI by hand, a JSON answer, one WSGI app in front of two."""

import re
import warnings
from wsgiref.validate import validator

from werkzeug.test import EnvironBuilder

from . import Wrong, exercise
from .probe import ask, short, text


def _rules(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules())


def _get(app, path):
    """GET ``path``; say what came back when it is a 404 or a redirect."""
    response = ask(app, "GET", path)
    if response.status_code == 404:
        raise Wrong(f"`GET {path}` answered 404 Not Found; the app's rules are {_rules(app)}.")
    if response.status_code in (301, 302, 303, 307, 308):
        raise Wrong(f"`GET {path}` answered {response.status}, a redirect to `{response.location}`.")
    return response


@exercise(
    "1.1",
    title="A second page",
    kind="warm-up",
    task="""
        Add a route to `about_app` so that `GET /about` answers with status
        200 and exactly the text `Flask is a micro framework`. The home page
        must keep working.
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
        "A rule that ends in a slash, `/about/`, stands for a folder: Flask redirects `/about` to it. "
        "Chapter 2 explains why; here, leave the slash out.",
    ],
    args="about_app",
    right=[
        {'@about_app.route("/about")': '@about_app.get("/about")'},
        {'@about_app.route("/about")': '@about_app.route("/about", methods=["GET"])'},
        """
        from flask import Flask

        about_app = Flask(__name__)
        about_app.add_url_rule("/", "home", lambda: "Home")
        about_app.add_url_rule("/about", "about", lambda: "Flask is a micro framework")
        """,
    ],
    wrong=[
        ({'@about_app.route("/about")': '@about_app.route("/about/")'}, "redirect to `http://localhost/about/`"),
        ({'return "Flask is a micro framework"': "return None"}, "did not return a valid response"),
        ({'@about_app.route("/about")': '@about_app.route("/About")'}, "404 Not Found"),
        ({'return "Flask is a micro framework"': 'return "Flask is a micro-framework"'},
         "says 'Flask is a micro-framework'"),
        ({'return "Flask is a micro framework"': 'return "Flask is a micro framework", 201'}, "201 CREATED"),
        # The learner trial's variant: a line break is part of the text too.
        ({'return "Flask is a micro framework"': 'return "Flask is a micro framework\\n"'},
         "says 'Flask is a micro framework\\n'"),
        # A rule with a variable part answers every path, not only /about.
        ({'@about_app.route("/about")\ndef about():': '@about_app.route("/<page>")\ndef about(page):'},
         "`GET /contact`, a page the app should not have, answered 200"),
    ],
)
def _second_page(about_app):
    response = _get(about_app, "/about")
    if response.status_code != 200:
        raise Wrong(f"`GET /about` answered {response.status}.")
    if text(response) != "Flask is a micro framework":
        raise Wrong(f"`GET /about` says {short(text(response), 80)}, not exactly 'Flask is a micro framework'.")
    home = _get(about_app, "/")
    if home.status_code != 200 or text(home) != "Home":
        raise Wrong(f"`GET /` now answers {home.status} with {short(text(home), 60)}, no longer 'Home'.")
    # The next case over: a page nobody made must still be missing, not the about page again.
    for path in ("/contact", "/about/team"):
        other = ask(about_app, "GET", path)
        if other.status_code != 404:
            raise Wrong(f"`GET {path}`, a page the app should not have, answered {other.status} with "
                        f"{short(text(other), 60)}; the app's rules are {_rules(about_app)}.")
    return ("GET /about (200, the sentence and nothing else, not even a line break), GET / (still 'Home'), "
            "and GET /contact and /about/team (404: no other page answers)")


def _call(app, path, who, method="GET"):
    """Call a WSGI app as a server would; return ``(calls to start_response, body)``."""
    environ = EnvironBuilder(path=path, method=method).get_environ()
    started = []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return lambda data: None

    try:
        result = app(environ, start_response)
        if result is None:
            raise Wrong(f"`{who}` returned `None` for `{method} {path}`, not an iterable of bytes.")
        if isinstance(result, (bytes, str)):
            raise Wrong(
                f"`{who}` returned the {type(result).__name__} {short(result, 40)} itself for `{method} {path}`; "
                "a server loops over what the app returns, and looping over that gives "
                + ("one number per byte." if isinstance(result, bytes) else "one character at a time.")
            )
        try:
            chunks = list(result)  # a generator calls start_response only once it is iterated
        finally:
            if hasattr(result, "close"):
                result.close()
    except Wrong:
        raise
    except Exception as error:
        raise Wrong(f"calling `{who}` for `{method} {path}` raised `{type(error).__name__}: {error}`.") from None
    return started, chunks


def _validate(app, path, who):
    """Run ``app`` under the standard library's WSGI validator; report what it refuses."""
    environ = EnvironBuilder(path=path).get_environ()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = validator(app)(environ, lambda status, headers, exc_info=None: (lambda data: None))
            try:
                list(result)
            finally:
                result.close()
    except AssertionError as error:
        raise Wrong(f"the standard library's WSGI validator (wsgiref.validate) refused `{who}`: {error}") from None


def _one_response(started, chunks, who, what):
    """The ``(status, headers, body)`` of one call, after checking its shape."""
    if not started:
        raise Wrong(f"`{who}` answered `{what}` without calling `start_response(status, headers)`.")
    if len(started) > 1:
        raise Wrong(f"`{who}` called `start_response` {len(started)} times for `{what}`: "
                    + ", then ".join(repr(status) for status, _ in started) + ".")
    status, headers = started[0]
    if not isinstance(status, str):
        raise Wrong(f"for `{what}` the status is the {type(status).__name__} {status!r}, not a string.")
    if not re.fullmatch(r"\d{3} \S.*", status):
        raise Wrong(f"for `{what}` the status is {status!r}: a code and a reason phrase, such as '200 OK', "
                    "were expected.")
    if isinstance(headers, dict):
        raise Wrong(f"for `{what}` the headers are a dict, {short(headers, 80)}.")
    if not isinstance(headers, list) or not all(isinstance(h, tuple) and len(h) == 2 for h in headers):
        raise Wrong(f"for `{what}` the headers are {short(headers, 80)}, not a list of `(name, value)` tuples.")
    if not all(isinstance(chunk, bytes) for chunk in chunks):
        kinds = sorted({type(chunk).__name__ for chunk in chunks})
        raise Wrong(f"for `{what}` the body holds {', '.join(kinds)}: {short(chunks, 80)}.")
    return status, headers, b"".join(chunks)


@exercise(
    "1.2",
    title="WSGI by hand, with a 404",
    task="""
        Write `hello_wsgi`, a WSGI application with no Flask at all:

        - for the path `/` it calls `start_response` with the status `"200 OK"`
          and a `Content-Type` of `text/plain; charset=utf-8`, and returns the
          body `Hello from WSGI` as bytes;
        - for any other path it answers `"404 Not Found"`, with the same
          `Content-Type` and the body `No page at ` followed by the path, such
          as `No page at /nope`.
    """,
    source="""
        def hello_wsgi(environ, start_response):
            ### BEGIN SOLUTION
            path = environ["PATH_INFO"]
            headers = [("Content-Type", "text/plain; charset=utf-8")]
            if path != "/":
                start_response("404 Not Found", headers)
                return [f"No page at {path}".encode()]
            start_response("200 OK", headers)
            return [b"Hello from WSGI"]
            ### STARTER
            # 1. look at the path the server put in environ
            # 2. call start_response(status, headers)
            # 3. return an iterable of bytes
            return []
            ### END SOLUTION
    """,
    hints=[
        "The cell `bare` above reads the path from `environ`; the query string is not part of it.",
        "The status is a string such as `\"404 Not Found\"`; the headers are a list of `(name, value)` tuples.",
        'Return a list holding one bytes object: `[b"Hello from WSGI"]`, or `[f"No page at {path}".encode()]`. '
        "A `str` is not allowed in WSGI bodies.",
    ],
    args="hello_wsgi",
    right=[
        """
        def hello_wsgi(environ, start_response):
            path = environ.get("PATH_INFO", "/")
            found = path == "/"
            body = b"Hello from WSGI" if found else b"No page at " + path.encode("latin-1")
            start_response("200 OK" if found else "404 Not Found",
                           [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
            return (body,)
        """,
        """
        def hello_wsgi(environ, start_response):
            if environ["PATH_INFO"] == "/":
                status, body = "200 OK", "Hello from WSGI"
            else:
                status, body = "404 Not Found", "No page at " + environ["PATH_INFO"]
            start_response(status, [("content-type", "text/plain; charset=utf-8")])
            yield body.encode("utf-8")
        """,
    ],
    wrong=[
        ({'return [b"Hello from WSGI"]': 'return b"Hello from WSGI"'}, "one number per byte"),
        ({'[("Content-Type", "text/plain; charset=utf-8")]': '{"Content-Type": "text/plain; charset=utf-8"}'},
         "headers are a dict"),
        ({'return [b"Hello from WSGI"]': 'return ["Hello from WSGI"]'}, "the body holds str"),
        ({'return [b"Hello from WSGI"]': ""}, "returned `None`"),
        ({'start_response("404 Not Found", headers)': 'start_response("404", headers)'}, "a code and a reason phrase"),
        ({'if path != "/":': 'if False:'}, "`GET /nope` answered '200 OK'"),
        ({'environ["PATH_INFO"]': 'environ["REQUEST_URI"]'}, "b'No page at /?name=Ada'"),
        ({'environ["PATH_INFO"]': 'environ["PATH"]'}, "KeyError"),
        ({'return [f"No page at {path}".encode()]': 'return [b"Not Found"]'}, "b'Not Found'"),
        ({'return [f"No page at {path}".encode()]': 'return [f"No page at {environ[\'REQUEST_URI\']}".encode()]'},
         "b'No page at /nope?x=1'"),
        ("""
         def hello_wsgi(environ, start_response):
             start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
             if environ["PATH_INFO"] != "/":
                 start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
                 return [b"No page at " + environ["PATH_INFO"].encode()]
             return [b"Hello from WSGI"]
         """, "2 times"),
    ],
)
def _wsgi_with_a_404(hello_wsgi):
    cases = [
        ("/", "200 OK", b"Hello from WSGI"),
        ("/?name=Ada", "200 OK", b"Hello from WSGI"),
        ("/nope", "404 Not Found", b"No page at /nope"),
        ("/nope?x=1", "404 Not Found", b"No page at /nope"),
        ("/about/us", "404 Not Found", b"No page at /about/us"),
    ]
    for path, status, body in cases:
        what = f"GET {path}"
        got_status, headers, got_body = _one_response(*_call(hello_wsgi, path, "hello_wsgi"), "hello_wsgi", what)
        if got_status.split(" ", 1)[0] != status.split(" ", 1)[0]:
            raise Wrong(f"`{what}` answered {got_status!r} with the body {short(got_body, 80)}.")
        content_type = {name.lower(): value for name, value in headers}.get("content-type", "")
        if not content_type.startswith("text/plain"):
            raise Wrong(f"`{what}` has the Content-Type {content_type!r}.")
        if got_body != body:
            raise Wrong(f"`{what}` answered {got_status!r} with the body {short(got_body, 80)}.")
    for path in ("/", "/nope"):
        _validate(hello_wsgi, path, "hello_wsgi")
    return ("GET /, /?name=Ada (200), /nope, /nope?x=1 and /about/us (404 and the path), each checked for its "
            "status, headers and bytes, and wsgiref's validator")


@exercise(
    "1.3",
    title="An answer in JSON",
    kind="warm-up",
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
    right=[
        {'return {"name": "Flask", "micro": True}': 'return flask.jsonify(name="Flask", micro=True)',
         "from flask import Flask": "import flask\nfrom flask import Flask"},
        {'return {"name": "Flask", "micro": True}': 'return {"micro": True, "name": "Flask"}, 200'},
        {'return {"name": "Flask", "micro": True}':
         'return flask.Response(\'{"name": "Flask", "micro": true}\', mimetype="application/json")',
         "from flask import Flask": "import flask\nfrom flask import Flask"},
    ],
    wrong=[
        ({"/api/framework": "/api/framwork"}, "'/api/framwork'"),
        ({'"micro": True': '"micro": "true"'}, "the string 'true'"),
        ({'return {"name": "Flask", "micro": True}': 'return \'{"name": "Flask", "micro": true}\''},
         "text/html; charset=utf-8"),
        ({'return {"name": "Flask", "micro": True}': 'return str({"name": "Flask", "micro": True})'},
         "text/html; charset=utf-8"),
        ({'return {"name": "Flask", "micro": True}': 'return {"Name": "Flask", "Micro": True}'}, '"Name"'),
        ({'"micro": True': '"micro": 1'}, '"micro":1'),
    ],
)
def _json_answer(json_app):
    response = _get(json_app, "/api/framework")
    if response.status_code != 200:
        raise Wrong(f"`GET /api/framework` answered {response.status}.")
    if not response.is_json:
        raise Wrong(f"`GET /api/framework` answered {response.content_type!r} with {short(text(response), 60)}.")
    data = response.get_json()
    if isinstance(data, dict) and data.get("micro") in ("true", "True", "yes"):
        raise Wrong(f"`micro` is the string {data['micro']!r} in {text(response).strip()}.")
    if data != {"name": "Flask", "micro": True} or data["micro"] is not True:
        raise Wrong(f"`GET /api/framework` answered the JSON {text(response).strip()}.")
    return "GET /api/framework: status 200, Content-Type application/json, and the decoded object"


@exercise(
    "1.4",
    title="One WSGI app in front of two",
    kind="make",
    task="""
        `api` is a Flask app and `pages` a WSGI app with no framework. Write
        `site`, one WSGI app that hands every request whose path is `/api` or
        starts with `/api/` to `api`, and every other request to `pages`, so
        that each answers exactly as it would on its own.
    """,
    source="""
        from flask import Flask

        api = Flask("api")


        @api.get("/api/framework")
        def framework():
            return {"name": "Flask", "micro": True}


        def pages(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"The page {environ['PATH_INFO']}, served without a framework".encode()]


        def site(environ, start_response):
            ### BEGIN SOLUTION
            path = environ["PATH_INFO"]
            if path == "/api" or path.startswith("/api/"):
                return api(environ, start_response)
            return pages(environ, start_response)
            ### STARTER
            # hand the request to api or to pages, by its path
            return pages(environ, start_response)
            ### END SOLUTION
    """,
    hints=[
        "A Flask app is a WSGI app too: `api(environ, start_response)` runs it, exactly as a server would.",
        "Decide by `environ[\"PATH_INFO\"]`, then return what the chosen app returns, without calling the other.",
        "Watch the border: `/apiary` does not start with `/api/`. "
        "`path == \"/api\" or path.startswith(\"/api/\")` says exactly what the task says.",
    ],
    args="site, api, pages",
    right=[
        {'    if path == "/api" or path.startswith("/api/"):\n        return api(environ, start_response)\n'
         '    return pages(environ, start_response)':
         '    chosen = api if path.split("/")[1] == "api" else pages\n    return chosen(environ, start_response)'},
        {'if path == "/api" or path.startswith("/api/"):': 'if re.match(r"/api(/|$)", path):',
         "from flask import Flask": "import re\n\nfrom flask import Flask"},
        {'if path == "/api" or path.startswith("/api/"):': 'if (path + "/").startswith("/api/"):'},
    ],
    wrong=[
        ({'if path == "/api" or path.startswith("/api/"):': 'if path.startswith("/api"):'}, "`GET /apiary`"),
        ({'if path == "/api" or path.startswith("/api/"):': 'if "api" in path:'}, "`GET /apiary`"),
        ({'if path == "/api" or path.startswith("/api/"):': 'if path.startswith("/api/"):'}, "`GET /api`"),
        ({'if path == "/api" or path.startswith("/api/"):':
          'if path.lower() == "/api" or path.lower().startswith("/api/"):'}, "`GET /API/framework`"),
        ({'    path = environ["PATH_INFO"]\n    if path == "/api" or path.startswith("/api/"):\n'
          '        return api(environ, start_response)\n':
          '    answer = api(environ, start_response)\n'
          '    if environ["PATH_INFO"].startswith("/api/"):\n        return answer\n'},
         "2 times"),
        ("""
         from flask import Flask
         from werkzeug.middleware.dispatcher import DispatcherMiddleware

         api = Flask("api")


         @api.get("/api/framework")
         def framework():
             return {"name": "Flask", "micro": True}


         def pages(environ, start_response):
             start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
             return [f"The page {environ['PATH_INFO']}, served without a framework".encode()]


         site = DispatcherMiddleware(pages, {"/api": api})
         """, "`GET /api/framework` through `site` answered '404 NOT FOUND'"),
    ],
)
def _one_app_in_front_of_two(site, api, pages):
    cases = [("GET", "/"), ("GET", "/about"), ("GET", "/api/framework"), ("GET", "/api/framework?pretty=1"),
             ("POST", "/api/framework"), ("GET", "/api/nothing"), ("GET", "/api"), ("GET", "/api?v=1"),
             ("GET", "/api/"),
             ("GET", "/apiary"), ("GET", "/docs/api/"), ("GET", "/API/framework")]
    for method, path in cases:
        what = f"{method} {path}"
        owner, other = ("api", "pages") if path.split("?")[0].split("/")[1] == "api" else ("pages", "api")
        expected = _one_response(*_call({"api": api, "pages": pages}[owner], path, owner, method), owner, what)
        wrong = _one_response(*_call({"api": api, "pages": pages}[other], path, other, method), other, what)
        got = _one_response(*_call(site, path, "site", method), "site", what)
        if got == expected:
            continue
        if got == wrong:
            raise Wrong(f"`{what}` through `site` got the answer of `{other}` ({got[0]!r}, {short(got[2], 50)}); "
                        f"that path belongs to `{owner}`.")
        raise Wrong(f"`{what}` through `site` answered {got[0]!r} with {short(got[2], 60)}; `{owner}` on its own "
                    f"answers {expected[0]!r} with {short(expected[2], 60)}.")
    for path in ("/", "/api/framework"):
        _validate(site, path, "site")
    return ("GET /, /about, /apiary, /docs/api/, /API/framework (pages) and /api, /api?v=1, /api/, /api/framework, "
            "/api/nothing, POST /api/framework (api): status, headers and body each as the app alone gives them")
