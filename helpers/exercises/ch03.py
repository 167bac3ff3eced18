"""Exercises of chapter 3: the request object, return values, hooks and error handlers."""

import json

from . import Wrong, exercise


def _looks_like_json(text):
    """True when ``text`` parses as a JSON object."""
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _send(app, method, path, crash_hint="", **kwargs):
    """Send one request through the test client; a crash in the app becomes a hint, not a traceback."""
    client = app.test_client()
    before = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = True  # raise here instead of logging and answering 500
    try:
        return client.open(path, method=method, **kwargs)
    except Exception as error:
        raise Wrong(
            f"`{method} {path}` crashed with `{type(error).__name__}: {error}`; "
            f"a real client would get 500 Internal Server Error. {crash_hint}".strip()
        ) from None
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = before


@exercise(
    "3.1",
    title="Numbers from the query string",
    task="""
        Make `GET /add?a=2&b=3` on `calc_app` answer with the JSON object
        `{"sum": 5}`. When `a` or `b` is missing or is not a whole number
        (`/add?a=2`, `/add?a=two&b=3`), answer **400 Bad Request** with a
        description that says what is wrong, never a 500.
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
        "Check for `None` and call `abort(400, description=\"...\")`: the description is the "
        "message the client reads.",
    ],
    args="calc_app",
)
def _numbers_from_the_query_string(calc_app):
    crash = (
        'Read each number with `request.args.get("a", type=int)`, which gives `None` for a missing or '
        "bad value instead of raising, then answer a `None` with `abort(400, description=\"...\")` "
        "before you add."
    )
    answer = _send(calc_app, "GET", "/add?a=2&b=3", crash)
    if answer.status_code != 200:
        raise Wrong(f"`GET /add?a=2&b=3` answers {answer.status}; it should be 200 OK.")
    if not answer.is_json:
        raise Wrong(f"`GET /add?a=2&b=3` answers {answer.content_type!r}; return a dict to get JSON.")
    data = answer.get_json()
    if data == {"sum": "23"}:
        raise Wrong("`/add?a=2&b=3` gives `{\"sum\": \"23\"}`: the values are still strings, so `+` joined them.")
    if data != {"sum": 5}:
        raise Wrong(f"`/add?a=2&b=3` gives {data!r}; it should be {{'sum': 5}}.")
    negative = _send(calc_app, "GET", "/add?a=-4&b=1", crash).get_json()
    if negative != {"sum": -3}:
        raise Wrong(f"`/add?a=-4&b=1` gives {negative!r}; it should be {{'sum': -3}}.")
    zero = _send(calc_app, "GET", "/add?a=0&b=3", crash)
    if zero.status_code != 200 or zero.get_json(silent=True) != {"sum": 3}:
        raise Wrong(
            f"`GET /add?a=0&b=3` answers {zero.status}; 0 is a whole number too, so it should give "
            "{'sum': 3}. Test for a missing value with `is None`, not with `not a`."
        )
    for path in ["/add?a=2", "/add?b=3", "/add?a=two&b=3", "/add?a=2&b=2.5"]:
        bad = _send(calc_app, "GET", path, crash)
        if bad.status_code != 400:
            raise Wrong(f"`GET {path}` answers {bad.status}; bad input should get 400 Bad Request.")
    bad = _send(calc_app, "GET", "/add?a=two&b=3", crash)
    if "could not understand" in bad.get_data(as_text=True):
        raise Wrong(
            "`/add?a=two&b=3` answers 400 with Flask's generic text. "
            'Say what is wrong: `abort(400, description="...")`.'
        )


@exercise(
    "3.2",
    title="201 Created, with a Location",
    task="""
        `POST /notes` on `notes_app` stores the form field `text` as a new
        note. Make it answer the way an API should when it creates something:
        status **201 Created**, the JSON `{"id": <id>, "text": <text>}`, and a
        `Location` header with the new note's URL (`/notes/<id>`, built with
        `url_for`). A POST with no `text`, or one that is empty or only
        spaces, answers **400** and stores nothing.
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
        '`url_for("show_note", note_id=note_id)` builds `/notes/1` from the name of the view function.',
        '`.strip()` the text, then check it **before** `notes.append(...)`: '
        '`if not text: abort(400, description="...")`.',
    ],
    args="notes_app",
)
def _created_with_a_location(notes_app):
    answer = _send(notes_app, "POST", "/notes", data={"text": "buy milk"})
    if answer.status_code != 201:
        raise Wrong(f"`POST /notes` answers {answer.status}; something new was created, so it should be 201 Created.")
    data = answer.get_json(silent=True)
    if not isinstance(data, dict) or data.get("text") != "buy milk" or not isinstance(data.get("id"), int):
        raise Wrong(f"`POST /notes` with text 'buy milk' answers {data!r}; it should be {{'id': <a number>, 'text': 'buy milk'}}.")
    location = answer.headers.get("Location")
    if not location:
        raise Wrong("the 201 answer has no `Location` header; add it as the third item of the tuple.")
    if not location.endswith(f"/notes/{data['id']}"):
        raise Wrong(f"`Location` is {location!r}; it should point to the new note, `/notes/{data['id']}`.")
    shown = _send(notes_app, "GET", location)
    if shown.status_code != 200 or (shown.get_json(silent=True) or {}).get("text") != "buy milk":
        raise Wrong(f"`GET {location}` does not show the new note (it answers {shown.status}).")
    for label, form in [("no `text` field", {}), ("an empty `text`", {"text": ""}), ("a `text` of only spaces", {"text": "  "})]:
        bad = _send(notes_app, "POST", "/notes", data=form)
        if bad.status_code != 400:
            tip = " Strip the text first: `request.form.get(\"text\", \"\").strip()`." if "spaces" in label else ""
            raise Wrong(f"`POST /notes` with {label} answers {bad.status}; it should be 400 Bad Request.{tip}")
    after = _send(notes_app, "GET", f"/notes/{data['id'] + 1}")
    if after.status_code != 404:
        raise Wrong("a POST that was refused with 400 still stored a note; check the text before appending.")


@exercise(
    "3.3",
    title="A key check before every view",
    task="""
        `api_app` has two views. Add **one** `before_request` function so that
        a request without the header `X-Api-Key: open-sesame` (or with
        another value) gets **401** and the JSON
        `{"error": "missing or wrong API key"}`, and the view never runs.
        With the right key, both views answer as before.
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
                return {"error": "missing or wrong API key"}, 401
        ### STARTER
        # add a before_request function here
        ### END SOLUTION
    """,
    hints=[
        "Decorate a function with `@api_app.before_request`. It runs before every view.",
        'Read the header with `request.headers.get("X-Api-Key")`; it is `None` when the header is missing.',
        "When a `before_request` function returns a value, Flask uses it as the response and skips the view: "
        'return `{"error": "missing or wrong API key"}, 401`. Return nothing when the key is right.',
    ],
    args="api_app",
)
def _a_key_check_before_every_view(api_app):
    expected = {"/reports": {"reports": ["q1", "q2"]}, "/users": {"users": ["ada", "grace"]}}
    key_crash = (
        '`request.headers["X-Api-Key"]` raises a plain `KeyError` when the header is missing (a 500, not a '
        '400); `request.headers.get("X-Api-Key")` gives `None` instead.'
    )
    for path, body in expected.items():
        for label, headers in [("no key", {}), ("a wrong key", {"X-Api-Key": "guess"})]:
            answer = _send(api_app, "GET", path, headers=headers, crash_hint=key_crash)
            if answer.status_code == 200 and answer.get_json(silent=True) == {"error": "missing or wrong API key"}:
                raise Wrong(
                    f"`GET {path}` with {label} answers the error JSON, but with status 200 OK. "
                    'Return the status too: `return {"error": "missing or wrong API key"}, 401`.'
                )
            if answer.status_code == 200:
                raise Wrong(f"`GET {path}` with {label} answers 200 and runs the view; it should be refused with 401.")
            if answer.status_code != 401:
                raise Wrong(f"`GET {path}` with {label} answers {answer.status}; it should be 401 Unauthorized.")
            if answer.get_json(silent=True) != {"error": "missing or wrong API key"}:
                raise Wrong(
                    f"`GET {path}` with {label} answers 401 but with {answer.get_data(as_text=True)[:80]!r}; "
                    "return the JSON `{\"error\": \"missing or wrong API key\"}` with the 401 "
                    "(`abort(401)` would answer HTML)."
                )
        answer = _send(api_app, "GET", path, headers={"X-Api-Key": "open-sesame"}, crash_hint=key_crash)
        if answer.status_code != 200 or answer.get_json(silent=True) != body:
            raise Wrong(f"`GET {path}` with the right key answers {answer.status}; the view should run and answer {body!r}.")


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
)
def _errors_in_json(json_api):
    ok = _send(json_api, "GET", "/items/1")
    if ok.status_code != 200 or ok.get_json(silent=True) != {"id": 1, "name": "teapot"}:
        raise Wrong(f"`GET /items/1` answers {ok.status}; the working view should still answer the teapot.")
    cases = [
        ("GET", "/items/2", 404, "Not Found", "there is no item 2"),
        ("GET", "/no/such/page", 404, "Not Found", None),
        ("DELETE", "/items/1", 405, "Method Not Allowed", None),
    ]
    for method, path, code, name, description in cases:
        answer = _send(json_api, method, path)
        if answer.status_code != code:
            raise Wrong(f"`{method} {path}` answers {answer.status}; it should keep the error's status, {code}.")
        data = answer.get_json(silent=True)
        if not answer.is_json and _looks_like_json(answer.get_data(as_text=True)):
            raise Wrong(
                f"`{method} {path}` sends a JSON body but says `Content-Type: {answer.content_type}`; "
                'set `response.content_type = "application/json"`.'
            )
        if not answer.is_json or not isinstance(data, dict):
            raise Wrong(
                f"`{method} {path}` answers {answer.content_type!r} with "
                f"{answer.get_data(as_text=True)[:60]!r}; it should be JSON."
            )
        if data.get("code") != code or data.get("name") != name:
            raise Wrong(f"`{method} {path}` gives {data!r}; `code` should be {code} and `name` {name!r}.")
        if description and data.get("description") != description:
            raise Wrong(f"`{method} {path}` gives the description {data.get('description')!r}; it should be {description!r}.")
        if not data.get("description"):
            raise Wrong(f"`{method} {path}` has no `description`; use `error.description`.")
        if code == 405 and "GET" not in answer.headers.get("Allow", ""):
            raise Wrong(
                "the 405 answer lost its `Allow` header. Build the response from `error.get_response()`, "
                "which carries it, instead of a new tuple."
            )
