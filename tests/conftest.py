"""Fixtures shared by the helper tests."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask, redirect, render_template_string, url_for

from helpers import stop_all


def make_app(name="test-app", greeting="hello"):
    """A small app with a link made by url_for, a redirect and a failing view."""
    app = Flask(name)

    @app.get("/")
    def index():
        return render_template_string('<a href="{{ url_for(\'target\') }}">go</a> {{ greeting }}', greeting=greeting)

    @app.get("/go")
    def go():
        return redirect(url_for("target"))

    @app.get("/target")
    def target():
        return "target page"

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("boom in a view")

    return app


@pytest.fixture
def app():
    return make_app()


@pytest.fixture(autouse=True)
def _no_servers_left():
    """Stop whatever a test started, so one test's server cannot answer another's request."""
    yield
    stop_all()


TOKEN = "course-test-token"
BASE = "/user/learner/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
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



HUB_FIGURES = Path(__file__).parent.parent / "build" / "hub" / "figures.json"


def pytest_sessionstart(session):
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Close the run with the JupyterHub test's figures, when it ran in this run."""
    if HUB_FIGURES.exists() and HUB_FIGURES.stat().st_mtime >= getattr(config, "started_at", float("inf")):
        terminalreporter.section("JupyterHub with several learners")
        for line in json.loads(HUB_FIGURES.read_text())["closing note"]:
            terminalreporter.write_line(line)
