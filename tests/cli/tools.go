//go:build tools

// Package cli pins the Pulumi CLI as a build dependency of this module.
package cli

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
