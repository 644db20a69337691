package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// EventLogArgs is monitoring.eventLog (schema type EventLog): EventBridge
// rules for the registry's repositories, delivering to a CloudWatch log
// group, and the one CloudWatch Logs resource policy that lets them write.
type EventLogArgs struct {
	RetentionInDays *int               `pulumi:"retentionInDays,optional"`
	LogGroupName    *string            `pulumi:"logGroupName,optional"`
	KmsKeyArn       pulumi.StringInput `pulumi:"kmsKeyArn,optional"`
	UseCreatedKey   *bool              `pulumi:"useCreatedKey,optional"`
}

var _ infer.Annotated = (*EventLogArgs)(nil)

// Annotate documents the event log.
func (e *EventLogArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "EventLog")
	a.Describe(e, "A CloudWatch log group receiving the ECR events of the registry's repositories only: pushes and deletes (ECR Image Action), "+
		"basic and enhanced scans (ECR Image Scan, Inspector2 Scan), replications and pull-through cache syncs. AWS sends these events on a best-effort basis. "+
		"EventBridge writes through one CloudWatch Logs resource policy per registry; an account has at most 10 such policies per region, "+
		"shared with every other service and tool.")
	a.Describe(&e.RetentionInDays, "Days CloudWatch Logs keeps events: 0 (forever), 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, "+
		"1827, 2192, 2557, 2922, 3288 or 3653 (default 90).")
	a.Describe(&e.LogGroupName, "The log group's name. Default `/aws/events/ecr/<project>/<stack>/<registry>`: the EventBridge console lists only "+
		"groups under `/aws/events/`. Renaming replaces the group, and its events are lost.")
	a.Describe(&e.KmsKeyArn, "ARN of an existing KMS key (in the registry's region) to encrypt the events with; its policy must let "+
		"`logs.<region>.amazonaws.com` use it. May be an output.")
	a.Describe(&e.UseCreatedKey, "Encrypt the events with the key `encryption.kms` creates (default `false`); its key policy then lets CloudWatch Logs "+
		"use it for this log group only.")
}

func (e *EventLogArgs) toConfig(in *arguments) *config.EventLog {
	if e == nil {
		return nil
	}
	return &config.EventLog{RetentionInDays: e.RetentionInDays, LogGroupName: e.LogGroupName, KmsKeyArn: in.text(e.KmsKeyArn), UseCreatedKey: e.UseCreatedKey}
}

// registerEventLog registers the log group, its resource policy, and a rule
// and target per share of the repositories.
func (r *registration) registerEventLog(m *config.MonitoringPlan) error {
	e := m.EventLog
	if e == nil {
		return nil
	}
	args := &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(e.LogGroupName),
		RetentionInDays: pulumi.Int(e.RetentionInDays),
		Tags:            r.wideChildTags(),
	}
	switch {
	case e.KmsKeyArn != nil:
		args.KmsKeyId = r.in.input(*e.KmsKeyArn)
	case e.UseCreatedKey && r.kms != nil:
		args.KmsKeyId = r.kms.arn
	}
	group, err := cloudwatch.NewLogGroup(r.ctx, r.childName("event-log"), args, r.wideChildOptions()...)
	if err != nil {
		return err
	}
	policy, err := cloudwatch.NewLogResourcePolicy(r.ctx, r.childName("event-log"), &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(e.ResourcePolicyName),
		PolicyDocument: r.document(e.ResourcePolicy, func(p *config.Plan) config.Document { return p.Monitoring.EventLog.ResourcePolicy }),
	}, r.wideChildOptions()...)
	if err != nil {
		return err
	}
	for i, rule := range e.Rules {
		pick := func(p *config.Plan) config.Document { return p.Monitoring.EventLog.Rules[i].Pattern }
		if err := r.registerRule(rule, pick, group.Arn, nil, "event-log", policy); err != nil {
			return err
		}
	}
	r.comp.EventLogGroupName = group.Name
	return nil
}

// registerRule registers an EventBridge rule of the default bus and its one
// target: arn, with the rule's input transformer, after waitFor (the policy
// that lets EventBridge deliver). Rules are named, not autonamed: the
// policies name them, and a rule name must not hold the "/" of child names.
func (r *registration) registerRule(rule config.RulePlan, pick func(*config.Plan) config.Document, arn pulumi.StringInput,
	transformer *cloudwatch.EventTargetInputTransformerArgs, targetID string, waitFor ...pulumi.Resource) error {
	res, err := cloudwatch.NewEventRule(r.ctx, r.childName(rule.Key), &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(rule.Name),
		Description:  pulumi.String(truncate(rule.Description, 512)),
		EventPattern: r.document(rule.Pattern, pick),
		Tags:         r.wideChildTags(),
	}, r.wideChildOptions()...)
	if err != nil {
		return err
	}
	target := &cloudwatch.EventTargetArgs{Rule: res.Name, Arn: arn, TargetId: pulumi.String(targetID)}
	if transformer != nil {
		target.InputTransformer = transformer
	}
	_, err = cloudwatch.NewEventTarget(r.ctx, r.childName(rule.Key), target, r.wideChildOptions(pulumi.DependsOn(waitFor))...)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
