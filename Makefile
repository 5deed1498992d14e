# Two commands for a fresh machine: `make book` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000

# No progress bars in anything we build or test: outputs must be identical run to run.
QUIET := TQDM_DISABLE=1 PYTHONHASHSEED=0 COURSE_STRICT_CLAIMS=1

.PHONY: help install book test check lint unit unit-fast nbval nbval-other-cpu claims build-book build-rendered browser times lab serve notebooks bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned stack and course_utils

book: $(STAMP) build-book ## execute every chapter and build the HTML book
	@echo
	@echo "Book built. Open file://$(CURDIR)/$(HTML)/index.html (or run: make serve)"

build-book: $(STAMP)
	@# The instructor guide summarises the chapters: Sphinx re-reads it only if it looks changed.
	@touch instructor_guide.ipynb
	$(QUIET) $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

# `make test` executes each chapter once for nbval, then once per claim seed; the build renders
# the stored outputs nbval has just proven equal to that fresh run (build-rendered).
test: $(STAMP) lint unit nbval claims build-rendered browser times ## everything CI checks
	@echo "make test: all checks passed"

check: $(STAMP) lint unit-fast ## the edit-test loop: lint and the unit tests not marked slow (< 3 min)
	@echo "make check: lint and fast unit tests passed (make test runs everything)"

# The build in `make test`: chapters render their stored outputs, executed by nbval just before;
# the instructor guide, which stores none, is executed. `make book` still executes (cache).
RENDERED_CONFIG := _build/config/_config.yml
build-rendered: $(STAMP)
	@touch instructor_guide.ipynb
	$(BIN)/python tests/nbval_tools.py rendered-config _config.yml $(RENDERED_CONFIG)
	$(QUIET) $(BIN)/jupyter-book build . --config $(RENDERED_CONFIG) --warningiserror --nitpick --keep-going

# JavaScript lint tools, pinned in tools/js/package-lock.json (npm registry; nothing at run time).
JS_BIN   := tools/js/node_modules/.bin
JS_STAMP := tools/js/node_modules/.installed
$(JS_STAMP): tools/js/package.json tools/js/package-lock.json
	npm ci --prefix tools/js --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

lint: $(STAMP) $(JS_STAMP) ## ruff over the package, tests, benchmarks and notebooks; eslint and prettier over course_utils/static
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(JS_BIN)/eslint --config tools/js/eslint.config.mjs course_utils/static
	$(JS_BIN)/prettier --config tools/js/.prettierrc.json --check course_utils/static

unit: $(STAMP) ## unit tests, doctests and widget tests in a real kernel
	$(QUIET) $(BIN)/pytest -q -n 2 --doctest-modules course_utils tests --ignore=tests/browser

unit-fast: $(STAMP)
	$(QUIET) $(BIN)/pytest -q -n 2 -m "not slow" --doctest-modules course_utils tests --ignore=tests/browser

# tests/nbval_plugin.py: figures compared as figures and numbers in text (glued values too)
# within a tolerance, so another CPU's last digits pass; it writes each chapter's seconds.
# `python -m pytest` puts the repository on sys.path, so `-p tests.nbval_plugin` imports.
NBVAL := $(BIN)/python -m pytest -q -n 2 --dist loadscope -p tests.nbval_plugin --nbval chapters \
	--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env
nbval: $(STAMP) ## stored chapter outputs must equal a fresh run (up to float noise)
	$(QUIET) $(NBVAL) --nbval-seconds-json _build/nbval_seconds.json

nbval-other-cpu: $(STAMP) ## nbval again with torch's and NumPy's widest vector paths off (CI)
	$(QUIET) $(BIN)/python tests/nbval_tools.py other-cpu -- $(NBVAL)

claims: $(STAMP) ## every chapter's claims under 3 seeds drawn anew, printed (CLAIM_SEEDS=... reruns them)
	$(QUIET) $(BIN)/python tools/run_claims.py

browser: $(STAMP) ## headless Chromium: the built book (offline, axe light/dark, 390 px), JupyterLab, the PDF
	$(QUIET) $(BIN)/pytest -q -p no:xdist tests/browser

times: $(STAMP) ## each chapter's execution seconds from the last nbval run (and build)
	@$(BIN)/python tools/chapter_times.py

lab: $(STAMP) ## JupyterLab on copies of the chapters (_build/lab) with the glued numbers written in
	@for ext in jupyterlab-myst anywidget; do \
		$(BIN)/jupyter labextension list 2>&1 | grep -q "$$ext" || $(BIN)/python -m pip install \
			--quiet "$$(grep -i "^$$(echo $$ext | tr - _)==\|^$$ext==" requirements.txt)"; done
	$(BIN)/python tools/lab_notebooks.py chapters/*.ipynb --out _build/lab
	$(BIN)/jupyter lab _build/lab

pdf: $(STAMP) ## print the built book into _build/pdf/book.pdf (headless Chromium)
	@test -f $(HTML)/index.html || $(MAKE) build-book
	$(QUIET) $(BIN)/python tools/make_pdf.py --html $(HTML) --out _build/pdf/book.pdf

serve: ## serve the built book on http://localhost:$(PORT)
	@test -f $(HTML)/index.html || { echo "No book yet: run make book first."; exit 1; }
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

notebooks: $(STAMP) ## re-execute the chapters and save their outputs in place
	$(QUIET) $(BIN)/python tools/execute_notebooks.py chapters/[0-9]*.ipynb

bench: $(STAMP) ## benchmarks: one line per figure, BENCH <name> <value> <unit>
	@for b in benchmarks/*.py; do $(QUIET) $(BIN)/python $$b; done

clean: ## remove the build (keeps .venv)
	rm -rf _build
