"""The npm tools some tests run: JupyterHub's proxy and axe-core, pinned in tests/npm.

``make test`` installs them with ``npm ci`` from tests/npm/package-lock.json (an install step,
like pip's). A test asks for one with :func:`require`; without Node.js, npm or the installed
package the test skips with the reason, except under ``CI=true``, where it fails.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

NPM = Path(__file__).parent / "npm"
MODULES = NPM / "node_modules"


def pinned(package):
    """The version of ``package`` that tests/npm/package.json pins."""
    return json.loads((NPM / "package.json").read_text())["dependencies"][package]


def missing(package):
    """Why ``package`` cannot be used, or None when its pinned version is installed."""
    if shutil.which("node") is None:
        return "needs Node.js and npm (apt-get install nodejs npm; .ci/run installs them)"
    manifest = MODULES / package / "package.json"
    if not manifest.exists():
        return f"needs npm's {package}: run make test, which runs npm ci in tests/npm"
    installed = json.loads(manifest.read_text())["version"]
    if installed != pinned(package):
        return f"tests/npm has {package} {installed}, the lockfile pins {pinned(package)}: run make test"
    return None


def require(package):
    """The folder of an installed npm package; skip (fail under CI=true) when it is missing."""
    reason = missing(package)
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return MODULES / package
