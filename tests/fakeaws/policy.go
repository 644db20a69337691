package main

import (
	"encoding/json"
	"errors"
	"fmt"

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
// 10,240 characters.
func newRepositoryPolicyResource(f *fakeAWS) *policyResource {
	return &policyResource{
		f: f, token: tokRepositoryPolicy,
		what: "ECR Repository Policy", verb: "putting",
		op: "SetRepositoryPolicy", param: "policyText",
		minLen: 0, maxLen: 10240,
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

	if pol := in["policy"]; pol != nil && !hasUnknown(pol) {
		doc, err := policyDocument(pol)
		switch {
		case err != nil:
			fails.add("policy", "%v", err)
		case !json.Valid([]byte(doc)):
			var x any
			fails.add("policy", "%q contains an invalid JSON: %v", "policy", json.Unmarshal([]byte(doc), &x))
		default:
			if _, isString := pol.(string); !isString {
				inputs = inputs.Set("policy", property.New(doc).WithSecret(inputs.Get("policy").Secret()))
			}
		}
	} else if pol != nil {
		if _, isString := pol.(string); !isString {
			// An object containing unknowns serialises to an unknown string.
			inputs = inputs.Set("policy", property.New(property.Computed))
		}
	}
	return p.CheckResponse{Inputs: inputs, Failures: fails}, nil
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
