"""What a learner sees in a real kernel: errors in the right cell, no stray log lines."""

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebook

CELLS = [
    # 0: start a server whose view fails, and ask it for the failing page
    """
import requests
from flask import Flask
from helpers import serve
app = Flask("kernel-test")
app.get("/ok")(lambda: "fine")
@app.get("/boom")
def boom():
    return 1 / 0
server = serve(app)
status = requests.get(server.url + "/boom").status_code
status
""",
    # 1: several good requests
    "[requests.get(server.url + '/ok').status_code for _ in range(5)]",
    # 2: a later cell that makes no request at all
    "import time; time.sleep(0.5); 'quiet'",
    # 3: re-run the cell that starts the server (as a learner would)
    "server = serve(app); requests.get(server.url + '/ok').text",
]


def text_of(cell):
    """Everything a cell showed: streams, results and errors."""
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts.extend(output.get("traceback", []))
    return "".join(parts)


def test_view_errors_show_in_their_cell_and_request_logs_nowhere(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    failing, good, quiet, rerun = (text_of(cell) for cell in nb.cells)
    assert "500" in failing
    assert "ZeroDivisionError: division by zero" in failing
    assert "ZeroDivisionError" not in good + quiet + rerun
    for shown in (failing, good, quiet, rerun):
        assert "GET /" not in shown and "HTTP/1.1" not in shown
    assert "fine" in rerun
