package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Scanning mirrors `scanning`: the registry scanning configuration, an
// account-and-region singleton.
type Scanning struct {
	Type           *string
	Rules          []ScanningRule
	RetainOnDelete *bool
}

// ScanningRule mirrors one `scanning.rules` entry.
type ScanningRule struct {
	Frequency string
	Filters   []string
}

// Scan types and frequencies (ECR API: ScanType, ScanFrequency).
const (
	ScanTypeBasic      = "BASIC"
	ScanTypeEnhanced   = "ENHANCED"
	ScanOnPush         = "SCAN_ON_PUSH"
	ContinuousScan     = "CONTINUOUS_SCAN"
	ManualScan         = "MANUAL"
	DefaultScanType    = ScanTypeBasic
	MaxScanningRules   = 2
	MaxScanningFilters = 100
)

// scanFilterRe is the API's ScanningRepositoryFilterValue (1 to 255
// characters, WILDCARD filters).
var scanFilterRe = regexp.MustCompile(`^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)

// ScanningPlan is the resolved scanning configuration. Rules are in the
// order given; ECR stores them as a set.
type ScanningPlan struct {
	Type           string
	Rules          []ScanningRule
	RetainOnDelete bool
}

func init() {
	registryWide = append(registryWide, resolveScanning)
	// Scanning has no values that may be outputs: Fill copies it as it is.
	registryWideFill = append(registryWideFill, func(out *Registry, in Registry, _ Values) { out.Scanning = in.Scanning })
}

func resolveScanning(r Registry, _ Env, plan *Plan) validate.Problems {
	c := r.Scanning
	if c == nil {
		return nil
	}
	var ps validate.Problems
	p := &ScanningPlan{Type: firstOf(c.Type, nil, DefaultScanType), RetainOnDelete: deref(c.RetainOnDelete)}
	typeOK := true
	if c.Type != nil {
		problems := validate.OneOf("scanning.type", *c.Type, ScanTypeBasic, ScanTypeEnhanced)
		ps.Add(problems...)
		typeOK = len(problems) == 0
	}
	if n := len(c.Rules); n > MaxScanningRules {
		ps.Addf("scanning.rules", "ECR allows at most %d scanning rules (one per frequency), got %d", MaxScanningRules, n)
	}
	if len(c.Rules) == 0 && typeOK {
		what := "every repository is set to MANUAL (scanned only when a scan is started by hand)"
		if p.Type == ScanTypeEnhanced {
			what = "scanning is turned off for every repository (ECR: \"Any repositories not matching an enhanced scanning filter will have scanning disabled\")"
		}
		ps.Warnf("scanning.rules", "is empty, so %s; add a rule with filters [\"*\"] to scan every repository", what)
	}
	frequencies := map[string]int{}
	for i, rule := range c.Rules {
		path := fmt.Sprintf("scanning.rules[%d]", i)
		f := rule.Frequency
		switch {
		case f == ManualScan:
			ps.Addf(path+".frequency", "MANUAL is what ECR gives repositories that match no rule, not a rule of its own; leave those repositories out of the filters")
		case f == ContinuousScan && typeOK && p.Type == ScanTypeBasic:
			ps.Addf(path+".frequency", "CONTINUOUS_SCAN needs type ENHANCED (Amazon Inspector); BASIC scanning supports only SCAN_ON_PUSH")
		default:
			ps.Add(validate.OneOf(path+".frequency", f, ScanOnPush, ContinuousScan)...)
		}
		if j, dup := frequencies[f]; dup {
			ps.Addf(path+".frequency", "repeats the frequency of rules[%d] (%s); put both rules' filters into one rule", j, f)
		} else {
			frequencies[f] = i
		}
		switch n := len(rule.Filters); {
		case n == 0:
			ps.Addf(path+".filters", "a scanning rule needs at least one filter; [\"*\"] matches every repository")
		case n > MaxScanningFilters:
			ps.Addf(path+".filters", "ECR allows at most %d filters per scanning rule, got %d", MaxScanningFilters, n)
		}
		for j, filter := range rule.Filters {
			fpath := fmt.Sprintf("%s.filters[%d]", path, j)
			if n := len(filter); n < 1 || n > 255 {
				ps.Addf(fpath, "a scanning filter must be 1 to 255 characters long, got %d", n)
			} else if !scanFilterRe.MatchString(filter) {
				ps.Addf(fpath, "must be lowercase letters, digits, '.', '_', '-', '/' and the wildcard '*' (ECR pattern %s), got %q", scanFilterRe, filter)
			}
		}
		p.Rules = append(p.Rules, rule)
	}
	if typeOK && len(ps.Errors()) == 0 {
		ps.Add(checkScanOnPush(r, p, plan)...)
	}
	plan.Scanning = p
	return ps
}

// checkScanOnPush warns about repositories whose scanOnPush says one thing
// while the registry scanning configuration, which is what ECR applies once
// it is set, says another. Only a scanOnPush the arguments set (on the
// repository or in defaults) is compared.
func checkScanOnPush(r Registry, p *ScanningPlan, plan *Plan) validate.Problems {
	var ps validate.Problems
	for _, repo := range plan.Repositories {
		path := validate.Field(repo.Path, "scanOnPush")
		if own := r.Repositories[repo.Key].ScanOnPush; own == nil {
			if r.Defaults == nil || r.Defaults.ScanOnPush == nil {
				continue
			}
			path = "defaults.scanOnPush"
		}
		frequency := p.Frequency(repo.Name)
		scanned := frequency == ScanOnPush || frequency == ContinuousScan
		if repo.ScanOnPush == scanned {
			continue
		}
		ps.Warnf(path, "says %t for %s, but the registry scanning configuration decides once it is set (the repository setting is deprecated by ECR), and under scanning it is %s: %s",
			repo.ScanOnPush, repo.Name, describeFrequency(p.Type, frequency), fixHint(repo.ScanOnPush))
	}
	return ps
}

func describeFrequency(scanType, frequency string) string {
	switch {
	case frequency == ScanOnPush:
		return "scanned on push (" + scanType + ")"
	case frequency == ContinuousScan:
		return "scanned continuously (ENHANCED)"
	case scanType == ScanTypeEnhanced:
		return "not scanned (it matches no ENHANCED filter)"
	}
	return "MANUAL (it matches no SCAN_ON_PUSH filter)"
}

func fixHint(wanted bool) string {
	if wanted {
		return "add a filter that matches it to scanning.rules, or set scanOnPush: false to say what happens"
	}
	return "set scanOnPush: true, or change scanning.rules so that no filter matches it"
}

// Frequency is how ECR scans repository name under this configuration:
// CONTINUOUS_SCAN wins over SCAN_ON_PUSH when both match (ENHANCED); no
// match is MANUAL (BASIC) or off (ENHANCED), both returned as MANUAL.
func (p *ScanningPlan) Frequency(name string) string {
	found := ManualScan
	for _, rule := range p.Rules {
		for _, f := range rule.Filters {
			if !ScanFilterMatches(f, name) {
				continue
			}
			if rule.Frequency == ContinuousScan {
				return ContinuousScan
			}
			if rule.Frequency == ScanOnPush {
				found = ScanOnPush
			}
		}
	}
	return found
}

// ScanFilterMatches applies one scanning filter to a repository name the way
// ECR documents it (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html):
// a filter without a wildcard matches every name that contains it; a filter
// with '*' matches names where each '*' stands for zero or more characters
// (the whole name: "prod*" matches "prod-repo", not "repo-prod").
func ScanFilterMatches(filter, name string) bool {
	if !strings.Contains(filter, "*") {
		return strings.Contains(name, filter)
	}
	parts := strings.Split(filter, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	rest := name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return strings.HasSuffix(rest, last) && len(rest) >= len(last)
}
