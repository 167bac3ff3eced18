# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab    install what is missing, then open JupyterLab on the course
#   make test   install what is missing, then run every test, notebooks included

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# The first of these that is Python 3.11 or newer builds the virtual environment.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: lab test test-fast chapter bench sync handouts wheelhouse test-latest test-next test-pythons clean

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it, or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	@touch $@

$(TEST_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 notebooks/00-start-here.ipynb

# Every test, as CI runs it, on one worker process per core (pytest-xdist): tests that wait on
# pip or a kernel overlap with those that compute. Tests sharing a kernel, a browser or a server
# carry one xdist_group mark and stay on one worker; conftest.py gives each notebook's cells one,
# and starts the longest tests first. The summary lists the 15 slowest tests. More workers than
# cores made chapter 12's timed logins time out on a busy machine; WORKERS=1 runs one process.
WORKERS ?= auto
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder --durations=15

# The unit tests and the exercise checks, in well under a minute: no network, browser, PDF or
# kernel needed (the marks in pyproject.toml say which tests need those; this leaves them out).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not (browser or network or pdf or notebook or slow)" tests

# One chapter: its notebook and its exercises' checks, e.g. make chapter N=01
chapter: $(STAMP)
	@test -n "$(N)" || { echo "usage: make chapter N=01"; exit 1; }
	$(BIN)/python -m pytest notebooks/$(N)-*.ipynb tests/test_exercises.py -k "ch$(N) or $(N)-"

bench: $(STAMP)
	$(BIN)/python -m tools.bench

# Regenerate navigation, contents tables, Binder links and exercise cells.
sync: $(STAMP)
	$(BIN)/python -m tools.sync

# Every chapter executed, as offline HTML and PDF (learner and teacher editions), an index
# and a one-page cheat sheet, in build/handouts. PDFs need a headless Chromium.
handouts: $(STAMP)
	$(BIN)/python -m tools.handouts

# For a room without internet: the wheel of every pinned library, plus setuptools and wheel
# (installing the helpers offline builds them with those), in build/wheelhouse; and the last
# commit of the course with that wheelhouse inside, in one archive. Wheels fit this machine's
# OS and CPU, and every release of its Python X.Y (3.11.2 as well as 3.11.9): WHEEL_PYTHON=3.12
# or WHEEL_FLAGS="--platform ..." choose others. notebooks/teachers/README.md has the install
# steps that need no network.
WHEELHOUSE ?= build/wheelhouse
OFFLINE ?= build/flask-course-offline.tar.gz
WHEEL_PYTHON ?= $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
wheelhouse: $(STAMP)
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE) $(dir $(OFFLINE))
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --dest $(WHEELHOUSE) \
	  --only-binary=:all: --python-version $(WHEEL_PYTHON) $(WHEEL_FLAGS) -r requirements.txt "setuptools>=69" wheel
	git archive --format=tar.gz --output=$(OFFLINE) --prefix=flask-course/build/wheelhouse/ \
	  $$(for wheel in $(WHEELHOUSE)/*; do printf -- '--add-file=%s ' "$$wheel"; done) --prefix=flask-course/ HEAD
	@echo "$$(ls $(WHEELHOUSE) | wc -l) files, $$(du -sh $(WHEELHOUSE) | cut -f1) in $(WHEELHOUSE); course and wheels in $(OFFLINE)"

# The whole suite in .venv-latest against the newest release of every library (no pins):
# a breaking release shows up here as a failing cell before a learner meets it.
UNPINNED = $$(sed -e '/^\#/d' -e '/^$$/d' -e 's/[=<>!~].*//' requirements.txt requirements-dev.txt)
test-latest:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	@test -x .venv-latest/bin/python || $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade $(UNPINNED)
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	.venv-latest/bin/python -c "import sys, importlib.metadata as m; [print(n, m.version(n)) for n in sys.argv[1:]]" $(UNPINNED)
	.venv-latest/bin/python -m pytest

# The whole suite in .venv-next against the main branches of Flask and Werkzeug (the next
# release), every other library pinned. Not part of `make test`: it needs their sources, as
# folders (FLASK=../flask WERKZEUG=../werkzeug: checkouts or unpacked snapshots) or, where the
# network allows, the pip URLs of their public repositories (the defaults). It prints the
# versions and commits it tests.
FLASK ?= git+https://github.com/pallets/flask@main
WERKZEUG ?= git+https://github.com/pallets/werkzeug@main
test-next:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	@test -x .venv-next/bin/python || $(PYTHON) -m venv .venv-next
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt \
	  $$(sed -e '/^\#/d' -e '/^$$/d' -e '/^flask==/d' -e '/^werkzeug==/d' requirements.txt)
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check "$(WERKZEUG)" "$(FLASK)"
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	.venv-next/bin/python -c 'from helpers.installed import report; print(report())'
	.venv-next/bin/python -m pytest

# The whole suite, with the pinned libraries, on every Python from 3.11 up on this machine
# (on PATH or under pyenv), each in its own .venv-X.Y; one line of results per version.
PYTHONS ?= python3.11 python3.12 python3.13 python3.14 $(wildcard $(HOME)/.pyenv/versions/3.*/bin/python3)
test-pythons:
	@failed=""; seen=" "; for p in $(PYTHONS); do \
	  v=$$($$p -c 'import sys; assert sys.version_info >= (3, 11); print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue; \
	  case "$$seen" in *" $$v "*) continue;; esac; seen="$$seen$$v "; \
	  test -x .venv-$$v/bin/python || $$p -m venv .venv-$$v || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable . || exit 1; \
	  .venv-$$v/bin/python -m pytest -q > .venv-$$v/pytest.log 2>&1 || failed="$$failed $$v"; \
	  echo "Python $$(.venv-$$v/bin/python -c 'import platform; print(platform.python_version())'): $$(tail -1 .venv-$$v/pytest.log)"; \
	done; test -z "$$failed" || { echo "failed on:$$failed (logs in .venv-X.Y/pytest.log)"; exit 1; }

clean:
	rm -rf $(VENV) .venv-* build scratch
