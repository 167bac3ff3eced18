"""Fixtures shared by the tests: a small app, no server left behind, and a real Jupyter server."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
import requests

from helpers import stop_all
from tests.support import free_port, make_app


@pytest.fixture
def app():
    return make_app()


@pytest.fixture(autouse=True)
def _no_servers_left():
    """Stop whatever a test started, so one test's server cannot answer another's request."""
    yield
    stop_all()


class Jupyter(NamedTuple):
    """A running Jupyter server: where it listens, a session that sends its token, its base URL and token."""

    url: str
    session: requests.Session
    base: str
    token: str


@pytest.fixture(scope="session")
def jupyter(tmp_path_factory):
    """A real Jupyter server with jupyter-server-proxy on loopback, under a hub-like prefix."""
    home = tmp_path_factory.mktemp("jupyter")
    port, base, token = free_port(), "/user/learner/", "course-test-token"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
    }
    command = [
        sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={base}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={home}",
    ]
    process = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if session.get(f"{url}{base}api/status", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"jupyter server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        yield Jupyter(url, session, base, token)
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
