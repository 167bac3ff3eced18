"""A read-only JSON API over the notes (chapter 7): pages, one note, 400 and 404 in JSON."""

import re

from flask import Blueprint, abort, request, url_for

from .models import Note, User

bp = Blueprint("api", __name__)
MAX_PER_PAGE = 50


def note_json(note):
    """What the API shows of a note: never anything about the author but the name."""
    attachment = None
    if note.file_name:
        attachment = {
            "name": note.file_name,
            "kind": note.file_kind,
            "size": note.file_size,
            "url": url_for("notes.download", note_id=note.id),
        }
    return {
        "id": note.id,
        "title": note.title,
        "body": note.body,
        "author": note.author.name,
        "attachment": attachment,
        "url": url_for("api.get_note", note_id=note.id),
    }


def whole_number(name, default, lowest, highest):
    """A query parameter that must be a whole number in a range; anything else is a 400."""
    text = request.args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text) or not lowest <= int(text) <= highest:
        abort(400, f"{name} must be a whole number from {lowest} to {highest}")
    return int(text)


@bp.get("/notes")
def list_notes():
    page = whole_number("page", 1, 1, 10**6)
    per_page = whole_number("per_page", 10, 1, MAX_PER_PAGE)
    query = Note.select(Note, User).join(User).order_by(Note.id.desc())
    if author := request.args.get("author"):
        query = query.where(User.name == author)
    return {
        "page": page,
        "per_page": per_page,
        "total": query.count(),
        "notes": [note_json(note) for note in query.paginate(page, per_page)],
    }


@bp.get("/notes/<id:note_id>")
def get_note(note_id):
    note = Note.select(Note, User).join(User).where(Note.id == note_id).first()
    if note is None:
        abort(404, f"no note with id {note_id}")
    return note_json(note)
