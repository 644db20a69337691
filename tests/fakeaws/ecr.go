package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// ECR's CreateRepository constraint on repositoryName (length 2-256).
var repositoryNameRE = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

func ecrError(op, code, message string) string { return awsError("ECR", 400, op, code, message) }

func repositoryNotFound(op, name string) string {
	return ecrError(op, "RepositoryNotFoundException", fmt.Sprintf(
		"The repository with name '%s' does not exist in the registry with id '%s'", name, world.Account))
}

// repositoryType emulates aws:ecr/repository:Repository, following
// aws_ecr_repository in terraform-provider-aws internal/service/ecr/
// repository.go, which pulumi-aws v6 bridges unchanged (plus autonaming an
// omitted name: "<resource name>-<7 hex>", kept across updates):
//
//	name                          Required, ForceNew                 -> replace
//	encryption_configuration      Optional, ForceNew, suppressed when
//	                              omitted; kms_key Optional+Computed -> replace; omitted -> no diff
//	force_delete                  Optional (state only)              -> update
//	image_scanning_configuration  Optional, suppressed when omitted  -> update; omitted -> no diff
//	image_tag_mutability          Default MUTABLE                    -> update
//	tags                                                             -> update
var repositoryType = &resourceType{
	token: "aws:ecr/repository:Repository",
	fields: []field{
		str("name").forceNew().autoname(255),
		objList("encryptionConfigurations",
			str("encryptionType").def("AES256").oneOf("AES256", "KMS", "KMS_DSSE"), // KMS_DSSE: aws-sdk-go-v2 enum
			str("kmsKey").computed(),
		).forceNew().computed(),
		boolean("forceDelete").def(false).stateOnly(),
		obj("imageScanningConfiguration", boolean("scanOnPush").required()).computed(),
		str("imageTagMutability").def("MUTABLE").oneOf("MUTABLE", "IMMUTABLE"),
		tags(),
	},
	outputs: []string{"arn", "registryId", "repositoryUrl"},
	records: func(c *call) any { return c.r().Repositories },
	idKey:   "name",
	create: func(c *call, rec any) error {
		name := rec.(*world.Repository).Name
		fail := func(code, msg string) error {
			return fmt.Errorf("creating ECR Repository (%s): %s", name, ecrError("CreateRepository", code, msg))
		}
		switch {
		case len(name) < 2 || len(name) > 256:
			return fail("InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy constraint: "+
				"'Member must have length between 2 and 256'")
		case !repositoryNameRE.MatchString(name):
			return fail("InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy constraint: "+
				"'must satisfy regular expression '"+strings.Trim(repositoryNameRE.String(), "^$")+"''")
		case c.r().Repositories[name] != nil:
			return fail("RepositoryAlreadyExistsException", fmt.Sprintf(
				"The repository with name '%s' already exists in the registry with id '%s'", name, world.Account))
		}
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating ECR Repository (%s): %s", c.id, repositoryNotFound("PutImageTagMutability", c.id))
	},
}

// ecrPolicy is the view of a policy attached to a repository.
type ecrPolicy struct {
	Repository string `json:"repository"`
	Policy     string `json:"policy"`
	RegistryID string `json:"registryId"`
}

// repositoryPolicyType emulates aws:ecr/repositoryPolicy:RepositoryPolicy
// (ID = repository name), following terraform-provider-aws
// internal/service/ecr/repository_policy.go: repository is Required+ForceNew
// (-> replace); policy is Required, updated in place by SetRepositoryPolicy,
// equivalent JSON is no diff. pulumi-aws v6 accepts an object policy
// (TransformJSONDocument) and sets no DeleteBeforeReplace. ECR limits the
// text to 10,240 characters and rejects a policy naming an IAM principal that
// does not exist (see missingPrincipal).
var repositoryPolicyType = ecrPolicyType(resourceType{
	token:  "aws:ecr/repositoryPolicy:RepositoryPolicy",
	fields: []field{str("repository").required().forceNew(), doc("policy").required()},
}, policyRules{what: "putting ECR Repository Policy", op: "SetRepositoryPolicy", param: "policyText", max: 10240,
	principals: true, slot: func(r *world.Repository) **string { return &r.RepositoryPolicy }})

// lifecyclePolicyType emulates aws:ecr/lifecyclePolicy:LifecyclePolicy (ID
// = repository name), following terraform-provider-aws
// internal/service/ecr/lifecycle_policy.go: there is no Update, repository
// and policy are both Required+ForceNew (-> replace) and rule order is not
// significant (equivalentLifecyclePolicyJSON). pulumi-aws v6 sets
// DeleteBeforeReplace (pulumi/pulumi-aws#2085: ECR holds one lifecycle
// policy per repository, so deleting the old policy after creating the new
// one removed it). ECR limits the text to 100-30,720 characters.
var lifecyclePolicyType = ecrPolicyType(resourceType{
	token:               "aws:ecr/lifecyclePolicy:LifecyclePolicy",
	fields:              []field{str("repository").required().forceNew(), doc("policy").required().forceNew().lifecycleDoc()},
	deleteBeforeReplace: true,
}, policyRules{what: "creating ECR Lifecycle Policy", op: "PutLifecyclePolicy", param: "lifecyclePolicyText", min: 100, max: 30720,
	slot: func(r *world.Repository) **string { return &r.LifecyclePolicy }})

type policyRules struct {
	what, op, param string // as worded in terraform-provider-aws diagnostics and ECR errors
	min, max        int
	principals      bool // reject principals that do not exist, like ECR
	slot            func(*world.Repository) **string
}

func ecrPolicyType(t resourceType, rules policyRules) *resourceType {
	t.outputs, t.idKey = []string{"registryId"}, "repository"
	t.record = func() any { return &ecrPolicy{} }
	t.put = func(c *call, rec any) error {
		r := rec.(*ecrPolicy)
		fail := func(msg string) error { return fmt.Errorf("%s (%s): %s", rules.what, r.Repository, msg) }
		invalid := func(constraint string) error {
			return fail(ecrError(rules.op, "InvalidParameterException",
				fmt.Sprintf("Invalid parameter at '%s' failed to satisfy constraint: '%s'", rules.param, constraint)))
		}
		repo := c.r().Repositories[r.Repository]
		switch {
		case !jsonValid(r.Policy):
			return fail("policy is not valid JSON: " + jsonError(r.Policy, nil).Error())
		case len(r.Policy) > rules.max:
			return invalid(fmt.Sprintf("Member must have length less than or equal to %d", rules.max))
		case len(r.Policy) < rules.min:
			return invalid(fmt.Sprintf("Member must have length greater than or equal to %d", rules.min))
		case repo == nil:
			return fail(repositoryNotFound(rules.op, r.Repository))
		case rules.principals && missingPrincipal(c.w, r.Policy) != "":
			return fail(ecrError(rules.op, "InvalidParameterException",
				"Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'"))
		}
		text := r.Policy
		*rules.slot(repo) = &text
		return nil
	}
	t.get = func(c *call) any {
		if repo := c.r().Repositories[c.id]; repo != nil && *rules.slot(repo) != nil {
			return &ecrPolicy{Repository: c.id, Policy: **rules.slot(repo), RegistryID: world.Account}
		}
		return nil
	}
	t.remove = func(c *call) error {
		if repo := c.r().Repositories[c.id]; repo != nil {
			*rules.slot(repo) = nil
		}
		return nil
	}
	return &t
}

// iamIdentityARN matches the ARN of an IAM role or user: account, kind, and
// path plus name.
var iamIdentityARN = regexp.MustCompile(`^arn:[a-z-]+:iam::([0-9]{12}):(role|user)/(.+)$`)

// missingPrincipal emulates ECR's principal check in SetRepositoryPolicy and
// returns the first AWS principal of the policy text that does not exist, or
// "" if there is none. AWS resolves every principal when it stores a resource
// policy; ECR reports one that does not exist as InvalidParameterException
// "Invalid repository policy provided". terraform-provider-aws retries exactly
// that error for 2 minutes (IAM eventual consistency), then fails with it;
// this double fails at once.
//
// Only IAM roles and users of the fake account are checked: a role must exist
// (matched by ARN, so its path counts) and the only user is the caller. "*",
// account IDs and roots, other accounts and service principals are accepted.
func missingPrincipal(w *world.World, policyText string) string {
	for _, principal := range awsPrincipals(policyText) {
		m := iamIdentityARN.FindStringSubmatch(principal)
		if m == nil || m[1] != world.Account {
			continue
		}
		found := m[2] == "user" && principal == world.CallerARN
		for _, role := range w.Roles {
			found = found || (m[2] == "role" && role.ARN == principal)
		}
		if !found {
			return principal
		}
	}
	return ""
}

// awsPrincipals returns the AWS principals named by the statements of an IAM
// policy document: Principal "*", {"AWS": "..."} or {"AWS": ["...", ...]}.
// Statement may be a single object or a list.
func awsPrincipals(policyText string) []string {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(policyText), &doc) != nil {
		return nil
	}
	var statements []struct{ Principal any }
	if json.Unmarshal(doc.Statement, &statements) != nil {
		var one struct{ Principal any }
		_ = json.Unmarshal(doc.Statement, &one)
		statements = append(statements, one)
	}
	var out []string
	for _, st := range statements {
		principal := st.Principal
		if m, ok := principal.(map[string]any); ok {
			principal = m["AWS"]
		}
		switch p := principal.(type) {
		case string:
			out = append(out, p)
		case []any:
			for _, e := range p {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
