package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

const testRegion = "eu-west-1"

// Tokens used by the tests.
const (
	tokRepository       = "aws:ecr/repository:Repository"
	tokRepositoryPolicy = "aws:ecr/repositoryPolicy:RepositoryPolicy"
	tokLifecyclePolicy  = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	tokRole             = "aws:iam/role:Role"

	tokReplication       = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
	tokRegistryPolicy    = "aws:ecr/registryPolicy:RegistryPolicy"
	tokRegistryScanning  = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
	tokPullThroughCache  = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"
	tokCreationTemplate  = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"
	tokSecret            = "aws:secretsmanager/secret:Secret"
	tokSecretVersion     = "aws:secretsmanager/secretVersion:SecretVersion"
	tokParameter         = "aws:ssm/parameter:Parameter"
	tokKey               = "aws:kms/key:Key"
	tokAlias             = "aws:kms/alias:Alias"
	tokLogGroup          = "aws:cloudwatch/logGroup:LogGroup"
	tokLogResourcePolicy = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
	tokEventRule         = "aws:cloudwatch/eventRule:EventRule"
	tokEventTarget       = "aws:cloudwatch/eventTarget:EventTarget"
	tokMetricAlarm       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tokDashboard         = "aws:cloudwatch/dashboard:Dashboard"
	tokTopic             = "aws:sns/topic:Topic"
	tokTopicPolicy       = "aws:sns/topicPolicy:TopicPolicy"
	tokSubscription      = "aws:sns/topicSubscription:TopicSubscription"
)

// harness is one in-process fake provider behind the go-provider test server.
type harness struct {
	t *testing.T
	s integration.Server
	f *fakeAWS
}

// newHarness starts a provider in testRegion with its world in memory, or in
// stateDir if it is not "".
func newHarness(t *testing.T, stateDir string) *harness {
	return newHarnessIn(t, stateDir, testRegion)
}

func newHarnessIn(t *testing.T, stateDir, region string) *harness {
	t.Helper()
	f := newFakeAWS(stateDir, "")
	s, err := integration.NewServer(context.Background(), providerName, semver.MustParse(providerVersion),
		integration.WithProvider(f.provider()))
	require.NoError(t, err)
	// The engine sends every provider config key; unknown ones are ignored.
	require.NoError(t, s.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region":                    property.New(region),
		"version":                   property.New(providerVersion),
		"skipCredentialsValidation": property.New(true),
		"skipRegionValidation":      property.New("true"),
	})}))
	return &harness{t: t, s: s, f: f}
}

func urnOf(tok, name string) resource.URN {
	return resource.NewURN("test", "fakeaws", "", tokens.Type(tok), name)
}

func (h *harness) check(tok, name string, olds, news map[string]any) p.CheckResponse {
	h.t.Helper()
	if olds == nil {
		olds = map[string]any{}
	}
	resp, err := h.s.Check(p.CheckRequest{Urn: urnOf(tok, name), State: mapFromGo(olds), Inputs: mapFromGo(news)})
	require.NoError(h.t, err)
	return resp
}

// failed returns the properties Check rejects in inputs.
func (h *harness) failed(tok string, inputs map[string]any) []string {
	h.t.Helper()
	var props []string
	for _, f := range h.check(tok, "bad", nil, inputs).Failures {
		props = append(props, f.Property)
	}
	return props
}

// create runs Check, a preview Create and a real Create, like `pulumi up`.
func (h *harness) create(tok, name string, inputs map[string]any) (p.CreateResponse, property.Map, error) {
	h.t.Helper()
	checked := h.check(tok, name, nil, inputs)
	require.Empty(h.t, checked.Failures)
	before, journal := h.world(), len(h.journal())
	preview, err := h.s.Create(p.CreateRequest{Urn: urnOf(tok, name), Properties: checked.Inputs, DryRun: true})
	require.NoError(h.t, err, "preview create")
	assert.Equal(h.t, before, h.world(), "a preview must not touch the world")
	assert.Len(h.t, h.journal(), journal, "a preview is not journalled")
	for _, k := range resourceTypes[tok].outputs {
		assert.True(h.t, preview.Properties.Get(k).IsComputed(), "computed output %s is unknown in a preview", k)
	}
	resp, err := h.s.Create(p.CreateRequest{Urn: urnOf(tok, name), Properties: checked.Inputs})
	return resp, checked.Inputs, err
}

func (h *harness) mustCreate(tok, name string, inputs map[string]any) (p.CreateResponse, property.Map) {
	h.t.Helper()
	resp, checked, err := h.create(tok, name, inputs)
	require.NoError(h.t, err)
	return resp, checked
}

// createErr is the error creating a resource fails with.
func (h *harness) createErr(tok, name string, inputs map[string]any) string {
	h.t.Helper()
	_, _, err := h.create(tok, name, inputs)
	require.Error(h.t, err)
	return err.Error()
}

func (h *harness) diff(tok, name string, state, oldInputs property.Map, news map[string]any) p.DiffResponse {
	h.t.Helper()
	checked := h.check(tok, name, mapToGo(oldInputs), news)
	require.Empty(h.t, checked.Failures)
	resp, err := h.s.Diff(p.DiffRequest{Urn: urnOf(tok, name), State: state, OldInputs: oldInputs, Inputs: checked.Inputs})
	require.NoError(h.t, err)
	return resp
}

// update checks news and runs a preview and a real Update of a created
// resource, returning the real Update's result.
func (h *harness) update(tok, name string, created p.CreateResponse, oldInputs property.Map, news map[string]any) (p.UpdateResponse, error) {
	h.t.Helper()
	checked := h.check(tok, name, mapToGo(oldInputs), news)
	require.Empty(h.t, checked.Failures)
	req := p.UpdateRequest{ID: created.ID, Urn: urnOf(tok, name), State: created.Properties, OldInputs: oldInputs,
		Inputs: checked.Inputs, DryRun: true}
	before, journal := h.world(), len(h.journal())
	_, err := h.s.Update(req)
	require.NoError(h.t, err, "preview update")
	assert.Equal(h.t, before, h.world(), "a preview must not touch the world")
	assert.Len(h.t, h.journal(), journal, "a preview is not journalled")
	req.DryRun = false
	return h.s.Update(req)
}

func (h *harness) delete(tok, name, id string, state property.Map) {
	h.t.Helper()
	require.NoError(h.t, h.s.Delete(p.DeleteRequest{ID: id, Urn: urnOf(tok, name), Properties: state}))
}

// read is a Read by ID with no state, as `pulumi import` does.
func (h *harness) read(tok, id string) p.ReadResponse {
	h.t.Helper()
	resp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urnOf(tok, "imported")})
	require.NoError(h.t, err)
	return resp
}

func (h *harness) world() *world.World {
	h.t.Helper()
	w, err := h.f.world.View()
	require.NoError(h.t, err)
	return w
}

func (h *harness) region() *world.Region { return h.world().Region(testRegion) }

func (h *harness) journal() []world.JournalEntry {
	h.t.Helper()
	j, err := h.f.world.Journal()
	require.NoError(h.t, err)
	return j
}

// ops is the journal after the first n entries, as "op type id".
func (h *harness) ops(n int) []string {
	var out []string
	for _, e := range h.journal()[n:] {
		out = append(out, e.String())
	}
	return out
}

func kinds(d p.DiffResponse) map[string]p.DiffKind {
	out := map[string]p.DiffKind{}
	for k, v := range d.DetailedDiff {
		out[k] = v.Kind
	}
	return out
}

// with returns a copy of m with k set to v (deleted if v is nil).
func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	maps.Copy(out, m)
	out[k] = v
	if v == nil {
		delete(out, k)
	}
	return out
}

func normalized(t *testing.T, doc string) string {
	t.Helper()
	s, err := normalizeJSON(doc)
	require.NoError(t, err)
	return s
}

func parseJSON(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc), &m))
	return m
}

const lifecyclePolicy = `{"rules":[{"rulePriority":1,"description":"keep last 10 images","selection":` +
	`{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`

const repoPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"]}]
}`

const trustPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}`

// policyWith is a repository policy granting pulls to Principal principal.
func policyWith(principal any) string {
	return mustJSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Sid": "pull", "Effect": "Allow", "Principal": principal, "Action": []any{"ecr:BatchGetImage"},
	}}})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func lifecyclePolicyKeeping(n int) string {
	return strings.Replace(lifecyclePolicy, `"countNumber":10`, fmt.Sprintf(`"countNumber":%d`, n), 1)
}

// secret creates a Secrets Manager secret and returns its ARN.
func (h *harness) secret(name string) string {
	h.t.Helper()
	resp, _ := h.mustCreate(tokSecret, name, map[string]any{"name": name})
	return resp.ID
}

// key creates a KMS key and returns its ID.
func (h *harness) key() string {
	h.t.Helper()
	resp, _ := h.mustCreate(tokKey, "key", map[string]any{})
	return resp.ID
}

// topic creates an SNS topic and returns its ARN.
func (h *harness) topic(name string) string {
	h.t.Helper()
	resp, _ := h.mustCreate(tokTopic, name, map[string]any{"name": name})
	return resp.ID
}

// policyFor is a repository policy granting pulls to {"AWS": aws}.
func policyFor(aws any) string { return policyWith(map[string]any{"AWS": aws}) }
