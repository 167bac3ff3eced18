"""Exercises of chapter 11: one fix per hole of the weak noticeboard, each in a small app of its own."""

import os
import re
import secrets
import sqlite3
import textwrap
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from jinja2 import Environment
from markupsafe import Markup
from peewee import PeeweeException, SqliteDatabase
from werkzeug.datastructures import MultiDict

from ..scratch import scratch
from . import Wrong, exercise
from .probe import (SHORTEST_KEY, ask, clock_stopped, expect, hash_of_a_count, namespaces_of, random_repeating, text,
                    weak_key)


def _short(value, limit=60):
    """``repr(value)``, cut to about ``limit`` characters with an ellipsis."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def _call(function, *args, passing=()):
    """Call the learner's function; an exception not in ``passing`` becomes a Wrong that names the call."""
    shown = ", ".join("db" if isinstance(arg, (_Recorder, SqliteDatabase)) else _short(arg) for arg in args)
    try:
        return function(*args)
    except passing:
        raise
    except (Exception, SystemExit) as error:  # SystemExit too: sys.exit() in an answer must not end the kernel
        raise Wrong(f"`{function.__name__}({shown})` raised `{type(error).__name__}: {error}`.") from None


class _Browser:
    """One visitor who keeps their cookies from one request to the next; each request goes through ``ask``."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def get(self, path, **kwargs):
        return ask(self.app, "GET", path, client=self.client, **kwargs)

    def post(self, path, **kwargs):
        return ask(self.app, "POST", path, client=self.client, **kwargs)


def _redirected(response):
    """True when a test-client response is a redirect with somewhere to go."""
    return 300 <= response.status_code < 400 and bool(response.location)


# --- 11.1 -------------------------------------------------------------------------------

_TITLES = ["Minutes", "Agenda", "Zoo trip", "Budget"]  # inserted in this order: ids 1 to 4
_ORDERS = {
    "title": ["Agenda", "Budget", "Minutes", "Zoo trip"],
    "newest": ["Budget", "Zoo trip", "Agenda", "Minutes"],
    "oldest": ["Minutes", "Agenda", "Zoo trip", "Budget"],
}
# Blind injection: the order of the answer tells whether the secret starts with that letter.
_PROBE = "CASE WHEN (SELECT substr(secret, 1, 1) FROM vault) = '{}' THEN title ELSE id END"


class _Recorder:
    """A database that notes the text of every SQL statement it is asked to run."""

    def __init__(self, db):
        self.db, self.seen = db, []

    def execute_sql(self, sql, params=None, *args, **kwargs):
        self.seen.append(sql)
        return self.db.execute_sql(sql, params, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.db, name)


def _notes_database():
    """A small SQLite database with a note table and a vault the attacker wants to read."""
    path = scratch("11-exercise-11.1") / "notes.db"
    db = SqliteDatabase(str(path))
    with db.connection_context():
        db.execute_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT)")
        db.execute_sql("CREATE TABLE vault (secret TEXT)")
        for title in _TITLES:
            db.execute_sql("INSERT INTO note (title) VALUES (?)", (title,))
        db.execute_sql("INSERT INTO vault VALUES ('hunter2')")
    return db


@exercise(
    "11.1",
    title="Sort without injection",
    task="""
        The notes page has `?sort=` in its address, and `sorted_titles(db, sort)`
        builds its `ORDER BY` from it. A `?` placeholder cannot help here: a parameter
        stands for a *value*, and a column name or `DESC` is SQL, not a value. So an
        attacker can put a whole expression into `sort` and read other tables one
        letter at a time from the order of the answer.

        Rewrite `sorted_titles` so that `sort` may only be one of three words:

        - `"title"`: titles from A to Z;
        - `"newest"`: highest `id` first;
        - `"oldest"`: lowest `id` first.

        Anything else raises `ValueError` before any SQL runs (a view would turn it into
        a 400). Return the list of titles, as the starter does.
    """,
    source='''
        ### BEGIN SOLUTION
        ORDER_BY = {"title": "title", "newest": "id DESC", "oldest": "id"}


        ### STARTER
        ### END SOLUTION
        def sorted_titles(db, sort):
            ### BEGIN SOLUTION
            if sort not in ORDER_BY:
                raise ValueError(f"cannot sort by {sort!r}")
            sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"
            ### STARTER
            column = {"newest": "id DESC", "oldest": "id"}.get(sort, sort)
            sql = f"SELECT title FROM note ORDER BY {column}"
            ### END SOLUTION
            return [row[0] for row in db.execute_sql(sql)]
    ''',
    hints=[
        "Look at what `.get(sort, sort)` does with a word that is not in the dict: where does "
        "that text end up?",
        "Keep a dict from the three allowed words to fixed pieces of SQL, such as "
        '`{"title": "title", "newest": "id DESC", "oldest": "id"}`. Only text from that dict '
        "may go into the SQL.",
        "Check first: `if sort not in ORDER_BY: raise ValueError(...)`, and only then build the "
        "SQL from `ORDER_BY[sort]`. Do not try `ORDER BY ?`: SQLite then sorts by one constant "
        "string, so nothing moves.",
    ],
    args="sorted_titles",
    right=[
        '''
        def sorted_titles(db, sort):
            match sort:
                case "title":
                    order = "title"
                case "newest":
                    order = "id DESC"
                case "oldest":
                    order = "id"
                case _:
                    raise ValueError(f"unknown sort order {sort!r}")
            return [title for (title,) in db.execute_sql(f"SELECT title FROM note ORDER BY {order}")]
        ''',
        {"if sort not in ORDER_BY:": "sort = sort.strip().lower()\n    if sort not in ORDER_BY:"},
        '''
        SORTS = ("title", "newest", "oldest")


        def sorted_titles(db, sort):
            if sort not in SORTS:
                raise ValueError(sort)
            sql = (
                "SELECT title FROM note ORDER BY "
                "CASE WHEN ? = 'title' THEN title END, "
                "CASE WHEN ? = 'newest' THEN -id END, "
                "CASE WHEN ? = 'oldest' THEN id END"
            )
            return [row[0] for row in db.execute_sql(sql, (sort, sort, sort))]
        ''',
    ],
    wrong=[
        ({'sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"\n    return [row[0] for row in db.execute_sql(sql)]':
          'sql = "SELECT title FROM note ORDER BY ?"\n    return [row[0] for row in db.execute_sql(sql, (ORDER_BY[sort],))]'},
         "order they were added"),
        ({'if sort not in ORDER_BY:\n        raise ValueError(f"cannot sort by {sort!r}")\n    '
          'sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"':
          'sql = f"SELECT title FROM note ORDER BY {ORDER_BY.get(sort, \'title\')}"'}, "no ValueError"),
        ({'raise ValueError(f"cannot sort by {sort!r}")': 'raise KeyError(sort)'}, "KeyError"),
        ({'"newest": "id DESC"': '"newest": "id"'}, "'newest'"),
    ],
    insecure=[
        ({'if sort not in ORDER_BY:\n        raise ValueError(f"cannot sort by {sort!r}")\n    '
          'sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"':
          'sql = f"SELECT title FROM note ORDER BY {ORDER_BY.get(sort, sort)}"'}, "vault"),
        ({'if sort not in ORDER_BY:\n        raise ValueError(f"cannot sort by {sort!r}")\n    '
          'sql = f"SELECT title FROM note ORDER BY {ORDER_BY[sort]}"':
          'if any(word in sort.lower() for word in (";", "--", "drop", "union", "insert")):\n'
          '        raise ValueError(f"cannot sort by {sort!r}")\n'
          '    sql = f"SELECT title FROM note ORDER BY {ORDER_BY.get(sort, sort)}"'}, "vault"),
    ],
)
def _sort_without_injection(sorted_titles):
    db = _notes_database()
    try:
        for sort, expected in _ORDERS.items():
            try:
                got = _call(sorted_titles, db, sort, passing=(ValueError, RuntimeError))
            except (ValueError, RuntimeError) as error:
                raise Wrong(f"`sorted_titles(db, {sort!r})` raised `{type(error).__name__}: {error}`.") from None
            if list(got) == expected:
                continue
            if sort == "title" and list(got) == _ORDERS["oldest"]:
                raise Wrong(
                    "`sorted_titles(db, 'title')` returned the titles in the order they were added "
                    f"({got!r}), not from A to Z."
                )
            raise Wrong(f"`sorted_titles(db, {sort!r})` returned {got!r}; the order should be {expected!r}.")
        leaked = {}
        attacks = [_PROBE.format("h"), _PROBE.format("x"), "title; DROP TABLE note", "id DESC", "rowid",
                   "title, (SELECT secret FROM vault)", ""]
        for attack in attacks:
            spy = _Recorder(db)
            try:
                got = _call(sorted_titles, spy, attack, passing=(ValueError, RuntimeError, sqlite3.Error, PeeweeException))
            except ValueError:
                ran = [sql for sql in spy.seen if attack and attack in sql]
                if ran:
                    raise Wrong(f"`sort={attack!r}` raised ValueError, but only after `{ran[0]}` had run.") from None
                continue
            except RuntimeError as error:
                raise Wrong(f"`sorted_titles(db, {attack!r})` raised `RuntimeError: {error}`, not ValueError.") from None
            except (sqlite3.Error, PeeweeException) as error:  # the text reached the database
                raise Wrong(
                    f"`sort={attack!r}` reached the database, which answered `{type(error).__name__}: {error}`."
                ) from None
            except Wrong as wrong:
                raise Wrong(f"{wrong} Anything but the three words should raise ValueError.") from None
            leaked[attack] = list(got)
            if attack.startswith("CASE") and len(leaked) == 2:
                with_h, with_x = leaked.values()
                if with_h != with_x:
                    raise Wrong(
                        "an attacker's `CASE WHEN (SELECT substr(secret, 1, 1) FROM vault) = 'h' ...` was "
                        f"run as the sort order: it returned {with_h!r}, and with 'x' instead of 'h' "
                        f"{with_x!r}. The order tells the attacker the first letter of the vault's secret."
                    )
            if not attack.startswith("CASE"):
                raise Wrong(f"`sorted_titles(db, {attack!r})` returned {got!r} and raised no ValueError.")
        if leaked:
            raise Wrong(
                f"`sorted_titles(db, {_PROBE.format('h')!r})` returned {next(iter(leaked.values()))!r} "
                "and raised no ValueError."
            )
        for lenient in ("TITLE", " title "):  # refusing them is right; so is reading them as "title"
            try:
                got = _call(sorted_titles, db, lenient, passing=(ValueError,))
            except ValueError:
                continue
            if list(got) != _ORDERS["title"]:
                raise Wrong(f"`sorted_titles(db, {lenient!r})` returned {got!r}.")
    finally:
        db.close()
    return ("title, newest and oldest; a CASE WHEN (SELECT ... FROM vault) probe, `; DROP TABLE`, `id DESC`, "
            "`rowid`, a second column and an empty word (each a ValueError before any SQL ran)")


# --- 11.2 -------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """The start tags of a page with their attributes, entities decoded, as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def _tags(page):
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.found


def _search_page(app, q):
    """The tags of the search page for ``q``: its search box and its "next page" link."""
    what = f"GET /search?{urlencode({'q': q})}"
    page = text(expect(ask(app, "GET", "/search", query_string={"q": q}), 200, what))
    tags = _tags(page)
    boxes = [dict(attrs) for tag, attrs in tags if tag == "input" and dict(attrs).get("name") == "q"]
    links = [attrs for tag, attrs in tags if tag == "a" and "search" in (dict(attrs).get("href") or "")]
    return what, tags, boxes, links


def _shape(tags):
    """Which tags a page has and the names of their attributes: what typed text must never change."""
    return [(tag, sorted(name for name, _ in attrs)) for tag, attrs in tags]


@exercise(
    "11.2",
    title="Autoescaped, and still injected",
    task="""
        `again_app` shows a search page that keeps what the visitor typed: the
        box holds the query, and a "Next page" link asks for page 2 of the same
        search. Its template is rendered with autoescaping on, and it is still
        open to reflected XSS. Fix `SEARCH_PAGE` so that, whatever `q` holds:

        - nothing typed becomes a tag or an attribute;
        - the box shows `q` exactly as typed;
        - the link asks for `page=2` of exactly `q`: a query such as
          `fish & chips` or `50% +1` must come back whole.

        Leave the view as it is.
    """,
    source='''
        from flask import Flask, render_template_string, request

        SEARCH_PAGE = """
        <form action="/search">
          ### BEGIN SOLUTION
          <input name="q" value="{{ q }}"> <button>Search</button>
          ### STARTER
          <input name=q value={{ q }}> <button>Search</button>
          ### END SOLUTION
        </form>
        <p>Results for <em>{{ q }}</em>.
        ### BEGIN SOLUTION
        <a href="{{ url_for('search', q=q, page=2) }}">Next page</a></p>
        ### STARTER
        <a href=/search?q={{ q }}&page=2>Next page</a></p>
        ### END SOLUTION
        """

        again_app = Flask("again")


        @again_app.get("/search")
        def search():
            return render_template_string(SEARCH_PAGE, q=request.args.get("q", ""))
    ''',
    hints=[
        "Jinja escapes `<`, `>`, `&`, `'` and `\"`. Look at the page for "
        "`x onfocus=alert(1) autofocus`: which of those characters does the attack need?",
        "An attribute value without quotes ends at the first space, tab or newline, and the "
        "rest of the text becomes new attributes. Put every attribute value in quotes: "
        '`value="{{ q }}"`.',
        "Escaping for HTML is not encoding for a URL: in `?q=fish & chips&page=2` the `&` starts "
        "a new parameter. `url_for('search', q=q, page=2)` builds the query string with every "
        "character encoded (or use the `urlencode` filter: `?q={{ q|urlencode }}&page=2`).",
    ],
    args="again_app",
    right=[
        {'<input name="q" value="{{ q }}">': "<input name='q' value='{{ q }}'>",
         "<a href=\"{{ url_for('search', q=q, page=2) }}\">": "<a href='/search?q={{ q|urlencode }}&page=2'>"},
        {"<a href=\"{{ url_for('search', q=q, page=2) }}\">": "<a href={{ url_for('search', q=q, page=2) }}>"},
        {'<input name="q" value="{{ q }}">': "<input {{ {'name': 'q', 'value': q}|xmlattr }}>",
         "<a href=\"{{ url_for('search', q=q, page=2) }}\">": "<a href=\"/search?{{ {'q': q, 'page': 2}|urlencode }}\">"},
    ],
    wrong=[
        ({"<a href=\"{{ url_for('search', q=q, page=2) }}\">": '<a href="/search?q={{ q }}&page=2">'}, "Next page"),
        ({'value="{{ q }}"': 'value={{ q|urlencode }}'}, "box showed"),
        # striptags removes tags from the query, and with them part of what the visitor typed.
        ({'value="{{ q }}"': 'value="{{ q|striptags }}"'}, "instead of 'vector<int>  map<k, v>'"),
    ],
    insecure=[
        ({"<a href=\"{{ url_for('search', q=q, page=2) }}\">": "<a href=/search?q={{ q }}&page=2>"}, "onfocus"),
        ({'<input name="q" value="{{ q }}">': '<input name=q value={{ q|replace(" ", "") }}>'}, "tab"),
        ({'value="{{ q }}"': 'value="{{ q|safe }}"'}, "<script>"),
    ],
)
def _attributes(again_app):
    honest_what, honest_tags, boxes, links = _search_page(again_app, "flask")
    if len(boxes) != 1:
        raise Wrong(f"`{honest_what}` has {len(boxes)} `<input name=\"q\">` boxes; the page should have one.")
    if not links:
        raise Wrong(f"`{honest_what}` has no \"Next page\" link to /search.")
    honest = _shape(honest_tags)
    attacks = [
        ("x onfocus=alert(1) autofocus", "spaces"),
        ("x\tonfocus=alert(1)\tautofocus", "tabs instead of spaces"),
        ('"><script>alert(1)</script>', "a double quote and a script"),
        ("' onmouseover='alert(1)", "a single quote"),
    ]
    for attack, how in attacks:
        what, tags, _, _ = _search_page(again_app, attack)
        if _shape(tags) != honest:
            added = []
            for (tag, attrs), (_, names) in zip(tags, honest):
                added += [f"`{name}` on `<{tag}>`" for name, _ in attrs if name not in names]
            new_tags = sorted({tag for tag, _ in tags} - {old for old, _ in honest_tags})
            added = [f"a `<{tag}>` tag" for tag in new_tags] + added
            shown = ", ".join(added) or "a different set of tags"
            raise Wrong(f"`{what}` (a query with {how}) gave the page {shown}: the typed text became HTML.")
    # A search for C++ types holds angle brackets: |striptags would cut them out, and squeeze the double space.
    for typed in ["flask security", "fish & chips", "50% +1", "x onfocus=alert(1)", "q=1&page=9",
                  "vector<int>  map<k, v>"]:
        what, _, boxes, links = _search_page(again_app, typed)
        value = boxes[0].get("value") if boxes else None
        if value != typed:
            raise Wrong(f"`{what}`: the box showed {value!r} instead of {typed!r}.")
        href = dict(links[0]).get("href") if links else ""
        asked = parse_qs(urlsplit(href).query, keep_blank_values=True)
        if asked != {"q": [typed], "page": ["2"]}:
            shown = {key: values if len(values) > 1 else values[0] for key, values in asked.items()}
            raise Wrong(f"`{what}`: the Next page link is {href!r}, which asks for {shown!r}, not q={typed!r} and page 2.")
    return ("queries with spaces, tabs, quotes and a script (no new tag or attribute), and `fish & chips`, `50% +1`, "
            "`q=1&page=9` and `vector<int>  map<k, v>` in the box and in the Next page link")


# --- 11.3 -------------------------------------------------------------------------------

_PAGE = Environment(autoescape=True).from_string("<p>{{ entry }}</p>")


@exercise(
    "11.3",
    title="Line breaks without HTML",
    task="""
        A guestbook wants each entry shown with its line breaks, so a newline in the text
        must become a `<br>` tag in the page. `render_entry(text)` returns what the template
        prints with `{{ entry }}`. The starter marks the whole text as safe HTML to keep its
        `<br>` tags, so any markup a guest types is stored and served to every reader:
        stored XSS.

        Make `render_entry` escape the guest's text and still turn each `"\\n"` into a real
        `<br>`. It must return a `Markup` string, so that the template does not escape your
        `<br>` tags again.
    """,
    source='''
        from markupsafe import Markup, escape


        def render_entry(text):
            ### BEGIN SOLUTION
            return escape(text).replace("\\n", Markup("<br>"))
            ### STARTER
            return Markup(text.replace("\\n", "<br>"))
            ### END SOLUTION
    ''',
    hints=[
        "`Markup(...)` promises that the whole string is safe HTML, the guest's part included. "
        "Escape the guest's text first, then add your own markup.",
        "`escape(text)` returns a `Markup` string in which the guest's `<` and `&` are already "
        "entities. `Markup` methods escape plain-string arguments, so in `.replace(\"\\n\", \"<br>\")` "
        'your tag is escaped too: pass it as `Markup("<br>")`.',
        'Another way: `Markup("<br>").join(text.split("\\n"))` escapes each line and joins them with real tags.',
    ],
    args="render_entry",
    right=[
        {'return escape(text).replace("\\n", Markup("<br>"))': 'return Markup("<br>").join(text.split("\\n"))'},
        "import html\n\nfrom markupsafe import Markup\n\n\ndef render_entry(text):\n"
        '    return Markup(html.escape(text).replace("\\n", "<br>\\n"))',
    ],
    wrong=[
        ({'return escape(text).replace("\\n", Markup("<br>"))': 'return escape(text).replace("\\n", "<br>")'},
         "&lt;br&gt;"),
        ("import html\n\n\ndef render_entry(text):\n    return html.escape(text).replace(\"\\n\", \"<br>\")",
         "plain `str`"),
        ("import html\n\nfrom markupsafe import Markup, escape\n\n\ndef render_entry(text):\n"
         '    return escape(html.escape(text)).replace("\\n", Markup("<br>"))', "escaped twice"),
    ],
    insecure=[
        ({'return escape(text).replace("\\n", Markup("<br>"))': 'return Markup(text).replace("\\n", Markup("<br>"))'},
         "real `<img` tag"),
        ({'return escape(text).replace("\\n", Markup("<br>"))':
          'return Markup(text.replace("<script>", "").replace("</script>", "").replace("\\n", "<br>"))'}, "<img"),
    ],
)
def _line_breaks(render_entry):
    def shown(typed):
        entry = _call(render_entry, typed)
        return entry, _PAGE.render(entry=entry)

    entry, two_lines = shown("first line\nsecond line")
    if "&lt;br" in two_lines:
        if not isinstance(entry, Markup):
            raise Wrong(f"`render_entry` returned a plain `str`, and the page showed {two_lines!r}: `&lt;br&gt;` as text.")
        raise Wrong(f"two lines came out as {two_lines!r}: the `<br>` tag itself was escaped to `&lt;br&gt;`.")
    if not re.search(r"first line\s*<br\s*/?>\s*second line", two_lines):
        raise Wrong(f"two lines were shown as {two_lines!r}, with no `<br>` between them.")
    _, crlf = shown("first line\r\nsecond line")  # what a browser sends from a <textarea>
    if not re.search(r"first line\s*<br\s*/?>\s*second line", crlf):
        raise Wrong(f"two lines typed in a browser (separated by \\r\\n) were shown as {crlf!r}.")
    attacks = [
        ("<img src=x onerror=alert(1)>", "<img"),
        ("hi<script>alert(1)</script>", "<script"),
        ("<scr<script>ipt>alert(1)</scr</script>ipt>", "<script"),
        ("line one\n<b onmouseover=alert(1)>bold</b>", "<b "),
    ]
    for attack, tag in attacks:
        _, page = shown(attack)
        if tag in page:
            raise Wrong(f"a guest typed {attack!r} and the page holds a real `{tag.strip()}` tag: {page!r}.")
        if "&amp;lt;" in page:
            raise Wrong(f"a guest typed {attack!r} and the page shows {page!r}: `&amp;lt;` means the text was escaped twice.")
        if "&lt;" not in page:
            raise Wrong(f"a guest typed {attack!r} and the page shows {page!r}: the text was changed, not shown as typed.")
    _, amp = shown("Tom & Jerry")
    if "&amp;amp;" in amp:
        raise Wrong(f"`Tom & Jerry` was shown as {amp!r}: `&amp;amp;` means the text was escaped twice.")
    if "Tom &amp; Jerry" not in amp:
        raise Wrong(f"`Tom & Jerry` was shown as {amp!r}.")
    return ("two lines (\\n and \\r\\n), `<script>`, `<img onerror>`, a nested `<scr<script>ipt>`, an attribute "
            "after a newline, and `Tom & Jerry`")


# --- 11.4 -------------------------------------------------------------------------------

_GOOD_LINKS = ["", "/notes/3", "/search?q=flask+security#results", "https://example.org/page",
               "http://example.org/a?b=c", "HTTPS://Docs.Python.org/3/library/urllib.parse.html"]
_BAD_LINKS = [
    ("javascript:alert(1)", "a `javascript:` link runs its script when clicked"),
    ("JavaScript:alert(1)", "schemes ignore case"),
    (" javascript:alert(1)", "browsers drop leading spaces"),
    ("java\tscript:alert(1)", "browsers delete tabs inside an address, so this is `javascript:`"),
    ("\x01javascript:alert(1)", "browsers drop a leading control character"),
    ("javascript://example.org/%0Aalert(1)", "its host is trusted, but in the script `//example.org/` is a "
     "comment and `%0A` (a newline) ends it, so `alert(1)` runs"),
    ("JAVASCRIPT://docs.python.org/%0Aalert(1)", "a trusted host after a `javascript:` scheme runs a script too"),
    ("data:text/html,<script>alert(1)</script>", "a `data:` address holds a whole page"),
    ("https://evil.example/", "evil.example is not a trusted host"),
    ("//evil.example/x", "a browser reads `//host` as another site"),
    ("///evil.example/x", "a browser reads three slashes as `//evil.example`"),
    ("/\\evil.example/x", "a browser reads the backslash as a slash: `//evil.example`"),
    ("\\\\evil.example/x", "a browser reads two backslashes as `//evil.example`"),
    ("/\t/evil.example/x", "browsers delete the tab, which leaves `//evil.example`"),
    (" //evil.example/x", "browsers drop the leading space, which leaves `//evil.example`"),
    ("https:evil.example", "on any page not itself on https, a browser opens it as https://evil.example/"),
    ("https:/evil.example", "on any page not itself on https, a browser opens it as https://evil.example/"),
    ("https://example.org@evil.example/", "its host is evil.example; example.org is only a user name"),
    ("https://evilexample.org/", "the host only ends like a trusted one"),
    ("https://example.org.evil.example/", "the host only starts like a trusted one"),
    ("https://evil.example/?next=example.org", "the trusted name is only in the query"),
    ("https://evil.example\\@example.org/", "Python's urlsplit reads the host as example.org, but browsers read "
     "the backslash as a slash and go to evil.example"),
    ("%2F%2Fevil.example", "URL-encoded, it has no scheme and is not a path that starts with `/`"),
    ("https%3A%2F%2Fexample.org", "URL-encoded, it is not an address at all"),
    ("ftp://example.org/file", "`ftp:` is not `http` or `https`"),
]
_TRUSTED_SOURCE = '''
    def trusted_link(form, field):
        link = field.data
        if "\\\\" in link or not link.isprintable():
            raise ValidationError("That link is not allowed.")
        if link.startswith("/") and not link.startswith("//"):
            return  # a page of this board
        parts = urlsplit(link)
        if parts.scheme not in {"http", "https"} or parts.hostname not in TRUSTED_HOSTS:
            raise ValidationError("Link to a page of this board or to a trusted site.")
'''


def _trusted(body):
    """A complete answer to 11.4 whose validator is ``body`` (a function named trusted_link)."""
    return (
        "from urllib.parse import urlsplit\n\nfrom wtforms import Form, StringField\n"
        "from wtforms.validators import DataRequired, Length, Optional, ValidationError\n\n"
        'TRUSTED_HOSTS = {"example.org", "docs.python.org"}\n\n\n'
        + textwrap.dedent(body).strip()
        + '\n\n\nclass LinkForm(Form):\n    text = StringField("Note", [DataRequired(), Length(max=500)])\n'
        '    link = StringField("Link", [Optional(), trusted_link])\n'
    )


@exercise(
    "11.4",
    title="Links to this board and to trusted sites",
    task="""
        `LinkForm` takes a note and an optional link, which a page shows as
        `<a href="...">`. Escaping cannot stop a `javascript:` link, and the starter's deny
        list misses most spellings. This board is stricter than the one above: a link may
        only go to

        - a page of this board, written as a path: it starts with one `/` (not `//`), as in
          `/notes/3` or `/search?q=flask`; or
        - an `http` or `https` address (in any case) whose host is one of `TRUSTED_HOSTS`.

        Refuse everything else, and refuse any link with a backslash or a control character
        (browsers read a backslash as a slash, and delete tabs and newlines, so `/\\evil.example`
        and `/<TAB>/evil.example` both become `//evil.example`, another site). An empty link
        is fine. Keep the field names `text` and `link`.
    """,
    source='''
        from urllib.parse import urlsplit

        from wtforms import Form, StringField
        from wtforms.validators import DataRequired, Length, Optional, ValidationError

        TRUSTED_HOSTS = {"example.org", "docs.python.org"}


        ### BEGIN SOLUTION
        def trusted_link(form, field):
            link = field.data
            if "\\\\" in link or not link.isprintable():
                raise ValidationError("That link is not allowed.")
            if link.startswith("/") and not link.startswith("//"):
                return  # a page of this board
            parts = urlsplit(link)
            if parts.scheme not in {"http", "https"} or parts.hostname not in TRUSTED_HOSTS:
                raise ValidationError("Link to a page of this board or to a trusted site.")
        ### STARTER
        def no_javascript(form, field):
            if field.data.startswith("javascript:"):
                raise ValidationError("That link is not allowed.")
        ### END SOLUTION


        class LinkForm(Form):
            text = StringField("Note", [DataRequired(), Length(max=500)])
            ### BEGIN SOLUTION
            link = StringField("Link", [Optional(), trusted_link])
            ### STARTER
            link = StringField("Link", [Optional(), no_javascript])
            ### END SOLUTION
    ''',
    hints=[
        "Accept what you want instead of refusing what you fear: write down what a good link looks "
        "like (an allow list), and refuse everything else. There are two kinds of good link; test "
        "each one separately.",
        "The path on this board: `link.startswith(\"/\") and not link.startswith(\"//\")`. Before "
        "anything else, refuse a backslash (`\"\\\\\" in link`) and control characters "
        "(`not link.isprintable()`).",
        "The address elsewhere: `parts = urlsplit(link)` from `urllib.parse`; require "
        '`parts.scheme in {"http", "https"}` **and** `parts.hostname in TRUSTED_HOSTS`. A trusted '
        "host alone proves nothing: `javascript://example.org/...` has one. `hostname` is lower "
        "case and leaves out a user name and a port, which `netloc` keeps.",
        "Keep `Optional()` first in the field's list: it stops the checks when the link is empty.",
    ],
    args="LinkForm",
    right=[
        _trusted('''
            import re

            BOARD_PATH = re.compile(r"/(?!/)[^\\\\\\x00-\\x1f\\x7f]*")


            def trusted_link(form, field):
                if BOARD_PATH.fullmatch(field.data):
                    return
                parts = urlsplit(field.data)
                web = parts.scheme in ("http", "https") and (parts.hostname or "") in TRUSTED_HOSTS
                if not web or "\\\\" in field.data or not field.data.isprintable():
                    raise ValidationError("Not a link this board allows.")
        '''),
        _trusted('''
            def trusted_link(form, field):
                link = field.data
                local = link.startswith("/") and not link.startswith(("//", "/\\\\"))
                parts = urlsplit(link)
                trusted = parts.scheme in {"http", "https"} and parts.netloc.lower() in TRUSTED_HOSTS
                if not (local or trusted) or "\\\\" in link or any(ord(c) < 32 or ord(c) == 127 for c in link):
                    raise ValidationError("Not a link this board allows.")
        '''),
        {"[Optional(), trusted_link]": "[trusted_link, Optional()]"},  # Optional clears the errors before it
    ],
    wrong=[
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if "\\\\" in link or not link.isprintable():
                    raise ValidationError("That link is not allowed.")
                if link.startswith("/") and not link.startswith("//"):
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or parts.netloc not in TRUSTED_HOSTS:
                    raise ValidationError("Link to a trusted site.")
        '''), "HTTPS://Docs.Python.org"),
        ({"[Optional(), trusted_link]": "[DataRequired(), trusted_link]"}, "empty link"),
        ({"from wtforms.validators import DataRequired, Length, Optional, ValidationError":
          "from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError",
          "[Optional(), trusted_link]": "[Optional(), URL()]"}, "/notes/3"),
    ],
    insecure=[
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if link.startswith("/") and not link.startswith("//") and "\\\\" not in link and link.isprintable():
                    return
                if urlsplit(link).hostname not in TRUSTED_HOSTS:
                    raise ValidationError("Link to a trusted site.")
        '''), "javascript://example.org/%0Aalert(1)"),
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if link.startswith("/"):
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or parts.hostname not in TRUSTED_HOSTS:
                    raise ValidationError("Link to a trusted site.")
        '''), "//evil.example/x"),
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if not link.isprintable():
                    raise ValidationError("That link is not allowed.")
                if link.startswith("/") and not link.startswith("//"):
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or parts.hostname not in TRUSTED_HOSTS:
                    raise ValidationError("Link to a trusted site.")
        '''), "backslash"),
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if link.startswith("/") and not link.startswith("//") and "\\\\" not in link and link.isprintable():
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or not any(host in parts.netloc.lower() for host in TRUSTED_HOSTS):
                    raise ValidationError("Link to a trusted site.")
        '''), "example.org@evil.example"),
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if link.startswith("/") and not link.startswith("//") and "\\\\" not in link and link.isprintable():
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or not (parts.hostname or "").endswith(tuple(TRUSTED_HOSTS)):
                    raise ValidationError("Link to a trusted site.")
        '''), "evilexample.org"),
        (_trusted('''
            def trusted_link(form, field):
                link = field.data
                if link.startswith("/") and not link.startswith("//") and "\\\\" not in link and link.isprintable():
                    return
                parts = urlsplit(link)
                if parts.scheme not in {"http", "https"} or parts.hostname not in TRUSTED_HOSTS:
                    raise ValidationError("Link to a trusted site.")
        '''), "browsers read the backslash"),
        ({"from wtforms.validators import DataRequired, Length, Optional, ValidationError":
          "from wtforms.validators import DataRequired, Length, Optional, ValidationError\n\n\n"
          "def no_scripts(form, field):\n"
          '    if field.data.strip().lower().startswith(("javascript:", "data:", "vbscript:")):\n'
          '        raise ValidationError("That link is not allowed.")',
          "[Optional(), trusted_link]": "[Optional(), no_scripts]"}, "TAB"),
    ],
)
def _trusted_links(LinkForm):
    if not hasattr(LinkForm, "link") or not hasattr(LinkForm, "text"):
        raise Wrong("`LinkForm` has no `text` and `link` fields.")

    def accepts(link):
        try:
            form = LinkForm(MultiDict({"text": "See this", "link": link}))
            return form.validate(), form.errors
        except Exception as error:
            raise Wrong(f"validating the link {link!r} raised `{type(error).__name__}: {error}`.") from None

    for link in _GOOD_LINKS:
        ok, errors = accepts(link)
        if not ok:
            if link == "":
                raise Wrong(f"an empty link was refused ({errors}), and the link is optional.")
            raise Wrong(f"the honest link {link!r} was refused ({errors}).")
    for link, label in _BAD_LINKS:
        ok, _ = accepts(link)
        if ok:
            raise Wrong(f"the link {link!r} was accepted: {label}.")
    return (f"{len(_GOOD_LINKS)} honest links (empty, board paths, trusted hosts in any case) and {len(_BAD_LINKS)} "
            "others: `javascript:` spelt many ways, `javascript://example.org/%0Aalert(1)`, `data:`, an untrusted host, "
            "`//`, `///`, backslashes, a tab, a space, `https:host`, a user name, look-alike hosts, URL-encoded forms "
            "and `ftp://`")


# --- 11.5 -------------------------------------------------------------------------------

_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


def _token(page):
    found = _TOKEN.search(page)
    return (found[1] or found[2]) if found else None


def _shown_email(app, client):
    page = text(client.get("/email"))
    found = re.search(r"Your e-mail: ([^<\s]*)", page)
    return found[1] if found else None


@exercise(
    "11.5",
    title="A token on the e-mail form",
    task="""
        `email_app` lets a visitor change their e-mail address with a POST to `/email`.
        Any page on the web can make a visitor's browser send that POST: cross-site request
        forgery. Protect the form with WTForms' session CSRF, as in chapter 5:

        - give `EmailForm` a `class Meta` with `csrf = True`, `csrf_class = SessionCSRF`
          and `csrf_secret = CSRF_SECRET`;
        - build the form with `meta={"csrf_context": session}`;
        - render `{{ form.csrf_token }}` inside the `<form>`;
        - answer a POST whose token is missing or wrong with **400**, and change nothing.

        An honest change (a POST with the token from the page) still answers 303 and
        saves the new address.
    """,
    source='''
        import secrets

        from flask import Flask, abort, redirect, render_template_string, request, session, url_for
        from wtforms import EmailField, Form
        from wtforms.csrf.session import SessionCSRF
        from wtforms.validators import DataRequired

        CSRF_SECRET = secrets.token_bytes(32)
        EMAIL_PAGE = """
        <form method="post" action="{{ url_for('change_email') }}">
          ### BEGIN SOLUTION
          {{ form.csrf_token }}
          ### STARTER
          ### END SOLUTION
          {{ form.email.label }} {{ form.email() }}
          <button>Save</button>
        </form>
        <p>Your e-mail: {{ email }}</p>
        """


        class EmailForm(Form):
            email = EmailField("New e-mail", [DataRequired()])
            ### BEGIN SOLUTION

            class Meta:
                csrf = True
                csrf_class = SessionCSRF
                csrf_secret = CSRF_SECRET
            ### STARTER
            ### END SOLUTION


        email_app = Flask("email")
        email_app.secret_key = secrets.token_hex()
        emails = {"ada": "ada@example.org"}


        @email_app.route("/email", methods=["GET", "POST"])
        def change_email():
            ### BEGIN SOLUTION
            form = EmailForm(request.form, meta={"csrf_context": session})
            if request.method == "POST":
                if form.validate():
                    emails["ada"] = form.email.data
                    return redirect(url_for("change_email"), code=303)
                if "csrf_token" in form.errors:
                    abort(400, description=form.errors["csrf_token"][0])
                return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"]), 422
            ### STARTER
            form = EmailForm(request.form)
            if request.method == "POST" and form.validate():
                emails["ada"] = form.email.data
                return redirect(url_for("change_email"), code=303)
            ### END SOLUTION
            return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"])
    ''',
    hints=[
        "Add the `class Meta` inside `EmailForm` (csrf, csrf_class, csrf_secret) and build the form "
        'with `EmailForm(request.form, meta={"csrf_context": session})`: the token is then bound '
        "to this visitor's session.",
        "Render the token in the template: `{{ form.csrf_token }}` inside the `<form>`, or the "
        "honest POST has no token to send.",
        "After `form.validate()` fails, look at `form.errors`: when it has a `\"csrf_token\"` key, "
        "refuse with `abort(400)` before touching `emails`.",
        "The `csrf_context` must be the visitor's own `session`, not a dict shared by every "
        "visitor: a shared one hands every visitor the same token.",
    ],
    args="email_app",
    right=[
        {'        if "csrf_token" in form.errors:\n            abort(400, description=form.errors["csrf_token"][0])\n'
         '        return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"]), 422':
         '        status = 400 if form.csrf_token.errors else 422\n'
         '        return render_template_string(EMAIL_PAGE, form=form, email=emails["ada"]), status'},
        {'    form = EmailForm(request.form, meta={"csrf_context": session})\n    if request.method == "POST":\n'
         '        if form.validate():':
         '    form = EmailForm(request.form, meta={"csrf_context": session})\n    if request.method == "POST":\n'
         '        if not form.csrf_token.validate(form):\n            abort(400)\n        if form.validate():'},
    ],
    wrong=[
        ({"  {{ form.csrf_token }}\n": ""}, "no hidden `csrf_token` field"),
        ({'        if "csrf_token" in form.errors:\n            abort(400, description=form.errors["csrf_token"][0])\n': ""},
         "answered 422"),
    ],
    insecure=[
        ({'form = EmailForm(request.form, meta={"csrf_context": session})':
          'form = EmailForm(request.form, meta={"csrf_context": SHARED})',
          'emails = {"ada": "ada@example.org"}': 'emails = {"ada": "ada@example.org"}\nSHARED = {}'},
         "another visitor"),
        ({'    if request.method == "POST":\n        if form.validate():':
          '    if request.method == "POST":\n        emails["ada"] = request.form.get("email") or emails["ada"]\n'
          '        if form.validate():'}, "changed the address"),
    ],
)
def _csrf_token(email_app):
    visitor = _Browser(email_app)
    page = visitor.get("/email")
    if page.status_code != 200:
        raise Wrong(f"`GET /email` answered {page.status}.")
    before = _shown_email(email_app, visitor)
    forged = visitor.post("/email", data={"email": "mallory@evil.example"})
    after = _shown_email(email_app, visitor)
    if after != before:
        raise Wrong(
            "a POST with no token, the kind another site's page makes a browser send, changed the "
            f"address from {before!r} to {after!r}."
        )
    if forged.status_code != 400:
        raise Wrong(f"a POST with no token answered {forged.status}; it changed nothing, but the task asks for 400.")
    token = _token(visitor.get("/email").get_data(as_text=True))
    if token is None:
        raise Wrong("`GET /email` shows a form with no hidden `csrf_token` field, so an honest visitor has no token to send.")
    honest = visitor.post("/email", data={"email": "ada@new.example", "csrf_token": token})
    if honest.status_code != 303 or _shown_email(email_app, visitor) != "ada@new.example":
        raise Wrong(
            f"an honest POST with the page's token answered {honest.status}, and the page shows "
            f"{_shown_email(email_app, visitor)!r}, not `ada@new.example`."
        )
    for label, forged_token in [("a made-up token `abc`", "abc"), ("an empty token", ""),
                                ("a token with its signature cut off", token.split("##")[0] + "##")]:
        answer = visitor.post("/email", data={"email": "mallory@evil.example", "csrf_token": forged_token})
        if _shown_email(email_app, visitor) != "ada@new.example":
            raise Wrong(f"a POST with {label} changed the address to {_shown_email(email_app, visitor)!r}.")
        if answer.status_code != 400:
            raise Wrong(f"a POST with {label} answered {answer.status}; it changed nothing, but the task asks for 400.")
    stranger = _Browser(email_app)
    foreign = _token(stranger.get("/email").get_data(as_text=True))
    refused = visitor.post("/email", data={"email": "mallory@evil.example", "csrf_token": foreign})
    if refused.status_code != 400 or _shown_email(email_app, visitor) != "ada@new.example":
        raise Wrong(
            "a token that another visitor's page carried was accepted in this visitor's POST "
            f"({refused.status}, address now {_shown_email(email_app, visitor)!r})."
        )
    invalid = visitor.post("/email", data={"email": "", "csrf_token": _token(visitor.get("/email").get_data(as_text=True))})
    if invalid.status_code in (200, 303) or _shown_email(email_app, visitor) != "ada@new.example":
        raise Wrong(f"an honest POST with an empty e-mail answered {invalid.status} and the address is "
                    f"{_shown_email(email_app, visitor)!r}.")
    return ("a POST with no token, with a made-up, an empty and a cut-off token, with another visitor's token "
            "(each 400, nothing changed), and honest POSTs with the page's token")


# --- 11.6 -------------------------------------------------------------------------------


@contextmanager
def _without_secret_in_os_environ():
    """Hide SECRET_KEY from os.environ while the check runs, so only the dict passed in counts."""
    saved = os.environ.pop("SECRET_KEY", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["SECRET_KEY"] = saved


@exercise(
    "11.6",
    title="A secret key that must be set",
    task="""
        `load_secret_key(environ)` reads the app's `SECRET_KEY` from the environment
        (`environ` is a dict such as `os.environ`). The starter falls back to `"dev"` when
        the variable is missing, the placeholder from Flask's tutorial, so a server started
        without its secret runs with a key anyone can guess.

        Make it fail instead of falling back: return the value when it is a string of at
        least **32 characters** (a `secrets.token_hex()` has 64), and raise `RuntimeError`
        with a helpful message when it is missing, empty or shorter. No fallback of any kind:
        not `"dev"`, not a long phrase written in the code, not a fresh random key. The
        capstone (chapter 12) refuses its key by the same rule. The length test only
        catches placeholders; a long phrase can still be guessed, so the value itself must
        come from `secrets`.
    """,
    source="""
        def load_secret_key(environ):
            ### BEGIN SOLUTION
            key = environ.get("SECRET_KEY", "")
            if len(key) < 32:
                raise RuntimeError(
                    "SECRET_KEY is missing or too short. Make one with "
                    "python -c 'import secrets; print(secrets.token_hex())' and set it in the environment."
                )
            return key
            ### STARTER
            return environ.get("SECRET_KEY", "dev")
            ### END SOLUTION
    """,
    hints=[
        "What does the starter return when the variable is missing? Anyone who has read the "
        "code (or Flask's tutorial) knows that value.",
        "No default at all: `environ.get(\"SECRET_KEY\", \"\")`, then check the length. A key "
        "written in the code is known to everyone who can read the code; a fresh random key is "
        "different in every worker and after every restart, so sessions break.",
        "`if len(key) < 32: raise RuntimeError(\"...\")`: raise, do not return `None`, so the server "
        "refuses to start instead of running without a key.",
    ],
    args="load_secret_key",
    right=[
        """
        def load_secret_key(environ):
            try:
                key = environ["SECRET_KEY"]
            except KeyError:
                raise RuntimeError("Set SECRET_KEY in the environment.") from None
            if not isinstance(key, str) or len(key) < 32:
                raise RuntimeError("SECRET_KEY must be at least 32 characters; use secrets.token_hex().")
            return key
        """,
        {"if len(key) < 32:": "if not key or len(key) <= 31:"},
    ],
    wrong=[
        ({"if len(key) < 32:": "if len(key) <= 32:"}, "exactly 32"),
        ({'key = environ.get("SECRET_KEY", "")': 'key = environ["SECRET_KEY"]'}, "KeyError"),
        ("def load_secret_key(environ):\n    key = environ.get(\"SECRET_KEY\")\n"
         "    if key and len(key) >= 32:\n        return key\n    return None", "None"),
        ("import secrets\n\n\ndef load_secret_key(environ):\n    key = environ.get(\"SECRET_KEY\") or secrets.token_hex()\n"
         "    if len(key) < 32:\n        raise RuntimeError(\"SECRET_KEY is too short.\")\n    return key",
         "not in the environment"),
        ("import os\n\n\ndef load_secret_key(environ):\n    key = os.environ.get(\"SECRET_KEY\", \"\")\n"
         "    if len(key) < 32:\n        raise RuntimeError(\"SECRET_KEY is missing or too short.\")\n    return key",
         "the dict"),
    ],
    insecure=[
        ({"key = environ.get(\"SECRET_KEY\", \"\")": "key = environ.get(\"SECRET_KEY\", \"a-long-fallback-phrase-that-nobody-can-guess\")"},
         "written in the code"),
        ({"if len(key) < 32:": "if not key:"}, "'dev'"),
    ],
)
def _secret_key(load_secret_key):
    # The rule is the course's one (probe.weak_key, the capstone's check_secret_key): at least SHORTEST_KEY characters.
    shortest = SHORTEST_KEY["characters"]
    strong, exactly = secrets.token_hex(), secrets.token_hex(shortest // 2)
    refused = [
        ("no SECRET_KEY at all", {"PATH": "/usr/bin"}),
        ("an empty SECRET_KEY", {"SECRET_KEY": ""}),
        ("SECRET_KEY='dev'", {"SECRET_KEY": "dev"}),
        ("SECRET_KEY='changeme'", {"SECRET_KEY": "changeme"}),
        (f"a {shortest - 1}-character SECRET_KEY", {"SECRET_KEY": secrets.token_hex(shortest // 2)[1:]}),
    ]
    assert not weak_key(strong) and not weak_key(exactly)
    assert all(weak_key(env.get("SECRET_KEY")) for _, env in refused)
    with _without_secret_in_os_environ():
        try:
            got = _call(load_secret_key, {"SECRET_KEY": strong, "PATH": "/usr/bin"}, passing=(RuntimeError,))
        except RuntimeError as error:
            raise Wrong(f"with a {len(strong)}-character SECRET_KEY in the dict passed in, you raised "
                        f"`RuntimeError: {error}`.") from None
        if got != strong:
            raise Wrong(f"with a {len(strong)}-character SECRET_KEY in the dict passed in you returned {got!r}, "
                        "not that key.")
        try:
            got = _call(load_secret_key, {"SECRET_KEY": exactly}, passing=(RuntimeError,))
        except RuntimeError:
            raise Wrong(f"a random key of exactly {shortest} characters was refused.") from None
        if got != exactly:
            raise Wrong(f"a {shortest}-character key came back as {got!r}.")
        for label, env in refused:
            try:
                got = _call(load_secret_key, env, passing=(RuntimeError,))
            except RuntimeError:
                continue
            except Wrong as wrong:
                raise Wrong(f"with {label}: {wrong}") from None
            if got is None:
                raise Wrong(f"with {label} you returned None, and an app given None has no key at all.")
            if got in env.values() and got:
                raise Wrong(f"with {label} you returned {got!r}, so the app would run with that key.")
            if isinstance(got, str) and len(got) >= shortest and re.fullmatch(r"[0-9a-f]+", got):
                again = load_secret_key(dict(env))
                if again != got:
                    raise Wrong(
                        f"with {label} you returned {got[:12]}..., a key that is not in the environment, and "
                        f"{again[:12]}... the next time: every worker and every restart would sign with another key."
                    )
            raise Wrong(f"with {label} you returned {got!r}, a key written in the code, which anyone who reads it knows.")
    return (f"a {len(strong)}- and a {shortest}-character key (returned), and no key, an empty one, 'dev', 'changeme' "
            f"and {shortest - 1} characters (RuntimeError)")


# --- 11.7 -------------------------------------------------------------------------------


def _reports_folder():
    """A reports folder, a sibling whose name starts the same, a secret one level up, and a link to it all."""
    root = scratch("11-exercise-11.7")
    reports = root / "reports"
    (reports / "archive").mkdir(parents=True)
    (reports / "q1.txt").write_text("Q1: sales are up.\n")
    (reports / "archive" / "2023-q4.txt").write_text("Q4 2023: a quiet quarter.\n")
    (reports / "latest.txt").symlink_to("q1.txt")  # a link that stays inside
    (root / "reports-private").mkdir()
    (root / "reports-private" / "plan.txt").write_text("PRIVATE: the merger plan\n")
    (root / "secret.txt").write_text("TOP SECRET: the launch date\n")
    (root / "via-link").symlink_to(root, target_is_directory=True)
    return reports, root / "via-link" / "reports"


_HONEST_REPORTS = [("q1", "Q1: sales are up.\n"), ("archive/2023-q4", "Q4 2023: a quiet quarter.\n"),
                   ("latest", "Q1: sales are up.\n")]
_TRAVERSALS = [
    ("/reports/../secret", "`..` one folder up"),
    ("/reports/archive/../../secret", "`..` twice, from the subfolder"),
    ("/reports/..%2fsecret", "`..%2f`, an encoded slash"),
    ("/reports/%2e%2e/secret", "`%2e%2e`, encoded dots"),
    ("/reports/../reports-private/plan", "`../reports-private/plan`, a sibling folder whose name starts with `reports`"),
    ("/reports/..././secret", "`..././secret`, which is `../secret` once `../` is removed"),
    ("/reports/%252e%252e/secret", "`%252e%252e`, encoded twice (Flask decodes once)"),
    ("/reports/..%252fsecret", "`..%252f`, an encoded slash encoded twice"),
    ("/reports//tmp/x/../secret", "an absolute path"),
]
_TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@exercise(
    "11.7",
    title="Reports that stay in their folder",
    task="""
        `make_reports_app(folder)` builds an app that answers the text reports in `folder`
        and its subfolders as JSON: `GET /reports/q1` answers
        `{"report": "q1", "text": <the content of folder/q1.txt>}`, and
        `GET /reports/archive/2023-q4` the same for `folder/archive/2023-q4.txt`. The view
        adds `.txt` to the name and joins it to the folder, which looks safe and is not:
        `/reports/../secret` reads `secret.txt` one folder up.

        Fix the view so that only files inside `folder` can be read: a name that leaves the
        folder answers 404, a report that does not exist answers 404 (not 500), and the
        reports, in the subfolder too, still come back as JSON. `folder` may itself be a
        path that goes through a symbolic link. (`send_from_directory` sends a file as it
        is; here you need its text in Python.)
    """,
    source="""
        ### BEGIN SOLUTION
        import os
        from pathlib import Path

        from flask import Flask, abort
        from werkzeug.security import safe_join
        ### STARTER
        from pathlib import Path

        from flask import Flask
        ### END SOLUTION


        def make_reports_app(folder):
            app = Flask("reports")

            @app.get("/reports/<path:name>")
            def report(name):
                ### BEGIN SOLUTION
                path = safe_join(os.fspath(folder), f"{name}.txt")
                if path is None or not os.path.isfile(path):
                    abort(404)
                return {"report": name, "text": Path(path).read_text()}
                ### STARTER
                text = (Path(folder) / f"{name}.txt").read_text()
                return {"report": name, "text": text}
                ### END SOLUTION

            return app
    """,
    hints=[
        "Send `GET /reports/../secret` yourself and print the path the view builds: adding `.txt` "
        "does not stop `..`.",
        "`werkzeug.security.safe_join(folder, name)` joins the two and returns `None` for a name "
        "that would leave the folder (it takes strings: `os.fspath(folder)`). Then `abort(404)`, and "
        "`abort(404)` too when `os.path.isfile(path)` is false.",
        "Checking by hand? A string prefix is not a folder: `/srv/reports-private` starts with "
        "`/srv/reports`. Compare whole paths: `Path(...).resolve().is_relative_to(Path(folder).resolve())`, "
        "resolving both sides, or a folder reached through a link never matches. And a NUL in the "
        "name (`%00`) makes `resolve()` and `open()` raise `ValueError`.",
        "Never decode the name again (`unquote`): Flask has decoded it once, and a second decoding "
        "turns `%252e%252e` into `..` after your check.",
    ],
    args="make_reports_app",
    right=[
        """
        from pathlib import Path

        from flask import Flask, abort


        def make_reports_app(folder):
            app = Flask("reports")
            root = Path(folder).resolve()

            @app.get("/reports/<path:name>")
            def report(name):
                try:
                    path = (root / f"{name}.txt").resolve()
                except ValueError:  # a NUL in the name
                    abort(404)
                if not path.is_relative_to(root) or not path.is_file():
                    abort(404)
                return {"report": name, "text": path.read_text()}

            return app
        """,
        """
        import os

        from flask import Flask, abort


        def make_reports_app(folder):
            app = Flask("reports")
            root = os.path.realpath(folder)

            @app.get("/reports/<path:name>")
            def report(name):
                if "\\x00" in name:
                    abort(404)
                path = os.path.realpath(os.path.join(root, f"{name}.txt"))
                if os.path.commonpath([root, path]) != root or not os.path.isfile(path):
                    abort(404)
                with open(path, encoding="utf-8") as report_file:
                    return {"report": name, "text": report_file.read()}

            return app
        """,
    ],
    wrong=[
        ("""
        from pathlib import Path

        from flask import Flask, abort


        def make_reports_app(folder):
            app = Flask("reports")

            @app.get("/reports/<path:name>")
            def report(name):
                if "\\x00" in name:
                    abort(404)
                path = (Path(folder) / f"{name}.txt").resolve()
                if not path.is_relative_to(folder) or not path.is_file():
                    abort(404)
                return {"report": name, "text": path.read_text()}

            return app
        """, "symbolic link"),
        ({"from werkzeug.security import safe_join": "from werkzeug.security import safe_join\n"
          "from werkzeug.utils import secure_filename",
          'path = safe_join(os.fspath(folder), f"{name}.txt")':
          'path = safe_join(os.fspath(folder), secure_filename(f"{name}.txt"))'}, "archive"),
        ({"if path is None or not os.path.isfile(path):": "if path is None:"}, "FileNotFoundError"),
    ],
    insecure=[
        ("""
        import os
        from pathlib import Path

        from flask import Flask, abort


        def make_reports_app(folder):
            app = Flask("reports")

            @app.get("/reports/<path:name>")
            def report(name):
                path = os.path.normpath(os.path.join(folder, f"{name}.txt"))
                if not path.startswith(str(folder)) or not os.path.isfile(path):
                    abort(404)
                return {"report": name, "text": Path(path).read_text()}

            return app
        """, "reports-private"),
        ({'path = safe_join(os.fspath(folder), f"{name}.txt")':
          'path = os.path.join(folder, f"{name}.txt".replace("../", ""))'}, "..././secret"),
        ("""
        import os
        from pathlib import Path
        from urllib.parse import unquote

        from flask import Flask, abort


        def make_reports_app(folder):
            app = Flask("reports")

            @app.get("/reports/<path:name>")
            def report(name):
                if ".." in name.split("/"):
                    abort(404)
                path = os.path.join(folder, unquote(f"{name}.txt"))
                if not os.path.isfile(path):
                    abort(404)
                return {"report": name, "text": Path(path).read_text()}

            return app
        """, "encoded twice"),
        ({'path = safe_join(os.fspath(folder), f"{name}.txt")\n        if path is None or':
          'path = os.path.join(folder, f"{name}.txt")\n        if name.startswith("..") or'}, "subfolder"),
    ],
)
def _reports(make_reports_app):
    real, through_link = _reports_folder()
    for folder, how in [(real, ""), (through_link, f" (the folder given as {through_link}, a path through a symbolic link)")]:
        app = make_reports_app(folder)
        for name, content in _HONEST_REPORTS:
            answer = ask(app, "GET", f"/reports/{name}")
            body = answer.get_json(silent=True) if answer.is_json else None
            if answer.status_code != 200 or body != {"report": name, "text": content}:
                raise Wrong(f"`GET /reports/{name}` answered {answer.status}{how}: {text(answer)[:90]!r}.")
        for path, label in _TRAVERSALS:
            answer = ask(app, "GET", path)
            body = text(answer)
            for secret in ("TOP SECRET", "PRIVATE"):
                if secret in body:
                    raise Wrong(f"`GET {path}` ({label}) answered {answer.status} with {body.strip()[:90]!r}{how}.")
            if answer.status_code not in (404, 400) and not (path.startswith("/reports//") and _redirected(answer)):
                raise Wrong(f"`GET {path}` ({label}) answered {answer.status}{how}.")
        for path, label in [("/reports/q9", "a report that does not exist"), ("/reports/archive", "a folder"),
                            ("/reports/q1%00", "a name with a NUL character, %00")]:
            answer = ask(app, "GET", path)
            if answer.status_code not in (404, 400):
                raise Wrong(f"`GET {path}` ({label}) answered {answer.status}{how}.")
    return ("q1, a report in a subfolder and a link to q1 (each answered), with the folder given directly and through "
            "a symbolic link; `..`, `..` from the subfolder, `..%2f`, `%2e%2e`, a sibling reports-private, `..././`, "
            "names encoded twice, an absolute path, a missing report, a folder and a NUL (none read)")


# --- 11.8 -------------------------------------------------------------------------------

_LOCAL = ["/account", "/search?q=flask+security", "/notes/3#comments", "/reports/a%2Fb", "/search?q=50%25"]
_FOREIGN = [
    ("https://evil.example/login", "a full address on another site"),
    ("https:evil.example", "from a site on plain http, a browser follows it to https://evil.example/"),
    ("//evil.example/login", "`//host`, which a browser reads as another site"),
    ("///evil.example/login", "three slashes, which a browser reads as `//host`"),
    ("/\\evil.example/login", "a backslash after the slash (a browser reads `/\\` as `//`)"),
    ("\\\\evil.example/login", "two backslashes (a browser reads them as `//`)"),
    ("\\/evil.example/login", "a backslash, then a slash"),
    ("/\t/evil.example/login", "a tab between the slashes (browsers delete tabs, and so does Werkzeug)"),
    (" //evil.example/login", "a space before `//host` (browsers drop it)"),
    ("/\x01/evil.example/login", "a control character between the slashes"),
    ("javascript://host/%0Aalert(1)", "a `javascript:` address"),
    ("evil.example/login", "a target that does not start with `/`"),
    ("/\n/evil.example/login", "a newline between the slashes"),
]
# Still percent-encoded after Flask decoded the query once: paths on this site if left alone.
_ENCODED = ["/%2F%2Fevil.example/login", "/%5Cevil.example/login", "/%09/evil.example/login"]


def _to_account(location):
    """True when a Location header points at /account on this site (a path, or localhost)."""
    parts = urlsplit(location or "")
    return parts.path == "/account" and not parts.query and parts.netloc in ("", "localhost")


@exercise(
    "11.8",
    title="Log in, then go back where you were",
    kind="make",
    task="""
        `login_app` has an account page that sends a visitor who is not logged in to
        `/login?next=/account`. Write the login view that takes them back, without an open
        redirect:

        - `POST /login` with the form fields `name` and `password`. When
          `check_password(name, password)` is true, keep the name in `session["user"]` and
          redirect to the `next` of the query string **if it is a path on this site**,
          otherwise (or when there is none) to `url_for("account")`.
        - A wrong password does not redirect and logs nobody in.

        A path on this site follows the rule of exercise 11.4: it starts with one `/`, not
        `//`, and has no backslash and no control character (code below 32, or 127). Query
        strings and `#fragments` are fine. Use `next` as Flask hands it to you:
        `request.args` has already decoded it once; never decode it again.
    """,
    source='''
        import secrets

        from flask import Flask, redirect, request, session, url_for
        from werkzeug.security import check_password_hash, generate_password_hash

        USERS = {"ada": generate_password_hash("correct horse battery staple", method="scrypt:4096:8:1")}


        def check_password(name, password):
            """True when password is the password of the user called name."""
            return name in USERS and check_password_hash(USERS[name], password)


        login_app = Flask("login")
        login_app.secret_key = secrets.token_hex()


        @login_app.get("/account")
        def account():
            if "user" not in session:
                return redirect(url_for("login", next=request.path))
            return f"Hello, {session['user']}."
        ### BEGIN SOLUTION


        def is_local_path(target):
            """True when a browser reads target as a path on this site."""
            return (
                target.startswith("/")
                and not target.startswith("//")
                and "\\\\" not in target
                and not any(ord(char) < 32 or ord(char) == 127 for char in target)
            )


        @login_app.post("/login")
        def login():
            name = request.form.get("name", "")
            if not check_password(name, request.form.get("password", "")):
                return "Wrong name or password.", 422
            session.clear()
            session["user"] = name
            target = request.args.get("next", "")
            return redirect(target if is_local_path(target) else url_for("account"), code=303)
        ### STARTER


        @login_app.post("/login")
        def login():
            ...  # your code here
        ### END SOLUTION
    ''',
    hints=[
        "Write it in two parts: a small function `is_local_path(target)` that answers True or "
        "False, and the view, which checks the password, fills the session and redirects to "
        '`target if is_local_path(target) else url_for("account")`.',
        'The shape first: `target.startswith("/") and not target.startswith("//")`. Then the '
        'characters browsers rewrite: `"\\\\" not in target` (a backslash in Python) and '
        "`not any(ord(char) < 32 or ord(char) == 127 for char in target)`.",
        "`request.args.get(\"next\", \"\")` gives the target already decoded; an empty one fails "
        "the shape test and gets the fallback. A wrong password: return a message with a 4xx "
        "status such as 422, and leave the session alone. (Not 401: that status promises a "
        "`WWW-Authenticate` header for HTTP's own login.)",
        "After a right password: `session.clear()`, then `session[\"user\"] = name`, then "
        "`return redirect(...)`. Clearing first means nothing kept in the browser's session before the "
        "login survives into the member's; chapter 6 calls the attack it stops *session fixation*.",
    ],
    args="login_app",
    right=[
        {'''def is_local_path(target):
    """True when a browser reads target as a path on this site."""
    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '''def is_local_path(target):
    """True when a browser reads target as a path on this site."""
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.scheme
        and not parts.netloc
        and "\\\\" not in target
        and target.isprintable()
    )''', "import secrets\n": "import secrets\nfrom urllib.parse import urlsplit\n"},
        {'''    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '''    return re.fullmatch(r"/(?![/\\\\])[^\\\\\\x00-\\x1f\\x7f]*", target) is not None''',
         "import secrets\n": "import re\nimport secrets\n"},
        {'target = request.args.get("next", "")': 'target = request.values.get("next") or ""',
         'return "Wrong name or password.", 422': 'return "Wrong name or password.", 200'},
    ],
    wrong=[
        ({'return redirect(target if is_local_path(target) else url_for("account"), code=303)':
          'return redirect(url_for("account"), code=303)'}, "/search?q=flask+security"),
        ({'return "Wrong name or password.", 422': 'return redirect(url_for("account"))'}, "wrong password"),
        ({'return "Wrong name or password.", 422': 'return "Wrong name or password.", 401'}, "WWW-Authenticate"),
        ({'    session.clear()\n    session["user"] = name\n': ""}, "not logged in"),
        ({'else url_for("account")': 'else "/"'}, "instead of /account"),
    ],
    insecure=[
        ({'''    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '    return target.startswith("/")'}, "//evil.example/login"),
        ({'''    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '''    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc''', "import secrets\n": "import secrets\nfrom urllib.parse import urlsplit\n"},
         "three slashes"),
        ({'''    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '''    return urlsplit(target).netloc in ("", "localhost")''', "import secrets\n": "import secrets\nfrom urllib.parse import urlsplit\n"},
         "https:evil.example"),
        ({'return redirect(target if is_local_path(target) else url_for("account"), code=303)':
          'return redirect(unquote(target) if is_local_path(target) else url_for("account"), code=303)',
          "import secrets\n": "import secrets\nfrom urllib.parse import unquote\n"}, "decoded"),
        ({'''    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\\\" not in target
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
    )''': '''    return target.startswith("/") and not target.startswith("//") and "\\\\" not in target'''}, "tab"),
    ],
)
def _login_and_go_back(login_app):
    ada = {"name": "ada", "password": "correct horse battery staple"}
    first = ask(login_app, "GET", "/account")
    if not _redirected(first) or urlsplit(first.location).path != "/login":
        raise Wrong(f"`GET /account` without logging in answered {first.status}, not a redirect to /login.")

    def log_in(query, form=ada):
        visitor = _Browser(login_app)
        what = f"POST /login?{query}" if query else "POST /login"
        return visitor, visitor.post(f"/login?{query}", data=form), what

    visitor, answer, what = log_in(urlencode({"next": "/account"}), {"name": "ada", "password": "wrong"})
    if _redirected(answer):
        raise Wrong(f"`{what}` with a wrong password answered {answer.status}, a redirect to {answer.location!r}.")
    if answer.status_code == 401 and "WWW-Authenticate" not in answer.headers:
        raise Wrong(f"`{what}` with a wrong password answered 401 without a `WWW-Authenticate` header, "
                    "which RFC 9110 requires of every 401.")
    if answer.status_code >= 500:
        raise Wrong(f"`{what}` with a wrong password answered {answer.status}.")
    if visitor.get("/account").status_code == 200:
        raise Wrong(f"after `{what}` with a wrong password, `GET /account` shows the account.")

    visitor, answer, what = log_in(urlencode({"next": "/account"}))
    if not _redirected(answer):
        raise Wrong(f"`{what}` with ada's password answered {answer.status}, not a redirect.")
    account = visitor.get("/account")
    if account.status_code != 200 or "ada" not in text(account):
        raise Wrong(f"after `{what}` answered a redirect, `GET /account` answered {account.status}: ada is not logged in.")

    for target in _LOCAL:
        _, answer, what = log_in(urlencode({"next": target}))
        if not _redirected(answer) or answer.location != target:
            decoded = " (decoded a second time)" if answer.location == unquote(target) else ""
            raise Wrong(f"`{what}` (next={target!r}) answered {answer.status} to {answer.location!r}{decoded}, "
                        f"not to {target!r}.")
    for target, label in _FOREIGN:
        _, answer, what = log_in(urlencode({"next": target}))
        if not _redirected(answer) or not _to_account(answer.location):
            raise Wrong(f"`{what}` (next={target!r}: {label}) answered {answer.status} to {answer.location!r} "
                        "instead of /account.")
    for target in _ENCODED:
        _, answer, what = log_in(urlencode({"next": target}))
        if not _redirected(answer) or (answer.location != target and not _to_account(answer.location)):
            raise Wrong(f"`{what}` (next={target!r}, still percent-encoded after Flask decoded the query) answered "
                        f"{answer.status} to {answer.location!r}: the target was decoded a second time.")
    for query, label in [("", "no `next` at all"), ("next=", "an empty `next`")]:
        _, answer, what = log_in(query)
        if not _redirected(answer) or not _to_account(answer.location):
            raise Wrong(f"`{what}` ({label}) answered {answer.status} to {answer.location!r} instead of /account.")
    return (f"a wrong password, {len(_LOCAL)} paths on this site (query, fragment, %2F, %25), no and an empty next, "
            f"{len(_FOREIGN)} foreign targets (https://, //, ///, backslashes, tab, space, control characters, "
            "https:host, javascript:, newline) and 3 still-encoded ones")


# --- 11.9 -------------------------------------------------------------------------------

_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _directives(policy):
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


def _bits(nonce):
    """About how many random bits a nonce can hold: 4 a character in hex, 6 in base64."""
    return len(nonce) * (4 if re.fullmatch(r"[0-9a-fA-F]+", nonce) else 6)


def _script_nonces(page):
    """The nonce attribute of every <script> of a page (None for a script without one)."""
    return [dict(attrs).get("nonce") for tag, attrs in _tags(page) if tag == "script"]


def _policy_nonce(widget_app):
    """The nonce of one GET / of widget_app, after checking that its policy and its script carry it."""
    answer = expect(ask(widget_app, "GET", "/"), 200, "GET /")
    headers, page = answer.headers, text(answer)
    policy = headers.get("Content-Security-Policy")
    if policy is None:
        report_only = headers.get("Content-Security-Policy-Report-Only")
        if report_only:
            raise Wrong(f"`GET /` sends only `Content-Security-Policy-Report-Only: {report_only}`, which makes "
                        "the browser report what it would block, and block nothing.")
        raise Wrong("`GET /` has no `Content-Security-Policy` header.")
    directives = _directives(policy)
    scripts = directives.get("script-src", directives.get("default-src", []))
    nonces = [source[len("'nonce-"):-1] for source in scripts if source.startswith("'nonce-") and source.endswith("'")]
    if not nonces:
        if "'unsafe-inline'" in scripts:
            raise Wrong(f"`GET /` sends the policy {policy!r}: with `'unsafe-inline'` and no nonce, every inline "
                        "script runs, an injected one too.")
        if any(source.startswith("nonce-") for source in scripts):
            raise Wrong(f"`GET /` sends the policy {policy!r}: without its quotes, `nonce-...` is no nonce to a "
                        "browser (at best a host name), so the page's own script is blocked.")
        raise Wrong(f"`GET /` sends the policy {policy!r}, whose `script-src` names no `'nonce-...'`, so the "
                    "page's own script is blocked.")
    # A host, a scheme or * lets a script from elsewhere run, one an attacker adds as <script src=...> too;
    # browsers that know 'strict-dynamic' ignore them, so that is the one policy where they may stay.
    foreign = [source for source in scripts if not source.startswith("'")]
    if foreign and "'strict-dynamic'" not in scripts:
        raise Wrong(f"`GET /` sends the policy {policy!r}: its `script-src` also allows {' '.join(foreign)}, so a "
                    "script from another site runs as well, one an attacker injects as `<script src=...>` too.")
    in_page = _script_nonces(page)
    if not in_page or any(found not in nonces for found in in_page):
        raise Wrong(f"`GET /` sends `'nonce-{nonces[0]}'` in its policy, and the page's own script carries the "
                    f"nonce {in_page[0] if in_page else None!r}: the browser would block it.")
    if _bits(nonces[0]) < 128:
        raise Wrong(f"the nonce {nonces[0]!r} holds at most about {_bits(nonces[0])} bits; an attacker could "
                    "guess it. CSP Level 3 asks for at least 128.")
    return nonces[0]


_UUID4 = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}", re.IGNORECASE)


@exercise(
    "11.9",
    title="A policy that lets only your own script run",
    kind="make",
    task="""
        `widget_app`'s page runs one small inline script of its own (it shows the time).
        Give every response of the app the security headers, with a Content Security
        Policy that lets **that** script run and no other inline script:

        - a fresh nonce for every response, from `secrets` with at least 128 bits
          (`secrets.token_urlsafe(16)` has 128), kept in `g` and written in the page's
          `<script nonce="...">`;
        - `Content-Security-Policy: default-src 'self'; script-src 'nonce-<the nonce>'; frame-ancestors 'none'`;
        - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and
          `Referrer-Policy: strict-origin-when-cross-origin`;
        - and, only when the request came over HTTPS (`request.is_secure`),
          `Strict-Transport-Security: max-age=31536000; includeSubDomains`.

        Error pages get the headers too.
    """,
    source='''
        import secrets

        from flask import Flask, g, render_template_string, request

        PAGE = """<!doctype html>
        <p>The time here: <span id="now"></span></p>
        ### BEGIN SOLUTION
        <script nonce="{{ g.csp_nonce }}">
        ### STARTER
        <script>
        ### END SOLUTION
          document.getElementById("now").textContent = new Date().toLocaleTimeString();
        </script>
        """

        widget_app = Flask("widget")


        @widget_app.get("/")
        def home():
            return render_template_string(PAGE)
        ### BEGIN SOLUTION


        @widget_app.before_request
        def make_nonce():
            g.csp_nonce = secrets.token_urlsafe(16)


        @widget_app.after_request
        def add_security_headers(response):
            response.headers["Content-Security-Policy"] = (
                f"default-src 'self'; script-src 'nonce-{g.csp_nonce}'; frame-ancestors 'none'"
            )
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
            if request.is_secure:
                response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
            return response
        ### END SOLUTION
    ''',
    hints=[
        "Three pieces: a `before_request` function that makes the nonce and keeps it in `g`, the "
        "template, which writes it in `<script nonce=\"{{ g.csp_nonce }}\">` (templates can read `g`), "
        "and an `after_request` function that puts the same value in the policy.",
        "The nonce must change with every response, so make it inside the request, not once when "
        "the app starts: `g.csp_nonce = secrets.token_urlsafe(16)`. Not `random` (its values can be "
        "predicted) and not `uuid4()` (122 random bits, fewer than 128).",
        "In the policy the nonce keeps its quotes and a `nonce-` prefix: "
        "`f\"default-src 'self'; script-src 'nonce-{g.csp_nonce}'; frame-ancestors 'none'\"`. Leave out "
        "`'unsafe-inline'`: without a nonce it lets every inline script run, an injected one too.",
        "The other headers are set the same way, on `response.headers`; HSTS goes inside "
        "`if request.is_secure:`, because browsers ignore it on plain HTTP (RFC 6797).",
    ],
    args="widget_app",
    right=[
        {'''@widget_app.before_request
def make_nonce():
    g.csp_nonce = secrets.token_urlsafe(16)''': '''def csp_nonce():
    """This response's nonce, made the first time something asks for it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_hex(16)
    return g.csp_nonce


@widget_app.context_processor
def nonce_for_templates():
    return {"csp_nonce": csp_nonce}''',
         '<script nonce="{{ g.csp_nonce }}">': '<script nonce="{{ csp_nonce() }}">',
         "script-src 'nonce-{g.csp_nonce}'": "script-src 'self' 'nonce-{csp_nonce()}'",
         "if request.is_secure:": 'if request.scheme == "https":'},
        {"script-src 'nonce-{g.csp_nonce}'": "script-src 'nonce-{g.csp_nonce}' 'unsafe-inline'"},
        # The strict policy that keeps old browsers working: 'strict-dynamic' makes new ones ignore https:.
        {"script-src 'nonce-{g.csp_nonce}'": "script-src 'nonce-{g.csp_nonce}' 'strict-dynamic' https: 'unsafe-inline'"},
        {"import secrets\n": "import base64\nimport os\n",
         "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = base64.b64encode(os.urandom(18)).decode()"},
        {"import secrets\n": "import random\n",
         "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = '%032x' % random.SystemRandom().getrandbits(128)"},
    ],
    wrong=[
        ({'<script nonce="{{ g.csp_nonce }}">': "<script>"}, "own script"),
        ({"script-src 'nonce-{g.csp_nonce}'": "script-src nonce-{g.csp_nonce}"}, "quotes"),
        ({"    if request.is_secure:\n        response.headers": "    response.headers"}, "plain HTTP"),
        ({"; frame-ancestors 'none'": ""}, "frame"),
    ],
    insecure=[
        ({"import secrets\n": "import secrets\n\nNONCE = secrets.token_urlsafe(16)\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = NONCE"}, "same nonce"),
        ({"g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = secrets.token_hex(4)"}, "bits"),
        # The learner trial's answers: a nonce from `random`, and a uuid4.
        ({"import secrets\n": "import random\nimport secrets\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": 'g.csp_nonce = "%032x" % random.getrandbits(128)'},
         "comes from `random`"),
        ({"import secrets\n": "import random\nimport secrets\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = random.randbytes(16).hex()"},
         "comes from `random`"),
        ({"import secrets\n": "import secrets\nimport uuid\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = uuid.uuid4().hex"}, "122 random bits"),
        ({"import secrets\n": "import secrets\nimport uuid\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = str(uuid.uuid4())"}, "122 random bits"),
        ({"script-src 'nonce-{g.csp_nonce}'": "script-src 'self' 'unsafe-inline'"}, "unsafe-inline"),
        # A hash of the time looks random; a wildcard or a scheme lets other sites' scripts in.
        ({"import secrets\n": "import hashlib\nimport secrets\nimport time\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = hashlib.sha256(str(time.time()).encode()).hexdigest()"},
         "made from the time"),
        # The clock read through datetime, a generator of one's own, a hashed counter: none is a secret.
        ({"import secrets\n": "import hashlib\nimport secrets\nfrom datetime import datetime\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = hashlib.md5(datetime.now().isoformat().encode()).hexdigest()"},
         "made from the time"),
        ({"import secrets\n": "import random\nimport secrets\n\nNONCES = random.Random()\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": 'g.csp_nonce = "%032x" % NONCES.getrandbits(128)'},
         "comes from `random`"),
        ({"import secrets\n": "import hashlib\nimport itertools\nimport secrets\n\nCOUNT = itertools.count()\n",
          "g.csp_nonce = secrets.token_urlsafe(16)": "g.csp_nonce = hashlib.sha256(str(next(COUNT)).encode()).hexdigest()"},
         "hashes 0, 1, 2"),
        ({"script-src 'nonce-{g.csp_nonce}'": "script-src * 'nonce-{g.csp_nonce}'"}, "also allows *"),
        ({"script-src 'nonce-{g.csp_nonce}'": "script-src 'nonce-{g.csp_nonce}' https: data:"}, "also allows https: data:"),
        ({'response.headers["Content-Security-Policy"]': 'response.headers["Content-Security-Policy-Report-Only"]'},
         "Report-Only"),
    ],
)
def _nonce_policy(widget_app):
    seen = [_policy_nonce(widget_app) for _ in range(4)]
    if len(set(seen)) < len(seen):
        raise Wrong(f"four responses carried the nonces {seen!r}: the same nonce came twice, and anyone who has seen "
                    "it once can put it on an injected script.")
    if all(_UUID4.fullmatch(nonce) for nonce in seen):
        raise Wrong(f"four responses carried the nonces {seen!r}, each shaped like a `uuid4()`: 6 of its 128 bits "
                    "are fixed, so it holds 122 random bits, fewer than 128.")
    with random_repeating() as again:  # the same seed before each request: a nonce from `random` comes out the same
        seeded = []
        for _ in range(2):
            again()
            seeded.append(_policy_nonce(widget_app))
    if seeded[0] == seeded[1]:
        raise Wrong(f"with Python's `random` seeded with the same number before each, two responses carried the "
                    f"same nonce {seeded[0]!r}: it comes from `random` (its functions or a `random.Random` of "
                    "your own), whose values can be predicted (its documentation says not to use it for security).")
    with clock_stopped(*namespaces_of(widget_app)):
        held = [_policy_nonce(widget_app) for _ in range(2)]
    if held[0] == held[1]:
        raise Wrong(f"with the clock held still, two responses carried the same nonce {held[0]!r}: it is made from "
                    "the time, and the time of a response is no secret.")
    for nonce in [*seen, *seeded, *held]:
        if recipe := hash_of_a_count(nonce):
            raise Wrong(f"a response carried the nonce {nonce!r}, which is {recipe}: it looks random, but an attacker "
                        "who hashes 0, 1, 2... finds it, and the next one, and can put it on an injected script.")
    for method, path, label in [("GET", "/", "the home page"), ("GET", "/no-such-page", "a 404 page"),

                                ("POST", "/", "a 405 answer"), ("HEAD", "/", "a HEAD request")]:
        headers = ask(widget_app, method, path).headers
        what = f"`{method} {path}` ({label})"
        directives = _directives(headers.get("Content-Security-Policy", ""))
        if not directives:
            raise Wrong(f"{what} has no `Content-Security-Policy` header.")
        if directives.get("default-src") not in (["'self'"], ["'none'"]):
            raise Wrong(f"{what} sends a policy whose `default-src` is {' '.join(directives.get('default-src', []))!r}, "
                        "not `'self'` with its quotes.")
        framing = directives.get("frame-ancestors")
        if framing not in (["'none'"], ["'self'"]):
            said = "with no `frame-ancestors`" if framing is None else f"whose `frame-ancestors` is {' '.join(framing)!r}"
            raise Wrong(f"{what} sends a policy {said}: any site may show the page in a frame.")
        if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
            raise Wrong(f"{what} sends `X-Content-Type-Options: {headers.get('X-Content-Type-Options')}`.")
        if headers.get("X-Frame-Options", "").upper() not in ("DENY", "SAMEORIGIN"):
            raise Wrong(f"{what} sends `X-Frame-Options: {headers.get('X-Frame-Options')}`.")
        if headers.get("Referrer-Policy", "").lower() not in _REFERRER:
            raise Wrong(f"{what} sends `Referrer-Policy: {headers.get('Referrer-Policy')}`.")
        if "Strict-Transport-Security" in headers:
            raise Wrong(f"{what}, over plain HTTP, carries `Strict-Transport-Security`.")
    secure = ask(widget_app, "GET", "/", base_url="https://localhost").headers.get("Strict-Transport-Security", "")
    found = re.search(r"max-age=(\d+)", secure)
    if not found:
        raise Wrong("`GET https://localhost/` has no `Strict-Transport-Security: max-age=...` header.")
    if int(found[1]) < 31536000:
        raise Wrong(f"`GET https://localhost/` sends `max-age={found[1]}`, shorter than a year (31536000 seconds).")
    return ("four GETs of / (a nonce of 128 bits or more, not a uuid4, in the policy and on the page's script, a new "
            "one each time, and no other site's scripts), two more with `random` seeded alike and two with the clock "
            "held still (still different nonces), "
            "a 404, a 405 and a HEAD over HTTP (every header, no HSTS), and GET / over HTTPS (HSTS for a year)")
