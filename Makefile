# ecrrepos: the single entry point.
#   make          build and install everything (provider, Pulumi CLI, test double, schema, SDKs)
#   make test     everything `make` does, then every test (what CI runs)
#   make codegen  regenerate schema.json and sdk/ (committed, reproducible)
#   make unit     the fast inner loop: pure packages and the provider's mock tests
#   make bench    benchmarks
#   make lint     golangci-lint (.golangci.yml) + go vet of the Go SDK

SHELL          := /bin/bash
.SHELLFLAGS    := -eu -o pipefail -c
.DEFAULT_GOAL  := all

# One source per version: provider/VERSION, and the Pulumi SDK in go.mod.
VERSION        := $(shell cat provider/VERSION)
PULUMI_VERSION := $(shell awk '$$1 == "github.com/pulumi/pulumi/sdk/v3" { print $$2 }' go.mod)
ROOT           := $(CURDIR)
BIN            := $(ROOT)/bin
BUILD          := $(ROOT)/build
PROVIDER       := $(BIN)/pulumi-resource-ecrrepos
PULUMI         := $(BIN)/pulumi
FAKEAWS        := $(BIN)/fakeaws/pulumi-resource-aws
GOLANGCI_LINT  := $(BIN)/golangci-lint
GEN            := go run ./provider/cmd/pulumi-gen-ecrrepos
VENV           := $(BUILD)/venv
NODE_SDK_TGZ   := $(BUILD)/pulumi-ecrrepos-$(VERSION).tgz
export GOFLAGS := -buildvcs=false

.PHONY: all provider cli fakeaws schema codegen sdk_go sdk_nodejs sdk_python \
        test unit test_go test_nodejs test_python check_codegen examples lint bench clean

all: provider cli fakeaws codegen sdk_go sdk_nodejs sdk_python

## Binaries ---------------------------------------------------------------

provider:
	go build -o $(PROVIDER) .

# The Pulumi CLI cannot be downloaded here: build it from the pinned pkg/v3
# module (tests/cli). The version ldflag is required by the engine.
cli: $(PULUMI)
$(PULUMI): tests/cli/go.mod tests/cli/go.sum
	cd tests/cli && go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
		-o $(PULUMI) github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

# The test double standing in for pulumi-resource-aws (see tests/fakeaws/README.md).
fakeaws:
	go build -o $(FAKEAWS) ./tests/fakeaws

## Schema and SDKs ----------------------------------------------------------

schema:
	$(GEN) schema schema.json

codegen: schema
	$(GEN) sdk schema.json sdk nodejs python go
	cd sdk && go mod tidy

sdk_go:
	cd sdk && go build ./... && go vet ./...

# Compile the TypeScript SDK in a copy (sdk/ stays exactly as generated), with
# --strict, and pack it so tests and examples install a real copy.
sdk_nodejs:
	rm -rf $(BUILD)/nodejs-sdk && mkdir -p $(BUILD) && cp -r sdk/nodejs $(BUILD)/nodejs-sdk
	cd $(BUILD)/nodejs-sdk && npm install --no-audit --no-fund --loglevel=error && npx tsc --strict
	cp sdk/nodejs/package.json sdk/nodejs/README.md $(BUILD)/nodejs-sdk/bin/
	cd $(BUILD) && npm pack --silent ./nodejs-sdk/bin >/dev/null
	cd tests/nodejs && npm ci --no-audit --no-fund --loglevel=error && \
		npm install --no-save --no-audit --no-fund --loglevel=error $(NODE_SDK_TGZ)

# Install the Python SDK (from a copy, so the build leaves no files in sdk/)
# into a venv with the test requirements.
sdk_python:
	test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	rm -rf $(BUILD)/python-sdk && cp -r sdk/python $(BUILD)/python-sdk
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(BUILD)/python-sdk
	$(VENV)/bin/python -c "import pulumi_ecrrepos; print('pulumi_ecrrepos', pulumi_ecrrepos.Registry.__name__, 'imports')"

## Tests ------------------------------------------------------------------

test: all check_codegen lint examples test_go test_nodejs test_python

# Regenerating must not change anything that is committed.
check_codegen:
	@if [ -n "$$(git status --porcelain -- schema.json sdk)" ]; then \
		git status --porcelain -- schema.json sdk; git --no-pager diff --stat -- schema.json sdk; \
		echo "schema.json or sdk/ differ from what 'make codegen' generates: run it and commit the result"; exit 1; \
	fi

E2E_ENV := ECRREPOS_PULUMI=$(PULUMI) ECRREPOS_PROVIDER_DIR=$(BIN) ECRREPOS_FAKEAWS_DIR=$(dir $(FAKEAWS))

test_go:
	$(E2E_ENV) go test -count=1 ./...

test_nodejs:
	cd tests/nodejs && npx tsc -p . && $(E2E_ENV) node --test dist/

test_python:
	cd tests/python && $(E2E_ENV) $(VENV)/bin/python -m pytest -q

# Examples must compile / type-check against the generated SDKs.
examples:
	cd examples/go && go build -o /dev/null . && go vet .
	cd tests/nodejs && npx tsc -p tsconfig.examples.json
	$(VENV)/bin/python -m py_compile examples/python/__main__.py

# golangci-lint cannot be downloaded as a binary here: build it from the
# pinned module (tests/lint), once.
$(GOLANGCI_LINT): tests/lint/go.mod tests/lint/go.sum
	cd tests/lint && go build -o $(GOLANGCI_LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...
	cd sdk && go vet ./...

# The inner loop: seconds, no binaries needed.
unit:
	go test -short ./internal/... ./provider/...

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN) $(BUILD) tests/nodejs/node_modules tests/nodejs/dist
