"""Keep what test runs write (scratch files, exercise progress) out of the learner's scratch folder."""

import atexit
import os
import shutil
import tempfile

if "COURSE_SCRATCH" not in os.environ:
    os.environ["COURSE_SCRATCH"] = tempfile.mkdtemp(prefix="course-scratch-")  # kernels inherit it
    atexit.register(shutil.rmtree, os.environ["COURSE_SCRATCH"], ignore_errors=True)
