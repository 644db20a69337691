package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// ScanType is the registry's scanning engine.
type ScanType string

// TypeDescription describes the enum type in the schema.
func (ScanType) TypeDescription() string {
	return "The registry's scanning: basic (ECR) or enhanced (Amazon Inspector)."
}

// Values lists the scan types for the schema.
func (ScanType) Values() []infer.EnumValue[ScanType] {
	return []infer.EnumValue[ScanType]{
		{Name: "Basic", Value: config.ScanTypeBasic, Description: "ECR's own scanner (the default): repositories matching a `SCAN_ON_PUSH` filter are scanned on push, the others are MANUAL."},
		{Name: "Enhanced", Value: config.ScanTypeEnhanced, Description: "Amazon Inspector (billed by Inspector; the deployer needs inspector2 permissions): " +
			"`SCAN_ON_PUSH` or `CONTINUOUS_SCAN` per filter, and repositories matching no filter are not scanned at all."},
	}
}

// ScanFrequency is how often the repositories a rule matches are scanned.
type ScanFrequency string

// TypeDescription describes the enum type in the schema.
func (ScanFrequency) TypeDescription() string {
	return "When the repositories a scanning rule matches are scanned."
}

// Values lists the scan frequencies for the schema.
func (ScanFrequency) Values() []infer.EnumValue[ScanFrequency] {
	return []infer.EnumValue[ScanFrequency]{
		{Name: "ScanOnPush", Value: config.ScanOnPush, Description: "Scan each image when it is pushed (BASIC or ENHANCED)."},
		{Name: "ContinuousScan", Value: config.ContinuousScan, Description: "Scan on push and again whenever new vulnerabilities are published (ENHANCED only); wins over `SCAN_ON_PUSH` where both match."},
	}
}

// ScanningArgs is the registry scanning configuration (schema type
// Scanning): an aws.ecr.RegistryScanningConfiguration, one per account and
// Region.
type ScanningArgs struct {
	Type           *ScanType          `pulumi:"type,optional"`
	Rules          []ScanningRuleArgs `pulumi:"rules,optional"`
	RetainOnDelete *bool              `pulumi:"retainOnDelete,optional"`
}

// ScanningRuleArgs is one scanning rule.
type ScanningRuleArgs struct {
	Frequency ScanFrequency `pulumi:"frequency"`
	Filters   []string      `pulumi:"filters"`
}

var (
	_ infer.Annotated = (*ScanningArgs)(nil)
	_ infer.Annotated = (*ScanningRuleArgs)(nil)
)

// describeScanning is the description of RegistryArgs.scanning.
const describeScanning = "The registry scanning configuration: which repositories ECR scans, how and how often. " +
	"One per account and Region, owned by exactly one Registry (see `ownershipLocks`). Default: none, nothing is created. " +
	"Once it is set, it decides for every repository of the registry, and a repository's `scanOnPush` no longer does " +
	"(ECR has deprecated the repository setting): the component warns where a `scanOnPush` you set disagrees with it. " +
	"Removing it, or destroying the stack, resets the registry to BASIC scanning with no rules, so every repository becomes MANUAL " +
	"(no scan on push) — it cannot be deleted (set `retainOnDelete` to leave it in place)."

// Annotate documents the scanning settings.
func (a *ScanningArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "Scanning")
	an.Describe(a, "A registry scanning configuration: the scan type and up to 2 rules (one per frequency).")
	an.Describe(&a.Type, "`BASIC` (default) or `ENHANCED` (Amazon Inspector).")
	an.Describe(&a.Rules, "At most 2 rules, one per frequency (BASIC: `SCAN_ON_PUSH` only). Repositories that match no rule are MANUAL (BASIC) or not scanned (ENHANCED). "+
		"No rules: nothing is scanned automatically (a warning says so).")
	an.Describe(&a.RetainOnDelete, "Leave the scanning configuration in AWS when it is removed from the program or the stack is destroyed "+
		"(Pulumi stops managing it; its ownership lock is kept too). Default `false`: removal resets the registry to BASIC with no rules.")
}

// Annotate documents a scanning rule.
func (a *ScanningRuleArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "ScanningRule")
	an.Describe(a, "The repositories scanned at one frequency.")
	an.Describe(&a.Frequency, "`SCAN_ON_PUSH` or `CONTINUOUS_SCAN` (ENHANCED only). MANUAL is what matching no rule means, not a rule.")
	an.Describe(&a.Filters, "1 to 100 ECR `WILDCARD` filters, each 1 to 255 characters of lowercase letters, digits, `._-/` and `*`. "+
		"A filter without `*` matches every repository name that *contains* it (`prod` matches `repo-prod-x`); with `*`, the whole name must match "+
		"and `*` stands for any characters (`prod*` matches `prod-api`, not `api-prod`). `*` alone matches every repository.")
}

func (a *ScanningArgs) toConfig() *config.Scanning {
	if a == nil {
		return nil
	}
	c := &config.Scanning{Type: (*string)(a.Type), RetainOnDelete: a.RetainOnDelete}
	for _, rule := range a.Rules {
		c.Rules = append(c.Rules, config.ScanningRule{Frequency: string(rule.Frequency), Filters: rule.Filters})
	}
	return c
}

func init() {
	afterRepositories = append(afterRepositories, registerRegistryScanningConfiguration)
}

// registerRegistryScanningConfiguration registers the scanning
// configuration and its lock.
func registerRegistryScanningConfiguration(r *registration, plan *config.Plan, _ []*repository) error {
	p := plan.Scanning
	if p == nil {
		return nil
	}
	lock, err := r.registerLock(singletonScanning, p.RetainOnDelete)
	if err != nil {
		return err
	}
	rules := ecr.RegistryScanningConfigurationRuleArray{}
	for _, rule := range p.Rules {
		filters := ecr.RegistryScanningConfigurationRuleRepositoryFilterArray{}
		for _, f := range rule.Filters {
			filters = append(filters, &ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs{Filter: pulumi.String(f), FilterType: pulumi.String("WILDCARD")})
		}
		rules = append(rules, &ecr.RegistryScanningConfigurationRuleArgs{ScanFrequency: pulumi.String(rule.Frequency), RepositoryFilters: filters})
	}
	args := &ecr.RegistryScanningConfigurationArgs{ScanType: pulumi.String(p.Type)}
	if len(rules) > 0 {
		args.Rules = rules
	}
	_, err = ecr.NewRegistryScanningConfiguration(r.ctx, r.childName("scanning"), args, r.wideOptions(p.RetainOnDelete, lock)...)
	return err
}
