"""One download of the course's wheels per test run, shared by the tests that install the course.

Two installs make a virtual environment and install the pins: the kit's offline install
(tests/offline.py, which tests/test_teachers.py checks and on which the course in a folder with a
space and a non-ASCII letter, tests/test_platform_paths.py, installs the test tools) and the
Binder replica (tests/test_binder.py). Instead of each resolving every pin against the package
index, one background process downloads them once, as soon as the run has collected a test that
asks for them, while the other tests use the CPU. Two steps run side by side (both mostly wait
on the package index):

``wheelhouse``
    ``make wheelhouse``, run in a copy of the course in a folder with a space and a non-ASCII
    letter: the wheel of every pin, setuptools and wheel, and the offline archive, as a teacher
    makes them. tests/test_teachers.py checks what it made.
``dev``
    ``pip download -r requirements-dev.txt``: the test tools, for a whole ``make test`` install.

The download holds one lock file per step while the step runs; :func:`wait` takes the lock, so
it returns when the step is done. :func:`start` runs it as ``python -m tests.wheels FOLDER``.
Tests that are not about the package index install from the steps' wheels with :func:`pip_from`.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("wheelhouse", "dev")
# The folder every worker of a run shares (tests/conftest.py makes it once, before the workers start).
VARIABLE = "COURSE_TEST_WHEELS"
QUIET = ["--quiet", "--disable-pip-version-check"]


class Step(NamedTuple):
    """What one step ran: its command's exit status and output, and the paths it made."""

    returncode: int
    stdout: str
    stderr: str
    paths: dict

    def path(self, name):
        return Path(self.paths[name])

    def failure(self):
        """The end of the step's output, for an assertion's message."""
        return self.stdout[-2000:] + self.stderr[-3000:]


def pip_from(*steps):
    """pip's settings (environment variables) to install only from these steps' wheels, never the index.

    Each folder is given as a file: URL, in which a space is %20: pip splits these variables on spaces.
    """
    for step in steps:
        assert step.returncode == 0, f"the wheels could not be downloaded:\n{step.failure()}"
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": " ".join(step.path("wheels").as_uri() for step in steps)}


def wanted(items):
    """Whether any of the collected test items asks for the downloaded wheels."""
    return any({"wheelhouse", "dev_wheels"} & set(getattr(item, "fixturenames", ())) for item in items)


def lock(folder, name):
    """The lock file ``name`` in ``folder``, which any thread of its holder may release."""
    return FileLock(Path(folder) / f"{name}.lock", thread_local=False)


def start(folder):
    """Start the download in ``folder`` unless a worker of this run already did; return once it runs."""
    folder = Path(folder)
    with lock(folder, "start"):  # one worker at a time decides; held for a moment only
        if (folder / "started").exists():
            return
        with open(folder / "log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.wheels", str(folder)], cwd=ROOT,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True,  # a Ctrl+C in the terminal stops pytest; stop() ends this
            )
        # It says so once it holds every step's lock: a test that waits for a step cannot come first.
        ready = process.stdout.readline()
        process.stdout.close()
        (folder / "started").write_text(str(process.pid))
    if not ready:
        raise RuntimeError(f"the download of the wheels did not start:\n{(folder / 'log').read_text(errors='replace')[-3000:]}")


def wait(folder, step):
    """What ``step`` made, once it is done (starting the download if no worker has yet)."""
    folder = Path(folder)
    start(folder)
    with lock(folder, step):  # free once the step has written its result, or its process has died
        pass
    result = folder / f"{step}.json"
    if not result.exists():
        log = (folder / "log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"the download of the wheels stopped before {step} was done:\n{log}")
    return Step(**json.loads(result.read_text()))


def stop(folder):
    """End the download if a step is still running (a run that stopped early); called once the run is over."""
    folder = Path(folder)
    if (folder / "started").exists() and not all((folder / f"{step}.json").exists() for step in STEPS):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # ended already; killpg: POSIX only
            os.killpg(int((folder / "started").read_text()), signal.SIGTERM)


def run(command, cwd, env=None):
    """Run ``command``; return its exit status and output as a Step with no paths yet."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return Step(done.returncode, done.stdout, done.stderr, {})


def make_wheelhouse(folder):
    """``make wheelhouse`` in a copy of the course in ``folder/My Courses/flåsk``, as a teacher runs it."""
    from tests.copies import FANCY, copy_course  # here: the download says it is ready before importing nbformat

    course = copy_course(folder / FANCY, commit=True)  # make wheelhouse archives the last commit
    wheels, archive = folder / "wheelhouse", course / "build" / "flask-course-offline.tar.gz"
    # The running interpreter downloads, so the wheels fit the Python the tests make venvs with;
    # -o: the copy has no .venv of its own, and needs none to download.
    done = run(["make", "--no-print-directory", "-o", ".venv/.installed", "wheelhouse",
                f"BIN={Path(sys.executable).parent}", f"WHEELHOUSE={wheels}", f"OFFLINE={archive}"],
               cwd=course, env={**os.environ, "PIP_RETRIES": "1", "PIP_TIMEOUT": "20", "PIP_DEFAULT_TIMEOUT": "20"})
    return done._replace(paths={"wheels": str(wheels), "archive": str(archive)})


def download_dev(folder):
    """The wheels of the test tools (requirements-dev.txt) and of what they need."""
    dev = folder / "dev"
    done = run([sys.executable, "-m", "pip", "download", *QUIET, "--dest", str(dev), "-r", "requirements-dev.txt"],
               cwd=ROOT)
    return done._replace(paths={"wheels": str(dev)})


def finish(folder, step, work, held):
    """Run one step, write its result, then release its lock (a failure is logged, and releases it too)."""
    try:
        done = work(folder)
        written = folder / f"{step}.json.part"
        written.write_text(json.dumps(done._asdict()))
        written.replace(folder / f"{step}.json")
    finally:
        held.release()


def main(folder):
    """Hold every step's lock, say so, then run the steps side by side, each in a thread of its own."""
    folder = Path(folder)
    held = [lock(folder, step) for step in STEPS]
    for each in held:
        each.acquire()
    print("ready", flush=True)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # from here on, everything goes to the log
    threads = [threading.Thread(target=finish, args=(folder, step, work, each))
               for step, work, each in zip(STEPS, (make_wheelhouse, download_dev), held)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main(*sys.argv[1:])
