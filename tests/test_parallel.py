"""make test runs on several workers (pytest-xdist): what must share a kernel or a fixture stays together."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from tools.chapters import ROOT

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

# Each later cell needs what the first defined: split over two kernels, it fails.
CELLS = [
    "import os, json\nseen = [os.environ['PYTEST_XDIST_WORKER']]",
    "seen.append(os.environ['PYTEST_XDIST_WORKER'])",
    "seen.append(os.environ['PYTEST_XDIST_WORKER'])\nopen('{name}.json', 'w').write(json.dumps(seen))",
]
GROUPED = '''
import json, os, pytest

@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    with open("grouped.jsonl", "a") as log:
        log.write(json.dumps(os.environ["PYTEST_XDIST_WORKER"]) + "\\n")

@pytest.mark.parametrize("n", range(6))
def test_free(n):
    pass
'''


def test_notebook_cells_and_xdist_groups_stay_on_one_worker(tmp_path):
    shutil.copy(ROOT / "conftest.py", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    names = ["first", "second"]
    for name in names:
        cells = [nbformat.v4.new_code_cell(source.format(name=name)) for source in CELLS]
        nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / f"{name}.ipynb")
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-v",
         *(f"{name}.ipynb" for name in names), "test_grouped.py"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert {"gw0", "gw1"} <= set(re.findall(r"\[(gw\d)\]", run.stdout)), "both workers ran tests"
    for name in names:
        assert len(set(json.loads((tmp_path / f"{name}.json").read_text()))) == 1, f"{name}'s cells ran on one worker"
    grouped = [json.loads(line) for line in (tmp_path / "grouped.jsonl").read_text().splitlines()]
    assert len(grouped) == 6 and len(set(grouped)) == 1, grouped
