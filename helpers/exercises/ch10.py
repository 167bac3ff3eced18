"""Exercises of chapter 10: a Gunicorn command line, configuration from the environment,
ProxyFix for one proxy, and one secret key shared by every instance."""

import contextlib
import io
import itertools
import os
import shlex
from contextlib import contextmanager
from unittest import mock

from flask import Flask, request
from werkzeug.test import Client

from ..installed import platform
from . import Wrong, exercise
from .probe import ask, text

APP_SPEC = "deployapp:create_app()"


@contextmanager
def _environment(**variables):
    """os.environ without any SHOP_ or FLASK_ variable, plus ``variables``; restored afterwards."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith(("SHOP_", "FLASK_"))}
    with mock.patch.dict(os.environ, {**kept, **variables}, clear=True):
        yield


def _gunicorn_settings(argv):
    """Parse a gunicorn command line with Gunicorn's own parser; return its settings and the app."""
    if platform().startswith("win"):
        raise Wrong("this check reads your command with Gunicorn's own parser, and Gunicorn does not run on "
                    "Windows: check this exercise on Binder or in WSL.")
    from gunicorn.config import Config

    config = Config()
    complaint = io.StringIO()
    try:
        with contextlib.redirect_stderr(complaint):
            parsed = config.parser().parse_args(argv)
    except SystemExit:
        reason = complaint.getvalue().strip().splitlines()[-1:] or ["it gave no reason"]
        raise Wrong(f"Gunicorn's own parser refused `{shlex.join(argv)}`: {reason[0].split('error: ', 1)[-1]}.") from None
    for name, value in vars(parsed).items():
        if name != "args" and value is not None:
            config.set(name.lower(), value)
    return config, parsed.args


@exercise(
    "10.1",
    title="A Gunicorn command line",
    task="""
        Write `gunicorn_command(cores)`. It returns the command line, as a list of strings
        that starts with `"gunicorn"`, that a service manager would run on a server with
        `cores` CPU cores. The command must:

        - serve `deployapp:create_app()`;
        - listen on `127.0.0.1:8000` only, because nginx on the same machine is the only way in;
        - start `(2 × cores) + 1` worker processes, the starting point Gunicorn's documentation
          recommends, each with 2 threads;
        - create no control socket;
        - write its access log to standard output (`-`), where a service manager or a
          container platform collects it.

        The check reads your list with Gunicorn's own option parser, so any spelling that
        Gunicorn accepts (`-w 5` or `--workers=5`) is fine.
    """,
    source="""
        def gunicorn_command(cores):
            \"\"\"The command that serves deployapp on a machine with `cores` CPU cores.\"\"\"
            ### BEGIN SOLUTION
            return [
                "gunicorn",
                "--bind", "127.0.0.1:8000",
                "--workers", str(2 * cores + 1),
                "--threads", "2",
                "--no-control-socket",
                "--access-logfile", "-",
                "deployapp:create_app()",
            ]
            ### STARTER
            return ["gunicorn", "--workers", str(cores), "deployapp:create_app()"]
            ### END SOLUTION
    """,
    hints=[
        "Each option is its own list item, and so is its value: `\"--workers\", \"5\"`. The app "
        "`\"deployapp:create_app()\"` comes last.",
        "The number of workers depends on `cores`: `str(2 * cores + 1)`. Options are strings, so "
        "wrap numbers in `str(...)`.",
        "The options you need are `--bind`, `--workers`, `--threads`, `--no-control-socket` and "
        "`--access-logfile`. Behind nginx on the same machine, bind to `127.0.0.1`, never `0.0.0.0`: "
        "then nobody can go around the proxy.",
        "`--access-logfile -` writes the access log to standard output (a dash means standard output).",
    ],
    args="gunicorn_command",
    right=[
        {'"--workers", str(2 * cores + 1),': '"-w", f"{2 * cores + 1}",', '"--bind", "127.0.0.1:8000",': '"--bind=127.0.0.1:8000",'},
        {'"--threads", "2",': '"--threads=2",', '"--access-logfile", "-",': '"--access-logfile=-",'},
        {'"--access-logfile", "-",': '"--access-logfile", "/dev/stdout",', '"--threads", "2",': '"-k", "gthread", "--threads", "2",'},
    ],
    wrong=[
        ({'"--bind", "127.0.0.1:8000",': '"--bind", "0.0.0.0:8000",'}, "every network interface"),
        ({'str(2 * cores + 1)': '"5"'}, "workers"),
        ({'"--no-control-socket",\n': ""}, "control socket"),
        ({'"--workers", str(2 * cores + 1),': '"--workers", 2 * cores + 1,'}, "not a list of strings"),
        ({'"--threads", "2",': '"--treads", "2",'}, "parser refused"),
        ({'"--access-logfile", "-",\n': ""}, "access log"),
    ],
)
def _gunicorn_command(gunicorn_command):
    for cores in (1, 2, 8):
        argv = gunicorn_command(cores)
        if not isinstance(argv, list) or not all(isinstance(part, str) for part in argv):
            raise Wrong(f"`gunicorn_command({cores})` returned {argv!r}, not a list of strings.")
        if not argv or argv[0] != "gunicorn":
            raise Wrong(f"`gunicorn_command({cores})` returned a list that starts with {argv[:1]!r}, not \"gunicorn\".")
        config, apps = _gunicorn_settings(argv[1:])
        if apps != [APP_SPEC]:
            raise Wrong(f"the command serves {apps or 'no app'}, not exactly `{APP_SPEC}`.")
        if config.bind != ["127.0.0.1:8000"]:
            everywhere = any(address.startswith(("0.0.0.0", "[::]", ":")) for address in config.bind)
            raise Wrong(f"the command listens on {config.bind}" + (": every network interface." if everywhere else "."))
        if config.workers != 2 * cores + 1:
            raise Wrong(f"with {cores} core{'s' * (cores != 1)} the command starts {config.workers} workers.")
        if config.threads != 2:
            raise Wrong(f"each worker has {config.threads} thread(s).")
        if not config.control_socket_disable:
            raise Wrong("Gunicorn would create its control socket, outside the project (`~/.gunicorn` or `$XDG_RUNTIME_DIR`).")
        if config.accesslog not in ("-", "/dev/stdout"):  # both are standard output
            raise Wrong(f"the access log goes to {config.accesslog!r}, not to standard output.")
    return "1, 2 and 8 cores, read with Gunicorn's own option parser"


@exercise(
    "10.2",
    title="Configuration from the environment",
    task="""
        Finish `create_shop()`, the factory of a shop app whose settings come from
        environment variables that start with `SHOP_`:

        - the defaults come from the class `ShopConfig`;
        - every `SHOP_` variable overrides a default: `SHOP_PAGE_SIZE=50` sets `PAGE_SIZE` to
          the **number** 50, `SHOP_SECRET_KEY=...` sets `SECRET_KEY`;
        - with no `SECRET_KEY`, the factory raises `RuntimeError` instead of returning an app.

        Flask has a method that does most of this for you.
    """,
    source="""
        from flask import Flask


        class ShopConfig:
            PAGE_SIZE = 20
            GREETING = "Welcome to the shop"


        def create_shop():
            app = Flask("shop")
            app.config.from_object(ShopConfig)
            ### BEGIN SOLUTION
            app.config.from_prefixed_env("SHOP")
            if not app.config.get("SECRET_KEY"):
                raise RuntimeError("no SECRET_KEY: set SHOP_SECRET_KEY in the environment")
            ### STARTER
            # read the SHOP_ environment variables, and refuse to start without a secret key
            ### END SOLUTION
            return app
    """,
    hints=[
        '`app.config.from_prefixed_env("SHOP")` reads every `SHOP_...` variable and drops the '
        "prefix: `SHOP_PAGE_SIZE` becomes `PAGE_SIZE`. It parses each value as JSON, so `50` "
        "becomes an `int`.",
        "Load the defaults first and the environment second: the call that comes later wins.",
        "After loading, test `app.config.get(\"SECRET_KEY\")` and `raise RuntimeError(...)` when "
        "it is missing or empty.",
        "Reading `os.environ` by hand leaves every value a string (`'50'`); `from_prefixed_env` "
        "parses JSON, so `50` becomes a number.",
    ],
    args="create_shop",
    right=[
        {'if not app.config.get("SECRET_KEY"):': 'if not app.config.get("SECRET_KEY", ""):'},
        {'app.config.from_prefixed_env("SHOP")': 'app.config.from_prefixed_env(prefix="SHOP")'},
    ],
    wrong=[
        ({'app.config.from_prefixed_env("SHOP")': 'app.config.from_prefixed_env()'}, "raised `RuntimeError"),
        ({'app.config.from_prefixed_env("SHOP")': 'app.config.update({k[5:]: v for k, v in os.environ.items() if k.startswith("SHOP_")})',
          "from flask import Flask": "import os\n\nfrom flask import Flask"}, "string"),
        ({'if not app.config.get("SECRET_KEY"):': 'if "SECRET_KEY" not in app.config:'}, "returned an app"),
    ],
)
def _configuration(create_shop):
    with _environment(SHOP_SECRET_KEY="from-the-environment", SHOP_PAGE_SIZE="50", SHOP_GREETING="Hi"):
        try:
            shop = create_shop()
        except RuntimeError as error:
            raise Wrong(f"with `SHOP_SECRET_KEY` set, `create_shop()` raised `RuntimeError: {error}`.") from None
    if not isinstance(shop, Flask):
        raise Wrong(f"`create_shop()` returned {shop!r}, not a Flask app.")
    page_size = shop.config.get("PAGE_SIZE")
    if page_size == "50":
        raise Wrong("with `SHOP_PAGE_SIZE=50`, `PAGE_SIZE` is the string `'50'`, not the number 50.")
    if page_size == 20 and shop.config.get("SECRET_KEY") == "from-the-environment":
        raise Wrong("with `SHOP_PAGE_SIZE=50`, `PAGE_SIZE` is still the default 20, though `SHOP_SECRET_KEY` was read.")
    if page_size != 50:
        raise Wrong(f"with `SHOP_PAGE_SIZE=50`, `PAGE_SIZE` is {page_size!r}.")
    if shop.config.get("SECRET_KEY") != "from-the-environment":
        raise Wrong(f"with `SHOP_SECRET_KEY` set, `SECRET_KEY` is {shop.config.get('SECRET_KEY')!r}.")
    if shop.config.get("GREETING") != "Hi":
        raise Wrong("with `SHOP_GREETING=Hi`, `GREETING` kept the default.")
    with _environment(SHOP_SECRET_KEY="from-the-environment"):
        defaults = create_shop()
    if defaults.config.get("PAGE_SIZE") != 20 or defaults.config.get("GREETING") != "Welcome to the shop":
        raise Wrong("without `SHOP_PAGE_SIZE` and `SHOP_GREETING`, the defaults from `ShopConfig` were lost.")
    for variables, what in (({"FLASK_SECRET_KEY": "the-wrong-prefix"}, "only `FLASK_SECRET_KEY` set"),
                            ({"SHOP_SECRET_KEY": ""}, "`SHOP_SECRET_KEY` set to an empty string")):
        with _environment(**variables):
            try:
                create_shop()
            except RuntimeError:
                continue
            except Exception as error:
                raise Wrong(f"with {what}, `create_shop()` raised {type(error).__name__}, not RuntimeError.") from None
        raise Wrong(f"with {what}, `create_shop()` returned an app.")
    return "SHOP_ variables for the key, a number and a text, the defaults alone, a FLASK_ key, and an empty key"


@exercise(
    "10.3",
    title="Trust exactly one proxy",
    task="""
        `proxied_app` will run behind one nginx, configured like the one in this chapter: it
        sets `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host`, and no other
        `X-Forwarded-` header. Wrap the app's WSGI app in `ProxyFix` so that the view sees
        the real client's address, scheme and host, and trusts nothing more than that one
        proxy sends. `proxied_app` itself must stay a Flask app.
    """,
    source="""
        from flask import Flask, request, url_for
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxied_app = Flask("behind_nginx")


        @proxied_app.get("/")
        def home():
            return {"client": request.remote_addr, "scheme": request.scheme, "home": url_for("home", _external=True)}


        ### BEGIN SOLUTION
        proxied_app.wsgi_app = ProxyFix(proxied_app.wsgi_app, x_for=1, x_proto=1, x_host=1)
        ### STARTER
        # nginx sets X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host: trust exactly those
        ### END SOLUTION
    """,
    hints=[
        "Wrap the inner WSGI app, not the Flask object: "
        "`proxied_app.wsgi_app = ProxyFix(proxied_app.wsgi_app, ...)`.",
        "Each `x_...` argument counts how many proxies set that header. One nginx sets three "
        "headers: `x_for=1, x_proto=1, x_host=1`.",
        "`x_prefix` and `x_port` stay 0: nginx does not set those headers, so any value in them "
        "came from the client. And `x_for=2` would believe the address the client forged in front.",
    ],
    args="proxied_app",
    right=[
        {"ProxyFix(proxied_app.wsgi_app, x_for=1, x_proto=1, x_host=1)": "ProxyFix(proxied_app.wsgi_app, x_host=1, x_proto=1)"},
        {"ProxyFix(proxied_app.wsgi_app, x_for=1, x_proto=1, x_host=1)": "ProxyFix(proxied_app.wsgi_app, 1, 1, 1, 0, 0)"},
        {"x_for=1, x_proto=1, x_host=1": "x_host=1"},  # x_for and x_proto default to 1
    ],
    wrong=[
        ({"x_for=1, x_proto=1, x_host=1": "x_for=1, x_proto=1"}, "127.0.0.1:8000"),
        ({"x_for=1, x_proto=1, x_host=1": "x_for=1, x_proto=0, x_host=1"}, "scheme as http"),
        ({"proxied_app.wsgi_app = ProxyFix(proxied_app.wsgi_app,": "proxied_app = ProxyFix(proxied_app,"}, "no longer a Flask app"),
    ],
    insecure=[
        ({"x_for=1, x_proto=1, x_host=1": "x_for=2, x_proto=1, x_host=1"}, "the client forged"),
        ({"x_for=1, x_proto=1, x_host=1": "x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1"}, "/forged"),
    ],
)
def _one_proxy(proxied_app):
    if not isinstance(proxied_app, Flask):
        raise Wrong(f"`proxied_app` is now {type(proxied_app).__name__}, no longer a Flask app.")
    headers = {
        # the client forged the first address; nginx appended the address it really saw
        "X-Forwarded-For": "198.51.100.66, 203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "shop.example",
        # nginx does not set these two: whatever is in them came from the client
        "X-Forwarded-Port": "8443",
        "X-Forwarded-Prefix": "/forged",
    }
    response = proxied_app.test_client().get(
        "/", headers=headers, base_url="http://127.0.0.1:8000", environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    if response.status_code != 200 or not response.is_json:
        raise Wrong(f"`GET /` answered {response.status}.")
    seen = response.get_json()
    sent = ("a request through nginx (X-Forwarded-For: 198.51.100.66, 203.0.113.7, Proto https, Host "
            "shop.example, and a forged Port 8443 and Prefix /forged)")
    if seen["client"] != "203.0.113.7":
        who = {"127.0.0.1": "nginx's own address", "198.51.100.66": "the address the client forged"}.get(seen["client"], "")
        raise Wrong(f"{sent} showed the client as {seen['client']}{', ' + who if who else ''}.")
    if seen["scheme"] != "https":
        raise Wrong(f"{sent} showed the scheme as {seen['scheme']}.")
    if seen["home"] != "https://shop.example/":
        raise Wrong(f"{sent} made `url_for(..., _external=True)` build {seen['home']}.")
    plain = proxied_app.test_client().get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    if plain["client"] != "127.0.0.1" or plain["scheme"] != "http":
        raise Wrong(f"a request with no `X-Forwarded-` headers showed {plain!r}.")
    return "a request through one nginx with a forged first address, forged Port and Prefix headers, and a direct request"


@exercise(
    "10.4",
    title="One key for every instance",
    task="""
        Each instance of the shop (each Gunicorn worker, each container) calls
        `make_instance()` when it starts. Behind a load balancer, a visitor's requests land
        on the instances in turn, and the visit counter in the session starts again at 1
        whenever the instance changes. Fix `make_instance()` so that every instance signs
        sessions with the same key, read from the environment variable `FLASK_SECRET_KEY`.
        Keep no key in the code, and when `FLASK_SECRET_KEY` is not set, refuse to start:
        raise an error instead of returning an app.
    """,
    source="""
        ### BEGIN SOLUTION
        ### STARTER
        import secrets

        ### END SOLUTION
        from flask import Flask, session


        def make_instance():
            \"\"\"One instance of the shop, as each worker or container builds it when it starts.\"\"\"
            app = Flask("shop")
            ### BEGIN SOLUTION
            app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY
            if not app.config.get("SECRET_KEY"):
                raise RuntimeError("set FLASK_SECRET_KEY: every instance needs the same secret key")
            ### STARTER
            app.config["SECRET_KEY"] = secrets.token_hex()
            ### END SOLUTION

            @app.get("/count")
            def count():
                session["count"] = session.get("count", 0) + 1
                return {"count": session["count"]}

            return app
    """,
    hints=[
        "`secrets.token_hex()` makes a new key each time it runs, so each instance signs with a "
        "different key and cannot read the others' cookies.",
        "`app.config.from_prefixed_env()` reads every `FLASK_...` variable: `FLASK_SECRET_KEY` "
        "becomes `SECRET_KEY`. The platform puts the same value in every instance's environment.",
        "A default such as `os.environ.get(\"FLASK_SECRET_KEY\", \"dev\")` keeps the site running with "
        "a key that is in the code, so anybody can forge a session (chapter 11 does it). Test for the "
        "key after loading and `raise RuntimeError(...)` when it is missing.",
    ],
    args="make_instance",
    right=[
        {"app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY\n    if not app.config.get(\"SECRET_KEY\"):":
         "app.secret_key = os.environ.get(\"FLASK_SECRET_KEY\")\n    if not app.secret_key:",
         "from flask import Flask, session": "import os\n\nfrom flask import Flask, session"},
        {"app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY\n    if not app.config.get(\"SECRET_KEY\"):\n        raise RuntimeError(\"set FLASK_SECRET_KEY: every instance needs the same secret key\")":
         "app.config[\"SECRET_KEY\"] = os.environ[\"FLASK_SECRET_KEY\"]  # a KeyError when it is not set",
         "from flask import Flask, session": "import os\n\nfrom flask import Flask, session"},
        # The key as bytes is the same key for every instance.
        {"app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY\n    if not app.config.get(\"SECRET_KEY\"):\n        raise RuntimeError(\"set FLASK_SECRET_KEY: every instance needs the same secret key\")":
         "app.secret_key = os.environ[\"FLASK_SECRET_KEY\"].encode()",
         "from flask import Flask, session": "import os\n\nfrom flask import Flask, session"},
    ],
    wrong=[
        ({"app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY\n": 'app.config["SECRET_KEY"] = "the-key-every-instance-gets"\n'},
         "key written in the code"),
        ({'if not app.config.get("SECRET_KEY"):': 'if "SECRET_KEY" not in app.config:'}, "signing with None"),
    ],
    insecure=[
        ({"app.config.from_prefixed_env()  # FLASK_SECRET_KEY becomes SECRET_KEY\n    if not app.config.get(\"SECRET_KEY\"):\n        raise RuntimeError(\"set FLASK_SECRET_KEY: every instance needs the same secret key\")":
          'app.config["SECRET_KEY"] = os.environ.get("FLASK_SECRET_KEY", "dev")',
          "from flask import Flask, session": "import os\n\nfrom flask import Flask, session"}, "without `FLASK_SECRET_KEY`"),
    ],
)
def _shared_key(make_instance):
    def visit_counts(key):
        with _environment(FLASK_SECRET_KEY=key):
            instances = [make_instance(), make_instance(), make_instance()]
        turns = itertools.cycle(instances)

        def balancer(environ, start_response):
            return next(turns)(environ, start_response)

        visitor = Client(balancer)
        counts = []
        for _ in range(6):
            response = visitor.get("/count")
            if response.status_code != 200 or not response.is_json:
                raise Wrong(f"`GET /count` answered {response.status}; keep the `/count` view as it is.")
            counts.append(response.get_json()["count"])
        return instances, counts

    instances, counts = visit_counts("the-key-every-instance-gets")
    if counts != [1, 2, 3, 4, 5, 6]:
        raise Wrong(f"six visits through a load balancer over three instances counted {counts}.")
    others, _ = visit_counts("another-key")
    if instances[0].secret_key == others[0].secret_key:  # the key itself, its bytes or a hash of it all change
        raise Wrong("with `FLASK_SECRET_KEY` set to two different values, the instances kept one key written in the code.")
    with _environment():
        try:
            keyless = make_instance()
        except (Exception, SystemExit):  # any error refuses the start: RuntimeError, KeyError, sys.exit(...)
            keyless = None
    if keyless is not None:
        raise Wrong(f"an instance started without `FLASK_SECRET_KEY` started anyway, signing with {keyless.secret_key!r}.")
    return "six visits over three instances, two different keys, and an instance started without FLASK_SECRET_KEY"


@exercise(
    "10.5",
    title="How many proxies? Ask the environment",
    kind="make",
    task="""
        The same code runs on your laptop (no proxy), on a server behind one nginx, and on a
        platform with a load balancer in front of nginx (two proxies). Write `create_app()`,
        a factory whose settings come from `FLASK_` environment variables, so that the
        number of proxies to trust is configuration, not code:

        - `FLASK_SECRET_KEY` is required: without it, `create_app()` raises `RuntimeError`;
        - `FLASK_PROXIES` is the number of proxies in front of the app: `0` (the default,
          when it is not set) trusts no `X-Forwarded-` header at all; `1` or `2` trust that
          many entries of `X-Forwarded-For` and `X-Forwarded-Proto`;
        - a `FLASK_PROXIES` that is not a whole number of 0 or more (`abc`, `-1`, `1.5`) stops
          `create_app()` with an error whose message names `FLASK_PROXIES`: an app started
          with it would crash on every request, or trust the wrong address;
        - `GET /` answers `{"client": request.remote_addr, "scheme": request.scheme}`.

        There is no cell to copy: combine exercise 10.2 (configuration from the environment)
        and 10.3 (`ProxyFix`).
    """,
    source="""
        from flask import Flask, request
        from werkzeug.middleware.proxy_fix import ProxyFix


        def create_app():
            ### BEGIN SOLUTION
            app = Flask("counted")
            app.config["PROXIES"] = 0
            app.config.from_prefixed_env()  # FLASK_PROXIES=2 becomes the number 2
            if not app.config.get("SECRET_KEY"):
                raise RuntimeError("set FLASK_SECRET_KEY")
            proxies = app.config["PROXIES"]
            if type(proxies) is not int or proxies < 0:  # abc stays text, 1.5 is a float, true a bool
                raise RuntimeError(f"FLASK_PROXIES must be a whole number of 0 or more, not {proxies!r}")
            if proxies:
                app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

            @app.get("/")
            def where_from():
                return {"client": request.remote_addr, "scheme": request.scheme}

            return app
            ### END SOLUTION
    """,
    hints=[
        "Start from 10.2: `app.config.from_prefixed_env()` reads `FLASK_SECRET_KEY` and "
        "`FLASK_PROXIES`; give `PROXIES` a default of 0 first, so that a missing variable means "
        "no proxy.",
        "`from_prefixed_env` parses `2` as the number 2, which is what `ProxyFix` wants: "
        "`ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)`.",
        "With 0 proxies, do not wrap the app at all (or pass 0, which trusts nothing). Define the "
        "view inside the factory, after the app exists, and return the app.",
        "Leave `x_host`, `x_port` and `x_prefix` at 0: nothing says these proxies set those headers, "
        "so whatever is in them came from the client. And `os.environ` holds strings: `\"1\"` is not "
        "a count `ProxyFix` can use.",
        "`from_prefixed_env` keeps `FLASK_PROXIES=abc` as the text `'abc'` and reads `1.5` as a float and `-1` as "
        "a negative number; `ProxyFix` crashes on the first two at every request and counts the third from the "
        "wrong end. Check `type(proxies) is int and proxies >= 0` before wrapping, and otherwise "
        "`raise RuntimeError(f\"FLASK_PROXIES must be a whole number of 0 or more, not {proxies!r}\")`.",
    ],
    args="create_app",
    right=[
        {"    if proxies:\n        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)":
         "    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)"},
        """
        import os

        from flask import Flask, request
        from werkzeug.middleware.proxy_fix import ProxyFix


        def create_app():
            app = Flask("counted")
            app.secret_key = os.environ.get("FLASK_SECRET_KEY")
            if not app.secret_key:
                raise RuntimeError("no secret key")
            try:
                count = int(os.environ.get("FLASK_PROXIES", "0"))
            except ValueError:
                count = -1
            if count < 0:
                raise ValueError("FLASK_PROXIES must be 0, 1, 2 or another count of proxies")
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)
            app.add_url_rule("/", "where_from", lambda: {"client": request.remote_addr, "scheme": request.scheme})
            return app
        """,
    ],
    wrong=[
        ({"x_for=proxies, x_proto=proxies": "x_for=1, x_proto=1"}, "FLASK_PROXIES=2"),
        ({"    app.config[\"PROXIES\"] = 0\n": ""}, "KeyError"),
        ({"x_for=proxies, x_proto=proxies": "x_for=proxies"}, "scheme"),
        ({"    proxies = app.config[\"PROXIES\"]\n    if type(proxies) is not int or proxies < 0:  # abc stays text, 1.5 is a float, true a bool\n"
          "        raise RuntimeError(f\"FLASK_PROXIES must be a whole number of 0 or more, not {proxies!r}\")":
          "    proxies = os.environ.get(\"FLASK_PROXIES\", 0)",
          "from flask import Flask, request": "import os\n\nfrom flask import Flask, request"}, "TypeError"),
        # isinstance(True, int) is true: FLASK_PROXIES=true would trust one proxy.
        ({"type(proxies) is not int or proxies < 0": "not isinstance(proxies, int) or proxies < 0"},
         "FLASK_PROXIES=true"),
        # No check of the value: FLASK_PROXIES=abc starts an app that crashes on every request.
        ({"    if type(proxies) is not int or proxies < 0:  # abc stays text, 1.5 is a float, true a bool\n"
          "        raise RuntimeError(f\"FLASK_PROXIES must be a whole number of 0 or more, not {proxies!r}\")\n": ""},
         "FLASK_PROXIES=abc"),
        # int() refuses abc with a message that does not name the setting.
        ({"    proxies = app.config[\"PROXIES\"]\n    if type(proxies) is not int or proxies < 0:  # abc stays text, 1.5 is a float, true a bool\n"
          "        raise RuntimeError(f\"FLASK_PROXIES must be a whole number of 0 or more, not {proxies!r}\")":
          "    proxies = int(app.config[\"PROXIES\"])"}, "does not name `FLASK_PROXIES`"),
    ],
    insecure=[
        ({"app.config[\"PROXIES\"] = 0": "app.config[\"PROXIES\"] = 1"}, "no `FLASK_PROXIES`"),
        ({"x_for=proxies, x_proto=proxies": "x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies"},
         "X-Forwarded-Prefix: /forged"),
        ({"    if not app.config.get(\"SECRET_KEY\"):\n        raise RuntimeError(\"set FLASK_SECRET_KEY\")\n": ""},
         "without `FLASK_SECRET_KEY`"),
    ],
)
def _proxies_from_the_environment(create_app):
    forged = {"X-Forwarded-For": "6.6.6.6, 198.51.100.2, 203.0.113.9", "X-Forwarded-Proto": "http, https"}
    ignored = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "6666", "X-Forwarded-Prefix": "/forged"}
    expected = {None: ("127.0.0.1", "http"), "0": ("127.0.0.1", "http"), "1": ("203.0.113.9", "https"),
                "2": ("198.51.100.2", "http")}
    for proxies, (client, scheme) in expected.items():
        variables = {"FLASK_SECRET_KEY": "k" * 32, **({"FLASK_PROXIES": proxies} if proxies is not None else {})}
        what = f"FLASK_PROXIES={proxies}" if proxies is not None else "no `FLASK_PROXIES`"
        with _environment(**variables):
            try:
                app = create_app()
            except Exception as error:
                raise Wrong(f"with {what}, `create_app()` raised `{type(error).__name__}: {error}`.") from None
        if not isinstance(app, Flask):
            raise Wrong(f"with {what}, `create_app()` returned {app!r}, not a Flask app.")
        try:
            app.add_url_rule("/_where", "_check_where", lambda: {"host": request.host, "root": request.script_root})
        except AssertionError:  # the factory already served a request: the check cannot add its probe
            pass
        try:
            response = ask(app, "GET", "/", headers=forged, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        except Wrong as crash:
            raise Wrong(f"with {what}: {crash}") from None
        if response.status_code != 200 or not response.is_json:
            raise Wrong(f"with {what}, `GET /` answered {response.status}.")
        seen = response.get_json()
        if (seen.get("client"), seen.get("scheme")) != (client, scheme):
            raise Wrong(f"with {what}, a request with X-Forwarded-For: {forged['X-Forwarded-For']} and "
                        f"X-Forwarded-Proto: {forged['X-Forwarded-Proto']} showed {seen!r}.")
        if "_check_where" in app.view_functions:
            where = ask(app, "GET", "/_where", headers={**forged, **ignored}, base_url="http://127.0.0.1:8000").get_json()
            if where != {"host": "127.0.0.1:8000", "root": ""}:
                believed = ", ".join(f"{name}: {value}" for name, value in ignored.items()
                                     if value.split(",")[-1].strip() in (where["host"] + where["root"]))
                raise Wrong(f"with {what}, a request that also forged {believed or 'X-Forwarded- headers'} made the "
                            f"app see the host {where['host']!r} and the prefix {where['root']!r}.")
    for value in ("abc", "-1", "1.5", "true"):
        what = f"FLASK_PROXIES={value}"
        with _environment(FLASK_SECRET_KEY="k" * 32, FLASK_PROXIES=value):
            try:
                app = create_app()
            except Exception as error:
                if "PROXIES" not in str(error):
                    raise Wrong(f"with {what}, `create_app()` raised `{type(error).__name__}: {error}`, a message "
                                "that does not name `FLASK_PROXIES`, the setting to fix.") from None
                continue
        try:
            seen = ask(app, "GET", "/", headers=forged, environ_base={"REMOTE_ADDR": "127.0.0.1"})
            outcome = f"whose `GET /` answered {seen.status} {text(seen).strip()[:80]!r}"
        except Wrong:
            outcome = "which answers every request with 500 Internal Server Error"
        why = (" (`from_prefixed_env` reads `true` as the bool True, and a bool passes for the number 1 in "
               "`isinstance(..., int)`)") if value == "true" else ""
        raise Wrong(f"with {what}, `create_app()` started an app, {outcome}{why}.")
    with _environment(FLASK_PROXIES="1"):
        try:
            keyless = create_app()
        except RuntimeError:
            keyless = None
    if keyless is not None:
        raise Wrong("`create_app()` started without `FLASK_SECRET_KEY`.")
    return ("no FLASK_PROXIES, and 0, 1 and 2 proxies against three forwarded addresses (the first forged) and "
            "forged Host, Port and Prefix headers, FLASK_PROXIES=abc, -1, 1.5 and true (refused, naming the setting), and a "
            "start without FLASK_SECRET_KEY")
