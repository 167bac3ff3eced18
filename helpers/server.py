"""Serve a WSGI app from a background thread of the kernel."""

from __future__ import annotations

import atexit
import collections
import contextlib
import errno
import operator
import selectors
import socket
import threading
import time
import warnings
from dataclasses import dataclass

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .links import ProxyPrefix

from .hub_cookies import ScopedCookies

HOST = "127.0.0.1"
# Request lines a server keeps: enough to read back, bounded however long it runs.
LOG_LINES = 500
# Seconds a connection may send nothing before the server closes it (browsers open spare
# connections; werkzeug answers each request with "Connection: close").
IDLE_TIMEOUT = 10.0
# Seconds stop() waits for requests still running once their connections are closed.
STOP_TIMEOUT = 2.0

_servers: dict[str, Server] = {}
# Held by serve() and stop_all() for their whole work, so that two threads serving one
# name cannot both start a server, and stop_all() sees every server (reentrant: serve()
# stops the old server, which removes itself from the registry).
_registry_lock = threading.RLock()
_atexit_registered = False


class _Handler(WSGIRequestHandler):
    """Keep request log lines on the server and let the server close idle connections."""

    def setup(self):
        """Give the connection the server's idle timeout before the streams are made."""
        self.timeout = self.server.idle_timeout
        super().setup()

    def run_wsgi(self):
        """Note the request line, so that stop() can name a request that is still running."""
        self.server.note_request_line(self.connection, self.requestline)
        super().run_wsgi()

    def log_request(self, code="-", size="-"):
        """Record the request line and status, without terminal colours."""
        self.server.add_log_line(f'"{self.requestline}" {code}')

    def log_error(self, format, *args):
        """Log an idle connection timing out with the requests: it is routine, not an error."""
        if format.startswith("Request timed out"):
            self.server.add_log_line(format % args)
        else:
            super().log_error(format, *args)

    def log(self, type, message, *args):
        """Keep info lines out of the notebook; let errors reach stderr."""
        if type == "info":
            self.server.add_log_line(message % args)
        else:
            super().log(type, message, *args)


@dataclass
class _Request:
    """A connection being served: its thread, and its request line once read."""

    thread: threading.Thread
    line: str = "(request line not read yet)"


class _BindError(Exception):
    """Carry a failed bind past werkzeug, which turns OSError into SystemExit."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class _WSGIServer(ThreadedWSGIServer):
    """Werkzeug's threaded server whose loop sleeps until a connection or a stop request.

    :param port: TCP port on 127.0.0.1, already validated; 0 picks a free one.
    :param app: the WSGI application.
    :param idle_timeout: seconds a connection may send nothing before it is closed.
    :param log_lines: how many request lines to keep.
    """

    # stop() joins the request threads itself, with a time limit.
    block_on_close = False

    def __init__(self, port, app, idle_timeout, log_lines):
        self.idle_timeout = idle_timeout
        self.iterations = 0  # passes of the serve loop: none while nothing happens
        self.connections: dict[socket.socket, _Request] = {}
        self.connections_lock = threading.Lock()
        self.request_log = collections.deque(maxlen=log_lines)
        self.log_lock = threading.Lock()
        self._stopping = False
        super().__init__(HOST, port, app, handler=_Handler)
        try:
            # Accept without blocking: a client gone between select() and accept() must
            # not hold the loop where stop() cannot wake it.
            self.socket.setblocking(False)
            self._wake_reader, self._wake_writer = socket.socketpair()
        except BaseException:
            self.server_close()
            raise

    def server_bind(self):
        """Bind as werkzeug does, but hand a failure to the caller instead of exiting."""
        try:
            super().server_bind()
        except OSError as error:
            raise _BindError(error) from None

    def serve_forever(self, poll_interval=None):
        """Accept connections until :meth:`wake_to_stop`; between them, sleep with no timeout.

        :param poll_interval: ignored: the loop never polls.
        """
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping:
                ready = selector.select()
                self.iterations += 1
                if self._stopping:
                    break
                if any(key.fileobj is self.socket for key, _ in ready):
                    self._handle_request_noblock()

    def wake_to_stop(self):
        """Make the serve loop end now, from any thread."""
        self._stopping = True
        # close() alone would not wake a select() running in another thread; a byte does.
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")

    def get_request(self):
        """Accept a connection; its socket blocks (with the idle timeout) like any other."""
        connection, address = self.socket.accept()
        connection.setblocking(True)
        return connection, address

    def process_request(self, request, client_address):
        """Serve the connection in a daemon thread, registered before it starts so stop() sees it."""
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"flask-course-request-{self.port}",
            daemon=True,
        )
        with self.connections_lock:
            self.connections[request] = _Request(thread)
        thread.start()

    def shutdown_request(self, request):
        """Forget the connection, then close it; under the lock so stop() never touches a closed socket."""
        with self.connections_lock:
            self.connections.pop(request, None)
            super().shutdown_request(request)

    def note_request_line(self, connection, line):
        """Remember which request a connection is serving."""
        with self.connections_lock:
            if connection in self.connections:
                self.connections[connection].line = line

    def add_log_line(self, line):
        """Append to the request log, which drops its oldest line when full."""
        with self.log_lock:
            self.request_log.append(line)

    def log_lines(self):
        """A copy of the request log, oldest first."""
        with self.log_lock:
            return list(self.request_log)

    def close_connections(self, timeout):
        """Shut every connection down, wait up to ``timeout`` seconds for their threads; return the stuck ones."""
        with self.connections_lock:
            serving = list(self.connections.values())
            for connection in self.connections:
                # Wakes a thread waiting to read the next request or to send; the client sees the end.
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for request in serving:
            if request.thread is not threading.current_thread():  # stop() called from a view
                request.thread.join(max(0.0, deadline - time.monotonic()))
        return [request for request in serving if request.thread.is_alive()]

    def server_close(self):
        """Close the listening socket and the wake-up pair."""
        super().server_close()
        for end in (getattr(self, "_wake_reader", None), getattr(self, "_wake_writer", None)):
            if end is not None:
                end.close()


class Server:
    """A WSGI app served by werkzeug on 127.0.0.1 in a daemon thread.

    :param app: the WSGI application, such as a Flask app.
    :param name: registry key; starting another server under it stops this one.
    :param port: TCP port from 0 to 65535; 0 picks a free one.
    :param idle_timeout: seconds after which a connection that sends nothing is closed.
    :param log_lines: how many request lines :attr:`log` keeps (the oldest go first).
    """

    def __init__(self, app, name, port=0, idle_timeout=IDLE_TIMEOUT, log_lines=LOG_LINES):
        self.app = app
        self.name = name
        self._httpd = _bind(app, port, idle_timeout, log_lines)
        self.port = self._httpd.port
        self._httpd.app = ProxyPrefix(ScopedCookies(app), self.port)
        self._stop_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
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
        """The last request lines the server has answered, oldest first."""
        return self._httpd.log_lines()

    @property
    def running(self):
        """True until the server has been stopped."""
        return self._thread.is_alive()

    def stop(self, timeout=STOP_TIMEOUT):
        """Stop serving, close every connection and wait for the threads; safe to repeat.

        The listening socket closes at once, so new connections are refused. Each open
        connection is shut down, which ends idle connections and requests waiting on
        the network, and stop() waits up to ``timeout`` seconds for their
        threads. A view still running after that (blocked on a lock, say) cannot be
        interrupted: its client has already lost the connection, its thread ends and its
        socket closes when the view returns, and stop() warns with a ``RuntimeWarning``
        naming the request.

        :param timeout: seconds to wait for requests still running.
        """
        stuck = []
        with self._stop_lock:
            if self._thread.is_alive():
                self._httpd.wake_to_stop()
                self._thread.join()
                stuck = self._httpd.close_connections(timeout)
            self._httpd.server_close()
        with _registry_lock:
            if _servers.get(self.name) is self:
                del _servers[self.name]
        if stuck:
            lines = ", ".join(request.line for request in stuck)
            warnings.warn(
                f"server {self.name!r} stopped, but {len(stuck)} request(s) still running after"
                f" {timeout:g} s: {lines}. Their clients were disconnected; each thread ends when"
                " its view returns.",
                RuntimeWarning,
                stacklevel=2,
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        state = "running" if self.running else "stopped"
        return f"<Server {self.name!r} {state} at {self.url}/>"


def _check_port(port):
    """``port`` as an int from 0 to 65535, or a clear error for what a socket would misread."""
    # A bool is an int to Python (True == 1), and a socket would turn 1.5 into 1.
    if isinstance(port, bool):
        raise TypeError(f"port must be a whole number from 0 to 65535 (0 picks a free port), not {port!r}")
    try:
        number = operator.index(port)
    except TypeError:
        raise TypeError(
            f"port must be a whole number from 0 to 65535 (0 picks a free port), not {port!r}"
        ) from None
    if not 0 <= number <= 65535:
        raise ValueError(f"port {number} is out of range: ports go from 1 to 65535, and 0 picks a free one")
    return number


def _bind(app, port, idle_timeout=IDLE_TIMEOUT, log_lines=LOG_LINES):
    """Create the server, with an error that names the cause when the port cannot be had."""
    port = _check_port(port)
    try:
        return _WSGIServer(port, app, idle_timeout, log_lines)
    except _BindError as failure:
        error = failure.error
    if error.errno == errno.EADDRINUSE:
        reason = "is in use by another program (or by another server of this kernel)"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = (
            f"needs more permission than this process has ({error.strerror}); on most systems"
            " only an administrator may use ports below 1024"
        )
    else:
        reason = f"cannot be used ({error.strerror})"
    # OSError(errno, text) gives the matching subclass: PermissionError, OSError for "in use".
    raise OSError(error.errno, f"Port {port} on {HOST} {reason}: pass port=0 to get a free port.") from None


def serve(app, name=None, port=0):
    """Serve ``app`` in the background, replacing any server of the same name.

    The old server keeps running when the new one cannot start (a busy or invalid port),
    unless it holds the very port asked for: then it has to stop first.
    """
    global _atexit_registered
    name = name or getattr(app, "name", None) or type(app).__name__
    port = _check_port(port)
    with _registry_lock:
        old = _servers.get(name)
        if old is not None and port != 0 and port == old.port:
            old.stop()
            old = None
        server = Server(app, name, port=port)
        if old is not None:
            old.stop()
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
