# Everything runs from a project virtual environment that the targets create themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
TEMPLATES := template.yaml $(wildcard examples/*.yaml)

.PHONY: install lint test integration demo invoke health bench build clean

$(BIN)/.installed: requirements-dev.txt functions/provider/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# checkov pins an older boto3, so it lives in a virtual environment of its own.
$(CHECKOV_VENV)/bin/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $@

install: $(BIN)/.installed

lint: $(BIN)/.installed $(CHECKOV_VENV)/bin/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint $(TEMPLATES)
	$(CHECKOV_VENV)/bin/checkov -d . --config-file .checkov.yaml

# One worker per core, a test file to a worker (its session fixtures, emulators and receivers stay its own).
test: lint
	$(BIN)/pytest -n auto --dist loadfile

# Against a deployed provider in a real account, with your credentials:
#   make integration AWS_SAM_STACK_NAME=lens-share-provider SHARE_WITH=123456789012
integration: $(BIN)/.installed
	AWS_SAM_STACK_NAME=$(AWS_SAM_STACK_NAME) SHARE_WITH=$(SHARE_WITH) $(BIN)/pytest tests/integration

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
	@cat build/bench-provider.json

build:
	sam build

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
