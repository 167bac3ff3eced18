"""The background server: start, replace, stop, errors and logs."""

import errno
import gc
import os
import socket
import threading
import time
import warnings
from pathlib import Path

import pytest
import requests
from flask import Flask, request

from helpers import Server, serve, servers, stop_all
from helpers.server import LOG_LINES
from tests.support import make_app


def open_fds():
    gc.collect()  # close sockets that earlier tests dropped, so they are not counted
    return len(os.listdir("/proc/self/fd"))


def test_serves_on_loopback_and_a_free_port(app):
    server = serve(app)
    assert server.port > 0
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server._httpd.socket.getsockname()[0] == "127.0.0.1"
    assert requests.get(server.url + "/target", timeout=5).text == "target page"


def test_200_cycles_leave_no_thread_or_file_descriptor(app):
    serve(app).stop()  # warm up imports and lazily created objects
    threads, fds = threading.active_count(), open_fds()
    for _ in range(200):
        server = serve(app)
        assert requests.get(server.url + "/target", timeout=5).status_code == 200
        server.stop()
    assert threading.active_count() == threads
    assert open_fds() <= fds  # a leak would add one or more per cycle


def test_same_name_replaces_the_server_and_the_new_app_answers():
    old = serve(make_app(greeting="old"), name="chapter")
    new = serve(make_app(greeting="new"), name="chapter")
    assert not old.running
    assert servers() == {"chapter": new}
    assert "new" in requests.get(new.url, timeout=5).text
    with pytest.raises(requests.ConnectionError):
        requests.get(old.url, timeout=5)


def test_default_name_comes_from_the_app(app):
    server = serve(app)
    assert server.name == "test-app"
    assert serve(make_app(name="test-app")) is servers()["test-app"]
    assert not server.running


def test_busy_fixed_port_raises_a_clear_oserror():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(OSError, match=rf"Port {port} .*in use"):
            serve(make_app(), name="busy", port=port)
    assert "busy" not in servers()


@pytest.mark.parametrize("bad", ["busy", 1.5, 70000])
def test_a_rerun_with_a_bad_port_keeps_the_running_server(bad):
    running = serve(make_app(greeting="still here"), name="kept")
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1] if bad == "busy" else bad
        with pytest.raises((OSError, TypeError, ValueError)):
            serve(make_app(greeting="new"), name="kept", port=port)
    assert servers() == {"kept": running}
    assert "still here" in requests.get(running.url, timeout=5).text


def test_fixed_port_can_be_reused_after_a_stop():
    first = serve(make_app(), name="fixed")
    port = first.port
    second = serve(make_app(greeting="again"), name="fixed", port=port)
    assert "again" in requests.get(second.url, timeout=5).text


def test_stop_is_idempotent_and_the_context_manager_stops(app):
    with Server(app, "ctx") as server:
        assert server.running
    assert not server.running
    server.stop()
    assert not server.running


def accepted_idle_connection(server):
    """A connection the server has accepted and that sends nothing, as a browser's spare one."""
    idle = socket.create_connection(("127.0.0.1", server.port))
    # The server accepts in order, so once a later connection is answered this one was accepted.
    assert requests.get(server.url + "/target", timeout=5).status_code == 200
    return idle


def test_stop_closes_idle_connections_quickly(app):
    """Idle connections end by the server's idle timeout while it runs, and at once on stop()."""
    timed = Server(app, "timed", idle_timeout=0.3)
    with accepted_idle_connection(timed) as idle:
        idle.settimeout(5)
        started = time.monotonic()
        assert idle.recv(100) == b"", "the server did not close an idle connection"
        assert time.monotonic() - started < 3, "the idle timeout was not applied"
        assert timed.running  # only the connection was closed
    timed.stop()

    server = serve(app)  # the default idle timeout (10 s) is far longer than stop() may take
    threads = threading.active_count()
    with accepted_idle_connection(server) as idle:
        idle.settimeout(5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a request thread left behind would warn
            started = time.monotonic()
            server.stop()
            stopped_in = time.monotonic() - started
        assert idle.recv(100) == b""
    assert stopped_in < 1, f"stop() took {stopped_in:.1f} s with an idle connection open"
    assert threading.active_count() == threads - 1  # the serve thread and the idle connection's are gone


def test_stop_all_stops_every_server():
    serve(make_app(), name="a")
    serve(make_app(), name="b")
    assert stop_all() == 2
    assert servers() == {}


def test_request_lines_go_to_the_log_not_to_the_output(app, capfd):
    server = serve(app)
    requests.get(server.url + "/target?x=1", timeout=5)
    assert server.log == ['"GET /target?x=1 HTTP/1.1" 200']
    out, err = capfd.readouterr()
    assert "GET /target" not in out + err


def test_repr_tells_the_state(app):
    server = serve(app, name="shown")
    assert repr(server) == f"<Server 'shown' running at {server.url}/>"
    server.stop()
    assert "stopped" in repr(server)


def serve_threads():
    return [t for t in threading.enumerate() if t.name.startswith("flask-course-server-")]


def test_one_name_served_from_many_threads_at_once_leaves_one_server():
    app = make_app()
    for trial in range(30):
        start = threading.Barrier(4)
        started = []

        def serve_at_once():
            start.wait()
            started.append(serve(app, name="race"))

        racers = [threading.Thread(target=serve_at_once) for _ in range(4)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        running = [server for server in started if server.running]
        assert len(running) == 1, f"trial {trial}: {len(running)} servers running under one name"
        assert servers() == {"race": running[0]}
        assert len(serve_threads()) == 1
    assert stop_all() == 1
    assert serve_threads() == []


@pytest.mark.parametrize("port", [1.5, True, False, "8000", None, 8000.0])
def test_a_port_that_is_not_a_whole_number_is_refused(port):
    before = threading.active_count()
    with pytest.raises(TypeError, match=rf"port must be a whole number from 0 to 65535 .*not {port!r}"):
        serve(make_app(), name="odd", port=port)
    assert "odd" not in servers() and threading.active_count() == before


@pytest.mark.parametrize("port", [65536, 70000, -1, 2**64])
def test_a_port_out_of_range_is_refused(port):
    with pytest.raises(ValueError, match=rf"port {port} is out of range: ports go from 1 to 65535"):
        serve(make_app(), name="far", port=port)
    assert "far" not in servers()


def test_a_port_refused_for_permission_names_the_cause(monkeypatch):
    # Tests run as root, which may bind any port: fake what a learner's laptop answers.
    real_bind = socket.socket.bind

    def bind(sock, address):
        if address[1] == 80:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_bind(sock, address)

    monkeypatch.setattr(socket.socket, "bind", bind)
    with pytest.raises(PermissionError, match="Port 80 on 127.0.0.1 needs more permission") as error:
        serve(make_app(), name="low", port=80)
    assert "in use" not in str(error.value)
    assert "below 1024" in str(error.value) and "port=0" in str(error.value)
    assert "low" not in servers()
    assert serve(make_app(), name="low").port != 80  # port=0 still works


def test_a_busy_port_is_not_blamed_on_permission():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(OSError) as error:
            serve(make_app(), name="busy", port=port)
    assert error.value.errno == errno.EADDRINUSE
    assert "permission" not in str(error.value)


def test_the_log_keeps_only_the_last_lines(app):
    server = serve(app)
    extra = 25
    with requests.Session() as browser:
        for number in range(LOG_LINES + extra):
            browser.get(f"{server.url}/target?n={number}", timeout=5)
    log = server.log
    assert len(log) == LOG_LINES
    assert log[0] == f'"GET /target?n={extra} HTTP/1.1" 200'
    assert log[-1] == f'"GET /target?n={LOG_LINES + extra - 1} HTTP/1.1" 200'


def stuck_app(gate, entered):
    """An app whose view waits for ``gate``; ``entered`` is set once a request is inside it."""
    stuck = Flask("stuck")

    @stuck.get("/stuck")
    def wait_for_gate():
        entered.set()
        gate.wait(timeout=30)
        return "released"

    @stuck.post("/upload")
    def read_body():
        entered.set()
        return f"{len(request.get_data())} bytes"  # waits for a body the client never sends

    return stuck


def get_or_error(url):
    """The page's text, or "ConnectionError" when the server drops the connection."""
    try:
        return requests.get(url, timeout=30).text
    except requests.ConnectionError:
        return "ConnectionError"


def test_stop_names_a_stuck_view_and_nothing_is_left_once_it_returns():
    gate, entered = threading.Event(), threading.Event()
    serve(make_app()).stop()  # warm up
    fds, threads = open_fds(), threading.active_count()
    server = serve(stuck_app(gate, entered))
    outcome = []
    client = threading.Thread(target=lambda: outcome.append(get_or_error(server.url + "/stuck")))
    client.start()
    assert entered.wait(5)
    started = time.monotonic()
    with pytest.warns(RuntimeWarning, match=r"1 request\(s\) still running after 0.3 s: GET /stuck HTTP/1.1"):
        server.stop(timeout=0.3)
    assert time.monotonic() - started < 2, "stop() waited for the stuck view instead of its timeout"
    client.join(5)
    assert outcome == ["ConnectionError"], "the client of a stuck view must lose its connection"
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/target", timeout=5)  # no longer listening
    gate.set()  # the view returns: its thread and its socket go
    deadline = time.monotonic() + 5
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == threads
    assert open_fds() <= fds


def test_stop_ends_a_request_waiting_for_a_body_that_never_comes():
    gate, entered = threading.Event(), threading.Event()
    threads = threading.active_count()
    server = serve(stuck_app(gate, entered))
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nonly this")
    assert entered.wait(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        server.stop()
    assert threading.active_count() == threads  # stop() waited for the request's thread
    slow.close()


def switches_of(thread):
    """Voluntary context switches of ``thread`` so far (Linux), or None elsewhere."""
    status = Path(f"/proc/self/task/{thread.native_id}/status")
    if not status.exists():
        return None
    line = next(line for line in status.read_text().splitlines() if line.startswith("voluntary_ctxt_switches"))
    return int(line.split()[1])


def settled_switches(thread):
    """The thread's context switches once they stop changing (it has gone to sleep), or None."""
    last = switches_of(thread)
    for _ in range(40):
        time.sleep(0.05)
        now = switches_of(thread)
        if now == last:
            return now
        last = now
    return last


def test_the_serve_loop_sleeps_until_a_connection_or_stop(app):
    server = serve(app)
    loop, thread = server._httpd, server._thread
    switches = settled_switches(thread)  # after starting the thread blocks once, in select()
    before = loop.iterations
    time.sleep(0.5)  # a loop that polled would have run here
    assert loop.iterations == before, "the serve loop ran while nothing happened"
    if switches is not None:
        assert switches_of(thread) == switches, "the serve thread woke up while nothing happened"

    requests.get(server.url + "/target", timeout=5)
    assert loop.iterations > before  # the counter does count
    settled_switches(thread)  # back asleep in select()
    woken = loop.iterations
    server.stop()
    assert loop.iterations == woken + 1, "stop() should wake the loop once, at once"
    assert not thread.is_alive()
