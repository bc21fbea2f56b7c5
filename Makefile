# Everything runs from project virtual environments that the targets create themselves, on the Python of the
# Lambda runtime the template names (python3.13); the code is also compiled on 3.11, the oldest it supports.
RUNTIME_PYTHON := 3.13
# pyenv picks the interpreter by PYENV_VERSION; elsewhere the variable is ignored and python3.13 is on PATH.
PYTHON ?= $(shell PYENV_VERSION=$(RUNTIME_PYTHON) python$(RUNTIME_PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null || echo python$(RUNTIME_PYTHON))
OLDEST_PYTHON ?= $(shell PYENV_VERSION=3.11 python3.11 -c 'import sys; print(sys.executable)' 2>/dev/null)
# Bytecode is cached even where the environment says otherwise: the demo and the tests start many Python
# processes, and each would compile boto3 again (an empty value switches the setting off).
export PYTHONDONTWRITEBYTECODE :=
UV_VERSION := 0.13.9
# uv itself, installed once beside the project with the interpreter's own pip.
UV_DIR := .uv
UV := $(UV_DIR)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
TEMPLATES := template.yaml member/template.yaml $(wildcard examples/*.yaml)
# The CloudFormation CLI (registry/requirements-cfn.txt) needs an older jsonschema than moto: a venv of its own.
CFN_VENV := .venv-cfn
# The organization the registry types are built under: make registry NAMESPACE=Acme REGISTRY_OUT=build/acme
NAMESPACE ?= LensShareProvider
REGISTRY_OUT ?= registry
# uv makes a virtual environment and installs the pinned requirements in seconds; where uv cannot be had,
# venv and pip do the same, slower.
VENV_INSTALL = install() { venv=$$1; shift; \
	if [ -x $(UV) ] || $(PYTHON) -m pip install --quiet --target $(UV_DIR) uv==$(UV_VERSION) 2>/dev/null; then \
		$(UV) venv --quiet --allow-existing --python $(PYTHON) $$venv && \
		$(UV) pip install --quiet --python $$venv/bin/python "$$@"; \
	else $(PYTHON) -m venv $$venv && $$venv/bin/pip install --quiet "$$@"; fi; }; install

.PHONY: install lint lint-python lint-templates lint-checkov test test-needs test-python test-quick test-cdk cdk cdk-generate cdk-docs cdk-python \
	integration probe demo invoke health bench build clean registry registry-test registry-package

$(BIN)/.installed: requirements-dev.txt functions/provider/requirements.txt
	$(VENV_INSTALL) $(VENV) -r requirements-dev.txt
	touch $@

# checkov pins an older boto3, so it lives in a virtual environment of its own.
$(CHECKOV_VENV)/bin/.installed:
	$(VENV_INSTALL) $(CHECKOV_VENV) checkov==$(CHECKOV_VERSION)
	touch $@

$(CFN_VENV)/bin/.installed: registry/requirements-cfn.txt
	$(VENV_INSTALL) $(CFN_VENV) -r registry/requirements-cfn.txt
	touch $@

# The registry types' requirements as Lambda wheels, fetched here once: packaging in the tests reads only these.
REGISTRY_WHEELS := $(CFN_VENV)/wheels
$(REGISTRY_WHEELS)/.fetched: $(BIN)/.installed $(CFN_VENV)/bin/.installed $(wildcard registry/*-share/requirements.txt)
	$(BIN)/python registry/package.py --fetch --cfn $(CFN_VENV)/bin/python --wheels $(REGISTRY_WHEELS)
	touch $@

install: $(BIN)/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched

# The three linters run side by side: checkov and cfn-lint spend most of their time starting up.
LINTERS := lint-python lint-templates lint-checkov
lint: $(BIN)/.installed $(CHECKOV_VENV)/bin/.installed
	$(MAKE) --no-print-directory -j3 $(LINTERS)

# A linter's clean verdict is a stamp in build/lint, dated when its run began: it runs again only when something it
# reads, or this Makefile, is newer (Make's own up-to-date check, as for the CDK build), so an unchanged tree is not
# scanned twice. rm -rf build/lint runs them all again.
LINTED := build/lint
SOURCES_OF = $(shell find . \( -path ./.git -o -path './.venv*' -o -path ./.uv -o -path ./build -o -path ./.aws-sam \
	-o -path ./.local-cloud -o -path ./cdk/node_modules -o -path ./cdk/lib -o -path ./cdk/dist -o -name '.*_cache' \
	-o -name __pycache__ \) -prune -o -type f \( $(1) \) -print)
# One shell line from the start to the stamp, which is dated when the run began: makes run side by side share no file.
STAMPED = started=$$(date +%s.%N) &&
STAMP = && mkdir -p $(@D) && touch -d @$$started $@

lint-python: $(LINTED)/python
$(LINTED)/python: Makefile $(BIN)/.installed pyproject.toml $(call SOURCES_OF,-name '*.py' -o -name '*.pyi')
	$(STAMPED) $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy \
		$(if $(OLDEST_PYTHON),&& $(OLDEST_PYTHON) -m compileall -q functions/provider) $(STAMP)

# The registry types' schemas come from .cfnlintrc.yaml (registry/schemas links each type's own: cfn-lint reads a
# whole folder, and each type's folder also holds its contract-test inputs); the project's rule reads the Custom::
# types' schemas.
lint-templates: $(LINTED)/templates
$(LINTED)/templates: Makefile $(BIN)/.installed .cfnlintrc.yaml $(TEMPLATES) $(wildcard cfn-lint-rules/*) \
	$(wildcard registry/schemas/* functions/provider/lens_share/schemas/*)
	$(STAMPED) $(BIN)/cfn-lint $(TEMPLATES) --append-rules cfn-lint-rules $(STAMP)

# checkov reads every YAML and JSON file it is not told to skip.
lint-checkov: $(LINTED)/checkov
$(LINTED)/checkov: Makefile $(CHECKOV_VENV)/bin/.installed \
	$(call SOURCES_OF,-name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template')
	$(STAMPED) $(CHECKOV_VENV)/bin/checkov -d . --config-file .checkov.yaml $(STAMP)

# What the suite needs first, side by side (nothing to do once installed and built: from a fresh clone, npm and jsii
# take the time the Python environments do); then pytest alone, on every core. The linters and the library's Jest
# tests are tests of the suite (tests/lint, tests/cdk/test_jest.py), scheduled with the rest, the longest first:
# run before pytest, side by side, they left a core idle for seconds.
test-needs: $(BIN)/.installed $(CHECKOV_VENV)/bin/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched cdk-python
	@:

test:
	$(MAKE) --no-print-directory -j4 test-needs
	$(MAKE) --no-print-directory test-python

# Two workers a core: the longest tests mostly wait on processes of their own (the demo, cfn test, the CDK app), and
# one worker a core left the cores idle (1.48x the time, paired). Each test is sent on its own, the longest first
# (tests/ordering.py); a module whose fixture is costly goes to one worker whole (its WHOLE_MODULES).
TEST_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup
test-python: $(BIN)/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched
	$(BIN)/pytest $(PYTEST_PARALLEL)

# The inner loop beside make test, not instead of it: pytest without the tests marked long (the linters and Jest too).
test-quick: $(BIN)/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not long"

# The CDK construct library (cdk/, docs/cdk.md): built with the Node.js on PATH and the npm registry alone. Each step
# is redone only when its inputs change. Without node, make test says so once and runs everything else.
NODE := $(shell command -v node 2>/dev/null)
CDK_VENV := .venv-cdk
CDK_SOURCES := $(wildcard cdk/src/*.ts) cdk/package.json cdk/README.md
# jsii runs on Node.js 20, but warns at every start that it wants 22 or 24.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

cdk/node_modules/.installed: cdk/package.json cdk/package-lock.json
	cd cdk && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The provider's code as the library ships it for ShareProvider.of: functions/provider with crhelper beside it, as
# sam build lays it out (Powertools comes from its layer); no bytecode, so that the asset's hash is the code's.
PROVIDER_ASSET := cdk/assets/provider
cdk/assets/.built: functions/provider/requirements.txt $(shell find functions/provider/lens_share -name '*.py' -o -name '*.json')
	rm -rf $(PROVIDER_ASSET) && mkdir -p $(PROVIDER_ASSET)
	cd functions/provider && find lens_share \( -name '*.py' -o -name '*.json' \) | tar -cf - -T - | tar -xf - -C $(CURDIR)/$(PROVIDER_ASSET)
	$(PYTHON) -m pip install --quiet --root-user-action=ignore --no-compile --only-binary=:all: --target $(PROVIDER_ASSET) -r functions/provider/requirements.txt
	touch $@

# jsii compiles src/ to lib/ and writes the assembly (.jsii) that pacmak packages and cdk/reference.py documents.
cdk/.jsii: cdk/node_modules/.installed $(CDK_SOURCES) cdk/assets/.built
	cd cdk && npx jsii --silence-warnings=reserved-word

# The npm package (dist/js) and the Python wheel and sdist (dist/python).
cdk/dist/.built: cdk/.jsii
	rm -rf cdk/dist
	cd cdk && npx jsii-pacmak --targets js python
	touch $@

cdk: cdk/dist/.built

# A Python environment with the CDK and the wheel, in which tests/cdk/app.py synthesizes; made anew for a new wheel,
# which keeps the version it had.
$(CDK_VENV)/bin/.installed: cdk/requirements.txt cdk/dist/.built $(BIN)/.installed
	rm -rf $(CDK_VENV)
	$(VENV_INSTALL) $(CDK_VENV) -r cdk/requirements.txt cdk/dist/python/*.whl
	touch $@

# The props, attributes and validation tables of cdk/src, from the provider's schemas.
cdk-generate: $(BIN)/.installed
	PYTHONPATH=functions/provider $(BIN)/python -m cdk.generate

# docs/cdk-api.md, the API reference, from the assembly.
cdk-docs: cdk/.jsii $(BIN)/.installed
	$(BIN)/python -m cdk.reference

ifeq ($(NODE),)
cdk-python:
	@echo "node not found: the CDK library (cdk/) is neither built nor tested; install Node.js 20 or later for it"
test-cdk:
	@:
else
cdk-python: $(CDK_VENV)/bin/.installed
# In one process, with V8's garbage collector and compilers on its main thread and the validation engine's
# WebAssembly compiled once, by V8's baseline compiler: under make test it takes one pytest worker's place, and V8's
# background threads and optimizing recompiles took half of its CPU from the other workers (6.7 to 3.5 CPU-s).
test-cdk: cdk/.jsii
	cd cdk && node --single-threaded --liftoff-only node_modules/jest/bin/jest.js --runInBand
endif

# Against a deployed provider in a real account, with your credentials:
#   make integration AWS_SAM_STACK_NAME=lens-share-provider SHARE_WITH=123456789012
integration: $(BIN)/.installed
	AWS_SAM_STACK_NAME=$(AWS_SAM_STACK_NAME) SHARE_WITH=$(SHARE_WITH) $(BIN)/pytest tests/integration

# Which answer the real service gives to each undocumented behaviour, with your credentials and Region, on a
# throwaway lens it deletes again; prints the matching emulator switches (docs/service-behaviours.md):
#   make probe SHARE_WITH=123456789012
probe: $(BIN)/.installed
	$(BIN)/python -m emulator.probe --share-with $(SHARE_WITH)

# The rollout health check's report, with your credentials and Region (or the endpoints AWS_ENDPOINT_URL_* name).
health: $(BIN)/.installed
	PYTHONPATH=functions/provider $(BIN)/python -m lens_share.health $(ARGS)

demo: $(BIN)/.installed
	$(BIN)/python -m local.demo

# Any event file through the real handler on the embedded emulator: make invoke EVENT=events/create.json
EVENT ?= events/create.json
invoke: $(BIN)/.installed
	$(BIN)/python -m local.invoke $(EVENT)

bench: $(BIN)/.installed
	mkdir -p build
	PYTHONPATH=functions/provider $(BIN)/python -m benchmarks.provider --output build/bench-provider.json > /dev/null
	PYTHONPATH=functions/provider $(BIN)/python -m benchmarks.rollout --runs 3 --output build/bench-rollout.json
	PYTHONPATH=functions/provider $(BIN)/python -m benchmarks.health --runs 3 --output build/bench-health.json
	PYTHONPATH=functions/provider $(BIN)/python -m benchmarks.registry_rollout --output build/bench-registry.json
	@cat build/bench-provider.json

build:
	sam build

# Each registry type's folder from the Custom:: schemas, then its models and docs from cfn generate (resource-role.yaml,
# which cfn generate also writes, is left out: registry/registration.yaml holds the execution role).
registry: $(BIN)/.installed $(CFN_VENV)/bin/.installed
	$(BIN)/python registry/build_types.py --namespace $(NAMESPACE) --output $(REGISTRY_OUT) > /dev/null
	for type in $(REGISTRY_OUT)/*-share; do (cd $$type && $(CURDIR)/$(CFN_VENV)/bin/cfn validate && \
		$(CURDIR)/$(CFN_VENV)/bin/cfn generate && rm -f resource-role.yaml rpdk.log) || exit 1; done

# The CloudFormation CLI's contract suite for every type, offline (also part of make test).
registry-test: $(BIN)/.installed $(CFN_VENV)/bin/.installed
	$(BIN)/python registry/contract/run.py --cfn $(CFN_VENV)/bin/python

# Each type's handler package (cfn submit --dry-run, no Docker) into build/registry/<type>.zip.
registry-package: $(BIN)/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched
	$(BIN)/python registry/package.py --cfn $(CFN_VENV)/bin/python --source $(REGISTRY_OUT)

# The LensShare type's package that tests/registry/test_package.py reads, built again only when what goes into it is
# newer: the type's folder, the core's sources, the CLI or the wheelhouse.
TEST_PACKAGE := build/test-package/lens-share.zip
$(TEST_PACKAGE): Makefile $(BIN)/.installed $(CFN_VENV)/bin/.installed $(REGISTRY_WHEELS)/.fetched registry/package.py \
	$(shell find registry/lens-share registry/lens_share_types functions/provider/lens_share \( -name __pycache__ \
	-o -name build \) -prune -o -type f ! -name 'rpdk.log*' ! -name '*.zip' -print)
	$(STAMPED) $(BIN)/python registry/package.py --cfn $(CFN_VENV)/bin/python --output $(@D) LensShare $(STAMP)

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(CDK_VENV) $(CFN_VENV) $(UV_DIR) .aws-sam .pytest_cache .mypy_cache .ruff_cache
	rm -rf $(LINTED) $(dir $(TEST_PACKAGE))
	rm -rf cdk/node_modules cdk/lib cdk/dist cdk/.jsii cdk/tsconfig.json cdk/assets
