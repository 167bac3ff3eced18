"""Exercises of chapter 8: every file of a field, magic bytes, no overwrite, a size limit, FileField, avatars."""

import io
import os
from contextlib import contextmanager
from unittest import mock

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from ..installed import platform
from ..paths import DATA
from ..scratch import scratch
from . import Wrong, exercise
from .probe import ask, clock_stopped, expect, namespaces_of

SAMPLES = DATA / "uploads"
PNG = (SAMPLES / "pixel.png").read_bytes()
FAKE_PNG = (SAMPLES / "not-a-picture.png").read_bytes()
NOTES = (SAMPLES / "notes.txt").read_bytes()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _json(response, what):
    """The JSON body of a test-client response, or a Wrong that says what came instead."""
    if not response.is_json:
        raise Wrong(f"{what} answered {response.status} with {response.content_type!r}, not JSON.")
    return response.get_json()


def _call(function, *args):
    """Call the learner's function; an exception in it becomes a Wrong that names the call."""
    shown = ", ".join(repr(arg)[:40] for arg in args)
    try:
        return function(*args)
    except Exception as error:
        raise Wrong(f"`{function.__name__}({shown})` raised `{type(error).__name__}: {error}`.") from None


# A body 8.4 must accept: under its limit of 1,024 bytes, over a limit a round 1,000 would set.
UNDER_THE_LIMIT = 1010


def _multipart(boundary, parts):
    """A multipart body of ``parts``, ``(field, filename, data)`` each, with a boundary of our own (so its size is known)."""
    return b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n\r\n'.encode()
        + data + b"\r\n"
        for name, filename, data in parts
    ) + f"--{boundary}--\r\n".encode()


def _chunked(boundary, parts):
    """A multipart body and the headers of a chunked request: no Content-Length at all."""
    body = _multipart(boundary, parts)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Transfer-Encoding": "chunked"}
    # A server that decodes chunked bodies (Werkzeug's does) says so with this key.
    return {"input_stream": io.BytesIO(body), "headers": headers, "environ_overrides": {"wsgi.input_terminated": True}}


class _CountedBody(io.RawIOBase):
    """A request body of ``size`` bytes, ``head`` and then x's, made as it is read; counts what was read."""

    def __init__(self, head, size):
        super().__init__()
        self.head, self.size, self.position, self.read_so_far = head, size, 0, 0

    def readable(self):
        return True

    def seekable(self):  # the test client measures the body by seeking to its end and back
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        return self.position

    def readinto(self, buffer):
        count = max(0, min(len(buffer), self.size - self.position))
        piece = (self.head + b"x" * count)[self.position:self.position + count] if self.position < len(self.head) else b"x" * count
        buffer[:count] = piece
        self.position += count
        self.read_so_far = max(self.read_so_far, self.position)
        return count


@exercise(
    "8.1",
    title="Every file, cleaned and counted",
    task="""
        A form has `<input type="file" name="photos" multiple>`, so one field
        can carry several files. Fix the view of `count_app` so that
        `POST /count` answers, for **every** file sent in `photos` and in the
        order sent, its name made safe with `secure_filename` and its size in
        bytes:

        `{"files": [{"name": "a.txt", "bytes": 3}, ...]}`

        When the user picks no file, a browser still sends the field as an
        empty part (no name, no bytes): that is not a file, so it is left
        out, and a request with no file at all answers `{"files": []}`. A
        file the user did pick counts even when it is empty (0 bytes).
    """,
    source="""
        from flask import Flask, request
        from werkzeug.utils import secure_filename

        count_app = Flask("count")


        @count_app.post("/count")
        def count():
            ### BEGIN SOLUTION
            return {
                "files": [
                    {"name": secure_filename(photo.filename), "bytes": len(photo.read())}
                    for photo in request.files.getlist("photos")
                    if photo
                ]
            }
            ### STARTER
            photo = request.files["photos"]
            return {"files": [{"name": photo.filename, "bytes": photo.content_length}]}
            ### END SOLUTION
    """,
    hints=[
        'Send three files yourself and print `request.files`: how many values does the field '
        '`photos` hold, and which of them does `request.files["photos"]` give you?',
        '`request.files.getlist("photos")` gives every `FileStorage` of the field, and an empty '
        'list when the field is missing. A `FileStorage` with no file name is false.',
        "`content_length` is what the part's own headers claim, usually nothing (0): count the "
        "bytes you read, `len(photo.read())`. And the name the client sent is not safe: "
        "`secure_filename(photo.filename)`.",
        'Put it together: `[{"name": secure_filename(p.filename), "bytes": len(p.read())} '
        'for p in request.files.getlist("photos") if p]`.',
    ],
    args="count_app",
    right=[
        {"for photo in request.files.getlist(\"photos\")\n            if photo": "for photo in request.files.to_dict(flat=False).get(\"photos\", [])\n            if photo.filename"},
        {"len(photo.read())": "len(photo.stream.read())"},
        """
        from flask import Flask, request
        from werkzeug.utils import secure_filename

        count_app = Flask("count")


        @count_app.post("/count")
        def count():
            found = []
            for photo in request.files.getlist("photos"):
                if not photo.filename:
                    continue
                photo.seek(0, 2)
                found.append({"name": secure_filename(photo.filename), "bytes": photo.tell()})
            return {"files": found}
        """,
    ],
    wrong=[
        ({"for photo in request.files.getlist(\"photos\")": "for photo in request.files.to_dict().values()"}, "only the first"),
        ({"\n            if photo\n": "\n"}, "empty part"),
        ({"secure_filename(photo.filename)": "photo.filename"}, "../../evil.png"),
        ({"secure_filename(photo.filename)": "os.path.basename(photo.filename)",
          "from flask import Flask, request": "import os\n\nfrom flask import Flask, request"}, "my photo.png"),
        ({"secure_filename(photo.filename)": 'photo.filename.replace("../", "")'}, "....//evil.png"),
        ({'for photo in request.files.getlist("photos")': "for photo in request.files.values()"}, "only the first"),
        ({'for photo in request.files.getlist("photos")': "for _, photo in request.files.items(multi=True)"}, "cover.txt"),
        ({"len(photo.read())": "photo.content_length"}, "bytes"),
        # Leaving out every part without bytes also leaves out a file the user picked that happens to be empty.
        ("""
        from flask import Flask, request
        from werkzeug.utils import secure_filename

        count_app = Flask("count")


        @count_app.post("/count")
        def count():
            found = []
            for photo in request.files.getlist("photos"):
                data = photo.read()
                if data:
                    found.append({"name": secure_filename(photo.filename), "bytes": len(data)})
            return {"files": found}
        """, "empty.txt has a name"),
    ],
)
def _every_file(count_app):
    sent = [("a.txt", b"one"), ("b.png", PNG), ("c.txt", b"three!")]
    many = [(io.BytesIO(data), name) for name, data in sent]
    form = {"photos": many, "cover": (io.BytesIO(b"not a photo"), "cover.txt")}  # another field, not counted
    response = expect(ask(count_app, "POST", "/count", data=form), 200, "POST /count with three files")
    body = _json(response, "`POST /count` with three files")
    expected = [{"name": name, "bytes": len(data)} for name, data in sent]
    got = body.get("files") if isinstance(body, dict) else None
    if not isinstance(got, list):
        raise Wrong(f'`POST /count` with three files answered {body!r}; no list under "files".')
    names = [item.get("name") for item in got if isinstance(item, dict)]
    if "a.txt" in names and "b.png" not in names and "c.txt" not in names:
        raise Wrong(f"three files were sent in `photos` and only the first came back: {got!r}.")
    if [item.get("name") for item in got if isinstance(item, dict)] != [name for name, _ in sent]:
        raise Wrong(f"three files a.txt, b.png, c.txt were sent in `photos` (and cover.txt in another field, "
                    f"`cover`) and the names came back as {got!r}.")
    if got != expected:
        raise Wrong(f"three files of 3, {len(PNG)} and 6 bytes were sent; the answer gave {got!r}.")
    browser = {"photos": [(io.BytesIO(b"one"), "a.txt"), (io.BytesIO(b""), "")]}
    body = _json(expect(ask(count_app, "POST", "/count", data=browser), 200, "POST /count"), "`POST /count`")
    if body != {"files": [{"name": "a.txt", "bytes": 3}]}:
        raise Wrong(f"one file plus the empty part a browser sends for an unused picker answered {body!r}; "
                    "the empty part was counted as a file.")
    # The next case over: a file that has a name but no bytes is a file the user picked.
    picked = {"photos": [(io.BytesIO(b""), "empty.txt"), (io.BytesIO(b"one"), "a.txt")]}
    body = _json(expect(ask(count_app, "POST", "/count", data=picked), 200, "POST /count"), "`POST /count`")
    if body != {"files": [{"name": "empty.txt", "bytes": 0}, {"name": "a.txt", "bytes": 3}]}:
        raise Wrong(f"a file named empty.txt with 0 bytes, then a.txt, answered {body!r}; empty.txt has a name, so the "
                    "user picked it: it is a file of 0 bytes, not the empty part of an unused picker.")
    none = ask(count_app, "POST", "/count", data={"title": "no photos"}, content_type="multipart/form-data")
    if none.status_code != 200 or _json(none, "`POST /count` with no file") != {"files": []}:
        raise Wrong(f"a form with no `photos` field at all answered {none.status}: {none.get_data(as_text=True)[:120]!r}.")
    tricks = ["../../evil.png", "....//evil.png", "..\\..\\evil.png", "my photo.png"]
    evil = {"photos": [(io.BytesIO(PNG), name) for name in tricks]}
    body = _json(expect(ask(count_app, "POST", "/count", data=evil), 200, "POST /count"), "`POST /count`")
    if body != {"files": [{"name": secure_filename(name), "bytes": len(PNG)} for name in tricks]}:
        got = [item.get("name") for item in body.get("files", []) if isinstance(item, dict)] if isinstance(body, dict) else body
        raise Wrong(f"files named {', '.join(tricks)} came back named {got!r}; a name from the client is not "
                    "safe to use as it is.")
    return ("three files in one field (and one in another field), an empty part, a named file of 0 bytes, no field "
            "at all, and files named "
            + ", ".join(tricks))


@exercise(
    "8.2",
    title="Teach the checker about GIF",
    kind="warm-up",
    task="""
        Extend the content check to GIF images. Every GIF file starts with the
        six bytes `GIF87a` or `GIF89a` (two versions of the format). Finish
        `looks_like(data, extension)` so that for `"gif"` it returns `True`
        only when `data` starts with one of them. For every other extension
        it keeps what `content_matches` from the chapter says.
    """,
    source="""
        def looks_like(data, extension):
            \"\"\"True when data holds what a file named *.extension should hold.\"\"\"
            if extension == "gif":
                ### BEGIN SOLUTION
                return data.startswith((b"GIF87a", b"GIF89a"))
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
    right=[
        {'data.startswith((b"GIF87a", b"GIF89a"))': 'data[:6] in (b"GIF87a", b"GIF89a")'},
        {'data.startswith((b"GIF87a", b"GIF89a"))': 'data.startswith(b"GIF8") and data[4:6] in (b"7a", b"9a")'},
    ],
    wrong=[
        ({'data.startswith((b"GIF87a", b"GIF89a"))': 'data.startswith(b"GIF")'}, "GIF88a"),
        ({'data.startswith((b"GIF87a", b"GIF89a"))': 'b"GIF89a" in data or b"GIF87a" in data'}, "very first bytes"),
        ({'data.startswith((b"GIF87a", b"GIF89a"))': 'data.lower().startswith((b"gif87a", b"gif89a"))'}, "lower case"),
        ({'data.startswith((b"GIF87a", b"GIF89a"))': 'data.startswith(("GIF87a", "GIF89a"))'}, "TypeError"),
        ({'data.startswith((b"GIF87a", b"GIF89a"))': 'data.startswith(b"GIF89a")'}, "GIF87a"),
        ({'    if extension == "gif":\n        return data.startswith((b"GIF87a", b"GIF89a"))':
          '    if data.startswith((b"GIF87a", b"GIF89a")):\n        return True'}, "a GIF named .png"),
    ],
)
def _gif(looks_like):
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    cases = [
        (gif, "gif", True, "a real GIF89a file was refused"),
        (b"GIF87a" + gif[6:], "gif", True, "a real GIF87a file was refused"),
        (FAKE_PNG, "gif", False, "an HTML file named .gif (it starts `<!doctype`) was accepted"),
        (PNG, "gif", False, "a PNG named .gif was accepted"),
        (b"", "gif", False, "an empty file named .gif was accepted"),
        (b"gif89a...", "gif", False, "a file starting `gif89a`, in lower case, was accepted"),
        (b"<!doctype html><p>GIF89a</p>", "gif", False,
         "an HTML file with `GIF89a` in its text, not as its very first bytes, was accepted"),
        (b"GIF88a" + gif[6:], "gif", False, "a file starting `GIF88a` was accepted"),
        (gif, "png", False, "a GIF named .png was accepted"),
        (gif, "txt", False, "a GIF named .txt was accepted"),
        (PNG, "png", True, "a real PNG was refused"),
        (FAKE_PNG, "png", False, "not-a-picture.png (HTML) was accepted as a PNG"),
        (NOTES, "txt", True, "notes.txt was refused"),
    ]
    for data, extension, expected, problem in cases:
        answer = _call(looks_like, data, extension)
        if not isinstance(answer, bool):
            raise Wrong(f"`looks_like(..., {extension!r})` returned {answer!r}, not `True` or `False`.")
        if answer != expected:
            raise Wrong(f"{problem}.")
    return ("GIF87a and GIF89a files, fakes named .gif (HTML, PNG, empty, lower case, GIF88a, the signature mid-file), "
            "a GIF named .png and .txt, and PNG and text files")


@exercise(
    "8.3",
    title="Keep both files",
    task="""
        Write `save_without_overwrite(storage, folder)`. It stores the
        uploaded `FileStorage` in `folder` under its `secure_filename` and
        returns the name it used. When that name is taken it must not replace
        what is there: it tries `notes-1.txt`, then `notes-2.txt`, and so on,
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
        'Which mode creates a file and refuses one that is already there?',
        'Mode `"xb"` creates the file and raises `FileExistsError` when the name is taken, by '
        "anything (on Linux and macOS even by a link that points nowhere). `FileStorage.save` also "
        'accepts an open file: `with open(path, "xb") as out: storage.save(out)`.',
        "Asking first (`exists()`) and saving second leaves a gap: another upload that lands between "
        "the two is overwritten, and a link is followed. Let `open(..., \"xb\")` do both in one step, "
        "and catch its `FileExistsError` to try the next name.",
        '`Path("notes.txt").stem` is `"notes"` and `.suffix` is `".txt"`; build '
        '`f"{stem}-{number}{suffix}"` in a loop until opening with `"xb"` succeeds.',
    ],
    args="save_without_overwrite",
    right=[
        """
        import os
        from pathlib import Path

        from werkzeug.utils import secure_filename


        def save_without_overwrite(storage, folder):
            name = secure_filename(storage.filename)
            stem, suffix = os.path.splitext(name)
            for number in range(10_000):
                candidate = name if number == 0 else f"{stem}-{number}{suffix}"
                try:
                    handle = os.open(os.path.join(folder, candidate), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                except FileExistsError:
                    continue
                with os.fdopen(handle, "wb") as out:
                    storage.save(out)
                return candidate
            raise RuntimeError("no free name")
        """,
    ],
    wrong=[
        ({'with open(Path(folder) / candidate, "xb") as out:\n                storage.save(out)':
          'if (Path(folder) / candidate).exists():\n                raise FileExistsError\n'
          '            storage.save(Path(folder) / candidate)'}, "link"),
        ({'with open(Path(folder) / candidate, "xb") as out:': 'with open(Path(folder) / candidate, "wb") as out:'},
         "replaced"),
        ({"name = secure_filename(storage.filename)": "name = storage.filename"}, "outside"),
        ("""
        import os
        from pathlib import Path

        from werkzeug.utils import secure_filename


        def save_without_overwrite(storage, folder):
            name = secure_filename(storage.filename)
            stem, suffix = os.path.splitext(name)
            candidate, number = name, 0
            while os.path.lexists(os.path.join(folder, candidate)):
                number += 1
                candidate = f"{stem}-{number}{suffix}"
            storage.save(os.path.join(folder, candidate))
            return candidate
        """, "the other upload was replaced"),
        ("""
        from pathlib import Path

        from werkzeug.utils import secure_filename


        def save_without_overwrite(storage, folder):
            name = secure_filename(storage.filename)
            path = Path(folder) / name
            number = 0
            while path.exists():
                number += 1
                path = Path(folder) / f"{Path(name).stem}-{number}{Path(name).suffix}"
            with open(path, "xb") as out:
                storage.save(out)
            return path.name
        """, "instead of moving on"),
        # A few numbers are tried, then the function gives up.
        ({"    while True:": "    for _ in range(10):"}, "as long as names are taken"),
    ],
)
def _keep_both(save_without_overwrite):
    root = scratch("08-exercise-8.3")
    folder = root / "site" / "inbox"  # so that ../../ still lands inside root, where the check sees it
    folder.mkdir(parents=True)
    contents = [b"first version\n", b"second version\n", b"third version\n"]
    names = [_call(save_without_overwrite, FileStorage(io.BytesIO(data), filename="notes.txt"), folder)
             for data in contents]
    if (folder / "notes.txt").read_bytes() != contents[0]:
        raise Wrong(f"notes.txt was uploaded three times (names returned: {names!r}); the first file's content was replaced.")
    if names != ["notes.txt", "notes-1.txt", "notes-2.txt"]:
        raise Wrong(f"three uploads of notes.txt returned {names!r}.")
    for name, data in zip(names, contents):
        if (folder / name).read_bytes() != data:
            raise Wrong(f"{name} does not hold {data!r}, the upload that got that name.")
    tally = [_call(save_without_overwrite, FileStorage(io.BytesIO(b"%d\n" % n), filename="tally.txt"), folder)
             for n in range(13)]
    if tally != ["tally.txt"] + [f"tally-{n}.txt" for n in range(1, 13)]:
        raise Wrong(f"thirteen uploads of tally.txt returned {tally!r}; expected tally.txt, then tally-1.txt up to "
                    "tally-12.txt: the numbers go on as long as names are taken.")
    tried = "three uploads of notes.txt, thirteen of tally.txt"
    tried += _taken_by_a_link(save_without_overwrite, folder, root / "outside")
    tried += _race(save_without_overwrite, folder)
    evil = _call(save_without_overwrite, FileStorage(io.BytesIO(b"print('hi')\n"), filename="../../evil.txt"), folder)
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    if evil != "evil.txt" or "site/inbox/evil.txt" not in written or any(not w.startswith("site/inbox/") for w in written):
        raise Wrong(f"after uploading '../../evil.txt' the function returned {evil!r} and the files are {written!r}: "
                    "something landed outside the folder.")
    return tried + ", and ../../evil.txt"


@contextmanager
def _arrives_after_a_look(target, content):
    """Make another upload of ``target`` arrive right after the code under test looks for it and finds nothing.

    A look is ``os.stat`` or ``os.lstat`` of ``target`` (what ``Path.exists``, ``os.path.exists``,
    ``lexists`` and ``isfile`` call) or ``os.listdir`` of its folder. Yields a list that holds True
    once the other upload has arrived.
    """
    arrived = []
    real_stat, real_lstat, real_listdir = os.stat, os.lstat, os.listdir

    def same(path, wanted):
        return isinstance(path, (str, os.PathLike)) and os.path.abspath(os.fspath(path)) == os.fspath(wanted)

    def arrive():
        if not arrived:
            try:
                real_lstat(target)
            except FileNotFoundError:
                with open(target, "xb") as other:
                    other.write(content)
                arrived.append(True)

    def looked(real, wanted):
        def look(path=".", *args, **kwargs):
            try:
                result = real(path, *args, **kwargs)
            except FileNotFoundError:
                if same(path, wanted):
                    arrive()
                raise
            if real is real_listdir and same(path, wanted):
                arrive()
            return result
        return look

    with mock.patch.multiple(os, stat=looked(real_stat, target), lstat=looked(real_lstat, target),
                             listdir=looked(real_listdir, target.parent)):
        yield arrived


def _race(save_without_overwrite, folder):
    """Two uploads of race.txt at once: the other one lands between a look at the name and the save."""
    other, mine = b"the other upload\n", b"my upload\n"
    with _arrives_after_a_look(folder / "race.txt", other) as arrived:
        try:
            name = save_without_overwrite(FileStorage(io.BytesIO(mine), filename="race.txt"), folder)
        except FileExistsError as error:
            if arrived:
                raise Wrong("another upload of race.txt arrived just after your function looked and found the name "
                            f"free, and the function raised `FileExistsError: {error}` instead of moving on to "
                            "race-1.txt.") from None
            raise Wrong(f"`save_without_overwrite(<race.txt>, folder)` raised `FileExistsError: {error}`.") from None
        except Exception as error:
            raise Wrong(f"`save_without_overwrite(<race.txt>, folder)` raised `{type(error).__name__}: {error}`.") from None
    if not arrived:
        if name != "race.txt" or (folder / "race.txt").read_bytes() != mine:
            raise Wrong(f"an upload of race.txt, a free name, was stored as {name!r}.")
        return ""  # the function never looked before it opened: nothing could slip in
    if (folder / "race.txt").read_bytes() != other:
        raise Wrong("another upload of race.txt arrived just after your function looked and found the name free; "
                    "the function then saved over it, and the other upload was replaced.")
    if name != "race-1.txt" or (folder / "race-1.txt").read_bytes() != mine:
        raise Wrong(f"another upload of race.txt arrived just after your function looked for the name, and the "
                    f"function returned {name!r}.")
    return ", a second upload of race.txt that arrived right after your code looked for the name"


def _taken_by_a_link(save_without_overwrite, folder, outside):
    """A name taken by a link to a file that does not exist yet: exists() says the name is free."""
    if platform().startswith("win"):
        # Windows' C library follows such a link even with "xb" and creates its target, so no answer can pass.
        return " (not a name taken by a link: on Windows even mode \"xb\" follows a link)"
    outside.mkdir()
    try:
        os.symlink(outside / "stolen.txt", folder / "report.txt")
    except (OSError, NotImplementedError):
        return " (not a name taken by a link: this system would not let the check make one)"
    try:
        name = save_without_overwrite(FileStorage(io.BytesIO(b"secret report\n"), filename="report.txt"), folder)
    except FileExistsError as error:
        raise Wrong("report.txt was taken by a link that points to no file (`exists()` says False for it), and the "
                    f"function raised `FileExistsError: {error}` instead of moving on to report-1.txt.") from None
    except Exception as error:
        raise Wrong(f"`save_without_overwrite(<report.txt>, folder)` raised `{type(error).__name__}: {error}`.") from None
    if (outside / "stolen.txt").exists():
        raise Wrong("report.txt was taken by a link pointing outside the folder, and the upload was "
                    "written through the link, outside the folder.")
    if name != "report-1.txt":
        raise Wrong(f"report.txt was taken (by a link) and the upload was stored as {name!r}.")
    return ", a name taken by a link that points outside the folder"


@exercise(
    "8.4",
    title="A size limit that chunks cannot dodge",
    task="""
        Make `small_app` refuse request bodies larger than **1024 bytes**
        with status 413 and a JSON answer such as
        `{"error": "upload larger than 1024 bytes"}` instead of Flask's HTML
        error page. Smaller uploads keep working.

        A client does not have to say how big its body is: with
        `Transfer-Encoding: chunked` there is no `Content-Length` header at
        all. The limit must hold for such a body too.
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
        "Where does Flask let you set a limit on the body once, for every view? Look at the "
        "table of limits in the chapter.",
        'The limit is configuration: `small_app.config["MAX_CONTENT_LENGTH"] = 1024`. Werkzeug '
        "applies it to the header and, as it reads, to a chunked body; a test of "
        "`request.content_length` sees `None` for a chunked body.",
        "`@small_app.errorhandler(413)` registers a function that builds the answer for status 413.",
        'A handler that returns only a dict answers 200 OK. Return the status too: `return {"error": "..."}, 413`.',
        "Measuring the body by reading it (`len(request.get_data())`) keeps all of it in memory before "
        "refusing it: a client can send gigabytes. The limit has to stop the reading, which is what "
        "`MAX_CONTENT_LENGTH` (or `request.max_content_length`) does.",
    ],
    args="small_app",
    right=[
        {'small_app.config["MAX_CONTENT_LENGTH"] = 1024': 'small_app.config.update(MAX_CONTENT_LENGTH=1024)'},
        {'@small_app.errorhandler(413)\ndef too_large(error):':
         'from werkzeug.exceptions import RequestEntityTooLarge\n\n\n@small_app.errorhandler(RequestEntityTooLarge)\ndef too_large(error):'},
        {'small_app.config["MAX_CONTENT_LENGTH"] = 1024':
         '@small_app.before_request\ndef limit():\n    request.max_content_length = 1024  # Flask 3.1: a limit per request'},
    ],
    wrong=[
        ({'small_app.config["MAX_CONTENT_LENGTH"] = 1024': '@small_app.before_request\ndef limit():\n'
          '    if (request.content_length or 0) > 1024:\n        return {"error": "upload larger than 1024 bytes"}, 413'},
         "chunked"),
        ({'return {"error": "upload larger than 1024 bytes"}, 413': 'return {"error": "upload larger than 1024 bytes"}'},
         "with status 200"),
        ({'@small_app.errorhandler(413)\ndef too_large(error):\n    return {"error": "upload larger than 1024 bytes"}, 413': ''},
         "HTML"),
        ({'small_app.config["MAX_CONTENT_LENGTH"] = 1024': 'small_app.config["MAX_FORM_MEMORY_SIZE"] = 1024'},
         "no file"),
        ({"= 1024": "= 1500"}, "was accepted"),
        ({"= 1024": "= 1000"}, "under the limit of 1,024"),
        ({'small_app.config["MAX_CONTENT_LENGTH"] = 1024': '@small_app.before_request\ndef limit():\n'
          '    if request.content_length is None or request.content_length > 1024:\n'
          '        return {"error": "upload larger than 1024 bytes"}, 413'}, "a 300-byte chunked body"),
        ({'small_app.config["MAX_CONTENT_LENGTH"] = 1024': '@small_app.before_request\ndef limit():\n'
          '    if request.content_length > 1024:\n        return {"error": "upload larger than 1024 bytes"}, 413'},
         "TypeError"),
    ],
    insecure=[
        ({'small_app.config["MAX_CONTENT_LENGTH"] = 1024': '@small_app.before_request\ndef limit():\n'
          '    if len(request.get_data()) > 1024:\n        return {"error": "upload larger than 1024 bytes"}, 413'},
         "read 5,000,000 bytes"),
    ],
)
def _size_limit(small_app):
    small = ask(small_app, "POST", "/upload", data={"doc": (io.BytesIO(b"x" * 300), "small.txt")})
    expect(small, 200, "POST /upload with a 300-byte file")
    big = ask(small_app, "POST", "/upload", data={"doc": (io.BytesIO(b"x" * 2000), "big.txt")})
    if big.status_code == 200 and big.is_json and "error" in big.get_json():
        raise Wrong("`POST /upload` with a 2,000-byte file got your error message, but with status 200.")
    expect(big, 413, "POST /upload with a 2,000-byte file")
    if not big.is_json:
        raise Wrong(f"the 413 for a 2,000-byte file came as {big.content_type!r} (Flask's HTML error page?), not JSON.")
    if not isinstance(big.get_json(), dict) or "error" not in big.get_json():
        raise Wrong(f"the 413 answer is {big.get_json()!r}: no JSON object with an \"error\" key.")
    under = _multipart("b0undary", [("doc", "under.txt", b"")])
    under = _multipart("b0undary", [("doc", "under.txt", b"x" * (UNDER_THE_LIMIT - len(under)))])
    fits = ask(small_app, "POST", "/upload", data=under, content_type="multipart/form-data; boundary=b0undary")
    if fits.status_code != 200:
        raise Wrong(f"`POST /upload` with a body of {len(under):,} bytes, under the limit of 1,024, answered "
                    f"{fits.status}: the limit is lower than 1,024 bytes.")
    edge = ask(small_app, "POST", "/upload", data={"doc": (io.BytesIO(b"x" * 1000), "edge.txt")})
    if edge.status_code != 413:
        raise Wrong(f"a body of about 1,200 bytes (a 1,000-byte file plus the multipart framing) was accepted ({edge.status}).")
    plain = ask(small_app, "POST", "/upload", data={"note": "x" * 2000})
    if plain.status_code != 413:
        raise Wrong(f"a 2,000-byte url-encoded form (no file, no multipart) answered {plain.status}.")
    # Werkzeug's main branch (3.2.0.dev0) applies MAX_FORM_MEMORY_SIZE to a whole url-encoded form,
    # 3.1.9 does not; a body that is no form at all tells the two settings apart on both.
    body = ask(small_app, "POST", "/upload", data=b"x" * 2000, content_type="application/octet-stream")
    if body.status_code != 413:
        raise Wrong(f"a 2,000-byte body that is not a form (no file, `application/octet-stream`) answered {body.status}.")
    for size, wanted in [(300, 200), (5000, 413)]:
        what = f"a {size:,}-byte chunked body (no Content-Length header)"
        try:
            chunked = ask(small_app, "POST", "/upload", **_chunked("b0undary", [("doc", "c.txt", b"x" * size)]))
        except Wrong as crash:
            raise Wrong(f"with {what}: {crash}") from None
        if chunked.status_code != wanted:
            raise Wrong(f"`POST /upload` with {what} answered {chunked.status}.")
    huge = _CountedBody(b'--b0undary\r\nContent-Disposition: form-data; name="doc"; filename="huge.txt"\r\n\r\n',
                        5_000_000)
    chunked = _chunked("b0undary", [])
    response = ask(small_app, "POST", "/upload", **{**chunked, "input_stream": huge})
    if response.status_code != 413 or huge.read_so_far > 100_000:
        raise Wrong(f"`POST /upload` with a 5,000,000-byte chunked body answered {response.status} after your app "
                    f"read {huge.read_so_far:,} bytes of it.")
    return (f"a 300-byte upload, a body of {UNDER_THE_LIMIT:,} bytes, a 2,000-byte one, one just over 1,024 bytes, a 2,000-byte url-encoded form, "
            "a 2,000-byte body that is no form, chunked bodies (no Content-Length) of 300 and 5,000 bytes, and a 5,000,000-byte chunked body "
            f"(your app read {huge.read_so_far:,} bytes of it)")


@exercise(
    "8.5",
    title="A FileField that sees the file, and the form that forgot enctype",
    task="""
        `photo_app` takes a caption and a photo through a WTForms form. As
        written it answers "Choose a photo." even when a photo is sent. Fix
        it:

        - the `FileField` receives the uploaded `FileStorage`;
        - a photo that is not a PNG (by its first bytes) is refused with the
          message `Only PNG images.`;
        - a form sent **without** `enctype="multipart/form-data"` brings only
          the file's name, as text: answer 400 with an error for `photo`,
          never a 500;
        - a valid upload answers `{"caption": ..., "received": <file name>}`.
    """,
    source="""
        from flask import Flask, request
        from werkzeug.datastructures import CombinedMultiDict, FileStorage
        from wtforms import FileField, Form, StringField
        from wtforms.validators import InputRequired, ValidationError


        class PhotoForm(Form):
            caption = StringField("Caption", [InputRequired()])
            photo = FileField("Photo", [InputRequired(message="Choose a photo.")])
            ### BEGIN SOLUTION

            def validate_photo(form, field):
                if not isinstance(field.data, FileStorage):
                    raise ValidationError("No file arrived: was the form sent without enctype?")
                head = field.data.stream.read(8)
                field.data.stream.seek(0)
                if head != PNG_SIGNATURE:
                    raise ValidationError("Only PNG images.")
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
        "Print `request.form` and `request.files` in the view for one upload: where is the photo?",
        "`CombinedMultiDict((request.files, request.form))` gives the form both at once, so "
        "`form.photo.data` becomes the `FileStorage`.",
        "An inline validator is a method named `validate_photo(form, field)` on the form; "
        'raise `ValidationError("Only PNG images.")` when `field.data.stream.read(8)` is not '
        "`PNG_SIGNATURE` (and `seek(0)` afterwards so the file can still be saved).",
        "Without `enctype`, `field.data` is the file's name, a `str`, which has no `.stream`: "
        "test `isinstance(field.data, FileStorage)` first and raise a `ValidationError` when it is not.",
    ],
    args="photo_app",
    setup="""
        PNG_SIGNATURE = b"\\x89PNG\\r\\n\\x1a\\n"
    """,
    right=[
        {"if not isinstance(field.data, FileStorage):": "if not hasattr(field.data, \"stream\"):"},
        {"head = field.data.stream.read(8)\n        field.data.stream.seek(0)": "head = field.data.stream.read(8)\n        field.data.seek(0)",
         "if head != PNG_SIGNATURE:": "if not head.startswith(PNG_SIGNATURE):"},
    ],
    wrong=[
        ({"if not isinstance(field.data, FileStorage):\n            raise ValidationError(\"No file arrived: was the form sent without enctype?\")\n        ": ""},
         "without `enctype`"),
        ({"if head != PNG_SIGNATURE:": "if not field.data.filename.endswith(\".png\"):"}, "not-a-picture.png"),
        ({"if head != PNG_SIGNATURE:": "if field.data.mimetype != \"image/png\":"}, "not-a-picture.png"),
        ({"head = field.data.stream.read(8)": "head = field.data.stream.read(64)",
          "if head != PNG_SIGNATURE:": "if PNG_SIGNATURE not in head:"}, "byte 19"),
        ({"form = PhotoForm(CombinedMultiDict((request.files, request.form)))": "form = PhotoForm(request.files)"},
         "caption"),
    ],
)
def _file_field(photo_app):
    sent = {"caption": "a cross", "photo": (io.BytesIO(PNG), "pixel.png")}
    response = ask(photo_app, "POST", "/photo", data=sent)
    body = _json(response, "`POST /photo` with a PNG")
    errors = body.get("errors", {}) if isinstance(body, dict) else {}
    if "Choose a photo." in errors.get("photo", []):
        raise Wrong("a PNG was sent, and the form answered 'Choose a photo.': the form never saw the file.")
    if "caption" in errors:
        raise Wrong(f"a caption was sent, and the form answered {errors!r}: the form never saw the text fields.")
    if "Only PNG images." in errors.get("photo", []):
        raise Wrong("a real PNG (pixel.png) was refused with 'Only PNG images.'.")
    if response.status_code != 200 or body != {"caption": "a cross", "received": "pixel.png"}:
        raise Wrong(f"a valid PNG answered {response.status} with {body!r}.")
    fake = {"caption": "fake", "photo": (io.BytesIO(FAKE_PNG), "not-a-picture.png", "image/png")}
    response = ask(photo_app, "POST", "/photo", data=fake)
    body = _json(response, "`POST /photo` with a fake PNG")
    if response.status_code == 200 or "Only PNG images." not in body.get("errors", {}).get("photo", []):
        raise Wrong(f"not-a-picture.png (HTML, named .png, sent as image/png) answered {response.status} with {body!r}.")
    hidden = b"<!doctype html><!--" + PNG + b"--><script>alert(1)</script>"
    response = ask(photo_app, "POST", "/photo", data={"caption": "hidden", "photo": (io.BytesIO(hidden), "hidden.png")})
    body = _json(response, "`POST /photo` with HTML that holds a PNG")
    if response.status_code == 200 or "Only PNG images." not in body.get("errors", {}).get("photo", []):
        raise Wrong(f"an HTML page with a PNG inside it (the signature at byte 19, not at the start) answered "
                    f"{response.status} with {body!r}.")
    response = ask(photo_app, "POST", "/photo", data={"caption": "none"}, content_type="multipart/form-data")
    body = _json(response, "`POST /photo` without a photo")
    if response.status_code != 400 or "Choose a photo." not in body.get("errors", {}).get("photo", []):
        raise Wrong(f"a form without a photo answered {response.status} with {body!r}.")
    without = "a form sent without `enctype` (the photo arrives as the text 'pixel.png')"
    try:
        plain = ask(photo_app, "POST", "/photo", data={"caption": "plain", "photo": "pixel.png"})
    except Wrong as crash:
        raise Wrong(f"{without}: {crash}") from None
    body = _json(plain, without)
    if plain.status_code != 400 or not body.get("errors", {}).get("photo"):
        raise Wrong(f"{without} answered {plain.status} with {body!r}.")
    return ("a PNG, HTML named .png and sent as image/png, HTML with a PNG inside it, no photo, and a form sent "
            "without enctype")


def _path(url):
    """The path of a URL, with or without a scheme and host."""
    rest = str(url).split("://", 1)[-1] if "://" in str(url) else str(url)
    return rest[rest.index("/"):] if "://" in str(url) and "/" in rest else rest


@exercise(
    "8.6",
    title="Avatars: store, name, serve back",
    kind="make",
    task="""
        Build `avatar_app`, an app where a user uploads a profile picture and
        gets it back. There is no cell to copy: combine this chapter's pieces
        with `url_for` from chapter 2.

        - `POST /avatars` with a file in the field `image` stores it in the
          folder `AVATARS` (made for you) and answers **201** with
          `{"url": ...}`, the path where the picture can be fetched, built
          with `url_for`.
        - Only real PNG files (by their first bytes, `PNG_SIGNATURE`) are
          kept. Anything else, a missing file or the empty part of an unused
          picker answers **400** with `{"error": ...}` and stores nothing.
        - The stored name is made by the app, never taken from the client
          (two users may both upload `me.png`): `uuid.uuid4().hex + ".png"`
          is a good one.
        - `GET` of that URL answers the same bytes as `image/png`, with
          `X-Content-Type-Options: nosniff` as the chapter's downloads have;
          any other name, `..` tricks included, answers 404.
        - A request larger than 1 MiB (`1024 * 1024` bytes) answers **413**
          and stores nothing, also when it comes in chunks, with no
          `Content-Length`.
    """,
    source="""
        import uuid

        from flask import Flask, request, send_from_directory, url_for

        from helpers import scratch

        AVATARS = scratch("08-avatars")  # an empty folder for the pictures
        avatar_app = Flask("avatars")
        ### BEGIN SOLUTION
        avatar_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # a bigger body answers 413


        @avatar_app.post("/avatars")
        def upload_avatar():
            image = request.files.get("image")
            if not image:
                return {"error": "choose a picture"}, 400
            data = image.read()
            if not data.startswith(PNG_SIGNATURE):
                return {"error": "only PNG pictures"}, 400
            name = uuid.uuid4().hex + ".png"
            (AVATARS / name).write_bytes(data)
            return {"url": url_for("avatar", name=name)}, 201


        @avatar_app.get("/avatars/<name>")
        def avatar(name):
            response = send_from_directory(AVATARS, name, mimetype="image/png")
            response.headers["X-Content-Type-Options"] = "nosniff"  # the browser keeps to image/png
            return response
        ### END SOLUTION
    """,
    hints=[
        "Two views: one `POST` that stores and answers a URL, one `GET` with a variable part "
        "`<name>` that serves a file. Start with the `GET`: `send_from_directory(AVATARS, name)` "
        "already answers 404 for a missing file and refuses `..`.",
        'In the `POST`: `request.files.get("image")` is `None` when the field is missing and '
        "false when it is an empty part; read the bytes once and test "
        "`data.startswith(PNG_SIGNATURE)`.",
        "Make the name yourself, `uuid.uuid4().hex + \".png\"`, write the bytes to `AVATARS / name`, "
        'and answer `{"url": url_for("avatar", name=name)}, 201` (the endpoint is the name of the '
        "`GET` view's function).",
        "Keep no part of the client's name, not even its extension: `send_from_directory` picks the "
        "`Content-Type` from the stored name, and a PNG signature followed by a `<script>`, stored as "
        '`.html`, would be served as a web page. Pass `mimetype="image/png"` to be sure.',
        "A URL written by hand (`\"/avatars/\" + name`) breaks when the app runs under a prefix "
        "(behind a proxy, or mounted with others); `url_for` knows the prefix.",
        "Two lines the chapter's upload app has: `avatar_app.config[\"MAX_CONTENT_LENGTH\"] = 1024 * 1024` "
        "(Flask then answers 413 for a bigger body, counted as it is read, so chunks cannot dodge it), and, in the "
        "`GET` view, `response.headers[\"X-Content-Type-Options\"] = \"nosniff\"` on what `send_from_directory` "
        "returns, before you return it.",
    ],
    args="avatar_app",
    setup="""
        PNG_SIGNATURE = b"\\x89PNG\\r\\n\\x1a\\n"
    """,
    right=[
        {"(AVATARS / name).write_bytes(data)": "image.seek(0)\n    image.save(AVATARS / name)",
         'send_from_directory(AVATARS, name, mimetype="image/png")': "send_from_directory(AVATARS, name)"},
        {'return {"url": url_for("avatar", name=name)}, 201':
         'return {"url": url_for("avatar", name=name, _external=True)}, 201'},
    ],
    wrong=[
        ({'name = uuid.uuid4().hex + ".png"': "name = image.filename"}, "client"),
        ({"    if not data.startswith(PNG_SIGNATURE):\n        return {\"error\": \"only PNG pictures\"}, 400\n": ""},
         "not-a-picture.png"),
        ({'return {"url": url_for("avatar", name=name)}, 201': 'return {"url": url_for("avatar", name=name)}'}, "201"),
        ({'return {"url": url_for("avatar", name=name)}, 201': 'return {"url": "/avatars/" + name}, 201'}, "/site"),
        ({"(AVATARS / name).write_bytes(data)": "image.save(AVATARS / name)"}, "bytes"),
        ({'avatar_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # a bigger body answers 413\n': ""}, "expected 413"),
        ({"    response.headers[\"X-Content-Type-Options\"] = \"nosniff\"  # the browser keeps to image/png\n": ""},
         "may guess another type"),
        ({"1024 * 1024  # a bigger body answers 413": "1024  # a bigger body answers 413"}, "under 1 MiB, answered 413"),
        # A limit of one's own that reads the header: a chunked body has none.
        ({'avatar_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # a bigger body answers 413\n':
          "\n\n@avatar_app.before_request\ndef refuse_big_bodies():\n"
          "    if (request.content_length or 0) > 1024 * 1024:\n        return {\"error\": \"too big\"}, 413\n"},
         "in chunks"),
        # A name from the clock: two workers storing at one instant pick the same one.
        ({'name = uuid.uuid4().hex + ".png"': 'name = f"{time.time_ns()}.png"', "import uuid\n": "import time\nimport uuid\n"},
         "replaced the first"),
    ],
    insecure=[
        # Half the signature: "\x89PNG" and then anything at all.
        ({"data.startswith(PNG_SIGNATURE)": 'data.startswith(b"\\x89PNG")'}, "4 of the signature's 8 bytes"),
        ({'send_from_directory(AVATARS, name, mimetype="image/png")':
          'avatar_app.response_class((AVATARS / name).read_bytes(), mimetype="image/png")',
          "@avatar_app.get(\"/avatars/<name>\")": "@avatar_app.get(\"/avatars/<path:name>\")"}, ".."),
        ({'name = uuid.uuid4().hex + ".png"': 'name = image.filename or "avatar.png"'}, "client"),
        ({'name = uuid.uuid4().hex + ".png"': 'name = uuid.uuid4().hex + os.path.splitext(secure_filename(image.filename))[1]',
          'send_from_directory(AVATARS, name, mimetype="image/png")': "send_from_directory(AVATARS, name)",
          "import uuid\n": "import os\nimport uuid\n",
          "from flask import Flask, request, send_from_directory, url_for\n":
          "from flask import Flask, request, send_from_directory, url_for\nfrom werkzeug.utils import secure_filename\n"},
         "text/html"),
    ],
)
def _avatars(avatar_app):
    folder = scratch("08-avatars", fresh=False)  # the answer's own folder; the check looks inside it
    before = sorted(p.name for p in folder.iterdir())
    created = ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(PNG), "me.png")})
    expect(created, 201, "POST /avatars with a PNG")
    url = _json(created, "`POST /avatars`").get("url", "")
    path = _path(url)
    back = expect(ask(avatar_app, "GET", path), 200, f"GET {path}, the URL the upload answered")
    if back.get_data() != PNG or back.mimetype != "image/png":
        raise Wrong(f"`GET {path}` answered {back.mimetype!r} with {len(back.get_data())} bytes, not the PNG that was sent.")
    if back.headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        raise Wrong(f"`GET {path}` answered the picture with `X-Content-Type-Options: "
                    f"{back.headers.get('X-Content-Type-Options')}`, so a browser may guess another type from its bytes.")
    twice = ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(PNG + b"2"), "me.png")})
    second = _json(expect(twice, 201, "a second POST /avatars named me.png"), "`POST /avatars`").get("url", "")
    if second == url or "me.png" in url:
        raise Wrong(f"two uploads named me.png were stored as {url!r} and {second!r}: the stored name came from the client.")
    with clock_stopped(*namespaces_of(avatar_app)):  # two workers can store two uploads at one instant
        same_time = [ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(PNG + bytes([n])), "me.png")})
                     for n in (3, 4)]
    urls = [_json(expect(one, 201, "POST /avatars with a PNG"), "`POST /avatars`").get("url", "") for one in same_time]
    if urls[0] == urls[1]:
        raise Wrong(f"two uploads sent while the check held the clock still (as two workers can store two pictures at "
                    f"one instant) were both stored as {urls[0]!r}: the name comes from the time, and the second "
                    "picture replaced the first.")
    evil = ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(PNG), "../../../evil.png")})
    if evil.status_code == 201 and "evil" in _json(evil, "`POST /avatars`").get("url", ""):
        raise Wrong("an upload named ../../../evil.png kept that name: the stored name came from the client.")
    polyglot = PNG + b"<script>alert(document.cookie)</script>"  # a PNG as far as its first bytes go
    page = ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(polyglot), "hi.html", "text/html")})
    if page.status_code == 201:
        served = ask(avatar_app, "GET", _path(_json(page, "`POST /avatars`").get("url", "")))
        if served.status_code == 200 and served.mimetype != "image/png":
            raise Wrong(f"an upload named hi.html (the PNG signature, then a <script>) came back as {served.mimetype!r}, "
                        "so a browser would run its script.")
    mounted = ask(avatar_app, "POST", "/avatars", base_url="http://localhost/site",
                  data={"image": (io.BytesIO(PNG), "me.png")})
    if mounted.status_code == 201:
        where = _path(_json(mounted, "`POST /avatars`").get("url", ""))
        if not where.startswith("/site/avatars/"):
            raise Wrong(f"with the app mounted under /site (as a proxy or a WSGI dispatcher can do), the upload "
                        f"answered the URL {where!r}, which does not lead to the picture.")
    below = PNG + bytes(500_000)  # well under the limit: still a picture to keep
    half = ask(avatar_app, "POST", "/avatars", data={"image": (io.BytesIO(below), "half.png")})
    if half.status_code != 201:
        raise Wrong(f"`POST /avatars` with a PNG of {len(below):,} bytes, under 1 MiB, answered {half.status}; "
                    "expected 201: only a request larger than 1 MiB is refused.")
    stored = sorted(p.name for p in folder.iterdir())
    big = PNG + bytes(1024 * 1024)  # a PNG by its first bytes, just over 1 MiB
    for what, body in [(f"a PNG of {len(big):,} bytes", {"data": {"image": (io.BytesIO(big), "big.png")}}),
                       (f"the same {len(big):,} bytes sent in chunks, with no Content-Length",
                        _chunked("b0undary", [("image", "big.png", big)]))]:
        answer = ask(avatar_app, "POST", "/avatars", **body)
        if answer.status_code != 413:
            raise Wrong(f"`POST /avatars` with {what} answered {answer.status}; expected 413, the answer for a "
                        "request larger than 1 MiB.")
    refused = {
        "not-a-picture.png (HTML named .png)": {"image": (io.BytesIO(FAKE_PNG), "not-a-picture.png", "image/png")},
        "a file that starts with 4 of the signature's 8 bytes, then HTML":
            {"image": (io.BytesIO(PNG_SIGNATURE[:4] + b"<html><script>alert(1)</script>"), "half.png", "image/png")},
        "the empty part of an unused picker": {"image": (io.BytesIO(b""), "")},
        "a form with no image field": {"caption": "none"},
    }
    for what, data in refused.items():
        answer = ask(avatar_app, "POST", "/avatars", data=data, content_type="multipart/form-data")
        if answer.status_code != 400 or not (answer.is_json and "error" in (answer.get_json() or {})):
            raise Wrong(f"`POST /avatars` with {what} answered {answer.status}: {answer.get_data(as_text=True)[:100]!r}.")
    if sorted(p.name for p in folder.iterdir()) != stored:
        raise Wrong("a refused upload still left a file in AVATARS.")
    (folder.parent / "08-secret.txt").write_text("not for visitors\n")
    for probe in ["/avatars/..%2F08-secret.txt", "/avatars/../08-secret.txt", "/avatars/nothing.png"]:
        answer = ask(avatar_app, "GET", probe)
        if answer.status_code == 200:
            raise Wrong(f"`GET {probe}` answered 200 with {answer.get_data()[:40]!r}.")
    if len(stored) - len(before) < 2:
        raise Wrong(f"after three good uploads AVATARS holds {stored!r}.")
    return ("a PNG (201, served back as image/png with nosniff), two uploads named me.png, one named "
            "../../../evil.png, a PNG named hi.html with a script after its signature, the app mounted under /site, "
            "two PNGs at one instant of a stopped clock, "
            "a PNG of 500 kB (201) and one over 1 MiB, whole and in chunks (413), HTML named .png, half a signature, "
            "an empty part, "
            "no field, and GETs of a missing name and of ../ tricks")
