"""Logging in and out (chapter 6): hashed passwords, a fresh session at login, sessions that end
at log-out, limited attempts, flash messages."""

import functools

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .forms import ConfirmForm, LoginForm, form_data
from .models import User
from .throttle import hashing_slot

bp = Blueprint("auth", __name__)


@functools.cache
def dummy_hash(method):
    """A hash to check unknown names against, so that they take as long as a wrong password."""
    return generate_password_hash("no user has this password", method=method)


@bp.before_app_request
def load_user():
    """Put the logged-in user, or None, in g.user for every view and template."""
    user_id = session.get("user_id")
    user = User.get_or_none(User.id == user_id) if user_id is not None else None
    if user is not None and session.get("generation") != user.session_generation:
        session.clear()  # made before a log-out or a new password: that session has ended
        user = None
    g.user = user


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


def password_matches(user, password):
    """Check a password against the user's hash, or a dummy one; at most a few hashes at a time."""
    with hashing_slot():  # the dummy hash too: the first unknown names all make one at once
        stored = user.password_hash if user else dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
        return check_password_hash(stored, password) and user is not None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(form_data())
    if form.validate_on_submit():
        user = User.get_or_none(User.name == form.name.data)
        if password_matches(user, form.password.data):
            session.clear()  # nothing from before the login carries over
            session["user_id"] = user.id
            session["generation"] = user.session_generation
            session.permanent = form.remember.data
            flash(f"Welcome, {user.name}!")
            return redirect(url_for("notes.index"), 303)
        # 422 like any form that did not pass: 401 would promise HTTP authentication
        # (RFC 9110 requires a WWW-Authenticate challenge with it), and a login form is not that.
        return render_template("auth/login.html", form=form, error="Wrong name or password."), 422
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if ConfirmForm(form_data()).validate_on_submit():
        if g.user is not None:  # end every session of this user, copies of this cookie included
            User.update(session_generation=User.session_generation + 1).where(User.id == g.user.id).execute()
        session.clear()
        flash("You are logged out.")
    return redirect(url_for("notes.index"), 303)


def account_name():
    """The name a login attempt is for: the key of the per-account limit."""
    return request.form.get("name", "")[:64] or "(no name)"


def limit_logins(app, limiter):
    """Count POST /login per client address and per account name; past either limit, 429."""
    # Limits read the config when a request comes, so a test or the notebook may change them.
    view = app.view_functions["auth.login"]
    view = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=account_name, methods=["POST"],
        scope="account", error_message="Too many log-in attempts for this name. Try again later.",
    )(view)
    view = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_CLIENT"], methods=["POST"],
        scope="client", error_message="Too many log-in attempts from your address. Try again later.",
    )(view)
    app.view_functions["auth.login"] = view
