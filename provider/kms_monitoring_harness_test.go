package provider

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The mock engine's outputs for the registry-wide children of issue #12:
// what pulumi-aws computes for them.

const (
	kmsKeyType       = "aws:kms/key:Key"
	kmsAliasType     = "aws:kms/alias:Alias"
	logGroupType     = "aws:cloudwatch/logGroup:LogGroup"
	logPolicyType    = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
	eventRuleType    = "aws:cloudwatch/eventRule:EventRule"
	eventTargetType  = "aws:cloudwatch/eventTarget:EventTarget"
	metricAlarmType  = "aws:cloudwatch/metricAlarm:MetricAlarm"
	dashboardType    = "aws:cloudwatch/dashboard:Dashboard"
	topicType        = "aws:sns/topic:Topic"
	topicPolicyType  = "aws:sns/topicPolicy:TopicPolicy"
	subscriptionType = "aws:sns/topicSubscription:TopicSubscription"
	createdKeyArn    = "arn:aws:kms:eu-west-1:123456789012:key/created-key"
)

func (m *mocks) wideOutputs(a pulumi.MockResourceArgs, id string, outputs resource.PropertyMap) {
	name := func(key string) string {
		if v := a.Inputs[resource.PropertyKey(key)]; v.IsString() {
			return v.StringValue()
		}
		return id
	}
	arn := func(service, rest string) {
		outputs["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, testRegion, testAccount, rest))
	}
	switch a.TypeToken {
	case kmsKeyType:
		outputs["keyId"] = resource.NewProperty("created-key")
		outputs["arn"] = resource.NewProperty(createdKeyArn)
		if m.keyCreatedNow {
			outputs["arn"] = resource.MakeComputed(resource.NewProperty(""))
		}
	case kmsAliasType:
		arn("kms", name("name"))
	case logGroupType:
		arn("logs", "log-group:"+name("name"))
	case eventRuleType:
		arn("events", "rule/"+name("name"))
	case metricAlarmType:
		arn("cloudwatch", "alarm:"+name("name"))
	case topicType:
		arn("sns", name("name"))
	case dashboardType:
		outputs["dashboardArn"] = resource.NewProperty("arn:aws:cloudwatch::" + testAccount + ":dashboard/" + name("dashboardName"))
	}
}
