"""Exercises of chapter 7: one page in one query, a safe lookup, all or nothing, a 404 in JSON, an import."""

import contextlib
import logging

from peewee import DatabaseError

from . import Wrong, exercise
from .probe import ask, text

# What the notebook has defined by the time the exercises start: the database,
# the models and the seed rows. The tests run this before the starter or solution.
SETUP = """
    import json

    from flask import Flask, abort, jsonify, request
    from peewee import JOIN, CharField, Check, ForeignKeyField, IntegerField, IntegrityError, Model, fn
    from playhouse.db_url import connect
    from playhouse.flask_utils import FlaskDB

    from helpers import scratch
    from helpers.paths import ROOT

    folder = scratch("07-databases-exercises")
    db = connect(
        f"sqlite:///{folder / 'library.db'}",
        autoconnect=False,
        pragmas={"foreign_keys": 1, "journal_mode": "wal", "synchronous": "normal"},
    )


    class BaseModel(Model):
        class Meta:
            database = db


    class Author(BaseModel):
        name = CharField(max_length=100, unique=True)
        email = CharField(max_length=200, unique=True)


    class Book(BaseModel):
        title = CharField(max_length=200)
        year = IntegerField(constraints=[Check("year > 0")])
        author = ForeignKeyField(Author, backref="books", on_delete="CASCADE")

        class Meta:
            indexes = ((("title", "author"), True),)


    class Review(BaseModel):
        book = ForeignKeyField(Book, backref="reviews", on_delete="CASCADE")
        reviewer = CharField(max_length=100)
        stars = IntegerField(constraints=[Check("stars BETWEEN 1 AND 5")])


    MODELS = [Author, Book, Review]
    seed = json.loads((ROOT / "data" / "library.json").read_text(encoding="utf-8"))
    with db.connection_context():
        db.create_tables(MODELS)
        with db.atomic():
            Author.insert_many(seed["authors"]).execute()
            ids = {author.name: author.id for author in Author.select()}
            Book.insert_many([{**book, "author": ids[book["author"]]} for book in seed["books"]]).execute()
"""


@contextlib.contextmanager
def _counting_queries():
    """Collect the SQL of every query Peewee runs inside the block (Peewee logs each at DEBUG)."""
    queries = []

    class Collect(logging.Handler):
        def emit(self, record):
            queries.append(record.msg)

    logger = logging.getLogger("peewee")
    handler = Collect(logging.DEBUG)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield queries
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _catalogue(db):
    """Every book as 'Title (Author)', newest first, read with plain SQL."""
    rows = db.execute_sql(
        "SELECT book.title, author.name FROM book JOIN author ON author.id = book.author_id "
        "ORDER BY book.year DESC"
    ).fetchall()
    return [f"{title} ({name})" for title, name in rows]


@exercise(
    "7.1",
    title="One page, one query",
    kind="modify",
    task="""
        Write `page_of_books(page, per_page)`. It returns one page of the
        catalogue as a list of strings such as `"The Last Ferry (Niamh O'Connell)"`:
        books ordered by year, **newest first**, `per_page` books to a page,
        pages counted from 1 (a page past the end is an empty list). It must run
        **one query** per call, however many books are on the page.
    """,
    source="""
        def page_of_books(page, per_page):
            ### BEGIN SOLUTION
            books = (
                Book.select(Book, Author)
                .join(Author)
                .order_by(Book.year.desc())
                .paginate(page, per_page)
            )
            ### STARTER
            books = Book.select().order_by(Book.year.desc())
            ### END SOLUTION
            return [f"{book.title} ({book.author.name})" for book in books]
    """,
    hints=[
        "`.paginate(page, per_page)` on a query adds the `LIMIT` and `OFFSET` for you; "
        "its pages start at 1.",
        "Each `book.author` runs a query of its own unless the author came with the book. "
        "A join alone is not enough: select both models, `Book.select(Book, Author).join(Author)`.",
    ],
    args="page_of_books, db",
    setup=SETUP,
    right=[
        {".paginate(page, per_page)": ".limit(per_page).offset((page - 1) * per_page)"},
        {"Book.select(Book, Author)": "Book.select(Book.title, Author.name)", ".order_by(Book.year.desc())": ".order_by(-Book.year)"},
    ],
    wrong=[
        ({"Book.select(Book, Author)\n        .join(Author)\n": "Book.select()\n"}, "5 queries"),
        ({"Book.select(Book, Author)": "Book.select()"}, "5 queries"),
        ({".paginate(page, per_page)": ".paginate(page - 1, per_page)"}, "page 1"),
        ({"Book.year.desc()": "Book.year"}, "oldest"),
        ({"\n        .paginate(page, per_page)": ""}, "14 books"),
        ({"\n        .paginate(page, per_page)\n    )": "\n    )[(page - 1) * per_page:page * per_page]"}, "no LIMIT"),
    ],
)
def _one_page_one_query(page_of_books, db):
    with db.connection_context():
        catalogue = _catalogue(db)
        with _counting_queries() as queries:
            second = page_of_books(2, 4)
        last_page = len(catalogue) // 4 + 1
        last = page_of_books(last_page, 4)
        beyond = page_of_books(last_page + 5, 4)
    if not isinstance(second, list):
        raise Wrong(f"`page_of_books(2, 4)` returned a {type(second).__name__}, not a list.")
    if len(second) > 4:
        raise Wrong(f"`page_of_books(2, 4)` returned {len(second)} books.")
    expected = catalogue[4:8]
    if second != expected:
        if second == catalogue[:4]:
            raise Wrong(f"`page_of_books(2, 4)` returned {second}: the books of page 1.")
        if second == catalogue[::-1][4:8] or sorted(second) == sorted(expected):
            raise Wrong(f"`page_of_books(2, 4)` returned {second}: counted from the oldest book, or in the "
                        "wrong order.")
        raise Wrong(f"`page_of_books(2, 4)` returned {second}; expected {expected}.")
    tail = catalogue[(last_page - 1) * 4:]
    if last != tail or beyond != []:
        raise Wrong(f"`page_of_books({last_page}, 4)` returned {last} (expected {tail}), and a page past the "
                    f"end returned {beyond}.")
    if len(queries) > 1:
        raise Wrong(f"the page is right, but one call of `page_of_books(2, 4)` ran {len(queries)} queries.")
    if queries and "LIMIT" not in queries[0][0].upper():
        raise Wrong(f"the page is right, but its one query has no LIMIT, so it fetched all {len(catalogue)} "
                    f"books to keep 4: {queries[0][0][:100]!r}.")
    return f"pages 2 and {last_page} of 4 books, a page past the end, and the number of queries (1)"


def _authors_named(find_authors, names):
    """What ``find_authors(names)`` returns, with a broken query reported as what the check saw."""
    try:
        return find_authors(list(names))
    except DatabaseError as error:
        raise Wrong(f"`find_authors({list(names)!r})` broke the query: {error}.") from None


@exercise(
    "7.2",
    title="Close the injection hole",
    kind="modify",
    task="""
        `find_authors(names)` gets a list of names, typed by a visitor one per line, and
        returns the names of the authors called **exactly** one of them, sorted, each once
        (an empty list when nobody matches). It pastes the names into an `IN (...)` list, so
        an honest name with an apostrophe breaks it, and a crafted one returns every author.
        Rewrite it with query parameters or with the ORM, so that any text is only ever
        compared as data. Exactly means exactly: `%`, `_` or an empty name match nobody.
    """,
    source="""
        def find_authors(names):
            ### BEGIN SOLUTION
            query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)
            return [author.name for author in query]
            ### STARTER
            quoted = ", ".join(f"'{name}'" for name in names)
            sql = f"SELECT name FROM author WHERE name IN ({quoted}) ORDER BY name"
            return [row[0] for row in db.execute_sql(sql).fetchall()]
            ### END SOLUTION
    """,
    hints=[
        "Let Peewee build the query: `Author.name.in_(names)` is `IN (...)` with one parameter per "
        "name.",
        "With raw SQL, write one `?` per name and send the names apart from the text: "
        '`marks = ", ".join("?" for _ in names)`, then '
        '`db.execute_sql(f"SELECT name FROM author WHERE name IN ({marks}) ORDER BY name", names)`. '
        "Only the question marks are pasted, never a name.",
        "`LIKE` and `.contains()` look for patterns: `%` matches everything, and so does an empty "
        "`.contains(\"\")`. So does `*` with `GLOB`, which is what Peewee's `%` operator becomes on "
        "SQLite. An exact name is compared with `==` or `in_`.",
    ],
    args="find_authors, db",
    setup=SETUP,
    right=[
        {'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
         '    return [author.name for author in query]':
         '    marks = ", ".join("?" for _ in names)\n'
         '    sql = f"SELECT name FROM author WHERE name IN ({marks}) ORDER BY name"\n'
         '    return [row[0] for row in db.execute_sql(sql, list(names)).fetchall()]'},
        {'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
         '    return [author.name for author in query]':
         '    found = {Author.get_or_none(Author.name == name) for name in names}\n'
         '    return sorted(author.name for author in found if author)'},
    ],
    wrong=[
        ({'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
          '    return [author.name for author in query]':
          '    found = set()\n    for name in names:\n'
          '        found |= {author.name for author in Author.select().where(Author.name.contains(name))}\n'
          '    return sorted(found)'}, "find_authors([''])"),
        ({'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
          '    return [author.name for author in query]':
          '    found = set()\n    for name in names:\n'
          '        found |= {row[0] for row in db.execute_sql("SELECT name FROM author WHERE name LIKE ?", (name,))}\n'
          '    return sorted(found)'}, "find_authors(['%'])"),
        ({'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
          '    return [author.name for author in query]':
          '    found = set()\n    for name in names:\n'
          '        found |= {author.name for author in Author.select().where(Author.name % name)}\n'
          '    return sorted(found)'}, "find_authors(['*'])"),
        ({'    return [author.name for author in query]': '    return [author.name for author in query][:1]'},
         "['Jonah Bell', \"Niamh O'Connell\"]"),
        ({'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
          '    return [author.name for author in query]':
          "    quoted = \", \".join(\"'\" + name.replace(\"'\", \"\") + \"'\" for name in names)\n"
          '    sql = f"SELECT name FROM author WHERE name IN ({quoted}) ORDER BY name"\n'
          '    return [row[0] for row in db.execute_sql(sql).fetchall()]'}, "Niamh O'Connell"),
    ],
    insecure=[
        ({'    query = Author.select(Author.name).where(Author.name.in_(names)).order_by(Author.name)\n'
          '    return [author.name for author in query]':
          "    quoted = \", \".join(\"'\" + name.replace(\"'\", \"''\") + \"'\" for name in names)\n"
          '    sql = f"SELECT name FROM author WHERE name IN ({quoted}) ORDER BY name"\n'
          '    return [row[0] for row in db.execute_sql(sql).fetchall()]'}, "SQL text"),
    ],
)
def _close_the_injection_hole(find_authors, db):
    with db.connection_context():
        everyone = sorted(row[0] for row in db.execute_sql("SELECT name FROM author").fetchall())
        try:
            plain = find_authors(["Tomasz Wren"])
        except DatabaseError as error:
            raise Wrong(f"`find_authors(['Tomasz Wren'])` broke the query: {error}.") from None
        if not isinstance(plain, list):
            raise Wrong(f"`find_authors(['Tomasz Wren'])` returned a {type(plain).__name__}, {plain!r}, not a list.")
        if plain != ["Tomasz Wren"]:
            raise Wrong(f"`find_authors(['Tomasz Wren'])` returned {plain!r}.")
        with _counting_queries() as queries:
            pair = _authors_named(find_authors, ["Niamh O'Connell", "Jonah Bell"])
        if list(pair) != ["Jonah Bell", "Niamh O'Connell"]:
            raise Wrong(f"`find_authors([\"Niamh O'Connell\", 'Jonah Bell'])` returned {pair!r}; expected "
                        "['Jonah Bell', \"Niamh O'Connell\"].")
        for payload in (["' OR '1'='1"], ["x') OR 1=1 --"], ["x') UNION SELECT email FROM author --"]):
            leaked = _authors_named(find_authors, payload)
            if leaked:
                raise Wrong(f"`find_authors({payload!r})` returned {len(leaked)} rows, such as {leaked[0]!r}: "
                            "the text became part of the SQL.")
        for names in (["%"], [""], ["_%"], ["Jonah%"], ["*"], ["Jonah*"], ["jonah bell"], ["Nobody At All"], []):
            found = _authors_named(find_authors, names)
            if found:
                share = "every author" if sorted(found) == everyone else f"{len(found)} author(s)"
                raise Wrong(f"`find_authors({names!r})` returned {share}: {found!r}.")
        twice = _authors_named(find_authors, ["Jonah Bell", "Jonah Bell"])
        if twice != ["Jonah Bell"]:
            raise Wrong(f"`find_authors(['Jonah Bell', 'Jonah Bell'])` returned {twice!r}.")
    pasted = [sql for sql, _params in queries if "Connell" in sql]
    if pasted:
        raise Wrong(f"the answers are right, but the name is still part of the SQL text: {pasted[0]!r}.")
    return ("one name, a name with an apostrophe, three injections, `%`, `_%`, `Jonah%`, `*`, `Jonah*`, '', another case, "
            "an empty list, a repeated name, and the SQL text itself")


@exercise(
    "7.3",
    title="All or nothing",
    kind="modify",
    task="""
        Write `add_author_with_books(name, email, books)`. It creates the
        author and then one `Book` for each dict in `books` (keys `title` and
        `year`), and returns the new author. If any insert fails, **nothing**
        may stay in the database, not even the author, and the error must
        still reach the caller.
    """,
    source="""
        def add_author_with_books(name, email, books):
            ### BEGIN SOLUTION
            with db.atomic():
                author = Author.create(name=name, email=email)
                for book in books:
                    Book.create(author=author, **book)
            ### STARTER
            author = Author.create(name=name, email=email)
            for book in books:
                Book.create(author=author, **book)
            ### END SOLUTION
            return author
    """,
    hints=[
        "Put every insert inside one `with db.atomic():` block: it commits when the block "
        "ends normally and rolls back when an exception leaves it.",
        "The author belongs inside the block too: it is one of the writes that must be undone.",
        "Do not catch the `IntegrityError` inside the block: if the block ends normally, "
        "`atomic()` commits what ran before the error.",
    ],
    args="add_author_with_books, db",
    setup=SETUP,
    right=[
        {"with db.atomic():": "with db.transaction():"},
        """
        @db.atomic()
        def add_author_with_books(name, email, books):
            author = Author.create(name=name, email=email)
            Book.insert_many([{**book, "author": author} for book in books]).execute()
            return author
        """,
    ],
    wrong=[
        ("""
        def add_author_with_books(name, email, books):
            author = Author.create(name=name, email=email)
            with db.atomic():
                for book in books:
                    Book.create(author=author, **book)
            return author
        """, "still in the database"),
        ({"            Book.create(author=author, **book)":
          "            try:\n                Book.create(author=author, **book)\n            except IntegrityError:\n                pass"},
         "returned normally"),
        ({"    with db.atomic():": "    db.atomic()\n    if True:"}, "still in the database"),
    ],
)
def _all_or_nothing(add_author_with_books, db):
    name, email = "Exercise Author", "exercise.author@example.org"

    def rows():
        author = db.execute_sql("SELECT count(*) FROM author WHERE name = ?", (name,)).fetchone()[0]
        books = db.execute_sql(
            "SELECT count(*) FROM book JOIN author ON author.id = book.author_id WHERE author.name = ?",
            (name,),
        ).fetchone()[0]
        return author, books

    def clean():
        db.execute_sql("DELETE FROM book WHERE author_id IN (SELECT id FROM author WHERE name = ?)", (name,))
        db.execute_sql("DELETE FROM author WHERE name = ?", (name,))

    def attempt(what, email, books):
        with db.connection_context():
            clean()
            try:
                try:
                    add_author_with_books(name, email, books)
                except DatabaseError:
                    raised = True
                else:
                    raised = False
                authors_left, books_left = rows()
            finally:
                clean()
        if authors_left or books_left:
            raise Wrong(f"{what} fails, yet afterwards {name!r} is still in the database with {books_left} "
                        f"book(s)" + ("." if raised else ", and the call returned normally."))
        if not raised:
            raise Wrong(f"{what} fails, yet the call returned normally: the caller never hears of it.")

    attempt("the third book, which repeats a title,", email,
            [{"title": "First Light", "year": 2020}, {"title": "Second Wind", "year": 2021},
             {"title": "First Light", "year": 2022}])
    attempt("the first book, of year 0,", email, [{"title": "Too Early", "year": 0}])
    attempt("the author, whose email another author has,", "ines.marlow@example.org", [{"title": "Borrowed", "year": 2020}])
    with db.connection_context():
        try:
            author = add_author_with_books(name, email, [{"title": "First Light", "year": 2020},
                                                          {"title": "Second Wind", "year": 2021}])
            stored = rows()
        finally:
            clean()
    if stored != (1, 2):
        raise Wrong(f"a call with two good books stored (authors, books) = {stored}, not (1, 2).")
    if getattr(author, "name", None) != name:
        raise Wrong(f"a call with two good books returned {author!r}, not the new `Author`.")
    return "a repeated title, a year 0, a taken email (nothing kept, the error raised), and two good books"


@exercise(
    "7.4",
    title="A 404 for a missing author",
    kind="modify",
    task="""
        `GET /api/authors/<id>` on `author_app` answers with an author and
        the titles of their books. For an id that is not in the table it
        crashes. Make it answer `404` with a JSON body such as
        `{"error": "no author with id 9999"}`, and keep the `200` answer for
        authors that exist.
    """,
    source="""
        author_app = Flask("authors-exercise")


        @author_app.before_request
        def open_connection():
            db.connect()


        @author_app.teardown_request
        def close_connection(exc):
            if not db.is_closed():
                db.close()


        @author_app.get("/api/authors/<int:author_id>")
        def get_author(author_id):
            ### BEGIN SOLUTION
            author = Author.get_or_none(Author.id == author_id)
            if author is None:
                return {"error": f"no author with id {author_id}"}, 404
            ### STARTER
            author = Author.get_by_id(author_id)
            ### END SOLUTION
            titles = [book.title for book in author.books.order_by(Book.year)]
            return {"id": author.id, "name": author.name, "books": titles}
    """,
    hints=[
        "`Author.get_by_id` raises `Author.DoesNotExist` when the row is missing, and an "
        "exception in a view becomes a 500. `Author.get_or_none(Author.id == author_id)` "
        "returns `None` instead.",
        'A view can choose its status: `return {"error": f"no author with id {author_id}"}, 404`.',
        "`abort(404)` answers with Flask's HTML error page; this API promised JSON.",
    ],
    args="author_app, db",
    setup=SETUP,
    right=[
        {'    author = Author.get_or_none(Author.id == author_id)\n    if author is None:\n'
         '        return {"error": f"no author with id {author_id}"}, 404':
         '    try:\n        author = Author.get_by_id(author_id)\n    except Author.DoesNotExist:\n'
         '        return jsonify(error=f"no author with id {author_id}"), 404'},
    ],
    wrong=[
        ({'return {"error": f"no author with id {author_id}"}, 404': 'return {"error": f"no author with id {author_id}"}'},
         "answered 200"),
        ({'return {"error": f"no author with id {author_id}"}, 404': 'abort(404, f"no author with id {author_id}")'},
         "text/html"),
        ("""
        author_app = Flask("authors-exercise")


        @author_app.before_request
        def open_connection():
            db.connect(reuse_if_open=True)


        @author_app.get("/api/authors/<int:author_id>")
        def get_author(author_id):
            author = Author.get_or_none(Author.id == author_id)
            if author is None:
                return {"error": f"no author with id {author_id}"}, 404
            titles = [book.title for book in author.books.order_by(Book.year)]
            return {"id": author.id, "name": author.name, "books": titles}
        """, "still open"),
    ],
)
def _a_404_for_a_missing_author(author_app, db):
    with db.connection_context():
        known_id, known_name = db.execute_sql("SELECT id, name FROM author ORDER BY id LIMIT 1").fetchone()
        bookless_id = db.execute_sql(
            "SELECT id FROM author WHERE id NOT IN (SELECT author_id FROM book) ORDER BY id LIMIT 1"
        ).fetchone()
        missing_id = db.execute_sql("SELECT max(id) FROM author").fetchone()[0] + 1000
    try:
        for author_id in [known_id, *(bookless_id or [])]:
            found = ask(author_app, "GET", f"/api/authors/{author_id}")
            if found.status_code != 200 or not found.is_json or "books" not in found.get_json():
                who = known_name if author_id == known_id else "an author without books"
                raise Wrong(f"`GET /api/authors/{author_id}` ({who}) answered {found.status} {text(found)[:80]!r}.")
        missing = ask(author_app, "GET", f"/api/authors/{missing_id}")
        if missing.status_code != 404:
            raise Wrong(f"`GET /api/authors/{missing_id}` answered {missing.status} {text(missing)[:80]!r}; "
                        "expected 404.")
        if not missing.is_json or "error" not in (missing.get_json() or {}):
            raise Wrong(f"`GET /api/authors/{missing_id}` answered 404 as {missing.mimetype}: "
                        f"{text(missing)[:80]!r}, not a JSON object with an `error`.")
        if not db.is_closed():
            raise Wrong("after the requests, the database connection of this thread is still open.")
    finally:
        if not db.is_closed():
            db.close()
    return f"an author with books, one without, and the missing id {missing_id}; the connection closed after each"


_IMPORTED = "Import Check Author"
_APOSTROPHE = "Siobhan O'Brien"  # an honest name that breaks SQL built as text
_LEAK = "x' || (SELECT group_concat(email) FROM author) || '"  # builds a value out of every author's email
_LEAK_DOUBLE = 'x" || (SELECT group_concat(email) FROM author) || "'  # the same, for SQL that quotes with "

# A view that builds its SQL with f-strings, as a learner tried it.
_F_STRING_IMPORT = """
    from peewee import OperationalError

    import_app = Flask("import-exercise")
    FlaskDB(import_app, db)


    @import_app.post("/api/import")
    def import_author():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {{"error": "send a JSON object"}}, 400
        name, email, books = data.get("name"), data.get("email"), data.get("books")
        if not isinstance(name, str) or not isinstance(email, str) or not isinstance(books, list):
            return {{"error": "a name, an email and a list of books"}}, 400
        for book in books:
            if not isinstance(book, dict) or not isinstance(book.get("title"), str) or type(book.get("year")) is not int:
                return {{"error": "each book needs a title and a year"}}, 400
        try:
            with db.atomic():
                cursor = db.execute_sql(f"INSERT INTO author (name, email) VALUES ('{{name}}', '{{email}}')")
                author_id = cursor.lastrowid
                for book in books:
                    db.execute_sql(f"INSERT INTO book (title, year, author_id) "
                                   f"VALUES ('{{book['title']}}', {{book['year']}}, {{author_id}})")
        except {caught}:
            return {{"error": "the database refused the import"}}, 409
        return {{"id": author_id}}, 201
"""

# The same view after O'Brien broke it: the SQL now quotes with ", which a " in the values breaks just as well.
_F_STRING_IMPORT_DOUBLE = _F_STRING_IMPORT.replace(
    """f"INSERT INTO author (name, email) VALUES ('{{name}}', '{{email}}')\"""",
    """f'INSERT INTO author (name, email) VALUES ("{{name}}", "{{email}}")'""",
).replace(
    """                    db.execute_sql(f"INSERT INTO book (title, year, author_id) "
                                   f"VALUES ('{{book['title']}}', {{book['year']}}, {{author_id}})")""",
    """                    title, year = book["title"], book["year"]
                    db.execute_sql(f'INSERT INTO book (title, year, author_id) VALUES ("{{title}}", {{year}}, {{author_id}})')""",
)
assert _F_STRING_IMPORT_DOUBLE.count('"{{title}}"') == 1 and _F_STRING_IMPORT_DOUBLE.count('"{{name}}"') == 1


@exercise(
    "7.5",
    title="Import an author, all or nothing",
    kind="make",
    task="""
        Write the view `POST /api/import` of `import_app`. Its body is JSON such as
        `{"name": "Ada Quill", "email": "ada@example.org", "books": [{"title": "Notes",
        "year": 2024}]}`. It creates the author and every book in one transaction, and
        answers:

        - **201** with JSON holding the new author's `id`, when everything was stored;
        - **409** with JSON holding an `error`, when the database refuses any row (an
          existing name or email, a title twice, a year below 1). Then **nothing** is
          stored, not even the author;
        - **400** with JSON holding an `error`, when the body is not a JSON object with a
          `name` and an `email` (strings) and a list of `books`, each an object with a
          `title` (a string) and a `year` (a whole number).

        A name, an email or a title may hold any character; each is stored exactly as sent.
        `FlaskDB` gives every request its own connection, as in the chapter.
    """,
    source="""
        import_app = Flask("import-exercise")
        FlaskDB(import_app, db)


        @import_app.post("/api/import")
        def import_author():
            ### BEGIN SOLUTION
            data = request.get_json(silent=True)
            if not (
                isinstance(data, dict)
                and isinstance(data.get("name"), str)
                and isinstance(data.get("email"), str)
                and isinstance(data.get("books"), list)
                and all(
                    isinstance(book, dict) and isinstance(book.get("title"), str) and type(book.get("year")) is int
                    for book in data["books"]
                )
            ):
                return {"error": "send an object with a name, an email and a list of books"}, 400
            try:
                with db.atomic():
                    author = Author.create(name=data["name"], email=data["email"])
                    for book in data["books"]:
                        Book.create(author=author, title=book["title"], year=book["year"])
            except IntegrityError as error:
                return {"error": f"nothing imported: {error}"}, 409
            return {"id": author.id, "books": len(data["books"])}, 201
            ### STARTER
            return {"error": "not written yet"}, 501
            ### END SOLUTION
    """,
    hints=[
        "Three parts, in this order: check the shape of `request.get_json(silent=True)` (400), its "
        "books included, "
        "write everything inside `with db.atomic():`, and turn an `IntegrityError` into 409.",
        "The `try` goes *around* the `with db.atomic():` block: the exception must leave the block, "
        "so that it rolls back, before you catch it.",
        "A view returns JSON and a status as `return {\"error\": \"...\"}, 409`; `abort(409)` would "
        "answer with an HTML page.",
        "Keep `FlaskDB` (or the strict `connect()` and `close()` hooks of the chapter): "
        "`connect(reuse_if_open=True)` with no teardown leaves the connection open after the request.",
        "SQLite keeps whatever it is given: a year `\"abc\"` is stored as text, a title `[\"x\"]` as the "
        "text `['x']`. Check each book yourself: `isinstance(book.get(\"title\"), str)` and "
        "`type(book.get(\"year\")) is int` (a JSON `true` is an `int` to `isinstance`).",
        "If you wrote SQL yourself, never put the values into its text (an f-string, `+`, `%`, "
        "`.format`): `O'Brien` breaks it, and a crafted email runs as SQL. Use `Author.create(...)`, "
        "or keep the SQL fixed with `?` placeholders and pass the values apart: "
        "`db.execute_sql(\"INSERT INTO author (name, email) VALUES (?, ?)\", (name, email))`.",
    ],
    args="import_app, db",
    setup=SETUP,
    right=[
        {"for book in data[\"books\"]:\n"
         "                Book.create(author=author, title=book[\"title\"], year=book[\"year\"])":
         "Book.insert_many([{\"author\": author, \"title\": book[\"title\"], \"year\": book[\"year\"]}\n"
         "                              for book in data[\"books\"]]).execute()"},
        {"FlaskDB(import_app, db)":
         "\n\n@import_app.before_request\ndef open_connection():\n    db.connect()\n\n\n"
         "@import_app.teardown_request\ndef close_connection(exc):\n    if not db.is_closed():\n        db.close()",
         "        with db.atomic():": "        with db.transaction():",
         'return {"id": author.id, "books": len(data["books"])}, 201': 'return jsonify(id=author.id), 201'},
        {'author = Author.create(name=data["name"], email=data["email"])':
         'author_id = db.execute_sql("INSERT INTO author (name, email) VALUES (?, ?)",\n'
         '                                        (data["name"], data["email"])).lastrowid\n'
         '            author = Author.get_by_id(author_id)'},
    ],
    wrong=[
        ({"        with db.atomic():\n": "        if True:\n"}, "still in the database"),
        ({"    try:\n        with db.atomic():": "    with db.atomic():\n        try:",
          "    except IntegrityError as error:\n        return": "        except IntegrityError as error:\n            return"},
         "still in the database"),
        ({"    try:\n": "    if True:\n", "    except IntegrityError as error:\n        return {\"error\": f\"nothing imported: {error}\"}, 409\n": ""},
         "IntegrityError"),
        ({'return {"id": author.id, "books": len(data["books"])}, 201': 'return {"id": author.id}'}, "200"),
        ({'        return {"error": f"nothing imported: {error}"}, 409': '        abort(409)'}, "text/html"),
        ({"    if not (\n": "    if False and not (\n"}, "crashed"),
        ({' and isinstance(book.get("title"), str) and type(book.get("year")) is int': ""}, "a year that is text"),
        ({"FlaskDB(import_app, db)": "\n\n@import_app.before_request\ndef open_connection():\n    db.connect(reuse_if_open=True)"},
         "still open"),
        ({'type(book.get("year")) is int': 'isinstance(book.get("year"), int)'}, "a year that is true"),
    ],
    insecure=[
        # The learner trial's answers: SQL built with f-strings, with and without catching the error it gives.
        (_F_STRING_IMPORT.format(caught="(IntegrityError, OperationalError)"), "ran part of it as SQL"),
        (_F_STRING_IMPORT.format(caught="IntegrityError"), "ran part of it as SQL"),
        (_F_STRING_IMPORT_DOUBLE.format(caught="(IntegrityError, OperationalError)"), "ran part of it as SQL"),
    ],
)
def _import_all_or_nothing(import_app, db):
    def count(sql, *params):
        with db.connection_context():
            return db.execute_sql(sql, params).fetchone()[0]

    def stored():
        authors = count("SELECT count(*) FROM author WHERE name = ?", _IMPORTED)
        books = count("SELECT count(*) FROM book JOIN author ON author.id = book.author_id WHERE author.name = ?",
                      _IMPORTED)
        return authors, books

    def rows(where):
        """The (name, email, titles) of the authors ``where`` picks, and every book's (title, year) of theirs."""
        with db.connection_context():
            found = db.execute_sql(
                "SELECT author.name, author.email, book.title, book.year FROM author "
                f"LEFT JOIN book ON book.author_id = author.id WHERE {where} ORDER BY author.id, book.id",
                (_IMPORTED, _APOSTROPHE)).fetchall()
        return [tuple(row) for row in found]

    def clean():
        with db.connection_context():
            db.execute_sql("DELETE FROM book WHERE author_id IN (SELECT id FROM author WHERE name IN (?, ?))",
                           (_IMPORTED, _APOSTROPHE))
            db.execute_sql("DELETE FROM author WHERE name IN (?, ?)", (_IMPORTED, _APOSTROPHE))

    def kept_exactly(what, sent):
        """POST ``sent`` and require a 201, the rows stored as sent, and every other row untouched."""
        others = rows("author.name NOT IN (?, ?)")
        answer = post(what, json=sent)
        mine = rows("author.name IN (?, ?)")
        wanted = [(sent["name"], sent["email"], book["title"], book["year"]) for book in sent["books"]]
        if others != rows("author.name NOT IN (?, ?)"):
            raise Wrong(f"`POST /api/import` with {what} changed the rows of other authors: the database "
                        "ran part of it as SQL.")
        for got, sent_row in zip(mine, wanted):
            for field, stored_value, sent_value in zip(("name", "email", "title", "year"), got, sent_row):
                if stored_value != sent_value:
                    shown = repr(stored_value)
                    shown = shown if len(shown) <= 90 else shown[:90] + "…"
                    raise Wrong(f"`POST /api/import` with {what} stored the {field} {shown}, not the text sent: "
                                "the database ran part of it as SQL.")
        if answer.status_code != 201 or mine != wanted:
            raise Wrong(f"`POST /api/import` with {what} answered {answer.status} {text(answer)[:80]!r} and "
                        f"stored {len(mine)} row(s) of it; expected 201 and the author stored as sent.")
        clean()

    def post(what, **body):
        response = ask(import_app, "POST", "/api/import", **body)
        if not db.is_closed():
            db.close()
            raise Wrong(f"after `POST /api/import` with {what}, the database connection of this thread is still open.")
        return response

    def refused(what, status, **body):
        response = post(what, **body)
        authors, books = stored()
        if authors or books:
            raise Wrong(f"`POST /api/import` with {what} answered {response.status}, and {_IMPORTED!r} is "
                        f"still in the database with {books} book(s).")
        if response.status_code != status:
            raise Wrong(f"`POST /api/import` with {what} answered {response.status} {text(response)[:80]!r}; "
                        f"expected {status}.")
        if not response.is_json or "error" not in (response.get_json() or {}):
            raise Wrong(f"`POST /api/import` with {what} answered {status} as {response.mimetype}: "
                        f"{text(response)[:80]!r}, not a JSON object with an `error`.")

    def author(email="import.check@example.org", books=None):
        return {"name": _IMPORTED, "email": email,
                "books": books if books is not None else [{"title": "First Light", "year": 2020},
                                                         {"title": "Second Wind", "year": 2021}]}

    clean()
    try:
        refused("a title twice", 409, json=author(books=[{"title": "Echo", "year": 2020}, {"title": "Echo", "year": 2021}]))
        refused("a book of year 0", 409, json=author(books=[{"title": "Fine", "year": 2020}, {"title": "Too Early", "year": 0}]))
        refused("the email of an existing author", 409, json=author(email="ines.marlow@example.org"))
        for what, body in [("a form instead of JSON", {"data": {"name": _IMPORTED}}),
                           ("a JSON list", {"json": [author()]}),
                           ("no email", {"json": {"name": _IMPORTED, "books": []}}),
                           ("books that is not a list", {"json": {**author(), "books": "First Light"}}),
                           ("a book that is not an object", {"json": author(books=["First Light"])}),
                           ("a year that is text", {"json": author(books=[{"title": "Fine", "year": "abc"}])}),
                           ("a year that is true", {"json": author(books=[{"title": "Fine", "year": True}])}),
                           ("a title that is a list", {"json": author(books=[{"title": ["First"], "year": 2020}])})]:
            refused(what, 400, **body)
        created = post("a new author and two books", json=author())
        if created.status_code != 201 or not created.is_json or "id" not in (created.get_json() or {}):
            raise Wrong(f"`POST /api/import` with a new author and two books answered {created.status} "
                        f"{text(created)[:80]!r}; expected 201 with the new `id`.")
        if stored() != (1, 2):
            raise Wrong(f"after a 201 for a new author and two books, the database holds (authors, books) = {stored()}.")
        refused_again = post("the same author again", json=author())
        if refused_again.status_code != 409 or stored() != (1, 2):
            raise Wrong(f"sending the same import twice answered {refused_again.status} the second time, and the "
                        f"database then holds (authors, books) = {stored()}, not the first import's (1, 2).")
        clean()
        kept_exactly(f"the email `{_LEAK}`",
                     {"name": _IMPORTED, "email": _LEAK,
                      "books": [{"title": "x' || (SELECT group_concat(name) FROM author) || '", "year": 2022}]})
        kept_exactly(f"the email `{_LEAK_DOUBLE}`",
                     {"name": _IMPORTED, "email": _LEAK_DOUBLE, "books": [{"title": "Quoted Life", "year": 2023}]})
        kept_exactly(f"the name `{_APOSTROPHE}`",
                     {"name": _APOSTROPHE, "email": "s.o'brien@example.org",
                      "books": [{"title": "Rock 'n' Roll", "year": 1999}]})
    finally:
        if not db.is_closed():
            db.close()
        clean()
    return ("a repeated title, a year 0, a taken email (409, nothing kept), eight malformed bodies (400), "
            "a good import (201) and the same one again (409, the first kept), two emails built to run as SQL (one "
            "for each kind of quote) and the name O'Brien (201, stored as sent, other rows untouched); the connection closed each time")
