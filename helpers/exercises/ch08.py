"""Exercises of chapter 8: every file of a field, magic bytes, no overwrite, a size limit, FileField."""

import io

from werkzeug.datastructures import FileStorage

from ..paths import ROOT
from ..scratch import scratch
from . import Wrong, exercise

SAMPLES = ROOT / "data" / "uploads"


def _sample(name):
    return (SAMPLES / name).read_bytes()


def _json(response, what):
    """The JSON body of a test-client response, or a Wrong that says what came instead."""
    if response.status_code == 500:
        raise Wrong(f"{what} failed inside your view (500 Internal Server Error); the traceback printed above says why.")
    if not response.is_json:
        raise Wrong(f"{what} answered {response.content_type!r}, not JSON. Return a dict from the view.")
    return response.get_json()


@exercise(
    "8.1",
    title="Every file of the field",
    task="""
        A form has `<input type="file" name="photos" multiple>`, so one field
        can carry several files. Fix the view of `count_app` so that
        `POST /count` answers `{"names": [...]}` with the file name of
        **every** file sent in `photos`, in the order they were sent, and
        `{"names": []}` when the field holds no file at all.
    """,
    source="""
        from flask import Flask, request

        count_app = Flask("count")


        @count_app.post("/count")
        def count():
            ### BEGIN SOLUTION
            return {"names": [photo.filename for photo in request.files.getlist("photos")]}
            ### STARTER
            photo = request.files["photos"]
            return {"names": [photo.filename]}
            ### END SOLUTION
    """,
    hints=[
        '`request.files["photos"]` gives only the first file of the field. '
        '`request.files.getlist("photos")` gives a list of every `FileStorage` in it.',
        "`getlist` returns an empty list for a field that is missing, where `[...]` raises "
        "a `KeyError` that Flask answers with 400 Bad Request.",
    ],
    args="count_app",
)
def _every_file(count_app):
    client = count_app.test_client()
    sent = ["one.txt", "two.txt", "three.txt"]
    files = [(io.BytesIO(name.encode()), name) for name in sent]
    response = client.post("/count", data={"photos": files})
    if response.status_code in (404, 405):
        raise Wrong(f"`POST /count` answers {response.status}: keep the route `@count_app.post(\"/count\")`.")
    if response.status_code == 500:
        raise Wrong(
            "with three files in `photos` the view failed (500; the traceback above says why). A `FileStorage` "
            "cannot become JSON: answer its name, `photo.filename`, inside a dict."
        )
    if response.status_code != 200:
        raise Wrong(f"with three files in `photos`, `POST /count` answers {response.status}; it should be 200 OK.")
    body = _json(response, "`POST /count`")
    if not isinstance(body, dict):
        raise Wrong(f'`POST /count` answered {body!r}; it should answer a dict: {{"names": [...]}}.')
    names = body.get("names")
    if names == sent[:1]:
        raise Wrong(
            "three files were sent in `photos`, but only the first name came back: "
            '`request.files["photos"]` (and `.get`, `.values()`) give only the first file of a field.'
        )
    if names != sent:
        raise Wrong(f"three files were sent in `photos` and the answer was {names!r}; it should be {sent!r}.")
    response = client.post("/count", data={"title": "no photos"}, content_type="multipart/form-data")
    if response.status_code == 400:
        raise Wrong(
            "with no file in `photos` the view answers 400 Bad Request: "
            '`request.files["photos"]` raises a `KeyError` when the field is missing.'
        )
    if response.status_code != 200 or _json(response, "`POST /count`") != {"names": []}:
        raise Wrong(f"with no file in `photos` the answer should be {{\"names\": []}} with 200 OK, not {response.status}.")


@exercise(
    "8.2",
    title="Teach the checker about GIF",
    task="""
        Extend the content check to GIF images. Every GIF file starts with the
        six bytes `GIF87a` or `GIF89a` (two versions of the format). Finish
        `looks_like(data, extension)` so that for `"gif"` it returns `True`
        only when `data` starts with one of them. For every other extension
        it keeps what `content_matches` from the chapter says.
    """,
    source="""
        ### BEGIN SOLUTION
        GIF_SIGNATURES = (b"GIF87a", b"GIF89a")


        ### STARTER
        ### END SOLUTION
        def looks_like(data, extension):
            \"\"\"True when data holds what a file named *.extension should hold.\"\"\"
            if extension == "gif":
                ### BEGIN SOLUTION
                return data.startswith(GIF_SIGNATURES)
                ### STARTER
                return True  # replace: look at the first bytes of data
                ### END SOLUTION
            return content_matches(data, extension)
    """,
    hints=[
        "The name and the `extension` came from the client and prove nothing; only the first "
        "bytes of `data` tell what the file is.",
        '`bytes.startswith` takes a tuple and is true when any of them matches: '
        '`data.startswith((b"GIF87a", b"GIF89a"))`.',
        'The signature is bytes, so compare with `b"GIF89a"`, not `"GIF89a"`, and mind the '
        "capitals: `GIF`, lower-case `a`.",
    ],
    args="looks_like",
    setup="""
        PNG_SIGNATURE = b"\\x89PNG\\r\\n\\x1a\\n"


        def content_matches(data, extension):
            if extension == "png":
                return data.startswith(PNG_SIGNATURE)
            if extension == "txt":
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    return False
                return "\\x00" not in text
            return False
    """,
)
def _gif(looks_like):
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    old_gif = b"GIF87a" + gif[6:]
    fake = _sample("not-a-picture.png")
    png = _sample("pixel.png")
    cases = [
        (gif, "gif", True, "a real GIF89a file was refused"),
        (old_gif, "gif", True, "a real GIF87a file was refused: there are two signatures"),
        (fake, "gif", False, "an HTML file named .gif was accepted; its first bytes are `<!doctype`"),
        (png, "gif", False, "a PNG named .gif was accepted; its first bytes are the PNG signature"),
        (b"", "gif", False, "an empty file named .gif was accepted"),
        (b"gif89a...", "gif", False, "`gif89a` in lower case was accepted; the signature is `GIF89a`"),
        (b"<!doctype html><p>GIF89a</p>", "gif", False,
         "an HTML file with `GIF89a` in its text was accepted; the signature must be the very first bytes"),
        (b"GIF88a" + gif[6:], "gif", False, "a file starting `GIF88a` was accepted; only `GIF87a` and `GIF89a` are GIF"),
        (png, "png", True, "a real PNG was refused: keep `content_matches` for the other extensions"),
        (fake, "png", False, "not-a-picture.png was accepted: keep `content_matches` for the other extensions"),
        (_sample("notes.txt"), "txt", True, "notes.txt was refused: keep `content_matches` for the other extensions"),
    ]
    for data, extension, expected, problem in cases:
        answer = looks_like(data, extension)
        if not isinstance(answer, bool):
            raise Wrong(f"`looks_like` returned {answer!r}; it should return `True` or `False`.")
        if answer != expected:
            raise Wrong(f"{problem}.")


@exercise(
    "8.3",
    title="Keep both files",
    task="""
        Write `save_without_overwrite(storage, folder)`. It stores the
        uploaded `FileStorage` in `folder` under its `secure_filename` and
        returns the name it used. When that name is taken it must not replace
        the old file: it tries `notes-1.txt`, then `notes-2.txt`, and so on,
        and uses the first free one. Open the file with mode `"xb"` so that
        the check for a free name and the creation are one step.
    """,
    source="""
        from pathlib import Path

        from werkzeug.utils import secure_filename


        def save_without_overwrite(storage, folder):
            name = secure_filename(storage.filename)
            ### BEGIN SOLUTION
            stem, suffix = Path(name).stem, Path(name).suffix
            candidate, number = name, 0
            while True:
                try:
                    with open(Path(folder) / candidate, "xb") as out:
                        storage.save(out)
                    return candidate
                except FileExistsError:
                    number += 1
                    candidate = f"{stem}-{number}{suffix}"
            ### STARTER
            storage.save(Path(folder) / name)
            return name
            ### END SOLUTION
    """,
    hints=[
        '`storage.save(path)` opens the path with mode `"wb"`, which empties an existing file. '
        'Mode `"xb"` creates the file and raises `FileExistsError` when it is already there.',
        '`FileStorage.save` also accepts an open file: `with open(path, "xb") as out: storage.save(out)`.',
        '`Path("notes.txt").stem` is `"notes"` and `.suffix` is `".txt"`; build '
        '`f"{stem}-{number}{suffix}"` in a loop until opening with `"xb"` succeeds.',
    ],
    args="save_without_overwrite",
)
def _keep_both(save_without_overwrite):
    root = scratch("08-exercise-8.3")
    folder = root / "site" / "inbox"  # so that ../../ still lands inside root, where the check sees it
    folder.mkdir(parents=True)
    contents = [b"first version\n", b"second version\n", b"third version\n"]
    names = []
    for data in contents:
        name = save_without_overwrite(FileStorage(io.BytesIO(data), filename="notes.txt"), folder)
        names.append(name)
    if names[0] != "notes.txt":
        raise Wrong(f"the first notes.txt was saved as {names[0]!r}; a free name is kept as it is.")
    if (folder / "notes.txt").read_bytes() != contents[0]:
        raise Wrong("the second upload of notes.txt replaced the first one: the old content is gone.")
    if names != ["notes.txt", "notes-1.txt", "notes-2.txt"]:
        raise Wrong(f"three uploads of notes.txt returned {names!r}; expected ['notes.txt', 'notes-1.txt', 'notes-2.txt'].")
    for name, data in zip(names, contents):
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            raise Wrong(f"{name} should hold {data!r}, the content of the upload that got that name.")
    evil = save_without_overwrite(FileStorage(io.BytesIO(b"print('hi')\n"), filename="../../evil.txt"), folder)
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    if written != sorted(f"site/inbox/{n}" for n in [*names, "evil.txt"]) or evil != "evil.txt":
        raise Wrong(
            f"after uploading '../../evil.txt' the files are {written!r}: pass the name through "
            "`secure_filename` so that nothing lands outside the folder."
        )


@exercise(
    "8.4",
    title="A size limit with a clear answer",
    task="""
        Make `small_app` refuse request bodies larger than **1024 bytes**.
        A body over the limit must get status 413 with a JSON answer such as
        `{"error": "upload larger than 1024 bytes"}` instead of Flask's HTML
        error page. Smaller uploads keep working.
    """,
    source="""
        from flask import Flask, request

        small_app = Flask("small")
        ### BEGIN SOLUTION
        small_app.config["MAX_CONTENT_LENGTH"] = 1024


        @small_app.errorhandler(413)
        def too_large(error):
            return {"error": "upload larger than 1024 bytes"}, 413
        ### STARTER
        # 1. limit request bodies to 1024 bytes
        # 2. answer a body over the limit with status 413 and JSON {"error": ...}
        ### END SOLUTION


        @small_app.post("/upload")
        def upload_small():
            storage = request.files["doc"]
            return {"received": storage.filename, "bytes": len(storage.read())}
    """,
    hints=[
        'The limit is configuration: `small_app.config["MAX_CONTENT_LENGTH"] = 1024`.',
        "`@small_app.errorhandler(413)` registers a function that builds the answer for status 413.",
        'A handler that returns only a dict answers 200 OK. Return the status too: `return {"error": "..."}, 413`.',
    ],
    args="small_app",
)
def _size_limit(small_app):
    client = small_app.test_client()
    small = client.post("/upload", data={"doc": (io.BytesIO(b"x" * 300), "small.txt")})
    if small.status_code == 413:
        raise Wrong("a 300-byte upload was refused: the limit is too low; it should be 1024 bytes.")
    if small.status_code != 200:
        raise Wrong(f"a 300-byte upload answered {small.status}; it should still be 200 OK.")
    big = client.post("/upload", data={"doc": (io.BytesIO(b"x" * 2000), "big.txt")})
    if big.status_code == 200 and big.is_json and "error" in big.get_json():
        raise Wrong("a 2000-byte upload got your error message but with status 200: return the status 413 too.")
    if big.status_code == 200:
        raise Wrong("a 2000-byte upload was accepted: set a limit of 1024 bytes on `small_app`.")
    if big.status_code != 413:
        raise Wrong(f"a 2000-byte upload answered {big.status}; it should be 413.")
    if not big.is_json:
        if b"Request Entity Too Large" in big.data:
            raise Wrong("the 413 answer is Flask's HTML error page; add an error handler for 413 that returns a dict.")
        raise Wrong(
            f"your 413 handler answers {big.content_type!r}; return a dict (Flask turns it into JSON) and the status: "
            '`return {"error": "..."}, 413`.'
        )
    if not isinstance(big.get_json(), dict) or "error" not in big.get_json():
        raise Wrong(f"the 413 answer is {big.get_json()!r}; it should be a JSON object with an \"error\" key.")
    edge = client.post("/upload", data={"doc": (io.BytesIO(b"x" * 1000), "edge.txt")})
    if edge.status_code != 413:
        raise Wrong(
            "a body of about 1200 bytes (a 1000-byte file plus the multipart framing) was accepted: "
            "the limit should be 1024 bytes."
        )
    plain = client.post("/upload", data={"note": "x" * 2000})  # url-encoded: no multipart parts at all
    if plain.status_code != 413:
        raise Wrong(
            f"a 2000-byte url-encoded form (no file) answered {plain.status}, not 413: your limit only counts "
            "parts of a multipart body (`MAX_FORM_MEMORY_SIZE` does that). `MAX_CONTENT_LENGTH` limits the whole body."
        )


@exercise(
    "8.5",
    title="A FileField that sees the file",
    task="""
        `photo_app` takes a caption and a photo through a WTForms form. As
        written it answers "Choose a photo." even when a photo is sent. Fix
        the view so that the `FileField` receives the uploaded `FileStorage`,
        and add a check to the form so that a photo that is not a PNG (by its
        first bytes) is refused with the message `Only PNG images.` A valid
        upload answers `{"caption": ..., "received": <file name>}`.
    """,
    source="""
        from flask import Flask, request
        from werkzeug.datastructures import CombinedMultiDict
        from wtforms import FileField, Form, StringField
        from wtforms.validators import InputRequired, ValidationError


        class PhotoForm(Form):
            caption = StringField("Caption", [InputRequired()])
            photo = FileField("Photo", [InputRequired(message="Choose a photo.")])

            ### BEGIN SOLUTION
            def validate_photo(form, field):
                head = field.data.stream.read(8)
                field.data.stream.seek(0)
                if head != PNG_SIGNATURE:
                    raise ValidationError("Only PNG images.")

            ### STARTER
            ### END SOLUTION

        photo_app = Flask("photo")


        @photo_app.post("/photo")
        def receive_photo():
            ### BEGIN SOLUTION
            form = PhotoForm(CombinedMultiDict((request.files, request.form)))
            ### STARTER
            form = PhotoForm(request.form)
            ### END SOLUTION
            if not form.validate():
                return {"errors": form.errors}, 400
            return {"caption": form.caption.data, "received": form.photo.data.filename}
    """,
    hints=[
        "`request.form` holds only the text fields of a multipart body; the files are in "
        "`request.files`. A form built from `request.form` never sees the photo.",
        "`CombinedMultiDict((request.files, request.form))` gives the form both at once, so "
        "`form.photo.data` becomes the `FileStorage`.",
        "An inline validator is a method named `validate_photo(form, field)` on the form; "
        'raise `ValidationError("Only PNG images.")` when `field.data.stream.read(8)` is not '
        "`PNG_SIGNATURE` (and `seek(0)` afterwards so the file can still be saved).",
    ],
    args="photo_app",
    setup="""
        PNG_SIGNATURE = b"\\x89PNG\\r\\n\\x1a\\n"
    """,
)
def _file_field(photo_app):
    client = photo_app.test_client()
    png = _sample("pixel.png")
    response = client.post("/photo", data={"caption": "a cross", "photo": (io.BytesIO(png), "pixel.png")})
    body = _json(response, "`POST /photo` with a PNG")
    errors = body.get("errors", {}) if isinstance(body, dict) else {}
    if "photo" in errors and "Choose a photo." in errors["photo"]:
        raise Wrong(
            "a PNG was sent, yet the form says 'Choose a photo.': the form was built from "
            "`request.form`, which holds no files."
        )
    if "caption" in errors:
        raise Wrong(
            "the caption was sent, yet the form says it is missing: the form needs the text "
            "fields of `request.form` as well as `request.files`."
        )
    if "photo" in errors and "Only PNG images." in errors["photo"]:
        raise Wrong(
            "a real PNG (pixel.png) was refused with 'Only PNG images.': compare its first 8 bytes, "
            "`field.data.stream.read(8)`, with `PNG_SIGNATURE`, which is bytes (`b\"\\x89PNG...\"`), not text."
        )
    if response.status_code != 200 or body != {"caption": "a cross", "received": "pixel.png"}:
        raise Wrong(
            f"a valid PNG answered {response.status} with {body!r}; expected 200 OK with "
            "{'caption': 'a cross', 'received': 'pixel.png'}."
        )
    fake = _sample("not-a-picture.png")
    response = client.post("/photo", data={"caption": "fake", "photo": (io.BytesIO(fake), "not-a-picture.png")})
    if response.status_code == 200:
        raise Wrong("not-a-picture.png (HTML named .png) was accepted: check the first bytes of the photo.")
    body = _json(response, "`POST /photo` with a fake PNG")
    if "Only PNG images." not in body.get("errors", {}).get("photo", []):
        raise Wrong(f"not-a-picture.png was refused with {body!r}; the photo's error should be 'Only PNG images.'.")
    response = client.post("/photo", data={"caption": "none"}, content_type="multipart/form-data")
    body = _json(response, "`POST /photo` without a photo")
    if response.status_code != 400 or "Choose a photo." not in body.get("errors", {}).get("photo", []):
        raise Wrong(f"a form without a photo answered {response.status} with {body!r}; it should say 'Choose a photo.'.")
