# newsdesk: `make run` answers questions over corpus/, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test soak bench lint clean
setup: $(STAMP)
	@$(BIN)/python -m index.model_export
	@$(BIN)/python -m bot.answering.span_reader_export

# CPU torch 2.13.0 goes in first so nothing pulls the multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/newsdesk index
	$(BIN)/newsdesk repl

# pytest exits 5 when it collects nothing: that is a failure here, there must be tests.
test: setup
	$(BIN)/ruff check bot index tests bench
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

# The whole reliability suite including the long runs (20 kill points, 2,000 questions under load);
# prints the figures table.
soak: setup
	@$(BIN)/python -m pytest -q -m "soak or not soak" tests/reliability; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make soak: pytest collected no soak tests" >&2; exit 1; fi; exit $$rc

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run_all

lint: setup
	$(BIN)/ruff check bot index tests bench

clean:
	rm -rf .newsdesk .pytest_cache .ruff_cache
