"""The background server: start, replace, stop, errors and logs."""

import gc
import os
import socket
import threading

import pytest
import requests

from helpers import Server, serve, servers, stop_all
from tests.conftest import make_app


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


def test_stop_closes_idle_connections_quickly(app):
    server = serve(app)
    idle = socket.create_connection(("127.0.0.1", server.port))  # connected, sends nothing
    try:
        thread = threading.Thread(target=server.stop)
        thread.start()
        thread.join(timeout=2)
        assert not thread.is_alive(), "stop() hung on an idle connection"
    finally:
        idle.close()


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
