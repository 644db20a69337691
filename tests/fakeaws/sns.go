package main

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

func snsError(verb, what, id, op, code, msg string) error {
	return fmt.Errorf("%s SNS %s (%s): %s", verb, what, id, awsError("SNS", 400, op, code, msg))
}

func sampleRate(name string) field { return num(name).valid(intBetween(0, 100)) }

// topicType emulates aws:sns/topic:Topic (ID = ARN), following
// terraform-provider-aws internal/service/sns/topic.go: name, namePrefix and
// fifoTopic are ForceNew, the rest updates in place. CreateTopic is
// idempotent: for a name that exists it returns that topic when the
// attributes are the same, and fails when they differ. Deleting a topic
// deletes its subscriptions.
var topicType = &resourceType{
	token: "aws:sns/topic:Topic",
	fields: []field{
		str("name").forceNew().computed().autoname(256).valid(matches(topicNameRE)),
		str("namePrefix").forceNew().stateOnly(),
		boolean("fifoTopic").forceNew().def(false),
		str("displayName").valid(lenBetween(0, 100)),
		jsonStr("policy").computed(),
		jsonStr("deliveryPolicy"),
		jsonStr("archivePolicy"),
		str("kmsMasterKeyId"),
		boolean("contentBasedDeduplication").def(false),
		str("fifoThroughputScope").computed().oneOf("Topic", "MessageGroup"),
		num("signatureVersion").computed().valid(intIn(1, 2)),
		str("tracingConfig").oneOf("PassThrough", "Active"),
		str("applicationFailureFeedbackRoleArn"), str("applicationSuccessFeedbackRoleArn"), sampleRate("applicationSuccessFeedbackSampleRate"),
		str("firehoseFailureFeedbackRoleArn"), str("firehoseSuccessFeedbackRoleArn"), sampleRate("firehoseSuccessFeedbackSampleRate"),
		str("httpFailureFeedbackRoleArn"), str("httpSuccessFeedbackRoleArn"), sampleRate("httpSuccessFeedbackSampleRate"),
		str("lambdaFailureFeedbackRoleArn"), str("lambdaSuccessFeedbackRoleArn"), sampleRate("lambdaSuccessFeedbackSampleRate"),
		str("sqsFailureFeedbackRoleArn"), str("sqsSuccessFeedbackRoleArn"), sampleRate("sqsSuccessFeedbackSampleRate"),
		tags(),
	},
	outputs: []string{"arn", "owner", "beginningArchiveTime"},
	check: func(in map[string]any, fails *checkFailures) {
		if name, ok := in["name"].(string); ok && (in["fifoTopic"] == true) != strings.HasSuffix(name, ".fifo") {
			fails.add("name", "the name of a FIFO topic, and only of a FIFO topic, ends with .fifo, got %s", name)
		}
	},
	idKey:  "arn",
	record: func() any { return &world.Topic{} },
	get: func(c *call) any {
		if t := c.r().Topic(c.id); t != nil {
			return t
		}
		return nil
	},
	put: func(c *call, rec any) error { t := rec.(*world.Topic); c.r().Topics[t.Name] = t; return nil },
	remove: func(c *call) error {
		if t := c.r().Topic(c.id); t != nil {
			delete(c.r().Topics, t.Name)
			for arn, s := range c.r().Subscriptions {
				if s.Topic == t.ARN {
					delete(c.r().Subscriptions, arn)
				}
			}
		}
		return nil
	},
	create: func(c *call, rec any) error {
		t := rec.(*world.Topic)
		t.ARN = world.RegionARN("sns", c.region, t.Name)
		if old := c.r().Topics[t.Name]; old != nil {
			existing := encode(old)
			for k, v := range c.in {
				if was, ok := existing[k]; ok && k != "tags" && !reflect.DeepEqual(was, v) {
					return snsError("creating", "Topic", t.Name, "CreateTopic", "InvalidParameterException",
						"Invalid parameter: Attributes Reason: Topic already exists with different attributes")
				}
			}
			*t = *old // the same topic
		}
		return nil
	},
	notFound: func(c *call) error {
		return snsError("updating", "Topic", c.id, "SetTopicAttributes", "NotFoundException", "Topic does not exist")
	},
}

// topicPolicy is the view of a topic's policy.
type topicPolicy struct {
	ARN    string `json:"arn"`
	Policy string `json:"policy"`
	Owner  string `json:"owner"`
}

// topicPolicyType emulates aws:sns/topicPolicy:TopicPolicy (ID = topic ARN),
// following terraform-provider-aws internal/service/sns/topic_policy.go: arn
// is ForceNew, policy updates in place. A topic's policy cannot be removed:
// Delete puts SNS's default policy back.
var topicPolicyType = &resourceType{
	token:   "aws:sns/topicPolicy:TopicPolicy",
	fields:  []field{str("arn").required().forceNew().valid(validARN), doc("policy").required()},
	outputs: []string{"owner"},
	idKey:   "arn",
	record:  func() any { return &topicPolicy{} },
	get: func(c *call) any {
		if t := c.r().Topic(c.id); t != nil {
			return &topicPolicy{ARN: t.ARN, Policy: t.Policy, Owner: t.Owner}
		}
		return nil
	},
	put: func(c *call, rec any) error {
		p := rec.(*topicPolicy)
		t := c.r().Topic(p.ARN)
		if t == nil {
			return snsError("setting", "Topic Policy", p.ARN, "SetTopicAttributes", "NotFoundException", "Topic does not exist")
		}
		t.Policy = p.Policy
		return nil
	},
	remove: func(c *call) error {
		if t := c.r().Topic(c.id); t != nil {
			t.Policy = world.DefaultTopicPolicy(t.ARN)
		}
		return nil
	},
}

// topicSubscriptionType emulates aws:sns/topicSubscription:TopicSubscription
// (ID = subscription ARN), following terraform-provider-aws
// internal/service/sns/topic_subscription.go: topic, protocol and endpoint
// are ForceNew, the rest updates in place. Email subscriptions, and http(s)
// ones without endpointAutoConfirms, stay pending confirmation; a pending
// subscription cannot be unsubscribed (terraform-provider-aws ignores that),
// so it stays.
var topicSubscriptionType = &resourceType{
	token: "aws:sns/topicSubscription:TopicSubscription",
	fields: []field{
		ref("topic").required().forceNew(),
		str("protocol").required().forceNew().oneOf("application", "firehose", "lambda", "sms", "sqs", "email", "email-json", "http", "https"),
		str("endpoint").required().forceNew(),
		num("confirmationTimeoutInMinutes").def(1.0).stateOnly(),
		boolean("endpointAutoConfirms").def(false).stateOnly(),
		jsonStr("deliveryPolicy"),
		jsonStr("filterPolicy"),
		str("filterPolicyScope").computed().oneOf("MessageAttributes", "MessageBody"),
		boolean("rawMessageDelivery").def(false),
		jsonStr("redrivePolicy"),
		jsonStr("replayPolicy"),
		str("subscriptionRoleArn").valid(validARN),
	},
	outputs: []string{"arn", "confirmationWasAuthenticated", "ownerId", "pendingConfirmation"},
	records: func(c *call) any { return c.r().Subscriptions },
	idKey:   "arn",
	create: func(c *call, rec any) error {
		s := rec.(*world.TopicSubscription)
		if c.r().Topic(s.Topic) == nil {
			return fmt.Errorf("creating SNS Topic Subscription: %s", awsError("SNS", 404, "Subscribe", "NotFoundException", "Topic does not exist"))
		}
		s.ARN = s.Topic + ":" + newUUID()
		s.PendingConfirmation = strings.HasPrefix(s.Protocol, "email") ||
			(strings.HasPrefix(s.Protocol, "http") && c.in["endpointAutoConfirms"] != true)
		s.ConfirmationWasAuthenticated = !s.PendingConfirmation
		if s.FilterPolicy != "" && s.FilterPolicyScope == "" {
			s.FilterPolicyScope = "MessageAttributes"
		}
		return nil
	},
	remove: func(c *call) error {
		if s := c.r().Subscriptions[c.id]; s != nil && !s.PendingConfirmation {
			delete(c.r().Subscriptions, c.id)
		}
		return nil
	},
	notFound: func(c *call) error {
		return snsError("updating", "Topic Subscription", c.id, "SetSubscriptionAttributes", "NotFoundException", "Subscription does not exist")
	},
}
