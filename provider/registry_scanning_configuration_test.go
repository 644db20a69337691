package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScanningConfiguration(t *testing.T) {
	t.Parallel()
	enhanced := ScanType("ENHANCED")
	r := runWide(t, RegistryArgs{Scanning: &ScanningArgs{Type: &enhanced, Rules: []ScanningRuleArgs{
		{Frequency: "CONTINUOUS_SCAN", Filters: []string{"prod*"}},
		{Frequency: "SCAN_ON_PUSH", Filters: []string{"*"}},
	}}}).ok(t)
	s := r.one(t, scanningType, "main/scanning")
	assert.Equal(t, "ENHANCED", s.input("scanType").AsString())
	assert.Equal(t, "CONTINUOUS_SCAN", s.input("rules", "0", "scanFrequency").AsString())
	assert.Equal(t, "prod*", s.input("rules", "0", "repositoryFilters", "0", "filter").AsString())
	assert.Equal(t, "WILDCARD", s.input("rules", "0", "repositoryFilters", "0", "filterType").AsString())
	assert.Equal(t, "SCAN_ON_PUSH", s.input("rules", "1", "scanFrequency").AsString())
	assert.True(t, dependsOn(s, parameterType, "main/owner/scanning"))
	assert.Equal(t, "/ecrrepos/owner/eu-west-1/scanning", r.one(t, parameterType, "main/owner/scanning").input("name").AsString())
	assert.False(t, s.RetainOnDelete)
	assert.Contains(t, r.request(t, scanningType, "main/scanning").GetParent(), "ecrrepos:index:Registry::main")
}

func TestScanningDefaultsToBasicAndRetains(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{Scanning: &ScanningArgs{
		Rules:          []ScanningRuleArgs{{Frequency: "SCAN_ON_PUSH", Filters: []string{"*"}}},
		RetainOnDelete: ptr(true),
	}}).ok(t)
	s := r.one(t, scanningType, "main/scanning")
	assert.Equal(t, "BASIC", s.input("scanType").AsString())
	assert.True(t, s.RetainOnDelete)
	assert.True(t, r.one(t, parameterType, "main/owner/scanning").RetainOnDelete)
}

func TestScanningRefusals(t *testing.T) {
	t.Parallel()
	runWide(t, RegistryArgs{Scanning: &ScanningArgs{Rules: []ScanningRuleArgs{{Frequency: "CONTINUOUS_SCAN", Filters: []string{"*"}}}}}).rejected(t,
		"scanning.rules[0].frequency: CONTINUOUS_SCAN needs type ENHANCED")
}
