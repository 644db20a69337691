package provider

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// PullThroughCacheArgs is the registry's pull through cache (schema type
// PullThroughCache): an aws.ecr.PullThroughCacheRule per prefix, and the
// Secrets Manager secrets of the credentials the component stores.
type PullThroughCacheArgs struct {
	Rules          map[string]PullThroughCacheRuleArgs `pulumi:"rules"`
	RetainOnDelete *bool                               `pulumi:"retainOnDelete,optional"`
}

// PullThroughCacheRuleArgs is one pull through cache rule.
type PullThroughCacheRuleArgs struct {
	Upstream                 string             `pulumi:"upstream"`
	AzureRegistryName        *string            `pulumi:"azureRegistryName,optional"`
	UpstreamRegistryId       *string            `pulumi:"upstreamRegistryId,optional"` //nolint:revive // the schema name
	UpstreamRegion           *string            `pulumi:"upstreamRegion,optional"`
	UpstreamRepositoryPrefix *string            `pulumi:"upstreamRepositoryPrefix,optional"`
	CustomRoleArn            pulumi.StringInput `pulumi:"customRoleArn,optional"`
	CredentialArn            pulumi.StringInput `pulumi:"credentialArn,optional"`
	Username                 pulumi.StringInput `pulumi:"username,optional"`
	AccessToken              pulumi.StringInput `pulumi:"accessToken,optional" provider:"secret"`
}

var (
	_ infer.Annotated = (*PullThroughCacheArgs)(nil)
	_ infer.Annotated = (*PullThroughCacheRuleArgs)(nil)
)

// describePullThroughCache is the description of RegistryArgs.pullThroughCache.
const describePullThroughCache = "Pull through cache rules: `docker pull <registry>/<prefix>/<image>` fetches the image from an upstream registry " +
	"and caches it in a repository ECR creates on the first pull (give it settings with a `PULL_THROUGH_CACHE` creation template of the same prefix). " +
	"Default: none. Removing a rule deletes it; the repositories it created stay."

// Annotate documents the pull through cache settings.
func (a *PullThroughCacheArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "PullThroughCache")
	an.Describe(a, "Pull through cache rules by ECR repository prefix (at most 50 per registry).")
	an.Describe(&a.Rules, "The rules, keyed by ECR repository prefix: 2 to 30 characters of a repository name without the trailing `/` (ECR assumes one), "+
		"or `ROOT` for every repository no other rule covers. The key decides the rule's identity: renaming it replaces the rule.")
	an.Describe(&a.RetainOnDelete, "Leave the rules (and the secrets the component created) in AWS when they are removed from the program or the stack is destroyed. Default `false`.")
}

// Annotate documents a pull through cache rule.
func (a *PullThroughCacheRuleArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "PullThroughCacheRule")
	an.Describe(a, "One pull through cache rule. Its prefix and upstream cannot change in place: a change replaces the rule, deleting it first "+
		"(ECR refuses two rules with one prefix). A rule with neither credentials nor a role is replaced on any change, because ECR cannot update it "+
		"(pulumi/pulumi-aws#5714).")
	an.Describe(&a.Upstream, "The upstream registry: a preset — `ecr-public` (public.ecr.aws), `k8s` (registry.k8s.io), `quay` (quay.io), "+
		"`docker-hub` (registry-1.docker.io), `github` (ghcr.io), `gitlab` (registry.gitlab.com, GitLab.com only), `azure` (with `azureRegistryName`), "+
		"`ecr` (a private ECR registry, with `upstreamRegistryId` and `upstreamRegion`) — or the registry's host name, such as `ghcr.io`, "+
		"`myregistry.azurecr.io` or `111122223333.dkr.ecr.us-west-2.amazonaws.com`. Docker Hub, GitHub, GitLab and Azure need credentials; "+
		"Amazon ECR Public, Kubernetes and Quay take none.")
	an.Describe(&a.AzureRegistryName, "With `upstream: azure`: the `<name>` of `<name>.azurecr.io` (5 to 50 letters and digits).")
	an.Describe(&a.UpstreamRegistryId, "With `upstream: ecr`: the upstream registry's account (12 digits). Default: this registry's account.")
	an.Describe(&a.UpstreamRegion, "With `upstream: ecr`: the upstream registry's Region. Default: this registry's Region (then the account must differ).")
	an.Describe(&a.UpstreamRepositoryPrefix, "ECR upstreams only, and not with the `ROOT` prefix: the upstream repository prefix the rule's prefix maps to "+
		"(`my-app` → `upstream-app`: `my-app/image1` caches `upstream-app/image1`). Default: `ROOT`, any upstream repository.")
	an.Describe(&a.CustomRoleArn, "ECR upstreams only: a role of this account that ECR assumes to read the upstream; required when the upstream is another account "+
		"(trusted by `pullthroughcache.ecr.amazonaws.com`). May be an output.")
	an.Describe(&a.CredentialArn, "The ARN of an existing Secrets Manager secret holding the upstream credentials (`username` and `accessToken`), "+
		"named `ecr-pullthroughcache/...`, in this registry's account and Region. Or give `username` and `accessToken` instead.")
	an.Describe(&a.Username, "The upstream user name. With `accessToken`, the component creates the secret `ecr-pullthroughcache/<prefix>-<random>` "+
		"with the JSON ECR reads, `{\"accessToken\": ..., \"username\": ...}`, and uses it for the rule.")
	an.Describe(&a.AccessToken, "The upstream access token (for Docker Hub an access token, for GitHub a personal access token). Must be a secret "+
		"(`pulumi.secret(...)`, a secret config value): it is stored only in the secret and stays secret in the state and outputs.")
}

func (a *PullThroughCacheArgs) toConfig(in *arguments) *config.PullThroughCache {
	if a == nil {
		return nil
	}
	c := &config.PullThroughCache{Rules: make(map[string]config.PullThroughCacheRule, len(a.Rules)), RetainOnDelete: a.RetainOnDelete}
	for _, prefix := range sortedKeys(a.Rules) { // refs are numbered in a stable order
		rule := a.Rules[prefix]
		_, plainToken := rule.AccessToken.(pulumi.String)
		c.Rules[prefix] = config.PullThroughCacheRule{
			Upstream:                 rule.Upstream,
			AzureRegistryName:        rule.AzureRegistryName,
			UpstreamRegistryID:       rule.UpstreamRegistryId,
			UpstreamRegion:           rule.UpstreamRegion,
			UpstreamRepositoryPrefix: rule.UpstreamRepositoryPrefix,
			CustomRoleArn:            in.text(rule.CustomRoleArn),
			CredentialArn:            in.text(rule.CredentialArn),
			Username:                 in.text(rule.Username),
			AccessToken:              in.text(rule.AccessToken),
			AccessTokenPlain:         plainToken,
		}
	}
	return c
}

func init() {
	afterRepositories = append(afterRepositories, registerPullThroughCacheRules)
}

// registerPullThroughCacheRules registers each rule (and the secret of the
// credentials it was given) and sets pullThroughCacheUrls and
// pullThroughCacheSecretArns.
func registerPullThroughCacheRules(r *registration, plan *config.Plan, _ []*repository) error {
	urls, secrets := pulumi.StringMap{}, pulumi.StringMap{}
	defer func() {
		r.comp.PullThroughCacheUrls = urls.ToStringMapOutput()
		r.comp.PullThroughCacheSecretArns = secrets.ToStringMapOutput()
	}()
	p := plan.PullThroughCache
	if p == nil {
		return nil
	}
	host := r.env.registryURL()
	for _, rule := range p.Rules {
		args := &ecr.PullThroughCacheRuleArgs{
			EcrRepositoryPrefix: pulumi.String(rule.Prefix),
			UpstreamRegistryUrl: r.upstreamURL(rule),
		}
		if rule.UpstreamRepositoryPrefix != "" {
			args.UpstreamRepositoryPrefix = pulumi.String(rule.UpstreamRepositoryPrefix)
		}
		if rule.CustomRoleArn != nil {
			args.CustomRoleArn = r.in.input(*rule.CustomRoleArn)
		}
		// The prefix is the rule's identity: a replacement must delete the
		// old rule first, or ECR refuses the new one
		// (PullThroughCacheRuleAlreadyExistsException).
		opts := r.wideOptions(p.RetainOnDelete, pulumi.DeleteBeforeReplace(true))
		switch {
		case rule.CredentialArn != nil:
			args.CredentialArn = r.in.input(*rule.CredentialArn)
		case rule.Username != nil:
			secret, version, err := r.registerPullThroughCacheSecret(rule, p.RetainOnDelete)
			if err != nil {
				return err
			}
			args.CredentialArn = secret.Arn
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{version}))
			secrets[rule.Prefix] = secret.Arn
		}
		if rule.CredentialLess() {
			// UpdatePullThroughCacheRule needs a credential or a role
			// (pulumi/pulumi-aws#5714): any change replaces such a rule.
			opts = append(opts, pulumi.ReplaceOnChanges([]string{"*"}))
		}
		if _, err := ecr.NewPullThroughCacheRule(r.ctx, r.childName(rule.Prefix), args, opts...); err != nil {
			return err
		}
		if rule.Prefix == "ROOT" {
			urls[rule.Prefix] = host
		} else {
			urls[rule.Prefix] = pulumi.Sprintf("%s/%s", host, rule.Prefix)
		}
	}
	return nil
}

// upstreamURL is the rule's upstreamRegistryUrl.
func (r *registration) upstreamURL(rule *config.PullThroughCacheRulePlan) pulumi.StringInput {
	u := rule.ECR
	if u == nil {
		return pulumi.String(rule.URL)
	}
	if u.AccountID.IsKnown() && u.Region.IsKnown() && r.env.dnsSuffix.IsKnown() {
		return pulumi.String(u.AccountID.Value + ".dkr.ecr." + u.Region.Value + "." + r.env.dnsSuffix.Value)
	}
	return pulumi.Sprintf("%s.dkr.ecr.%s.%s", r.env.input(u.AccountID), r.env.input(u.Region), r.env.input(r.env.dnsSuffix))
}

// registerPullThroughCacheSecret stores a rule's username and access token
// in the Secrets Manager secret ECR reads: a name starting with
// ecr-pullthroughcache/ in the rule's account and Region, holding
// {"accessToken": ..., "username": ...}
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html).
// The name is a prefix plus a random suffix, so a secret replaced or
// recreated while the old one waits out its recovery window never collides
// with it. The secret string is built from the outputs and made secret, so
// the token never appears in plain text in the state.
func (r *registration) registerPullThroughCacheSecret(rule *config.PullThroughCacheRulePlan, retain bool) (*secretsmanager.Secret, *secretsmanager.SecretVersion, error) {
	secret, err := secretsmanager.NewSecret(r.ctx, r.childName(rule.Prefix), &secretsmanager.SecretArgs{
		NamePrefix:  pulumi.String(fmt.Sprintf("ecr-pullthroughcache/%s-", rule.Prefix)),
		Description: pulumi.String(fmt.Sprintf("Upstream credentials of the ECR pull through cache rule %q of Registry %s (ecrrepos)", rule.Prefix, r.name)),
		Tags:        r.registryTags(),
	}, r.wideOptions(retain)...)
	if err != nil {
		return nil, nil, err
	}
	value := pulumi.All(r.in.input(*rule.Username), r.in.input(*rule.AccessToken)).ApplyT(func(v []any) (string, error) {
		text, err := json.Marshal(map[string]string{"username": v[0].(string), "accessToken": v[1].(string)})
		return string(text), err
	}).(pulumi.StringOutput)
	version, err := secretsmanager.NewSecretVersion(r.ctx, r.childName(rule.Prefix), &secretsmanager.SecretVersionArgs{
		SecretId:     secret.Arn,
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, r.wideOptions(retain)...)
	return secret, version, err
}
