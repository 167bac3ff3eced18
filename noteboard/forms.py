"""The forms: WTForms with session CSRF (chapter 5), set up from the current app."""

from datetime import timedelta

from flask import abort, current_app, request, session
from werkzeug.datastructures import CombinedMultiDict, FileStorage
from wtforms import BooleanField, FileField, Form, PasswordField, StringField, TextAreaField
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import DataRequired, Length, ValidationError

from .uploads import Refused, inspect_upload


def form_data(*file_fields):
    """What a form reads: the posted fields and files together, or None for a GET (an empty form).

    ``file_fields`` names the fields that may arrive as files. A browser sends every other field
    as text, so a file under any other name is a forged request: 400, before a validator can
    stumble over a FileStorage where it expects a string.
    """
    if request.method != "POST":
        return None
    unexpected = sorted(set(request.files) - set(file_fields))
    if unexpected:
        abort(400, f"Form refused: {', '.join(unexpected)} arrived as a file, but only text is accepted there.")
    return CombinedMultiDict((request.files, request.form))


class SecureForm(Form):
    """A form with a CSRF token bound to Flask's session: what Flask-WTF's FlaskForm sets up for you."""

    class Meta:
        csrf = True
        csrf_class = SessionCSRF

        # Read when a form is made, so every form uses the app that is handling the request.
        @property
        def csrf_secret(self):
            return current_app.config["SECRET_KEY"].encode()  # a str: create_app checks it

        @property
        def csrf_context(self):
            return session

        @property
        def csrf_time_limit(self):
            return timedelta(seconds=current_app.config["CSRF_TIME_LIMIT"])

    def validate_on_submit(self):
        """True for a valid POST. A POST whose CSRF token is missing or wrong is refused with 400."""
        if request.method != "POST":
            return False
        valid = self.validate()
        if "csrf_token" in self.errors:
            abort(400, f"Form refused: {self.errors['csrf_token'][0]} Reload the page and try again.")
        return valid


class LoginForm(SecureForm):
    name = StringField("Name", [DataRequired(), Length(max=40)])
    password = PasswordField("Password", [DataRequired()])
    remember = BooleanField("Remember me")


class NoteForm(SecureForm):
    title = StringField("Title", [DataRequired(), Length(max=80)])
    body = TextAreaField("Text", [Length(max=2000)])
    attachment = FileField("Attachment (.png or .txt, optional)")

    def validate_attachment(form, field):
        """An optional file; when there is one, it must pass the upload checks."""
        form.checked = None
        if not field.data:  # no file chosen: the browser sends an empty part
            return
        if not isinstance(field.data, FileStorage):  # sent without enctype: only the name came
            raise ValidationError("No file arrived: the form must be sent as multipart/form-data.")
        try:
            form.checked = inspect_upload(field.data)
        except Refused as refused:
            raise ValidationError(str(refused)) from None


class ConfirmForm(SecureForm):
    """No fields but the CSRF token: for buttons that change something (log out, delete)."""
