"""Checks for an uploaded file, as chapter 8 makes them: the name, the extension, then the content."""

from werkzeug.utils import secure_filename

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALLOWED = ("png", "txt")


class Refused(ValueError):
    """An upload the app will not store; the message says why."""


def content_matches(data, kind):
    """True when the bytes hold what a file of this kind holds."""
    if kind == "png":
        return data.startswith(PNG_SIGNATURE)
    if kind == "txt":
        try:
            return "\x00" not in data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return False


def inspect_upload(storage):
    """Check one FileStorage; return (safe name, kind, bytes) or raise Refused."""
    if "/" in storage.filename or "\\" in storage.filename:
        raise Refused("A file name must not contain a path.")
    name = secure_filename(storage.filename)
    if not name:
        raise Refused("The file name has no usable characters.")
    kind = name.rpartition(".")[2].lower() if "." in name else ""
    if kind not in ALLOWED:
        raise Refused(f"Only {' and '.join('.' + k for k in ALLOWED)} files are allowed.")
    data = storage.read()
    if not data:
        raise Refused(f"{name} is empty.")
    if not content_matches(data, kind):
        raise Refused(f"{name} does not contain what a .{kind} file contains.")
    return name, kind, data


def save_new(folder, name, data):
    """Write data to folder/name; mode "xb" refuses to replace a file that is there."""
    with open(folder / name, "xb") as out:
        out.write(data)
