"""Exercises of chapter 7: one page in one query, a safe lookup, all or nothing, a 404 in JSON."""

import contextlib
import logging

from peewee import DatabaseError, DoesNotExist, IntegrityError

from . import Wrong, exercise

# What the notebook has defined by the time the exercises start: the database,
# the models and the seed rows. The tests run this before the starter or solution.
SETUP = """
    import json

    from flask import Flask
    from peewee import JOIN, CharField, Check, ForeignKeyField, IntegerField, IntegrityError, Model, fn
    from playhouse.db_url import connect

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


@exercise(
    "7.1",
    title="One page, one query",
    task="""
        Write `page_of_books(page, per_page)`. It returns one page of the
        catalogue as a list of strings such as `"The Last Ferry (Niamh O'Connell)"`:
        books ordered by year, **newest first**, `per_page` books to a page,
        pages counted from 1. It must run **one query** per call, however
        many books are on the page.
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
        "Select both models and join them: `Book.select(Book, Author).join(Author)`.",
    ],
    args="page_of_books, db",
    setup=SETUP,
)
def _one_page_one_query(page_of_books, db):
    with db.connection_context():
        rows = db.execute_sql(
            "SELECT book.title, author.name FROM book JOIN author ON author.id = book.author_id "
            "ORDER BY book.year DESC"
        ).fetchall()
        catalogue = [f"{title} ({name})" for title, name in rows]
        with _counting_queries() as queries:
            second = page_of_books(2, 4)
        last = page_of_books(len(catalogue) // 4 + 1, 4)
    if not isinstance(second, list):
        raise Wrong(f"`page_of_books` returned a {type(second).__name__}; return a list of strings.")
    if len(second) > 4:
        raise Wrong(
            f"`page_of_books(2, 4)` returned {len(second)} books instead of 4: the query is not "
            "cut into pages yet."
        )
    expected = catalogue[4:8]
    if second != expected:
        if second == catalogue[:4]:
            raise Wrong("`page_of_books(2, 4)` returned the first page: pages are counted from 1.")
        if second == catalogue[::-1][4:8]:
            raise Wrong("`page_of_books(2, 4)` lists the books oldest first: newest first is "
                        "`order_by(Book.year.desc())`.")
        if sorted(second) == sorted(expected):
            raise Wrong("page 2 holds the right books in the wrong order: newest first is "
                        "`order_by(Book.year.desc())`.")
        raise Wrong(f"`page_of_books(2, 4)` returned {second}; it should be {expected}.")
    if last != catalogue[-(len(catalogue) % 4 or 4):]:
        raise Wrong(f"the last page should be {catalogue[-(len(catalogue) % 4 or 4):]}, not {last}.")
    if len(queries) == len(second) + 1:
        raise Wrong(
            f"the page is right, but one call ran {len(queries)} queries: one for the books and "
            "one more for each `book.author`. Fetch the authors in the same query."
        )
    if len(queries) > 1:
        raise Wrong(
            f"the page is right, but one call ran {len(queries)} queries, not one: select the "
            "books and their authors together in one joined query."
        )


@exercise(
    "7.2",
    title="Close the injection hole",
    task="""
        `find_author(name)` returns the names of the authors called exactly
        `name` (a list, empty when nobody has that name). It builds its SQL by
        pasting `name` into the text, so an honest name with an apostrophe
        breaks it and a crafted one returns every author. Rewrite it with a
        query parameter or with the ORM, so that any text is only ever
        compared as data.
    """,
    source="""
        def find_author(name):
            ### BEGIN SOLUTION
            return [author.name for author in Author.select().where(Author.name == name)]
            ### STARTER
            sql = f"SELECT name FROM author WHERE name = '{name}'"
            return [row[0] for row in db.execute_sql(sql).fetchall()]
            ### END SOLUTION
    """,
    hints=[
        "Keep the SQL text fixed and send the value separately: "
        '`db.execute_sql("SELECT name FROM author WHERE name = ?", (name,))`.',
        "Or let Peewee do it: `Author.select().where(Author.name == name)` always sends `name` "
        "as a parameter.",
    ],
    args="find_author, db",
    setup=SETUP,
)
def _close_the_injection_hole(find_author, db):
    payload = "' OR '1'='1"
    with db.connection_context():
        everyone = [row[0] for row in db.execute_sql("SELECT name FROM author").fetchall()]
        try:
            plain = find_author("Tomasz Wren")
        except DatabaseError as error:
            if "bindings" not in str(error):
                raise
            raise Wrong(
                f"{error} The parameters go in a tuple, `(name,)`: a bare string counts as one "
                "parameter per character."
            ) from None
        if not isinstance(plain, list):
            raise Wrong(
                f"`find_author('Tomasz Wren')` returned {plain!r}; return a list of names, "
                "such as ['Tomasz Wren']."
            )
        if plain != ["Tomasz Wren"]:
            raise Wrong(f"`find_author('Tomasz Wren')` returned {plain!r}; it should be ['Tomasz Wren'].")
        try:
            with _counting_queries() as queries:
                quoted = find_author("Niamh O'Connell")
        except DatabaseError as error:
            raise Wrong(
                f"the honest name \"Niamh O'Connell\" broke the query ({error}): its apostrophe "
                "closed the SQL string early. Send the name as a parameter instead of pasting it in."
            ) from None
        if list(quoted) != ["Niamh O'Connell"]:
            raise Wrong(f"`find_author(\"Niamh O'Connell\")` returned {quoted!r}.")
        leaked = find_author(payload)
        if leaked:
            raise Wrong(
                f"the input {payload!r} returned {len(leaked)} of the {len(everyone)} authors: "
                "the text still becomes part of the SQL."
            )
        if find_author("Nobody At All"):
            raise Wrong("`find_author('Nobody At All')` should return an empty list.")
    pasted = [sql for sql, _params in queries if "Connell" in sql]
    if pasted:
        raise Wrong(
            f"the answers are right, but the name is still part of the SQL text: {pasted[0]!r}. "
            "Quoting or escaping by hand misses cases; send the name as a parameter (`?`) or use the ORM."
        )


@exercise(
    "7.3",
    title="All or nothing",
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
        "Do not catch the `IntegrityError` inside the block: if the block ends normally, "
        "`atomic()` commits what ran before the error.",
    ],
    args="add_author_with_books, db",
    setup=SETUP,
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
        db.execute_sql(
            "DELETE FROM book WHERE author_id IN (SELECT id FROM author WHERE name = ?)", (name,)
        )
        db.execute_sql("DELETE FROM author WHERE name = ?", (name,))

    failing = [
        {"title": "First Light", "year": 2020},
        {"title": "Second Wind", "year": 2021},
        {"title": "First Light", "year": 2022},  # the same title twice for one author
    ]
    with db.connection_context():
        clean()
        try:
            try:
                add_author_with_books(name, email, failing)
            except IntegrityError:
                raised = True
            else:
                raised = False
            authors_left, books_left = rows()
        finally:
            clean()
    if authors_left or books_left:
        where = "" if raised else " The error never left your function, so the block ended normally."
        raise Wrong(
            f"the third book repeats a title and fails, yet afterwards {name!r} is still in the "
            f"database with {books_left} book(s): the inserts before the failure were kept.{where}"
        )
    if not raised:
        raise Wrong("the failing call returned normally: let the `IntegrityError` reach the caller.")
    with db.connection_context():
        try:
            author = add_author_with_books(name, email, failing[:2])
            stored = rows()
        finally:
            clean()
    if stored != (1, 2):
        raise Wrong(f"a call with two good books should store the author and 2 books; it stored {stored}.")
    if getattr(author, "name", None) != name:
        raise Wrong("return the new `Author` from the function.")


@exercise(
    "7.4",
    title="A 404 for a missing author",
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
    ],
    args="author_app, db",
    setup=SETUP,
)
def _a_404_for_a_missing_author(author_app, db):
    with db.connection_context():
        known_id, known_name = db.execute_sql("SELECT id, name FROM author ORDER BY id LIMIT 1").fetchone()
        missing_id = db.execute_sql("SELECT max(id) FROM author").fetchone()[0] + 1000
    client = author_app.test_client()
    saved = author_app.config["PROPAGATE_EXCEPTIONS"]
    author_app.config["PROPAGATE_EXCEPTIONS"] = True  # hand a view's exception to the check
    try:
        found = client.get(f"/api/authors/{known_id}")
        try:
            missing = client.get(f"/api/authors/{missing_id}")
        except DoesNotExist:
            raise Wrong(
                f"`GET /api/authors/{missing_id}` raised `Author.DoesNotExist`, which the client "
                "would see as 500 Internal Server Error."
            ) from None
    finally:
        author_app.config["PROPAGATE_EXCEPTIONS"] = saved
    if found.status_code != 200 or not found.is_json or found.get_json().get("name") != known_name:
        raise Wrong(
            f"`GET /api/authors/{known_id}` should answer 200 with the JSON of {known_name}; "
            f"it answered {found.status}."
        )
    if missing.status_code != 404:
        raise Wrong(f"`GET /api/authors/{missing_id}` answered {missing.status}; it should be 404 Not Found.")
    if not missing.is_json or "error" not in missing.get_json():
        raise Wrong(
            "the 404 arrives, but not as JSON with an `error` key: return a dict and the status, "
            'such as `{"error": "..."}, 404`.'
        )
