"""Teaching notes, chapter by chapter: the mistakes learners make and questions to ask the room.

The teacher's kit (``notebooks/teachers/README.md``, written by ``make sync``) is generated
from this file. Each chapter number maps to:

- ``mistakes``: ``(where, what learners do, what answers them)``. ``where`` is an exercise id
  such as ``"2.1"`` (then the answer is what its check or hints say) or a heading of the
  chapter (then the chapter's own cells answer it).
- ``questions``: ``(question, what to listen for)``, two or three to ask the room.

tests/test_teachers.py fails when a chapter or an exercise has no notes here, or when a
``where`` names nothing in its chapter.
"""

NOTES = {
    0: {
        "mistakes": [
            (
                "0.1",
                "Keeps the whole `Response` in `page`, or its bytes (`.content`).",
                "The check names which one it got: \"`page` holds the whole `Response`; keep only its "
                "text\", or \"holds bytes (`.content`); use `.text`\".",
            ),
            (
                "0.1",
                "Restarts the kernel, then runs only their own cell and the check.",
                "\"`server` is not running; run the cell that starts it again, then your cell.\" A restart "
                "stops every server; this is the moment to explain what a restart keeps.",
            ),
            (
                "0.2",
                "Stops it with `stop_all()`, or writes `practice.stop` without the parentheses.",
                "The check says what it saw: \"`server` ... is not running any more\", or \"the practice "
                "server still answers\". Hint 2 is about the parentheses: a method named is not a method "
                "called.",
            ),
            (
                "0.3",
                "Serves the new app with `serve(notes_app)`, so it replaces `server` (both are "
                "`\"__main__\"`); the fetch of `server.url` in the same cell then fails with "
                "`ConnectionError`.",
                "The check names both servers' names. This is the point of the exercise: a second app "
                "needs `name=...`. Re-run the cell that starts `server` before checking again.",
            ),
            (
                "Predict, then run",
                "Skips the predictions, or types a guess without quotes (`yes` instead of `\"yes\"`) and "
                "gets a `NameError`.",
                "Say why the course asks for a guess before the answer; a text guess needs quotes, a "
                "number does not. An empty `...` never fails a cell.",
            ),
            (
                "Change an app by redefining it",
                "Adds an `@app.route` in a new cell after the app has answered a request, and gets "
                "`AssertionError: The setup method 'route' can no longer be called`.",
                "The chapter provokes exactly this error. Keep an app and its routes in one cell and run "
                "the whole cell again after an edit.",
            ),
            (
                "When a view fails",
                "Takes the red traceback under a cell for a failure of that cell.",
                "It is the server's log of a failing view; the cell ran to the end. Read the last line "
                "first. A request from a browser tab puts the traceback under the cell run last.",
            ),
        ],
        "questions": [
            (
                "What does a kernel restart keep, and what does it lose?",
                "Files on disk stay (the scratch folder, `progress.json`); every variable and every "
                "server the notebook started are gone.",
            ),
            (
                "You work on Binder. What happens to your results when you close the tab, and how do "
                "you keep them?",
                "The session's machine is thrown away with `my-work/progress.json`. Download the file "
                "from the file browser before leaving; next time upload it and call "
                "`load_progress(\"progress.json\")`.",
            ),
            (
                "`requests` and the test client gave the same answer. How did each one get it?",
                "`requests` sent real HTTP over a socket to the background server; the test client "
                "called the app in the same process, with no server and no socket.",
            ),
        ],
    },
    1: {
        "mistakes": [
            (
                "1.1",
                "Writes the rule as `/about/`.",
                "\"`GET /about` redirects to `/about/`: a rule that ends in a slash does that.\" Chapter 2 "
                "explains why; for now, no trailing slash.",
            ),
            (
                "1.1",
                "Copies `home` and keeps its function name, so two views share one name.",
                "Flask refuses the second one when the cell runs; hint 2: \"Each view function needs its "
                "own name.\"",
            ),
            (
                "1.2",
                "Returns the body itself (`b\"...\"`), a `str`, or headers as a dict; or reads the path "
                "from `REQUEST_URI`, which holds the query string too.",
                "The check names what a server would get: \"looping over that gives one number per "
                "byte\", \"the body holds str\", \"the headers are a dict\", or \"`GET /?name=Ada` "
                "answered '404 Not Found'\". `PATH_INFO` is the path alone.",
            ),
            (
                "1.3",
                "Returns a string that looks like JSON, or writes `\"micro\": \"true\"`.",
                "\"the answer is 'text/html; charset=utf-8', not JSON. Return a dict instead of a "
                "string.\" For the quoted value: \"true is a boolean, not a string\".",
            ),
            (
                "1.4",
                "Tests `path.startswith(\"/api\")`, so `/apiary` goes to the API; or calls both apps and "
                "keeps one answer, which calls `start_response` twice; or reaches for Werkzeug's "
                "`DispatcherMiddleware`.",
                "The check names the path and which app answered it. `DispatcherMiddleware` moves `/api` "
                "into `SCRIPT_NAME`, so `api` sees `/framework` and answers 404: a good moment to "
                "preview chapter 2's prefixes.",
            ),
            (
                "What \"micro\" means, and what it does not",
                "Believes that \"micro\" means Flask is only for small apps.",
                "The chapter says plainly that the claim is wrong and shows blueprints, the tool large "
                "Flask apps are split with.",
            ),
            (
                "WSGI in one picture",
                "Calls Gunicorn or uWSGI a framework.",
                "They are WSGI servers: the server's half of the picture, running any WSGI app unchanged.",
            ),
        ],
        "questions": [
            (
                "Your app needs user accounts and an admin page. What would Django give you, and where "
                "do they come from with Flask?",
                "Django ships `django.contrib.auth` and an admin generated from the models; with Flask "
                "you add libraries or extensions such as Flask-Login and Flask-Admin.",
            ),
            (
                "Which headers did the real HTTP answer have that the test client's did not, and why?",
                "`Server` and `Date`: the WSGI server writes them, and the test client calls the app "
                "with no server in between.",
            ),
            (
                "What does a WSGI server call for each request, and what must it get back?",
                "`app(environ, start_response)`; the app calls `start_response(status, headers)` and "
                "returns an iterable of bytes.",
            ),
        ],
    },
    2: {
        "mistakes": [
            (
                "2.1",
                "Checks the text inside the view (`isdigit`, `try: int(n)`) and answers 404 there.",
                "The statuses come out right, and the check still says the request \"reached the view "
                "`square`: the rule `/square/<n>` matched it\". Hint 3: checking inside the view is too late.",
            ),
            (
                "2.1",
                "Uses `<int:n>` and forgets the upper limit, or adds `signed=True`.",
                "\"`GET /square/1001` answered 200 OK\", or the same for `/square/-4`. Hint 2 shows "
                "`<int(max=1000):n>`.",
            ),
            (
                "2.2",
                "Lets `date.fromisoformat` raise `ValueError` for `2024-02-30`, or keeps the text in "
                "`to_python` and parses it in the view.",
                "The check reports the crash as the 500 a visitor would get (hint 3: catch it and "
                "`raise ValidationError()`), or \"the router hands the view {'day': '2024-02-29'}, not a "
                "`date`\".",
            ),
            (
                "2.2",
                "Returns the date itself from `to_url`.",
                "`url_for` raises, and the check quotes the error; hint 4: `value.isoformat()`. "
                "Leaving `to_url` out works too: the default quotes `str(value)`.",
            ),
            (
                "2.3",
                "Types `/shop/items/3`, builds the link from `request.path`, or calls `url_for(\"item\")` "
                "without the blueprint's name.",
                "The check mounts the blueprint under `/store` and behind a Binder-like proxy prefix and "
                "follows the link and the redirect; `request.path` leaves out the proxy's prefix. Single "
                "quotes, `_external=True` and relative links all pass.",
            ),
            (
                "2.5",
                "Switches to POST but keeps reading `request.args`, or reaches for `request.values`.",
                "\"`POST /unsubscribe?email=...`, with the address in the query string and an empty "
                "body, ... unsubscribed it\": the address is in the URL again, and so in every log.",
            ),
            (
                "2.4",
                "Returns `redirect(...)` without a code, types `f\"/posts/{p}\"`, or lets `int(\"abc\")` "
                "raise.",
                "\"a temporary redirect\" (302, or 303 from Flask 3.2); the typed URL fails behind the "
                "proxy prefix; the crash is reported as a 500. `?p=007` must land on `/posts/7`, which "
                "`url_for` builds.",
            ),
            (
                "Where matching surprises people",
                "Expects rules to be tried in the order they were written, and `/user/-5` to be an id.",
                "Werkzeug tries the most specific rule first; `int` refuses a minus sign, so `-5` falls "
                "through to the name rule.",
            ),
        ],
        "questions": [
            (
                "`GET /items/forty-two` answers 404, not 400 or 500. Why is that right, and what does "
                "the view never have to do?",
                "The `int` converter refused the text, so no rule matched: the URL names nothing. The "
                "view never checks the type; it always gets an `int`.",
            ),
            (
                "What is the difference between a 404 and a 405, and what must a 405 carry?",
                "404: no rule matches the path. 405: a rule matches the path but not the method; the "
                "`Allow` header lists the methods that work.",
            ),
            (
                "Why must \"unsubscribe\" or \"delete\" never be a GET link?",
                "GET promises to be safe: browsers prefetch links, crawlers and chat previews follow "
                "them, so the change happens without a click; and the URL lands in logs and history.",
            ),
        ],
    },
    3: {
        "mistakes": [
            (
                "3.1",
                "Adds the two values as they come, or converts with `int(...)` and no `try`.",
                "\"`GET /add?a=2&b=3` answered {\"sum\":\"23\"}\": the values are still strings; `int` "
                "on `two` crashes into a 500. Hint 2: `request.args.get(\"a\", type=int)`.",
            ),
            (
                "3.1",
                "Tests for a missing value with `if not a`, checks `isdigit()`, or answers a bare "
                "`abort(400)`.",
                "The check names the request it tried: `?a=0&b=3` and `?a=-4&b=1` answered 400, or the "
                "400 carried Flask's generic text. Hint 3 is about `is None`.",
            ),
            (
                "3.2",
                "Validates after `notes.append(...)`, forgets that spaces are not text, or types "
                "`f\"/notes/{note_id}\"` into the `Location`.",
                "\"... answered 400, but `GET /notes/N` now answers 200\"; the typed URL fails the "
                "request sent behind a proxy prefix, which `url_for` would have kept.",
            ),
            (
                "3.3",
                "Returns the error dict without a status, answers 401, uses `abort(403)`, or compares "
                "with `in`, `startswith` or a default of the right key.",
                "Each attempt is named: `open-sesame-and-more` and \"no `X-Api-Key` header\" ran the view. "
                "A good moment to say why a key check compares the whole value.",
            ),
            (
                "3.4",
                "Returns `{...}, error.code` from the handler.",
                "Status and body are right, but the 405 answer has no `Allow` header. Hint 3: build the "
                "response from `error.get_response()`.",
            ),
            (
                "3.5",
                "Sets the header in the view, makes a second id in `after_request`, or keeps the id in a "
                "global variable.",
                "\"`GET /no/such/page` answered 404 NOT FOUND without an `X-Request-Id` header\", \"but "
                "the view saw\", or the overlapping pair shares one id. Hooks run for error answers too; "
                "`g` is per request, a global is not.",
            ),
            (
                "Contexts: why `request` only works during a request",
                "Uses `request` or `current_app` in a cell and gets \"Working outside of request context\".",
                "Push one: `with app.test_request_context(...):`, or `app.app_context()` for "
                "`current_app` and `g` alone.",
            ),
            (
                "What runs after the response is sent",
                "Believes that `teardown_request` runs after the client has its answer.",
                "The chapter measures it: the client waits for teardown. Work the client should not "
                "wait for goes into `response.call_on_close`.",
            ),
        ],
        "questions": [
            (
                "A view calls `abort(404)`. Which hooks run, in what order, and what does teardown get? "
                "And when the view crashes?",
                "`before_request`, the view, the 404 handler, `after_request`, then teardown with `None` "
                "(the error was handled). A crash: the 500 handler and `after_request` on the 500 "
                "page, and teardown gets the exception.",
            ),
            (
                "Why does `g` not count visits, and when does it carry over after all?",
                "A request a server hands in pushes its own app context with a new, empty `g`. In Flask "
                "3.1 a request inside an app context already pushed for the same app (a test fixture's) "
                "reuses it; 3.2 does not. Data that outlives a request goes into the session or a database.",
            ),
            (
                "Which header names have no `HTTP_` prefix in the environ, and where is the body?",
                "`CONTENT_TYPE` and `CONTENT_LENGTH`; the body waits in `wsgi.input` until "
                "`request.form`, `request.json` or `request.files` reads it.",
            ),
        ],
    },
    4: {
        "mistakes": [
            (
                "4.1",
                "Deletes `DRAFT` but leaves the heading outside every block, or types `Bookshop` into the "
                "title.",
                "\"the page's `<main>` holds '': the heading `About us` appears nowhere in the page\"; on the "
                "second layout, \"your page's title is 'About | Bookshop': the shop's name did not come from "
                "the layout\". Hints 1 and 3.",
            ),
            (
                "4.1",
                "Writes `{{ super }}` without brackets, or replaces the footer instead of extending it.",
                "The title shows `BlockReference object`; \"the footer reads 'Closed on Mondays.': the "
                "layout's own line ... is gone\". `super` is a function: call it.",
            ),
            (
                "4.2",
                "Numbers with `forloop.counter` or `loop.counter`, or counts with `{% set %}`.",
                "\"'forloop' is undefined\", \"the numbers printed as nothing\", or \"every item is numbered "
                "1\". Hint 1: `loop.index`.",
            ),
            (
                "4.2",
                "Writes `1 items`, shows `0 items` for an empty basket, or adds `|safe`.",
                "The check renders 1 and 0 items and names what it saw (\"['1 items']\", \"['0 items', 'Your "
                "basket is empty.']\"); an item `<em>Jam</em>` \"reached the page as markup\".",
            ),
            (
                "4.3",
                "Splits on `\" \"`, or forgets `.upper()`.",
                "\"the filter fails on '  alan   turing ' with `IndexError`\"; \"not capitals\". Hint 2 "
                "explains `split()` against `split(\" \")`.",
            ),
            (
                "4.4",
                "Escapes the name with `markupsafe.escape`, or strips `{{`, and still adds it to the "
                "template's source.",
                "The check also sends `{% for n in range(3) %}ha{% endfor %}`: \"the name ran as template "
                "code\". Hint 3: escaping leaves `{{` and `{%` alone.",
            ),
            (
                "4.5",
                "Returns a `str` with the tags, wraps the whole result in `Markup`, or escapes first and "
                "replaces afterwards.",
                "\"the `<mark>` tags arrived as text\"; \"the visitor's `<script>` tag reached the page "
                "alive\"; \"a `<mark>` landed inside an entity such as `&lt;`\" (the term `lt`). Hint 2: "
                "`Markup(...).join(pieces)` escapes each piece.",
            ),
            (
                "Macros",
                "Uses a page variable inside an imported macro and gets an empty string.",
                "An imported macro sees its arguments and the globals (`url_for`, `request`, ...), not "
                "the page's variables: pass what it needs as arguments.",
            ),
        ],
        "questions": [
            (
                "Which is escaped: `{{ comment }}` in `page.html`, the same in `page.txt`, or "
                "`{{ comment|safe }}`?",
                "Only the first. Flask autoescapes `.html`, `.htm`, `.xml`, `.xhtml` and `.svg` "
                "templates and template strings; `|safe` turns escaping off.",
            ),
            (
                "Why does escaping a visitor's text first not fix template injection?",
                "Escaping changes `<`, `>`, `&` and quotes, not `{{` or `{%`, which Jinja still runs. The "
                "fix is a constant template with the input passed as a variable.",
            ),
            (
                "In a child template, what happens to text before `{% extends %}`, and to text after it "
                "outside every block?",
                "Text before is printed, ahead of the layout; text after it outside blocks is dropped. "
                "Blocks fill the layout's holes, and `super()` keeps the layout's own content.",
            ),
        ],
    },
    5: {
        "mistakes": [
            (
                "5.1",
                "Keeps `DataRequired` on `capacity`, or puts `InputRequired` on `room`.",
                "\"a closed room ({'room': 'Lab', 'capacity': '0'}) should be valid, but the form says "
                "{'capacity': ['This field is required.']}\" (0 is falsy), or \"a room name of only spaces "
                "is accepted\". Hints 1 and 2 say which validator is for which.",
            ),
            (
                "5.1",
                "Leaves `InputRequired` off `capacity` because `NumberRange` already refuses a missing one.",
                "\"a missing capacity gets ['Number must be between 0 and 500.'], and the field has no "
                "`required` flag\": the message misleads the user and the browser cannot help.",
            ),
            (
                "5.2",
                "Returns `False` from the validator, or raises `ValueError`.",
                "\"'admin' is accepted: the form shows no error for it\", or \"`validate()` crashed with "
                "`ValueError`\". Hints 1 and 3: raise `ValidationError`.",
            ),
            (
                "5.2",
                "Compares the name as typed, or refuses every name that contains a reserved one.",
                "\"'Admin' is accepted\", \"' root ' is accepted\", or \"'administrator' is refused\". "
                "Hint 2: `field.data.strip().lower() in RESERVED`.",
            ),
            (
                "5.3",
                "Redirects with the default code (302 in Flask 3.1; from 3.2 the default is 303, which "
                "passes), or redirects an invalid POST as well.",
                "\"a valid POST ... answered 302 FOUND; expected 303 See Other\", and \"an empty note "
                "answered 303 SEE OTHER; expected 422 with the form again\" (Werkzeug 3.2 writes the "
                "reason phrases in title case: 303 See Other).",
            ),
            (
                "5.4",
                "Switches CSRF on in `Meta` but creates the form without `meta={\"csrf_context\": session}`, "
                "or forgets to render the token.",
                "\"`GET /notes` crashed ... `TypeError: Must provide a session-like object as csrf "
                "context`\", or \"a form that has no `csrf_token` field\". Hint 2 lists the three pieces.",
            ),
            (
                "5.4",
                "Answers a bad token with the 422 page, or hands every visitor one shared dict as the "
                "CSRF context.",
                "\"a POST with no csrf_token answered 422\"; with a shared dict, \"a POST with a token from "
                "another visitor's page answered 303 SEE OTHER and saved ['copied']\". Hint 4 says why.",
            ),
            (
                "What goes wrong",
                "Trusts `request.form[\"seats\"]` and its 400.",
                "The 400 does not say which field is missing, nothing is converted or checked, and the "
                "form and what was typed are lost: the reasons to use WTForms.",
            ),
        ],
        "questions": [
            (
                "Why does a valid POST answer 303 instead of rendering the page?",
                "So that the page on screen came from a GET: reloading it repeats the GET, and nothing "
                "is posted twice.",
            ),
            (
                "Another site makes your browser post to your app, cookies included. What stops it?",
                "A CSRF token bound to the session, sent in a hidden field. The other site cannot read "
                "your page, so it cannot know the token; a token copied from the attacker's own session "
                "fails in the victim's.",
            ),
            (
                "When do you choose `InputRequired` over `DataRequired`?",
                "For numbers and choices where `0` or another falsy value is a real answer; "
                "`DataRequired` judges the converted value.",
            ),
        ],
    },
    6: {
        "mistakes": [
            (
                "6.1",
                "Gives an `expires` date instead of `max_age`, or leaves out the flags.",
                "The check reads the `Set-Cookie` header and quotes it: \"has no Max-Age\", \"an Expires "
                "date but no Max-Age\", \"not HttpOnly\", or the SameSite value it found.",
            ),
            (
                "6.1",
                "Prints the cookie (or the code from the URL) straight into the answer.",
                "The check sends its own cookie `lang=<img src=x onerror=alert(1)>` and asks for "
                "`/lang/<img ...>`: \"the cookie came back as markup\". A cookie is input; check it "
                "against `LANGUAGES` (hints 2 and 3).",
            ),
            (
                "6.2",
                "Keeps the leaked key as a fallback, or picks a short new key by hand.",
                "\"a cookie signed with KEY_A, the leaked key (count 5), was accepted\", or \"the new "
                "SECRET_KEY is 15 characters long\". A fallback is for a planned change, never a leak.",
            ),
            (
                "6.3",
                "Changes the dict inside the session and expects it saved.",
                "\"only theme=dark was kept\": the session did not see the change, so no new cookie was "
                "sent. Hint 2: `session.modified = True`.",
            ),
            (
                "6.4",
                "Leaves out `@wraps(view)`, reads `session[\"user\"]`, or trusts a cookie of its own.",
                "\"Flask refused the second decorated view ... wrapper\", \"crashed ... KeyError: 'user'\", "
                "or \"`GET /notes` with a plain cookie user=ada answered 200 OK and the view ran\".",
            ),
            (
                "6.5",
                "Appends to the list in the session without telling it, or builds the `<li>` items with an "
                "f-string.",
                "\"`GET /search` with no q lists only ['dune']\" (the lost update of 6.3 again), or "
                "\"came back in the page as a live `<script>` tag\". A module-level list shows up as "
                "\"another visitor ... sees\" the first visitor's searches.",
            ),
            (
                "What is inside the session cookie",
                "Believes the session is kept on the server, or that the secret key encrypts it.",
                "The chapter decodes a real cookie: the data is in the cookie, readable by anyone, and "
                "only signed.",
            ),
        ],
        "questions": [
            (
                "Can a user read what your app put in their session? Can they change it?",
                "Read it, yes: it is base64 JSON. Change it, no: without the key the signature fails "
                "and the app sees an empty session.",
            ),
            (
                "A cookie has `SameSite=Lax`. Another site links to your `GET /delete/7`. Is the cookie "
                "sent?",
                "Yes: every cross-site top-level GET navigation (a link, a GET form, a redirect) sends a "
                "Lax cookie. Lax stops other sites' POSTs and background requests; GET must not change "
                "state.",
            ),
            (
                "When is keeping session data on the server worth it?",
                "When it is secret, large (a cookie holds about 4 KB) or must be revocable; the price is "
                "a store that every server process shares.",
            ),
        ],
    },
    7: {
        "mistakes": [
            (
                "7.1",
                "Reads `book.author` in the loop without a join, or joins without selecting `Author`.",
                "The page is right, and still: \"one call of `page_of_books(2, 4)` ran 5 queries\". Hint 2: "
                "`Book.select(Book, Author).join(Author)`.",
            ),
            (
                "7.1",
                "Counts pages from 0, or sorts oldest first.",
                "\"returned [...]: the books of page 1\", or \"counted from the oldest book, or in the wrong "
                "order\".",
            ),
            (
                "7.2",
                "Swaps the pasted list for `LIKE ?` or `.contains()`, one name at a time.",
                "No injection, but \"`find_authors(['%'])` returned every author\" or \"`find_authors([''])` "
                "returned every author\": a pattern is not an exact name (hint 3).",
            ),
            (
                "7.2",
                "Keeps pasting the names and doubles or strips the quotes.",
                "Stripping loses \"Niamh O'Connell\"; doubling happens to work in SQLite, and the check says "
                "\"the name is still part of the SQL text\". Each database escapes differently: parameters "
                "are the rule.",
            ),
            (
                "7.3",
                "Wraps only the books in `with db.atomic():`, or catches the `IntegrityError` inside it.",
                "\"... is still in the database with 0 book(s)\" (the author was committed on its own), or "
                "\"with 2 book(s), and the call returned normally\" (the block ended normally, so it committed).",
            ),
            (
                "7.4",
                "Keeps `Author.get_by_id`, returns the error dict without a status, or uses `abort(404)`.",
                "\"crashed ... AuthorDoesNotExist\", \"answered 200 OK\", or \"answered 404 as text/html\". "
                "Hints 1 to 3.",
            ),
            (
                "7.5",
                "Puts the `try` inside `with db.atomic():`, or lets the `IntegrityError` escape.",
                "\"answered 409 CONFLICT, and 'Import Check Author' is still in the database with 1 book(s)\", "
                "or \"crashed ... IntegrityError\". Hint 2: the `try` goes around the block.",
            ),
            (
                "7.5",
                "Replaces `FlaskDB` with a hook that calls `db.connect(reuse_if_open=True)` and no teardown.",
                "\"the database connection of this thread is still open\": the chapter's advice (a strict "
                "`connect()` and a `teardown_request` that closes) in action.",
            ),
            (
                "The test-client trap",
                "Leaves a connection open in a cell, then calls the test client: \"Connection already "
                "opened\".",
                "The test client runs in the notebook's thread. Use `with db.connection_context():` in "
                "cells and call the client outside it.",
            ),
        ],
        "questions": [
            (
                "Why did the `:memory:` database have no tables when the server answered?",
                "Peewee keeps one connection per thread, and an in-memory database belongs to one "
                "connection: each server thread got a new, empty database.",
            ),
            (
                "A search sends `%` as a query parameter to `LIKE ?`. Is that an injection? What comes back?",
                "No injection, the SQL is fixed; but `%` is a wildcard inside the pattern, so every row "
                "matches. Exact lookups use `==`; Peewee's `contains` escapes `%` and `_`.",
            ),
            (
                "What changes in your code when you move from SQLite to PostgreSQL?",
                "The URL and the installed driver. Models and views stay; SQLite pragmas and "
                "hand-written `?` placeholders need a look.",
            ),
        ],
    },
    8: {
        "mistakes": [
            (
                "8.1",
                "Reads `request.files[\"photos\"]`, or counts the empty part a browser sends for an unused picker.",
                "The check names what it saw: \"three files were sent in `photos` and only the first came "
                "back\", \"the empty part was counted as a file\". Hint 2: `getlist`, and an empty "
                "`FileStorage` is false.",
            ),
            (
                "8.1",
                "Reports `photo.content_length` as the size.",
                "\"three files of 3, 144 and 6 bytes were sent; the answer gave ... 0\". A part's own "
                "headers rarely state a length: count the bytes read (hint 3).",
            ),
            (
                "8.2",
                "Compares with the text `\"GIF89a\"`, looks for it anywhere, or tests only `GIF`.",
                "Each case names itself: \"an HTML file with `GIF89a` in its text, not as its very first "
                "bytes, was accepted\", \"a file starting `GIF88a` was accepted\".",
            ),
            (
                "8.3",
                "Asks `exists()` first and saves second.",
                "The check plants a link that points outside the folder where `exists()` cannot see it: "
                "\"the upload was written through the link, outside the folder\". This is the moment "
                "to explain check-then-act races; hint 3 says it.",
            ),
            (
                "8.4",
                "Tests `request.content_length` in a `before_request` hook.",
                "\"a 5,000-byte chunked body (no Content-Length header) answered 200\": a chunked body "
                "has no length to test. `MAX_CONTENT_LENGTH` is enforced as the body is read.",
            ),
            (
                "8.5",
                "Builds the form from `request.form`, or forgets the form sent without `enctype`.",
                "\"a PNG was sent, and the form answered 'Choose a photo.'\", or \"a form sent without "
                "`enctype` ... crashed\": `field.data` is then a `str`. Hint 4.",
            ),
            (
                "8.6",
                "Stores the file under the name the client sent, or reads the bytes and then calls `save()`.",
                "\"two uploads named me.png were stored as ... the stored name came from the client\"; "
                "after a `read()`, `save()` copies from the end of the stream and the served file is "
                "empty (\"... 0 bytes, not the PNG that was sent\").",
            ),
            (
                "What a form sends, with and without `enctype`",
                "Writes a file input in a form without `enctype=\"multipart/form-data\"`.",
                "The chapter sends both forms: without it only the file's name arrives, as a text "
                "field, and `request.files` is empty.",
            ),
        ],
        "questions": [
            (
                "An upload arrives as `photo.png` with `Content-Type: image/png`. What of that can "
                "you trust?",
                "Nothing: name, extension and type are the client's claims. Check the first bytes, and "
                "serve files back with `nosniff` (and as attachments).",
            ),
            (
                "Why store the file under a name the server makes up, and keep the user's name in the "
                "database?",
                "Two uploads with one name cannot clash, no path trick reaches the disk, and the user "
                "still sees (and downloads) their own name.",
            ),
            (
                "Where must a size limit also be set, and why?",
                "In the production server or proxy as well: Flask answers 413 only when it reads the "
                "body, and the client's bytes are still sent.",
            ),
        ],
    },
    9: {
        "mistakes": [
            (
                "9.1",
                "Logs out and asserts nothing afterwards.",
                "The check runs the test against an app whose logout is broken: \"Your test passed "
                "against a broken app ... After the logout, assert that `\"user_id\"` is not in the "
                "session\".",
            ),
            (
                "9.1",
                "Calls the test (`test_x(client)`) or names it without `test`.",
                "\"pass your test function itself (its name, no parentheses)\", and \"pytest only "
                "collects functions whose names start with `test`\".",
            ),
            (
                "9.2",
                "Uses the `client` fixture, whose app has CSRF off, or logs in through the form.",
                "\"Your test never turns CSRF on ... `make_app(CSRF_ENABLED=True)`\", and \"with CSRF "
                "on the login form needs a token too. Log in through the session\".",
            ),
            (
                "9.3",
                "Sends the file name as a plain string in `data`.",
                "\"The app answered 400 because no file arrived, not because of its name ... A file in "
                "`data` is a `(file object, file name)` tuple\".",
            ),
            (
                "9.4",
                "Checks only the command's printed message, or types the password once.",
                "\"Your test passed against a broken command that prints \"Added grace.\" but stores a "
                "password nobody can log in with\"; typing it once gives \"did not finish: Aborted!\". "
                "Hints 2 and 3 say what to do.",
            ),
            (
                "9.5",
                "Never makes the second user, or uploads to a note number that does not exist.",
                "A `sess[\"user_id\"] = 2` with no user 2 is no login at all: \"Your test fails against the "
                "working app\". Uploading to note 2 gets 404 from both apps: \"passed against a broken app\". "
                "Ask the learner what the mutant changed, then which request reaches that line.",
            ),
            (
                "The app, built by a factory",
                "Imports one module-level `app` into every test.",
                "Settings and stored rows leak from one test into the next; the factory builds each "
                "test its own app and throwaway database.",
            ),
        ],
        "questions": [
            (
                "Why does each test build its own app instead of importing one?",
                "Each gets its own configuration and SQLite file, so nothing one test stores or "
                "changes reaches another.",
            ),
            (
                "Coverage says 100 %. Is the app well tested?",
                "Not necessarily: coverage says a line ran, not that a test checked what it did. A test "
                "without an `assert` covers lines too.",
            ),
            (
                "How do you know a test would catch the bug it is written for?",
                "Break the app on purpose and watch that test fail, as the chapter and the exercise "
                "checks do.",
            ),
        ],
    },
    10: {
        "mistakes": [
            (
                "10.1",
                "Passes the number of workers as an `int`, computes it from `os.cpu_count()`, or binds "
                "to every interface.",
                "The check reads the list with Gunicorn's own parser and names the slip: \"Numbers must "
                "be strings: `str(5)`\", \"With 1 core the command starts 5 workers\", or \"listen on "
                "loopback only, `--bind 127.0.0.1:8000`\".",
            ),
            (
                "10.2",
                "Calls `from_prefixed_env()` without a prefix, or loads `ShopConfig` after the "
                "environment.",
                "\"`SHOP_PAGE_SIZE=50` was ignored ... the default prefix is `FLASK`\", and \"overwritten "
                "by the default 20: load `ShopConfig` first ... the later call wins\".",
            ),
            (
                "10.3",
                "Sets every `x_...` argument to 1, or wraps `proxied_app` itself.",
                "\"`url_for` now starts with `/forged`, a prefix the client made up\", and \"`proxied_app` "
                "is no longer a Flask app. Wrap the WSGI app inside it\".",
            ),
            (
                "10.4",
                "Replaces the random key with a constant written in the code.",
                "Sessions then survive, but the check changes `FLASK_SECRET_KEY` and says the instances "
                "\"kept one key written in the code\".",
            ),
            (
                "10.4",
                "Reads the key with a fallback: `os.environ.get(\"FLASK_SECRET_KEY\", \"dev\")`.",
                "\"an instance started without `FLASK_SECRET_KEY` started anyway, signing with 'dev'\". "
                "Ask who else knows that key: everyone who read the code, and chapter 11 forges a session "
                "with such a key.",
            ),
            (
                "10.5",
                "Hard-codes `x_for=1`, or forgets a default for `PROXIES` and gets a `KeyError` on a laptop.",
                "The check starts the factory with no `FLASK_PROXIES`, with 0, 1 and 2, and names the case "
                "that showed the wrong client (\"with FLASK_PROXIES=2, ... showed ...\").",
            ),
            (
                "Starting a server from the notebook, and always stopping it",
                "Starts Gunicorn from a terminal or with a bare `Popen`, and forgets it: the next start "
                "finds the port taken, or the old server answers with old code.",
                "`served_by` stops the process in `finally`, even when the stop button interrupts the "
                "cell; in a terminal, Ctrl+C stops Gunicorn and its workers.",
            ),
            (
                "Measure: the development server against production servers",
                "Reads the numbers as each server's real capacity, or expects the same order on every "
                "run.",
                "The load generator shares the machine's cores with the servers. Only the comparison "
                "means something, and the chapter asserts only that a production server beat the "
                "development server.",
            ),
        ],
        "questions": [
            (
                "A small internal site runs on `flask run` and has ten users. What goes wrong first?",
                "Not speed: one crash, or one hung request, and nothing restarts or times it out; and "
                "anyone who turns on `--debug` opens the debugger's console to whoever can reach it.",
            ),
            (
                "Why does `ProxyFix(x_for=1)` take the last address of `X-Forwarded-For`, and when is "
                "that a hole?",
                "The last address is the one the proxy added; the others came from the client. It is "
                "a hole when a client can reach the app without the proxy, or when `x_for` counts more "
                "proxies than there are.",
            ),
            (
                "The app goes from one container to three. What breaks?",
                "Whatever lives in one process or on one disk: a key made at start-up, sessions in a "
                "folder, an SQLite file, an in-memory cache. Share the key; move the rest to a shared "
                "store or a database server.",
            ),
        ],
    },
    11: {
        "mistakes": [
            (
                "11.1",
                "Tries `ORDER BY ?` with the column name as a parameter.",
                "\"`sorted_titles(db, 'title')` returned the titles in the order they were added\": a "
                "parameter stands for a value, never a column or `DESC`, so SQLite sorts by one constant "
                "string. Hint 3.",
            ),
            (
                "11.1",
                "Adds `\"title\"` to the starter's dict but keeps `.get(sort, sort)`, or adds a deny list "
                "of `;`, `--`, `DROP`.",
                "\"an attacker's `CASE WHEN (SELECT substr(secret, 1, 1) FROM vault) = 'h' ...` was run as "
                "the sort order\", with the two orders it returned. The fallback to the raw input is the "
                "hole; only text from the dict may reach the SQL.",
            ),
            (
                "11.2",
                "Quotes the box's `value` and leaves the link as `href=/search?q={{ q }}&page=2`.",
                "The `<a>` gains `onfocus`; quoted, it still breaks on `fish & chips` (\"the Next page link "
                "... asks for {'q': 'fish ', ...}\"). HTML escaping is not URL encoding: `url_for('search', "
                "q=q, page=2)` (hint 3).",
            ),
            (
                "11.2",
                "Removes spaces from the query (`|replace(\" \", \"\")`) instead of quoting.",
                "The check sends tabs: \"(a query with tabs instead of spaces) gave the page `onfocus` on "
                "`<input>`\". An unquoted value ends at any whitespace; quotes are the fix.",
            ),
            (
                "11.3",
                "Escapes first, then replaces `\"\\n\"` with the plain string `\"<br>\"`.",
                "\"the `<br>` tag itself was escaped to `&lt;br&gt;`\": a `Markup` method escapes a plain "
                "string argument. `Markup(\"<br>\")` (hint 2).",
            ),
            (
                "11.3",
                "Strips `<script>` tags from the text and keeps `Markup(...)` around it.",
                "The check's first attack is `<img src=x onerror=alert(1)>`: \"the page holds a real `<img` "
                "tag\". A deny list of tags never ends; escape everything the guest typed.",
            ),
            (
                "11.4",
                "Copies the board's `URL()` validator.",
                "\"the honest link '/notes/3' was refused\": this board also allows its own paths, and only "
                "trusted hosts. Two kinds of good link, each tested on its own (hint 1).",
            ),
            (
                "11.4",
                "Checks that the host is trusted (`urlsplit(link).hostname in TRUSTED_HOSTS`) and forgets "
                "the scheme, or tests hosts with `endswith`, `in` or `netloc`.",
                "\"the link 'javascript://example.org/%0Aalert(1)' was accepted: its host is trusted, but "
                "... `alert(1)` runs\"; then `https://evilexample.org/`, `https://example.org@evil.example/` "
                "and the backslash before `@` (hint 3: scheme **and** `hostname`, no backslash).",
            ),
            (
                "11.5",
                "Adds the `class Meta` and the 400 but forgets `{{ form.csrf_token }}` in the template.",
                "\"`GET /email` shows a form with no hidden `csrf_token` field, so an honest visitor has no "
                "token to send\".",
            ),
            (
                "11.5",
                "Lets a failed validation fall through to the page, or builds the form with a "
                "`csrf_context` dict shared by every visitor.",
                "\"a POST with no token answered 422 ... the task asks for 400\" (hint 3), or \"a token that "
                "another visitor's page carried was accepted\" (hint 4: the context is this visitor's "
                "`session`).",
            ),
            (
                "11.6",
                "Reads `environ[\"SECRET_KEY\"]`, returns `None`, or falls back to `secrets.token_hex()`.",
                "\"raised `KeyError`\", \"returned None\", or \"a key that is not in the environment, and "
                "... another the next time: every worker and every restart would sign with another key\" "
                "(chapter 10's 10.4). Hint 2: no default of any kind.",
            ),
            (
                "11.6",
                "Tests `len(key) <= 32`.",
                "\"a key of exactly 32 characters was refused\": the capstone accepts 32, as the task says.",
            ),
            (
                "11.7",
                "Joins and normalises the path, then tests `path.startswith(str(folder))`.",
                "\"`GET /reports/../reports-private/plan` ... answered 200 OK with ... 'PRIVATE: the merger "
                "plan'\": a string prefix is not a folder. `safe_join`, or `resolve()` and `is_relative_to` "
                "on both sides (hints 2 and 3).",
            ),
            (
                "11.7",
                "Reaches for `send_from_directory`, as the board does, or resolves the report's path but "
                "not the folder.",
                "`send_from_directory` sends the file, and the task wants its text in JSON (the task says "
                "so). Resolving one side only: \"`GET /reports/q1` answered 404 ... (the folder given as "
                "..., a path through a symbolic link)\".",
            ),
            (
                "11.8",
                "Checks only `target.startswith(\"/\")`, or only that `urlsplit` finds no scheme and no "
                "host.",
                "\"next='//evil.example/login' ... answered 303 SEE OTHER to '//evil.example/login'\"; the "
                "urlsplit version fails on `///evil.example` and on `/\\evil.example` (hint 2).",
            ),
            (
                "11.8",
                "Answers a wrong password with 401, or decodes `next` with `unquote` before redirecting.",
                "\"answered 401 without a `WWW-Authenticate` header, which RFC 9110 requires\" (hint 3: "
                "422), or \"'/reports/a/b' (decoded a second time)\": Flask has already decoded the query.",
            ),
            (
                "11.9",
                "Makes the nonce once, when the app starts, or with `token_hex(4)`.",
                "\"two responses carried the same nonce ...: anyone who has seen it once can put it on an "
                "injected script\", or \"holds at most about 32 bits\". Hint 2: make it in `before_request`, "
                "`secrets.token_urlsafe(16)`.",
            ),
            (
                "11.9",
                "Puts the nonce in the policy and forgets the page's `<script nonce=...>`, or writes "
                "`nonce-...` without quotes.",
                "\"the page's own script carries the nonce None: the browser would block it\", or \"without "
                "its quotes, `nonce-...` is no nonce to a browser\". Templates can read `g` (hint 1).",
            ),
            (
                "Input validation, and the link that escaping misses",
                "Expects the fixed board to be clean once `URL()` refuses `javascript:` links.",
                "The links Mallory stored before the fix are still on the page: validation guards the door "
                "and cleans nothing inside. The next cell finds them with the same rule and deletes them.",
            ),
            (
                "Where secrets live",
                "Rotates a leaked key by moving it to `SECRET_KEY_FALLBACKS`, so nobody is logged out.",
                "The cell after the list: a cookie Mallory signed with the leaked `\"dev\"` still opens the "
                "admin page (200). A leaked key is replaced outright; everyone logs in again.",
            ),
            (
                "Going deeper: what the debugger PIN protects, and what it does not",
                "Believes the PIN makes `DEBUG` safe on a server.",
                "It guards only the console, not the traceback page; it comes from facts about the machine "
                "(prediction 11.f: the same PIN for an unrelated app); `WERKZEUG_DEBUG_PIN=off` removes it.",
            ),
        ],
        "questions": [
            (
                "After the fixes, Mallory's old `<script>` notes are harmless but her old `javascript:` "
                "links are still on the page. Why the difference?",
                "Escaping happens on the way out, so it protects stored data too; validation happens on "
                "the way in and cleans nothing already stored. Find the bad rows with the same rule, and "
                "let a Content Security Policy be the second line.",
            ),
            (
                "Autoescaping was on, and `x onfocus=alert(1) autofocus` still ran (prediction 11.b). "
                "What does escaping protect, and what does it not?",
                "It turns the five characters that end text or a quoted value into entities; a value "
                "without quotes ends at a space, which escaping leaves alone. Quote every attribute, and "
                "encode what goes into a URL (`url_for`), which is a third context again.",
            ),
            (
                "Mallory's forged cookie got a 403 from the fixed board, not a 400 (prediction 11.d). Is "
                "that a problem?",
                "No: Flask treats a cookie it cannot verify as an empty session, silently, so the visitor "
                "is simply not logged in. It does mean nothing is logged: a server that wants to notice "
                "forgeries must look for them itself.",
            ),
        ],
    },
    12: {
        "mistakes": [
            (
                "12.1",
                "Puts `@login_required` above `@mine.get(...)`, or forgets it.",
                "\"a visitor who is not logged in got the page (200)\". Hint 2: decorators apply from the "
                "bottom up, so the route must wrap the already protected view.",
            ),
            (
                "12.1",
                "Lists every note on the board instead of the member's own.",
                "\"ada's page shows grace's note: keep only the notes of `g.user`\"; `g.user` is set by the "
                "`auth` blueprint before every request.",
            ),
            (
                "12.2",
                "Returns `False` from `validate_title`, or compares titles exactly.",
                "\"A validator refuses by raising `ValidationError`; returning `False` does nothing\", then "
                "\"`SHOPPING list` was accepted ... compare ignoring case\" (hint 2: `fn.LOWER`).",
            ),
            (
                "12.3",
                "Returns `model_to_dict(user)`, or looks the user up with `User.get`.",
                "\"the answer for ada contains her password hash!\", then \"`User.get(...)` raised "
                "`DoesNotExist` (a 500 for the client)\": `get_or_none` and `abort(404, ...)`.",
            ),
            (
                "12.4",
                "Posts the form without its CSRF token and asserts only that it was refused.",
                "The check runs the test against an app that trusts file names: \"Against the real app "
                "your POST got 400: it carried no CSRF token, so the file was never checked\".",
            ),
            (
                "The database",
                "Runs `Note.select()` in a cell and gets \"The Noteboard models need an app\".",
                "The models find their database through `current_app`, so that every app has its own "
                "(the cell with `first` and `second`): wrap the query in `with app.app_context(), "
                "db.connection_context():`.",
            ),
            (
                "Defending the login",
                "Re-runs the login cells many times and gets 429 Too Many Requests.",
                "That is the login limit at work (20 attempts per address in 15 minutes). Re-running the "
                "cell that creates the app starts from an empty data folder, counters included.",
            ),
            (
                "Under a production server",
                "Starts Gunicorn from a shell (`Popen(..., shell=True)`) or forgets `wait()`.",
                "Killing the shell orphans Gunicorn; the chapter's context manager starts the server "
                "itself and always calls `terminate()` and `wait()`.",
            ),
        ],
        "questions": [
            (
                "Why is the capstone a package and not a notebook cell?",
                "A cell cannot be imported: the tests, the notebook and Gunicorn each import "
                "`noteboard` and call `create_app`, each in its own process if need be.",
            ),
            (
                "Ada logged in on the development server. Why is she still logged in under Gunicorn "
                "and Waitress?",
                "The session lives in the cookie, which is not tied to a port, and every server signs "
                "with the same `SECRET_KEY`; the notes come from the same database file.",
            ),
            (
                "Why does Noteboard count login attempts in an SQLite file and not in memory?",
                "Gunicorn runs two worker processes, and memory is per process: each would count on its "
                "own and let twice the attempts through. Every process opens the same file.",
            ),
            (
                "Why does the app, not the `api` blueprint, decide when an error is JSON?",
                "A URL that matches no route belongs to no blueprint, so a blueprint's handler never "
                "sees its 404; the app's handler looks at the path.",
            ),
        ],
    },
}
