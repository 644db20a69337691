package main

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// repositoryResource emulates aws:ecr/repository:Repository.
//
// Diff semantics mirror the schema of aws_ecr_repository in
// terraform-provider-aws internal/service/ecr/repository.go, which
// pulumi-aws v6 bridges unchanged (provider/resources.go:
// "aws_ecr_repository": {Tok: awsResource(ecrMod, "Repository")}):
//
//	name                         Required, ForceNew                    -> replace
//	encryption_configuration     Optional, ForceNew (block, encryption_type
//	                             and kms_key), DiffSuppressFunc
//	                             SuppressMissingOptionalConfigurationBlock;
//	                             kms_key is Optional+Computed          -> replace;
//	                             omitted block / omitted kmsKey        -> no diff
//	force_delete                 Optional                              -> update
//	image_scanning_configuration Optional, MaxItems 1,
//	                             SuppressMissingOptionalConfigurationBlock
//	                                                                   -> update; omitted -> no diff
//	image_tag_mutability         Optional, Default "MUTABLE"           -> update
//	tags                         Optional (tags_all Computed)          -> update
//
// pulumi-aws's setAutonaming (provider/resources.go) gives every resource with
// an input "name" tfbridge.AutoName("name", 255, "-"): when name is omitted it
// becomes "<resource name>-<7 random hex chars>", kept across updates and
// regenerated when the resource is replaced.
type repositoryResource struct{ f *fakeAWS }

const (
	defaultsKey        = "__defaults" // where the bridge records which inputs Check defaulted
	mutabilityDefault  = "MUTABLE"
	encryptionDefault  = "AES256"
	awsManagedKeyIDFmt = "arn:" + partition + ":kms:%s:" + accountID + ":key/aws-ecr-managed"
)

var repositoryInputs = map[string]bool{
	"name":                       true,
	"encryptionConfigurations":   true,
	"forceDelete":                true,
	"imageScanningConfiguration": true,
	"imageTagMutability":         true,
	"tags":                       true,
}

// ECR's CreateRepository constraint on repositoryName (length 2-256).
var repositoryNameRE = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

func (r *repositoryResource) check(req p.CheckRequest) (p.CheckResponse, error) {
	inputs := req.Inputs
	in := mapToGo(inputs)
	var fails checkFailures
	rejectUnknownKeys(&fails, in, repositoryInputs, tokRepository)

	oldDefaults := defaultsOf(req.State)
	var defaulted []string
	if !present(in, "name") {
		if old, ok := req.State.GetOk("name"); ok && oldDefaults["name"] && old.IsString() {
			inputs = inputs.Set("name", old)
		} else {
			name, err := resource.NewUniqueName(nil, req.Urn.Name()+"-", 7, 255, nil)
			if err != nil {
				fails.add("name", "%v", err)
			} else {
				inputs = inputs.Set("name", property.New(name))
			}
		}
		defaulted = append(defaulted, "name")
	} else {
		fails.typed("name", in["name"], "string")
	}

	if !present(in, "imageTagMutability") {
		inputs = inputs.Set("imageTagMutability", property.New(mutabilityDefault))
		defaulted = append(defaulted, "imageTagMutability")
	} else if fails.typed("imageTagMutability", in["imageTagMutability"], "string") {
		if v := in["imageTagMutability"].(string); v != "MUTABLE" && v != "IMMUTABLE" {
			fails.add("imageTagMutability",
				`expected imageTagMutability to be one of ["MUTABLE" "IMMUTABLE"], got %s`, v)
		}
	}

	fails.typed("forceDelete", in["forceDelete"], "bool")
	fails.typed("tags", in["tags"], "map of strings")

	if fails.typed("imageScanningConfiguration", in["imageScanningConfiguration"], "object") {
		isc := in["imageScanningConfiguration"].(map[string]any)
		if !present(isc, "scanOnPush") {
			fails.add("imageScanningConfiguration.scanOnPush",
				`Missing required argument. The argument "scanOnPush" is required, but no definition was found.`)
		} else {
			fails.typed("imageScanningConfiguration.scanOnPush", isc["scanOnPush"], "bool")
		}
	}

	if fails.typed("encryptionConfigurations", in["encryptionConfigurations"], "array") {
		for i, e := range in["encryptionConfigurations"].([]any) {
			prop := fmt.Sprintf("encryptionConfigurations[%d]", i)
			if !fails.typed(prop, e, "object") {
				continue
			}
			ec := e.(map[string]any)
			if fails.typed(prop+".encryptionType", ec["encryptionType"], "string") {
				// AES256 and KMS are documented by pulumi-aws v6.83.2; KMS_DSSE is
				// also accepted by the aws-sdk-go-v2 enum used upstream.
				switch t := ec["encryptionType"].(string); t {
				case "AES256", "KMS", "KMS_DSSE":
				default:
					fails.add(prop+".encryptionType",
						`expected encryptionType to be one of ["AES256" "KMS" "KMS_DSSE"], got %s`, t)
				}
			}
			fails.typed(prop+".kmsKey", ec["kmsKey"], "string")
		}
	}

	inputs = inputs.Set(defaultsKey, stringArray(defaulted))
	return p.CheckResponse{Inputs: inputs, Failures: fails}, nil
}

func (r *repositoryResource) diff(req p.DiffRequest) (p.DiffResponse, error) {
	return r.changes(mapToGo(req.State), mapToGo(req.Inputs)).response(false), nil
}

// changes compares new inputs against the old state, as Terraform plans
// configuration against prior state.
func (r *repositoryResource) changes(olds, news map[string]any) *diffBuilder {
	d := newDiffBuilder()

	if !equalKnown(olds["name"], news["name"]) {
		d.add("name", present(olds, "name"), present(news, "name"), true)
	}

	if newEnc, ok := news["encryptionConfigurations"].([]any); ok && len(newEnc) > 0 || news["encryptionConfigurations"] == unknown {
		if !encryptionEqual(olds["encryptionConfigurations"], news["encryptionConfigurations"]) {
			d.add("encryptionConfigurations", present(olds, "encryptionConfigurations"), true, true)
		}
	}

	if !equalKnown(withDefault(olds["imageTagMutability"], mutabilityDefault),
		withDefault(news["imageTagMutability"], mutabilityDefault)) {
		d.add("imageTagMutability", present(olds, "imageTagMutability"), present(news, "imageTagMutability"), false)
	}

	if present(news, "imageScanningConfiguration") {
		newScan, oldScan := any(unknown), any(false)
		if m, ok := news["imageScanningConfiguration"].(map[string]any); ok {
			newScan = withDefault(m["scanOnPush"], false)
		}
		if m, ok := olds["imageScanningConfiguration"].(map[string]any); ok {
			oldScan = withDefault(m["scanOnPush"], false)
		}
		if !equalKnown(oldScan, newScan) {
			d.add("imageScanningConfiguration", present(olds, "imageScanningConfiguration"), true, false)
		}
	}

	if !equalKnown(withDefault(olds["forceDelete"], false), withDefault(news["forceDelete"], false)) {
		d.add("forceDelete", present(olds, "forceDelete"), present(news, "forceDelete"), false)
	}

	if !equalKnown(withDefault(olds["tags"], map[string]any{}), withDefault(news["tags"], map[string]any{})) {
		d.add("tags", nonEmpty(olds["tags"]), nonEmpty(news["tags"]), false)
	}
	return d
}

// encryptionEqual compares the new encryptionConfigurations input with the
// old state. encryptionType defaults to AES256; an omitted kmsKey takes the
// old (computed) value.
func encryptionEqual(old, new any) bool {
	newList, ok := new.([]any)
	if !ok {
		return false
	}
	oldList, _ := old.([]any)
	if len(oldList) != len(newList) {
		return false
	}
	for i := range newList {
		n, ok1 := newList[i].(map[string]any)
		o, ok2 := oldList[i].(map[string]any)
		if !ok1 || !ok2 {
			return false
		}
		if !equalKnown(withDefault(o["encryptionType"], encryptionDefault), withDefault(n["encryptionType"], encryptionDefault)) {
			return false
		}
		if nk := n["kmsKey"]; nk != nil && nk != "" && !equalKnown(o["kmsKey"], nk) {
			return false
		}
	}
	return true
}

type repoSettings struct {
	name        string
	mutability  string
	scanGiven   bool
	scanOnPush  bool
	encType     string
	kmsKey      string
	forceDelete bool
	tags        map[string]string
}

func parseRepoSettings(in map[string]any) repoSettings {
	s := repoSettings{
		name:        str(in, "name"),
		mutability:  str(in, "imageTagMutability"),
		encType:     encryptionDefault,
		forceDelete: boolean(in, "forceDelete"),
		tags:        stringMap(in["tags"]),
	}
	if s.mutability == "" {
		s.mutability = mutabilityDefault
	}
	if isc, ok := in["imageScanningConfiguration"].(map[string]any); ok {
		s.scanGiven, s.scanOnPush = true, boolean(isc, "scanOnPush")
	}
	// ECR takes a single EncryptionConfiguration; terraform-provider-aws
	// expands only the first element.
	if list, ok := in["encryptionConfigurations"].([]any); ok && len(list) > 0 {
		if ec, ok := list[0].(map[string]any); ok {
			if t := str(ec, "encryptionType"); t != "" {
				s.encType = t
			}
			s.kmsKey = str(ec, "kmsKey")
		}
	}
	return s
}

func repositoryOutputs(rec *RepositoryRecord, forceDelete bool) map[string]any {
	return map[string]any{
		"name":                       rec.Name,
		"arn":                        fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, rec.Region, accountID, rec.Name),
		"registryId":                 accountID,
		"repositoryUrl":              fmt.Sprintf("%s.dkr.ecr.%s.%s/%s", accountID, rec.Region, dnsSuffix, rec.Name),
		"imageTagMutability":         rec.ImageTagMutability,
		"imageScanningConfiguration": map[string]any{"scanOnPush": rec.ScanOnPush},
		"encryptionConfigurations": []any{map[string]any{
			"encryptionType": rec.EncryptionType,
			"kmsKey":         rec.KmsKey,
		}},
		"forceDelete": forceDelete,
		"tags":        stringsToAny(rec.Tags),
		"tagsAll":     stringsToAny(rec.Tags),
	}
}

func (r *repositoryResource) create(req p.CreateRequest) (p.CreateResponse, error) {
	in := mapToGo(req.Properties)
	delete(in, defaultsKey)

	if req.DryRun {
		// As in a Terraform plan, computed-only attributes are unknown until
		// the repository exists.
		out := copyMap(in)
		out["arn"], out["registryId"], out["repositoryUrl"] = unknown, unknown, unknown
		out["tagsAll"] = withDefault(in["tags"], map[string]any{})
		return p.CreateResponse{ID: "", Properties: mapFromGo(out)}, nil
	}
	if hasUnknown(in) {
		return p.CreateResponse{}, errors.New("fakeaws: Create called with unknown inputs outside of preview")
	}

	s := parseRepoSettings(in)
	if err := validateRepositoryName(s.name); err != "" {
		return p.CreateResponse{}, fmt.Errorf("creating ECR Repository (%s): %s", s.name, err)
	}
	region := r.f.currentRegion()
	rec := &RepositoryRecord{
		Name:               s.name,
		Region:             region,
		ImageTagMutability: s.mutability,
		ScanOnPush:         s.scanOnPush,
		EncryptionType:     s.encType,
		KmsKey:             s.kmsKey,
		Tags:               s.tags,
	}
	if strings.HasPrefix(rec.EncryptionType, "KMS") && rec.KmsKey == "" {
		rec.KmsKey = fmt.Sprintf(awsManagedKeyIDFmt, region)
	}

	err := r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		if _, exists := w.Repositories[s.name]; exists {
			return nil, fmt.Errorf("creating ECR Repository (%s): %s", s.name, awsError("CreateRepository",
				"RepositoryAlreadyExistsException", fmt.Sprintf(
					"The repository with name '%s' already exists in the registry with id '%s'", s.name, accountID)))
		}
		w.Repositories[s.name] = rec
		return &JournalEntry{Op: "create", Type: tokRepository, ID: s.name, URN: string(req.Urn)}, nil
	})
	if err != nil {
		return p.CreateResponse{}, err
	}
	return p.CreateResponse{ID: s.name, Properties: mapFromGo(repositoryOutputs(rec, s.forceDelete))}, nil
}

func validateRepositoryName(name string) string {
	if len(name) < 2 || len(name) > 256 {
		return awsError("CreateRepository", "InvalidParameterException",
			"Invalid parameter at 'repositoryName' failed to satisfy constraint: "+
				"'Member must have length between 2 and 256'")
	}
	if !repositoryNameRE.MatchString(name) {
		return awsError("CreateRepository", "InvalidParameterException",
			"Invalid parameter at 'repositoryName' failed to satisfy constraint: "+
				"'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
	}
	return ""
}

func (r *repositoryResource) update(req p.UpdateRequest) (p.UpdateResponse, error) {
	olds, news := mapToGo(req.State), mapToGo(req.Inputs)
	delete(news, defaultsKey)
	changes := r.changes(olds, news)
	if changes.replaces() {
		return p.UpdateResponse{}, fmt.Errorf("fakeaws: Update called for a change that requires replacement (%v)", changes.keys())
	}

	if req.DryRun {
		out := copyMap(olds)
		for k, v := range news {
			if k == "encryptionConfigurations" || k == "imageScanningConfiguration" {
				if v == nil {
					continue // suppressed: the old value stays
				}
			}
			out[k] = v
		}
		out["tags"] = withDefault(news["tags"], map[string]any{})
		out["tagsAll"] = out["tags"]
		out["forceDelete"] = withDefault(news["forceDelete"], false)
		return p.UpdateResponse{Properties: mapFromGo(out)}, nil
	}
	if hasUnknown(news) {
		return p.UpdateResponse{}, errors.New("fakeaws: Update called with unknown inputs outside of preview")
	}

	s := parseRepoSettings(news)
	var rec RepositoryRecord
	err := r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		cur := w.Repositories[req.ID]
		if cur == nil {
			return nil, fmt.Errorf("updating ECR Repository (%s): %s", req.ID,
				repositoryNotFound("PutImageTagMutability", req.ID))
		}
		cur.ImageTagMutability = s.mutability
		if s.scanGiven {
			cur.ScanOnPush = s.scanOnPush
		}
		cur.Tags = s.tags
		rec = *cur
		return &JournalEntry{Op: "update", Type: tokRepository, ID: req.ID, URN: string(req.Urn),
			Changed: changes.keys()}, nil
	})
	if err != nil {
		return p.UpdateResponse{}, err
	}
	return p.UpdateResponse{Properties: mapFromGo(repositoryOutputs(&rec, s.forceDelete))}, nil
}

func (r *repositoryResource) delete(req p.DeleteRequest) error {
	// Like terraform-provider-aws, a repository that is already gone is not
	// an error. Deleting a repository deletes its policies with it.
	return r.f.world.mutate(func(w *World) (*JournalEntry, error) {
		delete(w.Repositories, req.ID)
		return &JournalEntry{Op: "delete", Type: tokRepository, ID: req.ID, URN: string(req.Urn)}, nil
	})
}

func (r *repositoryResource) read(req p.ReadRequest) (p.ReadResponse, error) {
	var rec *RepositoryRecord
	if err := r.f.world.view(func(w *World) { rec = w.Repositories[req.ID] }); err != nil {
		return p.ReadResponse{}, err
	}
	if rec == nil {
		return p.ReadResponse{}, nil // gone
	}
	props := repositoryOutputs(rec, boolean(mapToGo(req.Properties), "forceDelete"))
	inputs := req.Inputs
	if inputs.Len() == 0 {
		inputs = mapFromGo(map[string]any{
			"name":                       rec.Name,
			"imageTagMutability":         rec.ImageTagMutability,
			"imageScanningConfiguration": props["imageScanningConfiguration"],
			"encryptionConfigurations":   props["encryptionConfigurations"],
			"forceDelete":                props["forceDelete"],
			"tags":                       props["tags"],
		})
	}
	return p.ReadResponse{ID: req.ID, Properties: mapFromGo(props), Inputs: inputs}, nil
}

// --- helpers shared by the ECR resources ---

func rejectUnknownKeys(fails *checkFailures, in map[string]any, allowed map[string]bool, tok string) {
	var keys []string
	for k := range in {
		if !allowed[k] && !strings.HasPrefix(k, "__") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fails.add(k, "fakeaws (test double): %s has no input %q in pulumi-aws v6.83.2, or it is not emulated", tok, k)
	}
}

func defaultsOf(m property.Map) map[string]bool {
	out := map[string]bool{}
	if list, ok := toGo(m.Get(defaultsKey)).([]any); ok {
		for _, e := range list {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

func stringArray(ss []string) property.Value {
	vs := make([]property.Value, 0, len(ss))
	for _, s := range ss {
		vs = append(vs, property.New(s))
	}
	return property.New(vs)
}

func stringsToAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func withDefault(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

// equalKnown reports whether a and b are equal and fully known.
func equalKnown(a, b any) bool {
	if hasUnknown(a) || hasUnknown(b) {
		return false
	}
	return reflect.DeepEqual(a, b)
}

func nonEmpty(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) > 0 || v == unknown
}
