"""The database: each app's own, the models that reach it, one connection per request, CLI commands."""

import re
import secrets

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext
from peewee import (
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    SqliteDatabase,
    TextField,
)
from werkzeug.security import generate_password_hash

EXTENSION = "noteboard.database"  # the key of each app's SqliteDatabase in app.extensions


class CurrentAppDatabase(DatabaseProxy):
    """Stands in for the database of the app that is handling the current request or command.

    The models are defined once, when the module is imported, yet every app has a database of
    its own: each query asks ``current_app`` which one to use, as Flask's tutorial reaches its
    database through ``current_app``. Two apps in one process, even serving requests at the same
    moment from different threads, never see each other's rows.
    """

    __slots__ = ()

    def __init__(self):
        object.__setattr__(self, "_callbacks", [])  # Proxy's own bookkeeping; obj is computed

    @property
    def obj(self):
        """The current app's database, or None outside an app context (Peewee's "not set")."""
        return current_app.extensions.get(EXTENSION) if has_app_context() else None

    def initialize(self, obj):
        raise TypeError("Each app has its own database: create_app() sets it up, not db.initialize().")

    def __getattr__(self, attr):
        database = self.obj
        if database is None and attr.startswith("_"):
            raise AttributeError(attr)  # what hasattr() and copy expect for a name that is not there
        if database is None:
            raise RuntimeError(
                "The Noteboard models need an app: run this inside `with app.app_context():` "
                "(a request, a CLI command or a test client call has one already)."
            )
        return getattr(database, attr)


db = CurrentAppDatabase()


class BaseModel(Model):
    class Meta:
        database = db


class User(BaseModel):
    name = CharField(max_length=40, unique=True)
    password_hash = CharField()  # never the password itself
    # Each session remembers the number it was created under; logging out or a new password
    # adds one, and every session cookie with an older number stops working.
    session_generation = IntegerField(default=0)


class Note(BaseModel):
    author = ForeignKeyField(User, backref="notes", on_delete="CASCADE")
    title = CharField(max_length=80)
    body = TextField(default="")
    file_name = CharField(null=True)  # the cleaned name the user sent, for the download
    file_kind = CharField(null=True)  # "png" or "txt"
    file_size = IntegerField(null=True)
    stored_name = CharField(null=True, unique=True)  # the file's name on disk, random, see new_stored_name


MODELS = [User, Note]
LARGEST_ID = 2**63 - 1  # SQLite's largest integer key; a larger number is no note's id


def new_stored_name(kind):
    """A name for a file on disk that no other file has or had: 128 random bits, not the row's id."""
    # Row ids come back after a rollback or a delete, so a name made from the id can meet an old file.
    return f"{secrets.token_hex(16)}.{kind}"


def init_app(app):
    """Give this app its own database file; open a connection per request; add CLI commands."""
    path = app.config.get("DATABASE") or f"{app.instance_path}/noteboard.db"
    app.extensions[EXTENSION] = SqliteDatabase(
        path,
        autoconnect=False,  # a query without an open connection fails loudly
        pragmas={"foreign_keys": 1, "journal_mode": "wal", "synchronous": "normal"},
    )

    @app.before_request
    def open_connection():
        db.connect()

    @app.teardown_request
    def close_connection(exc):
        if not db.is_closed():
            db.close()

    app.cli.add_command(init_db)
    app.cli.add_command(add_user)
    app.cli.add_command(set_password)


def database(app):
    """The SqliteDatabase of one app, for code that runs outside its requests."""
    return app.extensions[EXTENSION]


def password_hash(password):
    """A hash of the password, made with the app's PASSWORD_HASH_METHOD."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def add_user_row(name, password):
    """Store a user with a hash of the password."""
    return User.create(name=name, password_hash=password_hash(password))


@click.command("init-db")
@with_appcontext
def init_db():
    """Create the tables (tables that exist are kept)."""
    with db.connection_context():
        db.create_tables(MODELS)
    click.echo(f"Tables ready: {', '.join(model._meta.table_name for model in MODELS)}")


@click.command("add-user")
@click.argument("name")
@click.password_option()
@with_appcontext
def add_user(name, password):
    """Add a member who can log in."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", name):
        raise click.ClickException("a user name is 1 to 40 letters, digits, '.', '_' or '-'")
    with db.connection_context():
        try:
            add_user_row(name, password)
        except IntegrityError:
            raise click.ClickException(f"there is already a user called {name!r}") from None
    click.echo(f"Added {name}")


@click.command("set-password")
@click.argument("name")
@click.password_option()
@with_appcontext
def set_password(name, password):
    """Give a member a new password and log them out everywhere."""
    with db.connection_context():
        changed = (
            User.update(password_hash=password_hash(password), session_generation=User.session_generation + 1)
            .where(User.name == name)
            .execute()
        )
    if not changed:
        raise click.ClickException(f"there is no user called {name!r}")
    click.echo(f"New password for {name}; every session of theirs has ended")
