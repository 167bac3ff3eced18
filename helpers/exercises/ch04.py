"""Exercises of chapter 4: a page on the layout, a loop with a fallback, a filter, an injection closed."""

import re

from flask import Flask, render_template_string
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from . import Wrong, exercise


def _render(app, source, **context):
    """Render a learner's template source with ``app``, turning Jinja's errors into hints."""
    try:
        with app.test_request_context("/"):
            return render_template_string(source, **context)
    except TemplateNotFound as error:
        raise Wrong(f"Jinja found no template called {error.name!r}. The layout's file name is \"base.html\".") from None
    except TemplateSyntaxError as error:
        raise Wrong(f"Jinja cannot read your template: {error.message} (line {error.lineno}).") from None
    except TemplateError as error:
        raise Wrong(f"Jinja stopped while rendering: {error}.") from None


def _squeeze(text):
    """Collapse runs of whitespace, so that line breaks in a template do not matter."""
    return " ".join(text.split())


@exercise(
    "4.1",
    title="A page on the base layout",
    task="""
        Write `about_template`, the source of an *About* page that **extends
        `base.html`**, the bookshop's layout:

        - its `title` block shows `About | Bookshop`: your word first, then the
          layout's own title through `{{ super() }}`;
        - its `content` block holds `<h1>About us</h1>` and a paragraph of your choice.

        The check renders your template with `app`, so the layout's navigation must
        appear around your content.
    """,
    source="""
        about_template = \"\"\"
        ### BEGIN SOLUTION
        {% extends "base.html" %}
        {% block title %}About | {{ super() }}{% endblock %}
        {% block content %}
          <h1>About us</h1>
          <p>A small shop for big books.</p>
        {% endblock %}
        ### STARTER
        <title>About</title>
        <h1>About us</h1>
        <p>A small shop for big books.</p>
        ### END SOLUTION
        \"\"\"
    """,
    hints=[
        'The first line is `{% extends "base.html" %}`. After it, only blocks count: '
        "the layout decides where each block goes.",
        "Fill two blocks by name, `{% block title %}...{% endblock %}` and "
        "`{% block content %}...{% endblock %}`. The names must match the ones in base.html.",
        "Inside the title block, `{{ super() }}` is the layout's own title: "
        "`{% block title %}About | {{ super() }}{% endblock %}`.",
    ],
    args="about_template, app",
    setup="""
        from flask import Flask
        from jinja2 import DictLoader

        app = Flask(__name__)
        app.jinja_loader = DictLoader({
            "base.html": "<title>{% block title %}Bookshop{% endblock %}</title>"
            '<nav><a href="/">Home</a></nav>'
            "<main>{% block content %}{% endblock %}</main>"
        })
    """,
)
def _page_on_the_layout(about_template, app):
    if re.search(r"{%-?\s*extends\s+[^\s\"']", about_template):
        raise Wrong('the layout\'s name is a string, so it needs quotes: `{% extends "base.html" %}`.')
    html = _render(app, about_template)
    if "<nav" not in html:
        raise Wrong(
            "the page has no navigation, so it does not use the layout. "
            'Start the template with `{% extends "base.html" %}`.'
        )
    if not re.search(r"<h1>\s*About us\s*</h1>", html):
        if "block content" not in about_template:
            raise Wrong(
                "the layout is there, but your `<h1>About us</h1>` is not. In a child template only "
                "what is inside a block reaches the page: put it in `{% block content %}...{% endblock %}`."
            )
        raise Wrong("the page has no `<h1>About us</h1>` in its content block.")
    titles = re.findall(r"<title>(.*?)</title>", html, re.S)
    title = _squeeze(titles[0]) if titles else ""
    if title == "Bookshop":
        raise Wrong("the title is still the layout's `Bookshop`: fill the `title` block as well.")
    if title == "About":
        raise Wrong("the title is `About`: add ` | {{ super() }}` after it to keep the layout's `Bookshop`.")
    if "BlockReference" in title:
        raise Wrong(
            "the title shows an object, not the layout's title: `super` is a function, so call it: `{{ super() }}`."
        )
    if title != "About | Bookshop":
        raise Wrong(f"the title is {title!r}; it should be 'About | Bookshop'.")
    if not re.search(r"super\s*\(\s*\)", about_template):
        raise Wrong(
            "the title is right, but `Bookshop` is typed by hand. Take it from the layout with "
            "`{{ super() }}`, so that the page follows when the shop's name in base.html changes."
        )


@exercise(
    "4.2",
    title="A basket that may be empty",
    task="""
        Write `basket_template`, a template that lists the strings in `items`:

        - one `<li>` per item, numbered from 1 with `loop.index`:
          `<li>1. Tea</li>`, `<li>2. Milk</li>`, ...;
        - when `items` is empty, a single `<li>Your basket is empty.</li>`.

        The check renders it with a full basket and with an empty one.
    """,
    source="""
        basket_template = \"\"\"
        <ul>
        {% for item in items %}
        ### BEGIN SOLUTION
          <li>{{ loop.index }}. {{ item }}</li>
        {% else %}
          <li>Your basket is empty.</li>
        ### STARTER
          <li>{{ item }}</li>
        ### END SOLUTION
        {% endfor %}
        </ul>
        \"\"\"
    """,
    hints=[
        "`loop.index` is the number of the current pass through the loop, counting from 1: "
        "`<li>{{ loop.index }}. {{ item }}</li>`.",
        "A Jinja `for` loop can have an `{% else %}` branch, rendered only when the loop ran zero times. "
        "Put it just before `{% endfor %}`.",
    ],
    args="basket_template",
)
def _basket(basket_template):
    app = Flask("basket-check")
    full = ["Tea", "Milk", "Fish & chips"]
    expected = ["1. Tea", "2. Milk", "3. Fish &amp; chips"]

    def items_of(basket):
        html = _render(app, basket_template, items=basket)
        return [_squeeze(item) for item in re.findall(r"<li>(.*?)</li>", html, re.S)]

    got = items_of(full)
    if got and all(item.startswith(". ") for item in got):
        raise Wrong(
            f"the numbers print as nothing ({got[0]!r}): the name you used is undefined, and Jinja prints "
            "an undefined value as an empty string. The counter is `loop.index` (Django's `forloop.counter` "
            "and `loop.counter` do not exist in Jinja)."
        )
    if len(got) > 1 and all(item.startswith("1. ") for item in got):
        raise Wrong(
            "every item is numbered 1. A variable changed with `{% set %}` inside a loop starts afresh on "
            "each pass in Jinja; use `loop.index`, which counts for you."
        )
    if got == [name.replace("&", "&amp;") for name in full]:
        raise Wrong("the items are listed but not numbered: put `{{ loop.index }}. ` before each one.")
    if got[:1] == ["0. Tea"]:
        raise Wrong("the numbers start at 0: that is `loop.index0`. Use `loop.index`, which counts from 1.")
    if "3. Fish & chips" in got:
        raise Wrong("`&` came out unescaped: leave autoescaping alone (no `|safe`), Jinja escapes it for you.")
    if got != expected:
        raise Wrong(f"with the items {full!r} the list items are {got!r}; they should be {expected!r}.")
    empty = items_of([])
    if not empty and "Your basket is empty." in _render(app, basket_template, items=[]):
        raise Wrong("the empty basket's message is there, but not as a list item: wrap it in `<li>...</li>`.")
    if not empty:
        raise Wrong(
            "with an empty basket the list has no items at all. Add an `{% else %}` branch "
            "to the loop with `<li>Your basket is empty.</li>`."
        )
    if empty != ["Your basket is empty."]:
        raise Wrong(f"with an empty basket the list items are {empty!r}; expected ['Your basket is empty.'].")


@exercise(
    "4.3",
    title="A filter of your own",
    task="""
        The app `authors` shows a name as initials: `GET /initials/ada lovelace`
        should answer `A.L.`. Its template uses a filter called `initials`, which
        does not exist yet. Register it on the app with
        `@authors.template_filter("initials")`.

        The filter takes a string and returns the first letter of each word, in
        capitals, each followed by a full stop. Extra spaces must not matter:
        `"  grace   hopper "` gives `G.H.`.
    """,
    source="""
        from flask import Flask, render_template_string

        authors = Flask(__name__)

        ### BEGIN SOLUTION

        @authors.template_filter("initials")
        def initials(name):
            return "".join(word[0].upper() + "." for word in name.split())
        ### STARTER
        # register the "initials" filter here
        ### END SOLUTION


        @authors.route("/initials/<name>")
        def initials_page(name):
            return render_template_string("{{ name|initials }}", name=name)
    """,
    hints=[
        'Put `@authors.template_filter("initials")` on the line above `def initials(name):`, '
        "in the same cell as the app, before any request is made.",
        "`name.split()` with no argument splits on any run of spaces and drops the empty pieces, "
        "so extra spaces do not matter.",
        '`word[0].upper() + "."` makes one initial; `"".join(...)` glues them together.',
    ],
    args="authors",
)
def _initials_filter(authors):
    initials = authors.jinja_env.filters.get("initials")
    if initials is None:
        raise Wrong(
            "`authors` has no filter called 'initials' yet, so Jinja refuses its template "
            "(\"No filter named 'initials'\"). Register one with "
            "`@authors.template_filter(\"initials\")`, brackets included."
        )
    cases = [("ada lovelace", "A.L."), ("grace brewster murray hopper", "G.B.M.H."), ("edsger", "E."),
             ("  alan   turing ", "A.T.")]
    for name, expected in cases:
        try:
            got = initials(name)
        except Exception as error:
            where = f"{type(error).__name__}: {error}"
            if name != name.strip() or "  " in name:
                raise Wrong(
                    f"the filter fails on {name!r} with `{where}`. Extra spaces must not matter: "
                    '`name.split(" ")` leaves empty strings between spaces, `name.split()` does not.'
                ) from None
            raise Wrong(f"the filter fails on {name!r} with `{where}`.") from None
        if got == expected:
            continue
        if isinstance(got, str) and got.upper() == expected:
            raise Wrong(f"the filter turns {name!r} into {got!r}: the initials must be capitals (`.upper()`).")
        if name.strip() != name:
            raise Wrong(f"the filter turns {name!r} into {got!r}; extra spaces should not matter ({expected}).")
        raise Wrong(f"the filter turns {name!r} into {got!r}; it should give {expected!r}.")
    response = authors.test_client().get("/initials/ada lovelace")
    page = response.get_data(as_text=True).strip()
    if response.status_code != 200 or page != "A.L.":
        raise Wrong(f"`GET /initials/ada lovelace` answers {response.status} with {page[:80]!r}; expected 'A.L.'.")


@exercise(
    "4.4",
    title="Close the injection",
    task="""
        `greeter` greets whoever is named in the query string, and it has the
        server-side template injection you saw above: `GET /greet?name={{ 7*7 }}`
        answers `Hello, 49!`. Fix the view so that any name is shown exactly as
        typed (and escaped), while `GET /greet?name=Ada` still answers
        `<p>Hello, Ada!</p>` and a request without a name says `Hello, stranger!`.
    """,
    source="""
        from flask import Flask, render_template_string, request

        greeter = Flask(__name__)


        @greeter.route("/greet")
        def greet():
            name = request.args.get("name", "stranger")
            ### BEGIN SOLUTION
            return render_template_string("<p>Hello, {{ name }}!</p>", name=name)
            ### STARTER
            return render_template_string("<p>Hello, " + name + "!</p>")
            ### END SOLUTION
    """,
    hints=[
        "Never add the visitor's text to a template's source. Keep the template a constant "
        'string with a placeholder: `"<p>Hello, {{ name }}!</p>"`.',
        'Hand the value over as a keyword argument: `render_template_string("<p>Hello, {{ name }}!</p>", '
        "name=name)`. Jinja then treats it as data, and escapes it.",
        "Escaping the name yourself (with `markupsafe.escape`) before adding it to the source does not help: "
        "escaping changes `<`, `>`, `&` and quotes, not `{{`.",
    ],
    args="greeter",
)
def _close_the_injection(greeter):
    client = greeter.test_client()

    def greet(**query):
        response = client.get("/greet", query_string=query)
        return response.status_code, response.get_data(as_text=True).strip()

    status, page = greet(name="{{ 7*7 }}")
    if status == 500:
        raise Wrong(
            "the view failed with `500 Internal Server Error`; the traceback printed above says why. "
            "The fix needs no template file: keep `render_template_string` with a constant string."
        )
    if "49" in page:
        raise Wrong(
            "`{{ 7*7 }}` came back as 49: the name is still part of the template's source, so Jinja "
            'runs it as code. Pass it as a variable: `render_template_string("... {{ name }} ...", name=name)`.'
        )
    if (status, page) != (200, "<p>Hello, {{ 7*7 }}!</p>"):
        raise Wrong(f"for the name `{{{{ 7*7 }}}}` the answer is {status} {page[:80]!r}; expected '<p>Hello, {{{{ 7*7 }}}}!</p>'.")
    status, page = greet(name="<script>alert(1)</script>")
    if "<script>" in page:
        raise Wrong(
            "a `<script>` tag in the name reached the page unescaped. Jinja escapes only values it prints "
            "with `{{ }}` (and not through `|safe` or `Markup`); text glued into the source or an f-string "
            "is not escaped."
        )
    if page != "<p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>":
        raise Wrong(f"for a name with `<script>` the answer is {page[:80]!r}; it should be escaped as &lt;script&gt;.")
    for query, expected in [({"name": "Ada"}, "<p>Hello, Ada!</p>"), ({}, "<p>Hello, stranger!</p>")]:
        status, page = greet(**query)
        if (status, page) != (200, expected):
            raise Wrong(f"`GET /greet` with {query or 'no name'} answers {status} {page[:80]!r}; expected {expected!r}.")
