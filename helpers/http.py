"""Show a request and its response as the HTTP text that crosses the wire."""

from dataclasses import dataclass
from urllib.parse import urlsplit

BODY_LIMIT = 600


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


def raw(response, limit=BODY_LIMIT):
    """The HTTP text of a ``requests`` or Flask test-client response and its request."""
    if hasattr(response, "raw") and hasattr(response.request, "path_url"):
        return _from_requests(response, limit)
    if hasattr(response, "request") and hasattr(response.request, "environ"):
        return _from_test_client(response, limit)
    raise TypeError(f"expected a requests or Flask test-client response, not {type(response).__name__}")


def _from_requests(response, limit):
    """Rebuild the exchange from ``requests``; urllib3 adds the Host header as it sends."""
    sent = response.request
    headers = [("Host", urlsplit(sent.url).netloc), *sent.headers.items()]
    request = _message(f"{sent.method} {sent.path_url} HTTP/1.1", headers, sent.body, limit)
    version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(response.raw.version, "HTTP/1.1")
    status = f"{version} {response.status_code} {response.reason}"
    return Exchange(request, _message(status, response.raw.headers.items(), response.content, limit))


def _from_test_client(response, limit):
    """Rebuild the exchange from the WSGI environ the test client made; no socket was used."""
    environ = response.request.environ
    stream = environ.get("wsgi.input")
    body = b""
    if stream is not None and hasattr(stream, "seek"):
        stream.seek(0)
        body = stream.read()
    line = f"{environ['REQUEST_METHOD']} {environ['REQUEST_URI']} {environ['SERVER_PROTOCOL']}"
    request = _message(line, response.request.headers.items(), body, limit)
    status = f"{environ['SERVER_PROTOCOL']} {response.status}"
    return Exchange(request, _message(status, response.headers.items(), response.get_data(), limit))


def _message(first_line, headers, body, limit):
    """Start line, header lines, a blank line, then the body (shortened past ``limit``)."""
    lines = [first_line, *(f"{name}: {value}" for name, value in headers), ""]
    return "\n".join(lines) + "\n" + _body(body, limit)


def _body(body, limit):
    """The body as text, or a note when it is binary or long."""
    if not body:
        return ""
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(body, bytes):
        return "<streamed body>"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(body)} bytes of binary data>"
    if len(text) > limit:
        return f"{text[:limit]}… <{len(text) - limit} more characters>"
    return text
