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
                "Stops it with `stop_all()`.",
                "It passes, but hint 2 says why `practice.stop()` is better: `stop_all()` stops `server` "
                "as well.",
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
                "Why does running `serve(app)` twice not leave two servers behind?",
                "A server has a name, by default the app's; serving under a name that is running stops "
                "the old server first, so no stale copy answers on another port.",
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
                "Returns the body itself (`\"Hello from WSGI\"` or `b\"...\"`), or forgets `start_response`.",
                "\"the app returned the body itself; return a list holding it\", \"the body holds a `str`; "
                "WSGI bodies are bytes\", or \"the app returned without calling `start_response`\".",
            ),
            (
                "1.3",
                "Returns a string that looks like JSON, or writes `\"micro\": \"true\"`.",
                "\"the answer is 'text/html; charset=utf-8', not JSON. Return a dict instead of a "
                "string.\" For the quoted value: \"true is a boolean, not a string\".",
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
                "Checks the text inside the view (`isdigit`, `try: int(n)`) and `abort(404)` there.",
                "The answers come out right, and the check still says: \"the rule still lets any text "
                "through to the view ... Let the rule refuse it instead: `<int(max=1000):n>`.\"",
            ),
            (
                "2.1",
                "Uses `<int:n>` and forgets the upper limit.",
                "\"`GET /square/1001` answers 200 OK; it should be 404 Not Found. Give the converter a "
                "limit: `<int(max=1000):n>`.\"",
            ),
            (
                "2.2",
                "Lets `date.fromisoformat` raise `ValueError` for `2024-02-30`, or registers the converter "
                "after the route.",
                "The check reports the crash as the 500 a visitor would get (hint 3: catch it and "
                "`raise ValidationError()`), or \"there is no converter named \"isodate\": add it ... "
                "before the route\".",
            ),
            (
                "2.2",
                "Returns the date itself from `to_url`.",
                "\"`to_url` gets the date and must return text, such as `value.isoformat()`.\"",
            ),
            (
                "2.3",
                "Types `/shop/items/3`, or calls `url_for(\"item\")` without the blueprint's name.",
                "The check mounts the blueprint under other prefixes: \"A typed URL cannot know the "
                "prefix; `url_for` does.\" Hint 1: the endpoint is `shop.item`, or `.item` inside it.",
            ),
            (
                "2.4",
                "Switches to POST but keeps reading `request.args`, or uses `request.form.get`.",
                "\"The field is in the body: read it with `request.form[\"email\"]`\"; with `.get` a "
                "POST without `email` answers 200, and the check asks for the 400 that `[...]` gives.",
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
                "Adds the two values as they come, or converts with `int(...)`.",
                "\"`/add?a=2&b=3` gives `{\"sum\": \"23\"}`: the values are still strings\"; `int` "
                "on `two` crashes into a 500. Hint 2: `request.args.get(\"a\", type=int)`.",
            ),
            (
                "3.1",
                "Tests for a missing value with `if not a`, or answers a bare `abort(400)`.",
                "\"0 is a whole number too ... Test for a missing value with `is None`\"; \"Say what is "
                "wrong: `abort(400, description=\"...\")`.\"",
            ),
            (
                "3.2",
                "Validates after `notes.append(...)`, or forgets that spaces are not text.",
                "\"a POST that was refused with 400 still stored a note; check the text before "
                "appending\", and for spaces: \"Strip the text first\".",
            ),
            (
                "3.3",
                "Returns the error dict without a status, or uses `abort(401)`.",
                "\"answers the error JSON, but with status 200 OK\", and \"`abort(401)` would answer "
                "HTML\".",
            ),
            (
                "3.4",
                "Returns `{...}, error.code` from the handler.",
                "Status and body are right, but \"the 405 answer lost its `Allow` header. Build the "
                "response from `error.get_response()`\".",
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
                "Why does `g` not count visits?",
                "Every request gets its own app context and a new, empty `g`. Data that outlives a "
                "request goes into the session or a database.",
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
                "Puts the heading outside any block, or types `Bookshop` into the title.",
                "\"In a child template only what is inside a block reaches the page\"; \"Take it from the "
                "layout with `{{ super() }}`\" (and \"`super` is a function, so call it\").",
            ),
            (
                "4.2",
                "Numbers with `forloop.counter` or `loop.counter`, or counts with `{% set %}`.",
                "\"the name you used is undefined, and Jinja prints an undefined value as an empty "
                "string\"; \"A variable changed with `{% set %}` inside a loop starts afresh on each "
                "pass\". Use `loop.index`.",
            ),
            (
                "4.2",
                "Forgets the empty basket, or adds `|safe` to make the list look right.",
                "\"Add an `{% else %}` branch to the loop\", and \"`&` came out unescaped: leave "
                "autoescaping alone\".",
            ),
            (
                "4.3",
                "Splits on `\" \"`, or forgets `.upper()`.",
                "\"`name.split(\" \")` leaves empty strings between spaces, `name.split()` does not\"; "
                "\"the initials must be capitals\".",
            ),
            (
                "4.4",
                "Escapes the name with `markupsafe.escape` and still adds it to the template's source.",
                "\"`{{ 7*7 }}` came back as 49: the name is still part of the template's source ... Pass "
                "it as a variable\". Hint 3 says why escaping cannot help: it leaves `{{` alone.",
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
                "Escaping changes `<`, `>`, `&` and quotes, not `{{`, which Jinja still runs. The fix "
                "is a constant template with the input passed as a variable.",
            ),
            (
                "What do `extends`, `block` and `super()` each do?",
                "`extends` names the layout; each `block` fills one of its named holes; `super()` "
                "inside a block keeps the layout's own content for it.",
            ),
        ],
    },
    5: {
        "mistakes": [
            (
                "5.1",
                "Keeps `DataRequired` on `capacity`, or puts `InputRequired` on `room`.",
                "\"a closed room (capacity 0) should be valid, but the form says {'capacity': ['This field "
                "is required.']}\" (0 is falsy), or \"a room name of only spaces is accepted\". Hints 1 "
                "and 2 say which validator is for which.",
            ),
            (
                "5.2",
                "Returns `False` from the validator, or raises `ValueError`.",
                "\"Returning a value does nothing: raise `ValidationError`\"; a `ValueError` escapes "
                "`validate()`, and the check says to raise `ValidationError` instead.",
            ),
            (
                "5.2",
                "Compares the name as typed.",
                "\"'Admin' is accepted; compare in lower case so every spelling is refused.\"",
            ),
            (
                "5.3",
                "Redirects with the default code, or redirects an invalid POST as well.",
                "\"pass `code=303` to `redirect` so it says 'See Other'\", and \"an empty note is "
                "answered with a redirect: the user's text and the error are lost. Render the form "
                "again.\" (with 422).",
            ),
            (
                "5.4",
                "POSTs the answers alone, or GETs and POSTs with `requests` instead of the session.",
                "The check reports the server's words: \"'CSRF token missing.'\", or \"'CSRF failed.': "
                "the token belongs to another session. Send the GET and the POST through the same "
                "`http` session.\"",
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
                "your page, so it cannot know the token.",
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
                "Reads the cookie with `request.cookies[\"lang\"]`.",
                "\"a visitor without the cookie gets 400 Bad Request ... Use `request.cookies.get(\"lang"
                "\", \"en\")`.\"",
            ),
            (
                "6.1",
                "Gives an `expires` date instead of `max_age`, or leaves out the flags.",
                "The check reads the `Set-Cookie` header and names what is missing: Max-Age, "
                "\"not HttpOnly, so page scripts could read it\", or the SameSite value.",
            ),
            (
                "6.2",
                "Swaps the keys, or gives the fallback as a string.",
                "\"new cookies are not signed with NEW_KEY. `SECRET_KEY` signs\", and "
                "\"`SECRET_KEY_FALLBACKS` is a single string; it must be a list of keys\".",
            ),
            (
                "6.3",
                "Changes the dict inside the session and expects it saved.",
                "\"changing the dict inside the session does not mark the session as modified, so no new "
                "cookie is sent.\" Hint 2: `session.modified = True`.",
            ),
            (
                "6.4",
                "Leaves out `@wraps(view)`, or reads `session[\"user\"]`.",
                "\"Flask refused the second decorated view because both are named `wrapper`\", and "
                "\"`session[\"user\"]` raises KeyError when nobody is logged in\".",
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
                "You must replace `SECRET_KEY` today without logging anyone out. What do you set?",
                "`SECRET_KEY` to the new key and `SECRET_KEY_FALLBACKS` to `[old key]`; drop the old "
                "key once the longest session lifetime has passed.",
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
                "Reads `book.author` in the loop without a join.",
                "The page is right, and still: \"one call ran N queries: one for the books and one more "
                "for each `book.author`. Fetch the authors in the same query.\"",
            ),
            (
                "7.1",
                "Counts pages from 0, or sorts oldest first.",
                "\"pages are counted from 1\", and \"newest first is `order_by(Book.year.desc())`\".",
            ),
            (
                "7.2",
                "Keeps pasting the name into the SQL and only patches the apostrophe (strips it, say).",
                "The check sends an honest \"Niamh O'Connell\" and the crafted `' OR '1'='1`: a patched "
                "f-string loses the one or leaks every author (\"the text still becomes part of the SQL\"). "
                "Doubling quotes happens to work in SQLite, but each database escapes differently: "
                "parameters are the rule.",
            ),
            (
                "7.3",
                "Catches the `IntegrityError` inside `with db.atomic():`.",
                "\"the inserts before the failure were kept\" (the block ended normally, so it "
                "committed), and \"let the `IntegrityError` reach the caller\".",
            ),
            (
                "7.4",
                "Keeps `Author.get_by_id`, or returns the error dict without a status.",
                "\"raised `Author.DoesNotExist`, which the client would see as 500\"; hint 1 points to "
                "`get_or_none`, hint 2 to `return {...}, 404`.",
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
                "What does a query parameter do that escaping quotes yourself does not?",
                "It sends the value apart from the SQL text, so the database never parses it as SQL, "
                "whatever characters it holds.",
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
                "\"sorting by `'title'` did not sort ... `ORDER BY ?` with `'title'` as a parameter sorts "
                "by one constant string\": a parameter stands for a value, never a column or `DESC`.",
            ),
            (
                "11.1",
                "Adds `\"title\"` to the starter's dict but keeps `.get(sort, sort)`.",
                "\"an attacker's `CASE WHEN (SELECT ... FROM vault) ...` expression was accepted as the sort "
                "order\". Hint 2: the fallback to the raw input is the hole; raise `ValueError` for anything "
                "that is not one of the three words, before any SQL.",
            ),
            (
                "11.2",
                "Escapes the path, then pastes it into the template's source: "
                "`render_template_string(f\"... {escape(request.path)} ...\")`.",
                "\"`GET /{{7*7}}` showed the result of `7*7` ... server-side template injection (chapter 4). "
                "Keep the template a constant string and pass the path in as a variable\".",
            ),
            (
                "11.2",
                "Returns the escaped page without its status, or escapes with `html.escape` and again in "
                "the template.",
                "\"an unknown page must stay 404 Not Found\" (hint 3: `return page, 404`), and \"the path is "
                "escaped twice (`&amp;lt;`): escape it once\".",
            ),
            (
                "11.3",
                "Escapes first, then replaces `\"\\n\"` with the plain string `\"<br>\"`.",
                "\"your `<br>` came out as `&lt;br&gt;`: a `Markup` method escaped it. Replace with "
                "`Markup(\"<br>\")`\".",
            ),
            (
                "11.3",
                "Uses `html.escape(text).replace(...)`, which returns a plain `str`.",
                "\"`render_entry` returns a plain `str`, so the template escapes your `<br>` tags too. "
                "Return a `Markup` string.\"",
            ),
            (
                "11.4",
                "Extends the deny list: lower case, `strip()`, `data:`.",
                "The check tries more spellings, such as `java<TAB>script:`: \"A deny list of spellings "
                "never ends; accept only `http` and `https` addresses that have a host\" (`URL()`).",
            ),
            (
                "11.4",
                "Replaces `Optional()` with `URL()`.",
                "\"an empty link was refused ...; the link is optional. Put `Optional()` first.\"",
            ),
            (
                "11.5",
                "Adds the `class Meta` and the 400 but forgets `{{ form.csrf_token }}` in the template.",
                "\"the page has no hidden `csrf_token` field, so an honest visitor cannot send the form\".",
            ),
            (
                "11.5",
                "Lets a failed validation fall through to the page, as the starter does.",
                "The address stays put, but \"a POST with no token answered 200 OK; refuse it with 400 Bad "
                "Request\". Hint 3: when `form.errors` has a `\"csrf_token\"` key, `abort(400)`.",
            ),
            (
                "11.6",
                "Reads `environ[\"SECRET_KEY\"]`, or returns `None` when the key is missing.",
                "\"with no SECRET_KEY at all you raised KeyError; raise `RuntimeError`\", or \"... so "
                "the app would run with a guessable key\". Hint 2: raise, so the server refuses to start.",
            ),
            (
                "11.6",
                "Tests `len(key) <= 32`.",
                "\"a key of exactly 32 characters was refused; 32 or more must pass.\"",
            ),
            (
                "11.7",
                "Trusts the added `.txt`, or refuses `..` by hand and still calls `read_text()`.",
                "\"Adding `.txt` does not stop `..`; serve with `send_from_directory`\", and a missing "
                "report crashes: \"`GET /reports/q9` ... it should be 404\" (or `safe_join` and "
                "`abort(404)`).",
            ),
            (
                "11.8",
                "Checks only `target.startswith(\"/\")`.",
                "\"`safe_next('//evil.example/login')` returned ..., but browsers read `//host` as another "
                "site\"; then `/\\evil.example` and a tab after the `/` fail the same way (hint 2).",
            ),
            (
                "11.8",
                "Returns a fixed `\"/\"` instead of `fallback`, or decodes the target with `unquote`.",
                "\"use the `fallback` argument when the target is refused\"; the task: check the value as "
                "Flask hands it over and never decode it again after the check.",
            ),
            (
                "11.9",
                "Sends only `default-src 'self'`, or writes `self` without its quotes.",
                "\"`default-src` does not cover framing, so another site could still put your page in an "
                "invisible frame\", and \"`default-src 'self'` (quotes included)\".",
            ),
            (
                "11.9",
                "Sends `Strict-Transport-Security` on every response.",
                "\"a plain-HTTP response carries `Strict-Transport-Security`. RFC 6797 says to send it only "
                "over HTTPS ... wrap it in `if request.is_secure:`\".",
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
                "What the debugger PIN protects, and what it does not",
                "Believes the PIN makes `DEBUG` safe on a server.",
                "It guards only the console, not the traceback page; it comes from facts about the machine "
                "(the cell gets the same PIN for an unrelated app); `WERKZEUG_DEBUG_PIN=off` removes it.",
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
                "Mallory found the key `\"dev\"` from her own cookie. Why did the server never notice?",
                "The guessing is offline: a cookie verifies only with the key that signed it, so she tries "
                "words on her own machine. The fix is a `secrets.token_hex()` key from the environment, "
                "and an app that refuses to start without it.",
            ),
            (
                "Why is `DEBUG=True` on a server remote code execution, when the console asks for a PIN?",
                "The console runs any Python sent from a browser inside the server process; the PIN is "
                "derived from the user name, a module path, the MAC address and the machine id, readable "
                "through a hole such as the path traversal, and the Flask docs say not to rely on it.",
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
                "Builds a second app in the same kernel and is surprised that the first one now reads "
                "the second one's data.",
                "The cell with `first` and `second` shows it: the `DatabaseProxy` points at the database "
                "of the app created last. One app per process, or models per app as in chapter 9.",
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
                "Why does the app, not the `api` blueprint, decide when an error is JSON?",
                "A URL that matches no route belongs to no blueprint, so a blueprint's handler never "
                "sees its 404; the app's handler looks at the path.",
            ),
        ],
    },
}
