"""Exercises of chapter 4: a page fixed on its layout, a basket, a filter, an injection closed, a safe highlighter."""

import re

from flask import Flask, render_template_string
from jinja2 import DictLoader, TemplateError, TemplateNotFound, TemplateSyntaxError

from . import Wrong, exercise
from .probe import ask, expect, text

LAYOUT = """<!doctype html>
<html lang="en">
<head><title>{% block title %}SHOP{% endblock %}</title></head>
<body>
  <nav><a href="/">Home</a> <a href="/shelf">Shelf</a></nav>
  <main>{% block content %}{% endblock %}</main>
  <footer>{% block footer %}SHOP, open every day{% endblock %}</footer>
</body>
</html>"""


def _squeeze(html):
    """Collapse runs of whitespace, so that line breaks in a template do not matter."""
    return " ".join(html.split())


def _inside(html, tag):
    """The markup inside each ``<tag ...>...</tag>`` of a page (attributes allowed), spaces squeezed."""
    return [_squeeze(part) for part in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S | re.I)]


def _visible(markup):
    """The text of a piece of markup, tags removed, spaces squeezed."""
    return _squeeze(re.sub(r"<[^>]+>", " ", markup))


def _render(app, source, **context):
    """Render a learner's template source with ``app``; Jinja's errors become what the check saw."""
    try:
        with app.test_request_context("/"):
            return render_template_string(source, **context)
    except TemplateNotFound as error:
        raise Wrong(f"Jinja found no template called {error.name!r}.") from None
    except TemplateSyntaxError as error:
        raise Wrong(f"Jinja cannot read your template: {error.message} (line {error.lineno}).") from None
    except TemplateError as error:
        raise Wrong(f"Jinja stopped while rendering your template: {type(error).__name__}: {error}.") from None


def _shop(name):
    """A Flask app whose only template is a layout like the bookshop's, for a shop called ``name``."""
    app = Flask(f"layout-{name}")
    app.jinja_loader = DictLoader({"base.html": LAYOUT.replace("SHOP", name)})
    return app


@exercise(
    "4.1",
    title="Fix the About page",
    kind="modify",
    task="""
        `about_template` should be an *About* page on the bookshop's layout, `base.html`.
        Rendered, it goes wrong three ways: a stray `DRAFT` comes before the layout's
        `<!doctype html>`, the heading and the paragraph never reach the page, and the footer
        loses the layout's own line. Fix the template so that:

        - nothing but white space comes before `<!doctype html>`;
        - the title is `About | ` followed by the layout's own title, taken from the layout
          (if the shop's name in `base.html` changes, your title follows);
        - `<h1>About us</h1>` and a paragraph are inside the layout's `<main>`;
        - the footer shows the layout's own footer followed by `Closed on Mondays.`

        The check renders your template on the bookshop's layout and on one of a shop with
        another name.
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
        {% block footer %}{{ super() }} Closed on Mondays.{% endblock %}
        ### STARTER
        DRAFT
        {% extends "base.html" %}
        {% block title %}About | Bookshop{% endblock %}
        <h1>About us</h1>
        <p>A small shop for big books.</p>
        {% block footer %}Closed on Mondays.{% endblock %}
        ### END SOLUTION
        \"\"\"
    """,
    hints=[
        "Jinja prints whatever comes before `{% extends %}`, ahead of the layout. After "
        "`{% extends %}`, only blocks count: text outside every block goes nowhere.",
        "The heading and the paragraph need a block of the layout to live in: "
        "`{% block content %}...{% endblock %}`.",
        "`{{ super() }}` inside a block prints the layout's own content for that block. Use it in "
        "the title (`About | {{ super() }}`) and in the footer, before your sentence.",
        'The whole page: `{% extends "base.html" %}`, then `{% block title %}About | {{ super() }}'
        "{% endblock %}`, a `content` block with the heading and paragraph, and "
        "`{% block footer %}{{ super() }} Closed on Mondays.{% endblock %}`.",
    ],
    args="about_template",
    right=[
        {'{% extends "base.html" %}': "{%- extends 'base.html' -%}"},
        {'{% extends "base.html" %}': '{# DRAFT: check the opening hours #}\n{% extends "base.html" %}'},
        {'{% extends "base.html" %}': '{% extends "base.html" %}\nDRAFT'},
        {"{% block footer %}{{ super() }} Closed on Mondays.{% endblock %}":
         "{% block footer %}\n  {{super()}}\n  Closed on Mondays.\n{% endblock footer %}"},
        {"<h1>About us</h1>": '<h1 class="page-title">About us</h1>'},
        """
        about_template = '''
        {% extends "base.html" %}
        {% block footer %}{{ super() }} Closed on Mondays.{% endblock %}
        {% block content %}<h1>About us</h1><p>Open since 1999.</p>{% endblock %}
        {% block title %}About | {{ super() }}{% endblock %}
        '''
        """,
    ],
    wrong=[
        ({'{% extends "base.html" %}': 'DRAFT\n{% extends "base.html" %}'}, "DRAFT"),
        ({"{% block content %}": "", "{% endblock %}\n{% block footer %}": "\n{% block footer %}"}, "<main>"),
        ({"About | {{ super() }}": "About | Bookshop"}, "Book Nook"),
        ({"About | {{ super() }}": "About | {{ super }}"}, "BlockReference"),
        ({"{{ super() }} Closed on Mondays.": "Closed on Mondays."}, "is gone"),
        ({"{{ super() }} Closed on Mondays.": "{{ super() }}"}, "Closed on Mondays."),
        ({'{% extends "base.html" %}': "{% extends base.html %}"}, "'base' is undefined"),
    ],
)
def _fix_the_about_page(about_template):
    for shop in ("Bookshop", "Book Nook"):
        html = _render(_shop(shop), about_template)
        if "<nav" not in html:
            raise Wrong(f"the rendered page has no `<nav>` of the layout; it begins {_squeeze(html)[:80]!r}.")
        before = html.split("<!doctype html>")[0].strip()
        if before:
            raise Wrong(f"the rendered page begins with {before[:60]!r}, before the layout's `<!doctype html>`.")
        main = (_inside(html, "main") or [""])[0]
        if not re.search(r"<h1\b[^>]*>\s*About us\s*</h1>", main):
            where = "appears nowhere in the page" if "About us" not in html else "is not inside `<main>`"
            raise Wrong(f"the page's `<main>` holds {main[:80]!r}: the heading `About us` {where}.")
        if "<p" not in main:
            raise Wrong(f"the page's `<main>` holds {main[:80]!r}, with no paragraph.")
        title = (_inside(html, "title") or [""])[0]
        if title != f"About | {shop}":
            if shop != "Bookshop" and title == "About | Bookshop":
                raise Wrong(
                    f"on a layout whose title is 'Book Nook', your page's title is {title!r}: the "
                    "shop's name did not come from the layout."
                )
            raise Wrong(f"on the layout of {shop!r}, the page's title is {title[:90]!r}; expected 'About | {shop}'.")
        footer = (_inside(html, "footer") or [""])[0]
        own = f"{shop}, open every day"
        if footer != f"{own} Closed on Mondays.":
            if own not in footer:
                raise Wrong(f"the footer reads {footer!r}: the layout's own line, {own!r}, is gone.")
            raise Wrong(f"the footer reads {footer!r}; expected {own!r} followed by 'Closed on Mondays.'.")
    return ("your page on two layouts (Bookshop and Book Nook): nothing before `<!doctype html>`, "
            "the title and footer taken from each layout, the heading inside `<main>`")


BASKET = ["Tea", "<em>Jam</em>", "Fish & chips"]


@exercise(
    "4.2",
    title="A basket that may be empty",
    kind="modify",
    task="""
        Change `basket_template`, which lists the strings in `items`, so that:

        - each item is one `<li>`, numbered from 1: `<li>1. Tea</li>`, `<li>2. Milk</li>`, ...;
        - after the list, a paragraph counts the items: `<p>3 items</p>`, but `<p>1 item</p>`
          for exactly one (`{{ items|length }}` prints the number: `|length` is a *filter*,
          the subject of the next section);
        - when `items` is empty, the page holds only `<p>Your basket is empty.</p>`: no list
          item and no count.

        Items are text a visitor typed: leave escaping on. The check renders your template
        with three, one, twelve and no items.
    """,
    source="""
        basket_template = \"\"\"
        ### BEGIN SOLUTION
        {% if items %}
        <ul>
        {% for item in items %}
          <li>{{ loop.index }}. {{ item }}</li>
        {% endfor %}
        </ul>
        <p>{{ items|length }} item{% if items|length != 1 %}s{% endif %}</p>
        {% else %}
        <p>Your basket is empty.</p>
        {% endif %}
        ### STARTER
        <ul>
        {% for item in items %}
          <li>{{ item }}</li>
        {% endfor %}
        </ul>
        ### END SOLUTION
        \"\"\"
    """,
    hints=[
        "Inside a `for` loop, `loop.index` counts the passes from 1. Outside it, `items|length` "
        "is the number of items.",
        "An empty list is false in Jinja, as in Python: `{% if items %} ...list and count... "
        "{% else %} ...empty message... {% endif %}`.",
        "For one item the word has no s: `item{% if items|length != 1 %}s{% endif %}`.",
        "Never add `|safe` to an item: escaping is what turns a visitor's `<` into `&lt;`.",
    ],
    args="basket_template",
    right=[
        {"<li>{{ loop.index }}. {{ item }}</li>": '<li class="item">{{ loop.index }}. {{ item }}</li>'},
        {"<p>{{ items|length }} item{% if items|length != 1 %}s{% endif %}</p>":
         "<p>{% if items|length == 1 %}1 item{% else %}{{ items|length }} items{% endif %}</p>"},
        """
        basket_template = '''
        <ul>
        {%- for item in items %}
          <li class="item">{{ loop.index }}. {{ item }}</li>
        {%- endfor %}
        </ul>
        {% if items %}
          <p>{{ items|length }} {{ "item" if items|length == 1 else "items" }}</p>
        {% else %}
          <p>Your basket is empty.</p>
        {% endif %}
        '''
        """,
    ],
    wrong=[
        ({"{{ loop.index }}. {{ item }}": "{{ loop.index0 }}. {{ item }}"}, "0. Tea"),
        ({"{{ loop.index }}. {{ item }}": "{{ loop.counter }}. {{ item }}"}, "'. Tea'"),
        ({"{{ loop.index }}. {{ item }}": "{{ forloop.counter }}. {{ item }}"}, "'forloop' is undefined"),
        ({"item{% if items|length != 1 %}s{% endif %}": "items"}, "1 items"),
        ("""
        basket_template = '''
        <ul>
        {% for item in items %}<li>{{ loop.index }}. {{ item }}</li>{% endfor %}
        </ul>
        <p>{{ items|length }} item{% if items|length != 1 %}s{% endif %}</p>
        {% if not items %}<p>Your basket is empty.</p>{% endif %}
        '''
        """, "0 items"),
        ({"<p>Your basket is empty.</p>": "<b>Your basket is empty.</b>"}, "empty"),
        ({"{{ loop.index }}. {{ item }}": "{% set n = 0 %}{% set n = n + 1 %}{{ n }}. {{ item }}"}, "numbered 1"),
    ],
    insecure=[
        ({"{{ loop.index }}. {{ item }}": "{{ loop.index }}. {{ item|safe }}"}, "<em>"),
    ],
)
def _basket(basket_template):
    app = Flask("basket-check")

    def render(items):
        html = _render(app, basket_template, items=items)
        return html, _inside(html, "li"), [_visible(p) for p in _inside(html, "p")]

    html, got, paragraphs = render(BASKET)
    if "<em>Jam</em>" in html:
        raise Wrong("the item `<em>Jam</em>` reached the page as markup, unescaped: a visitor's text became HTML.")
    if got and all(item.startswith(". ") for item in got):
        raise Wrong(f"with {BASKET!r} the list items read {got!r}: the numbers printed as nothing.")
    if len(got) > 1 and all(item.startswith("1. ") for item in got):
        raise Wrong(f"with {BASKET!r} every item is numbered 1: {got!r}.")
    expected = ["1. Tea", "2. &lt;em&gt;Jam&lt;/em&gt;", "3. Fish &amp; chips"]
    if got != expected:
        raise Wrong(f"with the items {BASKET!r} the list items are {got!r}; expected {expected!r}.")
    if paragraphs != ["3 items"]:
        raise Wrong(f"with three items the paragraphs read {paragraphs!r}; expected ['3 items'].")
    _, one, paragraphs = render(["Tea"])
    if one != ["1. Tea"] or paragraphs != ["1 item"]:
        raise Wrong(f"with one item, 'Tea', the page shows {one!r} and {paragraphs!r}; expected ['1. Tea'] and ['1 item'].")
    _, twelve, paragraphs = render([f"item {n}" for n in range(1, 13)])
    if twelve[-1:] != ["12. item 12"] or paragraphs != ["12 items"]:
        raise Wrong(f"with twelve items the last list item is {twelve[-1:]!r} and the count {paragraphs!r}.")
    html, empty, paragraphs = render([])
    if empty:
        raise Wrong(f"with an empty basket the page still has list items: {empty!r}.")
    if paragraphs != ["Your basket is empty."]:
        raise Wrong(f"with an empty basket the page's paragraphs are {paragraphs!r}; it shows {_squeeze(html)[:100]!r}.")
    return "3, 1, 12 and 0 items, `&` and `<em>` in an item's text (escaped)"


@exercise(
    "4.3",
    title="A filter of your own",
    kind="modify",
    task="""
        The app `authors` shows a name as initials: `GET /initials/ada lovelace`
        should answer `A.L.`. Its template uses a filter called `initials`, which
        does not exist yet. Register it on the app with
        `@authors.template_filter("initials")`.

        The filter takes a string and returns the first letter of each word, in
        capitals, each followed by a full stop. Extra spaces must not matter:
        `"  grace   hopper "` gives `G.H.`, and a name of only spaces gives an empty string.
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
        "`name.split()` with no argument splits on any run of spaces and drops the empty pieces; "
        '`name.split(" ")` keeps an empty string between two spaces, and `""[0]` fails.',
        '`word[0].upper() + "."` makes one initial; `"".join(...)` glues them together.',
    ],
    args="authors",
    right=[
        {'return "".join(word[0].upper() + "." for word in name.split())':
         'return "".join(f"{word[:1].upper()}." for word in name.split())'},
        {'@authors.template_filter("initials")\ndef initials(name):': "@authors.template_filter()\ndef initials(name):"},
        {'@authors.template_filter("initials")\ndef initials(name):\n    return "".join(word[0].upper() + "." for word in name.split())':
         'def to_initials(name):\n    return ".".join(w[0] for w in name.upper().split()) + ("." if name.split() else "")\n\n\n'
         'authors.add_template_filter(to_initials, "initials")'},
    ],
    wrong=[
        ({"name.split()": 'name.split(" ")'}, "IndexError"),
        ({"word[0].upper()": "word[0]"}, "capitals"),
        ({'@authors.template_filter("initials")\n': ""}, "no filter called 'initials'"),
        ({'word[0].upper() + "."': "word[0].upper()"}, "'AL'"),
        ({'return "".join(word[0].upper() + "." for word in name.split())':
          'return ".".join(word[0].upper() for word in name.split()) + "."'}, "'  '"),
    ],
)
def _initials_filter(authors):
    initials = authors.jinja_env.filters.get("initials")
    if initials is None:
        raise Wrong("`authors` has no filter called 'initials', so Jinja refuses its template.")
    cases = [("ada lovelace", "A.L."), ("grace brewster murray hopper", "G.B.M.H."), ("edsger", "E."),
             ("  alan   turing ", "A.T."), ("élodie durand", "É.D."), ("  ", "")]
    for name, expected in cases:
        try:
            got = initials(name)
        except Exception as error:
            raise Wrong(f"the filter fails on {name!r} with `{type(error).__name__}: {error}`.") from None
        if got == expected:
            continue
        if isinstance(got, str) and got.upper() == expected:
            raise Wrong(f"the filter turns {name!r} into {got!r}: not capitals.")
        raise Wrong(f"the filter turns {name!r} into {got!r}; expected {expected!r}.")
    page = expect(ask(authors, "GET", "/initials/ada lovelace"), 200, "GET /initials/ada lovelace")
    if text(page).strip() != "A.L.":
        raise Wrong(f"`GET /initials/ada lovelace` answers {text(page)[:80]!r}; expected 'A.L.'.")
    return "six names (extra spaces, one word, an accent, only spaces) and `GET /initials/ada lovelace`"


def _greeting(app, name=None):
    """What ``GET /greet`` answers (status and squeezed body) for ``name`` (no name when None)."""
    query = {} if name is None else {"name": name}
    response = ask(app, "GET", "/greet", query_string=query)
    return response.status_code, text(response).strip()


@exercise(
    "4.4",
    title="Close the injection",
    kind="modify",
    task="""
        `greeter` greets whoever is named in the query string, and it has the
        server-side template injection you saw above: `GET /greet?name={{ 7*7 }}`
        answers `Hello, 49!`. Fix the view so that any name is shown exactly as
        typed, and escaped, while `GET /greet?name=Ada` still answers
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
        "Whatever is part of the template's *source* is code to Jinja. A visitor's text must never "
        "be part of it.",
        'Keep the template a constant string with a placeholder, `"<p>Hello, {{ name }}!</p>"`, and '
        "hand the value over as a keyword argument: `render_template_string(..., name=name)`.",
        "Escaping the name (with `markupsafe.escape`) and then adding it to the source does not help: "
        "escaping changes `<`, `>`, `&` and quotes, not `{{` or `{%`. Removing `{{` does not help "
        "either: `{%` runs code too. Nor does wrapping the name in `{% raw %}...{% endraw %}`: the "
        "name can hold an `{% endraw %}` of its own.",
    ],
    args="greeter",
    right=[
        {'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
         'return render_template_string("<p>Hello, {{ who }}!</p>", who=name)'},
        {'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
         'from markupsafe import escape\n    return f"<p>Hello, {escape(name)}!</p>"'},
        {'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
         'from markupsafe import Markup\n    return Markup("<p>Hello, {}!</p>").format(name)'},
    ],
    insecure=[
        ({'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
          'from markupsafe import escape\n    return render_template_string("<p>Hello, " + escape(name) + "!</p>")'},
         "49"),
        ({'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
          'clean = name.replace("{{", "").replace("}}", "")\n'
          '    return render_template_string("<p>Hello, " + clean + "!</p>")'},
         "ran as template code"),
        ({'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
          'from markupsafe import escape\n'
          '    return render_template_string("<p>Hello, {% raw %}" + escape(name) + "{% endraw %}!</p>")'},
         "ran as template code"),
        ({"{{ name }}": "{{ name|safe }}"}, "<script>"),
        ({'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
          'return f"<p>Hello, {name}!</p>"'}, "<script>"),
        ({'return render_template_string("<p>Hello, {{ name }}!</p>", name=name)':
          'from markupsafe import Markup\n    return render_template_string("<p>Hello, {{ name }}!</p>", name=Markup(name))'},
         "<script>"),
    ],
)
def _close_the_injection(greeter):
    loop = "{% for n in range(3) %}ha{% endfor %}"
    breakout = "{% endraw %}{{ 6*7 }}{% raw %}"
    for payload, ran in [("{{ 7*7 }}", "49"), (loop, "hahaha"), (breakout, "42")]:
        status, page = _greeting(greeter, payload)
        if ran in page:
            raise Wrong(f"`GET /greet?name={payload}` answered {page[:80]!r}: the name ran as template code.")
    for payload in ("{{ 7*7 }}", loop, breakout):
        status, page = _greeting(greeter, payload)
        if (status, page) != (200, f"<p>Hello, {payload}!</p>"):
            raise Wrong(f"`GET /greet?name={payload}` answered {status} {page[:80]!r}; expected '<p>Hello, {payload}!</p>'.")
    status, page = _greeting(greeter, "<script>alert(1)</script>")
    if "<script>" in page:
        raise Wrong(f"`GET /greet?name=<script>alert(1)</script>` answered {page[:80]!r}: a live `<script>` tag.")
    if page != "<p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>":
        raise Wrong(f"for a name with `<script>` the answer is {page[:80]!r}; expected it escaped as &lt;script&gt;.")
    for name, expected in [("Ada", "<p>Hello, Ada!</p>"), (None, "<p>Hello, stranger!</p>"),
                           ("Tom & Jerry", "<p>Hello, Tom &amp; Jerry!</p>")]:
        status, page = _greeting(greeter, name)
        if (status, page) != (200, expected):
            asked = "no name" if name is None else f"name={name}"
            raise Wrong(f"`GET /greet` with {asked} answered {status} {page[:80]!r}; expected {expected!r}.")
    return "`{{ 7*7 }}`, a `{% for %}` loop, an `{% endraw %}`, `<script>`, `&`, Ada and no name"


HIGHLIGHTS = [
    ("The Sea Remembers", "Sea", "The <mark>Sea</mark> Remembers"),
    ("Sea to sea", "sea", "Sea to <mark>sea</mark>"),
    ("Sea, and Sea again", "Sea", "<mark>Sea</mark>, and <mark>Sea</mark> again"),
    ("<script>alert(1)</script> at sea", "sea", "&lt;script&gt;alert(1)&lt;/script&gt; at <mark>sea</mark>"),
    ("Fish & chips", "chips", "Fish &amp; <mark>chips</mark>"),
    ("salt < pepper", "lt", "sa<mark>lt</mark> &lt; pepper"),
    ("a <b> tag", "<b>", "a <mark>&lt;b&gt;</mark> tag"),
    ("Is C++ fun?", "C++", "Is <mark>C++</mark> fun?"),
    ("v1.0 and v100", "1.0", "v<mark>1.0</mark> and v100"),
    ("Dune", "zzz", "Dune"),
    ("Dune", "", "Dune"),
]


@exercise(
    "4.5",
    title="Highlight a search term, safely",
    kind="make",
    task="""
        A search page wants to show where the visitor's term occurs in each result, as in
        `The <mark>Sea</mark> Remembers`. Write the filter `highlight(text, term)` of the app
        `marker`, used in a template as `{{ title|highlight(q) }}`:

        - every place where `term` occurs in `text` (case counts) is wrapped in
          `<mark>...</mark>`, and the browser must see those tags as tags;
        - everything else, the text and the term alike, is escaped: both come from
          visitors;
        - an empty `term` marks nothing.

        The check renders `{{ text|highlight(term) }}` in an escaped template with texts
        and terms a visitor might send.
    """,
    source="""
        from flask import Flask
        from markupsafe import Markup, escape

        marker = Flask(__name__)


        @marker.template_filter("highlight")
        def highlight(text, term):
            ### BEGIN SOLUTION
            if not term:
                return escape(text)
            pieces = str(text).split(term)
            return Markup("<mark>{}</mark>").format(term).join(pieces)
            ### STARTER
            return text  # wrap each `term` in <mark>...</mark>, and escape the rest
            ### END SOLUTION
    """,
    hints=[
        "A filter that returns a plain `str` is escaped by the template, your `<mark>` tags "
        "included. Returning `Markup` keeps the tags, and then nothing escapes the text for you.",
        "Cut the text at each term with `str(text).split(term)`, and glue the pieces back with a "
        "`Markup` separator. `Markup(...).join(pieces)` escapes each piece; "
        '`Markup("<mark>{}</mark>").format(term)` escapes the term inside your tags. The term is '
        "text, not a pattern: `split` takes it literally (with `re`, you would need `re.escape(term)`).",
        "Escaping the whole text first and then replacing the term inside it goes wrong: the term "
        "`lt` is found inside the entity `&lt;`.",
        "`split` refuses an empty separator: when `term` is empty, return `escape(text)`.",
    ],
    args="marker",
    right=[
        {"    pieces = str(text).split(term)\n    return Markup(\"<mark>{}</mark>\").format(term).join(pieces)":
         "    pieces = [escape(piece) for piece in str(text).split(term)]\n"
         "    return Markup(f\"<mark>{escape(term)}</mark>\").join(pieces)"},
        """
        from flask import Flask
        from markupsafe import Markup

        marker = Flask(__name__)


        @marker.template_filter("highlight")
        def highlight(text, term):
            done, rest = Markup(), str(text)
            while term and term in rest:
                before, _, rest = rest.partition(term)
                done += before  # adding a str to Markup escapes the str
                done += Markup("<mark>%s</mark>") % term
            return done + rest
        """,
        """
        import re

        from flask import Flask
        from markupsafe import Markup, escape

        marker = Flask(__name__)


        @marker.template_filter("highlight")
        def highlight(text, term):
            if term == "":
                return escape(text)
            parts = re.split(f"({re.escape(term)})", str(text))
            return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 else p for i, p in enumerate(parts))
        """,
    ],
    wrong=[
        ({"    if not term:\n        return escape(text)\n    pieces = str(text).split(term)\n"
          "    return Markup(\"<mark>{}</mark>\").format(term).join(pieces)":
          '    return str(text).replace(term, f"<mark>{term}</mark>")'}, "as text"),
        ({"    if not term:\n        return escape(text)\n    pieces = str(text).split(term)\n"
          "    return Markup(\"<mark>{}</mark>\").format(term).join(pieces)":
          '    return Markup(str(escape(text)).replace(str(escape(term)), f"<mark>{escape(term)}</mark>"))'},
         "inside an entity"),
        ({"    if not term:\n        return escape(text)\n": ""}, "ValueError"),
        ("""
        import re

        from flask import Flask
        from markupsafe import Markup, escape

        marker = Flask(__name__)


        @marker.template_filter("highlight")
        def highlight(text, term):
            if not term:
                return escape(text)
            parts = re.split(f"({term})", str(text))
            return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 else p for i, p in enumerate(parts))
        """, "highlight('Is C++ fun?', 'C++')"),
    ],
    insecure=[
        ({"    if not term:\n        return escape(text)\n    pieces = str(text).split(term)\n"
          "    return Markup(\"<mark>{}</mark>\").format(term).join(pieces)":
          '    return Markup(str(text).replace(term, f"<mark>{term}</mark>"))'}, "<script>"),
        ({"    pieces = str(text).split(term)\n    return Markup(\"<mark>{}</mark>\").format(term).join(pieces)":
          "    pieces = [escape(piece) for piece in str(text).split(term)]\n"
          "    return Markup(f\"<mark>{term}</mark>\").join(pieces)"}, "reached the page as markup"),
    ],
)
def _highlight(marker):
    if "highlight" not in marker.jinja_env.filters:
        raise Wrong("`marker` has no filter called 'highlight', so Jinja refuses `{{ text|highlight(term) }}`.")
    for plain, term, expected in HIGHLIGHTS:
        call = f"`highlight({plain!r}, {term!r})`"
        try:
            with marker.app_context():
                got = render_template_string("{{ text|highlight(term) }}", text=plain, term=term)
        except Exception as error:
            raise Wrong(f"{call} raised `{type(error).__name__}: {error}`.") from None
        if got == expected:
            continue
        if "&lt;mark&gt;" in got:
            raise Wrong(f"{call} printed {got!r}: the `<mark>` tags arrived as text, escaped by the template.")
        if "<script>" in got:
            raise Wrong(f"{call} printed {got!r}: the visitor's `<script>` tag reached the page alive.")
        if "<" in term and term in got:
            raise Wrong(f"{call} printed {got!r}: the visitor's term `{term}` reached the page as markup, unescaped.")
        if re.search(r"&[a-z]*<mark>", got):
            raise Wrong(f"{call} printed {got!r}: a `<mark>` landed inside an entity such as `&lt;`.")
        raise Wrong(f"{call} printed {got!r}; expected {expected!r}.")
    return (f"{len(HIGHLIGHTS)} texts and terms: `<script>`, `&`, `<` in the term, `lt` beside `&lt;`, "
            "`C++` and `1.0` (not patterns), an empty term")
