package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// An argument either accepts outputs (its Go type is a pulumi.Input: a role
// ARN from another resource, a secret tag value) or must be a plain value the
// Registry knows when it is constructed (a repository name decides which
// resources exist; a lifecycle field decides a document). pulumi-go-provider
// v1.5.0 marks only top-level plain fields as plain in the schema, so the
// SDKs typed the nested ones Input<T> and the component then failed with
// "failed to copy inputs … expected destination type to implement
// pulumi.Input". The Go types are the one source: the schema is corrected
// from them (plainSchema) and Construct refuses an output where a plain value
// is needed, naming the field (checkPlainInputs).

// shape is what an argument's Go type accepts.
type shape struct {
	plain  bool              // a plain value; false: accepts outputs, all the way down
	fields map[string]*shape // an object's fields, by schema name
	elem   *shape            // an array's items or a map's values
}

var inputType = reflect.TypeFor[pulumi.Input]()

// shapeOf reads the shape of an argument type; seen breaks recursion.
func shapeOf(t reflect.Type, seen map[reflect.Type]*shape) *shape {
	if t.Implements(inputType) {
		return &shape{plain: false}
	}
	if s, ok := seen[t]; ok {
		return s
	}
	switch t.Kind() {
	case reflect.Pointer:
		return shapeOf(t.Elem(), seen)
	case reflect.Slice, reflect.Map:
		return &shape{plain: true, elem: shapeOf(t.Elem(), seen)}
	case reflect.Struct:
		s := &shape{plain: true, fields: map[string]*shape{}}
		seen[t] = s
		for _, f := range reflect.VisibleFields(t) {
			name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
			if name != "" && f.IsExported() {
				s.fields[name] = shapeOf(f.Type, seen)
			}
		}
		return s
	}
	return &shape{plain: true}
}

// registryShape is the shape of RegistryArgs.
var registryShape = shapeOf(reflect.TypeFor[RegistryArgs](), map[reflect.Type]*shape{})

// plainSchema marks the Registry's plain inputs plain and the elements of
// inputs that accept outputs not plain (the registry `tags` values).
func plainSchema(schema string) (string, error) {
	var spec map[string]any
	if err := json.Unmarshal([]byte(schema), &spec); err != nil {
		return "", err
	}
	types, _ := spec["types"].(map[string]any)
	resources, _ := spec["resources"].(map[string]any)
	registry, _ := resources[RegistryToken].(map[string]any)
	props, _ := registry["inputProperties"].(map[string]any)
	describeEnums(types)
	done := map[string]bool{}
	for name, prop := range props {
		if s := registryShape.fields[name]; s != nil {
			markPlain(prop.(map[string]any), s, types, done)
		}
	}
	out, err := json.Marshal(spec)
	return string(out), err
}

func markPlain(prop map[string]any, s *shape, types map[string]any, done map[string]bool) {
	if !s.plain {
		unmarkPlain(prop)
		return
	}
	prop["plain"] = true
	if ref, ok := prop["$ref"].(string); ok && s.fields != nil {
		token := strings.TrimPrefix(ref, "#/types/")
		if done[token] {
			return
		}
		done[token] = true
		typ, _ := types[token].(map[string]any)
		fields, _ := typ["properties"].(map[string]any)
		for name, f := range fields {
			if fs := s.fields[name]; fs != nil {
				markPlain(f.(map[string]any), fs, types, done)
			}
		}
		return
	}
	for _, key := range []string{"items", "additionalProperties"} {
		if elem, ok := prop[key].(map[string]any); ok && s.elem != nil {
			markPlain(elem, s.elem, types, done)
		}
	}
}

func unmarkPlain(prop map[string]any) {
	delete(prop, "plain")
	for _, key := range []string{"items", "additionalProperties"} {
		if elem, ok := prop[key].(map[string]any); ok {
			unmarkPlain(elem)
		}
	}
}

// checkPlainInputs names every plain argument that arrived as an output, a
// secret or an unknown value.
func checkPlainInputs(inputs property.Map) validate.Problems {
	var ps validate.Problems
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range inputs.All {
			if !yield(k) {
				return
			}
		}
	}) {
		if s := registryShape.fields[name]; s != nil {
			checkPlain(&ps, name, inputs.Get(name), s)
		}
	}
	return ps
}

func checkPlain(ps *validate.Problems, path string, v property.Value, s *shape) {
	if !s.plain || v.IsNull() {
		return
	}
	var what string
	switch {
	case v.IsComputed() || v.HasComputed() && !v.IsArray() && !v.IsMap():
		what = "a value not known yet (an output of a resource that does not exist yet)"
	case v.Secret():
		what = "a secret"
	case len(v.Dependencies()) > 0:
		what = "an output of another resource"
	}
	if what != "" {
		ps.Addf(path, "must be a plain value the Registry knows when it is constructed (it decides what is created and how it is checked), got %s; "+
			"pass the value itself, or use a field that accepts outputs", what)
		return
	}
	switch {
	case v.IsMap() && s.fields != nil:
		for k, e := range v.AsMap().All {
			if f := s.fields[k]; f != nil {
				checkPlain(ps, validate.Field(path, k), e, f)
			}
		}
	case v.IsMap() && s.elem != nil:
		for k, e := range v.AsMap().All {
			checkPlain(ps, validate.Key(path, k), e, s.elem)
		}
	case v.IsArray() && s.elem != nil:
		for i, e := range v.AsArray().All {
			checkPlain(ps, fmt.Sprintf("%s[%d]", path, i), e, s.elem)
		}
	}
}

// withPlainArguments corrects the schema the provider serves and checks
// Construct's inputs before they are copied into RegistryArgs.
func withPlainArguments(prov p.Provider) p.Provider {
	getSchema, construct := prov.GetSchema, prov.Construct
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := getSchema(ctx, req)
		if err != nil {
			return resp, err
		}
		resp.Schema, err = plainSchema(resp.Schema)
		return resp, err
	}
	prov.Construct = func(ctx context.Context, req p.ConstructRequest) (p.ConstructResponse, error) {
		if strings.HasSuffix(string(req.Urn.Type()), RegistryToken) {
			if err := checkPlainInputs(req.Inputs).Err(fmt.Sprintf("arguments for Registry %q", req.Urn.Name())); err != nil {
				return p.ConstructResponse{}, err
			}
		}
		return construct(ctx, req)
	}
	return prov
}

// describedEnum is an enum type with a description of its own, which infer
// v1.5.0 does not carry into the schema (only its values' descriptions).
type describedEnum interface{ TypeDescription() string }

// describedEnums are the enum types of the schema; TestSchema fails when an
// enum type has no description, so one missing here is noticed.
var describedEnums = []describedEnum{
	ImageTagMutability(""), EncryptionType(""), LifecycleTemplate(""), TagStatus(""), CountType(""),
	LifecycleAction(""), PolicyEffect(""), GrantAccess(""),
	RegistryPolicyScope(""), ScanType(""), ScanFrequency(""), TemplateAppliedFor(""), FindingSeverity(""),
}

func describeEnums(types map[string]any) {
	for _, e := range describedEnums {
		token := Name + ":index:" + reflect.TypeOf(e).Name()
		if typ, ok := types[token].(map[string]any); ok {
			typ["description"] = e.TypeDescription()
		}
	}
}
