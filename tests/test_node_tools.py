"""npm tools are pinned exactly, installed from the lockfile, and missing ones skip (fail in CI)."""

import json

import pytest

from tests import node_tools


def test_package_json_pins_exact_versions_and_the_lockfile_agrees():
    manifest = json.loads((node_tools.NPM / "package.json").read_text())
    lock = json.loads((node_tools.NPM / "package-lock.json").read_text())
    assert set(manifest["dependencies"]) == {"axe-core", "configurable-http-proxy"}
    for package, version in manifest["dependencies"].items():
        assert version[0].isdigit(), f"{package} must be pinned to one version, not {version}"
        assert lock["packages"][f"node_modules/{package}"]["version"] == version
        assert lock["packages"][""]["dependencies"][package] == version


@pytest.fixture
def fake_modules(tmp_path, monkeypatch):
    monkeypatch.setattr(node_tools, "MODULES", tmp_path)
    monkeypatch.setattr(node_tools.shutil, "which", lambda name: f"/usr/bin/{name}")
    return tmp_path


def test_a_missing_or_stale_package_says_what_to_run(fake_modules):
    assert "run make test" in node_tools.missing("axe-core")
    (fake_modules / "axe-core").mkdir()
    (fake_modules / "axe-core" / "package.json").write_text('{"version": "0.0.1"}')
    assert "0.0.1" in node_tools.missing("axe-core") and node_tools.pinned("axe-core") in node_tools.missing("axe-core")
    (fake_modules / "axe-core" / "package.json").write_text(json.dumps({"version": node_tools.pinned("axe-core")}))
    assert node_tools.missing("axe-core") is None


def test_missing_tools_skip_but_fail_under_ci(fake_modules, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        node_tools.require("configurable-http-proxy")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        node_tools.require("configurable-http-proxy")
