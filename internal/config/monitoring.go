package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/monitoring"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Monitoring mirrors RegistryArgs.monitoring. nil parts are off.
type Monitoring struct {
	Alerts       *Alerts
	EventLog     *EventLog
	ScanFindings *ScanFindings
	Alarms       map[string]Alarm
	Dashboard    *Dashboard
}

// Alerts mirrors monitoring.alerts: where scan findings and alarms go.
type Alerts struct {
	TopicArn *Text
	Emails   *List
}

// EventLog mirrors monitoring.eventLog.
type EventLog struct {
	RetentionInDays *int
	LogGroupName    *string
	KmsKeyArn       *Text
	UseCreatedKey   *bool
}

// ScanFindings mirrors monitoring.scanFindings.
type ScanFindings struct {
	Severities        []string // nil: the default
	InspectorFindings *bool
}

// Alarm mirrors one entry of monitoring.alarms.
type Alarm struct {
	MetricName        string
	Repositories      []string // nil: every repository
	NoPullsInDays     *int
	PullsAbove        *float64
	PeriodMinutes     *int
	EvaluationPeriods *int
	ApiAction         *string
	PercentOfQuota    *float64
	Minutes           *int
}

// Dashboard mirrors monitoring.dashboard.
type Dashboard struct {
	Name *string
}

// Defaults and limits of monitoring.
const (
	DefaultRetentionInDays = 90
	MaxLogGroupNameLength  = 512
)

// RetentionDays are the retention periods CloudWatch Logs accepts (0: never expire).
var RetentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var (
	topicArnRe     = regexp.MustCompile(`^arn:(aws[a-z-]*):sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$`)
	emailRe        = regexp.MustCompile(`^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$`)
	logGroupNameRe = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)
	dashboardRe    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	alarmKeyRe     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

// MonitoringPlan is the monitoring the Registry creates.
type MonitoringPlan struct {
	Alerts       *AlertsPlan
	EventLog     *EventLogPlan
	ScanFindings []RulePlan
	Alarms       []monitoring.Alarm
	Dashboard    *DashboardPlan
}

// AlertsPlan is the topic alerts go to.
type AlertsPlan struct {
	TopicArn    *Text  // an existing topic; nil: the component creates TopicName
	TopicName   string // the created topic
	Emails      []Text // email subscriptions of the created topic
	TopicPolicy Document
}

// EventLogPlan is the event log: its log group, its rules and the log
// resource policy that lets them write.
type EventLogPlan struct {
	LogGroupName       string
	RetentionInDays    int
	KmsKeyArn          *Text // an existing key
	UseCreatedKey      bool  // encryption.kms's key
	Rules              []RulePlan
	ResourcePolicyName string
	ResourcePolicy     Document
}

// RulePlan is one EventBridge rule and its target's input transformer (nil:
// the event as it is).
type RulePlan struct {
	Key         string // what identifies it among the Registry's rules: "<purpose>-<n>"
	Name        string
	Description string
	Pattern     Document
	Transformer *monitoring.InputTransformer
}

// DashboardPlan is the dashboard and its console address.
type DashboardPlan struct {
	Name string
	Body Document
	URL  Document
}

func init() { registryWide = append(registryWide, resolveMonitoring) }

func (m *Monitoring) fill(v Values) *Monitoring {
	if m == nil {
		return nil
	}
	out := *m
	if m.Alerts != nil {
		out.Alerts = &Alerts{TopicArn: v.textPtr(m.Alerts.TopicArn), Emails: v.list(m.Alerts.Emails)}
	}
	if m.EventLog != nil {
		e := *m.EventLog
		e.KmsKeyArn = v.textPtr(e.KmsKeyArn)
		out.EventLog = &e
	}
	return &out
}

// encryptedEventLog returns the event log group's name when the key the
// Registry creates encrypts it: the key policy then lets CloudWatch Logs use
// the key for that group.
func (r Registry) encryptedEventLog() (string, bool) {
	if r.Monitoring == nil || r.Monitoring.EventLog == nil || !deref(r.Monitoring.EventLog.UseCreatedKey) {
		return "", false
	}
	return firstOf(r.Monitoring.EventLog.LogGroupName, nil, r.Names.LogGroupName()), true
}

// envOf is the environment when it is known, and the refs it waits for otherwise.
func envOf(env Env) (partition, region, account string, refs []Ref) {
	for _, t := range []Text{env.Partition, env.Region, env.AccountID} {
		if t.Ref != 0 {
			refs = append(refs, t.Ref)
		}
	}
	if len(refs) > 0 {
		return "aws", "region", "123456789012", refs // placeholders: the documents wait for refs
	}
	return env.Partition.Value, env.Region.Value, env.AccountID.Value, nil
}

// deferredDoc is a document built from the environment: its text when the
// environment is known, else the refs it waits for.
func deferredDoc(text string, refs []Ref) Document {
	if len(refs) > 0 {
		return Document{Refs: refs}
	}
	return Document{JSON: text}
}

// resolveMonitoring checks monitoring and plans its resources.
func resolveMonitoring(r Registry, env Env, plan *Plan) validate.Problems {
	m := r.Monitoring
	if m == nil {
		return nil
	}
	var ps validate.Problems
	names := r.repositoryNames()
	partition, region, account, envRefs := envOf(env)
	arnOf := func(name string) string {
		return "arn:" + partition + ":ecr:" + region + ":" + account + ":repository/" + name
	}
	registry := strings.ReplaceAll(r.Names.Registry, `"`, "'")
	mp := &MonitoringPlan{}

	// The event log.
	if e := m.EventLog; e != nil {
		at := validate.Under("monitoring.eventLog")
		lp := &EventLogPlan{
			LogGroupName:       firstOf(e.LogGroupName, nil, r.Names.LogGroupName()),
			RetentionInDays:    firstOf(e.RetentionInDays, nil, DefaultRetentionInDays),
			KmsKeyArn:          e.KmsKeyArn,
			UseCreatedKey:      deref(e.UseCreatedKey),
			ResourcePolicyName: r.Names.LogResourcePolicyName(),
		}
		if !slices.Contains(RetentionDays, lp.RetentionInDays) {
			ps.Addf(at("retentionInDays"), "must be one of the retention periods CloudWatch Logs accepts (%s; 0 keeps events forever), got %d",
				joinInts(RetentionDays), lp.RetentionInDays)
		}
		if e.LogGroupName != nil {
			ps.Add(checkLogGroupName(at("logGroupName"), *e.LogGroupName)...)
		}
		switch {
		case e.KmsKeyArn != nil && lp.UseCreatedKey:
			ps.Addf(at("kmsKeyArn"), "set either kmsKeyArn (an existing key) or useCreatedKey: true (the key encryption.kms creates), not both")
		case lp.UseCreatedKey && !r.createsKey():
			ps.Addf(at("useCreatedKey"), "needs encryption.kms.create: true: there is no key to use otherwise")
		case e.KmsKeyArn != nil && e.KmsKeyArn.IsKnown():
			ps.Add(checkKeyInRegion(at("kmsKeyArn"), e.KmsKeyArn.Value, env, "the log group's")...)
		}
		if e.KmsKeyArn != nil && e.KmsKeyArn.Ref != 0 {
			plan.Refs = append(plan.Refs, e.KmsKeyArn.Ref)
		}
		patterns := monitoring.EventLogPatterns(names, arnOf)
		var ruleArns []string
		for i, p := range patterns {
			key := fmt.Sprintf("event-log-%d", i+1)
			name := r.Names.RuleName(key)
			refs := envRefs
			if !strings.Contains(p, monitoring.SourceInspector2) {
				refs = nil // names only: known now
			}
			ps.Add(checkPatternLength(at(""), p)...)
			lp.Rules = append(lp.Rules, RulePlan{Key: key, Name: name, Pattern: deferredDoc(p, refs),
				Description: fmt.Sprintf("ECR events of the repositories of the ecrrepos Registry %s, into the log group %s (%d of %d)", registry, lp.LogGroupName, i+1, len(patterns))})
			ruleArns = append(ruleArns, monitoring.RuleArn(partition, region, account, name))
		}
		groupArn := monitoring.LogGroupArn(partition, region, account, lp.LogGroupName)
		doc := monitoring.LogResourcePolicy(partition, []string{groupArn}, ruleArns)
		if len(doc) > monitoring.MaxLogResourcePolicyLength {
			ps.Addf(at(""), "the CloudWatch Logs resource policy for %d rules would be %d characters, CloudWatch Logs accepts at most %d: declare fewer repositories in this Registry",
				len(ruleArns), len(doc), monitoring.MaxLogResourcePolicyLength)
		}
		lp.ResourcePolicy = deferredDoc(doc, envRefs)
		mp.EventLog = lp
	}

	// Scan findings.
	var scanRuleArns []string
	if s := m.ScanFindings; s != nil {
		at := validate.Under("monitoring.scanFindings")
		severities := s.Severities
		if severities == nil {
			severities = monitoring.DefaultSeverities
		}
		ps.Add(checkSeverities(at("severities"), severities)...)
		severities = orderedSeverities(severities)
		add := func(purpose string, patterns []string, refs []Ref, tr monitoring.InputTransformer, what string) {
			for i, p := range patterns {
				key := fmt.Sprintf("%s-%d", purpose, i+1)
				name := r.Names.RuleName(key)
				ps.Add(checkPatternLength(at(""), p)...)
				mp.ScanFindings = append(mp.ScanFindings, RulePlan{Key: key, Name: name, Pattern: deferredDoc(p, refs), Transformer: &tr,
					Description: fmt.Sprintf("%s at %s of the repositories of the ecrrepos Registry %s (%d of %d)", what, strings.Join(severities, "/"), registry, i+1, len(patterns))})
				scanRuleArns = append(scanRuleArns, monitoring.RuleArn(partition, region, account, name))
			}
		}
		add("scan-findings", monitoring.ScanPatterns(names, severities), nil, monitoring.ScanTransformer(registry, severities), "Basic scans with findings")
		add("inspector-scan", monitoring.InspectorScanPatterns(names, arnOf, severities), envRefs,
			monitoring.InspectorScanTransformer(registry, severities), "Enhanced scans with findings")
		if deref(s.InspectorFindings) {
			add("inspector-finding", monitoring.InspectorFindingPatterns(names, severities), nil,
				monitoring.InspectorFindingTransformer(registry), "Active Amazon Inspector findings")
		}
	}

	// Alarms.
	keys := slices.Sorted(maps.Keys(m.Alarms))
	for _, key := range keys {
		alarms, problems := resolveAlarm(r, key, m.Alarms[key])
		ps.Add(problems...)
		mp.Alarms = append(mp.Alarms, alarms...)
	}

	// Where alerts go.
	needsTopic := m.ScanFindings != nil || len(m.Alarms) > 0
	ps.Add(resolveAlerts(r, env, m.Alerts, needsTopic, scanRuleArns, mp, partition, region, account, envRefs)...)
	if a := m.Alerts; a != nil { // checked when they resolve: every child waits for them
		if a.TopicArn != nil && a.TopicArn.Ref != 0 {
			plan.Refs = append(plan.Refs, a.TopicArn.Ref)
		}
		plan.Refs = a.Emails.refs(plan.Refs)
	}

	// The dashboard.
	if d := m.Dashboard; d != nil {
		dp := &DashboardPlan{Name: firstOf(d.Name, nil, r.Names.DashboardName())}
		if d.Name != nil && !dashboardRe.MatchString(*d.Name) {
			ps.Addf("monitoring.dashboard.name", "must be 1 to 255 letters, digits, - or _ (CloudWatch dashboard names), got %q", *d.Name)
		}
		body := monitoring.Dashboard{Registry: registry, Region: region, Repositories: names}
		if mp.EventLog != nil {
			body.LogGroup = mp.EventLog.LogGroupName
		}
		for _, a := range mp.Alarms {
			body.AlarmArns = append(body.AlarmArns, monitoring.AlarmArn(partition, region, account, a.Name))
		}
		dp.Body = deferredDoc(body.Body(), envRefs)
		dp.URL = deferredDoc(monitoring.DashboardURL(partition, region, dp.Name), envRefs)
		mp.Dashboard = dp
	}

	plan.Monitoring = mp
	plan.Refs = append(plan.Refs, envRefs...)
	return ps
}

// resolveAlerts checks monitoring.alerts and plans the topic.
func resolveAlerts(r Registry, env Env, a *Alerts, needed bool, ruleArns []string, mp *MonitoringPlan, partition, region, account string, envRefs []Ref) validate.Problems {
	var ps validate.Problems
	const path = "monitoring.alerts"
	at := validate.Under(path)
	if a == nil || (a.TopicArn == nil && a.Emails == nil) {
		if needed {
			ps.Addf(path, "scanFindings and alarms send their alerts to an SNS topic: set alerts.topicArn (an existing topic) or alerts.emails (the component creates a topic and subscribes them)")
		}
		return ps
	}
	if !needed {
		ps.Warnf(path, "nothing sends alerts: set scanFindings or alarms, or remove alerts")
	}
	ap := &AlertsPlan{TopicName: r.Names.TopicName()}
	switch {
	case a.TopicArn != nil && a.Emails != nil:
		ps.Addf(at("emails"), "only without topicArn: the component subscribes addresses only to a topic it creates; subscribe them to %s yourself", "the existing topic")
	case a.TopicArn != nil:
		ap.TopicArn = a.TopicArn
		if a.TopicArn.IsKnown() {
			ps.Add(checkTopicArn(at("topicArn"), a.TopicArn.Value, env)...)
		}
	default:
		switch {
		case a.Emails.Ref != 0:
			ps.Addf(at("emails"), "must be a list whose length is known when the program runs (one subscription per address); its items may be outputs")
		case len(a.Emails.Items) == 0:
			ps.Addf(at("emails"), "must name at least one address, or give topicArn instead")
		}
		seen := map[string]int{}
		for i, t := range a.Emails.Items {
			item := fmt.Sprintf("%s[%d]", at("emails"), i)
			if !t.IsKnown() {
				continue
			}
			if !emailRe.MatchString(t.Value) {
				ps.Addf(item, "must be an email address such as platform@example.com, got %q", t.Value)
			}
			if j, ok := seen[strings.ToLower(t.Value)]; ok {
				ps.Addf(item, "repeats emails[%d] (%q)", j, t.Value)
			}
			seen[strings.ToLower(t.Value)] = i
		}
		ap.Emails = a.Emails.Items
		topicArn := monitoring.TopicArn(partition, region, account, ap.TopicName)
		prefix := ""
		if len(mp.Alarms) > 0 {
			prefix = monitoring.AlarmArn(partition, region, account, r.Names.AlarmPrefix())
		}
		ap.TopicPolicy = deferredDoc(monitoring.TopicPolicy(partition, account, topicArn, ruleArns, prefix), envRefs)
	}
	mp.Alerts = ap
	return ps
}

// resolveAlarm checks one alarm and plans its CloudWatch alarms: one per
// repository for RepositoryPullCount, one for CallCount.
func resolveAlarm(r Registry, key string, a Alarm) ([]monitoring.Alarm, validate.Problems) {
	var ps validate.Problems
	path := validate.Key("monitoring.alarms", key)
	at := validate.Under(path)
	if !alarmKeyRe.MatchString(key) {
		ps.Addf(path, "alarm keys must be 1 to 64 letters, digits, . _ or -, starting with a letter or digit (they name the alarms), got %q", key)
	}
	only := func(metric string, fields map[string]bool) {
		for _, f := range slices.Sorted(maps.Keys(fields)) {
			if fields[f] {
				ps.Addf(at(f), "only with metricName %s", metric)
			}
		}
	}
	var out []monitoring.Alarm
	switch a.MetricName {
	case monitoring.MetricRepositoryPullCount:
		only(monitoring.MetricCallCount, map[string]bool{"apiAction": a.ApiAction != nil, "percentOfQuota": a.PercentOfQuota != nil, "minutes": a.Minutes != nil})
		repos := a.Repositories
		if repos == nil {
			repos = slices.Sorted(maps.Keys(r.Repositories))
		}
		if a.Repositories != nil && len(a.Repositories) == 0 {
			ps.Addf(at("repositories"), "names no repository: leave it out to watch every repository")
		}
		for i, name := range a.Repositories {
			if _, ok := r.Repositories[name]; !ok {
				ps.Addf(fmt.Sprintf("%s[%d]", at("repositories"), i), "must be a repository of this Registry (a key of repositories), got %q", name)
			}
		}
		switch {
		case (a.NoPullsInDays == nil) == (a.PullsAbove == nil):
			ps.Addf(path, "a RepositoryPullCount alarm needs exactly one of noPullsInDays (an unused repository) or pullsAbove (a runaway client)")
		case a.NoPullsInDays != nil:
			only("RepositoryPullCount with pullsAbove", map[string]bool{"periodMinutes": a.PeriodMinutes != nil, "evaluationPeriods": a.EvaluationPeriods != nil})
			if d := *a.NoPullsInDays; d < 1 || d > monitoring.MaxNoPullDays {
				ps.Addf(at("noPullsInDays"), "must be 1 to %d: a CloudWatch alarm evaluates at most 7 days (Period × EvaluationPeriods ≤ 604,800 seconds), got %d",
					monitoring.MaxNoPullDays, d)
			}
			for _, repo := range slices.Sorted(slices.Values(repos)) {
				out = append(out, monitoring.NoPullsAlarm(key+"/"+repo, r.Names.AlarmName(key+"/"+repo), r.RepositoryName(repo), deref(a.NoPullsInDays)))
			}
		default:
			period := firstOf(a.PeriodMinutes, nil, monitoring.DefaultPullPeriod)
			evaluations := firstOf(a.EvaluationPeriods, nil, 1)
			if *a.PullsAbove < 0 {
				ps.Addf(at("pullsAbove"), "must be zero or more pulls, got %g", *a.PullsAbove)
			}
			switch {
			case period < 1:
				ps.Addf(at("periodMinutes"), "must be at least 1 minute, got %d", period)
			case evaluations < 1:
				ps.Addf(at("evaluationPeriods"), "must be at least 1, got %d", evaluations)
			case period < 60 && period*evaluations > monitoring.MaxShortEvaluationMinutes:
				ps.Addf(at("evaluationPeriods"), "periodMinutes × evaluationPeriods must be at most 1,440 minutes (1 day) with a period under an hour (CloudWatch PutMetricAlarm), got %d × %d", period, evaluations)
			case period*evaluations > monitoring.MaxNoPullDays*1440:
				ps.Addf(at("evaluationPeriods"), "periodMinutes × evaluationPeriods must be at most 10,080 minutes (7 days, CloudWatch PutMetricAlarm), got %d × %d", period, evaluations)
			}
			for _, repo := range slices.Sorted(slices.Values(repos)) {
				out = append(out, monitoring.PullsAboveAlarm(key+"/"+repo, r.Names.AlarmName(key+"/"+repo), r.RepositoryName(repo), *a.PullsAbove, period, evaluations))
			}
		}
	case monitoring.MetricCallCount:
		only(monitoring.MetricRepositoryPullCount, map[string]bool{"repositories": a.Repositories != nil, "noPullsInDays": a.NoPullsInDays != nil,
			"pullsAbove": a.PullsAbove != nil, "periodMinutes": a.PeriodMinutes != nil, "evaluationPeriods": a.EvaluationPeriods != nil})
		action := deref(a.ApiAction)
		switch {
		case a.ApiAction == nil:
			ps.Addf(at("apiAction"), "is required with CallCount: one of %s (the ECR API actions AWS/Usage reports)", strings.Join(monitoring.UsageActions, ", "))
		case !slices.Contains(monitoring.UsageActions, action):
			ps.Addf(at("apiAction"), "must be one of %s (the ECR API actions AWS/Usage reports), got %q", strings.Join(monitoring.UsageActions, ", "), action)
		}
		percent := firstOf(a.PercentOfQuota, nil, monitoring.DefaultQuotaPercent)
		if percent <= 0 || percent > 100 {
			ps.Addf(at("percentOfQuota"), "must be more than 0 and at most 100 (percent of the account's quota), got %g", percent)
		}
		minutes := firstOf(a.Minutes, nil, monitoring.DefaultQuotaMinutes)
		if minutes < 1 || minutes > monitoring.MaxShortEvaluationMinutes {
			ps.Addf(at("minutes"), "must be 1 to 1,440 minutes (a 1-minute period evaluates at most 1 day), got %d", minutes)
		}
		out = append(out, monitoring.QuotaAlarm(key, r.Names.AlarmName(key), action, percent, minutes))
	default:
		ps.Addf(at("metricName"), "must be one of %s: the metrics AWS documents for ECR (AWS/ECR RepositoryPullCount per repository, AWS/Usage CallCount per API action); "+
			"an alarm on any other name would never receive data, got %q", strings.Join(monitoring.Metrics, " or "), a.MetricName)
	}
	return out, ps
}

func checkSeverities(path string, severities []string) validate.Problems {
	var ps validate.Problems
	if len(severities) == 0 {
		ps.Addf(path, "must name at least one severity (%s), or leave it out for CRITICAL and HIGH", strings.Join(monitoring.Severities, ", "))
		return ps
	}
	lowest := -1
	for i, s := range severities {
		item := fmt.Sprintf("%s[%d]", path, i)
		idx := slices.Index(monitoring.Severities, s)
		switch {
		case idx < 0:
			ps.Addf(item, "must be one of %s, got %q", strings.Join(monitoring.Severities, ", "), s)
			continue
		case slices.Index(severities, s) < i:
			ps.Addf(item, "repeats %q", s)
		}
		lowest = max(lowest, idx)
	}
	if lowest >= 0 {
		for _, s := range monitoring.Severities[:lowest] {
			if !slices.Contains(severities, s) {
				ps.Addf(path, "alerts are for findings at or above a level: with %s, %s must be listed too (%v)",
					monitoring.Severities[lowest], s, monitoring.SeveritiesAtOrAbove(monitoring.Severities[lowest]))
				break
			}
		}
	}
	return ps
}

// orderedSeverities are the known severities given, highest first.
func orderedSeverities(severities []string) []string {
	var out []string
	for _, s := range monitoring.Severities {
		if slices.Contains(severities, s) {
			out = append(out, s)
		}
	}
	return out
}

func checkLogGroupName(path, name string) validate.Problems {
	var ps validate.Problems
	switch {
	case name == "" || len(name) > MaxLogGroupNameLength:
		ps.Addf(path, "must be 1 to %d characters, got %d", MaxLogGroupNameLength, len(name))
	case !logGroupNameRe.MatchString(name):
		ps.Addf(path, "may contain only letters, digits and . - _ / # (CloudWatch Logs), got %q", name)
	case !strings.HasPrefix(name, "/aws/events/"):
		ps.Warnf(path, "does not start with /aws/events/: the EventBridge console lists only log groups under that prefix as rule targets (%q)", name)
	}
	return ps
}

func checkTopicArn(path, arn string, env Env) validate.Problems {
	var ps validate.Problems
	m := topicArnRe.FindStringSubmatch(arn)
	switch {
	case m == nil:
		ps.Addf(path, "must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got %q", arn)
	case m[5] != "":
		ps.Addf(path, "must be a standard topic: a FIFO topic needs a message group ID that neither EventBridge rules nor alarms of this component set, got %q", arn)
	case env.Region.IsKnown() && env.Region.Value != "" && m[2] != env.Region.Value:
		ps.Addf(path, "must be a topic in the registry's region %s: EventBridge rules and alarms deliver only to targets of their own region, got a topic in %s (%q)", env.Region.Value, m[2], arn)
	case env.Partition.IsKnown() && env.Partition.Value != "" && m[1] != env.Partition.Value:
		ps.Addf(path, "must be a topic in the registry's partition %s, got %q", env.Partition.Value, arn)
	}
	return ps
}

// checkKeyInRegion checks an existing key's ARN and that it is in the region.
func checkKeyInRegion(path, arn string, env Env, whose string) validate.Problems {
	ps := validate.KmsKeyArn(path, arn)
	if len(ps) > 0 {
		return ps
	}
	if parts := strings.SplitN(arn, ":", 6); env.Region.IsKnown() && env.Region.Value != "" && parts[3] != env.Region.Value {
		ps.Addf(path, "must be a key in the registry's region %s (%s key must be in its own region), got a key in %s (%q)", env.Region.Value, whose, parts[3], arn)
	}
	return ps
}

func checkPatternLength(path, pattern string) validate.Problems {
	var ps validate.Problems
	if len(pattern) > monitoring.MaxEventPatternLength {
		ps.Addf(path, "an event pattern for one repository would be %d characters, EventBridge accepts %d: shorten the repository name", len(pattern), monitoring.MaxEventPatternLength)
	}
	return ps
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
