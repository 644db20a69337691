//go:build tools

// Package lint pins the linters `make lint` builds.
package lint

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
