"""Exercises of chapter 2: converters, a converter of your own, url_for under any prefix, GET or POST, old links."""

from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin

from flask import Flask, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from . import Wrong, exercise
from .probe import PROXY_ROOT, ask, expect, short, text

REDIRECTS = (301, 302, 303, 307, 308)


def _endpoint_for(app, path):
    """The endpoint whose view would run for ``GET path``, or None when routing alone answers."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return None
    return endpoint


@exercise(
    "2.1",
    title="Let the converter say no",
    task="""
        `squares` answers `GET /square/12` with `144`. But `GET /square/abc`
        crashes the view, and the visitor gets a 500. Change the **rule** so
        that Flask only calls the view for whole numbers from 0 to 1000:

        - `/square/12` answers `144`, and `/square/1000` answers `1000000`;
        - `/square/abc`, `/square/2.5`, `/square/-4` and `/square/1001` all
          answer 404 Not Found, without the view running.
    """,
    source="""
        from flask import Flask

        squares = Flask(__name__)


        ### BEGIN SOLUTION
        @squares.get("/square/<int(max=1000):n>")
        ### STARTER
        @squares.get("/square/<n>")
        ### END SOLUTION
        def square(n):
            ### BEGIN SOLUTION
            return str(n**2)
            ### STARTER
            return str(int(n) ** 2)
            ### END SOLUTION
    """,
    hints=[
        "A converter goes inside the angle brackets, before the name: `<int:n>`. "
        "With it, the view gets an `int`, and text such as `abc` never reaches it: Flask answers 404.",
        "Converters take arguments in parentheses: `<int(max=1000):n>` also refuses numbers above 1000.",
        "The `int` converter already refuses `-4` and `2.5`: it matches digits only. Checking the value "
        "inside the view is too late: the view has run.",
    ],
    args="squares",
    right=[
        {'@squares.get("/square/<int(max=1000):n>")': '@squares.route("/square/<int(min=0, max=1000):n>")'},
        {"return str(n**2)": 'return f"{n * n}"'},
        """
        from flask import Flask

        squares = Flask(__name__)
        squares.add_url_rule("/square/<int(max=1000):number>", "square", lambda number: str(number**2))
        """,
    ],
    wrong=[
        ({"<int(max=1000):n>": "<int:n>"}, "`GET /square/1001` answered 200 OK"),
        ({"<int(max=1000):n>": "<float(max=1000):n>"}, "`GET /square/12` answered 404"),
        ({"<int(max=1000):n>": "<int(signed=True, max=1000):n>"}, "`GET /square/-4` answered 200 OK"),
        ({"<int(max=1000):n>": "<int(min=1, max=1000):n>"}, "`GET /square/0` answered 404"),
        ({"<int(max=1000):n>": "<n>", "return str(n**2)":
          'if not n.isdigit() or int(n) > 1000:\n        return "not found", 404\n    return str(int(n) ** 2)'},
         "reached the view `square`"),
    ],
)
def _let_the_converter_say_no(squares):
    for path, expected in {"/square/12": "144", "/square/0": "0", "/square/1000": "1000000"}.items():
        response = expect(ask(squares, "GET", path), 200, f"GET {path}")
        if text(response).strip() != expected:
            raise Wrong(f"`GET {path}` says {short(text(response), 60)}, not {expected!r}.")
    for path in ["/square/abc", "/square/2.5", "/square/-4", "/square/1001", "/square/1e3"]:
        expect(ask(squares, "GET", path), 404, f"GET {path}")
        endpoint = _endpoint_for(squares, path)
        if endpoint is not None:
            rule = next(r.rule for r in squares.url_map.iter_rules() if r.endpoint == endpoint)
            raise Wrong(f"`GET {path}` answered 404, but only after it reached the view `{endpoint}`: "
                        f"the rule `{rule}` matched it.")
    return "GET /square/12, /0, /1000, and abc, 2.5, -4, 1001, 1e3 (404, and the router refused each before any view)"


@exercise(
    "2.2",
    title="A converter for dates",
    task="""
        Write `IsoDateConverter` so that the rule `/diary/<isodate:day>` hands
        the view a `datetime.date`:

        - `GET /diary/2024-02-29` answers `Thursday` (the view calls `day.strftime("%A")`);
        - `GET /diary/2024-02-30` (there is no such day) and `GET /diary/yesterday`
          answer 404 Not Found, not 500;
        - inside the app, `url_for("day_page", day=date(2025, 1, 31))` builds
          `/diary/2025-01-31`.

        Register the converter under the name `isodate` **before** the route
        that uses it.
    """,
    source="""
        from datetime import date

        from flask import Flask
        from werkzeug.routing import BaseConverter, ValidationError


        class IsoDateConverter(BaseConverter):
            regex = r"\\d{4}-\\d{2}-\\d{2}"

            def to_python(self, value):
            ### BEGIN SOLUTION
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    raise ValidationError() from None

            def to_url(self, value):
                return value.isoformat()
            ### STARTER
                return value  # turn the text into a date; refuse dates that do not exist
            ### END SOLUTION


        diary = Flask(__name__)
        ### BEGIN SOLUTION
        diary.url_map.converters["isodate"] = IsoDateConverter
        ### STARTER
        # register the converter under the name "isodate" here
        ### END SOLUTION


        ### BEGIN SOLUTION
        @diary.get("/diary/<isodate:day>")
        ### STARTER
        @diary.get("/diary/<day>")  # use the converter in this rule
        ### END SOLUTION
        def day_page(day):
            return day.strftime("%A")
    """,
    hints=[
        'Register it with `diary.url_map.converters["isodate"] = IsoDateConverter`, then write the rule '
        "as `/diary/<isodate:day>`. The registration must come first: a rule looks its converter up "
        "when it is added.",
        "`to_python` gets the matched text. `date.fromisoformat(value)` turns `2024-02-29` into a date.",
        "`date.fromisoformat(\"2024-02-30\")` raises `ValueError`, and any error but one makes a 500. "
        "Catch the `ValueError` and `raise ValidationError()`: that tells Flask the URL does not match, "
        "so the visitor gets 404.",
        "`to_url` gets the date and must return text: `value.isoformat()`.",
    ],
    args="diary",
    right=[
        {"    def to_url(self, value):\n        return value.isoformat()\n": ""},
        {"return date.fromisoformat(value)": 'return datetime.strptime(value, "%Y-%m-%d").date()',
         "from datetime import date": "from datetime import date, datetime",
         "return value.isoformat()": 'return value.strftime("%Y-%m-%d")'},
        {'regex = r"\\d{4}-\\d{2}-\\d{2}"': 'regex = r"[^/]+"'},
        {"        except ValueError:\n            raise ValidationError() from None":
         "        except ValueError:\n            abort(404)",
         "from flask import Flask": "from flask import Flask, abort"},
    ],
    wrong=[
        ({"        try:\n            return date.fromisoformat(value)\n        except ValueError:\n"
          "            raise ValidationError() from None": "        return date.fromisoformat(value)"},
         "day is out of range for month"),
        ({"raise ValidationError() from None": "return None"}, "'NoneType' object has no attribute 'strftime'"),
        ({"return value.isoformat()": "return value"}, "url_for"),
        ({"<isodate:day>": "<day>"}, "'str' object has no attribute 'strftime'"),
        ({'converters["isodate"]': 'converters["date"]', "<isodate:day>": "<date:day>"},
         "no converter named 'isodate'"),
    ],
)
def _a_converter_for_dates(diary):
    if "isodate" not in diary.url_map.converters:
        raise Wrong(f"`diary` has no converter named 'isodate'; it has {sorted(diary.url_map.converters)}.")
    response = expect(ask(diary, "GET", "/diary/2024-02-29"), 200, "GET /diary/2024-02-29")
    if text(response) != "Thursday":
        raise Wrong(f"`GET /diary/2024-02-29` says {short(text(response), 60)}, not 'Thursday'.")
    expect(ask(diary, "GET", "/diary/1999-12-31"), 200, "GET /diary/1999-12-31")
    _, values = diary.url_map.bind("localhost").match("/diary/2024-02-29")
    if not all(isinstance(value, date) for value in values.values()):
        raise Wrong(f"for `/diary/2024-02-29` the router hands the view {values!r}, not a `date`.")
    for path in ["/diary/2024-02-30", "/diary/2023-13-01", "/diary/2023-02-29", "/diary/yesterday"]:
        expect(ask(diary, "GET", path), 404, f"GET {path}")
        endpoint = _endpoint_for(diary, path)
        if endpoint is not None:
            raise Wrong(f"`GET {path}` answered 404, but only after it reached the view `{endpoint}`.")
    with diary.test_request_context():
        try:
            built = url_for("day_page", day=date(2025, 1, 31))
        except Exception as error:
            raise Wrong(f"`url_for('day_page', day=date(2025, 1, 31))` raised "
                        f"`{type(error).__name__}: {error}`.") from None
    if built != "/diary/2025-01-31":
        raise Wrong(f"`url_for('day_page', day=date(2025, 1, 31))` built {built!r}.")
    expect(ask(diary, "GET", built), 200, f"GET {built}, the URL url_for built")
    return ("GET /diary/2024-02-29 and 1999-12-31 (200), 2024-02-30, 2023-13-01, 2023-02-29 and yesterday "
            "(404), and url_for with a date, whose URL was fetched back")


class _Links(HTMLParser):
    """The ``href`` of every ``<a>`` in a page, however the attribute is quoted."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value is not None]


def _mounts(bp):
    """``(app, root, prefix)`` for the blueprint registered under two prefixes, and behind Binder's proxy."""
    for root, prefix in [("", "/shop"), ("", "/store"), (PROXY_ROOT, "/shop")]:
        app = Flask(__name__)
        app.register_blueprint(bp, url_prefix=prefix)
        yield app, root, prefix


@exercise(
    "2.3",
    title="Links that follow the prefix",
    task="""
        The blueprint `shop` types its URLs by hand, so it only works when it
        is registered under `/shop`. Fix its two views with `url_for`, so that
        they work under **any** prefix:

        - `index` (the rule `/`) returns `<a href="...">item 3</a>`, a link to item 3;
        - `latest` (the rule `/latest`) redirects to item 3.

        The check registers `shop` on three apps (under `/shop`, under `/store`,
        and under `/shop` behind a proxy prefix like Binder's) and follows the
        link and the redirect on each.
    """,
    source="""
        from flask import Blueprint, redirect, url_for

        shop = Blueprint("shop", __name__)


        @shop.get("/items/<int:item_id>")
        def item(item_id):
            return f"item {item_id}"


        @shop.get("/")
        def index():
            ### BEGIN SOLUTION
            return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'
            ### STARTER
            return '<a href="/shop/items/3">item 3</a>'
            ### END SOLUTION


        @shop.get("/latest")
        def latest():
            ### BEGIN SOLUTION
            return redirect(url_for(".item", item_id=3))
            ### STARTER
            return redirect("/shop/items/3")
            ### END SOLUTION
    """,
    hints=[
        "`url_for` takes the endpoint, not the URL. A blueprint's endpoints are named "
        '`blueprint_name.function_name`: here `"shop.item"`, or `".item"` from inside the blueprint.',
        "Pass the rule's variable part as a keyword: `url_for(\".item\", item_id=3)`.",
        "Put the built URL into the link with an f-string, and hand it to `redirect(...)` in `latest`. "
        "Anything built from `request.path` misses the proxy's prefix: `url_for` knows it.",
    ],
    args="shop",
    right=[
        {"""return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'""":
         """return f"<a href='{url_for('.item', item_id=3)}'>item 3</a>\""""},
        {'url_for(".item", item_id=3))': 'url_for("shop.item", item_id=3, _external=True))',
         """url_for(".item", item_id=3)}">""": """url_for(".item", item_id=3, _external=True)}">"""},
        {"""return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'""":
         'link = url_for("shop.item", item_id=3)\n'
         """    return f'<p>Our latest: <a class="item" href={link}>item 3</a></p>'"""},
        {"""return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'""":
         """return '<a href="items/3">item 3</a>'""",
         'return redirect(url_for(".item", item_id=3))': 'return redirect("items/3")'},
    ],
    wrong=[
        ({'return redirect(url_for(".item", item_id=3))': 'return redirect("/shop/items/3")'},
         "redirected to `/shop/items/3`, which is http://localhost/shop/items/3"),
        ({"""url_for(".item", item_id=3)}">""": """url_for("item", item_id=3)}">"""}, "BuildError"),
        ({'url_for(".item", item_id=3))': 'url_for(".item", id=3))'}, "BuildError"),
        ({"""return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'""":
          """return f'<a href="{request.path}items/3">item 3</a>'""",
          "from flask import Blueprint, redirect, url_for": "from flask import Blueprint, redirect, request, url_for"},
         PROXY_ROOT),
        ({'url_for(".item", item_id=3))': 'url_for(".index"))'}, "redirected to"),
        ({"""return f'<a href="{url_for(".item", item_id=3)}">item 3</a>'""": """return url_for(".item", item_id=3)"""},
         "has no link"),
    ],
)
def _links_that_follow_the_prefix(shop):
    for app, root, prefix in _mounts(shop):
        where = f"registered under `{prefix}`" + (f" behind the proxy prefix `{root}`" if root else "")
        base = f"http://localhost{root}"
        expected = f"{base}{prefix}/items/3"
        index = expect(ask(app, "GET", f"{prefix}/", base_url=base), 200, f"GET {prefix}/ ({where})")
        parser = _Links()
        parser.feed(text(index))
        if not parser.hrefs:
            raise Wrong(f"{where}, the index page has no link: it says {short(text(index), 80)}.")
        page_url = f"{base}{prefix}/"
        reached = [urljoin(page_url, href) for href in parser.hrefs]
        if expected not in reached:
            raise Wrong(f"{where}, the index page's link `href={parser.hrefs[0]!r}` leads to {reached[0]}, "
                        f"not to item 3 at {expected}.")
        for href, url in zip(parser.hrefs, reached):
            answer = ask(app, "GET", url.removeprefix(base), base_url=base) if url.startswith(base + "/") else None
            if answer is None or answer.status_code != 200:
                raise Wrong(f"{where}, the index page's link `href={href!r}` leads to {url}, which "
                            + (f"answers {answer.status}." if answer is not None else "is outside the app."))
        latest = ask(app, "GET", f"{prefix}/latest", base_url=base)
        if latest.status_code not in REDIRECTS:
            raise Wrong(f"`GET {prefix}/latest` ({where}) answered {latest.status}, not a redirect.")
        target = urljoin(f"{base}{prefix}/latest", latest.headers.get("Location", ""))
        if target != expected:
            raise Wrong(f"`GET {prefix}/latest` ({where}) redirected to `{latest.headers.get('Location')}`, "
                        f"which is {target}, not item 3 at {expected}.")
        item = ask(app, "GET", f"{prefix}/items/3", base_url=base)
        if item.status_code != 200 or text(item) != "item 3":
            raise Wrong(f"`GET {prefix}/items/3` ({where}) answered {item.status} {short(text(item), 40)}.")
    return "the link and the redirect under /shop, /store and /shop behind the proxy prefix, each resolved and followed"


def _mounted(app, method, path, root):
    return ask(app, method, path, base_url=f"http://localhost{root}")


@exercise(
    "2.4",
    title="Old links keep working",
    kind="make",
    task="""
        `blog` shows each post at `/posts/<int:post_id>`. Links from the site's
        old software look like `/index.php?p=42`, and they are all over the
        web. Add one view so that:

        - `GET /index.php?p=42` redirects **permanently** (status 301 or 308) to
          the post's new URL, built with `url_for`, so that it also works
          behind a proxy prefix such as Binder's;
        - `/index.php` with `p` missing or not a whole number (`?p=abc`)
          answers 404 Not Found, and so does a number that no post's URL can
          have: never send a visitor, or a search engine, permanently to a page
          that does not exist.

        The query string is not part of any rule: the view reads it from
        `request.args`, a dict of its parameters (chapter 3 shows it in full).
    """,
    source="""
        from flask import Flask, redirect, request, url_for

        blog = Flask(__name__)


        @blog.get("/posts/<int:post_id>")
        def post(post_id):
            return f"Post {post_id}"


        ### BEGIN SOLUTION
        @blog.get("/index.php")
        def old_link():
            try:
                post_id = int(request.args["p"])
            except (KeyError, ValueError):
                return "There is no such post.", 404
            if post_id < 0:  # /posts/<int:post_id> matches no negative number
                return "There is no such post.", 404
            return redirect(url_for("post", post_id=post_id), code=301)
        ### STARTER
        # add the view for the old links here
        ### END SOLUTION
    """,
    hints=[
        "The old URL's path is `/index.php`; the post's number is in the query string, `request.args`. "
        "The new URL comes from `url_for(\"post\", post_id=...)`.",
        "`redirect(url, code=...)` takes the status as `code`; without it you get a temporary redirect. "
        "301 and 308 say \"moved for good\", so search engines and browsers update their links.",
        "`request.args[\"p\"]` raises `KeyError` when `p` is missing and `int(...)` raises `ValueError` "
        "for `abc`: catch both and `return \"...\", 404`.",
        "`int()` also reads `-5`, and the rule `<int:post_id>` matches no negative number, so "
        "`/posts/-5` does not exist: answer 404 for it too. `\"²\".isdigit()` is True, yet `int(\"²\")` "
        "raises `ValueError`: let `int()` decide, and catch its error.",
    ],
    args="blog",
    right=[
        {"return redirect(url_for(\"post\", post_id=post_id), code=301)":
         "return redirect(url_for(\"post\", post_id=post_id, _external=True), 308)"},
        """
        from flask import Flask, abort, redirect, request, url_for

        blog = Flask(__name__)


        @blog.get("/posts/<int:post_id>")
        def post(post_id):
            return f"Post {post_id}"


        @blog.route("/index.php")
        def old_link():
            post_id = request.args.get("p", type=int)
            if post_id is None or post_id < 0:
                abort(404)
            return redirect(url_for("post", post_id=post_id), code=308)
        """,
        {"    try:\n        post_id = int(request.args[\"p\"])\n    except (KeyError, ValueError):\n"
         "        return \"There is no such post.\", 404\n    if post_id < 0:  # /posts/<int:post_id> matches no negative number\n"
         "        return \"There is no such post.\", 404\n":
         "    p = request.args.get(\"p\", \"\")\n    if not (p.isascii() and p.isdecimal()):  # 0-9 only\n"
         "        return \"There is no such post.\", 404\n    post_id = int(p)\n"},
    ],
    wrong=[
        ({", code=301)": ")"}, "a temporary redirect"),
        ({'url_for("post", post_id=post_id)': 'f"/posts/{post_id}"'}, PROXY_ROOT),
        ({"    try:\n        post_id = int(request.args[\"p\"])\n    except (KeyError, ValueError):\n"
          "        return \"There is no such post.\", 404\n": "    post_id = int(request.args[\"p\"])\n"},
         "ValueError"),
        ({"except (KeyError, ValueError):": "except ValueError:"}, "`GET /index.php` answered 400"),
        ({'url_for("post", post_id=post_id)': 'request.script_root + "/posts/" + request.args["p"]'}, "/posts/007"),
        ({"    if post_id < 0:  # /posts/<int:post_id> matches no negative number\n        return \"There is no such post.\", 404\n": ""},
         "`GET /posts/-5` answers 404"),
        # The learner trial's answers: isdigit() lets "²" through to int(); type=int lets -5 through.
        ("""
        from flask import Flask, abort, redirect, request, url_for

        blog = Flask(__name__)


        @blog.get("/posts/<int:post_id>")
        def post(post_id):
            return f"Post {post_id}"


        @blog.get("/index.php")
        def old_link():
            p = request.args.get("p", "")
            if not p.isdigit():
                abort(404)
            return redirect(url_for("post", post_id=int(p)), 301)
        """, "p=%C2%B2` crashed"),
        ("""
        from flask import Flask, abort, redirect, request, url_for

        blog = Flask(__name__)


        @blog.get("/posts/<int:post_id>")
        def post(post_id):
            return f"Post {post_id}"


        @blog.get("/index.php")
        def old_link():
            post_id = request.args.get("p", type=int)
            if post_id is None:
                abort(404)
            return redirect(url_for("post", post_id=post_id), code=308)
        """, "`GET /posts/-5` answers 404"),
        # 0 is a whole number, and /posts/0 is a post's URL; and -5 must not be turned into another post.
        ({"if post_id < 0:": "if post_id <= 0:"}, "`/posts/0` is the URL of a post"),
        ({"    if post_id < 0:  # /posts/<int:post_id> matches no negative number\n        return \"There is no such post.\", 404\n": "",
          'url_for("post", post_id=post_id)': 'url_for("post", post_id=abs(post_id))'}, "to `/posts/5`; expected 404"),
    ],
)
def _old_links_keep_working(blog):
    for root in ["", PROXY_ROOT]:
        where = f" behind the proxy prefix `{root}`" if root else ""
        for number in ["42", "7", "007", "0"]:
            what = f"`GET /index.php?p={number}`{where}"
            moved = _mounted(blog, "GET", f"/index.php?p={number}", root)
            if moved.status_code in REDIRECTS and moved.status_code not in (301, 308):
                raise Wrong(f"{what} answered {moved.status} to `{moved.location}`, a temporary redirect.")
            if moved.status_code not in (301, 308):
                raise Wrong(f"{what} answered {moved.status}, though `/posts/{int(number)}` is the URL of a post "
                            "(the rule `<int:post_id>` matches it); expected 301 or 308 to it.")
            expected = f"http://localhost{root}/posts/{int(number)}"
            target = urljoin(f"http://localhost{root}/index.php", moved.headers.get("Location", ""))
            if target != expected:
                raise Wrong(f"{what} redirected to `{moved.headers.get('Location')}`, which is {target}, "
                            f"not {expected}.")
            new = _mounted(blog, "GET", f"/posts/{int(number)}", root)
            if new.status_code != 200:
                raise Wrong(f"`GET /posts/{int(number)}`{where} answered {new.status}.")
        for query, shown in [("?p=abc", "?p=abc"), ("?p=", "?p="), ("?p=4.2", "?p=4.2"), ("", ""), ("?q=42", "?q=42"),
                             ("?p=%C2%B2", "?p=²"), ("?p=-5", "?p=-5")]:
            answer = _mounted(blog, "GET", f"/index.php{query}", root)
            if answer.status_code in REDIRECTS:
                target = urljoin(f"http://localhost{root}/index.php", answer.headers.get("Location", ""))
                path = target.removeprefix(f"http://localhost{root}")
                landed = _mounted(blog, "GET", path, root) if target.startswith(f"http://localhost{root}/") else None
                if landed is not None and landed.status_code == 404:
                    raise Wrong(f"`GET /index.php{shown}`{where} answered {answer.status} to `{answer.location}`, and "
                                f"`GET {path}` answers 404: a redirect to a page that does not exist.")
            if answer.status_code != 404:
                to = f" to `{answer.location}`" if answer.status_code in REDIRECTS else ""
                raise Wrong(f"`GET /index.php{shown}`{where} answered {answer.status}{to}; expected 404 Not Found.")
    return ("GET /index.php?p=42, 7, 007 and 0 (301 or 308, to /posts/42, /7, /7, /0), and without p, with abc, "
            "an empty p, 4.2, q=42, ² and -5 (404), directly and behind the proxy prefix")


@exercise(
    "2.5",
    title="Unsubscribe with POST",
    task="""
        `newsletter` unsubscribes an address with `GET /unsubscribe?email=...`.
        A GET should be safe: a link checker, a browser prefetching a link or a
        crawler could unsubscribe people just by following the link, and the
        address lands in every log. Make it a POST:

        - `POST /unsubscribe` with the form field `email` removes the address
          from `subscribers` and answers 200;
        - `GET /unsubscribe?email=...` answers 405 Method Not Allowed and
          removes nobody;
        - a POST without an `email` field in its body answers 400 Bad Request
          and removes nobody, even when the URL has `?email=...`.
    """,
    source="""
        from flask import Flask, request

        newsletter = Flask(__name__)
        subscribers = {"ada@example.com", "grace@example.com"}


        ### BEGIN SOLUTION
        @newsletter.post("/unsubscribe")
        ### STARTER
        @newsletter.get("/unsubscribe")
        ### END SOLUTION
        def unsubscribe():
            ### BEGIN SOLUTION
            email = request.form["email"]
            ### STARTER
            email = request.args["email"]
            ### END SOLUTION
            subscribers.discard(email)
            return "That address will get no more mail."
    """,
    hints=[
        "Change the decorator to `@newsletter.post(...)`. With no GET rule left, Flask answers a GET with "
        "405 by itself.",
        "A POST from a form carries its fields in the body, so read `request.form[\"email\"]`. "
        "`request.args` (and `request.values`, which merges both) read the query string, which is part of "
        "the URL and so of every log.",
        "Square brackets matter: `request.form[\"email\"]` answers 400 when the field is missing, while "
        "`request.form.get(\"email\")` quietly gives `None`.",
    ],
    args="newsletter, subscribers",
    right=[
        {'@newsletter.post("/unsubscribe")': '@newsletter.route("/unsubscribe", methods=["POST"])'},
        {'email = request.form["email"]':
         'email = request.form.get("email")\n    if email is None:\n        return "send the email field", 400'},
    ],
    wrong=[
        ({'email = request.form["email"]': 'email = request.args["email"]'}, "in the query string"),
        ({'email = request.form["email"]': 'email = request.form.get("email")'},
         "without an `email` field in its body answered 200"),
        ({'email = request.form["email"]': 'email = request.values["email"]'}, "query string"),
    ],
    insecure=[
        ({'@newsletter.post("/unsubscribe")': '@newsletter.route("/unsubscribe", methods=["GET", "POST"])',
          'email = request.form["email"]': 'email = request.values["email"]'}, "`GET /unsubscribe?email="),
        # The address sent back in the page as it came: a cross-site POST can carry a script.
        ({'return "That address will get no more mail."': 'return f"{email} will get no more mail"'},
         "came back as a tag"),
    ],
)
def _unsubscribe_with_post(newsletter, subscribers):
    address = "check-2.5@example.com"
    subscribers.add(address)
    others = set(subscribers) - {address}

    def gone(what, response):
        """Raise Wrong when ``what`` removed the address, or anybody else."""
        lost = sorted(others - subscribers)
        if lost:
            raise Wrong(f"{what} answered {response.status} and removed {', '.join(lost)}, "
                        f"who {'was' if len(lost) == 1 else 'were'} not named in the request.")
        if address not in subscribers:
            raise Wrong(f"{what} answered {response.status} and unsubscribed {address}.")

    try:
        what = f"`GET /unsubscribe?email={address}`"
        sneaky = ask(newsletter, "GET", "/unsubscribe", query_string={"email": address})
        gone(what, sneaky)
        if sneaky.status_code != 405:
            raise Wrong(f"{what} answered {sneaky.status}.")
        what = f"`POST /unsubscribe?email={address}`, with the address in the query string and an empty body,"
        gone(what, ask(newsletter, "POST", "/unsubscribe", query_string={"email": address}))
        empty = ask(newsletter, "POST", "/unsubscribe", data={})
        gone("`POST /unsubscribe` without an `email` field", empty)
        if empty.status_code != 400:
            raise Wrong(f"`POST /unsubscribe` without an `email` field in its body answered {empty.status}.")
        posted = ask(newsletter, "POST", "/unsubscribe", data={"email": address})
        if posted.status_code != 200:
            raise Wrong(f"`POST /unsubscribe` with the form field `email` answered {posted.status}.")
        if others - subscribers:
            raise Wrong(f"`POST /unsubscribe` with the form field removed {', '.join(sorted(others - subscribers))} "
                        "as well.")
        if address in subscribers:
            raise Wrong(f"`POST /unsubscribe` with the form field answered {posted.status}, and the address "
                        "is still in `subscribers`.")
        # Any site can make a visitor's browser send this POST: what it answers must not run a script of theirs.
        marked = "<img src=x onerror=alert(1)>@example.com"
        echoed = ask(newsletter, "POST", "/unsubscribe", data={"email": marked})
        if echoed.mimetype == "text/html" and marked in text(echoed):
            raise Wrong(f"`POST /unsubscribe` with the address {marked!r} answered an HTML page in which that address "
                        "came back as a tag: another site's form can make a visitor's browser send this POST, and its "
                        "script would then run on this site. Answer without repeating the address (chapter 4 shows "
                        "how to escape it).")
    finally:
        subscribers.discard(address)
    return ("GET with ?email= (405, nobody removed), POST with the address only in the query string (refused), "
            "POST without the field (400), POST with the form field (200, that address alone removed), and one "
            "with markup in the address (not sent back as HTML)")
