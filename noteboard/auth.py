"""Logging in and out (chapter 6): hashed passwords, a fresh session at login, flash messages."""

import functools

from flask import Blueprint, current_app, flash, g, redirect, render_template, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .forms import ConfirmForm, LoginForm, form_data
from .models import User

bp = Blueprint("auth", __name__)


@functools.cache
def dummy_hash(method):
    """A hash to check unknown names against, so that they take as long as a wrong password."""
    return generate_password_hash("no user has this password", method=method)


@bp.before_app_request
def load_user():
    """Put the logged-in user, or None, in g.user for every view and template."""
    user_id = session.get("user_id")
    g.user = User.get_or_none(User.id == user_id) if user_id is not None else None


@bp.app_context_processor
def logout_form():
    """Every page shows a log-out button to a member; the button is a form with a CSRF token."""
    return {"logout_form": ConfirmForm() if g.get("user") else None}


def login_required(view):
    """Let the view run for a logged-in member; send anybody else to the login page."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if g.user is None:
            flash("Please log in first.", "error")
            return redirect(url_for("auth.login"), 302)
        return view(*args, **kwargs)

    return wrapper


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(form_data())
    if form.validate_on_submit():
        user = User.get_or_none(User.name == form.name.data)
        stored = user.password_hash if user else dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
        if check_password_hash(stored, form.password.data) and user is not None:
            session.clear()  # nothing from before the login carries over
            session["user_id"] = user.id
            session.permanent = form.remember.data
            flash(f"Welcome, {user.name}!")
            return redirect(url_for("notes.index"), 303)
        return render_template("auth/login.html", form=form, error="Wrong name or password."), 401
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if ConfirmForm(form_data()).validate_on_submit():
        session.clear()
        flash("You are logged out.")
    return redirect(url_for("notes.index"), 303)

