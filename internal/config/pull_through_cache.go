package config

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// PullThroughCache mirrors `pullThroughCache`: pull-through cache rules by
// ECR repository prefix.
type PullThroughCache struct {
	Rules          map[string]PullThroughCacheRule
	RetainOnDelete *bool
}

// PullThroughCacheRule mirrors one rule. Credentials are either an existing
// secret (CredentialArn) or Username + AccessToken, from which the
// component creates the secret.
type PullThroughCacheRule struct {
	Upstream                 string
	AzureRegistryName        *string
	UpstreamRegistryID       *string
	UpstreamRegion           *string
	UpstreamRepositoryPrefix *string
	CustomRoleArn            *Text
	CredentialArn            *Text
	Username                 *Text
	AccessToken              *Text
	// AccessTokenPlain: the token was given as a plain string rather than a
	// secret, so the engine keeps it in the state in plain text.
	AccessTokenPlain bool
}

// Upstream authentication, as AWS lists it
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html).
const (
	AuthNone   = "none"   // Amazon ECR Public, Kubernetes, Quay
	AuthSecret = "secret" // Docker Hub, GitHub, GitLab, Azure: a Secrets Manager secret
	AuthRole   = "role"   // Amazon ECR: an IAM role, when the upstream is another account
)

// UpstreamPreset is one upstream registry ECR caches from.
type UpstreamPreset struct {
	Name string // the `upstream` keyword
	Host string // upstreamRegistryUrl; "" when it depends on other fields
	Auth string
	What string
}

// UpstreamPresets are the upstream registries of pulumi-aws v6.83.2's
// PullThroughCacheRule (its upstreamRegistryUrl is free text; ECR decides),
// with the URLs of the ECR API's CreatePullThroughCacheRule.
var UpstreamPresets = []UpstreamPreset{
	{"ecr-public", "public.ecr.aws", AuthNone, "Amazon ECR Public"},
	{"k8s", "registry.k8s.io", AuthNone, "the Kubernetes container image registry"},
	{"quay", "quay.io", AuthNone, "Quay"},
	{"docker-hub", "registry-1.docker.io", AuthSecret, "Docker Hub"},
	{"github", "ghcr.io", AuthSecret, "GitHub Container Registry"},
	{"gitlab", "registry.gitlab.com", AuthSecret, "GitLab Container Registry (GitLab.com only)"},
	{"azure", "", AuthSecret, "Microsoft Azure Container Registry (<name>.azurecr.io)"},
	{"ecr", "", AuthRole, "a private Amazon ECR registry (<account>.dkr.ecr.<region>.amazonaws.com)"},
}

// MaxPullThroughCacheRules is ECR's quota "Pull through cache rules per
// registry", not adjustable (Amazon ECR service quotas).
const MaxPullThroughCacheRules = 50

var (
	// The API's PullThroughCacheRuleRepositoryPrefix (2 to 30 characters).
	ptcPrefixRe = regexp.MustCompile(`^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`)
	// The API's CredentialArn pattern, for any partition (50 to 612 characters).
	credentialArnRe = regexp.MustCompile(`^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:ecr-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$`)
	roleArnRe       = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::([0-9]{12}):role/[\w+=,.@/-]{1,512}$`)
	ecrHostRe       = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)
	azureHostRe     = regexp.MustCompile(`^([a-z0-9]+)\.azurecr\.io$`)
	// Azure container registry names: 5 to 50 alphanumeric characters (Azure
	// REST API, Registries - Check Name Availability).
	azureNameRe = regexp.MustCompile(`^[a-zA-Z0-9]{5,50}$`)
	hostRe      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
)

// PullThroughCachePlan is the resolved pull-through cache rules, by prefix.
type PullThroughCachePlan struct {
	Rules          []*PullThroughCacheRulePlan
	RetainOnDelete bool
	Refs           []Ref
}

// PullThroughCacheRulePlan is one resolved rule.
type PullThroughCacheRulePlan struct {
	Prefix string // the ECR repository prefix (ROOT allowed)
	Path   string
	// Preset names the upstream ("" for a host ecrrepos does not know).
	Preset string
	// URL is upstreamRegistryUrl; for an ECR upstream built from
	// UpstreamAccount and UpstreamRegion it is "" and ECR is set.
	URL string
	ECR *ECRUpstream
	// UpstreamRepositoryPrefix is "" when not set.
	UpstreamRepositoryPrefix string
	CredentialArn            *Text
	CustomRoleArn            *Text
	// Username and AccessToken are set when the component creates the
	// secret; AccessToken is never known in plain text (a secret output).
	Username    *Text
	AccessToken *Text
}

// ECRUpstream is a private ECR registry to cache from.
type ECRUpstream struct {
	AccountID Text
	Region    Text
}

// CredentialLess reports whether the rule has neither a credential nor a
// role: pulumi-aws cannot update such a rule in place (pulumi/pulumi-aws#5714).
func (p *PullThroughCacheRulePlan) CredentialLess() bool {
	return p.CredentialArn == nil && p.Username == nil && p.CustomRoleArn == nil
}

func init() {
	registryWide = append(registryWide, resolvePullThroughCache)
	registryWideFill = append(registryWideFill, func(out *Registry, in Registry, v Values) {
		if in.PullThroughCache == nil {
			return
		}
		c := *in.PullThroughCache
		c.Rules = make(map[string]PullThroughCacheRule, len(in.PullThroughCache.Rules))
		for k, rule := range in.PullThroughCache.Rules {
			rule.CustomRoleArn = v.textPtr(rule.CustomRoleArn)
			rule.CredentialArn = v.textPtr(rule.CredentialArn)
			rule.Username = v.textPtr(rule.Username)
			rule.AccessToken = v.textPtr(rule.AccessToken)
			c.Rules[k] = rule
		}
		out.PullThroughCache = &c
	})
}

func resolvePullThroughCache(r Registry, env Env, plan *Plan) validate.Problems {
	c := r.PullThroughCache
	if c == nil {
		return nil
	}
	var ps validate.Problems
	p := &PullThroughCachePlan{RetainOnDelete: deref(c.RetainOnDelete)}
	if len(c.Rules) == 0 {
		ps.Addf("pullThroughCache.rules", "is empty, so there is nothing to cache; remove pullThroughCache or add rules")
	}
	if n := len(c.Rules); n > MaxPullThroughCacheRules {
		ps.Addf("pullThroughCache.rules", "ECR allows at most %d pull through cache rules per registry, got %d", MaxPullThroughCacheRules, n)
	}
	if env.Partition.IsKnown() && (env.Partition.Value == "aws-cn" || env.Partition.Value == "aws-us-gov") {
		ps.Warnf("pullThroughCache", "AWS announced pull through cache for every Region except AWS GovCloud (US) and China (What's New, 2023-11-17), and this registry is in partition %s: ECR may refuse the rules", env.Partition.Value)
	}
	for _, prefix := range slices.Sorted(maps.Keys(c.Rules)) {
		rule := c.Rules[prefix]
		rp, problems := resolvePullThroughCacheRule(prefix, rule, env, plan)
		ps.Add(problems...)
		p.Rules = append(p.Rules, rp)
		for _, t := range []*Text{rule.CustomRoleArn, rule.CredentialArn, rule.Username, rule.AccessToken} {
			if t != nil && t.Ref != 0 {
				p.Refs = append(p.Refs, t.Ref)
			}
		}
	}
	p.Refs = sortedRefs(p.Refs)
	plan.PullThroughCache = p
	plan.Refs = append(plan.Refs, p.Refs...)
	return ps
}

func resolvePullThroughCacheRule(prefix string, rule PullThroughCacheRule, env Env, plan *Plan) (*PullThroughCacheRulePlan, validate.Problems) {
	path := validate.Key("pullThroughCache.rules", prefix)
	at := validate.Under(path)
	var ps validate.Problems
	rp := &PullThroughCacheRulePlan{Prefix: prefix, Path: path, CredentialArn: rule.CredentialArn, CustomRoleArn: rule.CustomRoleArn}

	switch n := len(prefix); {
	case strings.HasSuffix(prefix, "/"):
		ps.Addf(path, "write the prefix without the trailing \"/\": ECR always assumes one, got %q", prefix)
	case prefix != "ROOT" && (n < 2 || n > 30):
		ps.Addf(path, "an ECR repository prefix must be 2 to 30 characters long, got %d (%q)", n, prefix)
	case !ptcPrefixRe.MatchString(prefix):
		ps.Addf(path, "must be ROOT or the beginning of repository names (lowercase letters and digits separated by '.', '_', '-' or '/'; ECR pattern %s), got %q", ptcPrefixRe, prefix)
	}

	preset, problems := resolveUpstream(at, rule, rp, env)
	ps.Add(problems...)
	rp.Preset = preset.Name

	// Credentials, by what the upstream needs.
	hasSecret := rule.Username != nil || rule.AccessToken != nil
	if rule.CredentialArn != nil && hasSecret {
		ps.Addf(at("credentialArn"), "give either credentialArn (an existing secret) or username and accessToken (the component creates the secret), not both")
	}
	if hasSecret {
		if rule.Username == nil {
			ps.Addf(at("username"), "is required with accessToken")
		}
		if rule.AccessToken == nil {
			ps.Addf(at("accessToken"), "is required with username")
		}
		rp.Username, rp.AccessToken = rule.Username, rule.AccessToken
	}
	if rule.Username != nil && rule.Username.IsKnown() && strings.TrimSpace(rule.Username.Value) == "" {
		ps.Addf(at("username"), "must not be empty")
	}
	if rule.AccessToken != nil {
		// The value itself is never repeated in a message.
		switch {
		case rule.AccessTokenPlain:
			// The engine stores the Registry's inputs as given, so a plain
			// string would sit in the state in plain text.
			ps.Addf(at("accessToken"), "must be a secret (pulumi.secret(...) in TypeScript, pulumi.Output.secret(...) in Python, pulumi.ToSecret(...) in Go, or a secret config value): a plain string is stored in the stack's state in plain text")
		case rule.AccessToken.IsKnown() && rule.AccessToken.Value == "":
			ps.Addf(at("accessToken"), "must not be empty")
		}
	}
	credentialGiven := rule.CredentialArn != nil || hasSecret
	switch preset.Auth {
	case AuthSecret:
		if !credentialGiven {
			ps.Addf(path, "%s requires authentication: set credentialArn (an existing secret named ecr-pullthroughcache/...) or username and accessToken (the component then creates that secret)", preset.What)
		}
	case AuthNone:
		if credentialGiven {
			ps.Addf(at("credentialArn"), "%s needs no authentication, so a credential is not used; remove credentialArn, username and accessToken", preset.What)
		}
	case AuthRole:
		if credentialGiven {
			ps.Addf(at("credentialArn"), "an Amazon ECR upstream authenticates with an IAM role (customRoleArn), not with a Secrets Manager secret; remove credentialArn, username and accessToken")
		}
	}
	if rule.CredentialArn != nil && rule.CredentialArn.IsKnown() {
		ps.Add(checkCredentialArn(at("credentialArn"), rule.CredentialArn.Value, env)...)
	}

	// ECR-to-ECR only: the role and the upstream repository prefix.
	if rule.CustomRoleArn != nil {
		if preset.Auth != AuthRole {
			ps.Addf(at("customRoleArn"), "is only for an Amazon ECR upstream (upstream: ecr), not for %s", preset.What)
		} else if rule.CustomRoleArn.IsKnown() {
			ps.Add(checkRoleArn(at("customRoleArn"), rule.CustomRoleArn.Value, env)...)
		}
	}
	if preset.Auth == AuthRole && rule.CustomRoleArn == nil && rp.ECR != nil &&
		rp.ECR.AccountID.IsKnown() && env.AccountID.IsKnown() && rp.ECR.AccountID.Value != env.AccountID.Value {
		ps.Addf(at("customRoleArn"), "is required: the upstream registry is in account %s, another account than this registry's (%s), and ECR reaches it with a role of this account trusted by pullthroughcache.ecr.amazonaws.com (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html)", rp.ECR.AccountID.Value, env.AccountID.Value)
	}
	if rule.UpstreamRepositoryPrefix != nil {
		u := *rule.UpstreamRepositoryPrefix
		upath := at("upstreamRepositoryPrefix")
		switch {
		case preset.Auth != AuthRole:
			ps.Addf(upath, "is only for an Amazon ECR upstream (upstream: ecr), not for %s", preset.What)
		case prefix == "ROOT":
			ps.Addf(upath, "cannot be combined with the ROOT prefix: ECR sets an upstream repository prefix only for a rule whose repository prefix is not ROOT")
		case strings.HasSuffix(u, "/"):
			ps.Addf(upath, "write the prefix without the trailing \"/\", got %q", u)
		case u != "ROOT" && (len(u) < 2 || len(u) > 30):
			ps.Addf(upath, "an upstream repository prefix must be 2 to 30 characters long, got %d (%q)", len(u), u)
		case !ptcPrefixRe.MatchString(u):
			ps.Addf(upath, "must be ROOT or the beginning of repository names (ECR pattern %s), got %q", ptcPrefixRe, u)
		}
		if u != "ROOT" {
			rp.UpstreamRepositoryPrefix = u
		}
	}

	// Declared repositories the rule would write cached images into.
	if prefix != "ROOT" {
		for _, repo := range plan.Repositories {
			if (repo.Name == prefix || strings.HasPrefix(repo.Name, prefix+"/")) && repo.ImageTagMutability == "IMMUTABLE" {
				ps.Warnf(repo.Path, "is under the pull through cache prefix %q, so ECR caches upstream images into it, but its tags are IMMUTABLE: ECR may then be unable to update cached images (AWS recommends MUTABLE for pull through cache repositories); set imageTagMutability: MUTABLE or move it out of the prefix", prefix)
			}
		}
	}
	return rp, ps
}

// resolveUpstream classifies `upstream` (a preset or a registry host) and
// fills in the rule's URL or ECR upstream.
func resolveUpstream(at validate.Locator, rule PullThroughCacheRule, rp *PullThroughCacheRulePlan, env Env) (UpstreamPreset, validate.Problems) {
	var ps validate.Problems
	u := rule.Upstream
	upath := at("upstream")
	preset, isPreset := lookupPreset(u)

	if rule.AzureRegistryName != nil && preset.Name != "azure" {
		ps.Addf(at("azureRegistryName"), "is only for upstream: azure")
	}
	if (rule.UpstreamRegistryID != nil || rule.UpstreamRegion != nil) && u != "ecr" {
		field := "upstreamRegistryId"
		if rule.UpstreamRegistryID == nil {
			field = "upstreamRegion"
		}
		ps.Addf(at(field), "is only for upstream: ecr (an upstream URL already names the account and Region)")
	}

	switch {
	case u == "":
		ps.Addf(upath, "is required: one of %s, or an upstream registry's host name", presetNames())
		return UpstreamPreset{Auth: AuthNone, What: "the upstream"}, ps
	case isPreset && u == "azure":
		if rule.AzureRegistryName == nil {
			ps.Addf(at("azureRegistryName"), "is required with upstream: azure: the <name> of <name>.azurecr.io")
		} else if name := *rule.AzureRegistryName; !azureNameRe.MatchString(name) {
			ps.Addf(at("azureRegistryName"), "must be an Azure container registry name, 5 to 50 letters and digits, got %q", name)
		} else {
			rp.URL = strings.ToLower(name) + ".azurecr.io"
		}
		return preset, ps
	case isPreset && u == "ecr":
		rp.ECR = &ECRUpstream{AccountID: env.AccountID, Region: env.Region}
		if id := rule.UpstreamRegistryID; id != nil {
			ps.Add(validate.AccountID(at("upstreamRegistryId"), *id)...)
			rp.ECR.AccountID = Known(*id)
		}
		if region := rule.UpstreamRegion; region != nil {
			ps.Add(validate.Region(at("upstreamRegion"), *region)...)
			rp.ECR.Region = Known(*region)
		}
		ps.Add(checkECRUpstream(upath, rp.ECR, env)...)
		return preset, ps
	case isPreset:
		rp.URL = preset.Host
		return preset, ps
	}

	// A host name.
	host := u
	switch {
	case strings.Contains(u, "://"):
		ps.Addf(upath, "write the registry's host name without a scheme, such as %q, got %q", strings.SplitN(u, "://", 2)[1], u)
		return UpstreamPreset{Auth: AuthNone, What: "the upstream"}, ps
	case strings.Contains(u, "/"):
		ps.Addf(upath, "write only the registry's host name, without a path (repositories are chosen at pull time; an ECR upstream takes upstreamRepositoryPrefix), got %q", u)
		return UpstreamPreset{Auth: AuthNone, What: "the upstream"}, ps
	case !strings.Contains(u, "."):
		ps.Addf(upath, "must be one of %s, or an upstream registry's host name, got %q", presetNames(), u)
		return UpstreamPreset{Auth: AuthNone, What: "the upstream"}, ps
	case u == "docker.io" || u == "index.docker.io" || u == "hub.docker.com":
		ps.Addf(upath, "ECR's upstream URL for Docker Hub is registry-1.docker.io (or write upstream: docker-hub), got %q", u)
		return presetByName("docker-hub"), ps
	case !hostRe.MatchString(u):
		ps.Addf(upath, "must be a lowercase host name such as ghcr.io, got %q", u)
		return UpstreamPreset{Auth: AuthNone, What: "the upstream"}, ps
	}
	rp.URL = host
	for _, p := range UpstreamPresets {
		if p.Host != "" && p.Host == host {
			return p, ps
		}
	}
	if azureHostRe.MatchString(host) {
		return presetByName("azure"), ps
	}
	if m := ecrHostRe.FindStringSubmatch(host); m != nil {
		rp.URL = ""
		rp.ECR = &ECRUpstream{AccountID: Known(m[1]), Region: Known(m[2])}
		ps.Add(validate.Region(upath, m[2])...)
		ps.Add(checkECRUpstream(upath, rp.ECR, env)...)
		return presetByName("ecr"), ps
	}
	ps.Warnf(upath, "%q is not an upstream registry ecrrepos knows (%s); ECR refuses an upstream it does not support with UnsupportedUpstreamRegistryException", host, presetHosts())
	return UpstreamPreset{Auth: "", What: "the upstream " + host}, ps
}

// checkECRUpstream refuses a cache of the registry itself.
func checkECRUpstream(path string, u *ECRUpstream, env Env) validate.Problems {
	var ps validate.Problems
	if u.AccountID.IsKnown() && u.Region.IsKnown() && env.AccountID.IsKnown() && env.Region.IsKnown() &&
		u.AccountID.Value == env.AccountID.Value && u.Region.Value == env.Region.Value {
		ps.Addf(path, "names this registry itself (account %s, Region %s): an ECR upstream must be another Region or account", u.AccountID.Value, u.Region.Value)
	}
	return ps
}

func checkCredentialArn(path, arn string, env Env) validate.Problems {
	var ps validate.Problems
	m := credentialArnRe.FindStringSubmatch(arn)
	if m == nil || len(arn) < 50 || len(arn) > 612 {
		ps.Addf(path, "must be the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/ (arn:<partition>:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/<name>, 50 to 612 characters; ECR reads only such secrets), got %q", arn)
		return ps
	}
	if env.Region.IsKnown() && env.Region.Value != "" && m[2] != env.Region.Value {
		ps.Addf(path, "must be a secret in this registry's Region %s: the secret and the rule must be in the same account and Region, got a secret in %s", env.Region.Value, m[2])
	}
	if env.AccountID.IsKnown() && env.AccountID.Value != "" && m[3] != env.AccountID.Value {
		ps.Addf(path, "must be a secret of this registry's account %s: the secret and the rule must be in the same account and Region, got a secret of account %s", env.AccountID.Value, m[3])
	}
	return ps
}

// checkRoleArn checks an IAM role of this registry's account.
func checkRoleArn(path, arn string, env Env) validate.Problems {
	var ps validate.Problems
	m := roleArnRe.FindStringSubmatch(arn)
	if m == nil {
		ps.Addf(path, "must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>), got %q", arn)
		return ps
	}
	if env.Partition.IsKnown() && env.Partition.Value != "" && m[1] != env.Partition.Value {
		ps.Addf(path, "must be a role in this registry's partition %s, got %q", env.Partition.Value, arn)
	}
	if env.AccountID.IsKnown() && env.AccountID.Value != "" && m[2] != env.AccountID.Value {
		ps.Addf(path, "must be a role of this registry's account %s (ECR assumes it from this registry), got a role of account %s", env.AccountID.Value, m[2])
	}
	return ps
}

func lookupPreset(name string) (UpstreamPreset, bool) {
	for _, p := range UpstreamPresets {
		if p.Name == name {
			return p, true
		}
	}
	return UpstreamPreset{}, false
}

func presetByName(name string) UpstreamPreset {
	p, _ := lookupPreset(name)
	return p
}

func presetNames() string {
	names := make([]string, len(UpstreamPresets))
	for i, p := range UpstreamPresets {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func presetHosts() string {
	var hosts []string
	for _, p := range UpstreamPresets {
		if p.Host != "" {
			hosts = append(hosts, p.Host)
		}
	}
	return strings.Join(append(hosts, "<name>.azurecr.io", "<account>.dkr.ecr.<region>.amazonaws.com"), ", ")
}
