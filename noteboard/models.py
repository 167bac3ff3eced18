"""The database: a proxy filled in by create_app, two models, one connection per request, CLI commands."""

import re

import click
from flask import current_app
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

# The models are defined before any app says where its database is. The proxy stands in
# for the database until init_app() points it at a real one. One process, one database:
# the app created last decides (a server runs one app; tests make one app at a time).
db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class User(BaseModel):
    name = CharField(max_length=40, unique=True)
    password_hash = CharField()  # never the password itself


class Note(BaseModel):
    author = ForeignKeyField(User, backref="notes", on_delete="CASCADE")
    title = CharField(max_length=80)
    body = TextField(default="")
    file_name = CharField(null=True)  # the cleaned name the user sent, for the download
    file_kind = CharField(null=True)  # "png" or "txt"
    file_size = IntegerField(null=True)

    @property
    def stored_name(self):
        """The file's name on disk, made by the server from the note's id."""
        return f"{self.id}.{self.file_kind}" if self.file_kind else None


MODELS = [User, Note]


def init_app(app):
    """Point the models at this app's database; open a connection per request; add CLI commands."""
    path = app.config.get("DATABASE") or f"{app.instance_path}/noteboard.db"
    db.initialize(
        SqliteDatabase(
            path,
            autoconnect=False,  # a query without an open connection fails loudly
            pragmas={"foreign_keys": 1, "journal_mode": "wal", "synchronous": "normal"},
        )
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


def add_user_row(name, password):
    """Store a user with a hash of the password, made with the app's PASSWORD_HASH_METHOD."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    return User.create(name=name, password_hash=generate_password_hash(password, method=method))


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
