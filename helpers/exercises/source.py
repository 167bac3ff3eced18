"""One source per exercise: the solution, with the learner's part marked, gives the starter.

The convention is nbgrader's. Lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
are the part the learner writes. In the starter they are replaced by the lines after an
optional ``### STARTER`` marker inside the block (the code the learner starts from), or by
``...  # your code here`` (a statement, so a function body may be only that) when it has none::

    squares = Flask(__name__)

    ### BEGIN SOLUTION
    @squares.get("/square/<int(max=1000):n>")
    ### STARTER
    @squares.get("/square/<n>")
    ### END SOLUTION
    def square(n):
        ...

Markers may be indented; the placeholder takes the marker's indentation. A source may hold
several blocks.
"""

import re

BEGIN, STARTER, END = "### BEGIN SOLUTION", "### STARTER", "### END SOLUTION"
_MARKER = re.compile(r"^(\s*)(### (?:BEGIN SOLUTION|STARTER|END SOLUTION))\s*$")


class MarkerError(ValueError):
    """The markers of an exercise's source are unbalanced or out of order."""


def split(source):
    """The ``(starter, solution)`` pair that a marked source stands for."""
    starter, solution = [], []
    state, indent, blocks = "shared", "", 0
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.match(line)
        marker = match[2] if match else None
        if marker == BEGIN and state == "shared":
            state, indent, has_starter = "solution", match[1], False
        elif marker == STARTER and state == "solution":
            state, has_starter = "starter", True
        elif marker == END and state in {"solution", "starter"}:
            if not has_starter:
                starter.append(f"{indent}...  # your code here")
            state, blocks = "shared", blocks + 1
        elif marker:
            raise MarkerError(f"line {number}: {marker!r} cannot come here (inside {state!r} part)")
        elif state == "shared":
            starter.append(line)
            solution.append(line)
        elif state == "solution":
            solution.append(line)
        else:
            starter.append(line)
    if state != "shared":
        raise MarkerError(f"the source ends inside a {state!r} part: close it with {END!r}")
    if not blocks:
        raise MarkerError(f"the source marks no part for the learner: add {BEGIN!r} ... {END!r}")
    return "\n".join(starter).strip("\n"), "\n".join(solution).strip("\n")


def apply(code, replacements):
    """``code`` with each ``old: new`` pair of ``replacements`` applied; each ``old`` must occur once."""
    for old, new in replacements.items():
        found = code.count(old)
        if found != 1:
            raise ValueError(f"{old!r} occurs {found} times in the solution; a variant must name one place")
        code = code.replace(old, new)
    return code
