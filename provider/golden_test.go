package provider

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-50.json from the code")

// goldenArgs is a 50-repository registry that uses every per-repository
// setting: defaults, overrides, access of each kind, lifecycle helpers,
// templates and rules, KMS, tags, retain and replace.
func goldenArgs() RegistryArgs {
	repos := map[string]RepositoryArgs{}
	for i := range 50 {
		r := RepositoryArgs{}
		switch i % 5 {
		case 0:
			r.Access = &AccessArgs{PullAccountIds: strs("111111111111"), PushPrincipalArns: strs("arn:aws:iam::123456789012:role/ci")}
		case 1:
			r.Lifecycle = &LifecycleArgs{Template: ptr(LifecycleTemplate("production")), ProtectTags: []string{"release-"}}
			r.ImageTagMutability = ptr(ImageTagMutabilityMutable)
		case 2:
			r.Access = &AccessArgs{AllowOnlyPrincipals: strs("arn:aws:iam::123456789012:role/deployer"), StrictDeny: ptr(true),
				LambdaPullAccountIds: strs("123456789012")}
			r.RetainOnDelete = ptr(true)
		case 3:
			r.EncryptionType = ptr(EncryptionTypeKMS)
			r.KmsKeyArn = pulumi.String(keyArn)
			r.Tags = pulumi.StringMap{"tier": pulumi.String(fmt.Sprint(i))}
		case 4:
			r.Lifecycle = &LifecycleArgs{KeepLatest: ptr(20), ExpireUntaggedAfterDays: ptr(3), Rules: []LifecycleRuleArgs{
				{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "sinceImagePushed", CountNumber: 7},
			}}
			r.AllowReplace, r.ForceDelete = ptr(true), ptr(true)
		}
		repos[fmt.Sprintf("team-%02d/service", i)] = r
	}
	return RegistryArgs{
		Tags:         pulumi.StringMap{"owner": pulumi.String("platform")},
		Defaults:     &RepositoryArgs{ScanOnPush: ptr(false), Access: &AccessArgs{PullOrganizationIds: strs("o-a1b2c3d4e5")}},
		Repositories: repos,
	}
}

// goldenChild is what a child's registration says, in a stable order.
type goldenChild struct {
	Type, Name          string
	Inputs              any
	IgnoreChanges       []string `json:",omitempty"`
	RetainOnDelete      bool     `json:",omitempty"`
	DeleteBeforeReplace bool     `json:",omitempty"`
}

// The same arguments register the same children, byte for byte, across
// changes that are not meant to change them (performance work): a golden
// file of a 50-repository registry's children, regenerated with -update.
func TestRegisteredChildrenMatchTheGoldenFile(t *testing.T) {
	t.Parallel()
	r := run(t, goldenArgs()).ok(t)
	var children []goldenChild
	for _, res := range r.resources {
		if res.Type == registryType {
			continue
		}
		children = append(children, goldenChild{
			Type: res.Type, Name: res.Name, Inputs: resource.ToResourcePropertyMap(res.Inputs).Mappable(),
			IgnoreChanges: res.IgnoreChanges, RetainOnDelete: res.RetainOnDelete, DeleteBeforeReplace: res.DeleteBeforeReplace,
		})
	}
	slices.SortFunc(children, func(a, b goldenChild) int {
		if c := compare(a.Type, b.Type); c != 0 {
			return c
		}
		return compare(a.Name, b.Name)
	})
	got, err := json.MarshalIndent(children, "", " ")
	require.NoError(t, err)
	const path = "testdata/golden-50.json"
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./provider -run Golden -update to write it")
	assert.JSONEq(t, string(want), string(got))
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
