"""Links to the running app, directly and through a real jupyter-server-proxy."""

import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from helpers import app_url, frame, link, serve

TOKEN = "course-test-token"
BASE = "/user/learner/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """A real Jupyter server with jupyter-server-proxy on loopback, under a hub-like prefix."""
    home = tmp_path_factory.mktemp("jupyter")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
    }
    command = [
        sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={BASE}", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={home}",
    ]
    process = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.headers["Authorization"] = f"token {TOKEN}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if session.get(f"{url}{BASE}api/status", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"jupyter server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        yield url, session
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_locally_the_link_goes_straight_to_the_server(app, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    server = serve(app)
    assert app_url(server, "/go") == f"{server.url}/go"
    assert f'href="{server.url}/"' in link(server).data
    assert 'target="_blank"' in link(server).data
    assert f'<iframe src="{server.url}/target"' in frame(server, "target").data


def test_on_a_hub_the_link_goes_through_the_proxy(app, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE)
    server = serve(app)
    assert app_url(server, "target") == f"/user/learner/proxy/absolute/{server.port}/target"


def test_url_for_links_and_redirects_work_through_jupyter_server_proxy(app, jupyter, monkeypatch):
    url, session = jupyter
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE)
    server = serve(app)
    page = session.get(url + app_url(server, "/"), timeout=10)
    assert page.status_code == 200, page.text
    href = re.search(r'href="([^"]+)"', page.text)[1]
    assert href == f"{BASE}proxy/absolute/{server.port}/target"
    assert session.get(url + href, timeout=10).text == "target page"

    redirected = session.get(url + app_url(server, "/go"), timeout=10)
    assert redirected.history and redirected.history[0].status_code == 302
    assert redirected.url == url + href
    assert redirected.text == "target page"


def test_direct_requests_are_not_rewritten(app):
    server = serve(app)
    page = requests.get(server.url + "/", timeout=5).text
    assert 'href="/target"' in page
