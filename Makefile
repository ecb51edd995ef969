# oracle-nb. First time: `make demo` (main job on the bundled sample) and `make test` (the whole test suite).
# Each creates the virtual environment .venv on first use: torch's CPU wheel first, then the package with its dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test test-slow reports docs readme clean

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/oracle_forecast --out out/demo

test: $(STAMP)
	bash scripts/test.sh

test-slow: $(STAMP)
	$(BIN)/nbdev_test --flags "slow chronos" --n_workers 1
	$(BIN)/pytest tests -m slow

reports: $(STAMP)
	$(BIN)/oracle_report

docs: $(STAMP)
	$(BIN)/oracle_docs --out site

readme: $(STAMP)
	$(BIN)/jupyter nbconvert --to markdown --stdout nbs/index.ipynb > README.md

clean:
	rm -rf out reports site _docs .pytest_cache
