"""Serve a WSGI app from a background thread of the kernel."""

from __future__ import annotations

import atexit
import contextlib
import io
import re
import socket
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .hub_cookies import ScopedCookies

HOST = "127.0.0.1"

_servers: dict[str, Server] = {}
_registry_lock = threading.Lock()
_atexit_registered = False


class _Handler(WSGIRequestHandler):
    """Keep request log lines on the server and let the server close idle connections."""

    # Drop a keep-alive connection that stays idle this long (seconds).
    timeout = 10

    def setup(self):
        """Register the connection so that stopping the server can close it."""
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self):
        """Forget the connection once the request thread is done with it."""
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_request(self, code="-", size="-"):
        """Record the request line and status, without terminal colours."""
        self.server.request_log.append(f'"{self.requestline}" {code}')

    def log(self, type, message, *args):
        """Keep info lines out of the notebook; let errors reach stderr."""
        if type == "info":
            self.server.request_log.append(message % args)
        else:
            super().log(type, message, *args)


class _ProxyPrefix:
    """Move a ``.../proxy/absolute/PORT`` path prefix into ``SCRIPT_NAME``.

    jupyter-server-proxy's absolute route forwards the whole path. Moving the
    prefix into ``SCRIPT_NAME`` makes ``url_for`` links and redirects carry it,
    while requests that do not come through the proxy are left untouched.
    """

    def __init__(self, app, port):
        self.app = app
        self.pattern = re.compile(rf"^((?:/[^/]+)*/proxy/absolute/{port})(/.*)?$")

    def __call__(self, environ, start_response):
        match = self.pattern.match(environ.get("PATH_INFO", ""))
        if match:
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + match[1]
            environ["PATH_INFO"] = match[2] or "/"
        return self.app(environ, start_response)


class Server:
    """A WSGI app served by werkzeug on 127.0.0.1 in a daemon thread.

    :param app: the WSGI application, such as a Flask app.
    :param name: registry key; starting another server under it stops this one.
    :param port: TCP port; 0 picks a free one.
    :param poll_interval: seconds between shutdown checks; small means a fast stop.
    """

    def __init__(self, app, name, port=0, poll_interval=0.01):
        self.app = app
        self.name = name
        self.poll_interval = poll_interval
        self._httpd = _bind(app, port)
        self.port = self._httpd.port
        self._httpd.app = _ProxyPrefix(ScopedCookies(app), self.port)
        self._httpd.request_log = []
        self._httpd.connections = set()
        self._httpd.connections_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            args=(poll_interval,),
            name=f"flask-course-server-{name}",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self):
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:50123``."""
        return f"http://{HOST}:{self.port}"

    @property
    def log(self):
        """Request lines the server has answered, oldest first."""
        return list(self._httpd.request_log)

    @property
    def running(self):
        """True until the server has been stopped."""
        return self._thread.is_alive()

    def stop(self):
        """Stop serving, close open connections and wait for the threads; safe to repeat."""
        if self._thread.is_alive():
            self._httpd.shutdown()
            with self._httpd.connections_lock:
                open_connections = list(self._httpd.connections)
            for conn in open_connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._thread.join()
        self._httpd.server_close()
        with _registry_lock:
            if _servers.get(self.name) is self:
                del _servers[self.name]

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        state = "running" if self.running else "stopped"
        return f"<Server {self.name!r} {state} at {self.url}/>"


def _bind(app, port):
    """Create werkzeug's threaded server, turning its exit on a busy port into OSError."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            return make_server(HOST, port, app, threaded=True, request_handler=_Handler)
    except SystemExit:
        reason = captured.getvalue().strip().splitlines()
        reason = reason[0] if reason else "cannot bind"
        raise OSError(
            f"Port {port} on {HOST} is not available ({reason}). "
            "Another program is using it: pass port=0 to get a free port."
        ) from None


def serve(app, name=None, port=0):
    """Serve ``app`` in the background, replacing any server of the same name."""
    global _atexit_registered
    name = name or getattr(app, "name", None) or type(app).__name__
    with _registry_lock:
        old = _servers.get(name)
    if old is not None:
        old.stop()
    server = Server(app, name, port=port)
    with _registry_lock:
        _servers[name] = server
        if not _atexit_registered:
            atexit.register(stop_all)
            _atexit_registered = True
    return server


def stop_all():
    """Stop every server started with :func:`serve`; return how many were stopped."""
    with _registry_lock:
        running = list(_servers.values())
    for server in running:
        server.stop()
    return len(running)


def servers():
    """The running servers, by name."""
    with _registry_lock:
        return dict(_servers)
