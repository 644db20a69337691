package main

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync/atomic"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// A resourceType is the descriptor of one emulated pulumi-aws resource: its
// inputs as pulumi-aws v6.83.2 declares them, its computed outputs, where its
// records live in the world and how AWS treats them. One generic path
// (Check, Diff, Create, Read, Update, Delete, below) serves every type.
type resourceType struct {
	token               string
	fields              []field                                       // every input property pulumi-aws defines
	outputs             []string                                      // computed-only outputs (tagsAll follows a tags input)
	deleteBeforeReplace bool                                          // pulumi-aws sets DeleteBeforeReplace
	check               func(in map[string]any, fails *checkFailures) // rules across fields

	// The records: a map[string]*R by ID in the world, whose R has the
	// resource's property names as JSON keys, and the property of a new
	// record that is its ID.
	records func(c *call) any
	idKey   string

	// AWS behaviour. Hooks run inside one world transaction (an error leaves
	// the world as it was) and never in a preview.
	validate func(c *call, rec any) error // rejects a record, on create and update
	create   func(c *call, rec any) error // on create only: conflicts, generated IDs (it may set c.id)
	update   func(c *call, rec any) error // on update only
	notFound func(c *call) error          // the error of an update of a record that is gone

	// Records not kept in a map of their own (policies attached to a
	// repository, account singletons) are found, stored and removed by these
	// instead; like terraform-provider-aws, removing what is gone succeeds.
	get    func(c *call) any
	put    func(c *call, rec any) error
	remove func(c *call) error
	record func() any // a new, empty record
}

// finish derives get, put, remove and record from records, where not given.
func (t *resourceType) finish() *resourceType {
	if t.records == nil {
		return t
	}
	table := func(c *call) reflect.Value { return reflect.ValueOf(t.records(c)) }
	elem := reflect.TypeOf(t.records(&call{w: world.New()})).Elem().Elem()
	if t.record == nil {
		t.record = func() any { return reflect.New(elem).Interface() }
	}
	if t.get == nil {
		t.get = func(c *call) any {
			if v := table(c).MapIndex(reflect.ValueOf(c.id)); v.IsValid() {
				return v.Interface()
			}
			return nil
		}
	}
	if t.put == nil {
		t.put = func(c *call, rec any) error {
			table(c).SetMapIndex(reflect.ValueOf(c.id), reflect.ValueOf(rec))
			return nil
		}
	}
	if t.remove == nil {
		t.remove = func(c *call) error { table(c).SetMapIndex(reflect.ValueOf(c.id), reflect.Value{}); return nil }
	}
	return t
}

// call is the context of one hook invocation.
type call struct {
	w      *world.World
	region string // of the provider making the call
	id     string
	urn    resource.URN
	in     map[string]any // the inputs (create, update)
	old    map[string]any // the resource's state (update, delete, read)
}

// r is the provider's region of the world.
func (c *call) r() *world.Region { return c.w.Region(c.region) }

func (c *call) journal(op string, t *resourceType, changed []string) *world.JournalEntry {
	return &world.JournalEntry{Op: op, Type: t.token, ID: c.id, URN: string(c.urn), Region: c.region, Changed: changed}
}

func run(hook func(c *call, rec any) error, c *call, rec any) error {
	if hook == nil {
		return nil
	}
	return hook(c, rec)
}

// --- the generic path -------------------------------------------------------

const defaultsKey = "__defaults" // where the bridge records which inputs Check defaulted

func (t *resourceType) has(name string) bool { return t.field(name) != nil }

func (t *resourceType) field(name string) *field {
	for i := range t.fields {
		if t.fields[i].name == name {
			return &t.fields[i]
		}
	}
	return nil
}

func (t *resourceType) doCheck(req p.CheckRequest) (p.CheckResponse, error) {
	inputs := req.Inputs
	in := mapToGo(inputs)
	// A raw pulumi.CustomResource lists the outputs it reads back with a null
	// value; those are dropped rather than rejected.
	for _, k := range slices.Concat(t.outputs, []string{"tagsAll"}) {
		if v, ok := in[k]; ok && v == nil && !t.has(k) {
			inputs = inputs.Delete(k)
			delete(in, k)
		}
	}
	var fails checkFailures
	checkObject(&fails, "", t.token, t.fields, in)
	var defaulted []string
	for _, f := range t.fields {
		v := in[f.name]
		switch {
		case v == nil && f.autonameMax > 0 && in["namePrefix"] == nil:
			// pulumi-aws autonames an omitted name and keeps the autoname on
			// later updates; a name the user set and then removed is not reused.
			old := req.State.Get(f.name)
			if old.IsString() && contains(stringList(mapToGo(req.State)[defaultsKey]), f.name) {
				inputs = inputs.Set(f.name, old)
			} else if name, err := resource.NewUniqueName(nil, req.Urn.Name()+"-", 7, f.autonameMax, nil); err != nil {
				fails.add(f.name, "%v", err)
			} else {
				inputs = inputs.Set(f.name, property.New(name))
			}
			defaulted = append(defaulted, f.name)
		case v == nil && f.dflt != nil:
			inputs = inputs.Set(f.name, fromGo(f.dflt))
		case f.kind == kDoc && v != nil && !hasUnknown(v):
			if _, isString := v.(string); !isString {
				text, _ := policyDocument(v)
				inputs = inputs.Set(f.name, property.New(text).WithSecret(inputs.Get(f.name).Secret()))
			}
		case f.kind == kDoc && v != nil:
			if _, isString := v.(string); !isString {
				inputs = inputs.Set(f.name, property.New(property.Computed)) // an object with unknowns
			}
		}
	}
	if t.check != nil {
		t.check(in, &fails)
	}
	inputs = inputs.Set(defaultsKey, fromGo(defaulted))
	return p.CheckResponse{Inputs: inputs, Failures: fails}, nil
}

// changes compares new inputs with the old state, as Terraform plans
// configuration against prior state.
func (t *resourceType) changes(olds, news map[string]any) diffBuilder {
	d := diffBuilder{}
	for _, f := range t.fields {
		o, n := olds[f.name], news[f.name]
		if (n == nil && f.optComputed) || f.same(o, n) {
			continue
		}
		d.add(f.name, present(o), present(n), f.replace)
	}
	return d
}

func (t *resourceType) doDiff(req p.DiffRequest) (p.DiffResponse, error) {
	d := t.changes(mapToGo(req.State), mapToGo(req.Inputs))
	return p.DiffResponse{
		HasChanges:          len(d) > 0,
		DetailedDiff:        d,
		DeleteBeforeReplace: t.deleteBeforeReplace && d.replaces(),
	}, nil
}

// preview is what a plan shows: the old state (none on create) with the new
// inputs applied, computed outputs unknown on create.
func (t *resourceType) preview(olds, news map[string]any) map[string]any {
	out := map[string]any{}
	maps.Copy(out, olds)
	for _, f := range t.fields {
		v := news[f.name]
		switch {
		case v != nil:
			out[f.name] = normalizeDoc(f, v)
		case !f.optComputed:
			delete(out, f.name)
		}
	}
	for _, k := range t.outputs {
		if olds == nil {
			out[k] = unknown
		}
	}
	t.addTagsAll(out)
	return out
}

func (t *resourceType) addTagsAll(out map[string]any) {
	if t.has("tags") {
		out["tagsAll"] = out["tags"]
		if out["tagsAll"] == nil {
			out["tagsAll"] = map[string]any{}
		}
	}
}

// normalizeDoc returns a known JSON document input as the normalised text
// terraform-provider-aws sends to AWS and stores.
func normalizeDoc(f field, v any) any {
	if !f.jsonText || hasUnknown(v) {
		return v
	}
	if text, err := policyDocument(v); err == nil {
		if norm, err := normalizeJSON(text); err == nil {
			return norm
		}
	}
	return v
}

// outputsOf is the state of a resource: its inputs (state-only ones
// included), overlaid with what the world record holds.
func (t *resourceType) outputsOf(base map[string]any, rec any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		if k != defaultsKey {
			out[k] = v
		}
	}
	for _, f := range t.fields {
		if out[f.name] == nil && f.dflt != nil {
			out[f.name] = f.dflt
		}
	}
	for k, v := range encode(rec) {
		if t.has(k) || contains(t.outputs, k) {
			out[k] = v
		}
	}
	t.addTagsAll(out)
	return out
}

func (t *resourceType) toProperties(out map[string]any) property.Map {
	m := mapFromGo(out)
	for _, f := range t.fields {
		if v, ok := m.GetOk(f.name); ok && f.hidden {
			m = m.Set(f.name, v.WithSecret(true))
		}
	}
	return m
}

// knownInputs returns the inputs of a real (not preview) operation.
func knownInputs(m property.Map, op string) (map[string]any, error) {
	in := mapToGo(m)
	delete(in, defaultsKey)
	if hasUnknown(in) {
		return nil, fmt.Errorf("fakeaws: %s called with unknown inputs outside of preview", op)
	}
	return in, nil
}

// normalized returns in with its JSON documents normalised.
func (t *resourceType) normalized(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		out[k] = v
		if f := t.field(k); f != nil && v != nil {
			out[k] = normalizeDoc(*f, v)
		}
	}
	return out
}

func (f *fakeAWS) doCreate(t *resourceType, req p.CreateRequest) (p.CreateResponse, error) {
	if req.DryRun {
		in := mapToGo(req.Properties)
		delete(in, defaultsKey)
		return p.CreateResponse{Properties: t.toProperties(t.preview(nil, in))}, nil
	}
	in, err := knownInputs(req.Properties, "Create")
	if err != nil {
		return p.CreateResponse{}, err
	}
	in = t.normalized(in)
	if in["name"] == nil && in["namePrefix"] != nil && t.has("namePrefix") {
		in["name"] = prefixedUniqueID(strOf(in, "namePrefix"))
	}
	c := &call{region: f.currentRegion(), urn: req.Urn, in: in}
	var out map[string]any
	err = f.world.Update(func(w *world.World) (*world.JournalEntry, error) {
		c.w = w
		rec := t.record()
		if err := decode(in, rec); err != nil {
			return nil, err
		}
		err := run(t.validate, c, rec)
		if err == nil {
			err = run(t.create, c, rec)
		}
		if err != nil {
			return nil, err
		}
		if c.id == "" {
			c.id = strOf(encode(rec), t.idKey)
		}
		if err := t.put(c, rec); err != nil {
			return nil, err
		}
		w.Complete()
		out = t.outputsOf(in, t.get(c))
		return c.journal("create", t, nil), nil
	})
	if err != nil {
		return p.CreateResponse{}, err
	}
	return p.CreateResponse{ID: c.id, Properties: t.toProperties(out)}, nil
}

func (f *fakeAWS) doUpdate(t *resourceType, req p.UpdateRequest) (p.UpdateResponse, error) {
	olds, news := mapToGo(req.State), mapToGo(req.Inputs)
	changes := t.changes(olds, news)
	if changes.replaces() {
		return p.UpdateResponse{}, fmt.Errorf("fakeaws: Update called for a change that requires replacement (%v)", changes.keys())
	}
	if req.DryRun {
		delete(news, defaultsKey)
		return p.UpdateResponse{Properties: t.toProperties(t.preview(olds, news))}, nil
	}
	news, err := knownInputs(req.Inputs, "Update")
	if err != nil {
		return p.UpdateResponse{}, err
	}
	news = t.normalized(news)
	c := &call{region: f.currentRegion(), urn: req.Urn, id: req.ID, in: news, old: olds}
	var out map[string]any
	err = f.world.Update(func(w *world.World) (*world.JournalEntry, error) {
		c.w = w
		old := t.get(c)
		if old == nil && t.notFound != nil {
			return nil, t.notFound(c)
		}
		rec, err := t.applyInputs(old, news)
		if err == nil {
			err = run(t.validate, c, rec)
		}
		if err == nil {
			err = run(t.update, c, rec)
		}
		if err == nil {
			err = t.put(c, rec)
		}
		if err != nil {
			return nil, err
		}
		w.Complete()
		out = t.outputsOf(news, t.get(c))
		return c.journal("update", t, changes.keys()), nil
	})
	if err != nil {
		return p.UpdateResponse{}, err
	}
	return p.UpdateResponse{Properties: t.toProperties(out)}, nil
}

// applyInputs returns a new record: old (if any) with every input property
// that updates in place replaced by its new value; an omitted
// Optional+Computed one keeps the old value. What the inputs do not set
// (ARNs, attached policies) and what only a replacement changes are kept.
func (t *resourceType) applyInputs(old any, news map[string]any) (any, error) {
	m := map[string]any{}
	if old != nil {
		m = encode(old)
	}
	for _, f := range t.fields {
		if f.replace && old != nil {
			continue
		}
		if v := news[f.name]; v != nil {
			m[f.name] = v
		} else if !f.optComputed {
			delete(m, f.name)
		}
	}
	rec := t.record()
	return rec, decode(m, rec)
}

func (f *fakeAWS) doDelete(t *resourceType, req p.DeleteRequest) (struct{}, error) {
	c := &call{region: f.currentRegion(), urn: req.Urn, id: req.ID, old: mapToGo(req.Properties)}
	return struct{}{}, f.world.Update(func(w *world.World) (*world.JournalEntry, error) {
		c.w = w
		if err := t.remove(c); err != nil {
			return nil, err
		}
		return c.journal("delete", t, nil), nil
	})
}

// doRead serves refresh and import: the record with the requested ID, or an
// empty ID if it is gone.
func (f *fakeAWS) doRead(t *resourceType, req p.ReadRequest) (p.ReadResponse, error) {
	w, err := f.world.View()
	if err != nil {
		return p.ReadResponse{}, err
	}
	olds := mapToGo(req.Properties)
	c := &call{w: w, region: f.currentRegion(), urn: req.Urn, id: req.ID, old: olds}
	rec := t.get(c)
	if rec == nil {
		return p.ReadResponse{}, nil
	}
	out := t.outputsOf(olds, rec)
	for _, fl := range t.fields {
		// Keep the state's text when it is equivalent to what AWS returns.
		if old, ok := olds[fl.name].(string); ok && fl.jsonText && jsonEquivalent(old, strOf(out, fl.name), fl.lifecycle) {
			out[fl.name] = old
		}
	}
	inputs := req.Inputs
	if inputs.Len() == 0 { // import: the inputs that reproduce this state
		in := map[string]any{}
		for _, fl := range t.fields {
			if v := out[fl.name]; v != nil && !fl.unsupported {
				in[fl.name] = v
			}
		}
		inputs = t.toProperties(in)
	}
	return p.ReadResponse{ID: req.ID, Properties: t.toProperties(out), Inputs: inputs}, nil
}

// prefixedUniqueID mirrors terraform-plugin-sdk's id.PrefixedUniqueId: the
// prefix and 26 characters (a timestamp to the 1/10,000 s and a counter).
func prefixedUniqueID(prefix string) string {
	now := time.Now().UTC()
	return fmt.Sprintf("%s%s%04d%08x", prefix, now.Format("20060102150405"), now.Nanosecond()/100000, idCounter.Add(1))
}

var idCounter atomic.Uint32

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
