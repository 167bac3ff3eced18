"""Benchmarks that print their figures: run with `make bench`.

(a) The re-run cycle a learner triggers by running a serve cell again: stop the old
    server, start a new one, get the first successful response. Ours against the
    common recipe, threading.Thread(target=app.run) plus a fixed sleep.
(b) The whole course under nbval against the same number of one-cell notebooks (the
    floor: pytest, nbval and one kernel per notebook).
"""

import contextlib
import io
import logging
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import requests
from flask import Flask

from helpers import serve, stop_all
from tools.chapters import ROOT, chapters

CYCLES = 100
COMMON_CYCLES = 5  # each costs the recipe's one-second sleep
COMMON_SLEEP = 1.0
TARGET_CYCLE_MS = 20
TARGET_RATIO = 2.0


def make_app():
    app = Flask("bench")
    app.add_url_rule("/", "index", lambda: "ready")
    return app


def helper_cycles(cycles=CYCLES):
    """Seconds per cycle of serve() replacing the previous server, until the first answer."""
    app, times = make_app(), []
    serve(app)
    for _ in range(cycles):
        start = time.perf_counter()
        server = serve(app)  # stops the previous server of the same name first
        requests.get(server.url, timeout=5).raise_for_status()
        times.append(time.perf_counter() - start)
    stop_all()
    return times


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def common_cycles(cycles=COMMON_CYCLES):
    """The same cycle done the common way; the old server cannot be stopped, so it keeps running."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    times = []
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for _ in range(cycles):
            app, port = make_app(), free_port()
            start = time.perf_counter()
            threading.Thread(target=app.run, kwargs={"port": port, "use_reloader": False}, daemon=True).start()
            time.sleep(COMMON_SLEEP)
            requests.get(f"http://127.0.0.1:{port}/", timeout=5).raise_for_status()
            times.append(time.perf_counter() - start)
    return times


def nbval_seconds(paths, cwd, per_notebook=None):
    """Wall time of pytest running ``paths`` under nbval; fill ``per_notebook`` with each file's cell time."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                   "--nbval-lax", "--nbval-current-env", f"--junitxml={report}", *map(str, paths)]
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if per_notebook is not None:
            for case in ElementTree.parse(report).iter("testcase"):
                name = (case.get("file") or case.get("classname", "")).rsplit("notebooks.", 1)[-1]
                per_notebook[name] = per_notebook.get(name, 0.0) + float(case.get("time", 0))
    return elapsed


def course_against_floor():
    """Seconds for the course's notebooks and for as many one-cell notebooks."""
    notebooks = [ch.path for ch in chapters()]
    with tempfile.TemporaryDirectory() as folder:
        empty = []
        for index in range(len(notebooks)):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
            nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
            empty.append(Path(folder) / f"empty-{index:02d}.ipynb")
            nbformat.write(nb, empty[-1])
        floor = nbval_seconds(empty, folder)
        cells = {}
        course = nbval_seconds(notebooks, ROOT, cells)
    return len(notebooks), course, floor, cells


def main():
    ours = helper_cycles()
    common = common_cycles()
    ours_ms, common_ms = statistics.median(ours) * 1000, statistics.median(common) * 1000
    print(f"(a) re-run cycle: stop the old server, start a new one, first response")
    print(f"    helpers.serve           median {ours_ms:8.1f} ms  p90 {sorted(ours)[int(0.9 * len(ours))] * 1000:6.1f} ms"
          f"  over {len(ours)} cycles  (target < {TARGET_CYCLE_MS} ms)")
    print(f"    Thread(app.run)+sleep   median {common_ms:8.1f} ms  over {len(common)} cycles"
          f"  (old servers never stop: {len(common)} still running)")
    count, course, floor, cells = course_against_floor()
    ratio = course / floor
    print(f"(b) nbval over the course's {count} notebooks: {course:.1f} s;"
          f" over {count} one-cell notebooks: {floor:.1f} s; ratio {ratio:.2f} (target <= {TARGET_RATIO})")
    print("    time in each notebook's cells, longest first:")
    for name, seconds in sorted(cells.items(), key=lambda item: -item[1]):
        print(f"      {seconds:5.1f} s  {name}")
    met = ours_ms < TARGET_CYCLE_MS and ratio <= TARGET_RATIO
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
