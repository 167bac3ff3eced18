"""Benchmarks that print their figures: run with `make bench`.

(a) The re-run cycle a learner triggers by running a serve cell again: stop the old
    server, start a new one, get the first successful response. Ours against the
    common recipe, threading.Thread(target=app.run) plus a fixed sleep.
(b) The idle cost of background servers: CPU time and voluntary context switches
    (wake-ups) of five idle servers over ten seconds, against the same process with none.
(c) The whole course under nbval against the same number of one-cell notebooks (the
    floor: pytest, nbval and one kernel per notebook), three times: the median ratio counts,
    as one run's ratio moves by a fifth with what else the machine does.
(d) JupyterLab's start, as `make lab` starts it: from the command to its first answer, with
    a fresh home folder, median of three; and the CPU that importing jsonschema costs (the
    pin in requirements.txt keeps it small).

`python -m tools.bench rerun idle` runs only the parts named (rerun, idle, nbval, lab).
"""

import contextlib
import io
import logging
import os
import resource
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
TARGET_CYCLE_MS = 5.0
IDLE_SERVERS = 5
IDLE_SECONDS = 10.0
TARGET_IDLE_CPU_PERCENT = 0.1  # of one core
# A server that polls wakes up many times a second; one that sleeps until it is needed
# adds nothing. Allow less than one extra wake-up a second for all of them together.
TARGET_IDLE_WAKEUPS_PER_SECOND = 1.0
TARGET_RATIO = 2.0
NBVAL_ROUNDS = 3
LAB_ROUNDS = 3
TARGET_LAB_SECONDS = 2.0  # 1.2 s on a 2-core machine; 2.6 s before jsonschema was pinned


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


def common_cycles_elsewhere(cycles=COMMON_CYCLES):
    """common_cycles() in a child process, so that the servers it cannot stop end with it."""
    code = f"from tools.bench import common_cycles; print(*common_cycles({cycles}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [float(value) for value in out.split()]


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


def percentile(values, fraction):
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def idle_usage(seconds, servers=0):
    """CPU seconds and voluntary context switches of this process over ``seconds`` with ``servers`` idle servers."""
    started = []
    for index in range(servers):
        server = serve(make_app(), name=f"idle-{index}")
        requests.get(server.url, timeout=5).raise_for_status()  # as a notebook cell would, once
        started.append(server)
    time.sleep(0.5)  # let the request threads finish before measuring
    before = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(seconds)
    after = resource.getrusage(resource.RUSAGE_SELF)
    for server in started:
        server.stop()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_nvcsw - before.ru_nvcsw


def rerun_report():
    """Print the re-run cycle against its target; return whether it is met."""
    ours = [seconds * 1000 for seconds in helper_cycles()]
    median, p90 = statistics.median(ours), percentile(ours, 0.9)
    met = median <= TARGET_CYCLE_MS
    print("(a) re-run cycle: stop the old server, start a new one, first 200")
    print(f"    helpers.serve           median {median:8.1f} ms  p90 {p90:6.1f} ms"
          f"  over {len(ours)} cycles  (target median <= {TARGET_CYCLE_MS} ms: {'met' if met else 'MISSED'})")
    common = common_cycles_elsewhere()
    print(f"    Thread(app.run)+sleep   median {statistics.median(common) * 1000:8.1f} ms  over {len(common)} cycles"
          f"  (in a child process: its old servers never stop, {len(common)} were still running at its end)")
    return met


def idle_report():
    """Print the idle cost of background servers against its targets; return whether they are met."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    base_cpu, base_switches = idle_usage(IDLE_SECONDS)
    cpu, switches = idle_usage(IDLE_SECONDS, IDLE_SERVERS)
    percent = max(0.0, cpu - base_cpu) / IDLE_SECONDS * 100
    wakeups = max(0, switches - base_switches) / IDLE_SECONDS
    cpu_met = percent < TARGET_IDLE_CPU_PERCENT
    wakeups_met = wakeups < TARGET_IDLE_WAKEUPS_PER_SECOND
    print(f"(b) idle cost of {IDLE_SERVERS} background servers over {IDLE_SECONDS:.0f} s"
          " (getrusage, this process against itself with no server)")
    print(f"    no server:  {base_cpu * 1000:7.1f} ms CPU, {base_switches:6d} voluntary context switches")
    print(f"    {IDLE_SERVERS} servers:  {cpu * 1000:7.1f} ms CPU, {switches:6d} voluntary context switches")
    print(f"    extra: {percent:.3f} % of a core (target < {TARGET_IDLE_CPU_PERCENT} %: {'met' if cpu_met else 'MISSED'}),"
          f" {wakeups:.1f} wake-ups a second (target < {TARGET_IDLE_WAKEUPS_PER_SECOND:g}, none periodic:"
          f" {'met' if wakeups_met else 'MISSED'})")
    return cpu_met and wakeups_met


def nbval_report(rounds=NBVAL_ROUNDS):
    """Print the course's nbval time against the floor, ``rounds`` times; return whether the median ratio meets the target."""
    ratios, per_notebook = [], {}
    for number in range(1, rounds + 1):
        count, course, floor, cells = course_against_floor()
        ratios.append(course / floor)
        for name, seconds in cells.items():
            per_notebook.setdefault(name, []).append(seconds)
        print(f"(c) round {number}: nbval over the course's {count} notebooks: {course:.1f} s;"
              f" over {count} one-cell notebooks: {floor:.1f} s; ratio {ratios[-1]:.2f}")
    ratio = statistics.median(ratios)
    print(f"    median ratio of {rounds}: {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    print("    time in each notebook's cells (median), longest first:")
    medians = {name: statistics.median(values) for name, values in per_notebook.items()}
    for name, seconds in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"      {seconds:5.1f} s  {name}")
    return ratio <= TARGET_RATIO


def lab_start_seconds():
    """Seconds from starting JupyterLab on the course (fresh home folder, no browser) to its first answer."""
    port, token = free_port(), "bench"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "JUPYTER_RUNTIME_DIR": home}
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
        if os.geteuid() == 0:  # as in a plain Docker container; make lab adds the same
            command.append("--allow-root")
        start = time.perf_counter()
        lab = subprocess.Popen(command, cwd=ROOT / "notebooks", env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            while lab.poll() is None and time.perf_counter() - start < 60:
                with contextlib.suppress(requests.ConnectionError):
                    if requests.get(f"http://127.0.0.1:{port}/api/status", params={"token": token}, timeout=5).ok:
                        return time.perf_counter() - start
                time.sleep(0.02)
            raise RuntimeError(f"JupyterLab did not answer on port {port} (exit code {lab.poll()})")
        finally:
            lab.terminate()
            lab.wait(timeout=30)


def import_cpu_seconds(module):
    """CPU seconds a fresh Python spends importing ``module``, less what it spends starting."""
    code = ("import resource, sys\n"
            "def cpu(): usage = resource.getrusage(resource.RUSAGE_SELF); return usage.ru_utime + usage.ru_stime\n"
            f"before = cpu(); import {module}; print(cpu() - before)")
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def lab_report(rounds=LAB_ROUNDS):
    """Print JupyterLab's start time, ``rounds`` times; return whether the median meets the target."""
    times = [lab_start_seconds() for _ in range(rounds)]
    seconds = statistics.median(times)
    met = seconds <= TARGET_LAB_SECONDS
    print(f"(d) JupyterLab, from the command to its first answer: {', '.join(f'{t:.2f}' for t in times)} s;"
          f" median {seconds:.2f} s (target <= {TARGET_LAB_SECONDS} s: {'met' if met else 'MISSED'})")
    print(f"    of which importing jsonschema (every Jupyter server does): {import_cpu_seconds('jsonschema'):.2f} s of CPU")
    return met


PARTS = {"rerun": rerun_report, "idle": idle_report, "nbval": nbval_report, "lab": lab_report}


def main(names=()):
    """Run the parts named (all by default); print "targets met" or the ones missed."""
    names = list(names) or list(PARTS)
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        print(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
        return 2
    missed = [name for name in names if not PARTS[name]()]
    print("targets met" if not missed else f"TARGETS MISSED: {', '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
