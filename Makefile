# Two commands for a fresh clone:  make chat  (try the bot offline)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: chat test lint bench clean

$(BIN)/nnbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(BIN)/nnbot
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

## make chat: install and talk to the real bot in this terminal, no token or internet needed
chat: $(BIN)/nnbot
	$(BIN)/nnbot chat $(ARGS)

## make test: the whole test suite (what CI runs)
test: $(VENV)/.dev
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make lint: ruff and the Dockerfile lint
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint --failure-threshold warning Dockerfile

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
