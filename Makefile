# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab    install what is missing, then open JupyterLab on the course
#   make test   install what is missing, then run every test, notebooks included
# Both install through course.py, which works without make too (py course.py lab on Windows).

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NPM_STAMP := tests/npm/node_modules/.installed
# The first of these that is Python 3.11 or newer builds the virtual environment.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
NEED_PYTHON = @test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it, or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }

.PHONY: lab test test-fast update chapter bench measure sync handouts wheelhouse test-latest test-next test-pythons clean

# course.py installs: it checks that Python can make .venv, says what each step does, and
# installs only what is missing. These rules let the other targets depend on it.
$(STAMP): requirements.txt pyproject.toml tools/jupyterlab/overrides.json
	$(NEED_PYTHON)
	@"$(PYTHON)" course.py install

$(TEST_STAMP): $(STAMP) requirements-dev.txt $(NPM_STAMP)
	$(NEED_PYTHON)
	@"$(PYTHON)" course.py install-test

# JupyterLab on chapter 0, on 127.0.0.1; in a container, make lab HOST=0.0.0.0 (see the README).
lab:
	$(NEED_PYTHON)
	@"$(PYTHON)" course.py lab $(if $(HOST),--host "$(HOST)")

# npm's tools for the JupyterHub and accessibility tests (configurable-http-proxy, axe-core),
# pinned in tests/npm/package-lock.json. Without npm those tests skip and say why.
$(NPM_STAMP): tests/npm/package.json tests/npm/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  (cd tests/npm && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed) \
	  || echo "npm ci failed in tests/npm: the JupyterHub and accessibility tests will skip"; \
	else echo "npm not found: the JupyterHub and accessibility tests will skip (apt-get install nodejs npm)"; fi


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
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -m "not (browser or network or pdf or notebook or slow or hub)" tests

# The newest course, keeping a copy of every notebook you changed in my-work/ first.
update:
	$(NEED_PYTHON)
	@"$(PYTHON)" course.py update

# One chapter: its notebook and its exercises' checks, e.g. make chapter N=01
chapter: $(STAMP)
	@test -n "$(N)" || { echo "usage: make chapter N=01"; exit 1; }
	$(BIN)/python -m pytest notebooks/$(N)-*.ipynb tests/test_exercises.py -k "ch$(N) or $(N)-"

bench: $(STAMP)
	$(BIN)/python -m tools.bench

# Regenerate navigation, contents tables, Binder links and exercise cells. For a fork,
# make sync REPOSITORY=owner/name first writes its GitHub address into pyproject.toml.
sync: $(STAMP)
	"$(BIN)/python" -m tools.sync $(if $(REPOSITORY),--repository "$(REPOSITORY)")

# Build fresh environments for make lab and make test (empty pip cache) and record their sizes
# and times in tools/measured.json, from which make sync writes the teacher's kit's figures.
measure: $(STAMP)
	"$(BIN)/python" -m tools.measure --python "$(PYTHON)"

# Every chapter executed, as offline HTML and PDF (learner and teacher editions), an index
# and a two-page cheat sheet, in build/handouts. PDFs need a headless Chromium. Every PDF is
# A4; make handouts PAPER=letter prints them on US Letter.
PAPER ?= a4
handouts: $(STAMP)
	$(BIN)/python -m tools.handouts --paper $(PAPER)

# For a room without internet: the wheel of every pinned library, plus setuptools and wheel
# (installing the helpers offline builds them with those), in build/wheelhouse; and the last
# commit of the course with that wheelhouse inside, in one archive. Wheels fit this machine's
# OS and CPU, and every release of its Python X.Y (3.11.2 as well as 3.11.9): WHEEL_PYTHON=3.12
# or WHEEL_FLAGS="--platform ..." choose others. notebooks/teachers/README.md has the install
# steps that need no network.
WHEELHOUSE ?= build/wheelhouse
OFFLINE ?= build/flask-course-offline.tar.gz
WHEEL_PYTHON ?= $(shell "$(BIN)/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# Every path is quoted and the wheels are passed as "$@", so folders with spaces stay whole.
wheelhouse: $(STAMP)
	rm -rf "$(WHEELHOUSE)" && mkdir -p "$(WHEELHOUSE)" "$$(dirname "$(OFFLINE)")"
	"$(BIN)/python" -m pip download --quiet --disable-pip-version-check --dest "$(WHEELHOUSE)" \
	  --only-binary=:all: --python-version $(WHEEL_PYTHON) $(WHEEL_FLAGS) -r requirements.txt "setuptools>=69" wheel
	set --; for wheel in "$(WHEELHOUSE)"/*; do set -- "$$@" "--add-file=$$wheel"; done; \
	git archive --format=tar.gz --output="$(OFFLINE)" --prefix=flask-course/build/wheelhouse/ "$$@" --prefix=flask-course/ HEAD
	@echo "$$(ls "$(WHEELHOUSE)" | wc -l) files, $$(du -sh "$(WHEELHOUSE)" | cut -f1) in $(WHEELHOUSE); course and wheels in $(OFFLINE)"

# The whole suite against the newest release of every library (no pins): it lists the libraries
# newer than their pins, and fails only when a test or a cell does. Environments are in tox.ini.
test-latest: $(TEST_STAMP)
	"$(BIN)/python" -m tox run -e latest

# The whole suite in .venv-next against the main branches of Flask and Werkzeug (the next
# release), every other library pinned. Not part of `make test`: it needs their sources, as
# folders (FLASK=../flask WERKZEUG=../werkzeug: git checkouts, whose commits it names, or unpacked
# snapshots, which have none) or, where the network allows, the pip URLs of their public
# repositories (the defaults). It prints the versions and commits it tests. It installs the
# course's JupyterLab settings as make's install step does, since a test checks them.
FLASK ?= git+https://github.com/pallets/flask@main
WERKZEUG ?= git+https://github.com/pallets/werkzeug@main
test-next: $(NPM_STAMP)
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	@test -x .venv-next/bin/python || $(PYTHON) -m venv .venv-next
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt \
	  $$(sed -e '/^\#/d' -e '/^$$/d' -e '/^flask==/d' -e '/^werkzeug==/d' requirements.txt)
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check "$(WERKZEUG)" "$(FLASK)"
	.venv-next/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	.venv-next/bin/python -m tools.lab_settings
	.venv-next/bin/python -c 'from helpers.installed import report; print(report())'
	.venv-next/bin/python -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder --durations=15

# The whole suite, with the pins, on every Python tox.ini names (3.11 to 3.13). A missing one
# fails the run; pyenv's interpreters are found too. Nothing downloads an interpreter.
test-pythons: $(TEST_STAMP)
	PATH="$$(printf '%s:' "$$HOME"/.pyenv/versions/3.*/bin)$$PATH" "$(BIN)/python" -m tox run -m pythons

clean:
	rm -rf $(VENV) .venv-* .tox build scratch
