#!/usr/bin/env python3
"""Install the course into .venv and start it, on any system, with or without make.

    python3 course.py lab     install what is missing, then open JupyterLab on the course
    python3 course.py test    install what is missing, then run every test

On Windows type ``py`` for ``python3``. ``make lab`` and ``make test`` run this script too, so
there is one way to install the course. ``lab`` takes ``--host ADDRESS`` (``0.0.0.0`` inside a
container) and passes other options to JupyterLab; ``test`` passes its options to pytest.
``install`` and ``install-test`` only install. ``update`` fetches the newest course and keeps
a copy of every notebook you changed in ``my-work/`` first.
"""

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MINIMUM = (3, 11)
WINDOWS = os.name == "nt"
# What each install needs: the lab's libraries and the course's own packages, then the test tools.
LAB_INPUTS = ("requirements.txt", "pyproject.toml", "tools/jupyterlab/overrides.json")
TEST_INPUTS = ("requirements-dev.txt",)
MEASURED = Path("tools") / "measured.json"
# The pip that a new .venv gets from Python 3.11 (23.2) needs twice the CPU of this one to install
# requirements.txt (33 s against 17 s from pip's cache, measured here), so .venv gets this one first.
PIP = "pip==26.3"


def say(message):
    """Print one line of progress at once, even when the output goes to a file or a pipe."""
    print(message, flush=True)


def venv_python(venv, windows=None):
    """The virtual environment's interpreter: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    windows = WINDOWS if windows is None else windows
    return venv / "Scripts" / "python.exe" if windows else venv / "bin" / "python"


def is_root(windows=None):
    """Whether this process runs as root (never on Windows, which has no such user)."""
    windows = WINDOWS if windows is None else windows
    return not windows and hasattr(os, "geteuid") and os.geteuid() == 0


def read_os_release(path="/etc/os-release"):
    """The ``ID`` and ``ID_LIKE`` words of a Linux distribution, or an empty set elsewhere."""
    words = set()
    try:
        text = Path(path).read_text()
    except OSError:
        return words
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words.update(value.strip().strip("\"'").split())
    return words


def venv_fix(version, system=None, distro=None, system_python=True, root=False):
    """The one command that gives this Python a working venv module and pip, or a sentence if none fits.

    ``version`` is ``"3.11"``; ``system`` is ``platform.system()``; ``distro`` the words of
    /etc/os-release; ``system_python`` whether the interpreter came with the system's packages;
    ``root`` whether the command runs without ``sudo``.
    """
    system = platform.system() if system is None else system
    distro = read_os_release() if distro is None else distro
    sudo = "" if root else "sudo "
    if system == "Darwin":
        return f"brew install python@{version}"
    if system == "Windows":
        return (f"winget install Python.Python.{version}  (or reinstall Python {version} from python.org "
                "with pip ticked among the optional features)")
    if system == "Linux" and system_python:
        if distro & {"debian", "ubuntu"}:
            return f"{sudo}apt install python{version}-venv"
        if distro & {"fedora", "rhel", "centos"}:
            return f"{sudo}dnf install python{version} python3-pip-wheel"
    return (f"this Python ({sys.executable}) cannot make a virtual environment with pip: reinstall "
            f"Python {version} with the tool that installed it, or run this with another Python {version} or newer")


def advise_venv(detail):
    """Say why .venv cannot be made, and the command that fixes it; return the exit status."""
    version = "%d.%d" % sys.version_info[:2]
    fix = venv_fix(version, system_python=sys.base_prefix.startswith("/usr"), root=is_root())
    say(f"Python {version} cannot make a virtual environment with pip ({detail}).")
    say(f"Fix it with:  {fix}")
    say("then run the same command again. Nothing was left behind.")
    return 1


def stale(stamp, inputs):
    """Whether ``stamp`` is missing or older than any of ``inputs``."""
    if not stamp.exists():
        return True
    made = stamp.stat().st_mtime
    return any(path.stat().st_mtime > made for path in inputs if path.exists())


def expected(root, part):
    """What a first install of ``part`` (``lab``, or ``test`` on top of it) downloads and how long it takes.

    The figures are those ``make measure`` recorded; without them, a rough guess.
    """
    try:
        measured = json.loads((root / MEASURED).read_text())
        seconds, megabytes = measured[part]["seconds"], measured[part]["download_mb"]
        if part == "test":  # the test tools come on top of the lab's libraries
            seconds = measured["test"]["tools_seconds"]
            megabytes -= measured["lab"]["download_mb"]
    except (OSError, ValueError, KeyError, TypeError):
        return "a minute or two on a first install"
    return f"about {megabytes:.0f} MB to download and {seconds:.0f} s on a first install, as measured"


class Course:
    """The course folder and its virtual environment, and the steps that install and start it.

    ``root`` is the course folder; ``run`` runs a command (a list, never a shell string, so paths
    with spaces stay whole) and returns its exit status; ``windows`` chooses the venv's layout.
    """

    def __init__(self, root=ROOT, run=None, windows=None):
        self.root = Path(root)
        self.venv = self.root / ".venv"
        self.windows = WINDOWS if windows is None else windows
        self.python = venv_python(self.venv, self.windows)
        self.run = run or self._run

    def _run(self, command, quiet=False):
        """Run ``command`` in the course folder; with ``quiet``, show its output only if it fails."""
        if not quiet:
            with subprocess.Popen(command, cwd=self.root) as child:
                # Ctrl+C reaches the child too: let it stop in its own way (JupyterLab asks first).
                previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
                try:
                    return child.wait()
                finally:
                    signal.signal(signal.SIGINT, previous)
        done = subprocess.run(command, cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace")
        if done.returncode:
            print(done.stdout[-4000:], end="", flush=True)
        return done.returncode

    def pip(self, *args, progress=False):
        """Run the venv's pip; ``progress`` shows pip's own progress bars when a person is watching."""
        command = [str(self.python), "-m", "pip", "--disable-pip-version-check", *args]
        watched = progress and sys.stdout.isatty()
        return self.run(command if watched else [*command, "--quiet"], quiet=not watched)

    def create_venv(self):
        """Make .venv and check that its pip runs; on failure remove it and say how to fix Python."""
        if sys.version_info < MINIMUM:
            say("The course needs Python %d.%d or newer; this is %s." % (*MINIMUM, platform.python_version()))
            say("Install a newer one, then run this script with it (on Windows: py -3.12 course.py ...).")
            return 1
        if self.venv.exists():
            if self.run([str(self.python), "-m", "pip", "--version"], quiet=True) == 0:
                return 0
            say("The folder .venv is incomplete (an earlier install stopped half-way): making it again.")
            shutil.rmtree(self.venv)
        say(f"Creating .venv with Python {platform.python_version()} (a few seconds).")
        try:
            if self.run([sys.executable, "-m", "venv", str(self.venv)], quiet=True):
                shutil.rmtree(self.venv, ignore_errors=True)
                return advise_venv(f"`{Path(sys.executable).name} -m venv` failed")
            if self.run([str(self.python), "-m", "pip", "--version"], quiet=True):
                shutil.rmtree(self.venv, ignore_errors=True)
                return advise_venv("the new environment has no working pip")
        except BaseException:  # interrupted: leave no half-made environment behind
            shutil.rmtree(self.venv, ignore_errors=True)
            raise
        say(f"Updating pip in .venv to {PIP.split('==')[1]}: it installs the rest twice as fast (a few seconds).")
        if self.pip("install", PIP):  # offline, or no such pip for this Python: the old one still works
            say("Could not update pip (pip's message is above); going on with the pip this Python came with.")
        return 0

    def install(self, test=False):
        """Install what is missing for ``lab`` (and with ``test``, for the tests); return the exit status."""
        lab_stamp, test_stamp = self.venv / ".installed", self.venv / ".installed-test"
        lab_stale = stale(lab_stamp, [self.root / name for name in LAB_INPUTS])
        test_stale = test and (lab_stale or stale(test_stamp, [lab_stamp, *(self.root / n for n in TEST_INPUTS)]))
        if not lab_stale and not test_stale:
            return 0
        status = self.create_venv()
        if status:
            return status
        if lab_stale:
            say(f"Installing JupyterLab, Flask and the course's other libraries from requirements.txt "
                f"({expected(self.root, 'lab')}).")
            if self.pip("install", "-r", "requirements.txt", progress=True):
                return self.failed("requirements.txt")
            say("Installing the course's own packages (helpers, noteboard) from this folder (a few seconds).")
            if self.pip("install", "--no-deps", "--editable", "."):
                return self.failed("the course's packages")
            say("Setting JupyterLab's defaults for the course: no news prompt, no update check.")
            if self.run([str(self.python), "-m", "tools.lab_settings"], quiet=True):
                return self.failed("JupyterLab's settings")
            lab_stamp.touch()
        if test_stale:
            say(f"Installing the test tools from requirements-dev.txt ({expected(self.root, 'test')}).")
            if self.pip("install", "-r", "requirements-dev.txt", progress=True):
                return self.failed("requirements-dev.txt")
            test_stamp.touch()
        say("Installed.")
        return 0

    def failed(self, what):
        """Say which install step failed; pip's own message stands above."""
        say(f"Installing {what} failed (pip's message is above). Check the network, then run the same command again.")
        return 1

    def lab(self, args=()):
        """Install what is missing, then run JupyterLab on chapter 0 until it is stopped."""
        host, rest = "127.0.0.1", []
        args = list(args)
        while args:
            arg = args.pop(0)
            if arg == "--host" and args:
                host = args.pop(0)
            elif arg.startswith("--host="):
                host = arg.split("=", 1)[1]
            else:
                rest.append(arg)
        status = self.install()
        if status:
            return status
        command = [str(self.python), "-m", "jupyter", "lab", f"--ServerApp.ip={host}", *rest]
        if is_root(self.windows):
            say("You are root (as in a plain Docker container), so JupyterLab runs with --allow-root.")
            command.append("--allow-root")
        say("Starting JupyterLab on chapter 0: open the address it prints. Stop it with Ctrl+C.")
        return self.run([*command, str(Path("notebooks") / "00-start-here.ipynb")])

    def test(self, args=()):
        """Install what is missing, then run pytest with ``args``."""
        status = self.install(test=True)
        return status or self.run([str(self.python), "-m", "pytest", *args])


def update(root=ROOT, stamp=None):
    """Bring the course up to date without losing edits: keep a copy of every changed notebook first.

    Copies each chapter notebook you changed into ``my-work/saved-<time>/``, puts the course's
    own version back, then fetches the new course with ``git pull --ff-only``. Your copies, your
    progress (``my-work/progress.json``) and your scratch files stay where they are.
    """
    root = Path(root)

    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)

    changed = [line for line in git("diff", "--name-only", "--", "notebooks").stdout.splitlines() if line.endswith(".ipynb")]
    if changed:
        saved = root / "my-work" / f"saved-{stamp or time.strftime('%Y%m%d-%H%M%S')}"
        saved.mkdir(parents=True, exist_ok=True)
        for name in changed:
            shutil.copy2(root / name, saved / Path(name).name)
        git("checkout", "--", *changed)
        say(f"Kept your {len(changed)} changed notebook(s) in {saved.relative_to(root)}: " + ", ".join(Path(n).name for n in changed))
    pulled = git("pull", "--ff-only")
    say(pulled.stdout.strip() or pulled.stderr.strip())
    return pulled.returncode


def main(argv=None, course=None):
    """Run ``lab``, ``test``, ``install``, ``install-test`` or ``update``; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    course = course or Course()
    commands = {
        "lab": lambda: course.lab(argv[1:]),
        "test": lambda: course.test(argv[1:]),
        "install": lambda: course.install(),
        "install-test": lambda: course.install(test=True),
        "update": lambda: update(course.root),
    }
    if not argv or argv[0] not in commands:
        say(__doc__.strip())
        return 2
    started = time.monotonic()
    try:
        return commands[argv[0]]()
    except KeyboardInterrupt:
        say(f"\nStopped after {time.monotonic() - started:.0f} s.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
