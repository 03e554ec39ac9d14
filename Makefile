# The two commands of the README:
#   make book   set up (venv, pinned packages, Vega scripts), then build the site into _build/html
#   make test   set up (the same, plus Chromium from Debian), build, then run every test
#   make preview  serve the site on 127.0.0.1:8000 and rebuild it on every saved change
#   make lab      open the chapters in JupyterLab, with the project's kernel registered
# Set-up is redone only when requirements.lock, pyproject.toml or package-lock.json change.

PY := .venv/bin/python
SETUP := .venv/.setup-done

.PHONY: book test setup validate bench clean preview lab

book: $(SETUP)
	$(PY) -m icebook build

test:
	bash bin/test

setup: $(SETUP)

$(SETUP): requirements.lock pyproject.toml package.json package-lock.json
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	.venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

LAB := .venv/.lab-done

lab: $(LAB)
	.venv/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root)

# The chapters are MyST Markdown text notebooks: jupytext's viewer opens a .md as a notebook on a double click
# (a JupyterLab setting of this environment only, in its overrides.json).
LAB_SETTINGS := .venv/share/jupyter/lab/settings

$(LAB): $(SETUP) requirements-lab.lock
	.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-lab.lock
	$(PY) -m ipykernel install --sys-prefix --name icebook --display-name "Python (icebook)"
	mkdir -p $(LAB_SETTINGS)
	printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}' > $(LAB_SETTINGS)/overrides.json
	touch $@

preview: $(SETUP)
	$(PY) -m icebook preview

validate: $(SETUP)
	$(PY) -m icebook validate

bench: $(SETUP)
	$(PY) bench/bench_data.py
	$(PY) bench/bench_build.py
	$(PY) bench/bench_notebook.py
	$(PY) bench/bench_preview.py

clean:
	rm -rf _build
