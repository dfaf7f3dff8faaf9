# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test demo bench venv clean screenshot

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m workshopkit

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(PY) -m workshopkit demo

bench: $(STAMP)
	@mkdir -p bench-results
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/startup.py | tee bench-results/startup.json
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/board.py | tee bench-results/board.json

clean:
	rm -rf $(VENV) build dist *.egg-info bench-results
