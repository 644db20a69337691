// Command pulumi-resource-ecrrepos runs the ecrrepos provider. It sits at the
// repository root next to PulumiPlugin.yaml so a Pulumi project can load the
// provider straight from a checkout.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ecrrepos/pulumi-ecrrepos/provider"
)

func main() {
	if err := provider.Serve(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}
