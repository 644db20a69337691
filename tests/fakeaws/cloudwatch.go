package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

var (
	logGroupNameRE = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)
	ruleNameRE     = regexp.MustCompile(`^[0-9A-Za-z_.-]+$`)
	targetIDRE     = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)
)

// logGroupType emulates aws:cloudwatch/logGroup:LogGroup (ID = name),
// following terraform-provider-aws internal/service/logs/group.go: name,
// namePrefix and logGroupClass are ForceNew; kmsKeyId, retentionInDays and
// tags update in place. With skipDestroy, delete leaves the group in AWS.
var logGroupType = &resourceType{
	token: "aws:cloudwatch/logGroup:LogGroup",
	fields: []field{
		str("name").forceNew().computed().autoname(255).valid(lenBetween(1, 512)).valid(matches(logGroupNameRE)),
		str("namePrefix").forceNew().stateOnly().valid(lenBetween(1, 483)),
		str("logGroupClass").forceNew().computed().oneOf("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"),
		str("kmsKeyId"),
		num("retentionInDays").def(0.0).valid(intIn(0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
			1827, 2192, 2557, 2922, 3288, 3653)),
		boolean("skipDestroy").def(false).stateOnly(),
		tags(),
	},
	outputs: []string{"arn"},
	records: func(c *call) any { return c.r().LogGroups },
	idKey:   "name",
	remove: func(c *call) error {
		if c.old["skipDestroy"] != true {
			delete(c.r().LogGroups, c.id)
		}
		return nil
	},
	create: func(c *call, rec any) error {
		if name := rec.(*world.LogGroup).Name; c.r().LogGroups[name] != nil {
			return fmt.Errorf("creating CloudWatch Logs Log Group (%s): %s", name, awsError("CloudWatch Logs", 400, "CreateLogGroup",
				"ResourceAlreadyExistsException", "The specified log group already exists"))
		}
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating CloudWatch Logs Log Group (%s): %s", c.id, awsError("CloudWatch Logs", 400, "PutRetentionPolicy",
			"ResourceNotFoundException", "The specified log group does not exist."))
	},
}

// logResourcePolicyType emulates aws:cloudwatch/logResourcePolicy:LogResourcePolicy
// (ID = policy name): policyName is ForceNew, policyDocument updates in
// place. PutResourcePolicy overwrites a policy of the same name silently; a
// region holds at most 10 policies, each at most 5,120 characters.
var logResourcePolicyType = &resourceType{
	token:   "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
	fields:  []field{str("policyName").required().forceNew(), doc("policyDocument").required()},
	records: func(c *call) any { return c.r().LogResourcePolicies },
	idKey:   "policyName",
	validate: func(c *call, rec any) error {
		p := rec.(*world.LogResourcePolicy)
		fail := func(code, msg string) error {
			return fmt.Errorf("putting CloudWatch Logs Resource Policy (%s): %s", p.PolicyName,
				awsError("CloudWatch Logs", 400, "PutResourcePolicy", code, msg))
		}
		switch _, exists := c.r().LogResourcePolicies[p.PolicyName]; {
		case len(p.PolicyDocument) > 5120:
			return fail("InvalidParameterException", "1 validation error detected: Value at 'policyDocument' failed to satisfy "+
				"constraint: Member must have length less than or equal to 5120")
		case !exists && len(c.r().LogResourcePolicies) >= 10:
			return fail("LimitExceededException", "Resource limit exceeded.")
		}
		return nil
	},
}

// ruleID is terraform-provider-aws's ID of an EventBridge rule.
func ruleID(bus, name string) string {
	if bus == "" || bus == "default" {
		return name
	}
	return bus + "/" + name
}

// eventRuleType emulates aws:cloudwatch/eventRule:EventRule (ID = name, or
// <bus>/<name>), following terraform-provider-aws
// internal/service/events/rule.go: name, namePrefix and eventBusName are
// ForceNew, the rest updates in place. PutRule upserts: a rule of the same
// name is overwritten silently. A rule that still has targets cannot be
// deleted (terraform-provider-aws retries for 5 minutes, then fails).
var eventRuleType = &resourceType{
	token: "aws:cloudwatch/eventRule:EventRule",
	fields: []field{
		str("name").forceNew().computed().autoname(255).valid(lenBetween(1, 64)).valid(matches(ruleNameRE)),
		str("namePrefix").forceNew().stateOnly().valid(lenBetween(1, 38)).valid(matches(ruleNameRE)),
		str("eventBusName").forceNew().def("default"),
		str("description").valid(lenBetween(0, 512)),
		jsonStr("eventPattern").valid(lenBetween(0, 4096)),
		str("scheduleExpression").valid(lenBetween(0, 256)),
		str("roleArn").valid(validARN),
		str("state").computed().oneOf("DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
		boolean("isEnabled").computed(),
		boolean("forceDestroy").def(false).stateOnly(),
		tags(),
	},
	outputs: []string{"arn"},
	check: func(in map[string]any, fails *checkFailures) {
		if in["eventPattern"] == nil && in["scheduleExpression"] == nil {
			fails.add("eventPattern", `"event_pattern": one of `+"`event_pattern,schedule_expression`"+` must be specified`)
		}
		if in["state"] != nil && in["isEnabled"] != nil {
			fails.add("state", `"state": conflicts with is_enabled`)
		}
	},
	records: func(c *call) any { return c.r().EventRules },
	remove: func(c *call) error {
		for _, t := range c.r().EventTargets {
			if ruleID(t.EventBusName, t.Rule) == c.id {
				return fmt.Errorf("deleting EventBridge Rule (%s): %s", c.id, awsError("EventBridge", 400, "DeleteRule",
					"ValidationException", "Rule can't be deleted since it has targets."))
			}
		}
		delete(c.r().EventRules, c.id)
		return nil
	},
	validate: func(c *call, rec any) error { // the deprecated isEnabled sets the state
		if r := rec.(*world.EventRule); c.in["state"] == nil && c.in["isEnabled"] != nil {
			r.State = map[bool]string{true: "ENABLED", false: "DISABLED"}[c.in["isEnabled"] == true]
		}
		return nil
	},
	create: func(c *call, rec any) error {
		r := rec.(*world.EventRule)
		c.id = ruleID(r.EventBusName, r.Name)
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating EventBridge Rule (%s): %s", c.id, awsError("EventBridge", 400, "PutRule",
			"ResourceNotFoundException", "Rule "+c.id+" does not exist."))
	},
}

// eventTargetType emulates aws:cloudwatch/eventTarget:EventTarget (ID =
// [<bus>-]<rule>-<target ID>), following terraform-provider-aws
// internal/service/events/target.go: rule, targetId and eventBusName are
// ForceNew, the rest updates in place; an omitted targetId is generated. The
// rule must exist.
var eventTargetType = &resourceType{
	token: "aws:cloudwatch/eventTarget:EventTarget",
	fields: []field{
		str("rule").required().forceNew(),
		str("targetId").forceNew().computed().valid(lenBetween(1, 64)).valid(matches(targetIDRE)),
		str("arn").required(),
		str("eventBusName").forceNew().def("default"),
		str("roleArn").valid(validARN),
		str("input").valid(lenBetween(0, 8192)),
		str("inputPath").valid(lenBetween(0, 256)),
		obj("inputTransformer", strMap("inputPaths"), str("inputTemplate").required().valid(lenBetween(1, 8192))),
		obj("deadLetterConfig", str("arn").valid(validARN)),
		obj("retryPolicy", num("maximumEventAgeInSeconds").valid(intBetween(60, 86400)),
			num("maximumRetryAttempts").valid(intBetween(0, 185))),
		obj("appsyncTarget", str("graphqlOperation")),
		obj("batchTarget", num("arraySize"), num("jobAttempts"), str("jobDefinition").required(), str("jobName").required()),
		obj("ecsTarget",
			objList("capacityProviderStrategies", num("base"), str("capacityProvider").required(), num("weight")),
			boolean("enableEcsManagedTags"), boolean("enableExecuteCommand"), str("group"), str("launchType"),
			obj("networkConfiguration", boolean("assignPublicIp"), strList("securityGroups"), strList("subnets").required()),
			objList("orderedPlacementStrategies", str("field"), str("type").required()),
			objList("placementConstraints", str("expression"), str("type").required()),
			str("platformVersion"), str("propagateTags"), strMap("tags"), num("taskCount"), str("taskDefinitionArn").required()),
		obj("httpTarget", strMap("headerParameters"), strList("pathParameterValues"), strMap("queryStringParameters")),
		obj("kinesisTarget", str("partitionKeyPath")),
		obj("redshiftTarget", str("database").required(), str("dbUser"), str("secretsManagerArn"), str("sql"),
			str("statementName"), boolean("withEvent")),
		objList("runCommandTargets", str("key").required(), strList("values").required()).valid(maxItems(5)),
		obj("sagemakerPipelineTarget", objList("pipelineParameterLists", str("name").required(), str("value").required())),
		obj("sqsTarget", str("messageGroupId")),
		boolean("forceDestroy").def(false).stateOnly(),
	},
	check: func(in map[string]any, fails *checkFailures) {
		set := 0
		for _, k := range []string{"input", "inputPath", "inputTransformer"} {
			if in[k] != nil {
				set++
			}
		}
		if set > 1 {
			fails.add("input", `"input": conflicts with input_path and input_transformer`)
		}
		paths := asMap(asMap(in["inputTransformer"])["inputPaths"])
		if len(paths) > 100 {
			fails.add("inputTransformer.inputPaths", "at most 100 input paths, got %d", len(paths))
		}
		for _, k := range sortedKeys(paths) {
			if strings.HasPrefix(k, "AWS") {
				fails.add("inputTransformer.inputPaths", "input path names must not start with \"AWS\", got %s", k)
			}
		}
	},
	records: func(c *call) any { return c.r().EventTargets },
	create: func(c *call, rec any) error {
		t := rec.(*world.EventTarget)
		if c.r().EventRules[ruleID(t.EventBusName, t.Rule)] == nil {
			return fmt.Errorf("creating EventBridge Target (%s): %s", t.Rule, awsError("EventBridge", 400, "PutTargets",
				"ResourceNotFoundException", fmt.Sprintf("Rule %s does not exist on EventBus %s.", t.Rule, t.EventBusName)))
		}
		if t.TargetID == "" {
			t.TargetID = prefixedUniqueID("terraform-")
		}
		c.id = t.Rule + "-" + t.TargetID
		if t.EventBusName != "default" {
			c.id = t.EventBusName + "-" + c.id
		}
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating EventBridge Target (%s): %s", c.id, awsError("EventBridge", 400, "PutTargets",
			"ResourceNotFoundException", "Target "+c.id+" does not exist."))
	},
}

// metricAlarmType emulates aws:cloudwatch/metricAlarm:MetricAlarm (ID =
// name), following terraform-provider-aws
// internal/service/cloudwatch/metric_alarm.go: the name is ForceNew, the rest
// updates in place. PutMetricAlarm upserts: an alarm of the same name is
// overwritten silently.
var metricAlarmType = &resourceType{
	token: "aws:cloudwatch/metricAlarm:MetricAlarm",
	fields: []field{
		str("name").forceNew().autoname(255).valid(lenBetween(1, 255)),
		str("comparisonOperator").required().oneOf("GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
			"LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
			"LessThanLowerThreshold", "GreaterThanUpperThreshold"),
		num("evaluationPeriods").required().valid(intBetween(1, 1<<31-1)),
		str("namespace").valid(lenBetween(1, 255)),
		str("metricName").valid(lenBetween(1, 255)),
		strMap("dimensions"),
		num("period"),
		str("statistic").oneOf("SampleCount", "Average", "Sum", "Minimum", "Maximum"),
		str("extendedStatistic"),
		num("threshold"),
		str("thresholdMetricId").valid(lenBetween(1, 255)),
		num("datapointsToAlarm").valid(intBetween(1, 1<<31-1)),
		str("treatMissingData").def("missing").oneOf("breaching", "notBreaching", "ignore", "missing"),
		str("evaluateLowSampleCountPercentiles").computed().oneOf("evaluate", "ignore"),
		str("unit"),
		str("alarmDescription").valid(lenBetween(0, 1024)),
		boolean("actionsEnabled").def(true),
		strList("alarmActions").set().valid(maxItems(5)),
		strList("okActions").set().valid(maxItems(5)),
		strList("insufficientDataActions").set().valid(maxItems(5)),
		objList("metricQueries",
			str("id").required(), str("accountId"), str("expression"), str("label"), num("period"), boolean("returnData"),
			obj("metric", str("metricName").required(), str("namespace"), strMap("dimensions"), num("period").required(),
				str("stat").required(), str("unit")),
		).set(),
		tags(),
	},
	outputs: []string{"arn"},
	check: func(in map[string]any, fails *checkFailures) {
		queries, _ := in["metricQueries"].([]any)
		switch {
		case len(queries) > 0 && in["metricName"] != nil:
			fails.add("metricName", `"metric_name": conflicts with metric_query`)
		case len(queries) == 0 && in["statistic"] == nil && in["extendedStatistic"] == nil:
			fails.add("statistic", "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm")
		case len(queries) == 0 && in["metricName"] == nil:
			fails.add("metricName", "One of `metric_name` or `metric_query` must be set for a cloudwatch metric alarm")
		}
	},
	records: func(c *call) any { return c.r().MetricAlarms },
	idKey:   "name",
	notFound: func(c *call) error {
		return fmt.Errorf("updating CloudWatch Metric Alarm (%s): %s", c.id, awsError("CloudWatch", 404, "PutMetricAlarm",
			"ResourceNotFound", "alarm "+c.id+" does not exist"))
	},
}

// dashboardType emulates aws:cloudwatch/dashboard:Dashboard (ID = name;
// dashboards are global), following terraform-provider-aws
// internal/service/cloudwatch/dashboard.go: the name is ForceNew, the body
// updates in place. PutDashboard upserts, and rejects a body without widgets.
var dashboardType = &resourceType{
	token:   "aws:cloudwatch/dashboard:Dashboard",
	fields:  []field{str("dashboardName").required().forceNew(), jsonStr("dashboardBody").required()},
	outputs: []string{"dashboardArn"},
	records: func(c *call) any { return c.w.Dashboards },
	idKey:   "dashboardName",
	validate: func(_ *call, rec any) error {
		d := rec.(*world.Dashboard)
		var body struct{ Widgets []any }
		if decodeJSON(d.DashboardBody, &body) != nil || body.Widgets == nil {
			return fmt.Errorf("putting CloudWatch Dashboard (%s): %s", d.DashboardName, awsError("CloudWatch", 400, "PutDashboard",
				"InvalidParameterInput", `The dashboard body is invalid, there are 1 validation errors: [ { "dataPath": "", "message": "Should have required property 'widgets'" } ]`))
		}
		return nil
	},
}
