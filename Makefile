# ecrrepos: the single entry point.
#   make          build and install everything (provider, Pulumi CLI, test double, schema, SDKs)
#   make test     everything `make` does, then every test (what CI runs)
#   make unit     the fast inner loop: pure packages and the provider's mock tests
#   make lint     golangci-lint (.golangci.yml) + go vet of the Go SDK
#   make codegen  regenerate schema.json, sdk/ and the README's schema tables (committed, reproducible)
#   make bench    the benchmark pairs (component vs. hand-written, simulator vs. sort floor)
#   make clean    remove what make built
#
# Every build stage is a file that depends on its inputs, so a second `make`
# redoes only what changed.

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
README_OUT     := $(BUILD)/_readme
STAMPS         := $(BUILD)/stamps
export GOFLAGS := -buildvcs=false

banner = @printf '\n==> %s\n' "$(1)"

GO_SOURCES      := main.go go.mod go.sum provider/VERSION provider/sdk-readme.md provider/registry.md $(shell find provider internal -name '*.go' -not -name '*_test.go')
FAKEAWS_SOURCES := go.mod go.sum $(shell find tests/fakeaws -name '*.go' -not -name '*_test.go')
SDK_NODEJS      := $(shell find sdk/nodejs -type f 2>/dev/null)
SDK_PYTHON      := $(shell find sdk/python -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: all provider cli fakeaws schema codegen sdk_go sdk_nodejs sdk_python modules \
        test unit test_go test_nodejs test_python check_codegen examples readme lint bench clean

all: modules provider cli fakeaws codegen sdk_go sdk_nodejs sdk_python

# Downloading the Go modules first, quietly, keeps the build log readable.
modules: $(STAMPS)/modules
$(STAMPS)/modules: go.mod go.sum tests/cli/go.mod tests/cli/go.sum
	$(call banner,downloading Go modules (a few minutes the first time))
	go mod download
	cd tests/cli && go mod download
	@mkdir -p $(@D) && touch $@

## Binaries ---------------------------------------------------------------

provider: $(PROVIDER)
$(PROVIDER): $(GO_SOURCES) | $(STAMPS)/modules
	$(call banner,building the provider (about 3 minutes the first time))
	go build -o $(PROVIDER) .

# The Pulumi CLI cannot be downloaded here: build it from the pinned pkg/v3
# module (tests/cli). The version ldflag is required by the engine.
cli: $(PULUMI)
$(PULUMI): tests/cli/go.mod tests/cli/go.sum | $(STAMPS)/modules
	$(call banner,building the Pulumi CLI $(PULUMI_VERSION) from source (about 10 minutes the first time))
	cd tests/cli && go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
		-o $(PULUMI) github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

# The test double standing in for pulumi-resource-aws (see tests/fakeaws/README.md).
fakeaws: $(FAKEAWS)
$(FAKEAWS): $(FAKEAWS_SOURCES) | $(STAMPS)/modules
	$(call banner,building the aws test double)
	go build -o $(FAKEAWS) ./tests/fakeaws

## Schema and SDKs ----------------------------------------------------------

schema: $(STAMPS)/schema
$(STAMPS)/schema: $(GO_SOURCES) provider/cmd/pulumi-gen-ecrrepos/main.go | $(STAMPS)/modules
	$(call banner,writing schema.json)
	$(GEN) schema schema.json
	@mkdir -p $(@D) && touch $@

codegen: $(STAMPS)/codegen
$(STAMPS)/codegen: $(STAMPS)/schema provider/cmd/pulumi-gen-ecrrepos/readme.go
	$(call banner,generating the TypeScript, Python and Go SDKs)
	$(GEN) sdk schema.json sdk nodejs python go
	cd sdk && go mod tidy
	$(GEN) readme schema.json README.md
	@touch $@

sdk_go: $(STAMPS)/sdk_go
$(STAMPS)/sdk_go: $(STAMPS)/codegen
	$(call banner,compiling the Go SDK)
	cd sdk && go build ./... && go vet ./...
	@touch $@

# Compile the TypeScript SDK in a copy (sdk/ stays exactly as generated), with
# --strict, and pack it so tests and examples install a real copy.
sdk_nodejs: $(STAMPS)/node_modules
$(NODE_SDK_TGZ): $(STAMPS)/codegen $(SDK_NODEJS)
	$(call banner,compiling and packing the TypeScript SDK)
	rm -rf $(BUILD)/nodejs-sdk && mkdir -p $(BUILD) && cp -r sdk/nodejs $(BUILD)/nodejs-sdk
	cd $(BUILD)/nodejs-sdk && npm install --no-audit --no-fund --loglevel=error && npx tsc --strict
	cp sdk/nodejs/package.json sdk/nodejs/README.md $(BUILD)/nodejs-sdk/bin/
	cd $(BUILD) && npm pack --silent ./nodejs-sdk/bin >/dev/null
$(STAMPS)/node_modules: $(NODE_SDK_TGZ) tests/nodejs/package.json tests/nodejs/package-lock.json
	$(call banner,installing the TypeScript test dependencies and the SDK)
	cd tests/nodejs && npm ci --no-audit --no-fund --loglevel=error && \
		npm install --no-save --no-audit --no-fund --loglevel=error $(NODE_SDK_TGZ)
	@touch $@

# A venv with the test requirements and the Python SDK (installed from a copy,
# so the build leaves no files in sdk/).
sdk_python: $(STAMPS)/sdk_python
$(STAMPS)/venv: tests/python/requirements.txt
	$(call banner,creating the Python venv)
	test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	@mkdir -p $(@D) && touch $@
$(STAMPS)/sdk_python: $(STAMPS)/venv $(STAMPS)/codegen $(SDK_PYTHON)
	$(call banner,installing the Python SDK)
	rm -rf $(BUILD)/python-sdk && cp -r sdk/python $(BUILD)/python-sdk
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(BUILD)/python-sdk
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(BUILD)/python-sdk # and its dependencies, once
	$(VENV)/bin/python -c "import pulumi_ecrrepos; print('pulumi_ecrrepos', pulumi_ecrrepos.Registry.__name__, 'imports')"
	@touch $@

$(STAMPS):
	@mkdir -p $@

## Tests ------------------------------------------------------------------

test: all check_codegen lint examples readme test_go test_nodejs test_python

# Regenerating must not change anything that is committed.
check_codegen: codegen
	@if [ -n "$$(git status --porcelain -- schema.json sdk README.md)" ]; then \
		git status --porcelain -- schema.json sdk README.md; git --no-pager diff --stat -- schema.json sdk README.md; \
		echo "schema.json, sdk/ or README.md's schema tables differ from what 'make codegen' generates: run it and commit the result"; exit 1; \
	fi

E2E_ENV := ECRREPOS_PULUMI=$(PULUMI) ECRREPOS_PROVIDER_DIR=$(BIN) ECRREPOS_FAKEAWS_DIR=$(dir $(FAKEAWS))

test_go: all
	$(call banner,Go tests: pure packages, provider, Construct, schema, end to end)
	$(E2E_ENV) go test -count=1 ./...

test_nodejs: all
	$(call banner,TypeScript end to end)
	cd tests/nodejs && npx tsc -p . && $(E2E_ENV) node --test dist/

test_python: all
	$(call banner,Python end to end)
	cd tests/python && $(E2E_ENV) $(VENV)/bin/python -m pytest -q

# Examples must compile / type-check against the generated SDKs.
examples: all
	$(call banner,type-checking the examples)
	cd examples/go && go build -o /dev/null . && go vet .
	cd tests/nodejs && npx tsc -p tsconfig.examples.json
	$(VENV)/bin/mypy --strict examples/python/__main__.py

# Every code snippet of README.md and of the Registry's description
# compiles: tsc --strict, mypy --strict, go vet.
readme: all
	$(call banner,compiling the README snippets)
	go run ./tests/readme $(README_OUT) README.md provider/registry.md
	cd tests/nodejs && npx tsc -p tsconfig.readme.json
	$(VENV)/bin/mypy --strict $(README_OUT)/python/*.py
	for d in $(README_OUT)/go/*/; do go vet "./$${d#$(ROOT)/}"; done

# golangci-lint cannot be downloaded as a binary here: build it from the
# pinned module (tests/lint), once.
$(GOLANGCI_LINT): tests/lint/go.mod tests/lint/go.sum
	$(call banner,building golangci-lint (a few minutes the first time))
	cd tests/lint && go build -o $(GOLANGCI_LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

lint: $(GOLANGCI_LINT)
	$(call banner,lint)
	$(GOLANGCI_LINT) run ./...
	cd sdk && go vet ./...

# The inner loop: seconds, no binaries needed.
unit:
	go test -short ./internal/... ./provider/...

# The benchmark pairs, each printing its ratio: NewRegistry vs. registering
# the children directly (x-direct), Construct vs. a logic-free component
# (x-logic-free), engine up vs. an inline program (x-direct, x-state; needs
# the binaries, so it depends on all), the simulator vs. sorting the images
# (x-sort-floor), and the identity-policy sizes. Each ratio is the median of
# interleaved rounds (internal/benchpair): ten, and three of the engine's
# (each a minute).
bench: all
	go test -run '^$$' -bench . -benchmem -benchtime 10x ./internal/... ./provider/...
	$(E2E_ENV) go test -run '^$$' -bench ConstructVsLogicFree -benchtime 10x ./tests
	$(E2E_ENV) go test -run '^$$' -bench EngineUpVsDirect -benchtime 3x ./tests

clean:
	rm -rf $(BIN) $(BUILD) tests/nodejs/node_modules tests/nodejs/dist
