"""Binder's path: exactly what environment.yml lists, then postBuild, then a chapter runs.

repo2docker installs environment.yml with conda; where conda is absent this test installs
the same pip section with pip into a fresh virtual environment, copies the tracked files
(as repo2docker copies the repository), runs postBuild there and runs chapter 1 under nbval.
pip takes the wheels from this run's one download of the pins (tests/wheels.py), not from the
package index: environment.yml asks for exactly what they are, and a name or version the
wheelhouse lacks fails the install as the index would.
"""

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.wheels import pip_from
from tools.chapters import ROOT


def tracked_files():
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [name for name in listing.decode().split("\0") if name and (ROOT / name).exists()]


@pytest.mark.network  # every pin's wheel comes from the package index (downloaded once per run)
@pytest.mark.notebook
@pytest.mark.slow
def test_environment_yml_postbuild_and_a_chapter(tmp_path, wheelhouse):
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python_pin = next(dep for dep in env["dependencies"] if isinstance(dep, str) and dep.startswith("python="))
    wanted = tuple(int(part) for part in python_pin.split("=")[1].split("."))
    if sys.version_info[:2] != wanted[:2]:
        pytest.skip(f"environment.yml pins Python {wanted}; this is {sys.version_info[:2]}")
    pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))

    repo = tmp_path / "repo"
    for name in tracked_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    venv = tmp_path / "binder-env"
    # virtualenv (tox's) seeds a current pip from its own wheels, as conda-forge's pip is current:
    # a third of the CPU of `python -m venv` with 3.11's pip 23.2, which also installs at half
    # the speed. --no-periodic-update: it would fetch newer wheels from PyPI in the background.
    subprocess.run([sys.executable, "-m", "virtualenv", "--quiet", "--no-periodic-update", str(venv)], check=True)
    bin_dir = venv / "bin"
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST", "COURSE_"))}
    local = {**clean, **pip_from(wheelhouse)}  # postBuild's build of the helpers takes setuptools from there too
    quiet = ["--quiet", "--disable-pip-version-check"]
    # --no-compile: byte-compiling every library only speeds up later imports, and costs a third of the install.
    subprocess.run([bin_dir / "python", "-m", "pip", "install", *quiet, "--no-compile", *pip], env=local, check=True)
    subprocess.run(["bash", "postBuild"], cwd=repo, env={**local, "PATH": path}, check=True, capture_output=True)

    run = subprocess.run(
        [bin_dir / "python", "-m", "pytest", "-q", "notebooks/01-what-is-flask.ipynb"],
        cwd=repo, env={**clean, "PATH": path}, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
    helpers_file = subprocess.run(
        [bin_dir / "python", "-c", "import helpers; print(helpers.__file__)"],
        cwd=tmp_path, env={**clean, "PATH": path}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert helpers_file.startswith(str(repo)), "postBuild installed the helpers from the repository"
