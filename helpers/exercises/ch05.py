"""Exercises of chapter 5: validators, a custom validator, POST/redirect/GET, a CSRF-protected submit."""

from datetime import timedelta

import requests
from flask import Flask, redirect, render_template_string, request, session, url_for
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import InputRequired

from ..server import serve
from . import Wrong, exercise


def _errors(form_class, data):
    """Validate ``data`` with a fresh ``form_class``; return its errors (empty when valid)."""
    form = form_class(MultiDict(data))
    form.validate()
    return form.errors


@exercise(
    "5.1",
    title="The right validators",
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
        "`capacity=0` is refused with 'This field is required.' because `DataRequired` looks at the "
        "converted value, and `0` is falsy. `InputRequired` only asks whether something was typed.",
        "A room of only spaces gets through `InputRequired` (spaces are input). `DataRequired` "
        "treats a string of only spaces as empty, which is what you want for a name.",
        "The length limit is one more validator in the list: `Length(max=30)`.",
    ],
    args="RoomForm",
    setup="""
        from wtforms import Form, IntegerField, StringField
        from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
    """,
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
    ]
    for data, field, what in must_fail:
        if field not in _errors(RoomForm, data):
            raise Wrong(f"{what} is accepted; `{field}` should get an error message.")
    if not RoomForm().capacity.flags.required:
        missing = _errors(RoomForm, {"room": "Lab"})["capacity"]
        raise Wrong(
            f"a missing capacity is refused only by the range check ({missing}), so the user is not "
            "told the field is required and the input has no `required` attribute. Add `InputRequired()`."
        )


@exercise(
    "5.2",
    title="A custom validator",
    task="""
        Write `not_reserved(form, field)`, a validator that refuses the user
        names in `RESERVED`, whatever their case (`Admin` is refused too),
        with the message `That name is reserved.` Any other name passes.
    """,
    source="""
        RESERVED = {"admin", "root", "flask"}


        def not_reserved(form, field):
            ### BEGIN SOLUTION
            if field.data.lower() in RESERVED:
                raise ValidationError("That name is reserved.")
            ### STARTER
            if field.data in RESERVED:
                return False
            ### END SOLUTION
    """,
    hints=[
        "WTForms ignores what a validator returns. To refuse a value, `raise ValidationError(\"...\")`; "
        "the message you give it is what the form shows.",
        "Compare in lower case: `field.data.lower() in RESERVED`.",
        "Raise `ValidationError`, not `ValueError`: WTForms turns only `ValidationError` (and "
        "`StopValidation`) into a message; any other exception escapes from `validate()`.",
    ],
    args="not_reserved",
    setup="""
        from wtforms.validators import ValidationError
    """,
)
def _custom_validator(not_reserved):
    class SignUp(Form):
        username = StringField("User name", [InputRequired(), not_reserved])

    def errors_for(name):
        try:
            return _errors(SignUp, {"username": name}).get("username", [])
        except ValueError as error:
            raise Wrong(
                f"`validate()` crashed with `ValueError: {error}` for {name!r}. "
                "Raise `ValidationError` instead, so the form shows the message."
            ) from None

    if errors_for("admin") == []:
        raise Wrong("'admin' is accepted. Returning a value does nothing: raise `ValidationError`.")
    if errors_for("admin") != ["That name is reserved."]:
        raise Wrong(f"for 'admin' the form says {errors_for('admin')}; it should say ['That name is reserved.'].")
    for name in ("Admin", "ROOT", "Flask"):
        if errors_for(name) == []:
            raise Wrong(f"{name!r} is accepted; compare in lower case so every spelling is refused.")
    for name in ("ada", "grace", "administrator", "flasky"):
        if errors_for(name):
            raise Wrong(f"{name!r} is refused with {errors_for(name)}; only the names in RESERVED should be.")


_TOO_LONG = ("a note that is far too long to keep " * 3)[:101]


@exercise(
    "5.3",
    title="POST, redirect, GET",
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
        "After `notes.append(...)`, return `redirect(url_for(\"add_note\"), code=303)` instead of "
        "rendering the page.",
        "`redirect` answers 302 unless you pass `code=303`. 303 See Other says plainly: "
        "fetch the result with a GET.",
        "For an invalid POST, return the rendered page with a status: "
        "`return render_template_string(NOTES_PAGE, form=form, notes=notes), 422`. "
        "Do not redirect then: the form (with the user's text and the errors) would be lost.",
    ],
    args="note_app, notes",
    setup="""
        from flask import Flask, redirect, render_template_string, request, url_for
        from wtforms import Form, StringField
        from wtforms.validators import DataRequired, Length
    """,
)
def _post_redirect_get(note_app, notes):
    client = note_app.test_client()
    before = len(notes)
    saved = client.post("/notes", data={"text": "Buy milk"})
    if saved.status_code == 200:
        raise Wrong("a valid POST answers 200 with a page: reloading it would post the note again. Redirect instead.")
    if saved.status_code == 500:
        raise Wrong(
            "a valid POST crashed with 500 Internal Server Error; the traceback printed above says why. "
            "(A common cause: `url_for` takes the name of the view function, `url_for(\"add_note\")`.)"
        )
    if saved.status_code == 302:
        raise Wrong("a valid POST answers 302; pass `code=303` to `redirect` so it says 'See Other'.")
    if saved.status_code != 303:
        raise Wrong(f"a valid POST answers {saved.status}; it should be 303 See Other.")
    if not saved.headers.get("Location", "").endswith("/notes"):
        raise Wrong(f"the redirect goes to {saved.headers.get('Location')!r}; it should go to /notes.")
    if len(notes) != before + 1:
        raise Wrong(f"one valid POST added {len(notes) - before} notes; it should add exactly one.")
    page = client.get("/notes")
    if "Buy milk" not in page.get_data(as_text=True):
        raise Wrong("after the redirect, `GET /notes` does not list the saved note.")
    for data, what, message in [
        ({"text": ""}, "an empty note", "This field is required."),
        ({"text": _TOO_LONG}, "a note of 101 characters", "Field cannot be longer than 100 characters."),
    ]:
        refused = client.post("/notes", data=data)
        html = refused.get_data(as_text=True)
        if refused.status_code in (302, 303):
            raise Wrong(f"{what} is answered with a redirect: the user's text and the error are lost. Render the form again.")
        if refused.status_code != 422:
            raise Wrong(f"{what} answers {refused.status}; it should be 422 with the form rendered again.")
        if message not in html:
            raise Wrong(f"the page for {what} does not show the error {message!r}.")
        if data["text"] and data["text"] not in html:
            raise Wrong(f"the page for {what} lost the text the user typed; render `form.text()` again.")
    if len(notes) != before + 1:
        raise Wrong("an invalid POST saved a note; save only when `form.validate()` is true.")


class _CSRFCheckForm(Form):
    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_secret = b"exercise-5.4-secret"
        csrf_time_limit = timedelta(minutes=5)

    name = StringField("Name", [InputRequired()])


def _rsvp_app(guests):
    """A small CSRF-protected app: GET shows the form, a valid POST redirects."""
    app = Flask(__name__)
    app.secret_key = "exercise-5.4-session-key"

    @app.route("/rsvp", methods=["GET", "POST"])
    def rsvp():
        form = _CSRFCheckForm(request.form, meta={"csrf_context": session})
        if request.method == "POST":
            if form.validate():
                guests.append(form.name.data)
                return redirect(url_for("rsvp"), code=303)
            if "csrf_token" in form.errors:
                return f"Form refused: {form.errors['csrf_token'][0]}", 400
            return "Form refused: fill in the name.", 422
        return render_template_string(
            '<form method="post" action="{{ url_for(\'rsvp\') }}">{{ form.csrf_token }}'
            "{{ form.name.label }} {{ form.name() }}<button>Send</button></form>",
            form=form,
        )

    return app


@exercise(
    "5.4",
    title="Send a protected form like a browser",
    task="""
        Write `send_form(http, url, answers)`. `http` is a `requests.Session`,
        `url` the address of a page with a CSRF-protected form, `answers` a
        dict such as `{"name": "Ada"}`. Do what a browser does: load the page,
        read its form with `FormReader`, and POST the form's hidden fields
        together with `answers` to the form's `action`. Return the response.
    """,
    source="""
        def send_form(http, url, answers):
            ### BEGIN SOLUTION
            page = http.get(url)
            form = FormReader(page.text)
            return http.post(urljoin(page.url, form.action), data={**form.inputs, **answers})
            ### STARTER
            return http.post(url, data=answers)
            ### END SOLUTION
    """,
    hints=[
        "The server refused the POST because no `csrf_token` came with it. GET the page first "
        "and read the token with `FormReader(page.text).inputs`.",
        "Send the hidden fields and the answers together: `data={**form.inputs, **answers}`.",
        "Use `http` (the session) for both the GET and the POST. `requests.get` and `requests.post` "
        "start with no cookies, so the token does not match any session.",
        "The POST goes to the form's `action`; `urljoin(page.url, form.action)` turns it into a "
        "full URL.",
    ],
    args="send_form",
    setup="""
        from html.parser import HTMLParser
        from urllib.parse import urljoin

        import requests


        class FormReader(HTMLParser):
            def __init__(self, html):
                super().__init__()
                self.method = self.action = None
                self.inputs = {}
                self.feed(html)

            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "form" and self.method is None:
                    self.method = attrs.get("method", "get").lower()
                    self.action = attrs.get("action", "")
                elif tag == "input" and "name" in attrs:
                    self.inputs[attrs["name"]] = attrs.get("value") or ""
    """,
)
def _send_like_a_browser(send_form):
    guests = []
    with serve(_rsvp_app(guests), name="exercise-5.4") as server, requests.Session() as http:
        try:
            response = send_form(http, server.url + "/rsvp", {"name": "Ada"})
        except requests.exceptions.MissingSchema as error:
            raise Wrong(
                f"`requests` said: {error} The form's `action` is only a path; make it a full "
                "address with `urljoin(page.url, form.action)`."
            ) from None
        if not isinstance(response, requests.Response):
            raise Wrong(f"`send_form` returned {type(response).__name__}; return the response of the POST.")
        text = response.text
        if "CSRF token missing" in text:
            raise Wrong("the server answered 400 'CSRF token missing.': the POST carried no csrf_token.")
        if "CSRF failed" in text:
            raise Wrong(
                "the server answered 400 'CSRF failed.': the token belongs to another session. "
                "Send the GET and the POST through the same `http` session."
            )
        if response.status_code == 422:
            raise Wrong(
                "the token was right, but the name did not arrive. `form.inputs` holds the form's empty "
                "`name` box too, so send both with the answers last: `data={**form.inputs, **answers}`."
            )
        if response.status_code >= 400:
            raise Wrong(f"the POST was answered {response.status_code}: {text[:80]!r}.")
        if guests != ["Ada"]:
            raise Wrong(f"the server saved {guests}; the answers {{'name': 'Ada'}} did not arrive.")
