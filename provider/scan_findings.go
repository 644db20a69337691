package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// FindingSeverity is the severity of a vulnerability finding.
type FindingSeverity string

// TypeDescription describes the enum type in the schema.
func (FindingSeverity) TypeDescription() string {
	return "The severity of a vulnerability finding in an ECR image scan (basic or Amazon Inspector enhanced), as EventBridge reports it."
}

// Values lists the enum for the schema.
func (FindingSeverity) Values() []infer.EnumValue[FindingSeverity] {
	return []infer.EnumValue[FindingSeverity]{
		{Name: "Critical", Value: "CRITICAL", Description: "Critical findings."},
		{Name: "High", Value: "HIGH", Description: "High findings."},
		{Name: "Medium", Value: "MEDIUM", Description: "Medium findings."},
		{Name: "Low", Value: "LOW", Description: "Low findings."},
		{Name: "Informational", Value: "INFORMATIONAL", Description: "Informational findings."},
	}
}

// ScanFindingsArgs is monitoring.scanFindings (schema type ScanFindings):
// EventBridge rules that send scan results with findings to the alert topic.
type ScanFindingsArgs struct {
	Severities        []FindingSeverity `pulumi:"severities,optional"`
	InspectorFindings *bool             `pulumi:"inspectorFindings,optional"`
}

var _ infer.Annotated = (*ScanFindingsArgs)(nil)

// Annotate documents the scan-finding alerts.
func (s *ScanFindingsArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "ScanFindings")
	a.Describe(s, "Alerts, as readable text (repository, tag, digest, counts), when a scan of one of the registry's repositories finds "+
		"vulnerabilities at the chosen severities: basic scanning's `ECR Image Scan` events and enhanced scanning's `Inspector2 Scan` events "+
		"(whose `repository-name` is the repository's ARN). Sent to `alerts`.")
	a.Describe(&s.Severities, "The severities to alert on: a level and every level above it, e.g. `[CRITICAL, HIGH]` (the default) or "+
		"`[CRITICAL, HIGH, MEDIUM]`.")
	a.Describe(&s.InspectorFindings, "Also alert on each single Amazon Inspector finding that becomes active at these severities (enhanced scanning's "+
		"`Inspector2 Finding` events): this catches vulnerabilities published after an image was pushed (continuous scanning), "+
		"one message per finding. Default `false`.")
}

func (s *ScanFindingsArgs) toConfig() *config.ScanFindings {
	if s == nil {
		return nil
	}
	out := &config.ScanFindings{InspectorFindings: s.InspectorFindings}
	if s.Severities != nil {
		out.Severities = make([]string, len(s.Severities))
		for i, v := range s.Severities {
			out.Severities[i] = string(v)
		}
	}
	return out
}

// registerScanFindings registers a rule per share of the repositories and
// kind of scan, each with a target publishing readable text to the alert
// topic once its policy lets EventBridge publish.
func (r *registration) registerScanFindings(m *config.MonitoringPlan, alerts *alertTopic) error {
	if len(m.ScanFindings) == 0 || alerts == nil {
		return nil
	}
	for i, rule := range m.ScanFindings {
		pick := func(p *config.Plan) config.Document { return p.Monitoring.ScanFindings[i].Pattern }
		var transformer *cloudwatch.EventTargetInputTransformerArgs
		if t := rule.Transformer; t != nil {
			transformer = &cloudwatch.EventTargetInputTransformerArgs{
				InputPaths:    pulumi.ToStringMap(t.Paths),
				InputTemplate: pulumi.String(t.Template),
			}
		}
		if err := r.registerRule(rule, pick, alerts.arn, transformer, "alerts", alerts.waitFor...); err != nil {
			return err
		}
	}
	return nil
}
