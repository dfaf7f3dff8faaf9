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

# axe-core (the phone page's accessibility check) comes from npm, pinned by package-lock.json.
NODE_STAMP := node_modules/.installed-from-lock

$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "npm is not installed: the phone page's axe-core test will skip (and fail under CI=true). Install Node.js and npm (Debian: apt-get install nodejs npm)."; \
	elif npm ci --no-audit --no-fund; then touch $@; \
	else echo "npm ci failed: the phone page's axe-core test will skip (and fail under CI=true)."; fi

test: $(STAMP) $(NODE_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# A demo workshop, and its draft principles as a PDF beside the library; no display needed.
demo: $(STAMP)
	@id=$$($(PY) -m workshopkit demo) && \
	pdf="$$($(PY) -c 'from workshopkit.paths import data_dir; print(data_dir())')/demo-principles-$$id.pdf" && \
	$(PY) -m workshopkit export "$$id" --pdf "$$pdf" >/dev/null && \
	echo "$$pdf"

bench: $(STAMP)
	@mkdir -p bench-results
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/startup.py | tee bench-results/startup.json
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/board.py | tee bench-results/board.json
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/stakeholder_map.py | tee bench-results/stakeholder_map.json
	$(PY) benchmarks/principles.py | tee bench-results/principles.json
	$(PY) benchmarks/gui_load.py | tee bench-results/gui_load.json
	$(PY) benchmarks/join_load.py | tee bench-results/join_load.json
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/reliability.py | tee bench-results/reliability.json

clean:
	rm -rf $(VENV) $(BUILD_VENV) build dist *.egg-info bench-results node_modules

# The installer: a folder (dist/workshopkit/) that runs without Python, built by PyInstaller
# from a separate virtualenv holding a normal (not editable) install and no test extras.
BUILD_VENV ?= .venv-build
BPY := $(BUILD_VENV)/bin/python

.PHONY: installer installer-smoke bench-installer

installer:
	rm -rf build dist
	$(PYTHON) -m venv --clear $(BUILD_VENV)
	$(BPY) -m pip install --quiet --upgrade pip
	$(BPY) -m pip install --quiet '.[build]'
	$(BPY) -m PyInstaller --noconfirm --clean build_installer.spec
	@du -sm dist/workshopkit | awk '{print "dist/workshopkit: " $$1 " MB"}'

# The frozen app's own smoke test, then checks on the folder (no other Qt binding, < 200 MB).
installer-smoke:
	@test -x dist/workshopkit/workshopkit || { echo "dist/workshopkit/workshopkit is missing: run 'make installer' first"; exit 1; }
	dist/workshopkit/workshopkit --version
	dist/workshopkit/workshopkit smoke
	$(PYTHON) benchmarks/installer.py --check-folder

bench-installer: $(STAMP)
	@mkdir -p bench-results
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/installer.py | tee bench-results/installer.json
