package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// policyResource emulates the two ECR policy resources, which differ only in
// limits, wording and whether a policy change replaces the resource.
type policyResource struct {
	f     *fakeAWS
	token string
	what  string // as worded in terraform-provider-aws diagnostics
	verb  string // "putting" / "creating"
	op    string // ECR API operation
	param string // API parameter named in validation errors

	lifecycle           bool // lifecycle-policy JSON equivalence
	checkPrincipals     bool // reject principals that do not exist, like ECR
	policyForceNew      bool
	deleteBeforeReplace bool
	minLen, maxLen      int

	get func(*RepositoryRecord) *string
	set func(*RepositoryRecord, *string)
}

// newRepositoryPolicyResource emulates aws:ecr/repositoryPolicy:RepositoryPolicy.
//
// Diff semantics from terraform-provider-aws
// internal/service/ecr/repository_policy.go: repository is Required+ForceNew
// (-> replace); policy is Required with UpdateWithoutTimeout =
// resourceRepositoryPolicyPut (-> in-place update), ValidateFunc
// StringIsJSON, DiffSuppressFunc SuppressEquivalentPolicyDiffs and a StateFunc
// that normalises the JSON. pulumi-aws v6 adds only
// Transform: tfbridge.TransformJSONDocument on policy (objects accepted) and
// no DeleteBeforeReplace. ECR limits SetRepositoryPolicy's policyText to
// 10,240 characters and rejects a policy naming an IAM principal that does not
// exist (see missingPrincipal).
func newRepositoryPolicyResource(f *fakeAWS) *policyResource {
	return &policyResource{
		f: f, token: tokRepositoryPolicy,
		what: "ECR Repository Policy", verb: "putting",
		op: "SetRepositoryPolicy", param: "policyText",
		minLen: 0, maxLen: 10240, checkPrincipals: true,
		get: func(r *RepositoryRecord) *string { return r.RepositoryPolicy },
		set: func(r *RepositoryRecord, s *string) { r.RepositoryPolicy = s },
	}
}

// newLifecyclePolicyResource emulates aws:ecr/lifecyclePolicy:LifecyclePolicy.
//
// Diff semantics from terraform-provider-aws
// internal/service/ecr/lifecycle_policy.go: the resource has no Update;
// repository and policy are both Required+ForceNew (-> replace), policy has
// ValidateFunc StringIsJSON and DiffSuppressFunc equivalentLifecyclePolicyJSON.
// pulumi-aws v6 provider/resources.go sets DeleteBeforeReplace: true for
// aws_ecr_lifecycle_policy (pulumi/pulumi-aws#2085, fixing #2075: with
// create-before-delete, deleting the old policy removed the new one, as ECR
// holds one lifecycle policy per repository). ECR limits PutLifecyclePolicy's
// lifecyclePolicyText to 100-30,720 characters.
func newLifecyclePolicyResource(f *fakeAWS) *policyResource {
	return &policyResource{
		f: f, token: tokLifecyclePolicy,
		what: "ECR Lifecycle Policy", verb: "creating",
		op: "PutLifecyclePolicy", param: "lifecyclePolicyText",
		lifecycle: true, policyForceNew: true, deleteBeforeReplace: true,
		minLen: 100, maxLen: 30720,
		get: func(r *RepositoryRecord) *string { return r.LifecyclePolicy },
		set: func(r *RepositoryRecord, s *string) { r.LifecyclePolicy = s },
	}
}

var policyInputs = map[string]bool{"repository": true, "policy": true}

func (r *policyResource) check(req p.CheckRequest) (p.CheckResponse, error) {
	inputs := req.Inputs
	in := mapToGo(inputs)
	var fails checkFailures
	rejectUnknownKeys(&fails, in, policyInputs, r.token)

	for _, k := range []string{"repository", "policy"} {
		if !present(in, k) {
			fails.add(k, "Missing required argument. The argument %q is required, but no definition was found.", k)
		}
	}
	fails.typed("repository", in["repository"], "string")

	inputs = checkJSONDocument(&fails, inputs, "policy", in["policy"])
	return p.CheckResponse{Inputs: inputs, Failures: fails}, nil
}

// checkJSONDocument checks the JSON-document input key, whose value (as
// plain Go) is v: a JSON string, or an object or array, which pulumi-aws's
// tfbridge.TransformJSONDocument serialises to a string. It returns inputs
// with such an object replaced by its JSON text.
func checkJSONDocument(fails *checkFailures, inputs property.Map, key string, v any) property.Map {
	if v != nil && !hasUnknown(v) {
		doc, err := policyDocument(v)
		switch {
		case err != nil:
			fails.add(key, "%v", err)
		case !json.Valid([]byte(doc)):
			var x any
			fails.add(key, "%q contains an invalid JSON: %v", key, json.Unmarshal([]byte(doc), &x))
		default:
			if _, isString := v.(string); !isString {
				inputs = inputs.Set(key, property.New(doc).WithSecret(inputs.Get(key).Secret()))
			}
		}
	} else if v != nil {
		if _, isString := v.(string); !isString {
			// An object containing unknowns serialises to an unknown string.
			inputs = inputs.Set(key, property.New(property.Computed))
		}
	}
	return inputs
}

func (r *policyResource) diff(req p.DiffRequest) (p.DiffResponse, error) {
	return r.changes(mapToGo(req.State), mapToGo(req.Inputs)).response(r.deleteBeforeReplace), nil
}

func (r *policyResource) changes(olds, news map[string]any) *diffBuilder {
	d := newDiffBuilder()
	if !equalKnown(olds["repository"], news["repository"]) {
		d.add("repository", present(olds, "repository"), present(news, "repository"), true)
	}
	changed := hasUnknown(news["policy"])
	if !changed {
		newDoc, err := policyDocument(news["policy"])
		changed = err != nil || !jsonEquivalent(str(olds, "policy"), newDoc, r.lifecycle)
	}
	if changed {
		d.add("policy", present(olds, "policy"), present(news, "policy"), r.policyForceNew)
	}
	return d
}

// put validates the policy like ECR does and stores it on the repository.
func (r *policyResource) put(in map[string]any, entry JournalEntry) (map[string]any, error) {
	repo := str(in, "repository")
	fail := func(msg string) error { return fmt.Errorf("%s %s (%s): %s", r.verb, r.what, repo, msg) }

	doc, err := policyDocument(in["policy"])
	if err != nil {
		return nil, fail(err.Error())
	}
	// terraform-provider-aws sends the normalised JSON to ECR.
	text, err := normalizeJSON(doc)
	if err != nil {
		return nil, fail("policy is not valid JSON: " + err.Error())
	}
	if len(text) > r.maxLen {
		return nil, fail(awsError(r.op, "InvalidParameterException", fmt.Sprintf(
			"Invalid parameter at '%s' failed to satisfy constraint: 'Member must have length less than or equal to %d'",
			r.param, r.maxLen)))
	}
	if len(text) < r.minLen {
		return nil, fail(awsError(r.op, "InvalidParameterException", fmt.Sprintf(
			"Invalid parameter at '%s' failed to satisfy constraint: 'Member must have length greater than or equal to %d'",
			r.param, r.minLen)))
	}

	err = r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		rec := w.Repositories[repo]
		if rec == nil {
			return nil, fail(repositoryNotFound(r.op, repo))
		}
		if r.checkPrincipals && missingPrincipal(w, text) != "" {
			return nil, fail(awsError(r.op, "InvalidParameterException",
				"Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'"))
		}
		r.set(rec, &text)
		return &entry, nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"repository": repo, "policy": text, "registryId": accountID}, nil
}

// previewOutputs is what a plan shows: inputs with the policy normalised when
// it is known and registryId taken from the old state (unknown on create).
func previewPolicyOutputs(olds, news map[string]any) map[string]any {
	out := map[string]any{
		"repository": news["repository"],
		"policy":     news["policy"],
		"registryId": withDefault(olds["registryId"], unknown),
	}
	if doc, err := policyDocument(news["policy"]); err == nil && !hasUnknown(news["policy"]) {
		if text, err := normalizeJSON(doc); err == nil {
			out["policy"] = text
		}
	}
	return out
}

func (r *policyResource) create(req p.CreateRequest) (p.CreateResponse, error) {
	in := mapToGo(req.Properties)
	if req.DryRun {
		return p.CreateResponse{Properties: mapFromGo(previewPolicyOutputs(nil, in))}, nil
	}
	if hasUnknown(in) {
		return p.CreateResponse{}, errors.New("fakeaws: Create called with unknown inputs outside of preview")
	}
	repo := str(in, "repository")
	out, err := r.put(in, JournalEntry{Op: "create", Type: r.token, ID: repo, URN: string(req.Urn)})
	if err != nil {
		return p.CreateResponse{}, err
	}
	return p.CreateResponse{ID: repo, Properties: mapFromGo(out)}, nil
}

func (r *policyResource) update(req p.UpdateRequest) (p.UpdateResponse, error) {
	olds, news := mapToGo(req.State), mapToGo(req.Inputs)
	changes := r.changes(olds, news)
	if changes.replaces() {
		return p.UpdateResponse{}, fmt.Errorf("fakeaws: Update called for a change that requires replacement (%v)", changes.keys())
	}
	if req.DryRun {
		return p.UpdateResponse{Properties: mapFromGo(previewPolicyOutputs(olds, news))}, nil
	}
	if hasUnknown(news) {
		return p.UpdateResponse{}, errors.New("fakeaws: Update called with unknown inputs outside of preview")
	}
	out, err := r.put(news, JournalEntry{Op: "update", Type: r.token, ID: req.ID, URN: string(req.Urn),
		Changed: changes.keys()})
	if err != nil {
		return p.UpdateResponse{}, err
	}
	return p.UpdateResponse{Properties: mapFromGo(out)}, nil
}

func (r *policyResource) delete(req p.DeleteRequest) error {
	// Like terraform-provider-aws, a missing repository or policy is not an
	// error (RepositoryNotFoundException / *PolicyNotFoundException ignored).
	return r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		if rec := w.Repositories[req.ID]; rec != nil {
			r.set(rec, nil)
		}
		return &JournalEntry{Op: "delete", Type: r.token, ID: req.ID, URN: string(req.Urn)}, nil
	})
}

func (r *policyResource) read(req p.ReadRequest) (p.ReadResponse, error) {
	var text *string
	if err := r.f.world.view(func(w *World) {
		if rec := w.Repositories[req.ID]; rec != nil {
			text = r.get(rec)
		}
	}); err != nil {
		return p.ReadResponse{}, err
	}
	if text == nil {
		return p.ReadResponse{}, nil // gone
	}
	policy := *text
	// Keep the state's text when it is equivalent to what ECR returns.
	if old := str(mapToGo(req.Properties), "policy"); old != "" && jsonEquivalent(old, policy, r.lifecycle) {
		policy = old
	}
	props := map[string]any{"repository": req.ID, "policy": policy, "registryId": accountID}
	inputs := req.Inputs
	if inputs.Len() == 0 {
		inputs = mapFromGo(map[string]any{"repository": req.ID, "policy": policy})
	}
	return p.ReadResponse{ID: req.ID, Properties: mapFromGo(props), Inputs: inputs}, nil
}

// iamIdentityARN matches the ARN of an IAM role or user: account, kind, and
// path plus name.
var iamIdentityARN = regexp.MustCompile(`^arn:[a-z-]+:iam::([0-9]{12}):(role|user)/(.+)$`)

// missingPrincipal emulates ECR's principal check in SetRepositoryPolicy and
// returns the first AWS principal of the policy text that does not exist, or
// "" if there is none. AWS resolves every principal when it stores a resource
// policy; ECR reports one that does not exist as InvalidParameterException
// "Invalid repository policy provided". terraform-provider-aws
// (internal/service/ecr/repository_policy.go, resourceRepositoryPolicyPut)
// retries exactly that error for propagationTimeout (2 minutes) because of
// IAM eventual consistency, then fails with it; this double fails at once.
//
// Only IAM roles and users of the fake account are checked: a role must exist
// in the world (matched by ARN, so its path counts) and the only user is the
// caller, arn:aws:iam::123456789012:user/fake. "*", account IDs and account
// roots, principals of other accounts and service principals are accepted.
func missingPrincipal(w *World, policyText string) string {
	for _, principal := range awsPrincipals(policyText) {
		m := iamIdentityARN.FindStringSubmatch(principal)
		if m == nil || m[1] != accountID {
			continue
		}
		found := false
		if m[2] == "user" {
			found = principal == callerUserARN
		} else {
			for _, role := range w.Roles {
				found = found || role.Arn == principal
			}
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
	var doc map[string]any
	if json.Unmarshal([]byte(policyText), &doc) != nil {
		return nil
	}
	var statements []any
	switch st := doc["Statement"].(type) {
	case []any:
		statements = st
	case map[string]any:
		statements = []any{st}
	}
	var out []string
	for _, st := range statements {
		stm, _ := st.(map[string]any)
		switch principal := stm["Principal"].(type) {
		case string:
			out = append(out, principal)
		case map[string]any:
			switch aws := principal["AWS"].(type) {
			case string:
				out = append(out, aws)
			case []any:
				for _, e := range aws {
					if s, ok := e.(string); ok {
						out = append(out, s)
					}
				}
			}
		}
	}
	return out
}
