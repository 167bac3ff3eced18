"""Keep what test runs write (scratch files, the learner's record) out of the learner's own folders."""

import atexit
import os
import shutil
import tempfile

for variable, prefix in (("COURSE_SCRATCH", "course-scratch-"), ("COURSE_WORK", "course-work-")):
    if variable not in os.environ:
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)  # kernels inherit it
        atexit.register(shutil.rmtree, os.environ[variable], ignore_errors=True)
