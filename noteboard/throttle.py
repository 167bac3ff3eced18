"""Brakes on password guessing: login attempts counted in a file that every server process
shares (Flask-Limiter), and a cap on the password hashes computed at once."""

import sqlite3
import threading
import time
from contextlib import closing, contextmanager

from flask import abort, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

HASHING = "noteboard.hashing"  # the key of each app's semaphore in app.extensions


class SQLiteStorage(Storage):
    """Flask-Limiter's counters in an SQLite file, so that every process that opens it counts together.

    Flask-Limiter keeps its counters in memory unless told otherwise, and under Gunicorn each
    worker process has its own memory: with two workers an attacker gets twice the attempts.
    The ``limits`` library it builds on offers Redis, Memcached and MongoDB, which all need a
    server of their own. This small store needs none: SQLite's ``BEGIN IMMEDIATE`` lets one
    writer at a time change a counter, whichever process it is in. It supports the default
    strategy, ``fixed-window``.

    :param uri: ``noteboard-sqlite://``, the scheme that selects this store.
    :param path: the SQLite file; created when missing.
    :param wrap_exceptions: whether to turn SQLite's errors into ``limits.errors.StorageError``.
    """

    STORAGE_SCHEME = ["noteboard-sqlite"]

    def __init__(self, uri=None, wrap_exceptions=False, path=None, **options):
        if not path:
            raise ValueError("SQLiteStorage needs storage_options={'path': ...}")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = str(path)
        with closing(sqlite3.connect(self.path, timeout=10)) as con:
            con.execute("PRAGMA journal_mode = wal")  # kept in the file: readers never wait for the writer
        with self._transaction() as con:
            con.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, count INTEGER, expires REAL)")
            con.execute("CREATE INDEX IF NOT EXISTS hits_expires ON hits (expires)")

    @property
    def base_exceptions(self):
        return sqlite3.Error

    @contextmanager
    def _transaction(self):
        # A connection per call: SQLite opens one in microseconds, and none is shared between threads.
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as con:
            # With WAL, safe if the app crashes, and a commit waits for no disk flush; closing the last
            # connection still checkpoints the WAL into the file, and that flushes (two per call, measured).
            con.execute("PRAGMA synchronous = normal")
            con.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def incr(self, key, expiry, amount=1):
        """Add ``amount`` to the counter of ``key``; a counter that has expired starts again from 0."""
        now = time.time()
        with self._transaction() as con:
            con.execute("DELETE FROM hits WHERE expires <= ?", (now,))
            con.execute(
                "INSERT INTO hits VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET count = count + excluded.count",
                (key, amount, now + expiry),
            )
            return con.execute("SELECT count FROM hits WHERE key = ?", (key,)).fetchone()[0]

    def _row(self, key):
        with self._transaction() as con:
            return con.execute("SELECT count, expires FROM hits WHERE key = ? AND expires > ?", (key, time.time())).fetchone()

    def get(self, key):
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key):
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self):
        with self._transaction() as con:
            con.execute("SELECT 1")
        return True

    def reset(self):
        with self._transaction() as con:
            return con.execute("DELETE FROM hits").rowcount

    def clear(self, key):
        with self._transaction() as con:
            con.execute("DELETE FROM hits WHERE key = ?", (key,))


def init_app(app):
    """Give this app its own limiter, counting in DATA_DIR/limits.sqlite, and its own hashing slots."""
    # One Limiter per app, made here: a module-level Limiter that every create_app() calls
    # init_app() on would count in the store of whichever app was created last.
    limiter = Limiter(
        get_remote_address,  # request.remote_addr: the client, or the proxy when ProxyFix is off
        app=app,
        storage_uri="noteboard-sqlite://",
        storage_options={"path": app.config.get("RATELIMIT_DATABASE") or f"{app.instance_path}/limits.sqlite"},
        strategy="fixed-window",
        on_breach=remember_retry_after,
    )
    app.extensions[HASHING] = threading.BoundedSemaphore(app.config["PASSWORD_CHECKS_AT_ONCE"])
    app.after_request(add_retry_after)
    return limiter


def remember_retry_after(request_limit):
    """Note when the limit that was just broken starts counting again."""
    g.retry_after = max(1, int(request_limit.reset_at - time.time()))


def add_retry_after(response):
    """Tell a client that hit a limit how many seconds to wait (RFC 6585 suggests Retry-After on a 429)."""
    if response.status_code == 429 and "retry_after" in g:
        response.headers["Retry-After"] = str(g.retry_after)
    return response


@contextmanager
def hashing_slot():
    """Wait for one of the app's PASSWORD_CHECKS_AT_ONCE slots; answer 503 if none frees up in time.

    A password hash is slow and large on purpose (scrypt as Werkzeug sets it up uses 32 MiB
    for about a tenth of a second), so forty logins at once would need over a gigabyte. A rate
    limit counts attempts over minutes; it cannot stop many arriving in the same second.
    """
    slots = current_app.extensions[HASHING]
    if not slots.acquire(timeout=current_app.config["PASSWORD_CHECK_WAIT"]):
        abort(503, "The server is busy checking other log-ins. Try again in a few seconds.", retry_after=5)
    try:
        yield
    finally:
        slots.release()
