"""Exercises of chapter 2: converters, a converter of your own, url_for in a blueprint, GET or POST."""

import re
from datetime import date

from flask import Flask, url_for

from . import Wrong, exercise


def _ask(app, method, path, what_to_fix="", **kwargs):
    """Send one request through the test client; turn a crash in the learner's code into a hint."""
    before = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = True  # raise here instead of logging a traceback and answering 500
    try:
        return app.test_client().open(path, method=method, **kwargs)
    except Exception as error:
        raise Wrong(
            f"`{method} {path}` crashed inside your code with `{type(error).__name__}: {error}`, "
            f"so a visitor would get 500 Internal Server Error. {what_to_fix}"
        ) from None
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = before


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
        "The `int` converter already refuses `-4` and `2.5`: it matches digits only.",
    ],
    args="squares",
)
def _let_the_converter_say_no(squares):
    rules = [rule.rule for rule in squares.url_map.iter_rules() if rule.endpoint == "square"]
    good = {"/square/12": "144", "/square/0": "0", "/square/1000": "1000000"}
    for path, expected in good.items():
        response = _ask(squares, "GET", path)
        if response.status_code != 200:
            why = " Use `int`: the `float` converter needs a decimal point." if "float" in str(rules) else ""
            raise Wrong(f"`GET {path}` answers {response.status}; it should answer 200 with {expected}.{why}")
        if response.get_data(as_text=True).strip() != expected:
            raise Wrong(f"`GET {path}` says {response.get_data(as_text=True)!r}; it should say {expected!r}.")
    fixes = {
        "/square/abc": "Use the `int` converter in the rule, `<int:n>`, so that text never reaches the view.",
        "/square/2.5": "Use the `int` converter in the rule, `<int:n>`: it matches digits only.",
        "/square/-4": "Use the `int` converter in the rule: by default it refuses a minus sign.",
        "/square/1001": "Give the converter a limit: `<int(max=1000):n>`.",
    }
    for path, fix in fixes.items():
        response = _ask(squares, "GET", path, fix)
        if response.status_code != 404:
            raise Wrong(f"`GET {path}` answers {response.status}; it should be 404 Not Found. {fix}")
    if any(re.search(r"<(string(\(.*?\))?:)?n>", rule) for rule in rules):  # no converter, or `string`
        raise Wrong(
            "the answers are right, but the rule still lets any text through to the view, which then "
            "has to refuse it. Let the rule refuse it instead: `<int(max=1000):n>`."
        )


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
    ],
    args="diary",
)
def _a_converter_for_dates(diary):
    converter = diary.url_map.converters.get("isodate")
    if converter is None:
        raise Wrong('there is no converter named "isodate": add it to `diary.url_map.converters` before the route.')
    rules = [rule.rule for rule in diary.url_map.iter_rules() if rule.endpoint == "day_page"]
    if rules != ["/diary/<isodate:day>"]:
        raise Wrong(f"the view `day_page` has the rules {rules}; it should have one, `/diary/<isodate:day>`.")
    response = _ask(
        diary,
        "GET",
        "/diary/2024-02-29",
        "Make `to_python` return `date.fromisoformat(value)` so that the view gets a date, not text.",
    )
    if response.status_code != 200 or response.get_data(as_text=True) != "Thursday":
        raise Wrong(
            f"`GET /diary/2024-02-29` answers {response.status} {response.get_data(as_text=True)[:60]!r}; "
            "it should answer 200 'Thursday'."
        )
    for path in ["/diary/2024-02-30", "/diary/2023-13-01", "/diary/yesterday"]:
        response = _ask(
            diary,
            "GET",
            path,
            "In `to_python`, catch the `ValueError` and `raise ValidationError()`, so that Flask answers 404.",
        )
        if response.status_code != 404:
            raise Wrong(f"`GET {path}` answers {response.status}; a day that does not exist should be 404.")
    with diary.test_request_context():
        try:
            built = url_for("day_page", day=date(2025, 1, 31))
        except Exception as error:
            raise Wrong(
                f"`url_for('day_page', day=date(2025, 1, 31))` raised `{type(error).__name__}`. "
                "`to_url` gets the date and must return text, such as `value.isoformat()`."
            ) from None
    if built != "/diary/2025-01-31":
        raise Wrong(f"`url_for` built {built!r}; it should build '/diary/2025-01-31'.")


@exercise(
    "2.3",
    title="Links that follow the prefix",
    task="""
        The blueprint `shop` types its URLs by hand, so it only works when it
        is registered under `/shop`. Fix its two views with `url_for`, so that
        they work under **any** prefix:

        - `index` (the rule `/`) returns `<a href="...">item 3</a>`, a link to item 3;
        - `latest` (the rule `/latest`) redirects to item 3.

        The check registers `shop` on two apps, under `/shop` and under `/store`,
        and looks where the link and the redirect point on both.
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
        "Put the built URL into the link with an f-string, and hand it to `redirect(...)` in `latest`.",
    ],
    args="shop",
)
def _links_that_follow_the_prefix(shop):
    crash = (
        "Build the URL with `url_for(\".item\", item_id=3)`: the endpoint is the view's name after a dot, "
        "and the rule's variable part `item_id` is a keyword argument."
    )
    for prefix in ["/shop", "/store"]:
        app = Flask(__name__)
        app.register_blueprint(shop, url_prefix=prefix)
        index = _ask(app, "GET", f"{prefix}/", crash)
        if index.status_code != 200:
            raise Wrong(f"under `{prefix}`, `GET {prefix}/` answers {index.status}; it should answer 200.")
        expected = f'href="{prefix}/items/3"'
        page = index.get_data(as_text=True)
        if expected not in page:
            raise Wrong(
                f"registered under `{prefix}`, the index page says `{page}`; its link should be "
                f"`{expected}`. A typed URL cannot know the prefix; `url_for` does."
            )
        latest = _ask(app, "GET", f"{prefix}/latest", crash)
        if latest.status_code not in (301, 302, 303, 307, 308):
            raise Wrong(f"`GET {prefix}/latest` answers {latest.status}; it should redirect (return `redirect(...)`).")
        target = latest.headers.get("Location", "")
        if not target.endswith(f"{prefix}/items/3"):
            raise Wrong(
                f"registered under `{prefix}`, `/latest` redirects to {target!r}; it should go to "
                f"`{prefix}/items/3`. Build the target with `url_for`."
            )


@exercise(
    "2.4",
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
        - a POST without an `email` field answers 400 Bad Request.
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
            return f"{email} will get no more mail"
    """,
    hints=[
        "Change the decorator to `@newsletter.post(...)`. With no GET rule left, Flask answers a GET with "
        "405 by itself.",
        "A POST from a form carries its fields in the body, so read `request.form[\"email\"]`, "
        "not `request.args`, which holds the query string.",
        "Square brackets matter: `request.form[\"email\"]` answers 400 when the field is missing, while "
        "`request.form.get(\"email\")` quietly gives `None`.",
    ],
    args="newsletter, subscribers",
)
def _unsubscribe_with_post(newsletter, subscribers):
    address = "check-2.4@example.com"
    subscribers.add(address)
    try:
        sneaky = _ask(newsletter, "GET", "/unsubscribe", query_string={"email": address})
        if address not in subscribers:
            raise Wrong(
                "a plain `GET /unsubscribe?email=...` still unsubscribed the address: anything that follows "
                "a link can do that. Use `@newsletter.post(...)` instead of `.get`."
            )
        if sneaky.status_code != 405:
            raise Wrong(
                f"`GET /unsubscribe?email=...` answers {sneaky.status}; it should be 405 Method Not Allowed. "
                'Keep the rule `/unsubscribe` and accept POST only, `@newsletter.post("/unsubscribe")`: '
                "Flask then answers a GET with 405 by itself."
            )
        posted = _ask(newsletter, "POST", "/unsubscribe", data={"email": address})
        if posted.status_code == 400:
            raise Wrong(
                "`POST /unsubscribe` with the form field `email` answers 400. The field is in the body: "
                'read it with `request.form["email"]`, not `request.args`.'
            )
        if posted.status_code != 200:
            raise Wrong(
                f"`POST /unsubscribe` with an email answers {posted.status}; it should answer 200. "
                'The check sends a form field, as an HTML form does: read it with `request.form["email"]`.'
            )
        if address in subscribers:
            raise Wrong("`POST /unsubscribe` answered 200 but the address is still in `subscribers`.")
        empty = _ask(newsletter, "POST", "/unsubscribe", data={})
        if empty.status_code != 400:
            raise Wrong(
                f"a POST without an `email` field answers {empty.status}; it should be 400 Bad Request. "
                'Read the field with `request.form["email"]`: a missing key answers 400.'
            )
    finally:
        subscribers.discard(address)
