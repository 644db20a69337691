package provider

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	comProvider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Serve runs the provider as a Pulumi plugin: p.RunProvider with one fix.
// pulumi-go-provider v1.5.0 hands a Construct request's aliases on to the
// component only when they are URNs and drops alias specs (`aliases: [{name:
// "old"}]`), which is what the SDKs send; renaming a Registry with an alias
// then planned to replace it and every child. Specs are turned into the URNs
// they stand for before the request reaches go-provider; the Go SDK then
// carries the Registry's aliases over to its children, whose names start with
// the Registry's.
func Serve(ctx context.Context) error {
	prov, err := New()
	if err != nil {
		return err
	}
	return comProvider.MainContext(ctx, Name, func(host *comProvider.HostClient) (rpc.ResourceProviderServer, error) {
		server, err := p.RawServer(Name, Version, prov)(host)
		if err != nil {
			return nil, err
		}
		return aliasSpecsAsURNs{server}, nil
	})
}

type aliasSpecsAsURNs struct{ rpc.ResourceProviderServer }

func (s aliasSpecsAsURNs) Construct(ctx context.Context, req *rpc.ConstructRequest) (*rpc.ConstructResponse, error) {
	for i, a := range req.GetAliases() {
		if spec := a.GetSpec(); spec != nil {
			req.Aliases[i] = &rpc.Alias{Alias: &rpc.Alias_Urn{Urn: string(aliasURN(req, spec))}}
		}
	}
	return s.ResourceProviderServer.Construct(ctx, req)
}

// aliasURN is the URN an alias spec stands for: each field it leaves out is
// the resource's own, as the Pulumi SDKs resolve it.
func aliasURN(req *rpc.ConstructRequest, spec *rpc.Alias_Spec) resource.URN {
	or := func(v, fallback string) string {
		if v != "" {
			return v
		}
		return fallback
	}
	parent := req.GetParent()
	switch {
	case spec.GetNoParent():
		parent = ""
	case spec.GetParentUrn() != "":
		parent = spec.GetParentUrn()
	}
	var parentType tokens.Type
	if parent != "" {
		if u := resource.URN(parent); u.IsValid() && u.Type() != resource.RootStackType {
			parentType = u.QualifiedType()
		}
	}
	return resource.NewURN(
		tokens.QName(or(spec.GetStack(), req.GetStack())),
		tokens.PackageName(or(spec.GetProject(), req.GetProject())),
		parentType,
		tokens.Type(or(spec.GetType(), req.GetType())),
		or(spec.GetName(), req.GetName()),
	)
}
