"""Exercises of chapter 5: validators, a custom validator, POST/redirect/GET, a form protected against CSRF."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin

from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import InputRequired

from ..installed import REDIRECT_CODE
from . import Wrong, exercise
from .probe import PROXY_ROOT, ask, text, weak_key


def _errors(form_class, data):
    """Validate ``data`` with a fresh ``form_class``; return its errors (empty when valid)."""
    form = form_class(MultiDict(data))
    form.validate()
    return form.errors


class _Inputs(HTMLParser):
    """The name and value of every ``<input>`` of a page, whatever the order of its attributes."""

    def __init__(self, html):
        super().__init__()
        self.found = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.found[attrs["name"]] = attrs.get("value") or ""


def _inputs(response):
    """The inputs of the form on a test-client response, as a dict."""
    return _Inputs(text(response)).found


@contextmanager
def _csrf_settings():
    """The ``meta`` (csrf_secret included) of every form that SessionCSRF sets up inside the block."""
    used, setup_form = [], SessionCSRF.setup_form

    def noting(csrf, form):
        used.append(form.meta)
        return setup_form(csrf, form)

    SessionCSRF.setup_form = noting
    try:
        yield used
    finally:
        SessionCSRF.setup_form = setup_form


@exercise(
    "5.1",
    title="The right validators",
    kind="modify",
    task="""
        `RoomForm` describes a meeting room. Fix its validators so that:

        - `room` is required, a name of only spaces counts as empty, and it
          has at most 30 characters;
        - `capacity` is a whole number from 0 to 500 and is required.
          **0 is a valid answer** (the room is closed for now).
    """,
    source="""
        class RoomForm(Form):
            ### BEGIN SOLUTION
            room = StringField("Room", [DataRequired(), Length(max=30)])
            capacity = IntegerField("Capacity", [InputRequired(), NumberRange(min=0, max=500)])
            ### STARTER
            room = StringField("Room", [InputRequired()])
            capacity = IntegerField("Capacity", [DataRequired(), NumberRange(min=0, max=500)])
            ### END SOLUTION
    """,
    hints=[
        "Try the starter on `capacity=0`: `DataRequired` looks at the converted value, and `0` is "
        "falsy. `InputRequired` only asks whether something was typed.",
        "A room of only spaces gets through `InputRequired` (spaces are input). `DataRequired` "
        "treats a string of only spaces as empty, which is what you want for a name.",
        "The length limit is one more validator in the list: `Length(max=30)`.",
        'So: `room = StringField("Room", [DataRequired(), Length(max=30)])` and '
        '`capacity = IntegerField("Capacity", [InputRequired(), NumberRange(min=0, max=500)])`.',
    ],
    args="RoomForm",
    setup="""
        from wtforms import Form, IntegerField, StringField
        from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
    """,
    right=[
        {"[DataRequired(), Length(max=30)]": "[Length(min=1, max=30), DataRequired()]"},
        {"[InputRequired(), NumberRange(min=0, max=500)]": "validators=[InputRequired(), NumberRange(0, 500)]"},
    ],
    wrong=[
        ({"[InputRequired(), NumberRange(min=0, max=500)]": "[DataRequired(), NumberRange(min=0, max=500)]"},
         "This field is required."),
        ({"[DataRequired(), Length(max=30)]": "[InputRequired(), Length(max=30)]"}, "only spaces"),
        ({"[DataRequired(), Length(max=30)]": "[DataRequired()]"}, "31 characters"),
        ({"NumberRange(min=0, max=500)": "NumberRange(min=1, max=500)"}, "between 1 and 500"),
        ({"[InputRequired(), NumberRange(min=0, max=500)]": "[NumberRange(min=0, max=500)]"}, "no `required` flag"),
        ({"[InputRequired(), NumberRange(min=0, max=500)]": "[Optional(), NumberRange(min=0, max=500)]"},
         "a missing capacity is accepted"),
    ],
)
def _right_validators(RoomForm):
    must_pass = [
        ({"room": "Lab", "capacity": "0"}, "a closed room"),
        ({"room": "Lab", "capacity": "500"}, "a room for 500"),
        ({"room": "x" * 30, "capacity": "12"}, "a name of exactly 30 characters"),
    ]
    for data, what in must_pass:
        errors = _errors(RoomForm, data)
        if errors:
            raise Wrong(f"{what} ({data}) should be valid, but the form says {errors}.")
    must_fail = [
        ({"room": "   ", "capacity": "12"}, "room", "a room name of only spaces"),
        ({"capacity": "12"}, "room", "a missing room name"),
        ({"room": "x" * 31, "capacity": "12"}, "room", "a room name of 31 characters"),
        ({"room": "Lab"}, "capacity", "a missing capacity"),
        ({"room": "Lab", "capacity": ""}, "capacity", "an empty capacity"),
        ({"room": "Lab", "capacity": "501"}, "capacity", "capacity 501"),
        ({"room": "Lab", "capacity": "-1"}, "capacity", "capacity -1"),
        ({"room": "Lab", "capacity": "ten"}, "capacity", "capacity 'ten'"),
        ({"room": "Lab", "capacity": "2.5"}, "capacity", "capacity 2.5"),
    ]
    for data, field, what in must_fail:
        if field not in _errors(RoomForm, data):
            raise Wrong(f"{what} is accepted: `{field}` gets no error message.")
    if not RoomForm().capacity.flags.required:
        missing = _errors(RoomForm, {"room": "Lab"})["capacity"]
        raise Wrong(
            f"a missing capacity gets {missing}, and the field has no `required` flag, so its "
            "`<input>` has no `required` attribute either."
        )
    return "capacities 0, 500, 501, -1, 2.5, 'ten', empty and missing; room names of spaces, 30 and 31 characters"


@exercise(
    "5.2",
    title="A custom validator",
    kind="modify",
    task="""
        Write `not_reserved(form, field)`, a validator that refuses the user
        names in `RESERVED` whatever their case and surrounding spaces
        (`Admin` and ` root ` are refused too), with the message
        `That name is reserved.` Any other name passes, even one that contains a
        reserved name, such as `administrator`.
    """,
    source="""
        RESERVED = {"admin", "root", "flask"}


        def not_reserved(form, field):
            ### BEGIN SOLUTION
            if field.data.strip().lower() in RESERVED:
                raise ValidationError("That name is reserved.")
            ### STARTER
            if field.data in RESERVED:
                return False
            ### END SOLUTION
    """,
    hints=[
        "WTForms ignores what a validator returns. To refuse a value, `raise ValidationError(\"...\")`; "
        "the message you give it is what the form shows.",
        "Compare a cleaned-up copy: `field.data.strip().lower() in RESERVED`.",
        "Raise `ValidationError`, not `ValueError`: WTForms turns only `ValidationError` (and "
        "`StopValidation`) into a message; any other exception escapes from `validate()`.",
    ],
    args="not_reserved",
    setup="""
        from wtforms.validators import StopValidation, ValidationError
    """,
    right=[
        {"field.data.strip().lower()": "field.data.casefold().strip()"},
        {'raise ValidationError("That name is reserved.")': 'raise StopValidation("That name is reserved.")'},
    ],
    wrong=[
        ({'raise ValidationError("That name is reserved.")': "return False"}, "'admin' is accepted"),
        ({"ValidationError(": "ValueError("}, "ValueError"),
        ({"field.data.strip().lower()": "field.data.strip()"}, "'Admin' is accepted"),
        ({"field.data.strip().lower()": "field.data.lower()"}, "' root ' is accepted"),
        ({"if field.data.strip().lower() in RESERVED:": "if any(word in field.data.lower() for word in RESERVED):"},
         "'administrator' is refused"),
        ({'"That name is reserved."': '"Reserved."'}, "['Reserved.']"),
    ],
)
def _custom_validator(not_reserved):
    class SignUp(Form):
        username = StringField("User name", [InputRequired(), not_reserved])

    def errors_for(name):
        try:
            return _errors(SignUp, {"username": name}).get("username", [])
        except Exception as error:
            raise Wrong(f"`validate()` crashed with `{type(error).__name__}: {error}` for {name!r}.") from None

    if errors_for("admin") == []:
        raise Wrong("'admin' is accepted: the form shows no error for it.")
    if errors_for("admin") != ["That name is reserved."]:
        raise Wrong(f"for 'admin' the form says {errors_for('admin')}; expected ['That name is reserved.'].")
    for name in ("Admin", "ROOT", "Flask", " root ", "admin "):
        if errors_for(name) == []:
            raise Wrong(f"{name!r} is accepted: the form shows no error for it.")
    for name in ("ada", "grace", "administrator", "flasky", "root beer"):
        if errors_for(name):
            raise Wrong(f"{name!r} is refused with {errors_for(name)}; it is not in RESERVED.")
    return "admin, Admin, ROOT, Flask, ' root ', 'admin ' (refused) and ada, administrator, flasky, 'root beer' (accepted)"


_TOO_LONG = ("a note that is far too long to keep " * 3)[:101]


@exercise(
    "5.3",
    title="POST, redirect, GET",
    kind="modify",
    task="""
        `note_app` saves a note and then renders the page straight from the
        POST, so reloading the page would send the note again. Change the view so that:

        - a valid POST saves the note and answers **303** with a redirect to
          `url_for("add_note")` (the browser then loads the page with a GET);
        - an invalid POST answers **422** with the form rendered again, so
          the error shows and the text the user typed is still in the box.
    """,
    source="""
        NOTES_PAGE = \"\"\"
        <form method="post" action="{{ url_for('add_note') }}">
          {{ form.text.label }} {{ form.text() }}
          {% for message in form.text.errors %}<span class="error">{{ message }}</span>{% endfor %}
          <button type="submit">Save</button>
        </form>
        <ul>{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>
        \"\"\"


        class NoteForm(Form):
            text = StringField("Note", [DataRequired(), Length(max=100)])


        notes = []
        note_app = Flask(__name__)


        @note_app.route("/notes", methods=["GET", "POST"])
        def add_note():
            form = NoteForm(request.form)
            ### BEGIN SOLUTION
            if request.method == "POST":
                if form.validate():
                    notes.append(form.text.data)
                    return redirect(url_for("add_note"), code=303)
                return render_template_string(NOTES_PAGE, form=form, notes=notes), 422
            ### STARTER
            if request.method == "POST" and form.validate():
                notes.append(form.text.data)
            ### END SOLUTION
            return render_template_string(NOTES_PAGE, form=form, notes=notes)
    """,
    hints=[
        "After a successful POST, answer with a redirect instead of a page: the page the browser "
        "then shows comes from a GET.",
        "Name the code: `return redirect(url_for(\"add_note\"), code=303)`. 303 See Other says plainly: "
        "fetch the result with a GET, whatever the default of your Flask version (302 in Flask 3.1, 303 from 3.2).",
        "For an invalid POST, return the rendered page with a status: "
        "`return render_template_string(NOTES_PAGE, form=form, notes=notes), 422`. A redirect "
        "would lose the form, with the user's text and the errors.",
    ],
    args="note_app, notes",
    setup="""
        from flask import Flask, redirect, render_template_string, request, url_for
        from wtforms import Form, StringField
        from wtforms.validators import DataRequired, Length
    """,
    right=[
        {'return redirect(url_for("add_note"), code=303)': "return redirect(request.url, 303)"},
        {"""    if request.method == "POST":
        if form.validate():
            notes.append(form.text.data)
            return redirect(url_for("add_note"), code=303)
        return render_template_string(NOTES_PAGE, form=form, notes=notes), 422
    return render_template_string(NOTES_PAGE, form=form, notes=notes)""":
         """    if request.method == "POST" and form.validate():
        notes.append(form.text.data)
        return redirect(url_for("add_note"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template_string(NOTES_PAGE, form=form, notes=notes), status"""},
    ],
    wrong=[
        *([({'return redirect(url_for("add_note"), code=303)': 'return redirect(url_for("add_note"))'}, "302")]
          if REDIRECT_CODE == 302 else []),  # Flask 3.2 answers 303 without a code
        ({'return render_template_string(NOTES_PAGE, form=form, notes=notes), 422':
          'return redirect(url_for("add_note"), code=303)'}, "answered 303"),
        ({'return render_template_string(NOTES_PAGE, form=form, notes=notes), 422':
          "return render_template_string(NOTES_PAGE, form=form, notes=notes)"}, "answered 200"),
        ({"        if form.validate():\n            notes.append(form.text.data)\n":
          "        notes.append(form.text.data)\n        if form.validate():\n"}, "saved"),
        ({'return redirect(url_for("add_note"), code=303)': 'return redirect(url_for("add_notes"), code=303)'},
         "BuildError"),
        # Right on a laptop; behind Binder's proxy the browser lands outside the app.
        ({'return redirect(url_for("add_note"), code=303)': 'return redirect("/notes", code=303)'}, "proxy prefix"),
        ({'return redirect(url_for("add_note"), code=303)': "return redirect(request.path, 303)"}, "`request.path`"),
    ],
    insecure=[
        ({"<li>{{ note }}</li>": "<li>{{ note|safe }}</li>"}, "as a tag, not as text"),
    ],
)
def _post_redirect_get(note_app, notes):
    before = len(notes)
    saved = ask(note_app, "POST", "/notes", data={"text": "Buy milk"})
    if saved.status_code != 303:
        raise Wrong(f"a valid POST (text='Buy milk') answered {saved.status}; expected 303 See Other.")
    if not saved.headers.get("Location", "").endswith("/notes"):
        raise Wrong(f"the valid POST redirects to {saved.headers.get('Location')!r}, not /notes.")
    if len(notes) != before + 1:
        raise Wrong(f"one valid POST added {len(notes) - before} notes to `notes`.")
    if "Buy milk" not in text(ask(note_app, "GET", "/notes")):
        raise Wrong("after the redirect, `GET /notes` does not list the saved note.")
    # Behind Binder's proxy the app lives under a prefix; the redirect must keep it, as url_for does.
    base = f"http://localhost{PROXY_ROOT}"
    proxied = ask(note_app, "POST", "/notes", data={"text": "Buy <b>bread</b>"}, base_url=base)
    landing = urljoin(f"{base}/notes", proxied.headers.get("Location", ""))
    if proxied.status_code != 303 or landing != f"{base}/notes":
        raise Wrong(f"behind the proxy prefix `{PROXY_ROOT}`, a valid POST answered {proxied.status} with "
                    f"`Location: {proxied.headers.get('Location')}`, which is {landing}, outside the app: a URL "
                    "written by hand, or `request.path`, leaves out the prefix that `url_for` puts in front.")
    listed = text(ask(note_app, "GET", "/notes"))
    if "<b>bread</b>" in listed:
        raise Wrong("the note 'Buy <b>bread</b>' came back in `GET /notes` with `<b>` as a tag, not as text: whatever "
                    "markup a user types, scripts included, would run in every visitor's page. Let Jinja escape it "
                    "(no `|safe`, no `Markup`).")
    before += 1
    for data, what, message in [
        ({"text": ""}, "an empty note", "This field is required."),
        ({"text": "   "}, "a note of only spaces", "This field is required."),
        ({"text": _TOO_LONG}, "a note of 101 characters", "Field cannot be longer than 100 characters."),
    ]:
        refused = ask(note_app, "POST", "/notes", data=data)
        html = text(refused)
        if refused.status_code != 422:
            raise Wrong(f"{what} answered {refused.status}; expected 422 with the form again.")
        if message not in html:
            raise Wrong(f"the page for {what} does not show the error {message!r}.")
        if data["text"].strip() and data["text"] not in html:
            raise Wrong(f"the page for {what} no longer holds the text the user typed.")
        if len(notes) != before + 1:
            raise Wrong(f"{what} was saved: `notes` now holds {notes[before + 1:]!r}.")
    return "a valid note (303, saved once), an empty note, one of spaces and one of 101 characters (422, not saved)"


_FORGED = "20991231235959##" + "0" * 40


@exercise(
    "5.4",
    title="Protect the notes against forged posts",
    kind="make",
    task="""
        Another site can make a visitor's browser post a note to `note_app` of 5.3. The cell
        below starts again from 5.3's starter: paste your answer to 5.3 over it first. Then
        protect it with WTForms' `SessionCSRF` and Flask's `session`:

        - `GET /notes` shows the form with a hidden `csrf_token` field;
        - a POST whose token is missing, forged, or taken from another visitor's page is
          refused with **400**, and nothing is saved;
        - with the visitor's own token, the app works as in 5.3: **303** for a valid note,
          **422** with the form again (and a fresh token) for an invalid one.

        The session needs a secret key, and `SessionCSRF` a secret of its own, in bytes.
        Choose both as a real app would: random and long, so that nobody can guess them
        (`secrets.token_hex()` makes such a key, `secrets.token_bytes(32)` such a secret;
        [chapter 6](06-sessions.ipynb) guesses a weak key from one cookie). And let a token
        expire, as the chapter's do: within a day at most.
    """,
    source="""
        ### BEGIN SOLUTION
        import secrets
        from datetime import timedelta

        from flask import Flask, abort, redirect, render_template_string, request, session, url_for
        from wtforms import Form, StringField
        from wtforms.csrf.session import SessionCSRF
        from wtforms.validators import DataRequired, Length
        ### STARTER
        from flask import Flask, redirect, render_template_string, request, url_for
        from wtforms import Form, StringField
        from wtforms.validators import DataRequired, Length
        ### END SOLUTION

        NOTES_PAGE = \"\"\"
        <form method="post" action="{{ url_for('add_note') }}">
        ### BEGIN SOLUTION
          {{ form.csrf_token }}
        ### STARTER
        ### END SOLUTION
          {{ form.text.label }} {{ form.text() }}
          {% for message in form.text.errors %}<span class="error">{{ message }}</span>{% endfor %}
          <button type="submit">Save</button>
        </form>
        <ul>{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>
        \"\"\"


        class NoteForm(Form):
            ### BEGIN SOLUTION
            class Meta:
                csrf = True
                csrf_class = SessionCSRF
                csrf_secret = secrets.token_bytes(32)
                csrf_time_limit = timedelta(minutes=20)

            ### STARTER
            ### END SOLUTION
            text = StringField("Note", [DataRequired(), Length(max=100)])


        notes = []
        note_app = Flask(__name__)
        ### BEGIN SOLUTION
        note_app.secret_key = secrets.token_hex()
        ### STARTER
        ### END SOLUTION


        @note_app.route("/notes", methods=["GET", "POST"])
        def add_note():
            ### BEGIN SOLUTION
            form = NoteForm(request.form, meta={"csrf_context": session})
            if request.method == "POST":
                if form.validate():
                    notes.append(form.text.data)
                    return redirect(url_for("add_note"), code=303)
                if "csrf_token" in form.errors:
                    abort(400, form.errors["csrf_token"][0])
                return render_template_string(NOTES_PAGE, form=form, notes=notes), 422
            ### STARTER
            form = NoteForm(request.form)
            if request.method == "POST" and form.validate():
                notes.append(form.text.data)
            ### END SOLUTION
            return render_template_string(NOTES_PAGE, form=form, notes=notes)
    """,
    hints=[
        "Three pieces, all in the section on SessionCSRF: a `class Meta` inside the form that "
        "switches CSRF on, the session handed to the form, and the token rendered in the page.",
        "`class Meta:` with `csrf = True`, `csrf_class = SessionCSRF`, `csrf_secret = "
        "secrets.token_bytes(32)`; then `NoteForm(request.form, meta={\"csrf_context\": session})`, "
        "and `{{ form.csrf_token }}` inside the `<form>`. `session` needs `note_app.secret_key`.",
        "A bad token shows up as `form.errors[\"csrf_token\"]` after `validate()`. Check for it "
        "before answering 422, and answer 400 instead: "
        "`abort(400, form.errors[\"csrf_token\"][0])`.",
        "`csrf_context` must be *this visitor's* session. A dict of your own, shared by every "
        "visitor, makes one visitor's token good for all of them.",
        "A key like `\"dev\"` or a secret like `b\"secret\"` is the first thing an attacker tries: "
        "with it they can sign a session cookie or a token themselves. Use `secrets.token_hex()` for "
        "the key and `secrets.token_bytes(32)` for the secret. `csrf_time_limit = None` makes tokens "
        "that never expire; leave it out (30 minutes) or give a `timedelta` of minutes.",
    ],
    args="note_app, notes",
    right=[
        {'abort(400, form.errors["csrf_token"][0])': 'return f"Form refused: {form.errors[\'csrf_token\'][0]}", 400'},
        {"csrf_secret = secrets.token_bytes(32)\n        csrf_time_limit = timedelta(minutes=20)":
         "csrf_secret = os.urandom(32)",
         "note_app.secret_key = secrets.token_hex()": 'note_app.config["SECRET_KEY"] = secrets.token_urlsafe(32)',
         "import secrets\n": "import os\nimport secrets\n"},
        {"class NoteForm(Form):\n    class Meta:": "class CSRFForm(Form):\n    class Meta:",
         '    text = StringField("Note"': 'class NoteForm(CSRFForm):\n    text = StringField("Note"'},
    ],
    wrong=[
        ({'form = NoteForm(request.form, meta={"csrf_context": session})': "form = NoteForm(request.form)"},
         "TypeError"),
        ({'        if "csrf_token" in form.errors:\n            abort(400, form.errors["csrf_token"][0])\n': ""}, "422"),
        ({"note_app.secret_key = secrets.token_hex()\n": ""}, "secret key"),
        ({"  {{ form.csrf_token }}\n": ""}, "no `csrf_token`"),
    ],
    insecure=[
        ({"note_app.secret_key = secrets.token_hex()": 'note_app.secret_key = "dev"'}, "'dev'"),
        ({"note_app.secret_key = secrets.token_hex()": 'note_app.secret_key = "my-notes-app-key"'},
         "16 characters"),
        ({"csrf_secret = secrets.token_bytes(32)": 'csrf_secret = b"secret"'}, "b'secret'"),
        ({"csrf_secret = secrets.token_bytes(32)": 'csrf_secret = b"ch05-demo-csrf-secret"'}, "knows"),
        ({"csrf_secret = secrets.token_bytes(32)": 'csrf_secret = b"k3y"'}, "3 bytes"),
        # Long, but made up by a person: length alone does not make a key random.
        ({"note_app.secret_key = secrets.token_hex()": 'note_app.secret_key = "my-super-secret-key-for-the-notes-app"'},
         "a key a person made up"),
        ({"csrf_secret = secrets.token_bytes(32)\n        csrf_time_limit = timedelta(minutes=20)":
          'csrf_secret = b"a long random secret kept out of the code, here for the exercise"'}, "a key a person made up"),
        ({"note_app.secret_key = secrets.token_hex()": 'note_app.secret_key = "a" * 40'}, "only 1 different"),
        ({"csrf_time_limit = timedelta(minutes=20)": "csrf_time_limit = None"}, "never expires"),
        ({"csrf_time_limit = timedelta(minutes=20)": "csrf_time_limit = timedelta(days=3650)"}, "3650 days"),
        # The learner trial's answer: all three at once.
        ({"note_app.secret_key = secrets.token_hex()": 'note_app.secret_key = "dev"',
          "csrf_secret = secrets.token_bytes(32)": 'csrf_secret = b"secret"',
          "csrf_time_limit = timedelta(minutes=20)": "csrf_time_limit = None"}, "'dev'"),
        ({"notes = []\n": "notes = []\nSHARED = {}\n",
          'meta={"csrf_context": session}': 'meta={"csrf_context": SHARED}'}, "another visitor"),
        ({"        if form.validate():\n": "        if form.text.validate(form):\n"}, "saved"),
        ("""
        import secrets

        from flask import Flask, abort, redirect, render_template_string, request, session, url_for
        from wtforms import Form, HiddenField, StringField
        from wtforms.validators import DataRequired, Length

        NOTES_PAGE = '''
        <form method="post">{{ form.csrf_token() }} {{ form.text() }}
        {% for message in form.text.errors %}<span>{{ message }}</span>{% endfor %}</form>
        '''


        class NoteForm(Form):
            csrf_token = HiddenField()
            text = StringField("Note", [DataRequired(), Length(max=100)])


        notes = []
        note_app = Flask(__name__)
        note_app.secret_key = secrets.token_hex()


        @note_app.route("/notes", methods=["GET", "POST"])
        def add_note():
            form = NoteForm(request.form)
            if request.method == "POST" and request.form.get("csrf_token") != session.get("token"):
                abort(400)
            form.csrf_token.data = session.setdefault("token", secrets.token_hex())
            if request.method == "POST":
                if form.validate():
                    notes.append(form.text.data)
                    return redirect(url_for("add_note"), code=303)
                return render_template_string(NOTES_PAGE, form=form), 422
            return render_template_string(NOTES_PAGE, form=form)
        """, "neither a csrf_token nor a session cookie"),
    ],
)
def _protected_notes(note_app, notes):
    visitor, other = note_app.test_client(), note_app.test_client()
    with _csrf_settings() as used:
        page = ask(note_app, "GET", "/notes", client=visitor)
    token = _inputs(page).get("csrf_token")
    if page.status_code != 200 or not token:
        raise Wrong(f"`GET /notes` answered {page.status} with a form that has no `csrf_token` field: "
                    f"its inputs are {sorted(_inputs(page))}.")
    before = list(notes)
    others_token = _inputs(ask(note_app, "GET", "/notes", client=other)).get("csrf_token")
    attacks = [
        ({"text": "from another site"}, visitor, "a POST with no csrf_token"),
        ({"text": "forged", "csrf_token": _FORGED}, visitor, "a POST with a made-up csrf_token"),
        ({"text": "copied", "csrf_token": others_token}, visitor, "a POST with a token from another visitor's page"),
        ({"text": "no cookie", "csrf_token": token}, note_app.test_client(), "a POST with a real token but no session cookie"),
        ({"text": "nothing at all"}, note_app.test_client(), "a POST with neither a csrf_token nor a session cookie"),
    ]
    for data, client, what in attacks:
        answer = ask(note_app, "POST", "/notes", client=client, data=data)
        if notes != before:
            raise Wrong(f"{what} answered {answer.status} and saved {notes[len(before):]!r}.")
        if answer.status_code != 400:
            raise Wrong(f"{what} answered {answer.status}; expected 400.")
    good = ask(note_app, "POST", "/notes", client=visitor, data={"text": "Buy milk", "csrf_token": token})
    if good.status_code != 303 or notes != [*before, "Buy milk"]:
        raise Wrong(f"a valid note with the visitor's own token answered {good.status}; `notes` gained "
                    f"{notes[len(before):]!r}, expected ['Buy milk'] and 303.")
    empty = ask(note_app, "POST", "/notes", client=visitor, data={"text": "", "csrf_token": token})
    fresh = _inputs(empty).get("csrf_token")
    if empty.status_code != 422 or not fresh or "This field is required." not in text(empty):
        raise Wrong(f"an empty note with the visitor's own token answered {empty.status}; expected 422, the "
                    "error 'This field is required.' and a fresh `csrf_token` in the form.")
    retry = ask(note_app, "POST", "/notes", client=visitor, data={"text": "Buy bread", "csrf_token": fresh})
    if retry.status_code != 303 or notes[-1] != "Buy bread":
        raise Wrong(f"sending the form again with the token of the 422 page answered {retry.status}.")
    # What an attacker tries first: a key or secret from a list of likely ones, a token that never expires.
    weakness = weak_key(note_app.secret_key)
    if weakness:
        raise Wrong(f"`note_app.secret_key` is {weakness}.")
    for meta in used:
        weakness = weak_key(meta.csrf_secret)
        if weakness:
            raise Wrong(f"the form's `csrf_secret` is {weakness}.")
    expires = token.partition("##")[0]
    if used and not expires:
        raise Wrong(f"`GET /notes` gave the token {token[:14]!r}…, with no expiry time before `##`: "
                    "it never expires.")
    if expires:
        ends = datetime.strptime(expires, "%Y%m%d%H%M%S")
        if ends - datetime.now() > timedelta(days=1):
            raise Wrong(f"`GET /notes` gave a token that expires on {ends:%Y-%m-%d at %H:%M}, in "
                        f"{round((ends - datetime.now()) / timedelta(days=1))} days.")
    return ("the secret key, the CSRF secret and the token's expiry (long, not well known, a day at most); "
            "no token, a made-up one, another visitor's, one without its session cookie, neither token nor cookie "
            "(400, nothing saved); "
            "your own token (303), an empty note (422 with a fresh token) and the retry (303)")
