package main

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdkArgs are the pulumi-aws v6.83.2 Go SDK argument types of the emulated
// resources: their ElementType is the struct of input properties.
var sdkArgs = map[string]interface{ ElementType() reflect.Type }{
	tokRepository:       ecr.RepositoryArgs{},
	tokRepositoryPolicy: ecr.RepositoryPolicyArgs{},
	tokLifecyclePolicy:  ecr.LifecyclePolicyArgs{},
	tokRole:             iam.RoleArgs{},

	tokReplication:       ecr.ReplicationConfigurationArgs{},
	tokRegistryPolicy:    ecr.RegistryPolicyArgs{},
	tokRegistryScanning:  ecr.RegistryScanningConfigurationArgs{},
	tokPullThroughCache:  ecr.PullThroughCacheRuleArgs{},
	tokCreationTemplate:  ecr.RepositoryCreationTemplateArgs{},
	tokSecret:            secretsmanager.SecretArgs{},
	tokSecretVersion:     secretsmanager.SecretVersionArgs{},
	tokParameter:         ssm.ParameterArgs{},
	tokKey:               kms.KeyArgs{},
	tokAlias:             kms.AliasArgs{},
	tokLogGroup:          cloudwatch.LogGroupArgs{},
	tokLogResourcePolicy: cloudwatch.LogResourcePolicyArgs{},
	tokEventRule:         cloudwatch.EventRuleArgs{},
	tokEventTarget:       cloudwatch.EventTargetArgs{},
	tokMetricAlarm:       cloudwatch.MetricAlarmArgs{},
	tokDashboard:         cloudwatch.DashboardArgs{},
	tokTopic:             sns.TopicArgs{},
	tokTopicPolicy:       sns.TopicPolicyArgs{},
	tokSubscription:      sns.TopicSubscriptionArgs{},
}

// TestInputsMatchTheSDK checks every descriptor against the pulumi-aws SDK:
// the same input properties (nested ones included), of the same kinds. So
// the double accepts every input pulumi-aws defines and nothing else.
func TestInputsMatchTheSDK(t *testing.T) {
	t.Parallel()
	for tok, rt := range resourceTypes {
		t.Run(tok, func(t *testing.T) {
			t.Parallel()
			args, ok := sdkArgs[tok]
			require.True(t, ok, "add the SDK args of %s to sdkArgs", tok)
			var problems []string
			compareFields(&problems, "", rt.fields, args.ElementType())
			assert.Empty(t, problems)
		})
	}
}

// TestRecordsHoldEveryAWSInput checks that the world record of every type has
// a field for each input AWS stores, so that a Read by ID (refresh, import)
// gives back what was created.
func TestRecordsHoldEveryAWSInput(t *testing.T) {
	t.Parallel()
	for tok, rt := range resourceTypes {
		keys := map[string]bool{}
		typ := reflect.TypeOf(rt.record()).Elem()
		for i := range typ.NumField() {
			keys[strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]] = true
		}
		for _, f := range rt.fields {
			if !f.notAWS && !f.unsupported {
				assert.True(t, keys[f.name], "%s: %s has no field %q", tok, typ, f.name)
			}
		}
	}
}

func compareFields(problems *[]string, path string, fields []field, sdk reflect.Type) {
	want := map[string]reflect.Type{}
	for i := range sdk.NumField() {
		want[sdk.Field(i).Tag.Get("pulumi")] = sdk.Field(i).Type
	}
	for _, f := range fields {
		typ, ok := want[f.name]
		delete(want, f.name)
		if !ok {
			*problems = append(*problems, fmt.Sprintf("%s: not an input of pulumi-aws", join(path, f.name)))
			continue
		}
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if got := sdkKind(typ); got != f.kind && (got != kDoc || f.kind != kRef) {
			*problems = append(*problems, fmt.Sprintf("%s: kind %d, pulumi-aws has %s", join(path, f.name), f.kind, typ))
		} else if f.kind == kObject {
			compareFields(problems, join(path, f.name), f.sub, typ)
		} else if f.kind == kObjectList {
			compareFields(problems, join(path, f.name), f.sub, typ.Elem())
		}
	}
	for _, name := range sortedKeys(want) {
		*problems = append(*problems, fmt.Sprintf("%s: input of pulumi-aws missing from the descriptor", join(path, name)))
	}
}

func sdkKind(t reflect.Type) kind {
	switch t.Kind() {
	case reflect.String:
		return kString
	case reflect.Bool:
		return kBool
	case reflect.Int, reflect.Float64:
		return kNumber
	case reflect.Interface:
		return kDoc
	case reflect.Map:
		return kStringMap
	case reflect.Struct:
		return kObject
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return kObjectList
		}
		return kStringList
	}
	return -1
}
