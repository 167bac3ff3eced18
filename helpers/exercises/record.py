"""The learner's record: exercise results and predictions, kept safe from two kernels at once.

The record is one JSON file in the learner's work folder (``my-work/`` beside the notebooks,
or ``$COURSE_WORK``), which ``make clean`` and course updates leave alone. Every change
takes a file lock, reads the file again, changes one entry and replaces the file in one
step, so two kernels that record at the same moment both keep their results.
"""

import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from ..paths import ROOT


def work_root():
    """The folder that keeps the learner's own work: progress and predictions.

    ``COURSE_WORK`` overrides it; a leading ``~`` is the learner's home (one setting for a hub).
    """
    configured = os.environ.get("COURSE_WORK")
    return Path(configured).expanduser() if configured else ROOT / "my-work"


def record_file():
    """Where the record is kept; delete it to start over."""
    return work_root() / "progress.json"


def _empty():
    return {"exercises": {}, "predictions": {}}


def _parse(text):
    """The record in ``text``; raise ValueError when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"the record holds {type(data).__name__}, not an object")
    if "exercises" not in data:  # the first format: one entry per exercise, nothing else
        data = {"exercises": {id: {"passed": bool(entry.get("passed")), "latest": entry}
                              for id, entry in data.items() if isinstance(entry, dict)}}
    record = _empty()
    for part in record:
        if isinstance(data.get(part), dict):
            record[part] = {key: value for key, value in data[part].items() if isinstance(value, dict)}
    return record


def load():
    """The record as it is on disk; a missing file is an empty record."""
    path = record_file()
    try:
        return _parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _empty()
    except (ValueError, UnicodeDecodeError):
        return _empty()


@contextmanager
def changing():
    """Yield the record to change; write it back atomically, under a lock, when the block ends."""
    path = record_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=30):
        try:
            record = _parse(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            record = _empty()
        except (ValueError, UnicodeDecodeError):
            # Keep the damaged file for the learner to look at; never overwrite it unseen.
            path.replace(path.with_name(f"progress.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json"))
            record = _empty()
        yield record
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out, indent=1, sort_keys=True, ensure_ascii=False)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def merge(record, other):
    """Add ``other``'s passes and predictions to ``record``, keeping every pass of both."""
    for id, entry in other["exercises"].items():
        mine = record["exercises"].setdefault(id, entry)
        mine["passed"] = bool(mine.get("passed") or entry.get("passed"))
    for id, entry in other["predictions"].items():
        record["predictions"].setdefault(id, entry)
    return record
