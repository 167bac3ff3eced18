"""Fixtures shared by the tests: a small app, no server left behind, a real Jupyter server,
chapters executed once for the handouts, and the course's wheels downloaded once per run."""

import atexit
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import pytest
import requests

from helpers import stop_all
from tests import wheels
from tests.support import free_port, make_app

# The folder where one download of the wheels serves every worker of this run (tests/wheels.py):
# made here, before pytest-xdist starts its workers, which inherit it, and removed when the run ends.
if wheels.VARIABLE not in os.environ:
    os.environ[wheels.VARIABLE] = tempfile.mkdtemp(prefix="course-wheels-")
    atexit.register(shutil.rmtree, os.environ[wheels.VARIABLE], ignore_errors=True)
    atexit.register(wheels.stop, os.environ[wheels.VARIABLE])  # runs first: atexit is last in, first out


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



@pytest.fixture(scope="session")
def executed_once():
    """A context manager inside which tools.handouts executes each chapter at most once on this worker.

    A chapter's kernel is the costly part of building its handouts, and tests/test_handouts.py and
    tests/test_accessibility.py build the same chapters: they share each executed notebook.
    """
    from tools import handouts  # nbconvert and nbclient: imported only where handouts are built

    execute = functools.cache(handouts.execute)  # by path: a chapter's file does not change during a run

    @contextlib.contextmanager
    def once():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(handouts, "execute", execute)
            yield

    return once


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Start downloading the wheels before any test runs, and let only one test wait for them at first.

    The tests that install from the download are marked network, so they would start first, each
    waiting for it on a worker of its own. The longest (the course in a folder with a space: it
    needs both steps) still starts first, while the other worker computes; the others go after the
    tests that run kernels, when the wheels are there.
    """
    yield
    waiting = [item for item in items if wheels.wanted([item])]
    if waiting and not config.option.collectonly:
        wheels.start(os.environ[wheels.VARIABLE])
    later = {id(item) for item in waiting if "dev_wheels" not in item.fixturenames}
    rest = [item for item in items if id(item) not in later]
    after_kernels = 1 + max((i for i, item in enumerate(rest) if item.get_closest_marker("notebook")), default=-1)
    items[:] = rest[:after_kernels] + [item for item in waiting if id(item) in later] + rest[after_kernels:]


@pytest.fixture(scope="session")
def wheelhouse():
    """What `make wheelhouse` did, once per run: its output, the wheels of every pin and the offline archive."""
    return wheels.wait(os.environ[wheels.VARIABLE], "wheelhouse")


@pytest.fixture(scope="session")
def dev_wheels():
    """The wheels of the test tools (requirements-dev.txt), downloaded once per run."""
    return wheels.wait(os.environ[wheels.VARIABLE], "dev")


@pytest.fixture(scope="session")
def offline_course(tmp_path_factory, wheelhouse):
    """The kit's offline install from make wheelhouse's archive, once per run, in ``.../My Courses/flåsk``.

    None when make wheelhouse failed (the tests say why). The tests that use it carry the mark
    tests.offline.GROUP, which keeps them on one pytest-xdist worker.
    """
    from tests import offline  # imports the kit's module: only where the install runs
    from tests.copies import FANCY

    if wheelhouse.returncode:
        return None
    return offline.install(wheelhouse.path("archive"), tmp_path_factory.mktemp("offline") / FANCY)


HUB_FIGURES = Path(__file__).parent.parent / "build" / "hub" / "figures.json"


def pytest_sessionstart(session):
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Close the run with the JupyterHub test's figures, when it ran in this run."""
    if HUB_FIGURES.exists() and HUB_FIGURES.stat().st_mtime >= getattr(config, "started_at", float("inf")):
        terminalreporter.section("JupyterHub with several learners")
        for line in json.loads(HUB_FIGURES.read_text())["closing note"]:
            terminalreporter.write_line(line)
