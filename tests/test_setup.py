"""The set-up files agree with each other: pins, Binder, CI and the README's commands."""

import re
import tomllib

import yaml
from packaging.specifiers import SpecifierSet

from tools.chapters import ROOT


def pins_from_requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_section(env):
    return next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))


def test_every_requirement_is_pinned():
    for requirement in pins_from_requirements():
        assert re.fullmatch(r"[a-z0-9-]+==[\w.]+", requirement), requirement


def test_environment_yml_and_requirements_txt_pin_the_same_versions():
    assert set(pip_section(environment())) == pins_from_requirements()


def test_environment_yml_is_ready_for_binder():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"] and "pip" in env["dependencies"]
    pip = pip_section(env)
    assert any(p.startswith("jupyter-server-proxy==") for p in pip)
    assert not [p for p in pip if p.startswith(("-e", ".", "/", "file:")) or " " in p], "no local paths"
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the root files"


def test_every_python_the_course_names_satisfies_the_package():
    requires = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    pin = next(dep for dep in environment()["dependencies"] if isinstance(dep, str) and dep.startswith("python="))
    binder = pin.split("=", 1)[1]
    assert binder in requires, f"environment.yml installs Python {binder}, which requires-python {requires} refuses"
    # The Makefile's search for an interpreter stops at the same oldest version the package accepts.
    major, minor = map(int, re.search(r"sys\.version_info < \((\d+), (\d+)\)", (ROOT / "Makefile").read_text()).groups())
    assert f"{major}.{minor}" in requires and f"{major}.{minor - 1}" not in requires
    readme = (ROOT / "README.md").read_text()
    supported = re.findall(r"3\.\d+", re.search(r"\*\*Supported Python versions: (.+?)\*\*", readme)[1])
    assert supported and all(version in requires for version in supported), supported
    assert f"Python {major}.{minor} or newer" in readme


def test_postbuild_installs_the_helpers_from_the_repository():
    post_build = (ROOT / "postBuild").read_text()
    assert post_build.startswith("#!/usr/bin/env bash")
    assert "pip install --no-deps --editable ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make lab", "make test"]
    assert readme.index("make lab") < readme.index("## What this is"), "the two commands come first"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == "make test"


def recipe(target):
    """The command lines of a Makefile target."""
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    return [line.removeprefix("\t") for line in block.splitlines()]


def pytest_config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]


def test_make_test_runs_every_test_over_tests_and_notebooks_in_parallel():
    [command] = recipe("test")
    words = command.split()
    assert words[:3] == ["$(BIN)/python", "-m", "pytest"]
    options = words[3:]
    assert not {"-m", "-k", "--deselect", "--ignore", "-x"} & set(options), "make test selects nothing: it runs every test"
    assert not [word for word in options if not word.startswith("-") and word not in ("$(WORKERS)", "loadgroup")], \
        "no paths: pytest takes testpaths"
    assert "-n" in options and "--dist loadgroup" in command and "--durations=15" in options
    config = pytest_config()
    assert config["testpaths"] == ["tests", "notebooks"]
    assert "--nbval-lax" in config["addopts"] and "--strict-markers" in config["addopts"]


def test_make_test_fast_leaves_out_exactly_what_needs_more_than_python():
    [command] = recipe("test-fast")
    expression = re.search(r'-m "not \((.+?)\)"', command)[1]
    registered = [line.split(":")[0] for line in pytest_config()["markers"]]
    needs = [name for name in registered if not name.startswith("xdist_group")]
    assert expression.split(" or ") == needs
    assert command.endswith(" tests"), "unit tests only: every notebook run is marked notebook anyway"


def test_ci_installs_node_and_make_test_installs_npms_tools_from_the_lockfile():
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'command -v node >/dev/null || node_missing="$node_missing nodejs"' in ci
    assert 'command -v npm >/dev/null || node_missing="$node_missing npm"' in ci
    assert ci.index("node_missing") < ci.rindex("make test")
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(TEST_STAMP\): .*\$\(NPM_STAMP\)$", makefile, re.MULTILINE)
    assert "npm ci --no-audit --no-fund" in makefile, "npm ci installs exactly what the lockfile says"
    assert "node_modules/" in (ROOT / ".gitignore").read_text()
