package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
)

var _ datasource.DataSourceWithConfigure = (*runServiceDataSource)(nil)

// NewRunServiceDataSource is the gcpinvoke_run_service data source.
func NewRunServiceDataSource() datasource.DataSource { return &runServiceDataSource{} }

// runServiceDataSource reads what callers of a Cloud Run service need: its
// URLs (the OIDC audience is its root URL), ingress and invoker check.
type runServiceDataSource struct {
	pd *providerData
}

// Metadata implements datasource.DataSource.
func (d *runServiceDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "gcpinvoke_run_service"
}

// Schema implements datasource.DataSource.
func (d *runServiceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a Cloud Run service: the URLs a caller may use (and use as OIDC audience), its ingress setting " +
			"and whether the invoker IAM check is on.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The service's resource name, `projects/P/locations/L/services/S`."},
			"project": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "The project ID. Defaults to the provider's `project`.",
				Validators:          []validator.String{gcpnamevalidator.ProjectID()}},
			"location": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "The region, e.g. `us-central1`. Defaults to the provider's `region`.",
				Validators:          []validator.String{gcpnamevalidator.Location()}},
			"name": schema.StringAttribute{Required: true,
				MarkdownDescription: "The service name (not its URL): lower-case letters, digits and hyphens, at most 49 characters.",
				Validators:          []validator.String{gcpnamevalidator.RunServiceName()}},
			"uri": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The service's main URL (`https://NAME-HASH-uc.a.run.app`); the right OIDC audience for callers."},
			"urls": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Every URL the service answers at (each is an accepted OIDC audience)."},
			"ingress": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Where requests may come from: `INGRESS_TRAFFIC_ALL`, `INGRESS_TRAFFIC_INTERNAL_ONLY` or " +
					"`INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`. Cloud Scheduler and Cloud Tasks need `INGRESS_TRAFFIC_ALL`."},
			"invoker_iam_disabled": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "True when the service skips the invoker IAM check (anyone who reaches it may call it)."},
			"custom_audiences": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Extra OIDC audiences the service accepts besides its URLs."},
		},
	}
}

// Configure implements datasource.DataSourceWithConfigure.
func (d *runServiceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.pd = pd
}

// Read implements datasource.DataSource.
func (d *runServiceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m runServiceDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, location := m.Project.ValueString(), m.Location.ValueString()
	if project == "" {
		project = d.pd.Client.Project()
	}
	if location == "" {
		location = d.pd.Client.Region()
	}
	for _, a := range []struct{ attr, setting, v string }{{"project", "project", project}, {"location", "region", location}} {
		if a.v == "" {
			resp.Diagnostics.AddAttributeError(path.Root(a.attr), "No "+a.attr,
				fmt.Sprintf("Set `%s` here or `%s` in the provider block.", a.attr, a.setting))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	name := runServiceName(project, location, m.Name.ValueString())
	what := fmt.Sprintf("Cloud Run service %q", name)
	svc, err := d.pd.Client.Run(ctx)
	if err != nil {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "run.services.get", what))
		return
	}
	got, err := svc.Projects.Locations.Services.Get(name).Context(ctx).Do()
	if err != nil {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "run.services.get", what))
		return
	}
	m.ID = types.StringValue(name)
	m.Project = types.StringValue(project)
	m.Location = types.StringValue(location)
	m.URI = types.StringValue(got.Uri)
	m.Ingress = types.StringValue(got.Ingress)
	m.InvokerIAMDisabled = types.BoolValue(got.InvokerIamDisabled)
	urls, diags := types.ListValueFrom(ctx, types.StringType, nonNil(got.Urls))
	resp.Diagnostics.Append(diags...)
	audiences, diags := types.ListValueFrom(ctx, types.StringType, nonNil(got.CustomAudiences))
	resp.Diagnostics.Append(diags...)
	m.URLs, m.CustomAudiences = urls, audiences
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// runServiceDataModel is the gcpinvoke_run_service data source.
type runServiceDataModel struct {
	ID                 types.String `tfsdk:"id"`
	Project            types.String `tfsdk:"project"`
	Location           types.String `tfsdk:"location"`
	Name               types.String `tfsdk:"name"`
	URI                types.String `tfsdk:"uri"`
	URLs               types.List   `tfsdk:"urls"`
	Ingress            types.String `tfsdk:"ingress"`
	InvokerIAMDisabled types.Bool   `tfsdk:"invoker_iam_disabled"`
	CustomAudiences    types.List   `tfsdk:"custom_audiences"`
}

// nonNil turns a missing list into an empty one (the attribute is then [],
// not null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
