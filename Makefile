# Two commands do everything from a machine that has only Python 3.11:
#   make book   set up .venv if needed, build the HTML book  -> _build/html/index.html
#   make test   set up .venv if needed, lint, unit tests, notebooks under nbval, strict build, HTML checks
# COUNTY=330108 builds the same study for another Zhejiang county.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COUNTY ?= 330112
ifeq ($(COUNTY),330112)
OUT := .
CONFIG :=
else
OUT := _build/county/$(COUNTY)
# Same book, titled for the county: a generated copy of _config.yml.
CONFIG := --config $(OUT)/_config.yml
endif
# DATA_EXTRA=<folder>: an analyst's own tables and sources, kept outside the repository, laid
# over data/ for this build only (zjinnov.data.overlay). Such a book goes to
# _build/extra/<county>/, never where the published book is built, and says on every page
# which extra sources it rests on (a banner if any is simulated).
DATA_EXTRA ?=
ifneq ($(strip $(DATA_EXTRA)),)
OUT := _build/extra/$(COUNTY)
CONFIG := --config $(OUT)/_config.yml
OVERLAY := $(abspath $(OUT))/_build/data
LAY_OVER := $(BIN)/python -m zjinnov overlay "$(DATA_EXTRA)" "$(OVERLAY)"
else
OVERLAY :=
LAY_OVER := @true
endif
HTML := $(OUT)/_build/html
JB_ENV := STUDY_COUNTY=$(COUNTY) ZJINNOV_BUILD_DIR=$(abspath $(OUT))/_build PYDEVD_DISABLE_FILE_VALIDATION=1 $(if $(OVERLAY),ZJINNOV_DATA=$(OVERLAY))

.PHONY: all setup book book-strict test test-book test-county lint citation workflows unit notebooks html-checks check-layout validate changes bench pdf screenshots strip clean import rehearsal

all: book

# The files that decide what is installed (CI keys its venv cache on them too).
STAMP_INPUTS := requirements.txt constraints.txt pyproject.toml tools/requirements-uv.txt
# uv (pinned in tools/requirements-uv.txt) installs the same lock as pip, in about 35 s where
# pip took about 110 s on a fresh 2-core machine. If uv cannot reach the package index, pip
# installs the same files. --compile-bytecode, as pip does: where PYTHONDONTWRITEBYTECODE is
# set (as on CI), a package left uncompiled is compiled again in every process that imports
# it, and every notebook's kernel imports pandas, matplotlib and geopandas.
UV := $(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python
$(STAMP): $(STAMP_INPUTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r tools/requirements-uv.txt
	$(UV) -r requirements.txt -c constraints.txt \
	  || $(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(UV) --no-deps -e . || $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

setup: $(STAMP)

# cffconvert (the Citation File Format's validator) needs jsonschema 3 while the book's packages
# need 4: it gets a small venv of its own inside .venv, locked by tools/requirements-cff.txt.
CFF_VENV := $(VENV)/cff
CFF_STAMP := $(CFF_VENV)/.installed

$(CFF_STAMP): tools/requirements-cff.txt $(STAMP)
	{ $(BIN)/python -m uv venv --quiet --allow-existing --python $(BIN)/python $(CFF_VENV) \
	  && $(BIN)/python -m uv pip install --quiet --python $(CFF_VENV)/bin/python -r tools/requirements-cff.txt; } \
	  || { $(PYTHON) -m venv $(CFF_VENV) && $(CFF_VENV)/bin/python -m pip install --quiet -r tools/requirements-cff.txt; }
	@touch $@

book: $(STAMP)
	$(LAY_OVER)
	$(JB_ENV) $(BIN)/python tools/cache_guard.py $(OUT)/_build
	@test -z "$(CONFIG)" || $(JB_ENV) $(BIN)/python tools/county_config.py $(OUT)/_config.yml
	$(JB_ENV) $(BIN)/jupyter-book build . --path-output $(OUT) $(CONFIG)
	@echo "Book: $(HTML)/index.html"

# Warnings are errors, references must resolve, a failing cell fails the build.
book-strict: $(STAMP)
	@mkdir -p $(OUT)/_build/logs
	$(LAY_OVER)
	$(JB_ENV) $(BIN)/python tools/cache_guard.py $(OUT)/_build
	@test -z "$(CONFIG)" || $(JB_ENV) $(BIN)/python tools/county_config.py $(OUT)/_config.yml
	set -o pipefail; $(JB_ENV) $(BIN)/jupyter-book build . --path-output $(OUT) $(CONFIG) -W -n --keep-going 2>&1 | tee $(OUT)/_build/logs/build.log

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# CITATION.cff against the CFF schema; the validator's own report is long, its first error is enough.
citation: $(CFF_STAMP)
	@out=$$($(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff 2>&1) \
	  && echo "CITATION.cff: $$out" \
	  || { echo "CITATION.cff is not valid:"; echo "$$out" | grep -m3 -E "Error|error"; exit 1; }

# The GitHub workflows (.github/workflows/*.yml): syntax, expressions, action inputs.
workflows: $(STAMP)
	$(BIN)/actionlint -no-color

# On both cores (pytest-xdist): the chapter tests load a Study per county and dominate. Work
# stealing, because a few tests are long (the identification rehearsal, 4-10 s each): handed
# out in fixed chunks they left one worker finishing alone (101 s against 80 s alone).
unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/book -q -n 2 --dist worksteal

# nbval runs every notebook for the county and stores each one that passes in the execution
# cache the book build reads (tools/nbval_cache.py): the strict build that follows does not run
# them again, so a notebook is executed once per county in `make test`.
notebooks: $(STAMP)
	$(LAY_OVER)
	$(JB_ENV) $(BIN)/python tools/cache_guard.py $(OUT)/_build
	$(JB_ENV) NBVAL_TO_CACHE=$(abspath $(OUT))/_build/.jupyter_cache PYTHONPATH=tools \
	  $(BIN)/python -m pytest -p nbval_cache --nbval-lax --nbval-current-env -p no:cacheprovider notebooks -q

html-checks: $(STAMP)
	BOOK_HTML=$(abspath $(HTML)) BOOK_LOG=$(abspath $(OUT))/_build/logs/build.log BOOK_DATA=$(OVERLAY) BOOK_EXTRA=$(if $(DATA_EXTRA),$(abspath $(DATA_EXTRA))) $(BIN)/python -m pytest tests/book -q

# The built book in a real browser (tools/check_layout.py, headless Chromium): every page at
# 390 px (a phone) and 1280 px; table columns, text in figures, English interface words, empty
# tables and figure boxes. Measurements in $(OUT)/_build/layout.md. Without Chromium it says
# so in one line and passes (apt-get install chromium; make pdf and make screenshots do).
check-layout: $(STAMP)
	$(BIN)/python tools/check_layout.py $(HTML) --report $(OUT)/_build/layout.md

validate: $(STAMP)
	$(LAY_OVER)
	$(BIN)/python -m zjinnov validate $(if $(OVERLAY),--data "$(OVERLAY)")

# The official workbook into your own folder (never into data/): validated over data/ first,
# nothing written if anything is wrong. TITLE/PUBLISHER/DATE write the workbook's row of
# <folder>/sources.csv (printed after the import); PARTIAL=1 accepts missing cells, listed.
# Then: make validate / make book DATA_EXTRA=<folder>.
import: $(STAMP)
	@test -n "$(WORKBOOK)" -a -n "$(SOURCE)" -a -n "$(DATA_EXTRA)" || { echo "usage: make import WORKBOOK=<file.xlsx> SOURCE=<source id> DATA_EXTRA=<your folder> [TITLE=<report title> PUBLISHER=<publisher> DATE=<YYYY-MM-DD>] [PARTIAL=1] [MAPPING=<file.csv>] [NAME=<table>]"; exit 2; }
	$(BIN)/python -m zjinnov import "$(WORKBOOK)" --source-id "$(SOURCE)" --out "$(DATA_EXTRA)" $(if $(TITLE),--title "$(TITLE)") $(if $(PUBLISHER),--publisher "$(PUBLISHER)") $(if $(DATE),--date "$(DATE)") $(if $(PARTIAL),--partial) $(if $(MAPPING),--mapping "$(MAPPING)") $(if $(NAME),--name "$(NAME)")

# The rehearsal's simulated workbook, imported into _build/rehearsal/ (tests and rehearsals
# only): then `make book DATA_EXTRA=_build/rehearsal` builds a book bannered as simulated.
# METHOD=<candidate or outside method> LAYOUT=sheet_per_year|year_column|transposed choose
# how the simulated report was made and printed (tests/rehearsal.py).
rehearsal: $(STAMP)
	$(BIN)/python benchmarks/bench_rehearsal.py --keep _build/rehearsal $(if $(METHOD),--method $(METHOD)) $(if $(LAYOUT),--layout $(LAYOUT))

# Any county: the same strict build and HTML checks for a county outside Hangzhou with its own
# plan targets and no indicator data (磐安县, Jinhua), so a chapter or a sentence that only holds
# for Lin'an, or for a county with data, fails here. Binjiang's chapters are unit-tested.
OTHER_COUNTY ?= 330727

# Two make calls, not two goals of one: under `make -j2` two goals would run at once and the
# checks would read the previous build.
test-county: $(STAMP)
	$(MAKE) --no-print-directory book-strict COUNTY=$(OTHER_COUNTY)
	$(MAKE) --no-print-directory html-checks COUNTY=$(OTHER_COUNTY)
	$(MAKE) --no-print-directory check-layout COUNTY=$(OTHER_COUNTY)

# The study county: notebooks under nbval (filling the execution cache), strict build, checks.
test-book: $(STAMP)
	$(MAKE) --no-print-directory notebooks
	$(MAKE) --no-print-directory book-strict
	$(MAKE) --no-print-directory html-checks
	$(MAKE) --no-print-directory check-layout

# After set-up everything runs side by side, each part printing its output when it is done:
# the quick checks first, then the unit tests (two workers) beside the two books. Run one
# after another, a core stood idle for about a quarter of a fresh clone's run (the tail of the
# unit tests, lint and validation on one core, one book finishing before the other).
test: $(STAMP)
	$(MAKE) --no-print-directory -j3 --output-sync=recurse lint citation workflows validate unit test-book test-county

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_index.py
	@test ! -f benchmarks/bench_robustness.py || $(BIN)/python benchmarks/bench_robustness.py
	$(BIN)/python benchmarks/bench_rehearsal.py
	$(BIN)/python benchmarks/bench_identify.py

# What changed between two builds (the book's numbers, the data rows), in Chinese:
#   make changes OLD=saved/facts.json [NEW=_build/facts.json]   (a facts file or a build folder)
changes: $(STAMP)
	@test -n "$(OLD)" || { echo "usage: make changes OLD=<facts.json or build folder> [NEW=...]"; exit 2; }
	$(BIN)/python -m zjinnov changes $(OLD) $(or $(NEW),$(OUT)/_build) -o $(OUT)/_build/changes.md

# PDF: Debian's Chromium prints the single-page HTML (lighter than TeX Live: about 300 MB
# installed against about 900 MB), twice: the second pass fills in the contents' page numbers.
# poppler's tools then check the result. Not part of the two commands.
pdf: $(STAMP)
	@$(BIN)/python tools/chromium.py >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	@command -v pdftotext >/dev/null || (apt-get update && apt-get install -y --no-install-recommends poppler-utils)
	$(JB_ENV) $(BIN)/python tools/cache_guard.py $(OUT)/_build
	@test -z "$(CONFIG)" || $(JB_ENV) $(BIN)/python tools/county_config.py $(OUT)/_config.yml
	$(JB_ENV) $(BIN)/jupyter-book build . --path-output $(OUT) $(CONFIG) --builder singlehtml
	$(BIN)/python tools/print_pdf.py $(OUT)/_build/singlehtml/index.html $(OUT)/_build/pdf/book.pdf --facts $(OUT)/_build/facts.json
	$(BIN)/python tools/check_pdf.py $(OUT)/_build/pdf/book.pdf --facts $(OUT)/_build/facts.json
	@# The HTML book's downloads offer the PDF (a later `make book` keeps it there and links it).
	@test ! -d $(HTML)/downloads || cp $(OUT)/_build/pdf/book.pdf $(HTML)/downloads/book.pdf

# Every page at 1280 px (its top) and on a phone (390 px at 3× scale, its first two screens).
screenshots: book
	@$(BIN)/python tools/chromium.py >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	$(BIN)/python tools/screenshots.py $(HTML) $(OUT)/_build/screenshots

strip: $(STAMP)
	$(BIN)/python tools/strip_notebooks.py notebooks

clean:
	rm -rf _build
