"""Exercises of chapter 6: a cookie with flags, key rotation, a nested value in the session, a login guard."""

import secrets

from flask import Flask, session
from itsdangerous import BadSignature

from . import Wrong, exercise

ONE_YEAR = 365 * 24 * 3600


def _attributes(header):
    """Split a Set-Cookie header into ``(name, value)`` and a dict of its attributes."""
    first, *parts = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    attributes = {}
    for part in parts:
        key, _, setting = part.partition("=")
        attributes[key.lower()] = setting or True
    return (name, value), attributes


def _serializer(secret_key, fallbacks=None):
    """The serializer that a Flask app with these keys uses for its session cookie."""
    probe = Flask("exercise_probe")
    probe.config.update(SECRET_KEY=secret_key, SECRET_KEY_FALLBACKS=fallbacks)
    return probe.session_interface.get_signing_serializer(probe)


@exercise(
    "6.1",
    title="Remember the language",
    task="""
        `lang_app` should remember a visitor's language in a plain cookie.

        - `GET /lang/<code>` sets a cookie named `lang` to `code`. The cookie lasts one year
          (`max_age=365 * 24 * 3600`), is hidden from JavaScript (`HttpOnly`) and is not sent
          along with form posts from other sites (`SameSite=Lax`).
        - `GET /` answers `language: <code>` with the code from the cookie, or `language: en`
          when there is no cookie.
    """,
    source="""
        from flask import Flask, make_response, request

        lang_app = Flask(__name__)


        @lang_app.get("/lang/<code>")
        def choose_language(code):
            response = make_response(f"language set to {code}")
            ### BEGIN SOLUTION
            response.set_cookie("lang", code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
            ### STARTER
            response.set_cookie("lang", code)
            ### END SOLUTION
            return response


        @lang_app.get("/")
        def home():
            ### BEGIN SOLUTION
            return f"language: {request.cookies.get('lang', 'en')}"
            ### STARTER
            return "language: en"
            ### END SOLUTION
    """,
    hints=[
        "The flags are keyword arguments of `response.set_cookie`: `max_age=...`, "
        '`httponly=True`, `samesite="Lax"`.',
        "The home page must read the cookie the browser sends back: "
        "`request.cookies.get(\"lang\", \"en\")` gives the value, or `\"en\"` when there is none.",
    ],
    args="lang_app",
)
def _remember_the_language(lang_app):
    client = lang_app.test_client()
    chosen = client.get("/lang/fr")
    if chosen.status_code != 200:
        raise Wrong(f"`GET /lang/fr` answers {chosen.status}; it should be 200 OK.")
    headers = [h for h in chosen.headers.getlist("Set-Cookie") if h.startswith("lang=")]
    if not headers:
        raise Wrong("`GET /lang/fr` sets no cookie named `lang`. Call `response.set_cookie(\"lang\", code, ...)`.")
    (name, value), attributes = _attributes(headers[0])
    if value != "fr":
        raise Wrong(f"the `lang` cookie holds {value!r} after `GET /lang/fr`; it should hold the code, 'fr'.")
    if attributes.get("max-age") != str(ONE_YEAR):
        found = attributes.get("max-age")
        if found is not None:
            raise Wrong(f"the cookie's Max-Age is {found} seconds; it should be {ONE_YEAR} (365 * 24 * 3600).")
        if "expires" in attributes:
            raise Wrong(
                "the cookie has an Expires date but no Max-Age. The task asks for "
                "`max_age=365 * 24 * 3600`: a lifetime in seconds, counted from when the browser gets it."
            )
        raise Wrong(
            f"the cookie has no Max-Age; it should last {ONE_YEAR} seconds (one year). "
            "Without Max-Age or Expires the browser forgets the cookie when it closes."
        )
    if attributes.get("httponly") is not True:
        raise Wrong("the cookie is not HttpOnly, so page scripts could read it. Pass `httponly=True`.")
    if str(attributes.get("samesite", "")).lower() != "lax":
        raise Wrong(
            f"the cookie's SameSite is {attributes.get('samesite')!r}; it should be 'Lax'. Pass `samesite=\"Lax\"`."
        )
    home = client.get("/").get_data(as_text=True)
    if home != "language: fr":
        raise Wrong(
            f"after choosing French, `GET /` says {home!r}; it should say 'language: fr'. "
            "Read the cookie with `request.cookies.get(...)`."
        )
    fresh_response = lang_app.test_client().get("/")
    if fresh_response.status_code == 400:
        raise Wrong(
            "a visitor without the cookie gets 400 Bad Request: `request.cookies[\"lang\"]` fails when "
            "there is no such cookie. Use `request.cookies.get(\"lang\", \"en\")`."
        )
    if fresh_response.status_code != 200:
        raise Wrong(f"a visitor without the cookie gets {fresh_response.status}; it should get 200 OK.")
    fresh = fresh_response.get_data(as_text=True)
    if fresh != "language: en":
        raise Wrong(f"a visitor without the cookie gets {fresh!r}; it should be 'language: en'.")


@exercise(
    "6.2",
    title="Rotate the secret key",
    task="""
        `rotated_app` has signed its session cookies with `OLD_KEY` so far. Move it to
        `NEW_KEY` without logging anybody out: new cookies must be signed with `NEW_KEY`,
        while cookies signed with `OLD_KEY` must still be accepted. Change only the
        configuration; the view is fine.
    """,
    source="""
        from flask import Flask, session

        rotated_app = Flask(__name__)
        ### BEGIN SOLUTION
        rotated_app.config["SECRET_KEY"] = NEW_KEY
        rotated_app.config["SECRET_KEY_FALLBACKS"] = [OLD_KEY]
        ### STARTER
        rotated_app.config["SECRET_KEY"] = OLD_KEY  # time to move to NEW_KEY
        ### END SOLUTION


        @rotated_app.get("/count")
        def count():
            session["count"] = session.get("count", 0) + 1
            return f"visit number {session['count']}"
    """,
    hints=[
        "`SECRET_KEY` is the key that signs new cookies. `SECRET_KEY_FALLBACKS` is a list of "
        "old keys that are only used to check signatures.",
        'So: `rotated_app.config["SECRET_KEY"] = NEW_KEY` and '
        '`rotated_app.config["SECRET_KEY_FALLBACKS"] = [OLD_KEY]` (a list, even for one key).',
    ],
    args="rotated_app, OLD_KEY, NEW_KEY",
    setup="""
        import secrets

        OLD_KEY, NEW_KEY = secrets.token_hex(), secrets.token_hex()
    """,
)
def _rotate_the_key(rotated_app, old_key, new_key):
    fallbacks = rotated_app.config.get("SECRET_KEY_FALLBACKS")
    if isinstance(fallbacks, (str, bytes)):
        raise Wrong("`SECRET_KEY_FALLBACKS` is a single string; it must be a list of keys, such as `[OLD_KEY]`.")
    client = rotated_app.test_client()
    client.set_cookie("session", _serializer(old_key).dumps({"count": 5}))
    answer = client.get("/count").get_data(as_text=True)
    if answer != "visit number 6":
        misspelled = [
            key for key in rotated_app.config
            if key.startswith("SECRET_KEY") and key not in ("SECRET_KEY", "SECRET_KEY_FALLBACKS")
        ]
        if misspelled:
            raise Wrong(
                f"the configuration has {misspelled[0]!r}, which Flask never reads, so OLD_KEY cookies "
                "are refused. The setting is spelled `SECRET_KEY_FALLBACKS`."
            )
        raise Wrong(
            f"a visitor whose cookie was signed with OLD_KEY (count 5) got {answer!r}, so the old cookie "
            "was refused and the visitor lost the session. List OLD_KEY in `SECRET_KEY_FALLBACKS`."
        )
    cookie = client.get_cookie("session")
    try:
        _serializer(new_key).loads(cookie.value)
    except BadSignature:
        raise Wrong(
            "new cookies are not signed with NEW_KEY. `SECRET_KEY` signs; make it NEW_KEY and keep "
            "OLD_KEY only in `SECRET_KEY_FALLBACKS`."
        ) from None
    stranger = rotated_app.test_client()
    stranger.set_cookie("session", _serializer(secrets.token_hex()).dumps({"count": 99}))
    if stranger.get("/count").get_data(as_text=True) != "visit number 1":
        raise Wrong("a cookie signed with a key the app never had was accepted; only OLD_KEY and NEW_KEY may verify.")


@exercise(
    "6.3",
    title="Preferences that stick",
    task="""
        `prefs_app` keeps a visitor's preferences in a dict inside the session,
        `session["prefs"]`. `POST /prefs/<name>/<value>` sets one preference and
        `GET /prefs` returns them all as JSON. The first preference is saved, but every later
        one is lost. Fix `set_pref` so that every preference is kept.
    """,
    source="""
        from flask import Flask, session

        prefs_app = Flask(__name__)
        prefs_app.secret_key = SECRET_KEY


        @prefs_app.post("/prefs/<name>/<value>")
        def set_pref(name, value):
            session.setdefault("prefs", {})[name] = value
            ### BEGIN SOLUTION
            session.modified = True  # the dict inside changed; the session cannot see that
            ### STARTER
            ### END SOLUTION
            return session["prefs"]


        @prefs_app.get("/prefs")
        def get_prefs():
            return session.get("prefs", {})
    """,
    hints=[
        "The session notices `session[key] = ...`, but not a change made inside a dict or list "
        "stored in it. When it notices nothing, Flask sends no new cookie, and the browser keeps "
        "the old one.",
        "After changing the nested dict, tell Flask: `session.modified = True`. "
        '(Assigning a new dict to `session["prefs"]` works too.)',
    ],
    args="prefs_app",
    setup="""
        import secrets

        SECRET_KEY = secrets.token_hex()
    """,
)
def _preferences_that_stick(prefs_app):
    client = prefs_app.test_client()
    for name, value in [("theme", "dark"), ("lang", "fr"), ("theme", "light")]:
        answer = client.post(f"/prefs/{name}/{value}")
        if answer.status_code != 200:
            raise Wrong(f"`POST /prefs/{name}/{value}` answers {answer.status}; it should be 200 OK.")
    saved = client.get("/prefs").get_json()
    if saved == {"theme": "dark"}:
        raise Wrong(
            "after setting theme=dark, lang=fr and theme=light, only theme=dark was kept: changing the "
            "dict inside the session does not mark the session as modified, so no new cookie is sent."
        )
    if saved == {"theme": "light"}:
        raise Wrong(
            "after setting theme=dark, lang=fr and theme=light, only theme=light is left: each request "
            "replaced the whole `prefs` dict with a new one. Keep the saved preferences and change one."
        )
    if saved != {"theme": "light", "lang": "fr"}:
        raise Wrong(f"after setting theme=dark, lang=fr and theme=light, `GET /prefs` gives {saved!r}; "
                    "it should give {'theme': 'light', 'lang': 'fr'}.")


@exercise(
    "6.4",
    title="Members only",
    task="""
        Write a decorator `login_required` for views that only a logged-in visitor may see.
        When `"user"` is in the session, the view runs as usual. Otherwise the visitor gets a
        redirect to the login page, `url_for("login")`, and the view does not run.

        Keep `@wraps(view)` on the inner function: it gives the wrapper the view's name, and
        Flask uses that name as the endpoint. Without it every decorated view would be called
        `wrapper`, and Flask refuses a second view under the same endpoint name.
    """,
    source="""
        from functools import wraps

        from flask import redirect, session, url_for


        def login_required(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                ### BEGIN SOLUTION
                if "user" not in session:
                    return redirect(url_for("login"))
                ### STARTER
                # nobody logged in? answer with a redirect to url_for("login") instead
                ### END SOLUTION
                return view(*args, **kwargs)

            return wrapper
    """,
    hints=[
        'Inside `wrapper`, test `"user" not in session` before calling the view.',
        'When nobody is logged in, `return redirect(url_for("login"))` and do not call the view; '
        "otherwise `return view(*args, **kwargs)`.",
    ],
    args="login_required",
)
def _members_only(login_required):
    app = Flask("exercise_6_4")
    app.secret_key = secrets.token_hex()
    ran = []

    @app.get("/login")
    def login():
        return "the login page"

    @app.get("/login-as/<name>")
    def login_as(name):
        session["user"] = name
        return f"logged in as {name}"

    try:

        @app.get("/notes")
        @login_required
        def notes():
            ran.append("notes")
            return f"notes of {session.get('user')}"

        @app.get("/drafts/<int:number>")
        @login_required
        def drafts(number):
            return f"draft {number} of {session.get('user')}"

    except AssertionError as error:
        if "overwriting an existing endpoint" in str(error):
            raise Wrong(
                "Flask refused the second decorated view because both are named `wrapper`. "
                "Put `@wraps(view)` on the inner function."
            ) from None
        raise

    client = app.test_client()
    anonymous = client.get("/notes")
    if anonymous.status_code == 200 or ran:
        raise Wrong(
            "an anonymous visitor got to run the view. When `\"user\" not in session`, `return` the "
            "redirect from the wrapper, so that the view is never called."
        )
    if anonymous.status_code == 500:
        raise Wrong(
            "an anonymous visitor gets 500 INTERNAL SERVER ERROR: the wrapper raised an error (the "
            "traceback is printed above). `session[\"user\"]` raises KeyError when nobody is logged in; "
            "test `\"user\" not in session` instead."
        )
    if anonymous.status_code not in (301, 302, 303, 307, 308):
        raise Wrong(f"an anonymous visitor gets {anonymous.status}; it should be a redirect to the login page.")
    if not anonymous.headers.get("Location", "").endswith("/login"):
        raise Wrong(f"the redirect goes to {anonymous.headers.get('Location')!r}; it should go to `url_for(\"login\")`.")
    client.get("/login-as/ada")
    page = client.get("/notes")
    if page.status_code != 200 or page.get_data(as_text=True) != "notes of ada":
        raise Wrong(f"a logged-in visitor gets {page.status} for /notes; the view should run and answer 200.")
    draft = client.get("/drafts/7")
    if draft.get_data(as_text=True) != "draft 7 of ada":
        raise Wrong("a view with a URL variable did not get it: pass `*args, **kwargs` on to the view.")
