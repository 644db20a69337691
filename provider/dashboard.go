package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// DashboardArgs is monitoring.dashboard (schema type Dashboard).
type DashboardArgs struct {
	Name *string `pulumi:"name,optional"`
}

var _ infer.Annotated = (*DashboardArgs)(nil)

// Annotate documents the dashboard.
func (d *DashboardArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Dashboard")
	a.Describe(d, "A CloudWatch dashboard of the registry: pulls per repository (AWS/ECR RepositoryPullCount), pushes and deletes per repository "+
		"and the latest ones, the latest scan findings (both read from `eventLog`, which they need) and the state of `alarms`. "+
		"Its console address is the `dashboardUrl` output. Set `dashboard: {}` to create it.")
	a.Describe(&d.Name, "The dashboard's name: letters, digits, `-` and `_`. Default `ecr-<project>-<stack>-<registry>`.")
}

// registerDashboard registers the dashboard and sets its console address.
func (r *registration) registerDashboard(m *config.MonitoringPlan) error {
	d := m.Dashboard
	if d == nil {
		return nil
	}
	dashboard, err := cloudwatch.NewDashboard(r.ctx, r.childName("dashboard"), &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(d.Name),
		DashboardBody: r.document(d.Body, func(p *config.Plan) config.Document { return p.Monitoring.Dashboard.Body }),
	}, r.wideChildOptions()...)
	if err != nil {
		return err
	}
	url := r.document(d.URL, func(p *config.Plan) config.Document { return p.Monitoring.Dashboard.URL })
	// The address is given once the dashboard exists.
	r.comp.DashboardUrl = pulumi.All(dashboard.DashboardArn, url).ApplyT(func(v []any) string { return v[1].(string) }).(pulumi.StringOutput)
	return nil
}
