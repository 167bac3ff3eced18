"""The site's pages: the board, one note, a new note with an optional file, downloads, deleting."""

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, send_from_directory, url_for

from .auth import login_required
from .forms import ConfirmForm, NoteForm, form_data
from .models import Note, User, db, new_stored_name
from .uploads import save_new

bp = Blueprint("notes", __name__)


def upload_folder():
    return Path(current_app.instance_path) / "uploads"


def note_or_404(note_id):
    note = Note.select(Note, User).join(User).where(Note.id == note_id).first()
    if note is None:
        abort(404, f"There is no note {note_id}.")
    return note


@bp.get("/")
def index():
    newest = Note.select(Note, User).join(User).order_by(Note.id.desc())
    return render_template("notes/index.html", notes=newest.limit(current_app.config["NOTES_PER_PAGE"]))


@bp.route("/notes/new", methods=["GET", "POST"])
@login_required
def new_note():
    form = NoteForm(form_data("attachment"))
    if form.validate_on_submit():
        name, kind, data = form.checked or (None, None, b"")
        stored = new_stored_name(kind) if name else None
        if stored:
            save_new(upload_folder(), stored, data)
        try:
            note = Note.create(
                author=g.user,
                title=form.title.data,
                body=form.body.data or "",  # a form sent without the field gives None
                file_name=name,
                file_kind=kind,
                file_size=len(data) if name else None,
                stored_name=stored,
            )
        except Exception:  # no row, so no file either: the table never misses a file, nor the disk a row
            if stored:
                (upload_folder() / stored).unlink(missing_ok=True)
            raise
        flash("Note saved.")
        return redirect(url_for("notes.show", note_id=note.id), 303)
    return render_template("notes/new_note.html", form=form), 422 if form.errors else 200


@bp.get("/notes/<id:note_id>")
def show(note_id):
    return render_template("notes/note.html", note=note_or_404(note_id), delete_form=ConfirmForm())


@bp.get("/notes/<id:note_id>/file")
def download(note_id):
    note = note_or_404(note_id)
    if not note.file_name:
        abort(404, f"Note {note_id} has no file.")
    # The app adds X-Content-Type-Options: nosniff to every response, this one included.
    return send_from_directory(upload_folder(), note.stored_name, as_attachment=True, download_name=note.file_name)


@bp.post("/notes/<id:note_id>/delete")
@login_required
def delete(note_id):
    ConfirmForm(form_data()).validate_on_submit()  # a missing or wrong CSRF token: 400
    note = note_or_404(note_id)
    if note.author_id != g.user.id:
        abort(403, "Only the author can delete a note.")
    with db.atomic():
        note.delete_instance()
        if note.stored_name:
            (upload_folder() / note.stored_name).unlink(missing_ok=True)
    flash(f"Deleted {note.title!r}.")
    return redirect(url_for("notes.index"), 303)
