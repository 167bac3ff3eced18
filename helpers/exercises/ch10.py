"""Exercises of chapter 10: a Gunicorn command line, configuration from the environment,
ProxyFix for one proxy, and one secret key shared by every instance."""

import contextlib
import io
import itertools
import os
import shlex
from contextlib import contextmanager
from unittest import mock

from flask import Flask
from werkzeug.test import Client

from . import Wrong, exercise

APP_SPEC = "deployapp:create_app()"


@contextmanager
def _environment(**variables):
    """os.environ without any SHOP_ or FLASK_ variable, plus ``variables``; restored afterwards."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith(("SHOP_", "FLASK_"))}
    with mock.patch.dict(os.environ, {**kept, **variables}, clear=True):
        yield


def _gunicorn_settings(argv):
    """Parse a gunicorn command line with Gunicorn's own parser; return its settings and the app."""
    from gunicorn.config import Config

    config = Config()
    complaint = io.StringIO()
    try:
        with contextlib.redirect_stderr(complaint):
            parsed = config.parser().parse_args(argv)
    except SystemExit:
        reason = complaint.getvalue().strip().splitlines()[-1:] or ["it gave no reason"]
        raise Wrong(
            f"Gunicorn's own parser refused `{shlex.join(argv)}` ({reason[0].split('error: ', 1)[-1]}). Check the "
            "spelling of each option (`gunicorn --help` lists them) and that each option that takes a "
            "value has one."
        ) from None
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
        "`--access-logfile`.",
    ],
    args="gunicorn_command",
)
def _gunicorn_command(gunicorn_command):
    for cores in (1, 2, 8):
        argv = gunicorn_command(cores)
        if not isinstance(argv, list) or not all(isinstance(part, str) for part in argv):
            raise Wrong(
                f"`gunicorn_command({cores})` returned {argv!r}: return a list of strings, "
                'such as `["gunicorn", "--workers", "5", ...]`. Numbers must be strings: `str(5)`.'
            )
        if not argv or argv[0] != "gunicorn":
            raise Wrong('The list must start with the program\'s name, `"gunicorn"`.')
        config, apps = _gunicorn_settings(argv[1:])
        if apps != [APP_SPEC]:
            raise Wrong(
                f"The command serves {apps or 'no app'}; it should serve exactly `{APP_SPEC}` "
                "(the last item of the list)."
            )
        if config.bind != ["127.0.0.1:8000"]:
            if any(address.startswith(("0.0.0.0", "[::]", ":")) for address in config.bind):
                raise Wrong(
                    f"The command listens on {config.bind}: every network interface. Behind nginx on the "
                    "same machine, listen on loopback only, `--bind 127.0.0.1:8000`, so that nobody can "
                    "go around the proxy."
                )
            raise Wrong(f"The command listens on {config.bind}; it should listen on `127.0.0.1:8000` only.")
        if config.workers != 2 * cores + 1:
            raise Wrong(
                f"With {cores} core{'s' * (cores != 1)} the command starts {config.workers} workers; it should start "
                f"(2 × {cores}) + 1 = {2 * cores + 1}. Compute the number from `cores`."
            )
        if config.threads != 2:
            raise Wrong(f"Each worker has {config.threads} thread(s); it should have 2 (`--threads 2`).")
        if not config.control_socket_disable:
            raise Wrong(
                "Gunicorn would create its control socket outside the project (in `~/.gunicorn` or "
                "`$XDG_RUNTIME_DIR`): add `--no-control-socket`."
            )
        if config.accesslog != "-":
            raise Wrong(
                "Requests are not logged to standard output: add `--access-logfile -` (a dash means "
                "standard output)."
            )


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
    ],
    args="create_shop",
)
def _configuration(create_shop):
    with _environment(SHOP_SECRET_KEY="from-the-environment", SHOP_PAGE_SIZE="50", SHOP_GREETING="Hi"):
        try:
            shop = create_shop()
        except RuntimeError:
            raise Wrong(
                "With `SHOP_SECRET_KEY` set, `create_shop()` still raised `RuntimeError`: read the `SHOP_` "
                'variables before you test for the key, with the prefix `SHOP`: `app.config.from_prefixed_env("SHOP")` '
                "(without an argument it reads `FLASK_` variables)."
            ) from None
    if not isinstance(shop, Flask):
        raise Wrong(f"`create_shop()` returned {shop!r}; it should return the Flask app.")
    page_size = shop.config.get("PAGE_SIZE")
    if page_size == "50":
        raise Wrong(
            "`PAGE_SIZE` is the string `'50'`, not the number 50. `from_prefixed_env` parses values "
            "as JSON for you; reading `os.environ` by hand leaves them strings."
        )
    if page_size == 20:
        if shop.config.get("SECRET_KEY") == "from-the-environment":
            raise Wrong(
                "`SHOP_PAGE_SIZE=50` was overwritten by the default 20: load `ShopConfig` first and the "
                "environment after it, since the later call wins."
            )
        raise Wrong(
            "`SHOP_PAGE_SIZE=50` was ignored. Read the environment with the prefix `SHOP`: "
            '`app.config.from_prefixed_env("SHOP")` (the default prefix is `FLASK`).'
        )
    if page_size != 50:
        raise Wrong(f"With `SHOP_PAGE_SIZE=50`, `PAGE_SIZE` is {page_size!r}; it should be the number 50.")
    if shop.config.get("SECRET_KEY") != "from-the-environment":
        raise Wrong("`SHOP_SECRET_KEY` did not become `SECRET_KEY`: read it with the `SHOP` prefix.")
    if shop.config.get("GREETING") != "Hi":
        raise Wrong("`SHOP_GREETING` did not override the default `GREETING`: the environment must come last.")
    with _environment(SHOP_SECRET_KEY="from-the-environment"):
        defaults = create_shop()
    if defaults.config.get("PAGE_SIZE") != 20 or defaults.config.get("GREETING") != "Welcome to the shop":
        raise Wrong("Without `SHOP_PAGE_SIZE` and `SHOP_GREETING`, the defaults from `ShopConfig` must stay.")
    with _environment(FLASK_SECRET_KEY="the-wrong-prefix"):
        try:
            create_shop()
        except RuntimeError:
            pass
        except Exception as error:
            raise Wrong(
                f"With no `SHOP_SECRET_KEY`, `create_shop()` raised {type(error).__name__}; raise "
                "`RuntimeError` with a message that says which variable to set."
            ) from None
        else:
            raise Wrong(
                "With no `SHOP_SECRET_KEY` in the environment, `create_shop()` returned an app. It should "
                "refuse to start: `raise RuntimeError(...)` when `SECRET_KEY` is missing."
            )


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
        "came from the client.",
    ],
    args="proxied_app",
)
def _one_proxy(proxied_app):
    if not isinstance(proxied_app, Flask):
        raise Wrong(
            "`proxied_app` is no longer a Flask app. Wrap the WSGI app inside it instead: "
            "`proxied_app.wsgi_app = ProxyFix(proxied_app.wsgi_app, ...)`."
        )
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
        raise Wrong(f"`GET /` answered {response.status}; keep the view as it is and only wrap the app.")
    seen = response.get_json()
    if seen["client"] == "127.0.0.1":
        raise Wrong(
            "The view still sees nginx's address, 127.0.0.1, as the client: trust one `X-Forwarded-For` "
            "address with `x_for=1`."
        )
    if seen["client"] == "198.51.100.66":
        raise Wrong(
            "The view believed the address the client forged at the start of `X-Forwarded-For`. With one "
            "proxy, trust only the last address, the one nginx added: `x_for=1`."
        )
    if seen["client"] != "203.0.113.7":
        raise Wrong(f"The view sees the client as {seen['client']!r}; it should be 203.0.113.7, the address nginx added.")
    if seen["scheme"] != "https":
        raise Wrong("The view thinks the request came over plain HTTP: trust `X-Forwarded-Proto` with `x_proto=1`.")
    if "/forged" in seen["home"]:
        raise Wrong(
            "`url_for` now starts with `/forged`, a prefix the client made up: nginx does not set "
            "`X-Forwarded-Prefix`, so leave `x_prefix` at 0."
        )
    if ":8443" in seen["home"]:
        raise Wrong(
            "`url_for` now uses port 8443 from `X-Forwarded-Port`, which nginx does not set: leave `x_port` at 0."
        )
    if "127.0.0.1" in seen["home"]:
        raise Wrong(
            f"`url_for` builds {seen['home']}, the internal address: trust `X-Forwarded-Host` with `x_host=1`."
        )
    if seen["home"] != "https://shop.example/":
        raise Wrong(f"`url_for` builds {seen['home']}; it should build https://shop.example/.")
    plain = proxied_app.test_client().get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    if plain["client"] != "127.0.0.1" or plain["scheme"] != "http":
        raise Wrong("A request with no `X-Forwarded-` headers should still show 127.0.0.1 and http.")


@exercise(
    "10.4",
    title="One key for every instance",
    task="""
        Each instance of the shop (each Gunicorn worker, each container) calls
        `make_instance()` when it starts. Behind a load balancer, a visitor's requests land
        on the instances in turn, and the visit counter in the session starts again at 1
        whenever the instance changes. Fix `make_instance()` so that every instance signs
        sessions with the same key, read from the environment variable `FLASK_SECRET_KEY`.
        Keep no key in the code.
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
    ],
    args="make_instance",
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
        raise Wrong(
            f"Six visits through a load balancer over three instances counted {counts}; they should count "
            "1 to 6. Each instance signs with its own key, so it cannot read the cookie another one signed."
        )
    others, _ = visit_counts("another-key")
    if instances[0].secret_key != "the-key-every-instance-gets" or others[0].secret_key != "another-key":
        raise Wrong(
            "The instances share a key, but not the one in `FLASK_SECRET_KEY`: a key written in the code "
            "is readable by anyone who can read the repository. Read it with `app.config.from_prefixed_env()`."
        )
