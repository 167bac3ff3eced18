"""Show a request and its response as the HTTP text that crosses the wire."""

import codecs
from dataclasses import dataclass
from urllib.parse import urlsplit

# Characters of a body shown.
BODY_LIMIT = 600
# Bytes of a body read at most: a streamed body may never end, and reading it whole would
# fill the kernel's memory. The exercise checks read WSGI bodies with the same cap.
BODY_CAP = 1_000_000
_CHUNK = 64 * 1024


def read_capped(chunks, cap=BODY_CAP):
    """Join byte chunks until more than ``cap`` bytes have come; return (at most ``cap`` bytes, whether cut).

    :param chunks: an iterable of ``bytes``, such as a WSGI response or ``iter_content()``.
    :param cap: the most bytes to keep; reading stops at the first chunk past it.
    """
    parts, size = [], 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size > cap:
            return b"".join(parts)[:cap], True
    return b"".join(parts), False


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, each as message text."""

    request: str
    response: str

    def __str__(self):
        return f"{self.request.rstrip()}\n\n{'-' * 20} response {'-' * 20}\n\n{self.response}"

    def __repr__(self):
        return str(self)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def raw(response, limit=BODY_LIMIT, cap=BODY_CAP):
    """The HTTP text of a ``requests`` or Flask test-client response and its request.

    :param response: from ``requests`` (``stream=True`` too) or from Flask's test client.
    :param limit: characters of each body to show.
    :param cap: bytes of a body not read yet to read at most; the output says when it cut.
    """
    if hasattr(response, "raw") and hasattr(response.request, "path_url"):
        return _from_requests(response, limit, cap)
    if hasattr(response, "request") and hasattr(response.request, "environ"):
        return _from_test_client(response, limit, cap)
    raise TypeError(f"expected a requests or Flask test-client response, not {type(response).__name__}")


def _from_requests(response, limit, cap):
    """Rebuild the exchange from ``requests``; urllib3 adds the Host header as it sends."""
    sent = response.request
    headers = [("Host", urlsplit(sent.url).netloc), *sent.headers.items()]
    request = _message(f"{sent.method} {sent.path_url} HTTP/1.1", headers, sent.body, limit)
    version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(response.raw.version, "HTTP/1.1")
    status = f"{version} {response.status_code} {response.reason}"
    body, cut = _requests_body(response, cap)
    return Exchange(request, _message(status, response.raw.headers.items(), body, limit, cut))


def _requests_body(response, cap):
    """The body of a ``requests`` response, reading at most ``cap`` bytes of one still on the wire."""
    # requests has read the body already unless stream=True was passed; it has no public
    # flag for this, so ask the attribute its own .content property uses.
    if response._content_consumed:
        return response.content, False
    body, cut = read_capped(response.iter_content(_CHUNK), cap)
    if cut:
        response.close()  # the rest may never end: drop the connection instead of reading on
    else:
        response._content = body  # keep .content and .text working, as reading them would have
    return body, cut


def _from_test_client(response, limit, cap):
    """Rebuild the exchange from the WSGI environ the test client made; no socket was used."""
    environ = response.request.environ
    stream = environ.get("wsgi.input")
    body, body_cut = b"", False
    if stream is not None and hasattr(stream, "seek"):
        stream.seek(0)
        body = stream.read(cap + 1)
        body, body_cut = body[:cap], len(body) > cap
    line = f"{environ['REQUEST_METHOD']} {environ['REQUEST_URI']} {environ['SERVER_PROTOCOL']}"
    request = _message(line, response.request.headers.items(), body, limit, body_cut)
    status = f"{environ['SERVER_PROTOCOL']} {response.status}"
    if response.is_sequence:  # buffered already
        data, cut = response.get_data(), False
    else:
        data, cut = read_capped(response.iter_encoded(), cap)
        if cut:
            response.close()  # let the app's generator clean up; the rest is never read
        else:
            response.response = [data]  # keep get_data() working, as buffering it would have
    return Exchange(request, _message(status, response.headers.items(), data, limit, cut))


def _message(first_line, headers, body, limit, cut=False):
    """Start line, header lines, a blank line, then the body (shortened past ``limit``)."""
    lines = [first_line, *(f"{name}: {value}" for name, value in headers), ""]
    return "\n".join(lines) + "\n" + _body(body, limit, cut)


def _body(body, limit, cut=False):
    """The body as text, or a note when it is binary, long, or was cut while being read."""
    if not body:
        return ""
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(body, bytes):
        return "<streamed body>"
    cut_note = f"body cut after {len(body):,} bytes: the rest was not read"
    try:
        # A cut may split a character: leave its first bytes out instead of calling it binary.
        text = codecs.getincrementaldecoder("utf-8")().decode(body, final=not cut)
    except UnicodeDecodeError:
        return f"<{len(body):,} bytes of binary data{'; ' + cut_note if cut else ''}>"
    if cut:
        return f"{text[:limit]}{'…' if len(text) > limit else ''} <{cut_note}>"
    if len(text) > limit:
        return f"{text[:limit]}… <{len(text) - limit} more characters>"
    return text
