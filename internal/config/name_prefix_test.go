package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// namePrefix makes every ECR name; keys stay what the outputs and child
// names use, and every registry-wide setting that names repositories to AWS
// names them by their ECR names.
func TestNamePrefixMakesTheRepositoryNames(t *testing.T) {
	t.Parallel()
	r := withRepos(Registry{
		NamePrefix:  ptr("staging/"),
		Replication: &Replication{Regions: []string{"us-east-1"}},
		Monitoring: &Monitoring{Alerts: emails, Alarms: map[string]Alarm{
			"unused": {MetricName: "RepositoryPullCount", Repositories: []string{"team/api"}, NoPullsInDays: ptr(3)},
		}},
		Names: names,
	}, "team/api", "team/web")
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	require.Len(t, plan.Repositories, 2)
	assert.Equal(t, "team/api", plan.Repositories[0].Key)
	assert.Equal(t, "staging/team/api", plan.Repositories[0].Name)
	assert.Equal(t, `repositories["team/api"]`, plan.Repositories[0].Path, "problems are reported at the key")
	assert.Equal(t, []string{"staging/team/api", "staging/team/web"}, plan.Replication.Rules[0].Filters)

	require.Len(t, plan.Monitoring.Alarms, 1)
	alarm := plan.Monitoring.Alarms[0]
	assert.Equal(t, "unused/team/api", alarm.Key, "alarmArns stay keyed by the key")
	assert.Equal(t, map[string]string{"RepositoryName": "staging/team/api"}, alarm.Dimensions)

	unprefixed, ps := Resolve(withRepos(Registry{}, "team/api"), env)
	require.Empty(t, ps)
	assert.Equal(t, "team/api", unprefixed.Repositories[0].Name, "without a prefix the key is the name")
}

func TestNamePrefixWarningsNameTheRepository(t *testing.T) {
	t.Parallel()
	r := withRepos(Registry{NamePrefix: ptr("cache-"), Scanning: &Scanning{Rules: []ScanningRule{{Frequency: "SCAN_ON_PUSH", Filters: []string{"other*"}}}},
		Defaults: &Repository{ScanOnPush: ptr(true)}}, "hub/nginx")
	_, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	require.NotEmpty(t, ps.Warnings())
	assert.Contains(t, ps.Warnings()[0].String(), "cache-hub/nginx", "the scanning filters match ECR names, so the warning gives it")
}

func TestNamePrefixIsChecked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, prefix string
		keys         []string
		want         []string
	}{
		{"empty", "", []string{"api"}, []string{"namePrefix: must not be empty"}},
		{"upper case", "Staging/", []string{"api", "web"}, []string{`namePrefix: must be the start of an ECR repository name`}},
		{"double separator", "staging//", []string{"api"}, []string{`got "staging//"`}},
		{"key starting with a separator", "staging/", []string{"-api"}, []string{`repositories["-api"]: repository name "staging/-api"`}},
		{"too long together", strings.Repeat("a", 200) + "/", []string{strings.Repeat("b", 60)}, []string{`repositories["bbbb`, "repository name must be 2 to 256 characters long, got 261"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := Resolve(withRepos(Registry{NamePrefix: &tc.prefix}, tc.keys...), env)
			text := ps.Err("x").Error()
			for _, w := range tc.want {
				assert.Contains(t, text, w)
			}
			if strings.HasPrefix(tc.want[0], "namePrefix") {
				assert.Len(t, ps.Errors(), 1, "a bad prefix is reported once, not for every repository: %s", text)
			}
		})
	}
}
