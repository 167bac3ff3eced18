"""The first commands on the machines newcomers have: course.py and the Makefile around it.

As root, without a working venv module, on Windows (faked), in a folder whose path has a space
and a non-ASCII letter, and for a fork that sets its own repository.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

import nbformat
import pytest
import requests

import course
from tools import latest, measure
from tools.chapters import ROOT
from tools.kit import KIT
from tools.sync import PLACEHOLDER, set_repository

from tests.copies import FANCY, copy_course
from tests.support import free_port

class Recorder:
    """Stands in for running commands: records each one, and fakes what venv creation leaves."""

    def __init__(self, fail=()):
        self.commands, self.fail = [], fail

    def __call__(self, command, quiet=False):
        self.commands.append(list(command))
        if command[1:3] == ["-m", "venv"]:
            Path(command[3]).mkdir(parents=True)
        return 1 if any(word in command for word in self.fail) else 0


# course.py: one code path for every system


def test_windows_uses_scripts_python_exe_and_keeps_paths_with_spaces_whole(tmp_path, monkeypatch, capsys):
    root = copy_course(tmp_path / FANCY)
    monkeypatch.setattr(os, "geteuid", lambda: 0)  # root on Linux, which Windows never checks
    run = Recorder()
    status = course.main(["lab"], course.Course(root, run=run, windows=True))
    assert status == 0
    python = str(root / ".venv" / "Scripts" / "python.exe")
    venv, *rest = run.commands
    assert venv == [sys.executable, "-m", "venv", str(root / ".venv")]
    assert rest and all(command[0] == python for command in rest), "every later step runs the venv's python.exe"
    assert " " in python and "å" in python
    assert rest[-1][1:4] == ["-m", "jupyter", "lab"] and rest[-1][-1] == str(Path("notebooks", "00-start-here.ipynb"))
    assert "--allow-root" not in rest[-1] and "root" not in capsys.readouterr().out


def test_elsewhere_uses_bin_python():
    assert course.venv_python(Path("a b") / ".venv", windows=False) == Path("a b", ".venv", "bin", "python")
    assert course.venv_python(Path("a b") / ".venv", windows=True) == Path("a b", ".venv", "Scripts", "python.exe")


@pytest.mark.parametrize("uid", [0, 1000])
def test_lab_adds_allow_root_only_for_root_and_says_so_once(tmp_path, monkeypatch, capsys, uid):
    monkeypatch.setattr(os, "geteuid", lambda: uid)
    run = Recorder()
    assert course.main(["lab", "--host", "0.0.0.0", "--port=9999"], course.Course(copy_course(tmp_path), run=run, windows=False)) == 0
    lab = run.commands[-1]
    assert "--ServerApp.ip=0.0.0.0" in lab and "--port=9999" in lab
    out = capsys.readouterr().out
    assert lab.count("--allow-root") == (uid == 0)
    assert out.count("--allow-root") == (uid == 0), out
    if uid == 0:
        assert re.search(r"^You are root\b.*--allow-root\.$", out, re.MULTILINE)


def test_each_install_step_is_announced_with_what_and_how_long(tmp_path, capsys):
    root = copy_course(tmp_path)
    run = Recorder()
    assert course.main(["install-test"], course.Course(root, run=run, windows=False)) == 0
    lines = capsys.readouterr().out.splitlines()
    pip_steps = [c for c in run.commands if c[1:3] == ["-m", "pip"] and "install" in c]
    assert len(pip_steps) == 4 and len(run.commands) == 7  # venv, pip --version, pip, three installs, lab settings
    assert pip_steps[0][-2:] == [course.PIP, "--quiet"], "a current pip first"
    assert run.commands[5][1:] == ["-m", "tools.lab_settings"]
    announced = [line for line in lines if line.startswith(("Creating", "Updating", "Installing"))]
    assert len(announced) == 5, lines
    assert any(line.startswith("Setting JupyterLab's defaults") for line in lines)
    assert all(re.search(r"\d+ s\b|a few seconds|a minute", line) for line in announced), announced
    measured = (ROOT / course.MEASURED).exists()
    assert measured == ("as measured" in announced[2]), "the download figures come from make measure"
    # A second run finds everything installed and does nothing.
    again = Recorder()
    assert course.main(["install-test"], course.Course(root, run=again, windows=False)) == 0
    assert again.commands == []


def test_a_changed_requirements_file_reinstalls_only_what_depends_on_it(tmp_path):
    root = copy_course(tmp_path)
    assert course.main(["install-test"], course.Course(root, run=Recorder(), windows=False)) == 0
    later = time.time() + 5
    os.utime(root / "requirements-dev.txt", (later, later))
    run = Recorder()
    assert course.main(["install-test"], course.Course(root, run=run, windows=False)) == 0
    installs = [[word for word in c[c.index("install") + 1:] if word != "--quiet"] for c in run.commands if "install" in c]
    assert installs == [["-r", "requirements-dev.txt"]]


def test_a_pip_that_cannot_be_updated_is_said_and_the_install_goes_on(tmp_path, capsys):
    run = Recorder(fail=(course.PIP,))  # offline, with no pip in the wheelhouse
    assert course.main(["install"], course.Course(copy_course(tmp_path), run=run, windows=False)) == 0
    out = capsys.readouterr().out
    assert "Could not update pip" in out and out.rstrip().endswith("Installed.")
    assert any("requirements.txt" in command for command in run.commands)


def test_a_failed_pip_install_says_which_step_and_fails(tmp_path, capsys):
    run = Recorder(fail=("requirements.txt",))
    assert course.main(["lab"], course.Course(copy_course(tmp_path), run=run, windows=False)) == 1
    assert "Installing requirements.txt failed" in capsys.readouterr().out
    assert not any("jupyter" in command for command in run.commands), "JupyterLab is not started"


@pytest.mark.parametrize("system, distro, root, fix", [
    ("Linux", {"debian"}, False, "sudo apt install python3.11-venv"),
    ("Linux", {"ubuntu", "debian"}, True, "apt install python3.11-venv"),
    ("Linux", {"fedora"}, False, "sudo dnf install python3.11 python3-pip-wheel"),
    ("Darwin", set(), False, "brew install python@3.11"),
])
def test_the_fix_for_a_missing_venv_module_is_one_command_per_system(system, distro, root, fix):
    assert course.venv_fix("3.11", system=system, distro=distro, root=root) == fix


def test_a_python_not_from_the_system_packages_gets_no_apt_advice():
    fix = course.venv_fix("3.12", system="Linux", distro={"debian"}, system_python=False)
    assert "apt" not in fix and "reinstall" in fix


def test_os_release_is_read_as_id_and_id_like(tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n')
    assert course.read_os_release(release) == {"ubuntu", "debian"}
    assert course.read_os_release(tmp_path / "missing") == set()


# The Makefile, run as a newcomer runs it


def stub_python(folder, module, code):
    """A folder to put first on PYTHONPATH, whose ``module`` shadows the standard library's."""
    (folder / module).mkdir(parents=True)
    (folder / module / "__init__.py").write_text("")
    (folder / module / "__main__.py").write_text(code)
    return folder


HALF_MADE = """\
import pathlib, sys
# What Debian's venv does without python3-venv: make the folder, then fail for want of ensurepip.
folder = pathlib.Path(sys.argv[-1])
(folder / "bin").mkdir(parents=True)
(folder / "pyvenv.cfg").write_text("home = /usr/bin\\n")
print("The virtual environment was not created successfully because ensurepip is not available.")
sys.exit(1)
"""
WITHOUT_PIP = """\
import sys
# A venv module that works but gives the environment no pip.
sys.path = [entry for entry in sys.path if "stubs" not in entry]
del sys.modules["venv"]
import venv
venv.main([*sys.argv[1:], "--without-pip"])
"""


@pytest.mark.parametrize("stub", [HALF_MADE, WITHOUT_PIP], ids=["venv-fails-half-way", "no-pip"])
def test_a_python_without_a_working_venv_gets_the_fix_and_leaves_no_venv(tmp_path, stub):
    root = copy_course(tmp_path / "course")
    stubs = stub_python(tmp_path / "stubs", "venv", stub)  # first on PYTHONPATH: `python -m venv` runs it
    env = {**os.environ, "PYTHONPATH": str(stubs)}
    done = subprocess.run(["make", "--no-print-directory", "lab", f"PYTHON={sys.executable}"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    version = "%d.%d" % sys.version_info[:2]
    assert f"Python {version} cannot make a virtual environment with pip" in done.stdout, done.stdout + done.stderr
    fix = course.venv_fix(version, system_python=sys.base_prefix.startswith("/usr"), root=course.is_root())
    assert f"Fix it with:  {fix}" in done.stdout
    assert not (root / ".venv").exists(), "no half-made .venv is left behind"


def first_page(url, token, wait=20):
    """GET ``url`` once the server listens (it logs its address a moment before)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return requests.get(url, params={"token": token}, timeout=30)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="runs only as root, like a plain container")
def test_make_lab_as_root_serves_chapter_0(tmp_path):
    if course.stale(ROOT / ".venv" / ".installed", [ROOT / name for name in course.LAB_INPUTS]):
        pytest.skip("needs the course's .venv installed (make lab or make test does it)")
    port = free_port()
    env = {**os.environ, "JUPYTER_PORT": str(port), "BROWSER": "true", "JUPYTER_RUNTIME_DIR": str(tmp_path),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    lab = subprocess.Popen(["make", "--no-print-directory", "lab"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    try:
        deadline = time.monotonic() + 120
        for line in lab.stdout:
            seen.append(line)
            token = re.search(rf"http://127\.0\.0\.1:{port}/\S*\?token=(\w+)", line)
            if token or time.monotonic() > deadline:
                break
        assert token, "".join(seen)
        # JupyterLab serves the chapter's folder, as it does for a learner.
        page = first_page(f"http://127.0.0.1:{port}/lab/tree/00-start-here.ipynb", token[1])
        assert page.status_code == 200 and "JupyterLab" in page.text, "".join(seen)
        chapter = requests.get(f"http://127.0.0.1:{port}/api/contents/00-start-here.ipynb",
                               params={"token": token[1], "content": 0}, timeout=30)
        assert chapter.status_code == 200 and chapter.json()["type"] == "notebook"
    finally:
        os.killpg(lab.pid, 15)
        lab.wait(timeout=30)
    text = "".join(seen)
    assert sum(line.startswith("You are root") for line in seen) == 1, text
    assert "Running as root is not recommended" not in text


def test_make_wheelhouse_keeps_paths_with_spaces_whole(tmp_path):
    # A stand-in python in a folder with a space: it answers the version question and "downloads"
    # one wheel, so that the recipe's quoting is tested without the network.
    bin_dir = tmp_path / "My Courses" / "flåsk env" / "bin"
    bin_dir.mkdir(parents=True)
    fake = bin_dir / "fake.py"
    fake.write_text(
        "import pathlib, subprocess, sys\n"
        "args = sys.argv[1:]\n"
        "if args[:3] == ['-m', 'pip', 'download']:\n"
        "    dest = pathlib.Path(args[args.index('--dest') + 1])\n"
        "    (dest / 'fake_lib-1.0-py3-none-any.whl').write_text('a wheel')\n"
        "else:\n"
        "    sys.exit(subprocess.call([sys.executable, *args]))\n"
    )
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$@"\n')
    (bin_dir / "python").chmod(0o755)
    out = tmp_path / "My Courses" / "out dir"
    archive = out / "flåsk offline.tar.gz"
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "wheelhouse", f"BIN={bin_dir}",
         f"WHEELHOUSE={out / 'wheel house'}", f"OFFLINE={archive}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "flask-course/build/wheelhouse/fake_lib-1.0-py3-none-any.whl" in names
    assert "flask-course/Makefile" in names
    assert "1 files" in done.stdout


# A fork's links: make sync REPOSITORY=owner/name


BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/")


def binder_links(root):
    """Every Binder link in the course's Markdown and notebooks, by the repository it names."""
    found = []
    for path in [root / "README.md", *sorted((root / "notebooks").rglob("*.ipynb")), *sorted((root / "notebooks").rglob("*.md"))]:
        found += [(path.relative_to(root), repo) for repo in BINDER.findall(path.read_text())
                  if repo != "OWNER/REPOSITORY"]  # the README's example of a link's form
    return found


def fancy_bin(folder):
    """A bin folder whose path has a space and a non-ASCII letter, with a ``python`` that runs this one."""
    bin_dir = folder / "My Courses" / "flåsk env" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)
    return bin_dir


@pytest.mark.slow  # make sync on a copy of the course: two processes that read every chapter
def test_make_sync_repository_changes_every_link(tmp_path):
    # In a folder with a space and a non-ASCII letter, with such a BIN: the recipe must quote both.
    root = copy_course(tmp_path / FANCY)
    before = binder_links(root)
    assert before and {repo for _, repo in before} == {tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]["repository"]}
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "sync",
                           "REPOSITORY=ada-lovelace/flask-course.fr", f"BIN={fancy_bin(tmp_path)}"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    after = binder_links(root)
    assert [path for path, _ in after] == [path for path, _ in before], "the same links, in the same places"
    assert {repo for _, repo in after} == {"ada-lovelace/flask-course.fr"}
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["course"]
    assert config["repository"] == "ada-lovelace/flask-course.fr" and config["branch"] == "main"
    readme = (root / "README.md").read_text()
    assert PLACEHOLDER not in readme, "the placeholder's advice goes once a real address is set"
    check = subprocess.run([sys.executable, "-m", "tools.sync", "--check"], cwd=root, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_badge_says_how_to_set_a_real_address_while_it_is_a_placeholder():
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index("<!-- binder:start -->"):readme.index("<!-- binder:end -->")]
    placeholder = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]["repository"] == PLACEHOLDER
    assert ("make sync REPOSITORY=owner/name" in block) == placeholder


@pytest.mark.parametrize("address", ["ada", "ada/", "/course", "ada/co urse", "-ada/course", "ada/..", 'a"b/c'])
def test_sync_refuses_what_is_not_a_github_repository(address):
    with pytest.raises(ValueError, match="owner/name"):
        set_repository((ROOT / "pyproject.toml").read_text(), address)


def test_set_repository_changes_only_that_line():
    text = (ROOT / "pyproject.toml").read_text()
    fresh = set_repository(text, "grace/flask-course")
    changed = [(a, b) for a, b in zip(text.splitlines(), fresh.splitlines()) if a != b]
    assert changed == [(next(line for line in text.splitlines() if line.startswith("repository = ")),
                        'repository = "grace/flask-course"')]


# Licences


def test_licence_files_for_code_and_text_are_named_in_the_readme():
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License\n")
    text = (ROOT / "LICENSE-TEXT.md").read_text()
    assert "Creative Commons Attribution 4.0 International" in text
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    readme = (ROOT / "README.md").read_text()
    assert "[LICENSE](LICENSE)" in readme and "[LICENSE-TEXT.md](LICENSE-TEXT.md)" in readme
    assert "BSD 3-Clause" in readme and "CC BY 4.0" in readme


@pytest.mark.slow
def test_every_handout_names_its_licence(tmp_path, monkeypatch):
    # Every kind of page make handouts writes: a chapter in both editions (every chapter goes
    # through the same template), the cheat sheet, the kit and the index. Built from the stored
    # chapter, unexecuted: running chapters is test_handouts.py's job.
    from tools import handouts  # nbconvert: imported here, not when make test in a copy collects this file

    monkeypatch.setattr(handouts, "execute", lambda path: nbformat.read(path, as_version=4))
    written = handouts.build(numbers={0}, out=tmp_path, pdf=False)
    pages = [path for path in written if path.suffix == ".html"]
    assert len(pages) == 2 + 3
    for page in pages:
        text = page.read_text()
        assert "CC BY 4.0" in text and "BSD 3-Clause" in text, page.name
        assert "creativecommons.org/licenses/by/4.0" in text, page.name


# tox: every Python, and the newest releases


def tox(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "tox", *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


@pytest.mark.slow  # runs tox
def test_a_python_the_matrix_names_but_the_machine_lacks_fails_the_run():
    done = tox("run", "-e", "py399", timeout=120)
    assert done.returncode != 0
    assert "py399: FAIL" in done.stdout and "SKIP" not in done.stdout, done.stdout


@pytest.mark.slow  # runs tox
def test_the_matrix_is_the_supported_pythons_of_the_readme():
    done = tox("config", "-m", "pythons", "-k", "base_python", timeout=120)
    assert done.returncode == 0, done.stderr
    matrix = re.findall(r"^base_python = py3(\d+)$", done.stdout, re.MULTILINE)
    supported = re.search(r"\*\*Supported Python versions: ([^*]+)\*\*", (ROOT / "README.md").read_text())[1]
    assert [f"3.{minor}" for minor in matrix] == re.findall(r"3\.\d+", supported)


def test_latest_reports_newer_releases_and_never_fails_for_them():
    lines = latest.compare({"flask": "3.1.3", "coverage": "7.17.4", "pytest": "9.2.0"},
                           {"flask": "3.1.3", "coverage": "7.18.0", "pytest": "9.1.0"})
    assert lines[0] == "1 of 3 pinned libraries have a newer release:"
    assert "  coverage 7.17.4 -> 7.18.0" in lines and "  pytest 9.2.0 -> 9.1.0 (older than the pin)" in lines
    assert latest.compare({"flask": "3.1.3"}, {"flask": "3.1.3"}) == ["All 1 pinned libraries are at their newest release."]
    assert set(latest.pins()) >= {"flask", "playwright", "tox"}


# make measure: the figures the kit and course.py state


def test_the_measurement_was_made_with_the_current_pins():
    measured = measure.load()
    assert measured["pins"] == measure.pins_digest(), (
        "requirements.txt or requirements-dev.txt changed since tools/measured.json was made: "
        "run `make measure`, then `make sync`")
    for part in ("lab", "test"):
        assert {"seconds", "venv_mb", "download_mb"} <= set(measured[part])
        assert all(value > 0 for value in measured[part].values())
    assert measured["test"]["tools_seconds"] < measured["test"]["seconds"]
    assert measured["test"]["venv_mb"] > measured["lab"]["venv_mb"], "make test installs more than make lab"


def test_disk_mb_counts_what_du_counts(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 300_000)
    os.link(tmp_path / "a", tmp_path / "b")  # a hard link takes no more room
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c").write_bytes(b"y" * 200_000)
    du = subprocess.run(["du", "-s", "--block-size=1", tmp_path], capture_output=True, text=True, check=True)
    expected = (int(du.stdout.split()[0]) - (tmp_path.stat().st_blocks * 512)) / 1e6
    assert measure.disk_mb(tmp_path) == pytest.approx(expected, abs=0.01)


FIGURES = re.compile(r"`make (lab|test)` downloads\s+(\d+) MB and takes\s+(\d+) s,\s+leaving `\.venv` at (\d+) MB")


def test_the_kits_figures_are_the_measured_ones_within_the_stated_margin():
    kit = KIT.read_text()
    block = kit[kit.index("<!-- measured:start -->"):kit.index("<!-- measured:end -->")]
    assert f"more than {measure.MARGIN:.0%}" in block, "the kit states the margin"
    measured = measure.load()
    stated = {part: (int(mb), int(s), int(venv)) for part, mb, s, venv in FIGURES.findall(" ".join(block.split()))}
    assert set(stated) == {"lab", "test"}, block
    for part, (download, seconds, venv) in stated.items():
        for said, true in ((download, measured[part]["download_mb"]), (seconds, measured[part]["seconds"]),
                           (venv, measured[part]["venv_mb"])):
            assert abs(said - true) <= measure.MARGIN * true, f"{part}: the kit says {said}, make measure {true}"
    wheelhouse = kit[kit.index("<!-- wheelhouse:start -->"):kit.index("<!-- wheelhouse:end -->")]
    files, megabytes = map(int, re.search(r"counted (\d+) files, (\d+) MB", " ".join(wheelhouse.split())).groups())
    assert abs(files - measured["lab"]["files"]) <= measure.MARGIN * measured["lab"]["files"]
    assert abs(megabytes - measured["lab"]["download_mb"]) <= measure.MARGIN * measured["lab"]["download_mb"]
    hub = kit[kit.index("<!-- hub:start -->"):kit.index("<!-- hub:end -->")]  # tests/test_hub.py measured those
    typed = kit.replace(block, "").replace(wheelhouse, "").replace(hub, "").split("## Chapter by chapter")[0]
    assert not re.search(r"\d+ MB", typed), "no typed sizes beside the measured ones"


def test_the_kit_names_both_licences():
    kit = KIT.read_text()
    assert "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)" in kit and "`LICENSE-TEXT.md`" in kit
    assert "BSD 3-Clause (`LICENSE`)" in kit


def test_latest_leaves_out_only_the_test_of_the_pins_and_that_test_exists():
    config = (ROOT / "tox.ini").read_text()
    deselected = re.findall(r"--deselect (\S+)", config)
    assert len(deselected) == 1, "only the test that the installed versions are the pinned ones"
    path, name = deselected[0].split("::")
    source = (ROOT / path).read_text()
    assert f"def {name}(" in source
    test = source[source.index(f"def {name}("):].split("\ndef ")[0]
    assert "versions()" in test and ".outside == []" in test, "it is the test of the pins"
