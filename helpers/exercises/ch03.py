"""Exercises of chapter 3: the request object, return values, hooks and error handlers."""

import itertools
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urljoin

from flask import abort
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotFound, TooManyRequests

from . import Wrong, exercise
from .probe import PROXY_ROOT, ask, clock_stopped, hash_of_a_count, namespaces_of, random_repeating, short, text

GENERIC_400 = "could not understand"


def _readable(response):
    """What a person reads in an answer: the strings of a JSON body, or an HTML body without its tags."""
    data = response.get_json(silent=True)
    if data is not None:
        found = []

        def strings(value):
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                [strings(item) for item in value.values()]
            elif isinstance(value, list):
                [strings(item) for item in value]

        strings(data)
        readable = " ".join(found)
    else:
        readable = re.sub(r"<[^>]*>", " ", text(response))
    return " ".join(readable.split())


def _own_text(response):
    """What a person reads in an answer besides its status ("400 Bad Request", Flask's title and heading)."""
    own = _readable(response)
    for said in (response.status, response.status.split(" ", 1)[-1]):
        own = re.sub(re.escape(said), " ", own, flags=re.IGNORECASE)
    return " ".join(own.split())


def _words(response):
    """The words of the app's own that a person reads in an answer."""
    return re.findall(r"[A-Za-z]{2,}", _own_text(response))


def _json(response, what):
    """The JSON body of ``response``, or a Wrong that says what came instead."""
    data = response.get_json(silent=True)
    if not response.is_json or data is None:
        raise Wrong(f"`{what}` answered {response.status} with {response.content_type!r}: {short(text(response), 80)}.")
    return data


@exercise(
    "3.1",
    title="Numbers from the query string",
    task="""
        Make `GET /add?a=2&b=3` on `calc_app` answer with the JSON object
        `{"sum": 5}`, for any whole numbers, negative ones and 0 included.
        When `a` or `b` is missing or is not a whole number (`/add?a=2`,
        `/add?a=two&b=3`), answer **400 Bad Request** with a description that
        says what is wrong, never a 500.
    """,
    source="""
        from flask import Flask, abort, request

        calc_app = Flask("calc")


        @calc_app.get("/add")
        def add():
            ### BEGIN SOLUTION
            a = request.args.get("a", type=int)
            b = request.args.get("b", type=int)
            if a is None or b is None:
                abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")
            ### STARTER
            a = request.args["a"]
            b = request.args["b"]
            ### END SOLUTION
            return {"sum": a + b}
    """,
    hints=[
        "Everything in `request.args` is a string: `'2' + '3'` is `'23'`, not `5`.",
        '`request.args.get("a", type=int)` converts for you, and gives `None` when `a` is missing '
        "or is not a number. `int(...)` on a bad value raises `ValueError`, which becomes a 500.",
        "Test for a missing value with `is None`: `0` is a number too, and `not 0` is true.",
        "Call `abort(400, description=\"...\")` with a sentence of your own: the description is the message the "
        "client reads. (The text of the error that `request.args[\"a\"]` raises is Flask's generic one.)",
    ],
    args="calc_app",
    right=[
        {'    a = request.args.get("a", type=int)\n    b = request.args.get("b", type=int)\n'
         '    if a is None or b is None:\n'
         '        abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")':
         '    try:\n        a, b = int(request.args["a"]), int(request.args["b"])\n'
         '    except (KeyError, ValueError):\n'
         '        return {"error": "a and b must both be whole numbers"}, 400'},
        {'    if a is None or b is None:': '    if None in (a, b):'},
    ],
    wrong=[
        ({'a = request.args.get("a", type=int)': 'a = int(request.args["a"])',
          'b = request.args.get("b", type=int)': 'b = int(request.args["b"])'}, "ValueError"),
        ({"if a is None or b is None:": "if not a or not b:"}, "`GET /add?a=0&b=3` answered 400"),
        ({'abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")': "abort(400)"},
         "Flask's generic text"),
        ({'request.args.get("a", type=int)': 'request.args.get("a", 0, type=int)',
          'request.args.get("b", type=int)': 'request.args.get("b", 0, type=int)'},
         "`GET /add?a=two&b=3` answered 200 OK"),
        ({'    a = request.args.get("a", type=int)\n    b = request.args.get("b", type=int)\n'
          '    if a is None or b is None:':
          '    a, b = request.args.get("a", ""), request.args.get("b", "")\n'
          '    if a.isdigit() and b.isdigit():\n        a, b = int(a), int(b)\n    else:'},
         "`GET /add?a=-4&b=1` answered 400"),
        ({'    a = request.args.get("a", type=int)\n    b = request.args.get("b", type=int)\n'
          '    if a is None or b is None:':
          '    a, b = request.args.get("a", ""), request.args.get("b", "")\n'
          '    if a.lstrip("-").isdigit() and b.lstrip("-").isdigit():\n        a, b = int(a), int(b)\n    else:'},
         "`GET /add?a=--4&b=1` crashed"),
        ({'    a = request.args.get("a", type=int)\n    b = request.args.get("b", type=int)\n'
          '    if a is None or b is None:\n'
          '        abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")':
          '    try:\n        a, b = int(request.args["a"]), int(request.args["b"])\n'
          '    except KeyError as missing:\n        abort(400, description=f"missing: {missing}")\n'
          '    except ValueError:\n        abort(400, description="a and b must both be whole numbers")'},
         "the page says"),
        # Flask's page has words of its own ("400 Bad Request"); an empty or one-word description adds none.
        ({'abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")':
          'abort(400, description="")'}, "fewer than three words of yours"),
        ({'abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")': 'abort(400, "oops")'},
         "fewer than three words of yours"),
        ({'request.args.get("a", type=int)': 'request.args.get("a", type=float)',
          'request.args.get("b", type=int)': 'request.args.get("b", type=float)'}, 'expected {"sum": 5}'),
    ],
    insecure=[
        # The visitor's value put back into an HTML page as it came: reflected cross-site scripting.
        ({'        abort(400, description="a and b must both be whole numbers, as in /add?a=2&b=3")':
          '        return f"<p>{request.args.get(\'a\')} and {request.args.get(\'b\')} must both be whole '
          'numbers</p>", 400'}, "came back as a tag"),
    ],
)
def _numbers_from_the_query_string(calc_app):
    for query, total in [("a=2&b=3", 5), ("a=-4&b=1", -3), ("a=0&b=3", 3), ("a=1000000&b=1", 1000001)]:
        what = f"GET /add?{query}"
        answer = ask(calc_app, "GET", f"/add?{query}")
        if answer.status_code != 200:
            raise Wrong(f"`{what}` answered {answer.status}: {text(answer)[-90:]!r}.")
        data = _json(answer, what)
        if data != {"sum": total} or type(data.get("sum")) is not int:
            raise Wrong(f"`{what}` answered {text(answer).strip()}; expected {{\"sum\": {total}}}, a whole number "
                        "and nothing else.")
    for query in ["a=two&b=3", "a=2", "b=3", "a=2&b=2.5", "a=&b=1", "a=--4&b=1", ""]:
        what = f"GET /add?{query}" if query else "GET /add"
        answer = ask(calc_app, "GET", f"/add?{query}")
        if answer.status_code != 400:
            raise Wrong(f"`{what}` answered {answer.status}: {text(answer)[-90:]!r}; expected 400 Bad Request.")
        if GENERIC_400 in text(answer):
            raise Wrong(f"`{what}` answered 400 with Flask's generic text, 'The browser (or proxy) sent a request "
                        f"that this server could not understand.': the page says {_readable(answer)[:200]!r}.")
        if len(_words(answer)) < 3:
            raise Wrong(f"`{what}` answered 400, and besides 'Bad Request' it says {_own_text(answer)[:80]!r}: "
                        "fewer than three words of yours for a person to read.")
    marked = "<i>two</i>"
    answer = ask(calc_app, "GET", f"/add?a={quote(marked)}&b=3")
    if answer.mimetype == "text/html" and marked in text(answer):
        raise Wrong(f"`GET /add?a={marked}&b=3` answered {answer.status} with an HTML page in which `{marked}` came "
                    "back as a tag, not as text: a link to such a URL would put a stranger's HTML, scripts included, "
                    "in your page. (Chapter 4 is about escaping; `abort(400, description=...)` and JSON escape it "
                    "for you.)")
    return ("GET /add with 2+3, -4+1, 0+3 and a million (sums), and with two, a missing value, 2.5, --4, "
            "empty values and <i>two</i> (400, with words of yours rather than Flask's generic text, and no tag "
            "of the visitor's)")


@exercise(
    "3.2",
    title="201 Created, with a Location",
    task="""
        `POST /notes` on `notes_app` stores the form field `text` as a new
        note. Make it answer the way an API should when it creates something:
        status **201 Created**, the JSON `{"id": <id>, "text": <text>}`, and a
        `Location` header with the new note's URL (`/notes/<id>`, built with
        `url_for`, so that it is right behind a proxy prefix too). A POST with
        no `text`, or one that is empty or only spaces, answers **400** and
        stores nothing.
    """,
    source="""
        from flask import Flask, abort, request, url_for

        notes_app = Flask("notes")
        notes = []


        @notes_app.get("/notes/<int:note_id>")
        def show_note(note_id):
            if not 1 <= note_id <= len(notes):
                abort(404)
            return {"id": note_id, "text": notes[note_id - 1]}


        @notes_app.post("/notes")
        def add_note():
            ### BEGIN SOLUTION
            text = request.form.get("text", "").strip()
            if not text:
                abort(400, description="the form field 'text' is required")
            ### STARTER
            text = request.form.get("text", "")
            ### END SOLUTION
            notes.append(text)
            note_id = len(notes)
            ### BEGIN SOLUTION
            location = url_for("show_note", note_id=note_id)
            return {"id": note_id, "text": text}, 201, {"Location": location}
            ### STARTER
            return {"id": note_id, "text": text}
            ### END SOLUTION
    """,
    hints=[
        "A view can return a tuple `(body, status, headers)`: "
        '`return {"id": note_id, "text": text}, 201, {"Location": ...}`.',
        '`url_for("show_note", note_id=note_id)` builds `/notes/1` from the name of the view function, '
        "with the app's prefix in front when it has one.",
        '`.strip()` the text, then check it **before** `notes.append(...)`: '
        '`if not text: abort(400, description="...")`.',
    ],
    args="notes_app",
    right=[
        {'    location = url_for("show_note", note_id=note_id)\n'
         '    return {"id": note_id, "text": text}, 201, {"Location": location}':
         '    response = make_response({"id": note_id, "text": text}, 201)\n'
         '    response.headers["Location"] = url_for("show_note", note_id=note_id, _external=True)\n'
         "    return response",
         "from flask import Flask, abort, request, url_for":
         "from flask import Flask, abort, make_response, request, url_for"},
        {'text = request.form.get("text", "").strip()': 'text = (request.form.get("text") or "").strip()',
         'abort(400, description="the form field \'text\' is required")': 'return {"error": "text is required"}, 400'},
    ],
    wrong=[
        ({', 201, {"Location": location}': ""}, "answered 200 OK"),
        ({', 201, {"Location": location}': ", 201"}, "no `Location` header"),
        ({'url_for("show_note", note_id=note_id)': 'f"/notes/{note_id}"'}, PROXY_ROOT),
        ({'text = request.form.get("text", "").strip()': 'text = request.form.get("text", "")'}, "only spaces"),
        ({'    text = request.form.get("text", "").strip()\n    if not text:\n'
          '        abort(400, description="the form field \'text\' is required")\n    notes.append(text)\n':
          '    text = request.form.get("text", "").strip()\n    notes.append(text)\n    if not text:\n'
          '        abort(400, description="the form field \'text\' is required")\n'}, "now answers 200"),
    ],
)
def _created_with_a_location(notes_app):
    created = []
    for root in ["", PROXY_ROOT]:
        base = f"http://localhost{root}"
        where = f" behind the proxy prefix `{root}`" if root else ""
        for words in ["buy milk", "call Ada"]:
            what = f"`POST /notes` with the text {words!r}{where}"
            answer = ask(notes_app, "POST", "/notes", data={"text": words}, base_url=base)
            if answer.status_code != 201:
                raise Wrong(f"{what} answered {answer.status}.")
            data = _json(answer, f"POST /notes{where}")
            if set(data) != {"id", "text"} or data["text"] != words or type(data["id"]) is not int:
                raise Wrong(f"{what} answered {text(answer).strip()}.")
            if data["id"] in created:
                raise Wrong(f"{what} got the id {data['id']}, which an earlier note already has.")
            created.append(data["id"])
            location = answer.headers.get("Location")
            if not location:
                raise Wrong(f"{what} answered 201 with no `Location` header.")
            expected = f"{base}/notes/{data['id']}"
            if urljoin(f"{base}/notes", location) != expected:
                raise Wrong(f"{what} answered `Location: {location}`, which is {urljoin(f'{base}/notes', location)}, "
                            f"not {expected}.")
            shown = ask(notes_app, "GET", f"/notes/{data['id']}", base_url=base)
            if shown.status_code != 200 or (shown.get_json(silent=True) or {}).get("text") != words:
                raise Wrong(f"`GET /notes/{data['id']}`{where}, the new note's URL, answered {shown.status} "
                            f"{short(text(shown), 60)}.")
    following = max(created) + 1
    refusals = [("no `text` field", {}), ("an empty `text`", {"text": ""}), ("a `text` of only spaces", {"text": "  "})]
    for label, form in refusals:
        refused = ask(notes_app, "POST", "/notes", data=form)
        if refused.status_code != 400:
            raise Wrong(f"`POST /notes` with {label} answered {refused.status}.")
        after = ask(notes_app, "GET", f"/notes/{following}")
        if after.status_code != 404:
            raise Wrong(f"`POST /notes` with {label} answered 400, but `GET /notes/{following}` now answers "
                        f"{after.status} {short(text(after).strip(), 60)}.")
    return ("four POSTs, two behind a proxy prefix (201, new ids, each Location resolved and fetched), then no text, "
            "empty text and spaces (400, and no note stored)")


def _record_views(app):
    """Wrap every view of ``app`` so that calls are noted; return the list and a function that unwraps."""
    ran, originals = [], dict(app.view_functions)

    def recording(endpoint, view):
        def wrapper(*args, **kwargs):
            ran.append(endpoint)
            return view(*args, **kwargs)
        return wrapper

    for endpoint, view in originals.items():
        if endpoint != "static":
            app.view_functions[endpoint] = recording(endpoint, view)
    return ran, lambda: app.view_functions.update(originals)


@exercise(
    "3.3",
    title="A key check before every view",
    task="""
        `api_app` has two views. Add **one** `before_request` function so that
        a request without the header `X-Api-Key: open-sesame`, or with any
        other value, gets **403** and the JSON
        `{"error": "missing or wrong API key"}`, and the view never runs.
        With the right key, both views answer as before. (Not 401: HTTP allows
        a 401 only with a `WWW-Authenticate` header that names an
        authentication scheme, such as `Bearer`, and a header of your own such
        as `X-Api-Key` is none.)
    """,
    source="""
        from flask import Flask, request

        api_app = Flask("api")


        @api_app.get("/reports")
        def reports():
            return {"reports": ["q1", "q2"]}


        @api_app.get("/users")
        def users():
            return {"users": ["ada", "grace"]}


        ### BEGIN SOLUTION
        @api_app.before_request
        def require_api_key():
            if request.headers.get("X-Api-Key") != "open-sesame":
                return {"error": "missing or wrong API key"}, 403
        ### STARTER
        # add a before_request function here
        ### END SOLUTION
    """,
    hints=[
        "Decorate a function with `@api_app.before_request`. It runs before every view.",
        'Read the header with `request.headers.get("X-Api-Key")`; it is `None` when the header is missing. '
        "Compare the whole value with `!=`: a test such as `in` or `startswith` lets longer values through.",
        "When a `before_request` function returns a value, Flask uses it as the response and skips the view: "
        'return `{"error": "missing or wrong API key"}, 403`. Return nothing when the key is right.',
        "403, not 401: every 401 must carry a `WWW-Authenticate` challenge (RFC 9110) that names an HTTP "
        "authentication scheme, and a key in `X-Api-Key` belongs to none.",
    ],
    args="api_app",
    right=[
        {'    if request.headers.get("X-Api-Key") != "open-sesame":':
         '    if not hmac.compare_digest(request.headers.get("x-api-key", "").encode(), b"open-sesame"):',
         "from flask import Flask, request": "import hmac\n\nfrom flask import Flask, request"},
        {'        return {"error": "missing or wrong API key"}, 403':
         '        abort(make_response(jsonify(error="missing or wrong API key"), 403))',
         "from flask import Flask, request": "from flask import Flask, abort, jsonify, make_response, request"},
    ],
    wrong=[
        ({'return {"error": "missing or wrong API key"}, 403': 'return {"error": "missing or wrong API key"}'},
         "200 OK"),
        ({'return {"error": "missing or wrong API key"}, 403': 'return {"error": "missing or wrong API key"}, 401'},
         "WWW-Authenticate"),
        ({'return {"error": "missing or wrong API key"}, 403': "abort(403)",
          "from flask import Flask, request": "from flask import Flask, abort, request"}, "text/html"),
        ({'request.headers.get("X-Api-Key")': 'request.headers["X-Api-Key"]'}, "KeyError"),
        ({'request.headers.get("X-Api-Key") != "open-sesame"':
          'request.headers.get("X-Api-Key", "").strip().lower() != "open-sesame"'}, "OPEN-SESAME"),
        ({"@api_app.before_request\ndef require_api_key():\n":
          "@api_app.after_request\ndef require_api_key(response):\n",
          '        return {"error": "missing or wrong API key"}, 403':
          '        response = make_response({"error": "missing or wrong API key"}, 403)\n    return response',
          "from flask import Flask, request": "from flask import Flask, make_response, request"},
         "ran the view"),
    ],
    insecure=[
        # A list of the paths to guard: other URLs, and any view added later, are open without the key.
        ({'    if request.headers.get("X-Api-Key") != "open-sesame":':
          '    guarded = request.path in ("/reports", "/users")\n'
          '    if guarded and request.headers.get("X-Api-Key") != "open-sesame":'}, "a view added later"),
        ({'request.headers.get("X-Api-Key") != "open-sesame"':
          '"open-sesame" not in request.headers.get("X-Api-Key", "")'}, "open-sesame-and-more"),
        ({'request.headers.get("X-Api-Key") != "open-sesame"':
          'request.headers.get("X-Api-Key", "open-sesame") != "open-sesame"'}, "no `X-Api-Key` header"),
        ({'request.headers.get("X-Api-Key") != "open-sesame"':
          'request.headers.get("X-Api-Key", request.args.get("key")) != "open-sesame"'}, "?key=open-sesame"),
        ({'request.headers.get("X-Api-Key") != "open-sesame"':
          'request.method != "HEAD" and request.headers.get("X-Api-Key") != "open-sesame"'}, "`HEAD /reports`"),
    ],
)
def _a_key_check_before_every_view(api_app):
    expected = {"/reports": {"reports": ["q1", "q2"]}, "/users": {"users": ["ada", "grace"]}}
    refused = [("no `X-Api-Key` header", "", {}), ("`X-Api-Key: guess`", "", {"X-Api-Key": "guess"}),
               ("`X-Api-Key: open-sesame-and-more`", "", {"X-Api-Key": "open-sesame-and-more"}),
               ("`X-Api-Key: OPEN-SESAME`", "", {"X-Api-Key": "OPEN-SESAME"}),
               ("`X-Api-Key: open-sesam`", "", {"X-Api-Key": "open-sesam"}),
               ("an empty `X-Api-Key`", "", {"X-Api-Key": ""}),
               ("no header but `?key=open-sesame&api_key=open-sesame`", "?key=open-sesame&api_key=open-sesame", {}),
               ("only `Authorization: Bearer open-sesame`", "", {"Authorization": "Bearer open-sesame"})]
    ran, unwrap = _record_views(api_app)
    try:
        for path, body in expected.items():
            for label, query, headers in refused:
                ran.clear()
                what = f"`GET {path}{query}` with {label}"
                answer = ask(api_app, "GET", path + query, headers=headers)
                if ran:
                    raise Wrong(f"{what} ran the view `{ran[0]}` and answered {answer.status}.")
                if answer.status_code == 401 and "WWW-Authenticate" not in answer.headers:
                    raise Wrong(f"{what} answered 401 without a `WWW-Authenticate` header, which RFC 9110 requires "
                                "of every 401; an `X-Api-Key` belongs to no HTTP authentication scheme, so answer 403.")
                if answer.status_code != 403:
                    raise Wrong(f"{what} answered {answer.status}: {text(answer)[:80]!r}.")
                if answer.get_json(silent=True) != {"error": "missing or wrong API key"} or not answer.is_json:
                    raise Wrong(f"{what} answered 403 with {answer.content_type!r}: {text(answer)[:80]!r}.")
            ran.clear()
            answer = ask(api_app, "HEAD", path)
            if ran or answer.status_code != 403:
                raise Wrong(f"`HEAD {path}` with no `X-Api-Key` header "
                            + (f"ran the view `{ran[0]}` and " if ran else "") + f"answered {answer.status}.")
            ran.clear()
            answer = ask(api_app, "GET", path, headers={"x-api-key": "open-sesame"})
            if answer.status_code != 200 or answer.get_json(silent=True) != body or not ran:
                raise Wrong(f"`GET {path}` with `x-api-key: open-sesame` answered {answer.status} "
                            f"{text(answer)[:80]!r}.")
    finally:
        unwrap()
    unknown = ask(api_app, "GET", "/admin/backup")
    if unknown.status_code != 403:
        raise Wrong(f"`GET /admin/backup`, a URL of no view, with no `X-Api-Key` header answered {unknown.status}, not "
                    "403: the key check skips some URLs, so a visitor without the key learns which URLs exist, and a "
                    "view added later would be open to everyone. One hook for every request needs no list of paths.")
    return ("both views with no key, guess, open-sesame-and-more, OPEN-SESAME, open-sesam, an empty key and the key "
            "in the query string or in Authorization (403 JSON, view not run), HEAD with no key (403), an unknown "
            "URL with no key (403), and with the right key (200)")


@exercise(
    "3.4",
    title="Errors in JSON, headers kept",
    task="""
        `json_api` is an API, so its errors should be JSON too. Finish the
        error handler so that **every** HTTP error (a 404 from `abort`, a 404
        for an unknown URL, a 405 for a wrong method) answers with its own
        status code and the JSON `{"code": ..., "name": ..., "description": ...}`
        taken from the exception, and keeps the headers the error brings: a
        405 must keep its `Allow` header.
    """,
    source="""
        import json

        from flask import Flask, abort
        from werkzeug.exceptions import HTTPException

        json_api = Flask("json-api")


        @json_api.get("/items/<int:item_id>")
        def item(item_id):
            if item_id != 1:
                abort(404, description=f"there is no item {item_id}")
            return {"id": 1, "name": "teapot"}


        @json_api.errorhandler(HTTPException)
        def http_error(error):
            ### BEGIN SOLUTION
            response = error.get_response()  # the right status and headers, an HTML body
            response.set_data(json.dumps(
                {"code": error.code, "name": error.name, "description": error.description}
            ))
            response.content_type = "application/json"
            return response
            ### STARTER
            return "something went wrong"
            ### END SOLUTION
    """,
    hints=[
        "Whatever the handler returns becomes the response, with status 200 unless you say otherwise.",
        "The exception carries what you need: `error.code`, `error.name`, `error.description`.",
        "`return {...}, error.code` gets the status right but drops the 405's `Allow` header. "
        "Start from `response = error.get_response()`, which has the status and headers, then "
        "replace its body with `response.set_data(json.dumps({...}))` and set "
        '`response.content_type = "application/json"`.',
    ],
    args="json_api",
    right=[
        {"    response = error.get_response()  # the right status and headers, an HTML body\n"
         "    response.set_data(json.dumps(\n"
         '        {"code": error.code, "name": error.name, "description": error.description}\n'
         "    ))\n"
         '    response.content_type = "application/json"\n'
         "    return response":
         '    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}\n'
         '    return {"code": error.code, "name": error.name, "description": error.description}, error.code, headers'},
        {'    response.content_type = "application/json"': '    response.mimetype = "application/json"'},
    ],
    wrong=[
        ("""
         import json

         from flask import Flask, abort
         from werkzeug.exceptions import HTTPException

         json_api = Flask("json-api")


         @json_api.get("/items/<int:item_id>")
         def item(item_id):
             if item_id != 1:
                 abort(404, description=f"there is no item {item_id}")
             return {"id": 1, "name": "teapot"}


         @json_api.errorhandler(HTTPException)
         def http_error(error):
             return {"code": error.code, "name": error.name, "description": error.description}, error.code
         """, "Allow"),
        ({'    response.content_type = "application/json"\n': ""}, "text/html"),
        ({"error.description}": '"something went wrong"}'}, "description"),
        ({"    response = error.get_response()  # the right status and headers, an HTML body\n":
          "    response = json_api.make_response('')\n"}, "200 OK"),
        ({"@json_api.errorhandler(HTTPException)": "@json_api.errorhandler(404)\n@json_api.errorhandler(405)"},
         "`GET /items/400` answered 400 BAD REQUEST with 'text/html"),
        # The Allow header written out by hand is right for this app's one route, and wrong for any other.
        ({"    response = error.get_response()  # the right status and headers, an HTML body\n":
          "    response = json_api.make_response(('', error.code))\n"
          "    if error.code == 405:\n"
          '        response.headers["Allow"] = "GET, HEAD, OPTIONS"\n'}, "Take the headers from the exception"),
        # Allow kept, and every other header an error brings (Retry-After, WWW-Authenticate) dropped.
        ({"    response = error.get_response()  # the right status and headers, an HTML body\n":
          "    response = json_api.make_response(('', error.code))\n"
          "    if error.code == 405:\n"
          '        response.headers["Allow"] = ", ".join(error.valid_methods)\n'}, "Retry-After None"),
    ],
)
def _errors_in_json(json_api):
    ok = ask(json_api, "GET", "/items/1")
    if ok.status_code != 200 or ok.get_json(silent=True) != {"id": 1, "name": "teapot"}:
        raise Wrong(f"`GET /items/1` answered {ok.status} {text(ok)[:60]!r}.")
    # Beside 404 and 405, more HTTP errors: for the ids 400, 405 and 429 the check makes the item view raise one.
    endpoint = json_api.url_map.bind("localhost").match("/items/1")[0]
    view = json_api.view_functions[endpoint]

    def or_an_error(*args, **kwargs):
        raised = RAISED_BY_THE_CHECK.get(kwargs.get("item_id"))
        if raised:
            raise raised[0]()
        return view(*args, **kwargs)

    json_api.view_functions[endpoint] = or_an_error
    try:
        _json_errors(json_api)
    finally:
        json_api.view_functions[endpoint] = view
    return ("GET /items/1, abort(404) at /items/2, an unknown URL, DELETE and PUT (405), and a 400, a 405 for "
            "GET and PATCH only and a 429 with Retry-After raised in the view: status, JSON, Allow and Retry-After")


# The errors the check makes the item view raise for some ids, and how a message describes each.
RAISED_BY_THE_CHECK = {
    400: (lambda: BadRequest(description="the check's own 400"), "`abort(400, ...)`"),
    405: (lambda: MethodNotAllowed(valid_methods=["GET", "PATCH"], description="the check's own 405"),
          '`raise MethodNotAllowed(valid_methods=["GET", "PATCH"], ...)`'),
    429: (lambda: TooManyRequests(description="the check's own 429", retry_after=120),
          "`raise TooManyRequests(..., retry_after=120)`"),
}


def _json_errors(json_api):
    """Try each error of ``json_api``: its status, its JSON and its headers."""
    every = {"GET", "HEAD", "OPTIONS"}
    cases = [
        ("GET", "/items/2", 404, "Not Found", "there is no item 2", {}),
        ("GET", "/no/such/page", 404, "Not Found", NotFound.description, {}),
        ("DELETE", "/items/1", 405, "Method Not Allowed", MethodNotAllowed.description, {"Allow": every}),
        ("PUT", "/items/2", 405, "Method Not Allowed", MethodNotAllowed.description, {"Allow": every}),
        ("GET", "/items/400", 400, "Bad Request", "the check's own 400", {}),
        ("GET", "/items/405", 405, "Method Not Allowed", "the check's own 405", {"Allow": {"GET", "PATCH"}}),
        ("GET", "/items/429", 429, "Too Many Requests", "the check's own 429", {"Retry-After": {"120"}}),
    ]
    for method, path, code, name, description, headers in cases:
        try:
            _json_error(json_api, method, path, code, name, description, headers)
        except Wrong as wrong:
            item = int(path.rsplit("/", 1)[-1]) if path[-1].isdigit() else None
            if item not in RAISED_BY_THE_CHECK:
                raise
            raise Wrong(f"{wrong} (For the id {item} the check made the view {RAISED_BY_THE_CHECK[item][1]}.)") from None


def _json_error(json_api, method, path, code, name, description, headers):
    """Raise Wrong unless ``method path`` answers ``code`` with the exception's JSON and ``headers``."""
    what = f"{method} {path}"
    answer = ask(json_api, method, path)
    if answer.status_code != code:
        raise Wrong(f"`{what}` answered {answer.status}: {text(answer)[:80]!r}.")
    data = _json(answer, what)
    wanted = {"code": code, "name": name, "description": description}
    wrong = [key for key in wanted if data.get(key) != wanted[key]]
    if wrong:
        raise Wrong(f"`{what}` answered {text(answer).strip()[:160]}, where the exception's "
                    f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} "
                    + ", ".join(repr(wanted[key]) for key in wrong) + ".")
    if set(data) != set(wanted):
        raise Wrong(f"`{what}` answered {text(answer).strip()[:160]}, with the keys "
                    f"{sorted(set(data) - set(wanted))} beside code, name and description.")
    for header in ("Allow", "Retry-After"):
        got = {value.strip() for value in answer.headers.get(header, "").split(",") if value.strip()}
        if header in headers and got != headers[header]:
            raise Wrong(f"`{what}` answered {code} with the header {header} {answer.headers.get(header)!r}; "
                        f"the exception's is {', '.join(sorted(headers[header]))!r}. Take the headers from the "
                        "exception rather than writing them yourself.")
        if header not in headers and got:
            raise Wrong(f"`{what}` answered {code} with the header `{header}: {answer.headers[header]}`, which the "
                        "exception does not bring.")


@exercise(
    "3.5",
    title="An id for every request",
    kind="make",
    task="""
        Every answer of `orders` must carry a header `X-Request-Id` with a
        new id for that request, error answers included: a 404 for an unknown
        URL, a 405 for a wrong method. Views read the same id from
        `g.request_id`, as `/receipt` already does. Add two hooks and change
        nothing else. Requests that overlap in time must each keep their own id.

        An id must stay unique when several servers or restarts of the app make
        ids at once, and must not tell anyone how many requests came before:
        random, with at least 122 random bits, as `uuid.uuid4().hex` gives
        (32 hex digits). A counter, a time stamp or a short id will not do.
    """,
    source="""
        import uuid

        from flask import Flask, g

        orders = Flask("orders")


        @orders.get("/receipt")
        def receipt():
            return {"request_id": g.request_id, "total": 42}


        ### BEGIN SOLUTION
        @orders.before_request
        def give_an_id():
            g.request_id = uuid.uuid4().hex


        @orders.after_request
        def show_the_id(response):
            response.headers["X-Request-Id"] = g.request_id
            return response
        ### STARTER
        # add the two hooks here
        ### END SOLUTION
    """,
    hints=[
        "One hook makes the id before the view runs, another puts it on the response. Which hooks run "
        "for a 404 that no view answered? The trace in *The hooks in order* says.",
        "`g` belongs to the request being served, so the view and both hooks see the same `g.request_id`, "
        "and a request running at the same time has its own. A global variable is shared by all of them.",
        "`@orders.before_request` sets `g.request_id = uuid.uuid4().hex`; `@orders.after_request` "
        "takes the response, sets `response.headers[\"X-Request-Id\"] = g.request_id` and returns it.",
        "A counter starts again at 1 in every worker and after every restart, so two requests get the "
        "same id; `uuid4().hex[:4]` has only 16 bits, so ids repeat after a few hundred requests. A hash of a "
        "counter or of the time only looks random, and Python's `random` can be predicted. "
        "Keep the whole `uuid.uuid4().hex` (or `secrets.token_hex(16)`).",
    ],
    args="orders",
    right=[
        {'    response.headers["X-Request-Id"] = g.request_id':
         '    response.headers.set("X-Request-Id", g.get("request_id", "none"))',
         "g.request_id = uuid.uuid4().hex": "g.request_id = secrets.token_hex(16)",
         "import uuid": "import secrets\nimport uuid"},
        {"g.request_id = uuid.uuid4().hex": "g.request_id = str(uuid.uuid4())"},
    ],
    wrong=[
        ({'    response.headers["X-Request-Id"] = g.request_id':
          '    response.headers["X-Request-Id"] = uuid.uuid4().hex'}, "but the view saw"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = ORDER_ID",
          "orders = Flask(\"orders\")": "orders = Flask(\"orders\")\nORDER_ID = uuid.uuid4().hex"}, "both carried"),
        ({"@orders.before_request\ndef give_an_id():\n    g.request_id = uuid.uuid4().hex":
          "latest = None\n\n\n@orders.before_request\ndef give_an_id():\n    global latest\n"
          "    latest = g.request_id = uuid.uuid4().hex",
          '    response.headers["X-Request-Id"] = g.request_id': '    response.headers["X-Request-Id"] = latest'},
         "overlapping"),
        ({'    response.headers["X-Request-Id"] = g.request_id\n    return response':
          '    response.headers["X-Request-Id"] = g.request_id'}, "crashed"),
        ("""
         import uuid

         from flask import Flask, g

         orders = Flask("orders")


         @orders.get("/receipt")
         def receipt():
             g.request_id = uuid.uuid4().hex
             return {"request_id": g.request_id, "total": 42}, {"X-Request-Id": g.request_id}
         """, "404 NOT FOUND without an `X-Request-Id` header"),
    ],
    insecure=[
        # The learner trial's answers: a short id (it took [:4]; [:6] cannot repeat by chance here), and a counter.
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = uuid.uuid4().hex[:6]"}, "24 bits"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = str(next(COUNTER))",
          "import uuid": "import itertools\nimport uuid",
          'orders = Flask("orders")': 'orders = Flask("orders")\nCOUNTER = itertools.count(1)'}, "at most 3 bits"),
        ({"g.request_id = uuid.uuid4().hex": 'g.request_id = f"{next(COUNTER):032x}"',
          "import uuid": "import itertools\nimport uuid",
          'orders = Flask("orders")': 'orders = Flask("orders")\nCOUNTER = itertools.count(1)'}, "look alike"),
        ({"g.request_id = uuid.uuid4().hex": 'g.request_id = f"{time.time_ns():032x}"',
          "import uuid": "import time\nimport uuid"}, "held the clock still"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = uuid.uuid1().hex"}, "look alike"),
        ({"g.request_id = uuid.uuid4().hex": 'g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex',
          "from flask import Flask, g": "from flask import Flask, g, request"}, "which the client picked"),
        # A client's id that looks like a good one is still the client's.
        ({"    g.request_id = uuid.uuid4().hex":
          "    try:\n        g.request_id = uuid.UUID(request.headers.get(\"X-Request-Id\", \"\")).hex\n"
          "    except ValueError:\n        g.request_id = uuid.uuid4().hex",
          "from flask import Flask, g": "from flask import Flask, g, request"}, "which the client picked"),
        # A hash of the time looks random, and two workers at one instant make the same one.
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = hashlib.sha256(str(time.time()).encode()).hexdigest()",
          "import uuid": "import hashlib\nimport time\nimport uuid"}, "held the clock still"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = hashlib.md5(datetime.now().isoformat().encode()).hexdigest()",
          "import uuid": "import hashlib\nimport uuid\nfrom datetime import datetime"}, "held the clock still"),
        # Python's random, its module functions or a generator of one's own, can be predicted.
        ({"g.request_id = uuid.uuid4().hex": 'g.request_id = f"{random.getrandbits(128):032x}"',
          "import uuid": "import random\nimport uuid"}, "comes from `random`"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = uuid.UUID(int=MAKER.getrandbits(128), version=4).hex",
          "import uuid": "import random\nimport uuid",
          'orders = Flask("orders")': 'orders = Flask("orders")\nMAKER = random.Random()'}, "comes from `random`"),
        # A hash of a counter looks random, and anyone can hash 0, 1, 2...
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = hashlib.sha256(str(next(COUNTER)).encode()).hexdigest()",
          "import uuid": "import hashlib\nimport itertools\nimport uuid",
          'orders = Flask("orders")': 'orders = Flask("orders")\nCOUNTER = itertools.count(1)'}, "the sha256 of"),
        ({"g.request_id = uuid.uuid4().hex": "g.request_id = uuid.uuid5(uuid.NAMESPACE_URL, str(next(COUNTER))).hex",
          "import uuid": "import itertools\nimport uuid",
          'orders = Flask("orders")': 'orders = Flask("orders")\nCOUNTER = itertools.count(1)'}, "uuid.uuid5"),
    ],
)
def _an_id_for_every_request(orders):
    seen = {}

    def answer_of(method, path, status, during=""):
        what = f"{method} {path}"
        response = ask(orders, method, path)
        if response.status_code != status:
            raise Wrong(f"`{what}` answered {response.status}: {text(response)[:80]!r}.")
        given = response.headers.get("X-Request-Id")
        if not given:
            raise Wrong(f"`{what}` answered {response.status} without an `X-Request-Id` header.")
        if given in seen:
            raise Wrong(f"`{seen[given]}` and `{what}` both carried `X-Request-Id: {given}`{during}.")
        seen[given] = what
        return response, given

    for _ in range(2):
        response, given = answer_of("GET", "/receipt", 200)
        saw = (response.get_json(silent=True) or {}).get("request_id")
        if saw != given:
            raise Wrong(f"`GET /receipt` carried `X-Request-Id: {given}`, but the view saw `g.request_id` {saw!r}.")
    answer_of("GET", "/no/such/page", 404)
    answer_of("DELETE", "/receipt", 405)
    # A client may send an id of its own, even one shaped like a good one; the answer must still carry a new one.
    for chosen in ("chosen-by-the-client", uuid.uuid4().hex, str(uuid.uuid4())):
        sent = ask(orders, "GET", "/receipt", headers={"X-Request-Id": chosen})
        if any(_plain(chosen) == _plain(given) for given in sent.headers.get_all("X-Request-Id")):
            raise Wrong(f"`GET /receipt` sent with `X-Request-Id: {chosen}` answered with that same id, which the "
                        "client picked.")
    # Two requests at one instant, as two workers can serve them: an id made from the clock comes out the same.
    with clock_stopped(*namespaces_of(orders)):
        for _ in range(2):
            answer_of("GET", "/receipt", 200, during=", sent while the check held the clock still (as two workers "
                                                     "can serve two requests at one instant): the id comes from the time")
    # Python's random restarted at one seed before each request: an id drawn from it comes out the same.
    with random_repeating() as again:
        for _ in range(2):
            again()
            answer_of("GET", "/receipt", 200, during=", sent while the check made Python's `random` start again at one "
                                                     "seed before each: the id comes from `random`, whose values can be "
                                                     "predicted from earlier ones (its documentation says not to use it "
                                                     "for security); `uuid4` and `secrets` draw from the operating system")
    # Hold the first request inside its view while a second one runs from start to finish.
    endpoint = orders.url_map.bind("localhost").match("/receipt")[0]
    view, first_in_view, second_done = orders.view_functions[endpoint], threading.Event(), threading.Event()

    def held(*args, **kwargs):
        if not first_in_view.is_set():
            first_in_view.set()
            second_done.wait(timeout=5)
        return view(*args, **kwargs)

    orders.view_functions[endpoint] = held
    try:
        with ThreadPoolExecutor(max_workers=1) as other_thread:
            first = other_thread.submit(ask, orders, "GET", "/receipt")
            if first_in_view.wait(timeout=5):
                _, second = answer_of("GET", "/receipt", 200)
            second_done.set()
            first = first.result()
    finally:
        orders.view_functions[endpoint] = view
    mine, saw = first.headers.get("X-Request-Id"), (first.get_json(silent=True) or {}).get("request_id")
    if mine != saw or mine == second:
        raise Wrong(f"two overlapping `GET /receipt` requests: the first saw `g.request_id` {saw!r} and carried "
                    f"`X-Request-Id: {mine}`; the one that ran while it waited carried `{second}`.")
    ids = {**seen, mine: "the first overlapping GET /receipt"}
    for given, what in ids.items():
        if (bits := _random_bits(given, among=ids)) < 122:
            raise Wrong(f"`{what}` carried `X-Request-Id: {given}`, an id that can hold at most "
                        f"{bits} bits, so two workers, or one after a restart, would soon give the same id.")
    for given, what in ids.items():
        if recipe := hash_of_a_count(given):
            raise Wrong(f"`{what}` carried `X-Request-Id: {given}`, which is {recipe}: it looks random, but anyone who "
                        "hashes 0, 1, 2... finds which request it was, and a restarted app or a second worker makes "
                        "the same ids again.")
    for one, other in itertools.combinations(ids, 2):
        plain = [_plain(one), _plain(other)]
        if plain[0][:8] == plain[1][:8] or plain[0][-8:] == plain[1][-8:]:
            raise Wrong(f"`{ids[one]}` carried `X-Request-Id: {one}` and `{ids[other]}` carried `{other}`: they look "
                        "alike (the same first or last 8 characters), as ids from a counter or a clock do; random ids "
                        "of 122 bits almost never do.")
    return ("GET /receipt twice, an unknown URL (404), DELETE (405), three requests that brought an id of their own "
            "(two shaped like a uuid4), two at one instant of a stopped clock, and two overlapping requests: a new id "
            "on each, all different, the header equal to what the view saw, and every id of 122 random bits or more, "
            "none alike")


def _plain(request_id):
    """A request id without the dashes a uuid is written with, in lower case."""
    return request_id.replace("-", "").lower()


def _random_bits(request_id, among=()):
    """The most random bits an id can hold, judged by the characters of all the ids it came ``among``.

    3.3 bits a decimal digit when every id is a number, 4 a hex digit when every id is hex (a uuid's dashes aside),
    6 otherwise. Judge the ids together: one random hex id in sixteen of six digits has no letter at all. Only a
    hex id loses its dashes: in a base64 id such as ``secrets.token_urlsafe(16)``, ``-`` is one of the 64
    characters, and counts.
    """
    ids = [request_id, *among]
    if all(re.fullmatch(r"[0-9]+", one) and len(one) < 32 for one in ids):  # numbers, such as a counter's
        return int(len(request_id) * 3.32)
    if all(re.fullmatch(r"[0-9a-fA-F-]+", one) for one in ids):
        return len(_plain(request_id)) * 4
    return len(request_id) * 6
