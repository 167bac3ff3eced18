"""Chapters run the way learners run them, not only the way nbval does.

A cell tagged "interruptible" (a long measurement) is also interrupted halfway, and must
leave no child process or listening socket behind.

Each chapter runs with ports 5000, 8000 and 8080 taken by another program. Every code cell
runs twice in a row; the kernel restarts halfway, and the new kernel runs all the cells
(the second half of them twice each), then Run All again. Running the first half twice must
leave no more behind than running it once; at the end no server thread, child process or
listening socket is left, and git sees no change.
"""

import os
import socket
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import run_sync
from jupyter_client.manager import start_new_kernel

from tools.chapters import ROOT, chapters

pytestmark = [pytest.mark.notebook, pytest.mark.slow]
COMMON_PORTS = (5000, 8000, 8080)
INTERRUPT_AFTER = 1.0  # seconds into a long cell; such a cell runs for several seconds
PROBE = """
import threading
sorted(t.name for t in threading.enumerate() if t.name.startswith("flask-course-server"))
"""


def code_cells(ch):
    nb = nbformat.read(ch.path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def client_for(ch, sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])
    return NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ch.path.parent)}})


def run_cells(client, start=0, stop=None, stage=None):
    """Execute cells [start, stop) in the client's kernel; CellExecutionError names a failing cell and the stage."""
    for index, cell in enumerate(client.nb.cells[start:stop], start=start):
        try:
            client.execute_cell(cell, index)
        except CellExecutionError as error:
            if stage:
                error.add_note(f"(while {stage})")
            raise


def take_ports(stack):
    """Listen on the common development ports, as another program on the learner's machine would."""
    for port in COMMON_PORTS:
        sock = stack.enter_context(socket.socket())
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            pass  # already taken by someone else: taken either way


def children(pid):
    """Process ids whose parent is ``pid``."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return found


def listening_ports(pid):
    """TCP ports that process ``pid`` listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def git_status():
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def left_running(client, index, pid, kernel_ports):
    """Run the probe cell at ``index``: the server threads, child processes and extra listening sockets now."""
    run_cells(client, index, index + 1)
    threads = client.nb.cells[index].outputs[0]["data"]["text/plain"]
    return threads, len(children(pid)), len(listening_ports(pid) - kernel_ports)


def kernel_state(client):
    """The kernel's process id and the ports it listens on for its own channels."""
    pid = client.km.provisioner.process.pid
    return pid, listening_ports(pid)


@pytest.mark.parametrize("ch", chapters(), ids=lambda ch: ch.name)
def test_cells_twice_restart_halfway_then_run_all_again_with_common_ports_taken(ch):
    """One pass of the checks that each run the chapter: a kernel restarted halfway runs it all."""
    before = git_status()
    cells = code_cells(ch)
    half = len(cells) // 2
    twice = [src for src in cells for _ in range(2)]
    # Kernel 1: the first half, each cell twice. Kernel 2, after the restart: the first half once,
    # the second half twice each, then Run All again. A probe cell follows each stage.
    order = twice[: 2 * half] + [PROBE] + cells[:half] + [PROBE] + twice[2 * half:] + cells + [PROBE]
    first_probe, second_probe = 2 * half, 3 * half + 1
    client = client_for(ch, order)
    with ExitStack() as stack:
        take_ports(stack)
        with client.setup_kernel():
            first_pid, first_ports = kernel_state(client)
            run_cells(client, stop=first_probe, stage="running the first half, each cell twice")
            doubled = left_running(client, first_probe, first_pid, first_ports)
            run_sync(client.km.restart_kernel)(now=True)
            run_sync(client.kc.wait_for_ready)(timeout=60)
            pid, kernel_ports = kernel_state(client)
            assert pid != first_pid, "the kernel was not restarted"
            run_cells(client, first_probe + 1, second_probe, stage="running the first half once after the restart")
            once = left_running(client, second_probe, pid, kernel_ports)
            assert doubled == once, (
                "running the first half's cells twice left more running than running them once "
                f"(server threads, child processes, listening sockets): {doubled} against {once}"
            )
            run_cells(client, second_probe + 1, len(order) - 1,
                      stage="running the second half, each cell twice, then Run All again")
            threads, child_count, socket_count = left_running(client, len(order) - 1, pid, kernel_ports)
            assert threads == "[]", "a server thread is left"
            assert child_count == 0, "a child process is left"
            assert socket_count == 0, "a listening socket is left"
    assert git_status() == before, "the chapter changed files git tracks or sees"


def long_cells():
    """(chapter, index) of every code cell tagged "interruptible": cells a learner may stop halfway."""
    found = []
    for ch in chapters():
        nb = nbformat.read(ch.path, as_version=4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        found += [(ch, i) for i, cell in enumerate(code) if "interruptible" in cell.metadata.get("tags", [])]
    return found


@pytest.mark.parametrize(("ch", "index"), long_cells(), ids=lambda v: getattr(v, "name", str(v)))
def test_interrupting_a_long_cell_leaves_no_process_or_socket(ch, index):
    cells = code_cells(ch)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ch.path.parent))
    try:
        quiet = {"output_hook": lambda msg: None, "timeout": 180}
        for source in cells[:index]:
            assert kc.execute_interactive(source, **quiet)["content"]["status"] == "ok"
        pid = km.provisioner.process.pid
        kernel_ports = listening_ports(pid)
        kc.execute(cells[index])
        time.sleep(INTERRUPT_AFTER)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt", (
            f"the cell was not interrupted halfway: {reply['content'].get('status')}"
        )
        deadline = time.monotonic() + 10
        while children(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert children(pid) == [], "an interrupted cell left a child process"
        assert listening_ports(pid) - kernel_ports == set(), "an interrupted cell left a listening socket"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
