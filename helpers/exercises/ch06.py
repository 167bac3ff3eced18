"""Exercises of chapter 6: a cookie that is input, a rotation after a leak, a nested value, a login guard, recent searches."""

import hashlib
import html
import re
import secrets
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

from flask import Flask, session
from itsdangerous import BadSignature

from . import Wrong, exercise
from .probe import PROXY_ROOT, ask, text, weak_key

ONE_YEAR = 365 * 24 * 3600
PAYLOAD = "<img src=x onerror=alert(1)>"


def _attributes(header):
    """Split a Set-Cookie header into ``(name, value)`` and a dict of its attributes (lower-case names)."""
    first, *parts = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    attributes = {}
    for part in parts:
        key, _, setting = part.partition("=")
        attributes[key.lower()] = setting or True
    return (name, value), attributes


def _cookies_set(response, name):
    """The Set-Cookie headers of ``response`` for the cookie ``name``."""
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def _serializer(secret_key, fallbacks=None):
    """The serializer that a Flask app with these keys uses for its session cookie."""
    probe = Flask("exercise_probe")
    probe.config.update(SECRET_KEY=secret_key, SECRET_KEY_FALLBACKS=fallbacks)
    return probe.session_interface.get_signing_serializer(probe)


def _signed_with(key, cookie):
    """True when the session cookie's signature was made with ``key``."""
    try:
        _serializer(key).loads(cookie)
    except BadSignature:
        return False
    return True


@exercise(
    "6.1",
    title="Remember the language, safely",
    kind="modify",
    task="""
        `lang_app` remembers a visitor's language in a plain cookie. It knows the languages
        in `LANGUAGES`. Change it so that:

        - `GET /lang/<code>`, for a code in `LANGUAGES`, sets a cookie named `lang` to the
          code. The cookie lasts one year (`max_age=365 * 24 * 3600`), is hidden from
          JavaScript (`HttpOnly`) and is not sent along with other sites' form posts
          (`SameSite=Lax`). The answer may be a short page or a redirect to `/`.
        - `GET /lang/<code>` for any other code answers **404** and sets no cookie.
        - `GET /` answers `language: <code>` with the code from the cookie, or
          `language: en` when there is no cookie or it holds a code that is not in
          `LANGUAGES`.

        A cookie is input from the client: the check sends cookies of its own.
    """,
    source="""
        from flask import Flask, abort, make_response, redirect, request, url_for

        LANGUAGES = {"en", "fr", "de", "nl"}
        lang_app = Flask(__name__)


        @lang_app.get("/lang/<code>")
        def choose_language(code):
            ### BEGIN SOLUTION
            if code not in LANGUAGES:
                abort(404)
            response = redirect(url_for("home"))
            response.set_cookie("lang", code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
            ### STARTER
            response = make_response(f"language set to {code}")
            response.set_cookie("lang", code)
            ### END SOLUTION
            return response


        @lang_app.get("/")
        def home():
            ### BEGIN SOLUTION
            code = request.cookies.get("lang", "en")
            return f"language: {code if code in LANGUAGES else 'en'}"
            ### STARTER
            return f"language: {request.cookies.get('lang', 'en')}"
            ### END SOLUTION
    """,
    hints=[
        "The flags are keyword arguments of `response.set_cookie`: `max_age=...`, "
        '`httponly=True`, `samesite="Lax"`.',
        "Whatever a visitor puts in the URL or in a cookie, check it against `LANGUAGES` before "
        "you use it: `if code not in LANGUAGES: abort(404)`.",
        "A string a view returns is sent as HTML. `GET /` must never print the cookie as it came: "
        "print it only when it is one of `LANGUAGES`, and `en` otherwise.",
        "A cookie set on a redirect reaches the browser too: `response = redirect(url_for(\"home\"))`, "
        "then `response.set_cookie(...)`.",
    ],
    args="lang_app",
    right=[
        {'response = redirect(url_for("home"))': 'response = make_response(f"language set to {code}")'},
        {"max_age=365 * 24 * 3600": "max_age=timedelta(days=365)",
         "from flask import": "from datetime import timedelta\n\nfrom flask import"},
        {'    code = request.cookies.get("lang", "en")\n    return f"language: {code if code in LANGUAGES else \'en\'}"':
         '    code = request.cookies.get("lang")\n    if code not in LANGUAGES:\n        code = "en"\n'
         '    return f"language: {code}", {"Content-Type": "text/plain; charset=utf-8"}'},
        {'response = redirect(url_for("home"))': 'response = redirect("/", code=303)'},
        # A date a year ahead lasts a year too (the chapter's table: `max_age=` or `expires=`).
        {"max_age=365 * 24 * 3600": "expires=datetime.now(timezone.utc) + timedelta(days=365)",
         "from flask import": "from datetime import datetime, timedelta, timezone\n\nfrom flask import"},
    ],
    wrong=[
        ({", max_age=365 * 24 * 3600": ""}, "no Max-Age"),
        ({"max_age=365 * 24 * 3600": "expires=datetime.now(timezone.utc) + timedelta(days=30)",
          "from flask import": "from datetime import datetime, timedelta, timezone\n\nfrom flask import"},
         "30 days away, not a year"),
        ({", httponly=True": ""}, "HttpOnly"),
        ({'samesite="Lax"': 'samesite="None"'}, "SameSite is 'None'"),
        ({'request.cookies.get("lang", "en")': 'request.cookies["lang"]'}, "400"),
        ({"    if code not in LANGUAGES:\n        abort(404)\n": ""}, "set lang=xx"),
        ({"if code in LANGUAGES else 'en'": "if code else 'en'",
          "from flask import": "from markupsafe import escape\nfrom flask import",
          'code = request.cookies.get("lang", "en")': 'code = escape(request.cookies.get("lang", "en"))'},
         "'language: xx'"),
    ],
    insecure=[
        ({"{code if code in LANGUAGES else 'en'}": "{code}"}, "<img"),
        # Only the first two letters checked: a cookie that starts with a code brings anything after it.
        ({"{code if code in LANGUAGES else 'en'}": "{code if code[:2] in LANGUAGES else 'en'}"},
         "because it starts with a known code"),
        ({"    if code not in LANGUAGES:\n        abort(404)\n    response = redirect(url_for(\"home\"))":
          '    response = make_response(f"language set to {code}")'}, "GET /lang/%3Cimg"),
    ],
)
def _remember_the_language(lang_app):
    visitor = lang_app.test_client()
    chosen = ask(lang_app, "GET", "/lang/fr", client=visitor)
    if chosen.status_code >= 400:
        raise Wrong(f"`GET /lang/fr` answered {chosen.status}; expected a page or a redirect.")
    headers = _cookies_set(chosen, "lang")
    if not headers:
        raise Wrong(f"`GET /lang/fr` answered {chosen.status} and set no cookie named `lang`.")
    (_, value), attributes = _attributes(headers[0])
    if value != "fr":
        raise Wrong(f"after `GET /lang/fr` the `lang` cookie holds {value!r}.")
    if attributes.get("max-age") != str(ONE_YEAR):
        found = attributes.get("max-age")
        if found is not None:
            raise Wrong(f"the cookie's Max-Age is {found} seconds, not {ONE_YEAR}.")
        if "expires" not in attributes:
            raise Wrong(f"the cookie set by `GET /lang/fr` has no Max-Age: `{headers[0]}`.")
        lasts = (parsedate_to_datetime(attributes["expires"]) - datetime.now(timezone.utc)).total_seconds()
        if abs(lasts - ONE_YEAR) > 24 * 3600:
            raise Wrong(f"the cookie has no Max-Age, and its Expires date, {attributes['expires']}, is "
                        f"{lasts / 86400:.0f} days away, not a year.")
    if attributes.get("httponly") is not True:
        raise Wrong(f"the cookie is not HttpOnly: `{headers[0]}`.")
    if str(attributes.get("samesite", "")).lower() != "lax":
        raise Wrong(f"the cookie's SameSite is {attributes.get('samesite')!r}: `{headers[0]}`.")
    home = text(ask(lang_app, "GET", "/", client=visitor))
    if home != "language: fr":
        raise Wrong(f"after choosing French, `GET /` answered {home!r}.")
    sneaky = "/lang/" + quote(PAYLOAD)
    answer = ask(lang_app, "GET", sneaky)
    if PAYLOAD in text(answer) and answer.mimetype == "text/html":
        raise Wrong(f"`GET {sneaky}` answered {answer.status} with the HTML {text(answer)[:80]!r}: "
                    "the code from the URL came back as markup.")
    for path in ("/lang/xx", sneaky):
        answer = ask(lang_app, "GET", path)
        set_here = [_attributes(h)[0][1] for h in _cookies_set(answer, "lang")]
        if set_here:
            raise Wrong(f"`GET {path}` answered {answer.status} and set lang={set_here[0]}.")
        if answer.status_code != 404:
            raise Wrong(f"`GET {path}` answered {answer.status}; expected 404.")

    def home_with(cookie):
        forged = lang_app.test_client()
        forged.set_cookie("lang", cookie)
        return ask(lang_app, "GET", "/", client=forged)

    answer = home_with(PAYLOAD)
    if PAYLOAD in text(answer) and answer.mimetype == "text/html":
        raise Wrong(f"`GET /` with a cookie lang={PAYLOAD} answered the HTML {text(answer)[:80]!r}: the "
                    "cookie came back as markup.")
    answer = home_with(f"fr{PAYLOAD}")
    if PAYLOAD in text(answer) and answer.mimetype == "text/html":
        raise Wrong(f"`GET /` with a cookie lang=fr{PAYLOAD} answered the HTML {text(answer)[:80]!r}: the cookie "
                    "came back as markup, because it starts with a known code.")
    for cookie in ("xx", PAYLOAD, "frx", f"fr{PAYLOAD}"):
        answer = home_with(cookie)
        if text(answer) != "language: en":
            raise Wrong(f"`GET /` with a cookie lang={cookie} answered {answer.status} {text(answer)[:80]!r}.")
    fresh = ask(lang_app, "GET", "/")
    if fresh.status_code != 200 or text(fresh) != "language: en":
        shown = "" if fresh.status_code != 200 else f" {text(fresh)[:80]!r}"
        raise Wrong(f"`GET /` from a visitor without the cookie answered {fresh.status}{shown}.")
    return (f"`/lang/fr` (the cookie and its flags), `/lang/xx` and `/lang/{PAYLOAD}` (404, no cookie), "
            f"and `/` with no cookie, with lang=fr, lang=xx and lang={PAYLOAD}")


@exercise(
    "6.2",
    title="Rotate the key after a leak",
    kind="modify",
    task="""
        `rotated_app` was in the middle of a planned key rotation: it signs new session
        cookies with `KEY_B` and still accepts cookies signed with the old `KEY_A`. Now
        `KEY_A` has leaked. Change only the configuration, so that:

        - cookies signed with `KEY_A` are refused from now on;
        - visitors whose cookies were signed with `KEY_B` keep their session;
        - new cookies are signed with a fresh key: long, random, and never used before.
    """,
    source="""
        import secrets

        from flask import Flask, session

        KEY_A, KEY_B = secrets.token_hex(), secrets.token_hex()  # KEY_A has leaked

        rotated_app = Flask(__name__)
        ### BEGIN SOLUTION
        rotated_app.config["SECRET_KEY"] = secrets.token_hex()
        rotated_app.config["SECRET_KEY_FALLBACKS"] = [KEY_B]
        ### STARTER
        rotated_app.config["SECRET_KEY"] = KEY_B
        rotated_app.config["SECRET_KEY_FALLBACKS"] = [KEY_A]
        ### END SOLUTION


        @rotated_app.get("/count")
        def count():
            session["count"] = session.get("count", 0) + 1
            return f"visit number {session['count']}"
    """,
    hints=[
        "`SECRET_KEY` signs new cookies; every key in `SECRET_KEY_FALLBACKS` is still accepted when "
        "a cookie is checked. A leaked key must not be in either.",
        "`KEY_B` did not leak, so it can stay, as a fallback. The new signing key comes from "
        "`secrets.token_hex()`, as in the section on the secret key.",
        '`rotated_app.config["SECRET_KEY"] = secrets.token_hex()` and '
        '`rotated_app.config["SECRET_KEY_FALLBACKS"] = [KEY_B]` (a list, even for one key).',
    ],
    args="rotated_app, KEY_A, KEY_B",
    right=[
        {'rotated_app.config["SECRET_KEY"] = secrets.token_hex()\nrotated_app.config["SECRET_KEY_FALLBACKS"] = [KEY_B]':
         "rotated_app.config.update(SECRET_KEY=secrets.token_bytes(32), SECRET_KEY_FALLBACKS=(KEY_B,))"},
        {'rotated_app.config["SECRET_KEY"] = secrets.token_hex()':
         "KEY_C = secrets.token_urlsafe(32)\nrotated_app.secret_key = KEY_C"},
        {"secrets.token_hex()\nrotated_app": "secrets.token_bytes(16)\nrotated_app"},
    ],
    wrong=[
        ({"= [KEY_B]": "= KEY_B"}, "a single string"),
        ({"= [KEY_B]": "= []"}, "signed with KEY_B"),
        ({'rotated_app.config["SECRET_KEY"] = secrets.token_hex()': 'rotated_app.config["SECRET_KEY"] = KEY_B'},
         "still signed with KEY_B"),
    ],
    insecure=[
        ({"= [KEY_B]": "= [KEY_A, KEY_B]"}, "the leaked key"),
        ({"secrets.token_hex()\nrotated_app": '"new-secret-2024"\nrotated_app'}, "15 characters"),
        ({"secrets.token_hex()\nrotated_app": 'b"new-secret-2024"\nrotated_app'}, "15 bytes"),
        # Keys made from the old ones look random and are not fresh.
        ({"secrets.token_hex()\nrotated_app": "hashlib.sha256(KEY_A.encode()).hexdigest()\nrotated_app",
          "import secrets": "import hashlib\nimport secrets"}, "the sha256 of KEY_A"),
        ({"secrets.token_hex()\nrotated_app": "KEY_B[::-1]\nrotated_app"}, "anyone who holds KEY_B"),
    ],
)
def _rotate_after_a_leak(rotated_app, key_a, key_b):
    fallbacks = rotated_app.config.get("SECRET_KEY_FALLBACKS")
    if isinstance(fallbacks, (str, bytes)):
        raise Wrong("`SECRET_KEY_FALLBACKS` is a single string, so Flask reads each of its characters as a key.")

    def visit(key, count):
        client = rotated_app.test_client()
        client.set_cookie("session", _serializer(key).dumps({"count": count}))
        return text(ask(rotated_app, "GET", "/count", client=client)), client

    answer, _ = visit(key_a, 5)
    if answer == "visit number 6":
        raise Wrong("a cookie signed with KEY_A, the leaked key (count 5), was accepted: the app answered "
                    "'visit number 6'.")
    answer, client = visit(key_b, 7)
    if answer != "visit number 8":
        raise Wrong(f"a visitor whose cookie was signed with KEY_B (count 7) got {answer!r}: the session was lost.")
    cookie = client.get_cookie("session").value
    key = rotated_app.config.get("SECRET_KEY")
    if _signed_with(key_b, cookie):
        raise Wrong("the cookie sent back to that visitor is still signed with KEY_B.")
    if _signed_with(key_a, cookie):
        raise Wrong("the cookie sent back to that visitor is signed with KEY_A, the leaked key.")
    weakness = weak_key(key)
    if weakness:
        raise Wrong(f"the new SECRET_KEY is {weakness}.")
    for name, old in (("KEY_A", key_a), ("KEY_B", key_b)):
        recipe = _made_from(key, old)
        if recipe:
            raise Wrong(f"the new SECRET_KEY is {recipe.format(name)}: anyone who holds {name} can work it out "
                        f"({'it has leaked' if name == 'KEY_A' else 'and if it leaks, both keys fall at once'}). "
                        "A fresh key owes nothing to the old ones.")
    answer, _ = visit(secrets.token_hex(), 99)
    if answer != "visit number 1":
        raise Wrong(f"a cookie signed with a key the app never had was accepted ({answer!r}).")
    return "cookies signed with KEY_A (refused), KEY_B (kept, re-signed) and a stranger's key, and the new key's length"


def _made_from(key, old):
    """How ``key`` is made from the key ``old`` ("{}" stands for its name), or None when the check sees no link."""
    raw = key if isinstance(key, bytes) else str(key).encode()
    plain = raw.decode("latin-1").lower()
    if old.lower() in plain or old[::-1].lower() in plain:
        return "{} itself, or holds it"
    for name in sorted(hashlib.algorithms_guaranteed - {"shake_128", "shake_256"}):
        made = hashlib.new(name, old.encode())
        if made.digest()[:16] in raw or made.hexdigest()[:32] in plain:
            return f"the {name} of {{}}"
    return None


@exercise(
    "6.3",
    title="Preferences that stick",
    kind="modify",
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
    right=[
        {'    session.setdefault("prefs", {})[name] = value\n    session.modified = True  # the dict inside changed; the session cannot see that':
         '    session["prefs"] = {**session.get("prefs", {}), name: value}'},
        {'    session.setdefault("prefs", {})[name] = value\n    session.modified = True  # the dict inside changed; the session cannot see that':
         '    prefs = session.get("prefs", {})\n    prefs[name] = value\n    session["prefs"] = prefs'},
    ],
    wrong=[
        ({"session.modified = True": "session.accessed = True"}, "only theme=dark"),
        ({'    session.setdefault("prefs", {})[name] = value\n    session.modified = True  # the dict inside changed; the session cannot see that':
          '    session["prefs"] = {name: value}'}, "only theme=light"),
    ],
    insecure=[
        ({'prefs_app.secret_key = SECRET_KEY': 'prefs_app.secret_key = SECRET_KEY\nSHARED = {}',
          '    session.setdefault("prefs", {})[name] = value\n    session.modified = True  # the dict inside changed; the session cannot see that':
          '    SHARED[name] = value\n    session["prefs"] = SHARED'}, "second visitor"),
    ],
)
def _preferences_that_stick(prefs_app):
    client = prefs_app.test_client()
    for name, value in [("theme", "dark"), ("lang", "fr"), ("theme", "light")]:
        answer = ask(prefs_app, "POST", f"/prefs/{name}/{value}", client=client)
        if answer.status_code != 200:
            raise Wrong(f"`POST /prefs/{name}/{value}` answered {answer.status}.")
    saved = ask(prefs_app, "GET", "/prefs", client=client).get_json()
    steps = "after setting theme=dark, lang=fr and theme=light"
    if saved == {"theme": "dark"}:
        raise Wrong(f"{steps}, `GET /prefs` gives {saved}: only theme=dark was kept.")
    if saved == {"theme": "light"}:
        raise Wrong(f"{steps}, `GET /prefs` gives {saved}: only theme=light is left.")
    if saved != {"theme": "light", "lang": "fr"}:
        raise Wrong(f"{steps}, `GET /prefs` gives {saved!r}.")
    other = prefs_app.test_client()
    ask(prefs_app, "POST", "/prefs/font/large", client=other)
    theirs = ask(prefs_app, "GET", "/prefs", client=other).get_json()
    if theirs != {"font": "large"}:
        raise Wrong(f"a second visitor who set only font=large gets {theirs!r} from `GET /prefs`.")
    return "theme=dark, lang=fr, then theme=light again (all kept, the last wins), and a second visitor's own prefs"


@exercise(
    "6.4",
    title="Members only",
    kind="modify",
    task="""
        Write a decorator `login_required` for views that only a logged-in visitor may see.
        When `"user"` is in the session, the view runs as usual. Otherwise the visitor gets a
        redirect to the login page, `url_for("login")` (a `?next=` in it is welcome), and the
        view does not run.

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
        'Inside `wrapper`, test `"user" not in session` before calling the view: the wrapper runs '
        "at every request, the code outside it only once.",
        'When nobody is logged in, `return redirect(url_for("login"))` and do not call the view; '
        "otherwise `return view(*args, **kwargs)`.",
        "Only the session can say who is logged in. A plain cookie, or anything in the URL, is "
        "whatever the visitor chose to send.",
    ],
    args="login_required",
    right=[
        {'return redirect(url_for("login"))': 'return redirect(url_for("login", next=request.path))',
         "from flask import redirect, session, url_for": "from flask import redirect, request, session, url_for"},
        {'if "user" not in session:\n            return redirect(url_for("login"))':
         'if not session.get("user"):\n            return redirect(url_for("login"), code=303)'},
    ],
    wrong=[
        ({"    @wraps(view)\n": ""}, "wrapper"),
        ({'if "user" not in session:': 'if not session["user"]:'}, "KeyError"),
        ({'return redirect(url_for("login"))': "abort(401)",
          "from flask import redirect, session, url_for": "from flask import abort, redirect, session, url_for"},
         "401"),
        ({'return redirect(url_for("login"))': 'return redirect(url_for("login"), code=307)'}, "repeat the POST"),
        ({"return view(*args, **kwargs)": "return view()"}, "TypeError"),
        # Right on a laptop; behind Binder's proxy the browser lands outside the app.
        ({'return redirect(url_for("login"))': 'return redirect("/login")'}, "outside the app"),
    ],
    insecure=[
        ({'if "user" not in session:': 'if not request.cookies.get("user"):',
          "from flask import redirect, session, url_for": "from flask import redirect, request, session, url_for"},
         "plain cookie"),
        ({'if "user" not in session:': 'if "user" not in session and not request.args.get("user"):',
          "from flask import redirect, session, url_for": "from flask import redirect, request, session, url_for"},
         "?user=ada"),
        ({'if "user" not in session:': 'if "user" not in session and "user" not in request.form:',
          "from flask import redirect, session, url_for": "from flask import redirect, request, session, url_for"},
         "form field user=ada"),
    ],
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

    @app.get("/logout")
    def logout():
        session.clear()
        return "logged out"

    try:

        @app.get("/notes")
        @login_required
        def notes():
            ran.append("notes")
            return f"notes of {session.get('user')}"

        @app.post("/drafts/<int:number>")
        @login_required
        def drafts(number):
            ran.append("drafts")
            return f"draft {number} of {session.get('user')}"

    except AssertionError as error:
        raise Wrong(f"Flask refused the second decorated view: {error}.") from None
    except Exception as error:
        first = str(error).splitlines()[0] if str(error) else ""
        raise Wrong(f"decorating a view raised `{type(error).__name__}: {first}`.") from None

    def turned_away(response, what, root=""):
        if ran:
            raise Wrong(f"{what} answered {response.status} and the view ran.")
        if response.status_code not in (301, 302, 303, 307, 308):
            raise Wrong(f"{what} answered {response.status}; expected a redirect to the login page.")
        if response.status_code in (307, 308) and response.request.method != "GET":
            raise Wrong(f"{what} answered {response.status}, which makes the browser repeat the "
                        f"{response.request.method}, body and all, at the login page.")
        location = urlsplit(response.headers.get("Location", ""))
        if location.path == "/login" and root:
            raise Wrong(f"{what} redirects to {response.headers.get('Location')!r}, outside the app: the login page "
                        f"is at {root}/login. A URL written by hand leaves out the prefix that `url_for` puts in front.")
        if location.path != f"{root}/login":
            raise Wrong(f"{what} redirects to {response.headers.get('Location')!r}, not to the login page.")

    client = app.test_client()
    turned_away(ask(app, "GET", "/notes", client=client), "`GET /notes` without logging in")
    turned_away(ask(app, "POST", "/drafts/7", client=client), "`POST /drafts/7` without logging in")
    turned_away(ask(app, "GET", "/notes", base_url=f"http://localhost{PROXY_ROOT}"),
                f"`GET /notes` without logging in, behind the proxy prefix `{PROXY_ROOT}`", root=PROXY_ROOT)
    cookie_only = app.test_client()
    cookie_only.set_cookie("user", "ada")
    turned_away(ask(app, "GET", "/notes", client=cookie_only), "`GET /notes` with a plain cookie user=ada")
    turned_away(ask(app, "GET", "/notes?user=ada", client=client), "`GET /notes?user=ada`")
    turned_away(ask(app, "POST", "/drafts/7", client=client, data={"user": "ada"}),
                "`POST /drafts/7` with a form field user=ada")
    ask(app, "GET", "/login-as/ada", client=client)
    page = ask(app, "GET", "/notes", client=client)
    if page.status_code != 200 or text(page) != "notes of ada":
        raise Wrong(f"after logging in as ada, `GET /notes` answered {page.status} {text(page)[:80]!r}.")
    draft = ask(app, "POST", "/drafts/7", client=client)
    if text(draft) != "draft 7 of ada":
        raise Wrong(f"after logging in, `POST /drafts/7` answered {draft.status} {text(draft)[:80]!r}.")
    ask(app, "GET", "/logout", client=client)
    ran.clear()
    turned_away(ask(app, "GET", "/notes", client=client), "`GET /notes` after logging out")
    return ("two decorated views (GET, and POST with a URL variable) before login, behind a proxy prefix, with a "
            "plain cookie "
            "user=ada, with ?user=ada and with a form field user=ada (all turned away), after login, and after logout")


def _longest_list(app, client):
    """The longest list in the session that ``client`` holds for ``app`` (read with the app's key)."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return []
    try:
        data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    except (AttributeError, BadSignature):  # a session kept somewhere else: nothing to read here
        return []
    lists = [value for value in data.values() if isinstance(value, list)]
    return max(lists, key=len, default=[])


def _listed(response):
    """The text inside each ``<li>`` of a page, as sent (entities kept), spaces squeezed."""
    found = re.findall(r"<li\b[^>]*>(.*?)</li>", text(response), re.S | re.I)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in found]


@exercise(
    "6.5",
    title="Recent searches",
    kind="make",
    task="""
        Make `GET /search?q=<term>` on `recent_app` remember each visitor's recent
        searches in their session, and answer a page that lists them, newest first, one
        `<li>` per term:

        - spaces around a term do not count; a term searched again moves to the front
          instead of appearing twice;
        - at most 5 terms are kept;
        - an empty or missing `q` adds nothing (the page still lists the others);
        - terms are text a visitor typed, so the page must escape them;
        - every visitor has a list of their own.
    """,
    source="""
        from flask import Flask, render_template_string, request, session

        recent_app = Flask(__name__)
        recent_app.secret_key = SECRET_KEY


        @recent_app.get("/search")
        def search():
            ### BEGIN SOLUTION
            q = request.args.get("q", "").strip()
            recent = session.get("recent", [])
            if q:
                recent = [q] + [term for term in recent if term != q]
                session["recent"] = recent[:5]
            return render_template_string(
                "<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>",
                recent=session.get("recent", []),
            )
            ### STARTER
            return "<ul></ul>"
            ### END SOLUTION
    """,
    hints=[
        "Read the list with `session.get(\"recent\", [])`, build the new list, and assign it back "
        "to `session[\"recent\"]`: an assignment is a change the session notices.",
        "Newest first without repeats: `[q] + [term for term in recent if term != q]`; then keep "
        "the first five with `[:5]`, before you store it: the cookie carries whatever the session holds.",
        "Render the list with a template (chapter 4), so that each term is escaped: "
        "`render_template_string(\"<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>\", "
        "recent=...)`.",
        "Keep nothing in a variable outside the view: one module-level list would be every "
        "visitor's list.",
    ],
    args="recent_app",
    setup="""
        import secrets

        SECRET_KEY = secrets.token_hex()
    """,
    right=[
        """
        from flask import Flask, render_template_string, request, session

        recent_app = Flask(__name__)
        recent_app.secret_key = SECRET_KEY
        PAGE = '''<h1>Recent searches</h1>
        <ul>
        {% for term in recent %}
          <li class="recent">{{ term }}</li>
        {% endfor %}
        </ul>'''


        @recent_app.get("/search")
        def search():
            q = request.args.get("q", "").strip()
            recent = session.setdefault("recent", [])
            if q:
                if q in recent:
                    recent.remove(q)
                recent.insert(0, q)
                del recent[5:]
                session.modified = True
            return render_template_string(PAGE, recent=recent)
        """,
        {'recent = [q] + [term for term in recent if term != q]\n        session["recent"] = recent[:5]':
         'session["recent"] = list(dict.fromkeys([q, *recent]))[:5]'},
        # Escaping by hand: & and < are enough inside an element.
        {"    return render_template_string(\n        \"<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>\",\n"
         "        recent=session.get(\"recent\", []),\n    )":
         "    items = (term.replace(\"&\", \"&amp;\").replace(\"<\", \"&lt;\") for term in session.get(\"recent\", []))\n"
         "    return \"<ul>\" + \"\".join(f\"<li>{item}</li>\" for item in items) + \"</ul>\""},
    ],
    wrong=[
        ({"recent = [q] + [term for term in recent if term != q]": "recent = [term for term in recent if term != q] + [q]",
          'session["recent"] = recent[:5]': 'session["recent"] = recent[-5:]'}, "oldest first"),
        ({"recent = [q] + [term for term in recent if term != q]": "recent = [q] + recent"}, "twice"),
        ({'session["recent"] = recent[:5]': 'session["recent"] = recent'}, "all 6"),
        ({"    if q:\n        recent = [q] + [term for term in recent if term != q]\n        session[\"recent\"] = recent[:5]":
          "    recent = [q] + [term for term in recent if term != q]\n    session[\"recent\"] = recent[:5]"}, "''"),
        ({"    recent = session.get(\"recent\", [])\n    if q:\n        recent = [q] + [term for term in recent if term != q]\n"
          "        session[\"recent\"] = recent[:5]":
          "    recent = session.setdefault(\"recent\", [])\n    if q:\n        if q in recent:\n            recent.remove(q)\n"
          "        recent.insert(0, q)\n        del recent[5:]"}, "only ['dune']"),
        ({"recent = [q] + [term for term in recent if term != q]\n        session[\"recent\"] = recent[:5]":
          "session[\"recent\"] = [q] + [term for term in recent if term != q]",
          'recent=session.get("recent", []),': 'recent=session.get("recent", [])[:5],'}, "cookie holds 6"),
        # Cut to five before removing the repeat: a full list loses its last term.
        ({"recent = [q] + [term for term in recent if term != q]": "recent = list(dict.fromkeys([q] + recent[:4]))"},
         "searching 'jinja' again gave"),
        # A cookie of one's own instead of the session.
        ("""
        import json

        from flask import Flask, make_response, render_template_string, request

        recent_app = Flask(__name__)
        recent_app.secret_key = SECRET_KEY


        @recent_app.get("/search")
        def search():
            q = request.args.get("q", "").strip()
            recent = json.loads(request.cookies.get("recent", "[]"))
            if q:
                recent = ([q] + [term for term in recent if term != q])[:5]
            page = render_template_string("<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>", recent=recent)
            response = make_response(page)
            response.set_cookie("recent", json.dumps(recent))
            return response
        """, "no session cookie"),
    ],
    insecure=[
        ({"    return render_template_string(\n        \"<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>\",\n"
          "        recent=session.get(\"recent\", []),\n    )":
          "    return \"<ul>\" + \"\".join(f\"<li>{term}</li>\" for term in session.get(\"recent\", [])) + \"</ul>\""},
         "<script>"),
        ({"recent_app.secret_key = SECRET_KEY": "recent_app.secret_key = SECRET_KEY\nEVERYONE = []",
          "    recent = session.get(\"recent\", [])\n    if q:\n        recent = [q] + [term for term in recent if term != q]\n"
          "        session[\"recent\"] = recent[:5]":
          "    if q:\n        EVERYONE[:] = ([q] + [term for term in EVERYONE if term != q])[:5]\n"
          "    session[\"recent\"] = list(EVERYONE)"}, "another visitor"),
        # Removing the tag is not escaping: the page no longer shows what was typed, and other tags get through.
        ({"q = request.args.get(\"q\", \"\").strip()":
          "q = request.args.get(\"q\", \"\").strip().replace(\"<script>\", \"\").replace(\"</script>\", \"\")",
          "    return render_template_string(\n        \"<ul>{% for term in recent %}<li>{{ term }}</li>{% endfor %}</ul>\",\n"
          "        recent=session.get(\"recent\", []),\n    )":
          "    return \"<ul>\" + \"\".join(f\"<li>{term}</li>\" for term in session.get(\"recent\", [])) + \"</ul>\""},
         "not the term the visitor typed"),
    ],
)
def _recent_searches(recent_app):
    ada = recent_app.test_client()

    def search(client, q=None):
        query = {} if q is None else {"q": q}
        response = ask(recent_app, "GET", "/search", client=client, query_string=query)
        if response.status_code != 200:
            raise Wrong(f"`GET /search` with {query or 'no q'} answered {response.status}.")
        return _listed(response), response

    for term in ("dune", "neuromancer"):
        search(ada, term)
    listed, _ = search(ada)
    if listed == ["dune"]:
        raise Wrong("after searching 'dune' and then 'neuromancer', `GET /search` with no q lists only ['dune'].")
    if listed == ["dune", "neuromancer"]:
        raise Wrong(f"after searching 'dune' and then 'neuromancer', `GET /search` with no q lists {listed}: "
                    "oldest first.")
    if listed != ["neuromancer", "dune"]:
        raise Wrong(f"after searching 'dune' and then 'neuromancer', `GET /search` with no q lists {listed!r}.")
    listed, _ = search(ada, " dune ")
    if listed != ["dune", "neuromancer"]:
        raise Wrong(f"after searching 'dune', 'neuromancer' and ' dune ' again, the page lists {listed!r}; "
                    "'dune' should be listed once, first" + (" (not twice)." if listed.count("dune") > 1 else "."))
    for q in ("", "   ", None):
        listed, _ = search(ada, q)
        if listed != ["dune", "neuromancer"]:
            asked = "no q" if q is None else f"q={q!r}"
            raise Wrong(f"`GET /search` with {asked} changed the list to {listed!r}: an empty term ('') was kept.")
    for term in ("flask", "jinja", "peewee", "wtforms"):
        listed, _ = search(ada, term)
    if len(listed) > 5:
        raise Wrong(f"after searching 6 different terms the page lists all {len(listed)}: {listed!r}.")
    if listed != ["wtforms", "peewee", "jinja", "flask", "dune"]:
        raise Wrong(f"after searching dune, neuromancer, dune, flask, jinja, peewee, wtforms the page lists {listed!r}.")
    # A term searched again while the list is full moves to the front, and the other four stay.
    listed, _ = search(ada, "jinja")
    if listed != ["jinja", "wtforms", "peewee", "flask", "dune"]:
        raise Wrong(f"with wtforms, peewee, jinja, flask, dune listed, searching 'jinja' again gave {listed!r}; "
                    "expected ['jinja', 'wtforms', 'peewee', 'flask', 'dune'].")
    if ada.get_cookie(recent_app.config.get("SESSION_COOKIE_NAME", "session")) is None:
        raise Wrong("after 8 searches the visitor holds no session cookie: the list is kept somewhere else than "
                    "in the session.")
    kept = _longest_list(recent_app, ada)
    if len(kept) > 5:
        raise Wrong(f"the page shows 5 terms, but the session cookie holds {len(kept)}: {kept!r}.")
    attack = "<script>alert(1)</script>"
    listed, response = search(ada, attack)
    if "<script>" in text(response):
        raise Wrong(f"the search `{attack}` came back in the page as a live `<script>` tag.")
    first = listed[:1]
    # Any escaping will do: what the browser shows must be what the visitor typed, with no tag in the HTML.
    if not first or "<" in first[0] or html.unescape(first[0]) != attack:
        shown = html.unescape(first[0]) if first else None
        raise Wrong(f"after searching `{attack}` the first list item is `{first[0] if first else None}` in the "
                    f"page's HTML, which a browser shows as {shown!r}, not the term the visitor typed.")
    grace = recent_app.test_client()
    listed, _ = search(grace, "frankenstein")
    if listed != ["frankenstein"]:
        seen = [html.unescape(item) for item in listed]  # what the browser shows, not the HTML's entities
        raise Wrong(f"another visitor, whose only search was 'frankenstein', sees {seen!r}.")
    return ("8 searches with a repeat, spaces, empty and missing q, the cap of 5 (on the page and in the session "
            "cookie), a repeat when the list is full, a `<script>` term, and a second visitor")
