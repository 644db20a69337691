package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// The registry-wide ECR resources, following terraform-provider-aws
// internal/service/ecr/{replication_configuration,registry_policy,
// registry_scanning_configuration,pull_through_cache_rule,
// repository_creation_template}.go as pulumi-aws v6.83.2 bridges them.

var (
	// ECR's patterns, from the ECR API reference (CreatePullThroughCacheRule, CreateRepositoryCreationTemplate, PutRegistryScanningConfiguration, PutReplicationConfiguration): https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Operations.html
	ptcPrefixRE     = regexp.MustCompile(`^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`)
	templatePrefix  = regexp.MustCompile(`^(ROOT|(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$`)
	scanFilterRE    = regexp.MustCompile(`^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)
	replicaFilterRE = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`)
	regionRE        = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)
	accountRE       = regexp.MustCompile(`^\d{12}$`)
	credentialRE    = regexp.MustCompile(`^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`)
	templateKeyRE   = regexp.MustCompile(`^$|arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+$`)
)

func ecrFailure(verb, what, id, op, code, msg string) error {
	return fmt.Errorf("%s ECR %s (%s): %s", verb, what, id, ecrError(op, code, msg))
}

func ecrInvalid(verb, what, id, op, param, constraint string) error {
	return ecrFailure(verb, what, id, op, "InvalidParameterException",
		fmt.Sprintf("Invalid parameter at '%s' failed to satisfy constraint: '%s'", param, constraint))
}

// registrySetting fills in t for a per-region singleton whose ID is the
// registry ID: create and update are one Put that silently overwrites
// whatever is there (a second owner gets no error), delete is reset.
func registrySetting[R any](t resourceType, slot func(*world.Region) **R, found func(*R) bool, reset func(*world.Region)) *resourceType {
	t.outputs, t.idKey = []string{"registryId"}, "registryId"
	t.record = func() any { return new(R) }
	t.create = func(c *call, _ any) error { c.id = world.Account; return nil }
	t.get = func(c *call) any {
		if rec := *slot(c.r()); rec != nil && found(rec) {
			return rec
		}
		return nil
	}
	t.put = func(c *call, rec any) error { *slot(c.r()) = rec.(*R); return nil }
	t.remove = func(c *call) error { reset(c.r()); return nil }
	return &t
}

// replicationConfigurationType: no ForceNew; Create and Update are
// PutReplicationConfiguration; Delete puts an empty rule list; a
// configuration with no rules reads as not found.
var replicationConfigurationType = registrySetting(resourceType{
	token: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
	fields: []field{obj("replicationConfiguration", objList("rules",
		objList("destinations",
			str("region").required().valid(matches(regionRE)),
			str("registryId").required().valid(matches(accountRE)),
		).required().valid(maxItems(25)),
		objList("repositoryFilters",
			str("filter").required().valid(lenBetween(2, 256)).valid(matches(replicaFilterRE)),
			str("filterType").required().oneOf("PREFIX_MATCH"),
		).valid(maxItems(100)),
	).required().valid(maxItems(10))).required()},
}, func(r *world.Region) **world.ReplicationConfiguration { return &r.ReplicationConfiguration },
	func(c *world.ReplicationConfiguration) bool { return len(c.ReplicationConfiguration.Rules) > 0 },
	func(r *world.Region) {
		r.ReplicationConfiguration = &world.ReplicationConfiguration{ReplicationConfiguration: world.ReplicationConfig{Rules: []world.ReplicationRule{}}}
	})

// registryPolicyType: no ForceNew; Create and Update are PutRegistryPolicy,
// Delete is DeleteRegistryPolicy. Under the default registry policy scope
// (V2) every ECR action is allowed, and nothing else; principals must exist,
// as for repository policies.
var registryPolicyType = func() *resourceType {
	t := registrySetting(resourceType{
		token:  "aws:ecr/registryPolicy:RegistryPolicy",
		fields: []field{doc("policy").required()},
	}, func(r *world.Region) **world.RegistryPolicy { return &r.RegistryPolicy },
		func(*world.RegistryPolicy) bool { return true },
		func(r *world.Region) { r.RegistryPolicy = nil })
	t.validate = func(c *call, rec any) error {
		policy := rec.(*world.RegistryPolicy).Policy
		if len(policy) > 10240 {
			return ecrInvalid("putting", "Registry Policy", world.Account, "PutRegistryPolicy", "policyText",
				"Member must have length less than or equal to 10240")
		}
		if !policyActionsHavePrefix(policy, "ecr:") || missingPrincipal(c.w, policy) != "" {
			return ecrInvalid("putting", "Registry Policy", world.Account, "PutRegistryPolicy", "PolicyText",
				"Invalid registry policy provided")
		}
		return nil
	}
	return t
}()

// registryScanningConfigurationType: no ForceNew; Create and Update are
// PutRegistryScanningConfiguration; it cannot be deleted, Delete resets it to
// BASIC with no rules. ECR allows at most 2 rules (terraform-provider-aws
// only checks 100).
var registryScanningConfigurationType = func() *resourceType {
	t := registrySetting(resourceType{
		token: "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
		fields: []field{
			str("scanType").required().oneOf("BASIC", "ENHANCED"),
			objList("rules",
				objList("repositoryFilters",
					str("filter").required().valid(lenBetween(1, 256)).valid(matches(scanFilterRE)),
					str("filterType").required().oneOf("WILDCARD"),
				).required().set(),
				str("scanFrequency").required().oneOf("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"),
			).set().valid(maxItems(100)),
		},
	}, func(r *world.Region) **world.RegistryScanningConfiguration { return &r.RegistryScanningConfiguration },
		func(*world.RegistryScanningConfiguration) bool { return true },
		func(r *world.Region) {
			r.RegistryScanningConfiguration = &world.RegistryScanningConfiguration{ScanType: "BASIC", Rules: []world.ScanningRule{}}
		})
	get := t.get
	t.get = func(c *call) any { // never configured: AWS's default
		if rec := get(c); rec != nil {
			return rec
		}
		return &world.RegistryScanningConfiguration{RegistryID: world.Account, ScanType: "BASIC", Rules: []world.ScanningRule{}}
	}
	t.validate = func(_ *call, rec any) error {
		if len(rec.(*world.RegistryScanningConfiguration).Rules) > 2 {
			return ecrInvalid("putting", "Registry Scanning Configuration", world.Account, "PutRegistryScanningConfiguration",
				"rules", "Member must have length less than or equal to 2")
		}
		return nil
	}
	return t
}()

// pullThroughCacheRuleType (ID = ecrRepositoryPrefix): the prefixes and the
// upstream URL are ForceNew; credentialArn and customRoleArn update in place
// (UpdatePullThroughCacheRule), which fails for a rule with neither
// (pulumi/pulumi-aws#5714). A credential must be a Secrets Manager secret of
// the same account and region whose name starts with ecr-pullthroughcache/.
var pullThroughCacheRuleType = &resourceType{
	token: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
	fields: []field{
		str("ecrRepositoryPrefix").required().forceNew().valid(lenBetween(2, 30)).valid(matches(ptcPrefixRE)),
		str("upstreamRegistryUrl").required().forceNew(),
		str("upstreamRepositoryPrefix").forceNew().computed().valid(lenBetween(2, 30)).valid(matches(ptcPrefixRE)),
		str("credentialArn").valid(validARN),
		str("customRoleArn").valid(validARN),
	},
	outputs: []string{"registryId"},
	records: func(c *call) any { return c.r().PullThroughCacheRules },
	idKey:   "ecrRepositoryPrefix",
	validate: func(c *call, rec any) error {
		r := rec.(*world.PullThroughCacheRule)
		verb, op := "creating", "CreatePullThroughCacheRule"
		if c.id != "" {
			verb, op = "updating", "UpdatePullThroughCacheRule"
		}
		switch {
		case r.CredentialARN == "":
		case !credentialRE.MatchString(r.CredentialARN):
			return ecrInvalid(verb, "Pull Through Cache Rule", r.EcrRepositoryPrefix, op, "credentialArn",
				"must satisfy regular expression '"+credentialRE.String()+"'")
		case c.r().Secret(r.CredentialARN) == nil:
			return ecrFailure(verb, "Pull Through Cache Rule", r.EcrRepositoryPrefix, op, "SecretNotFoundException",
				"The ARN of the secret specified in the pull through cache rule was not found. "+
					"Update the pull through cache rule with a valid secret ARN and try again.")
		}
		return nil
	},
	create: func(c *call, rec any) error {
		r := rec.(*world.PullThroughCacheRule)
		if c.r().PullThroughCacheRules[r.EcrRepositoryPrefix] != nil {
			return ecrFailure("creating", "Pull Through Cache Rule", r.EcrRepositoryPrefix, "CreatePullThroughCacheRule",
				"PullThroughCacheRuleAlreadyExistsException", fmt.Sprintf(
					"The pull through cache rule with prefix '%s' already exists in the registry with id '%s'", r.EcrRepositoryPrefix, world.Account))
		}
		return nil
	},
	update: func(c *call, rec any) error {
		if r := rec.(*world.PullThroughCacheRule); r.CredentialARN == "" && r.CustomRoleARN == "" {
			return ecrFailure("updating", "Pull Through Cache Rule", c.id, "UpdatePullThroughCacheRule", "InvalidParameterException",
				"Invalid input: Please set either credential arn or role arn to update the credentials")
		}
		return nil
	},
	notFound: func(c *call) error {
		return ecrFailure("updating", "Pull Through Cache Rule", c.id, "UpdatePullThroughCacheRule",
			"PullThroughCacheRuleNotFoundException", "The pull through cache rule with prefix '"+c.id+"' does not exist in the registry")
	},
}

// repositoryCreationTemplateType (ID = prefix): prefix is ForceNew,
// everything else updates in place; a template with KMS encryption or
// resource tags needs a customRoleArn; a KMS key must be a full key ARN.
var repositoryCreationTemplateType = &resourceType{
	token: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
	fields: []field{
		str("prefix").required().forceNew().valid(lenBetween(1, 256)),
		strList("appliedFors").required().set().oneOf("PULL_THROUGH_CACHE", "REPLICATION"),
		str("customRoleArn").valid(validARN),
		str("description").valid(lenBetween(0, 256)),
		objList("encryptionConfigurations",
			str("encryptionType").def("AES256").oneOf("AES256", "KMS"),
			str("kmsKey").computed(),
		).computed().valid(maxItems(1)),
		str("imageTagMutability").def("MUTABLE").oneOf("MUTABLE", "IMMUTABLE"),
		jsonStr("lifecyclePolicy").lifecycleDoc(),
		jsonStr("repositoryPolicy"),
		strMap("resourceTags"),
	},
	outputs: []string{"registryId"},
	records: func(c *call) any { return c.r().RepositoryCreationTemplates },
	idKey:   "prefix",
	validate: func(c *call, rec any) error {
		r := rec.(*world.RepositoryCreationTemplate)
		verb, op := "creating", "CreateRepositoryCreationTemplate"
		if c.id != "" {
			verb, op = "updating", "UpdateRepositoryCreationTemplate"
		}
		kms, key := false, ""
		for _, e := range r.EncryptionConfigurations {
			kms, key = kms || e.EncryptionType == "KMS", e.KmsKey
		}
		switch {
		case !templatePrefix.MatchString(r.Prefix):
			return ecrInvalid(verb, "Repository Creation Template", r.Prefix, op, "prefix",
				"must satisfy regular expression '"+templatePrefix.String()+"'")
		case !templateKeyRE.MatchString(key):
			return ecrInvalid(verb, "Repository Creation Template", r.Prefix, op, "encryptionConfiguration.kmsKey",
				"must satisfy regular expression '"+templateKeyRE.String()+"'")
		case (kms || len(r.ResourceTags) > 0) && r.CustomRoleARN == "":
			return ecrFailure(verb, "Repository Creation Template", r.Prefix, op, "InvalidParameterException",
				"A custom role is required for a repository creation template that uses KMS encryption or resource tags")
		}
		return nil
	},
	create: func(c *call, rec any) error {
		if prefix := rec.(*world.RepositoryCreationTemplate).Prefix; c.r().RepositoryCreationTemplates[prefix] != nil {
			return ecrFailure("creating", "Repository Creation Template", prefix, "CreateRepositoryCreationTemplate",
				"TemplateAlreadyExistsException", fmt.Sprintf("The creation template with prefix '%s' already exists", prefix))
		}
		return nil
	},
	notFound: func(c *call) error {
		return ecrFailure("updating", "Repository Creation Template", c.id, "UpdateRepositoryCreationTemplate",
			"TemplateNotFoundException", fmt.Sprintf("The creation template with prefix '%s' does not exist", c.id))
	},
}

// policyActionsHavePrefix reports whether every Action of the policy's
// statements starts with prefix.
func policyActionsHavePrefix(policyText, prefix string) bool {
	var doc struct{ Statement any }
	if decodeJSON(policyText, &doc) != nil {
		return false
	}
	statements, ok := doc.Statement.([]any)
	if !ok {
		statements = []any{doc.Statement}
	}
	for _, st := range statements {
		actions := asMap(st)["Action"]
		if list, ok := actions.([]any); ok {
			for _, a := range list {
				if s, _ := a.(string); !strings.HasPrefix(strings.ToLower(s), prefix) {
					return false
				}
			}
		} else if s, _ := actions.(string); !strings.HasPrefix(strings.ToLower(s), prefix) {
			return false
		}
	}
	return true
}

// validARN is terraform-provider-aws's verify.ValidARN, simplified.
func validARN(name string, v any) string {
	if s, ok := v.(string); ok && s != "" && !strings.HasPrefix(s, "arn:") {
		return fmt.Sprintf("%q (%s) is an invalid ARN", name, s)
	}
	return ""
}
