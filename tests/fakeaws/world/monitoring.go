package world

import "strings"

// LogGroup is a CloudWatch Logs log group (aws:cloudwatch/logGroup:LogGroup).
type LogGroup struct {
	Name            string            `json:"name"`
	ARN             string            `json:"arn"`
	KmsKeyID        string            `json:"kmsKeyId"`
	LogGroupClass   string            `json:"logGroupClass"` // default STANDARD
	RetentionInDays int               `json:"retentionInDays"`
	Tags            map[string]string `json:"tags"`
}

// LogResourcePolicy is a CloudWatch Logs resource policy
// (aws:cloudwatch/logResourcePolicy:LogResourcePolicy); at most 10 per region.
type LogResourcePolicy struct {
	PolicyName     string `json:"policyName"`
	PolicyDocument string `json:"policyDocument"`
}

// EventRule is an EventBridge rule (aws:cloudwatch/eventRule:EventRule).
type EventRule struct {
	Name               string            `json:"name"`
	ARN                string            `json:"arn"`
	Description        string            `json:"description"`
	EventBusName       string            `json:"eventBusName"` // default "default"
	EventPattern       string            `json:"eventPattern"`
	ScheduleExpression string            `json:"scheduleExpression"`
	RoleARN            string            `json:"roleArn"`
	State              string            `json:"state"` // default ENABLED
	IsEnabled          bool              `json:"isEnabled"`
	Tags               map[string]string `json:"tags"`
}

// EventTarget is a target of an EventBridge rule
// (aws:cloudwatch/eventTarget:EventTarget).
type EventTarget struct {
	Rule                    string           `json:"rule"`
	TargetID                string           `json:"targetId"`
	ARN                     string           `json:"arn"`
	EventBusName            string           `json:"eventBusName"`
	RoleARN                 string           `json:"roleArn"`
	Input                   string           `json:"input"`
	InputPath               string           `json:"inputPath"`
	InputTransformer        map[string]any   `json:"inputTransformer,omitempty"`
	DeadLetterConfig        map[string]any   `json:"deadLetterConfig,omitempty"`
	RetryPolicy             map[string]any   `json:"retryPolicy,omitempty"`
	AppsyncTarget           map[string]any   `json:"appsyncTarget,omitempty"`
	BatchTarget             map[string]any   `json:"batchTarget,omitempty"`
	EcsTarget               map[string]any   `json:"ecsTarget,omitempty"`
	HTTPTarget              map[string]any   `json:"httpTarget,omitempty"`
	KinesisTarget           map[string]any   `json:"kinesisTarget,omitempty"`
	RedshiftTarget          map[string]any   `json:"redshiftTarget,omitempty"`
	RunCommandTargets       []map[string]any `json:"runCommandTargets,omitempty"`
	SagemakerPipelineTarget map[string]any   `json:"sagemakerPipelineTarget,omitempty"`
	SqsTarget               map[string]any   `json:"sqsTarget,omitempty"`
}

// MetricAlarm is a CloudWatch metric alarm (aws:cloudwatch/metricAlarm:MetricAlarm).
type MetricAlarm struct {
	Name                              string            `json:"name"`
	ARN                               string            `json:"arn"`
	ComparisonOperator                string            `json:"comparisonOperator"`
	EvaluationPeriods                 int               `json:"evaluationPeriods"`
	Namespace                         string            `json:"namespace"`
	MetricName                        string            `json:"metricName"`
	Dimensions                        map[string]string `json:"dimensions"`
	Period                            int               `json:"period"`
	Statistic                         string            `json:"statistic"`
	ExtendedStatistic                 string            `json:"extendedStatistic"`
	Threshold                         float64           `json:"threshold"`
	ThresholdMetricID                 string            `json:"thresholdMetricId"`
	DatapointsToAlarm                 int               `json:"datapointsToAlarm"`
	TreatMissingData                  string            `json:"treatMissingData"` // default missing
	EvaluateLowSampleCountPercentiles string            `json:"evaluateLowSampleCountPercentiles"`
	Unit                              string            `json:"unit"`
	AlarmDescription                  string            `json:"alarmDescription"`
	ActionsEnabled                    bool              `json:"actionsEnabled"`
	AlarmActions                      []string          `json:"alarmActions"`
	OkActions                         []string          `json:"okActions"`
	InsufficientDataActions           []string          `json:"insufficientDataActions"`
	MetricQueries                     []map[string]any  `json:"metricQueries"`
	Tags                              map[string]string `json:"tags"`
}

// Dashboard is a CloudWatch dashboard (aws:cloudwatch/dashboard:Dashboard);
// dashboards are global.
type Dashboard struct {
	DashboardName string `json:"dashboardName"`
	DashboardARN  string `json:"dashboardArn"`
	DashboardBody string `json:"dashboardBody"` // normalised JSON
}

// Topic is an SNS topic (aws:sns/topic:Topic), by name; its policy is the one
// aws:sns/topicPolicy:TopicPolicy sets.
type Topic struct {
	Name                                 string            `json:"name"`
	ARN                                  string            `json:"arn"`
	Owner                                string            `json:"owner"`
	Policy                               string            `json:"policy"` // normalised JSON; AWS's default policy unless set
	DisplayName                          string            `json:"displayName"`
	KmsMasterKeyID                       string            `json:"kmsMasterKeyId"`
	FifoTopic                            bool              `json:"fifoTopic"`
	ContentBasedDeduplication            bool              `json:"contentBasedDeduplication"`
	FifoThroughputScope                  string            `json:"fifoThroughputScope"`
	DeliveryPolicy                       string            `json:"deliveryPolicy"`
	ArchivePolicy                        string            `json:"archivePolicy"`
	BeginningArchiveTime                 string            `json:"beginningArchiveTime"`
	SignatureVersion                     int               `json:"signatureVersion"`
	TracingConfig                        string            `json:"tracingConfig"`
	ApplicationFailureFeedbackRoleARN    string            `json:"applicationFailureFeedbackRoleArn"`
	ApplicationSuccessFeedbackRoleARN    string            `json:"applicationSuccessFeedbackRoleArn"`
	ApplicationSuccessFeedbackSampleRate int               `json:"applicationSuccessFeedbackSampleRate"`
	FirehoseFailureFeedbackRoleARN       string            `json:"firehoseFailureFeedbackRoleArn"`
	FirehoseSuccessFeedbackRoleARN       string            `json:"firehoseSuccessFeedbackRoleArn"`
	FirehoseSuccessFeedbackSampleRate    int               `json:"firehoseSuccessFeedbackSampleRate"`
	HTTPFailureFeedbackRoleARN           string            `json:"httpFailureFeedbackRoleArn"`
	HTTPSuccessFeedbackRoleARN           string            `json:"httpSuccessFeedbackRoleArn"`
	HTTPSuccessFeedbackSampleRate        int               `json:"httpSuccessFeedbackSampleRate"`
	LambdaFailureFeedbackRoleARN         string            `json:"lambdaFailureFeedbackRoleArn"`
	LambdaSuccessFeedbackRoleARN         string            `json:"lambdaSuccessFeedbackRoleArn"`
	LambdaSuccessFeedbackSampleRate      int               `json:"lambdaSuccessFeedbackSampleRate"`
	SqsFailureFeedbackRoleARN            string            `json:"sqsFailureFeedbackRoleArn"`
	SqsSuccessFeedbackRoleARN            string            `json:"sqsSuccessFeedbackRoleArn"`
	SqsSuccessFeedbackSampleRate         int               `json:"sqsSuccessFeedbackSampleRate"`
	Tags                                 map[string]string `json:"tags"`
}

// DefaultTopicPolicy is the policy SNS gives a new topic, and the one
// terraform-provider-aws puts back when a TopicPolicy is deleted.
func DefaultTopicPolicy(topicARN string) string {
	return `{"Id":"__default_policy_ID","Statement":[{"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes",` +
		`"SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic",` +
		`"SNS:Publish","SNS:Receive"],"Condition":{"StringEquals":{"AWS:SourceOwner":"` + Account + `"}},"Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Resource":"` + topicARN + `","Sid":"__default_statement_ID"}],"Version":"2008-10-17"}`
}

// TopicSubscription is an SNS subscription (aws:sns/topicSubscription:TopicSubscription), by ARN.
type TopicSubscription struct {
	ARN                          string `json:"arn"`
	Topic                        string `json:"topic"` // the topic ARN
	Protocol                     string `json:"protocol"`
	Endpoint                     string `json:"endpoint"`
	OwnerID                      string `json:"ownerId"`
	PendingConfirmation          bool   `json:"pendingConfirmation"` // email and unconfirmed http(s) endpoints
	ConfirmationWasAuthenticated bool   `json:"confirmationWasAuthenticated"`
	DeliveryPolicy               string `json:"deliveryPolicy"`
	FilterPolicy                 string `json:"filterPolicy"`
	FilterPolicyScope            string `json:"filterPolicyScope"`
	RawMessageDelivery           bool   `json:"rawMessageDelivery"`
	RedrivePolicy                string `json:"redrivePolicy"`
	ReplayPolicy                 string `json:"replayPolicy"`
	SubscriptionRoleARN          string `json:"subscriptionRoleArn"`
}

// Topic returns the topic with the given ARN, or nil.
func (r *Region) Topic(arn string) *Topic {
	for _, t := range r.Topics {
		if t.ARN == arn {
			return t
		}
	}
	return nil
}

func (r *Region) completeMonitoring(region string) {
	for name, g := range r.LogGroups {
		g.Name, g.LogGroupClass = or(g.Name, name), or(g.LogGroupClass, "STANDARD")
		g.ARN = or(g.ARN, RegionARN("logs", region, "log-group:"+g.Name))
		initMap(&g.Tags)
	}
	for name, p := range r.LogResourcePolicies {
		p.PolicyName = or(p.PolicyName, name)
	}
	for id, rule := range r.EventRules {
		rule.Name = or(rule.Name, id[strings.LastIndex(id, "/")+1:])
		rule.EventBusName, rule.State = or(rule.EventBusName, "default"), or(rule.State, "ENABLED")
		rule.IsEnabled = rule.State != "DISABLED"
		path := "rule/" + rule.Name
		if rule.EventBusName != "default" {
			path = "rule/" + rule.EventBusName + "/" + rule.Name
		}
		rule.ARN = or(rule.ARN, RegionARN("events", region, path))
		initMap(&rule.Tags)
	}
	for _, t := range r.EventTargets {
		t.EventBusName = or(t.EventBusName, "default")
	}
	for name, a := range r.MetricAlarms {
		a.Name, a.TreatMissingData = or(a.Name, name), or(a.TreatMissingData, "missing")
		a.ARN = or(a.ARN, RegionARN("cloudwatch", region, "alarm:"+a.Name))
		initMap(&a.Tags)
	}
	for name, t := range r.Topics {
		t.Name = or(t.Name, name)
		t.ARN, t.Owner = or(t.ARN, RegionARN("sns", region, t.Name)), or(t.Owner, Account)
		t.Policy = or(t.Policy, DefaultTopicPolicy(t.ARN))
		if t.SignatureVersion == 0 {
			t.SignatureVersion = 1
		}
		initMap(&t.Tags)
	}
	for arn, s := range r.Subscriptions {
		s.ARN, s.OwnerID = or(s.ARN, arn), or(s.OwnerID, Account)
	}
}
