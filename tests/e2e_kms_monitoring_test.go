package tests

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// kmsMonitoringSpec is the part of the issue #12 program each step changes.
type kmsMonitoringSpec struct {
	protect   bool // encryption.kms.protect
	retention int  // monitoring.eventLog.retentionInDays
	roleTrust string
}

func (s kmsMonitoringSpec) program() pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		// The key's administrator, created in the same program: the key
		// policy names it, so the key must wait for it.
		admin, err := iam.NewRole(ctx, "key-admin", &iam.RoleArgs{Name: pulumi.String("ecr-key-admin"), AssumeRolePolicy: pulumi.String(s.roleTrust)})
		if err != nil {
			return err
		}
		kms := ecrrepos.EncryptionTypeKMS
		reg, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{
			Tags: pulumi.StringMap{"owner": pulumi.String("platform")},
			Encryption: &ecrrepos.RegistryEncryptionArgs{Kms: &ecrrepos.KmsKeyArgs{
				Create:            pulumi.BoolRef(true),
				AdministratorArns: pulumi.StringArray{admin.Arn},
				Protect:           pulumi.BoolRef(s.protect),
			}},
			Defaults: &ecrrepos.RepositoryArgs{EncryptionType: &kms},
			Repositories: map[string]ecrrepos.RepositoryArgs{
				"team/api": {},
				"team/web": {},
			},
			Monitoring: &ecrrepos.MonitoringArgs{
				Alerts:       &ecrrepos.AlertsArgs{Emails: pulumi.StringArray{pulumi.String("platform@example.com")}},
				EventLog:     &ecrrepos.EventLogArgs{UseCreatedKey: pulumi.BoolRef(true), RetentionInDays: pulumi.IntRef(s.retention)},
				ScanFindings: &ecrrepos.ScanFindingsArgs{},
				Alarms: map[string]ecrrepos.AlarmArgs{
					"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: pulumi.IntRef(7), Repositories: []string{"team/api"}},
				},
				Dashboard: &ecrrepos.DashboardArgs{},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("kmsKeyArn", reg.KmsKeyArn)
		ctx.Export("kmsKeyAlias", reg.KmsKeyAlias)
		ctx.Export("eventLogGroupName", reg.EventLogGroupName)
		ctx.Export("alertTopicArn", reg.AlertTopicArn)
		ctx.Export("dashboardUrl", reg.DashboardUrl)
		ctx.Export("alarmArns", reg.AlarmArns)
		ctx.Export("adminArn", admin.Arn)
		return nil
	}
}

// TestEndToEndKmsAndMonitoringGo: a created key used by the KMS
// repositories, the event log encrypted with it, scan-finding alerts to a
// created topic, a pull alarm and the dashboard, through the real engine and
// the aws test double: up, a no-change preview, an update in place, destroy
// (refused while the key is protected, after the opt-out deployed).
func TestEndToEndKmsAndMonitoringGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	var trust json.RawMessage
	testdata(t, "role-trust-policy.json", &trust)
	spec := kmsMonitoringSpec{protect: true, retention: 90, roleTrust: string(trust)}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-kms", spec.program())
	const logGroup = "/aws/events/ecr/ecrrepos-e2e-kms/dev/main"

	apply := func(t *testing.T) (auto.UpResult, []string) {
		t.Helper()
		return upWith(t, stack, aws, spec.program())
	}
	var up auto.UpResult

	step(t, "up creates the key, the repositories encrypted with it and the monitoring", func(t *testing.T) {
		up, _ = apply(t)
		r := aws.load(t).Region(region)

		keyArn := up.Outputs["kmsKeyArn"].Value.(string)
		key := r.Key(keyArn)
		require.NotNil(t, key, "%s in %v", keyArn, world.Sorted(r.Keys))
		assert.True(t, key.EnableKeyRotation)
		assert.Equal(t, map[string]string{"owner": "platform"}, key.Tags)
		assert.Contains(t, key.Policy, `"kms:ViaService":"ecr.us-east-1.amazonaws.com"`)
		assert.Contains(t, key.Policy, `"arn:aws:iam::123456789012:role/ecr-key-admin"`, "the administrator, created first")
		assert.Contains(t, key.Policy, `"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:123456789012:log-group:`+logGroup+`"`)
		assert.Equal(t, "alias/ecr/ecrrepos-e2e-kms/dev/main", up.Outputs["kmsKeyAlias"].Value)
		require.NotNil(t, r.Aliases["alias/ecr/ecrrepos-e2e-kms/dev/main"])
		assert.Equal(t, key.KeyID, r.Aliases["alias/ecr/ecrrepos-e2e-kms/dev/main"].TargetKeyID)

		for _, name := range []string{"team/api", "team/web"} {
			typ, kmsKey := r.Repositories[name].Encryption()
			assert.Equal(t, "KMS", typ)
			assert.Equal(t, keyArn, kmsKey, "%s is encrypted with the created key", name)
		}

		group := r.LogGroups[logGroup]
		require.NotNil(t, group)
		assert.Equal(t, 90, group.RetentionInDays)
		assert.Equal(t, keyArn, group.KmsKeyID)
		assert.Equal(t, logGroup, up.Outputs["eventLogGroupName"].Value)
		policy := r.LogResourcePolicies["ecr-ecrrepos-e2e-kms-dev-main-events-to-logs"]
		require.NotNil(t, policy, "one log resource policy for the registry")
		assert.Contains(t, policy.PolicyDocument, `arn:aws:events:us-east-1:123456789012:rule/ecr-ecrrepos-e2e-kms-dev-main-event-log-1`)

		assert.Equal(t, []string{
			"ecr-ecrrepos-e2e-kms-dev-main-event-log-1", "ecr-ecrrepos-e2e-kms-dev-main-event-log-2",
			"ecr-ecrrepos-e2e-kms-dev-main-inspector-scan-1", "ecr-ecrrepos-e2e-kms-dev-main-scan-findings-1",
		}, world.Sorted(r.EventRules))
		assert.Contains(t, r.EventRules["ecr-ecrrepos-e2e-kms-dev-main-event-log-1"].EventPattern, `"repository-name":["team/api","team/web"]`)
		topicArn := up.Outputs["alertTopicArn"].Value.(string)
		assert.Equal(t, "arn:aws:sns:us-east-1:123456789012:ecr-ecrrepos-e2e-kms-dev-main-alerts", topicArn)
		scanTarget := r.EventTargets["ecr-ecrrepos-e2e-kms-dev-main-scan-findings-1-alerts"]
		require.NotNil(t, scanTarget, "%v", world.Sorted(r.EventTargets))
		assert.Equal(t, topicArn, scanTarget.ARN)
		assert.Contains(t, scanTarget.InputTransformer["inputTemplate"], "Findings: CRITICAL <critical>, HIGH <high>")
		assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+logGroup, r.EventTargets["ecr-ecrrepos-e2e-kms-dev-main-event-log-1-event-log"].ARN)

		topic := r.Topic(topicArn)
		require.NotNil(t, topic)
		assert.Contains(t, topic.Policy, `"Service":"events.amazonaws.com"`)
		var subs []string
		for _, s := range r.Subscriptions {
			subs = append(subs, s.Protocol+":"+s.Endpoint)
			assert.True(t, s.PendingConfirmation, "an email subscription waits for its confirmation")
		}
		assert.Equal(t, []string{"email:platform@example.com"}, subs)

		alarm := r.MetricAlarms["ecr/ecrrepos-e2e-kms/dev/main/unused/team/api"]
		require.NotNil(t, alarm, "%v", world.Sorted(r.MetricAlarms))
		assert.Equal(t, "RepositoryPullCount", alarm.MetricName)
		assert.Equal(t, map[string]string{"RepositoryName": "team/api"}, alarm.Dimensions)
		assert.Equal(t, map[string]any{"unused/team/api": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ecr/ecrrepos-e2e-kms/dev/main/unused/team/api"},
			up.Outputs["alarmArns"].Value)

		dashboard := aws.load(t).Dashboards["ecr-ecrrepos-e2e-kms-dev-main"]
		require.NotNil(t, dashboard)
		assert.Contains(t, dashboard.DashboardBody, `"RepositoryPullCount"`)
		assert.Equal(t, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=ecr-ecrrepos-e2e-kms-dev-main",
			up.Outputs["dashboardUrl"].Value)
	})

	step(t, "a second preview shows no changes", func(t *testing.T) { noChanges(t, stack) })

	step(t, "a new retention updates only the log group, in place", func(t *testing.T) {
		spec.retention = 365
		_, ops := apply(t)
		assert.Equal(t, []string{"update aws:cloudwatch/logGroup:LogGroup " + logGroup}, ops)
		assert.Equal(t, 365, aws.load(t).Region(region).LogGroups[logGroup].RetentionInDays)
	})

	// The engine deletes what is not protected and then stops at the key:
	// the key (and every image it encrypts) survives a destroy run by mistake.
	step(t, "destroy stops at the protected key and alias, which stay", func(t *testing.T) {
		_, err := stack.Destroy(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "protected")
		r := aws.load(t).Region(region)
		require.Len(t, r.Keys, 1)
		for _, k := range r.Keys {
			assert.Equal(t, "Enabled", k.KeyState)
		}
		assert.Contains(t, r.Aliases, "alias/ecr/ecrrepos-e2e-kms/dev/main")
	})

	step(t, "with the opt-out, up brings the rest back and the key stays the same", func(t *testing.T) {
		spec.protect = false
		up, ops := apply(t)
		for _, op := range ops {
			assert.True(t, strings.HasPrefix(op, "create "), "only what destroy removed is created again: %s", op)
			assert.NotContains(t, op, "aws:kms/")
		}
		_, kmsKey := aws.repositories(t, region)["team/api"].Encryption()
		assert.Equal(t, up.Outputs["kmsKeyArn"].Value, kmsKey)
		noChanges(t, stack)
	})

	step(t, "destroy then removes everything and schedules the key's deletion", func(t *testing.T) {
		_, err := stack.Destroy(ctx)
		require.NoError(t, err)
		w := aws.load(t)
		r := w.Region(region)
		assert.Empty(t, r.Repositories)
		assert.Empty(t, r.Aliases)
		assert.Empty(t, r.LogGroups)
		assert.Empty(t, r.LogResourcePolicies)
		assert.Empty(t, r.EventRules)
		assert.Empty(t, r.EventTargets)
		assert.Empty(t, r.MetricAlarms)
		assert.Empty(t, r.Topics)
		assert.Empty(t, w.Dashboards)
		for _, k := range r.Keys {
			assert.Equal(t, "PendingDeletion", k.KeyState, "KMS deletes a key only after its window")
		}
		var deleted []string
		for _, e := range aws.journal(t) {
			if e.Op == "delete" {
				deleted = append(deleted, e.Type)
			}
		}
		keyAt, aliasAt := slices.Index(deleted, "aws:kms/key:Key"), slices.Index(deleted, "aws:kms/alias:Alias")
		repoAt := slices.IndexFunc(deleted, func(s string) bool { return strings.HasPrefix(s, "aws:ecr/repository:") })
		assert.Less(t, aliasAt, keyAt, "the alias goes before its key")
		assert.Less(t, repoAt, keyAt, "the repositories go before the key that encrypts them")
	})
}
