"""Run All, then Run All again in the same kernel: every chapter must pass both times."""

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.course import chapters


@pytest.mark.parametrize("ch", chapters(), ids=lambda ch: ch.name)
def test_run_all_twice_in_one_kernel(ch):
    nb = nbformat.read(ch.path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    nb.cells = code + [nbformat.v4.new_code_cell(cell.source) for cell in code]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ch.path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, when any run fails
    assert all(cell.execution_count for cell in nb.cells)
