"""JupyterLab as the course installs it asks no learner about news and checks for no update."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from tests.support import free_port
from tools import lab_settings

NOTIFICATION = "@jupyterlab/apputils-extension:notification"
TOKEN = "lab-settings-test"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A real JupyterLab from this environment, with a user of its own (no personal settings)."""
    home = tmp_path_factory.mktemp("lab")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    env.pop("JUPYTERLAB_DIR", None)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={home}",
    ]
    process = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/api/status", headers={"Authorization": f"token {TOKEN}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


@pytest.mark.slow  # starts JupyterLab
def test_the_running_lab_has_news_and_update_checks_off(lab):
    answer = requests.get(f"{lab}/lab/api/settings/{NOTIFICATION}", headers={"Authorization": f"token {TOKEN}"}, timeout=30)
    assert answer.ok, answer.text
    settings = answer.json()
    defaults = settings["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false", "JupyterLab would ask every learner about news"
    assert defaults["checkForUpdates"]["default"] is False
    assert settings["settings"] == {}, "these come from the environment's defaults, not from a user's file"


def test_installing_keeps_settings_already_there(tmp_path):
    path = lab_settings.target(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        NOTIFICATION: {"doNotDisturbMode": True, "fetchNews": "true"},
    }))
    assert lab_settings.install(tmp_path) == path
    written = json.loads(path.read_text())
    assert written["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert written[NOTIFICATION] == {"doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False}


def test_every_install_path_installs_the_settings():
    from tools.chapters import ROOT

    assert "python -m tools.lab_settings" in (ROOT / "postBuild").read_text()  # Binder
    assert '"-m", "tools.lab_settings"' in (ROOT / "course.py").read_text()  # make lab, make test, py course.py
    assert "python -m tools.lab_settings" in (ROOT / "README.md").read_text()  # conda
