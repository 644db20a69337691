package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
)

func TestAliasSpecsBecomeTheURNsTheyStandFor(t *testing.T) {
	t.Parallel()
	req := &rpc.ConstructRequest{Project: "proj", Stack: "dev", Type: RegistryToken, Name: "main",
		Parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"}
	cases := []struct {
		name string
		spec *rpc.Alias_Spec
		want resource.URN
	}{
		{"renamed", &rpc.Alias_Spec{Name: "platform"}, "urn:pulumi:dev::proj::ecrrepos:index:Registry::platform"},
		{"moved under a component", &rpc.Alias_Spec{Parent: &rpc.Alias_Spec_ParentUrn{ParentUrn: "urn:pulumi:dev::proj::acme:index:Platform::p"}},
			"urn:pulumi:dev::proj::acme:index:Platform$ecrrepos:index:Registry::main"},
		{"from another stack", &rpc.Alias_Spec{Stack: "old", Project: "legacy"}, "urn:pulumi:old::legacy::ecrrepos:index:Registry::main"},
		{"no parent", &rpc.Alias_Spec{Name: "x", Parent: &rpc.Alias_Spec_NoParent{NoParent: true}}, "urn:pulumi:dev::proj::ecrrepos:index:Registry::x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, aliasURN(req, tc.spec))
		})
	}
}
