"""What a first install costs, measured: the sizes and times the teacher's kit and course.py state.

``make measure`` copies the course twice into a temporary folder and installs each copy from
nothing with course.py, as ``make lab`` and ``make test`` do, each with an empty pip cache. It
prints the figures and records them in ``tools/measured.json``. ``make sync`` writes them into
the teacher's kit between its ``measured`` markers; course.py quotes them before each step.
A test fails when the kit's figures and the file differ by more than ``MARGIN``, and when the
pins have changed since the measurement (then run ``make measure`` again).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tools" / "measured.json"
PINNED = ("requirements.txt", "requirements-dev.txt")
MARGIN = 0.10  # how far the kit's figures may stray from the measurement
PARTS = {  # what each make target installs: course.py's steps and the requirement files
    "lab": (["install"], ["requirements.txt"]),
    "test": (["install", "install-test"], ["requirements.txt", "requirements-dev.txt"]),
}


def pins_digest(root=ROOT):
    """A digest of the requirement files, so that a measurement names the pins it was made with."""
    digest = hashlib.sha256()
    for name in PINNED:
        digest.update((Path(root) / name).read_bytes())
    return digest.hexdigest()[:16]


def disk_mb(folder):
    """Disk space a folder takes, in MB, as ``du`` counts it (each hard-linked file once)."""
    seen, blocks = set(), 0
    for path in Path(folder).rglob("*"):
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            blocks += info.st_blocks
    return blocks * 512 / 1e6


def copy_course(dest):
    """Copy the course's files (tracked, or new and not ignored) into ``dest``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


def measure(part, python, workdir):
    """Install ``part`` into a fresh copy with an empty pip cache; return its seconds, .venv MB and download MB.

    ``make test`` installs in two steps, the lab's libraries and then the test tools; the
    second step's time is ``tools_seconds``, which course.py quotes before that step.
    """
    commands, files = PARTS[part]
    copy = copy_course(workdir / part / "course")
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_NO_CACHE_DIR", "VIRTUAL_ENV")}
    env["PIP_CACHE_DIR"] = str(workdir / part / "pip-cache")
    steps = []
    for command in commands:
        started = time.monotonic()
        if subprocess.run([python, "course.py", command], cwd=copy, env=env).returncode:
            raise RuntimeError(f"course.py {command} failed in {copy}")
        steps.append(time.monotonic() - started)
    # What a first install downloads: every wheel it needs, and setuptools (and wheel) to build the
    # course's packages. For the lab's libraries that is also what make wheelhouse collects.
    wheels = workdir / part / "downloads"
    requirements = [arg for name in files for arg in ("-r", name)]
    subprocess.run([str(copy / ".venv" / "bin" / "python"), "-m", "pip", "download", "--quiet",
                    "--disable-pip-version-check", "--only-binary=:all:", "--dest", str(wheels), *requirements,
                    "setuptools>=69", "wheel"], cwd=copy, env=env, check=True, stderr=subprocess.DEVNULL)
    downloaded = list(wheels.iterdir())
    figures = {
        "seconds": round(sum(steps)),
        "venv_mb": round(disk_mb(copy / ".venv")),
        "download_mb": round(sum(path.stat().st_size for path in downloaded) / 1e6),
        "files": len(downloaded),
    }
    if len(steps) > 1:
        figures["tools_seconds"] = round(steps[-1])
    return figures


def render(measured):
    """The teacher's kit's paragraph of measured figures, from a record of ``make measure``."""
    lab, test = measured["lab"], measured["test"]
    text = (
        f"Measured by `make measure` on {measured['machine']} (load average {measured['load_average']}),"
        f" with Python {measured['python']} and pip's cache empty, on {measured['date']}:"
        f" a first `make lab` downloads {lab['download_mb']} MB and takes {lab['seconds']} s,"
        f" leaving `.venv` at {lab['venv_mb']} MB; a first `make test` downloads {test['download_mb']} MB"
        f" and takes {test['seconds']} s, leaving `.venv` at {test['venv_mb']} MB (the test tools of"
        " requirements-dev.txt come on top). pip's download cache takes room as well. A test fails"
        f" when these figures stray from the measurement by more than {MARGIN:.0%}, or when the pins"
        " have changed since it was made."
    )
    return textwrap.fill(text, width=98, break_on_hyphens=False)


def render_wheelhouse(measured):
    """The kit's sentence on the size of ``make wheelhouse``'s download, from the same record."""
    lab = measured["lab"]
    return (f"`make measure` counted {lab['files']} files, {lab['download_mb']} MB, for {measured['machine'].split(',')[0]}"
            f" and Python {measured['python']}.")


def load(path=RECORD):
    """The recorded measurement."""
    return json.loads(Path(path).read_text())


def main(argv=None):
    """Measure both installs, print the figures and record them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--python", default=sys.executable, help="the Python that makes the environments")
    parser.add_argument("--record", default=str(RECORD), help="where to write the figures")
    args = parser.parse_args(argv)
    python = shutil.which(args.python) or args.python
    version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    measured = {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "python": version,
        "date": date.today().isoformat(),
        "pins": pins_digest(),
        "load_average": round(os.getloadavg()[0], 1),  # other work on the machine slows the installs
    }
    with tempfile.TemporaryDirectory(prefix="course-measure-") as workdir:
        for part in PARTS:
            print(f"== a fresh `make {part}` install, pip's cache empty", flush=True)
            measured[part] = measure(part, python, Path(workdir))
            print(f"== {part}: {measured[part]}", flush=True)
    Path(args.record).write_text(json.dumps(measured, indent=1) + "\n")
    print(render(measured))
    print(f"Recorded in {args.record}; run `make sync` to put the figures into the teacher's kit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
