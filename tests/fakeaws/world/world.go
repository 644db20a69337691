// Package world is the fake AWS account that the aws TEST DOUBLE
// (tests/fakeaws, standing in for pulumi-resource-aws) manages, and the
// journal of the calls that changed it. It is not AWS.
//
// Tests use it to seed the account before a run (pre-existing repositories to
// adopt, a lock parameter another stack holds, ...) and to inspect what
// "happened in AWS" afterwards, independently of the Pulumi state:
//
//	require.NoError(t, world.Seed(dir, func(w *world.World) {
//		w.Region("us-east-1").Repositories["legacy/app"] = &world.Repository{ImageTagMutability: "IMMUTABLE"}
//	}))
//	...
//	w, err := world.Load(dir)
//	repo := w.Region("us-east-1").Repositories["team/api"]
//
// Records carry the property names of pulumi-aws v6.83.2 as JSON keys, so
// world.json reads like the resources' state. Fields that AWS derives (ARNs,
// URLs, IDs, defaults) may be left empty when seeding: Seed and every write
// fill them in (see World.Complete).
package world

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"sort"
	"strings"
)

// The fake account.
const (
	Account   = "123456789012"
	Partition = "aws"
	DNSSuffix = "amazonaws.com"
	// CallerARN is the identity the fake credentials belong to, and the only
	// IAM user in the account.
	CallerARN = "arn:" + Partition + ":iam::" + Account + ":user/fake"
	// CreateDate is the fixed creation time of every record, so that state
	// is stable across runs.
	CreateDate = "2024-01-01T00:00:00Z"
)

// World is the fake account: global services at the top, everything else
// per region (resources live in the region of the provider that created them).
type World struct {
	// Roles by role name (IAM is global; names are unique per account
	// whatever their path).
	Roles map[string]*Role `json:"roles,omitempty"`
	// Dashboards by name (CloudWatch dashboards are global).
	Dashboards map[string]*Dashboard `json:"dashboards,omitempty"`
	// Regions by region name, e.g. "us-east-1".
	Regions map[string]*Region `json:"regions,omitempty"`
}

// New returns an empty world.
func New() *World {
	w := &World{}
	w.init()
	return w
}

// Region returns the named region, creating it (empty) if need be.
func (w *World) Region(name string) *Region {
	w.init()
	r := w.Regions[name]
	if r == nil {
		r = &Region{}
		w.Regions[name] = r
	}
	r.init()
	return r
}

func (w *World) init() {
	initMap(&w.Roles)
	initMap(&w.Dashboards)
	initMap(&w.Regions)
}

// Complete fills in what AWS derives for every record: the key it is stored
// under as its name or ID, ARNs, URLs and defaults. It leaves fields that are
// already set alone, so seeds may give as much or as little as they like.
func (w *World) Complete() {
	w.init()
	for name, r := range w.Roles {
		r.complete(name)
	}
	for name, d := range w.Dashboards {
		d.DashboardName = or(d.DashboardName, name)
		d.DashboardARN = or(d.DashboardARN, "arn:"+Partition+":cloudwatch::"+Account+":dashboard/"+d.DashboardName)
	}
	for name := range w.Regions {
		w.Region(name).complete(name)
	}
}

// RegionARN is the ARN of resource in service in region of the fake account.
func RegionARN(service, region, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", Partition, service, region, Account, resource)
}

// Sorted returns the keys of m in order.
func Sorted[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// stableID derives an identifier from seed, so that a record seeded without
// one gets the same one on every run.
func stableID(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	return strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:n]
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
