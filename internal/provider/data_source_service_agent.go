package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
)

var _ datasource.DataSourceWithConfigure = (*serviceAgentDataSource)(nil)

// NewServiceAgentDataSource returns the gcpinvoke_service_agent data source.
func NewServiceAgentDataSource() datasource.DataSource { return &serviceAgentDataSource{} }

// serviceAgentDataSource names a project's Scheduler, Tasks or Workflows
// service agent, looking the project number up.
type serviceAgentDataSource struct {
	pd *providerData
}

func (d *serviceAgentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_agent"
}

func (d *serviceAgentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	agents := "`" + strings.Join(gcpnames.AgentNames(), "`, `") + "`"
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Google-managed service agent through which Cloud Scheduler, Cloud Tasks or Workflows call targets " +
			"for a project: its email (which contains the project *number*, looked up here from the project ID) and the role " +
			"Google grants it. Use it to name the agent in IAM bindings; `gcpinvoke_service_agent_impersonation` does the lookup itself. " +
			"When the project number is already known, the `provider::gcpinvoke::service_agent_email` function needs no API call.",
		Attributes: map[string]schema.Attribute{
			"project": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "ID of the project. Defaults to the provider's `project`.",
				Validators:          []validator.String{gcpnamevalidator.ProjectID()},
			},
			"agent": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Which service agent: " + agents + ".",
				Validators:          []validator.String{stringvalidator.OneOf(gcpnames.AgentNames()...)},
			},
			"email": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The agent's email, e.g. `service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com`.",
			},
			"member": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The IAM member naming the agent, `serviceAccount:{email}`.",
			},
			"project_number": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The project's number.",
			},
			"default_role": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The role Google grants the agent on the project when the API is enabled, e.g. " +
					"`roles/cloudscheduler.serviceAgent`; it includes minting tokens as service accounts.",
			},
		},
	}
}

func (d *serviceAgentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.pd = pd
}

func (d *serviceAgentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceAgentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	agent, err := gcpnames.LookupAgent(m.Agent.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("agent"), "Unknown service agent", err.Error())
		return
	}
	project := m.Project.ValueString()
	if project == "" {
		project = d.pd.Client.Project()
	}
	if project == "" {
		resp.Diagnostics.AddAttributeError(path.Root("project"), "No project",
			"Neither the data source nor the provider sets `project`. Set `project` here, or `project` in the provider block "+
				"(or the GOOGLE_PROJECT environment variable).")
		return
	}
	number, diags := lookupProjectNumber(ctx, d.pd.Client, project, path.Root("project"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	email, err := gcpnames.ServiceAgentEmail(number, agent.Name)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("project"), "Cannot name the service agent", err.Error())
		return
	}
	m.Project = types.StringValue(project)
	m.ProjectNumber = types.StringValue(number)
	m.Email = types.StringValue(email)
	m.Member = types.StringValue("serviceAccount:" + email)
	m.DefaultRole = types.StringValue(agent.Role)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// serviceAgentModel is the state of data.gcpinvoke_service_agent.
type serviceAgentModel struct {
	Project       types.String `tfsdk:"project"`
	Agent         types.String `tfsdk:"agent"`
	Email         types.String `tfsdk:"email"`
	Member        types.String `tfsdk:"member"`
	ProjectNumber types.String `tfsdk:"project_number"`
	DefaultRole   types.String `tfsdk:"default_role"`
}
