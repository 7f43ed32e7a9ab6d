# Two entry points, both usable on a fresh clone:
#   make build   set up .venv, then build the dataset on the bundled synthetic sample
#   make test    set up .venv, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Version of the local release `make build` writes to dist/global-opinions.
RELEASE ?= 1.0.0

.PHONY: build test clean

$(BIN)/builder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(BIN)/builder
	$(BIN)/builder ingest
	$(BIN)/builder translate --offline
	$(BIN)/builder validate
	$(BIN)/builder push --version $(RELEASE) --to dist/global-opinions

test: $(BIN)/builder
	$(BIN)/python -m pytest

clean:
	rm -rf build
