// Command pulumi-resource-ecrrepos runs the ecrrepos provider. It sits at the
// repository root next to PulumiPlugin.yaml so a Pulumi project can load the
// provider straight from a checkout.
package main

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/ecrrepos/pulumi-ecrrepos/provider"
)

func main() {
	prov, err := provider.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	if err := p.RunProvider(context.Background(), provider.Name, provider.Version, prov); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}
