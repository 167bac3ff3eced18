"""What checks share: send a request and report what came back, expect a status, record a client.

A check reads as the list of things it tries::

    response = ask(app, "GET", "/square/abc")
    expect(response, 404, "GET /square/abc")

``Wrong`` messages say what the check observed; the fixes live in the exercise's hints.
"""

import _random
import base64
import contextlib
import datetime
import functools
import hashlib
import inspect
import random
import re
import time
import uuid
from contextlib import contextmanager
from unittest import mock

from flask.testing import FlaskClient

from ..http import BODY_CAP as BODY_LIMIT  # bytes a check reads from one answer; an endless body stops here

# Where Binder's proxy mounts an app (chapter 0, helpers.links): url_for must put it in front of every URL.
PROXY_ROOT = "/user/ada/proxy/absolute/5000"


# The shortest secret a check accepts: secrets.token_hex() gives 64 characters, token_bytes(32) 32 bytes.
SHORTEST_KEY = {"characters": 32, "bytes": 16}
# Keys that readers of Flask's tutorial and of this course know; chapter 6 guesses such a key from one cookie.
KNOWN_KEYS = {"dev", "secret", "password", "changeme", "flask", "ch05-demo-session-key", "ch05-demo-csrf-secret"}
# Words that people put in the keys they make up ("my-super-secret-key-..."). A key from `secrets` holds none of
# them but by a chance of about 1 in 10**5 or less (five given letters in a row of a 43-character token_urlsafe).
MADE_UP_WORDS = ("secret", "password", "passwd", "change", "super", "flask", "notes", "private", "default",
                 "example", "please", "random", "session", "admin", "qwerty", "letmein", "123456")
# The fewest different characters a key may hold: 32 hex digits from `secrets` hold 8 or more but by a chance
# far below 1 in a million.
FEWEST_DIFFERENT = 8


def weak_key(key):
    """What makes ``key`` (a secret key, text or bytes) guessable, or None when nothing the check can see does.

    A check cannot see whether a key came from ``secrets``; it refuses what it can see: no key,
    a key that everyone knows, one too short to be random, one made of the words people put in
    keys they make up, and one of a few characters repeated.
    """
    if not key:
        return f"empty: {key!r}"
    if not isinstance(key, (str, bytes)):
        return f"a {type(key).__name__}, not text or bytes: {short(key, 60)}"
    unit = "bytes" if isinstance(key, bytes) else "characters"
    plain = key.decode("latin-1") if isinstance(key, bytes) else key
    if plain.strip().lower() in KNOWN_KEYS:
        return f"{key!r}, a key that everyone who has read Flask's tutorial or this course knows"
    if len(key) < SHORTEST_KEY[unit]:
        return f"{len(key)} {unit} long: {short(key, 60)}"
    words = [word for word in MADE_UP_WORDS if word in plain.lower()]
    if words:
        return (f"{short(key, 60)}, a key a person made up (it holds {', '.join(map(repr, words))}): made-up keys "
                "look alike, and an attacker's list of guesses holds such phrases")
    if len(set(plain)) < FEWEST_DIFFERENT:
        return f"{short(key, 60)}, {len(key)} {unit} with only {len(set(plain))} different ones among them"
    return None


@contextmanager
def clock_stopped(*namespaces):
    """Hold the wall clock still inside the block: ``time.time``, ``time.time_ns``, ``time.perf_counter``,
    ``time.perf_counter_ns`` and ``datetime.datetime.now``, ``utcnow`` and ``today`` keep the values they had
    when it began, so a value made from the clock comes out the same twice.

    ``namespaces`` are dicts of an app's globals (``view.__globals__``): a name there bound to one of these
    functions, or to the class ``datetime.datetime`` (``from time import time``,
    ``from datetime import datetime``), is held too. ``time.monotonic``, which event loops schedule by,
    keeps running.
    """
    now, counter = time.time(), time.perf_counter()
    held = {"time": lambda: now, "time_ns": lambda: int(now * 1_000_000_000),
            "perf_counter": lambda: counter, "perf_counter_ns": lambda: int(counter * 1_000_000_000)}
    instant = datetime.datetime.fromtimestamp(now)

    class HeldDateTime(datetime.datetime):
        """A datetime class whose clock does not move."""

        @classmethod
        def now(cls, tz=None):
            return instant if tz is None else instant.astimezone(tz)

        @classmethod
        def utcnow(cls):
            return datetime.datetime.fromtimestamp(now, datetime.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return instant

    stand_ins = {id(getattr(time, name)): value for name, value in held.items()}
    stand_ins[id(datetime.datetime)] = HeldDateTime
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.multiple(time, **held))
        stack.enter_context(mock.patch.object(datetime, "datetime", HeldDateTime))
        for namespace in namespaces:
            found = {name: stand_ins[id(value)] for name, value in namespace.items() if id(value) in stand_ins}
            if found:
                stack.enter_context(mock.patch.dict(namespace, found))
        yield


def namespaces_of(app):
    """The globals of every view and hook of ``app`` (in a notebook, the learner's namespace), each once."""
    functions = [*app.view_functions.values()]
    for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        functions += [function for found in registry.values() for function in found]
    found = {}
    for function in functions:
        namespace = getattr(inspect.unwrap(function), "__globals__", None)
        if isinstance(namespace, dict):
            found[id(namespace)] = namespace
    return list(found.values())


@contextmanager
def random_repeating(seed=1109):
    """Make Python's ``random`` repeat itself: inside the block, ``again()`` restarts it at ``seed``.

    Both the module's functions (``random.random()``, ``random.choice(...)``, ``random.getrandbits(...)``) and every
    ``random.Random`` an app keeps, seeded or not, restart. ``random.SystemRandom``, ``secrets``, ``os.urandom``
    and ``uuid.uuid4`` draw from the operating system and stay random. Yields ``again``.
    """
    saved, source = random.getstate(), _random.Random()

    def again():
        random.seed(seed)
        source.seed(seed)

    # random.Random's own random() and getrandbits() come from its C base; every other method draws through them.
    repeating = {"random": lambda self: source.random(), "getrandbits": lambda self, k: source.getrandbits(k)}
    try:
        with mock.patch.multiple(random.Random, **repeating):
            again()
            yield again
    finally:
        random.setstate(saved)


# How far an attacker counts when they hash 0, 1, 2...: a notebook's app rarely serves more requests.
COUNTED = 2000


@functools.cache
def _hashes_of_counts():
    """The first 16 hex digits of each hashlib hash and uuid3/uuid5 of the numbers 0 to COUNTED, and their recipe."""
    found = {}
    for number in range(COUNTED):
        data = str(number).encode()
        for name in sorted(hashlib.algorithms_guaranteed - {"shake_128", "shake_256"}):
            found[hashlib.new(name, data).hexdigest()[:16]] = f"the {name} of {str(number)!r}"
        for space in ("DNS", "URL", "OID", "X500"):
            for make in (uuid.uuid3, uuid.uuid5):
                made = make(getattr(uuid, f"NAMESPACE_{space}"), str(number)).hex
                found[made[:16]] = f"`uuid.{make.__name__}(uuid.NAMESPACE_{space}, {str(number)!r})`"
    return found


def hash_of_a_count(value):
    """How ``value`` (hex, a uuid, or base64 of the bytes) is a well-known hash of a small number, or None.

    Such a value looks random, and anyone who hashes 0, 1, 2... as an attacker would finds it.
    """
    plain = value.replace("-", "").lower()
    if not re.fullmatch(r"[0-9a-f]{16,}", plain):
        try:
            plain = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "=" * (-len(value) % 4)).hex()
        except ValueError:
            return None
    return _hashes_of_counts().get(plain[:16]) if len(plain) >= 16 else None


class Wrong(AssertionError):
    """A check found the answer wrong; the message says what it observed."""


def short(value, limit=80):
    """The repr of ``value`` in at most about ``limit`` characters; a long text is cut inside its quotes, with "…".

    Cutting the repr itself (``f"{value!r:.80}"``) would drop the closing quote, and a message
    would end in the middle of a string.
    """
    shown = repr(value)
    if len(shown) <= limit:
        return shown
    if isinstance(value, (str, bytes)):
        cut = value[:limit]
        while len(repr(cut)) > limit - 1 and cut:  # escapes such as \n make the repr longer than the text
            cut = cut[:-1]
        shown = repr(cut)
        return f"{shown[:-1]}…{shown[-1]}"
    return shown[:limit - 1] + "…"


def ask(app, method, path, client=None, **kwargs):
    """Send one request through ``app``'s test client; a crash in the learner's code becomes a Wrong.

    Give ``client`` (one of ``app``'s test clients) to keep its cookies from one request to the next.
    """
    if not hasattr(app, "test_client"):
        raise Wrong(f"expected a Flask app, got {type(app).__name__}: {short(app)}")
    before = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = True  # raise here, where the check can name it
    try:
        response = (client or app.test_client()).open(path, method=method, buffered=False, **kwargs)
        _read_capped(response, f"{method} {path}")
        return response
    except Wrong:
        raise
    except Exception as error:
        raise Wrong(
            f"`{method} {path}` crashed in your code with `{type(error).__name__}: {error}`, "
            "so a visitor would get 500 Internal Server Error."
        ) from None
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = before


def _read_capped(response, what):
    """Read at most BODY_LIMIT bytes of a streamed answer, so an endless body cannot fill memory."""
    body, size = [], 0
    for chunk in response.response:
        chunk = chunk.encode() if isinstance(chunk, str) else chunk
        body.append(chunk)
        size += len(chunk)
        if size > BODY_LIMIT:
            response.close()
            raise Wrong(f"`{what}` sent more than {BODY_LIMIT:,} bytes of body; the check stopped reading.")
    response.close()
    response.set_data(b"".join(body))


def expect(response, status, what):
    """Raise Wrong unless ``response`` has the status code ``status`` (one code, or a set of them)."""
    allowed = {status} if isinstance(status, int) else set(status)
    if response.status_code not in allowed:
        wanted = " or ".join(str(code) for code in sorted(allowed))
        raise Wrong(f"`{what}` answered {response.status}; expected {wanted}.")
    return response


def text(response):
    """The body of a test-client response as text."""
    return response.get_data(as_text=True)


class RecordingClient(FlaskClient):
    """A test client that notes each request and its answer in ``app.record``."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        record = self.application.__dict__.setdefault("record", [])
        for answer in [*response.history, response]:
            record.append(
                ("request", answer.request.method, answer.request.path, answer.status_code,
                 answer.location or "", answer.get_data(as_text=True)[:300])
            )
        return response
