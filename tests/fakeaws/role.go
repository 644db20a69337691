package main

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"regexp"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// roleResource emulates aws:iam/role:Role, so that an end-to-end test can
// create a role in the same program and grant it access in a repository
// policy (ECR rejects policies whose principals do not exist).
//
// Diff semantics mirror the schema of aws_iam_role in terraform-provider-aws
// internal/service/iam/role.go (ResourceRole), which pulumi-aws v6 bridges
// with only these additions (provider/resources.go, "aws_iam_role"):
// "name": tfbridge.AutoName("name", 64, "-") and
// "assume_role_policy": Transform: tfbridge.TransformJSONDocument (objects
// accepted); no DeleteBeforeReplace.
//
//	name                  Optional, Computed, ForceNew,
//	                      validResourceName(64)                 -> replace
//	name_prefix           Optional, Computed, ForceNew          -> not emulated
//	path                  Optional, Default "/", ForceNew       -> replace
//	assume_role_policy    Required, StringIsJSON,
//	                      SuppressEquivalentPolicyDiffs,
//	                      StateFunc NormalizeJsonString         -> update (UpdateAssumeRolePolicy);
//	                                                               equivalent JSON -> no diff
//	description           Optional, length 0-1000               -> update (UpdateRoleDescription)
//	max_session_duration  Optional, Default 3600,
//	                      IntBetween(3600, 43200)               -> update (UpdateRole)
//	force_detach_policies Optional, Default false               -> update (state only)
//	permissions_boundary  Optional                              -> update (Put/DeleteRolePermissionsBoundary)
//	tags                  Optional (tags_all Computed)          -> update
//	arn, unique_id, create_date                  Computed
//
// inline_policy and managed_policy_arns are not emulated.
type roleResource struct{ f *fakeAWS }

const (
	roleNameMaxLen            = 64
	rolePathDefault           = "/"
	roleMaxSessionDefault     = 3600
	roleDescriptionMaxLen     = 1000
	roleCreateDate            = "2024-01-01T00:00:00Z" // fixed, so that state is stable
	roleUniqueIDPrefix        = "AROA"
	roleUniqueIDSuffixLen     = 17
	roleMaxSessionDurationMin = 3600
	roleMaxSessionDurationMax = 43200
)

var roleInputs = map[string]bool{
	"name":                true,
	"namePrefix":          true,
	"path":                true,
	"assumeRolePolicy":    true,
	"description":         true,
	"maxSessionDuration":  true,
	"forceDetachPolicies": true,
	"permissionsBoundary": true,
	"tags":                true,
}

// roleOutputOnly are outputs that a raw `new pulumi.CustomResource(
// "aws:iam/role:Role", ...)` lists with an undefined/None value to read them
// back. The Node.js and Python SDKs do not send such values, but a null one is
// dropped here rather than rejected.
var roleOutputOnly = []string{"arn", "uniqueId", "createDate", "tagsAll"}

// validResourceName in terraform-provider-aws internal/service/iam/validate.go.
var roleNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)

// IAM's CreateRole constraint on Path.
var rolePathRE = regexp.MustCompile(`^(/|/[\x{21}-\x{7E}]+/)$`)

func (r *roleResource) check(req p.CheckRequest) (p.CheckResponse, error) {
	inputs := req.Inputs
	in := mapToGo(inputs)
	for _, k := range roleOutputOnly {
		if v, ok := in[k]; ok && v == nil {
			inputs = inputs.Delete(k)
			delete(in, k)
		}
	}
	var fails checkFailures
	rejectUnknownKeys(&fails, in, roleInputs, tokRole)

	if present(in, "namePrefix") {
		fails.add("namePrefix", "fakeaws (test double): %s input %q is not emulated; set name or omit it", tokRole, "namePrefix")
	}

	oldDefaults := defaultsOf(req.State)
	var defaulted []string
	if !present(in, "name") {
		if old, ok := req.State.GetOk("name"); ok && oldDefaults["name"] && old.IsString() {
			inputs = inputs.Set("name", old)
		} else {
			name, err := resource.NewUniqueName(nil, req.Urn.Name()+"-", 7, roleNameMaxLen, nil)
			if err != nil {
				fails.add("name", "%v", err)
			} else {
				inputs = inputs.Set("name", property.New(name))
			}
		}
		defaulted = append(defaulted, "name")
	} else if fails.typed("name", in["name"], "string") {
		name := in["name"].(string)
		if len(name) < 1 || len(name) > roleNameMaxLen {
			fails.add("name", "expected length of name to be in the range (1 - %d), got %s", roleNameMaxLen, name)
		}
		if !roleNameRE.MatchString(name) {
			fails.add("name", "expected value of name to match regular expression %q, got %s", roleNameRE.String(), name)
		}
	}

	if !present(in, "path") {
		inputs = inputs.Set("path", property.New(rolePathDefault))
		defaulted = append(defaulted, "path")
	} else if fails.typed("path", in["path"], "string") {
		if path := in["path"].(string); len(path) > 512 {
			fails.add("path", "expected length of path to be in the range (0 - 512), got %s", path)
		}
	}

	if !present(in, "maxSessionDuration") {
		inputs = inputs.Set("maxSessionDuration", property.New(float64(roleMaxSessionDefault)))
		defaulted = append(defaulted, "maxSessionDuration")
	} else if fails.typed("maxSessionDuration", in["maxSessionDuration"], "number") {
		d := in["maxSessionDuration"].(float64)
		if d != float64(int(d)) || d < roleMaxSessionDurationMin || d > roleMaxSessionDurationMax {
			fails.add("maxSessionDuration", "expected maxSessionDuration to be in the range (%d - %d), got %v",
				roleMaxSessionDurationMin, roleMaxSessionDurationMax, d)
		}
	}

	if !present(in, "forceDetachPolicies") {
		inputs = inputs.Set("forceDetachPolicies", property.New(false))
		defaulted = append(defaulted, "forceDetachPolicies")
	} else {
		fails.typed("forceDetachPolicies", in["forceDetachPolicies"], "bool")
	}

	if !present(in, "assumeRolePolicy") {
		fails.add("assumeRolePolicy",
			`Missing required argument. The argument "assumeRolePolicy" is required, but no definition was found.`)
	}
	inputs = checkJSONDocument(&fails, inputs, "assumeRolePolicy", in["assumeRolePolicy"])

	if fails.typed("description", in["description"], "string") {
		if len(in["description"].(string)) > roleDescriptionMaxLen {
			fails.add("description", "expected length of description to be in the range (0 - %d)", roleDescriptionMaxLen)
		}
	}
	fails.typed("permissionsBoundary", in["permissionsBoundary"], "string")
	fails.typed("tags", in["tags"], "map of strings")

	inputs = inputs.Set(defaultsKey, stringArray(defaulted))
	return p.CheckResponse{Inputs: inputs, Failures: fails}, nil
}

func (r *roleResource) diff(req p.DiffRequest) (p.DiffResponse, error) {
	return r.changes(mapToGo(req.State), mapToGo(req.Inputs)).response(false), nil
}

// changes compares new inputs against the old state, as Terraform plans
// configuration against prior state.
func (r *roleResource) changes(olds, news map[string]any) *diffBuilder {
	d := newDiffBuilder()

	if !equalKnown(olds["name"], news["name"]) {
		d.add("name", present(olds, "name"), present(news, "name"), true)
	}
	if !equalKnown(withDefault(olds["path"], rolePathDefault), withDefault(news["path"], rolePathDefault)) {
		d.add("path", present(olds, "path"), present(news, "path"), true)
	}

	changed := hasUnknown(news["assumeRolePolicy"])
	if !changed {
		newDoc, err := policyDocument(news["assumeRolePolicy"])
		changed = err != nil || !jsonEquivalent(str(olds, "assumeRolePolicy"), newDoc, false)
	}
	if changed {
		d.add("assumeRolePolicy", present(olds, "assumeRolePolicy"), present(news, "assumeRolePolicy"), false)
	}

	for _, k := range []string{"description", "permissionsBoundary"} {
		if !equalKnown(withDefault(olds[k], ""), withDefault(news[k], "")) {
			d.add(k, str(olds, k) != "", news[k] != nil && news[k] != "", false)
		}
	}
	if !equalKnown(withDefault(olds["maxSessionDuration"], float64(roleMaxSessionDefault)),
		withDefault(news["maxSessionDuration"], float64(roleMaxSessionDefault))) {
		d.add("maxSessionDuration", present(olds, "maxSessionDuration"), present(news, "maxSessionDuration"), false)
	}
	if !equalKnown(withDefault(olds["forceDetachPolicies"], false), withDefault(news["forceDetachPolicies"], false)) {
		d.add("forceDetachPolicies", present(olds, "forceDetachPolicies"), present(news, "forceDetachPolicies"), false)
	}
	if !equalKnown(withDefault(olds["tags"], map[string]any{}), withDefault(news["tags"], map[string]any{})) {
		d.add("tags", nonEmpty(olds["tags"]), nonEmpty(news["tags"]), false)
	}
	return d
}

type roleSettings struct {
	name                string
	path                string
	assumeRolePolicy    string // normalised JSON, as terraform-provider-aws sends it
	description         string
	maxSessionDuration  int
	permissionsBoundary string
	forceDetachPolicies bool
	tags                map[string]string
}

func parseRoleSettings(in map[string]any) (roleSettings, error) {
	s := roleSettings{
		name:                str(in, "name"),
		path:                str(in, "path"),
		description:         str(in, "description"),
		maxSessionDuration:  roleMaxSessionDefault,
		permissionsBoundary: str(in, "permissionsBoundary"),
		forceDetachPolicies: boolean(in, "forceDetachPolicies"),
		tags:                stringMap(in["tags"]),
	}
	if s.path == "" {
		s.path = rolePathDefault
	}
	if d, ok := in["maxSessionDuration"].(float64); ok {
		s.maxSessionDuration = int(d)
	}
	doc, err := policyDocument(in["assumeRolePolicy"])
	if err != nil {
		return s, fmt.Errorf("assumeRolePolicy: %w", err)
	}
	if s.assumeRolePolicy, err = normalizeJSON(doc); err != nil {
		return s, fmt.Errorf("assume_role_policy (%s) is invalid JSON: %w", doc, err)
	}
	return s, nil
}

// roleARN is the ARN IAM gives a role: the path is part of it.
func roleARN(path, name string) string {
	return "arn:" + partition + ":iam::" + accountID + ":role" + path + name
}

// roleUniqueID stands in for the RoleId IAM assigns ("AROA" + 17 characters):
// derived from the name so that it is stable across runs.
func roleUniqueID(name string) string {
	sum := sha256.Sum256([]byte("role/" + name))
	return roleUniqueIDPrefix + base32.StdEncoding.EncodeToString(sum[:])[:roleUniqueIDSuffixLen]
}

func roleOutputs(rec *RoleRecord, forceDetachPolicies bool) map[string]any {
	out := map[string]any{
		"name":                rec.Name,
		"path":                rec.Path,
		"arn":                 rec.Arn,
		"uniqueId":            rec.UniqueID,
		"createDate":          roleCreateDate,
		"assumeRolePolicy":    rec.AssumeRolePolicy,
		"maxSessionDuration":  float64(rec.MaxSessionDuration),
		"forceDetachPolicies": forceDetachPolicies,
		"tags":                stringsToAny(rec.Tags),
		"tagsAll":             stringsToAny(rec.Tags),
	}
	if rec.Description != "" {
		out["description"] = rec.Description
	}
	if rec.PermissionsBoundary != "" {
		out["permissionsBoundary"] = rec.PermissionsBoundary
	}
	return out
}

func iamError(operation string, status int, code, message string) string {
	return awsServiceError("IAM", status, operation, code, message)
}

func (r *roleResource) create(req p.CreateRequest) (p.CreateResponse, error) {
	in := mapToGo(req.Properties)
	delete(in, defaultsKey)

	if req.DryRun {
		// As in a Terraform plan, computed-only attributes are unknown until
		// the role exists.
		out := copyMap(in)
		out["arn"], out["uniqueId"], out["createDate"] = unknown, unknown, unknown
		out["tagsAll"] = withDefault(in["tags"], map[string]any{})
		if doc, err := policyDocument(in["assumeRolePolicy"]); err == nil && !hasUnknown(in["assumeRolePolicy"]) {
			if text, err := normalizeJSON(doc); err == nil {
				out["assumeRolePolicy"] = text
			}
		}
		return p.CreateResponse{ID: "", Properties: mapFromGo(out)}, nil
	}
	if hasUnknown(in) {
		return p.CreateResponse{}, errors.New("fakeaws: Create called with unknown inputs outside of preview")
	}

	s, err := parseRoleSettings(in)
	if err != nil {
		return p.CreateResponse{}, fmt.Errorf("creating IAM Role (%s): %w", s.name, err)
	}
	if !rolePathRE.MatchString(s.path) {
		return p.CreateResponse{}, fmt.Errorf("creating IAM Role (%s): %s", s.name, iamError("CreateRole", 400,
			"ValidationError", "The specified value for path is invalid. It must begin and end with / and "+
				"contain only alphanumeric characters and/or / characters."))
	}
	rec := &RoleRecord{
		Name:                s.name,
		Path:                s.path,
		Arn:                 roleARN(s.path, s.name),
		UniqueID:            roleUniqueID(s.name),
		AssumeRolePolicy:    s.assumeRolePolicy,
		Description:         s.description,
		MaxSessionDuration:  s.maxSessionDuration,
		PermissionsBoundary: s.permissionsBoundary,
		Tags:                s.tags,
	}

	err = r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		// IAM role names are unique per account, case-insensitively.
		for existing := range w.Roles {
			if strings.EqualFold(existing, s.name) {
				return nil, fmt.Errorf("creating IAM Role (%s): %s", s.name, iamError("CreateRole", 409,
					"EntityAlreadyExists", fmt.Sprintf("Role with name %s already exists.", s.name)))
			}
		}
		w.Roles[s.name] = rec
		return &JournalEntry{Op: "create", Type: tokRole, ID: s.name, URN: string(req.Urn)}, nil
	})
	if err != nil {
		return p.CreateResponse{}, err
	}
	return p.CreateResponse{ID: s.name, Properties: mapFromGo(roleOutputs(rec, s.forceDetachPolicies))}, nil
}

func (r *roleResource) update(req p.UpdateRequest) (p.UpdateResponse, error) {
	olds, news := mapToGo(req.State), mapToGo(req.Inputs)
	delete(news, defaultsKey)
	changes := r.changes(olds, news)
	if changes.replaces() {
		return p.UpdateResponse{}, fmt.Errorf("fakeaws: Update called for a change that requires replacement (%v)", changes.keys())
	}

	if req.DryRun {
		out := copyMap(olds)
		for k, v := range news {
			out[k] = v
		}
		if doc, err := policyDocument(news["assumeRolePolicy"]); err == nil && !hasUnknown(news["assumeRolePolicy"]) {
			if text, err := normalizeJSON(doc); err == nil {
				out["assumeRolePolicy"] = text
			}
		}
		out["tags"] = withDefault(news["tags"], map[string]any{})
		out["tagsAll"] = out["tags"]
		return p.UpdateResponse{Properties: mapFromGo(out)}, nil
	}
	if hasUnknown(news) {
		return p.UpdateResponse{}, errors.New("fakeaws: Update called with unknown inputs outside of preview")
	}

	s, err := parseRoleSettings(news)
	if err != nil {
		return p.UpdateResponse{}, fmt.Errorf("updating IAM Role (%s): %w", req.ID, err)
	}
	var rec RoleRecord
	err = r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		cur := w.Roles[req.ID]
		if cur == nil {
			return nil, fmt.Errorf("updating IAM Role (%s): %s", req.ID, iamError("UpdateRole", 404,
				"NoSuchEntity", fmt.Sprintf("The role with name %s cannot be found.", req.ID)))
		}
		cur.AssumeRolePolicy = s.assumeRolePolicy
		cur.Description = s.description
		cur.MaxSessionDuration = s.maxSessionDuration
		cur.PermissionsBoundary = s.permissionsBoundary
		cur.Tags = s.tags
		rec = *cur
		return &JournalEntry{Op: "update", Type: tokRole, ID: req.ID, URN: string(req.Urn),
			Changed: changes.keys()}, nil
	})
	if err != nil {
		return p.UpdateResponse{}, err
	}
	return p.UpdateResponse{Properties: mapFromGo(roleOutputs(&rec, s.forceDetachPolicies))}, nil
}

func (r *roleResource) delete(req p.DeleteRequest) error {
	// Like terraform-provider-aws, a role that is already gone (NoSuchEntity)
	// is not an error. Repository policies naming the role are left as they
	// are (real IAM would show its unique ID in them instead).
	return r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		delete(w.Roles, req.ID)
		return &JournalEntry{Op: "delete", Type: tokRole, ID: req.ID, URN: string(req.Urn)}, nil
	})
}

func (r *roleResource) read(req p.ReadRequest) (p.ReadResponse, error) {
	var rec *RoleRecord
	if err := r.f.world.view(func(w *World) { rec = w.Roles[req.ID] }); err != nil {
		return p.ReadResponse{}, err
	}
	if rec == nil {
		return p.ReadResponse{}, nil // gone
	}
	olds := mapToGo(req.Properties)
	props := roleOutputs(rec, boolean(olds, "forceDetachPolicies"))
	// Keep the state's text when it is equivalent to what IAM returns.
	if old := str(olds, "assumeRolePolicy"); old != "" && jsonEquivalent(old, rec.AssumeRolePolicy, false) {
		props["assumeRolePolicy"] = old
	}
	inputs := req.Inputs
	if inputs.Len() == 0 {
		in := map[string]any{}
		for _, k := range []string{"name", "path", "assumeRolePolicy", "description", "maxSessionDuration",
			"forceDetachPolicies", "permissionsBoundary", "tags"} {
			if v, ok := props[k]; ok {
				in[k] = v
			}
		}
		inputs = mapFromGo(in)
	}
	return p.ReadResponse{ID: req.ID, Properties: mapFromGo(props), Inputs: inputs}, nil
}
