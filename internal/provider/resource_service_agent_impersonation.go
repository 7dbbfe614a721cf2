package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/serviceaccountemailvalidator"
)

var (
	_ resource.ResourceWithConfigure      = (*serviceAgentImpersonationResource)(nil)
	_ resource.ResourceWithImportState    = (*serviceAgentImpersonationResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*serviceAgentImpersonationResource)(nil)
	_ resource.ResourceWithValidateConfig = (*serviceAgentImpersonationResource)(nil)
)

// tokenCreatorRole is the generic role that lets a principal mint access and
// ID tokens as a service account.
const tokenCreatorRole = "roles/iam.serviceAccountTokenCreator"

// Default timeouts of gcpinvoke_service_agent_impersonation. Create covers
// retries while IAM does not yet see a just-created account.
const (
	impersonationCreateTimeout = 5 * time.Minute
	impersonationReadTimeout   = 2 * time.Minute
	impersonationUpdateTimeout = 5 * time.Minute
	impersonationDeleteTimeout = 5 * time.Minute
)

// NewServiceAgentImpersonationResource returns the
// gcpinvoke_service_agent_impersonation resource.
func NewServiceAgentImpersonationResource() resource.Resource {
	return &serviceAgentImpersonationResource{}
}

// serviceAgentImpersonationResource grants a project's Scheduler, Tasks or
// Workflows service agent the right to mint tokens as a service account:
// one binding on the account's IAM policy, nobody else's touched.
type serviceAgentImpersonationResource struct {
	pd *providerData
}

func (r *serviceAgentImpersonationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_agent_impersonation"
}

func (r *serviceAgentImpersonationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	agents := "`" + strings.Join(gcpnames.AgentNames(), "`, `") + "`"
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lets a project's Cloud Scheduler, Cloud Tasks or Workflows service agent " +
			"(`service-PROJECT_NUMBER@gcp-sa-AGENT.iam.gserviceaccount.com`) mint OIDC and OAuth tokens as a service account: " +
			"the middle link of the chain from a job to a private Cloud Run service or Cloud Function.\n\n" +
			"The provider looks up the project number, derives the agent's email and adds one binding to the service account's " +
			"IAM policy. Other members of that policy are never touched; destroying the resource removes only this binding. " +
			"A binding removed outside Terraform is planned for re-creation.\n\n" +
			"Google grants this right at project level when the API is enabled in most projects; declaring it on the account " +
			"keeps the chain working where that grant was removed or never made, and documents it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`{service_account} {agent} {role}`, with `service_account` as written in the configuration, followed by " +
					"` {project}` (the agent's project) when that is not the account's project. It is also an import ID.",
			},
			"service_account": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The service account the agent may act as: its email (`invoker@my-project.iam.gserviceaccount.com`) " +
					"or resource name (`projects/my-project/serviceAccounts/EMAIL`). Usually the account a job's `oidc_token` or " +
					"`oauth_token` names. Changing it replaces the resource.",
				Validators:    []validator.String{serviceaccountemailvalidator.EmailOrName()},
				PlanModifiers: replace,
			},
			"agent": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Which service agent: " + agents + ". Changing it replaces the resource.",
				Validators:          []validator.String{stringvalidator.OneOf(gcpnames.AgentNames()...)},
				PlanModifiers:       replace,
			},
			"project": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "ID of the project whose service agent is meant (the project the job, queue or workflow lives in). " +
					"Defaults to the service account's project, read from its email, else the provider's `project`. " +
					"Changing it replaces the resource.",
				Validators: []validator.String{gcpnamevalidator.ProjectID()},
			},
			"role": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The role granted to the agent on the service account. Defaults to the agent's own role " +
					"(`roles/cloudscheduler.serviceAgent`, `roles/cloudtasks.serviceAgent`, `roles/workflows.serviceAgent`), " +
					"which carries the token-minting permissions; `" + tokenCreatorRole + "` is also accepted. " +
					"Other roles are refused at plan time since they do not let the agent mint tokens. Updated in place " +
					"(the new binding is added and the old one removed in one policy write).",
			},
			"agent_email": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The agent's email, e.g. `service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com`.",
			},
			"project_number": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The number of `project`, looked up through Resource Manager.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *serviceAgentImpersonationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.pd = pd
}

// ValidateConfig refuses roles that do not let the agent mint tokens; it
// runs at validate and plan time without credentials.
func (r *serviceAgentImpersonationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var agent, role types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("agent"), &agent)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("role"), &role)...)
	if agent.ValueString() == "workflows" {
		resp.Diagnostics.AddAttributeWarning(path.Root("agent"), "Workflows does not impersonate the account",
			"A workflow's executions run as the workflow's own service_account: the Workflows service agent mints no token for it, "+
				"so this binding is not what makes the calls work. What Google checks instead is that whoever deploys the workflow "+
				"may act as the account: grant the deployer roles/iam.serviceAccountUser on it (gcpinvoke_service_account_iam_member).")
	}
	if resp.Diagnostics.HasError() || agent.IsNull() || agent.IsUnknown() || role.IsNull() || role.IsUnknown() {
		return
	}
	a, err := gcpnames.LookupAgent(agent.ValueString())
	if err != nil {
		return // the agent attribute's validator reports it
	}
	if err := impersonationRoleAllowed(a, role.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("role"), "Role does not let the service agent mint tokens", err.Error())
	}
}

// impersonationRoleAllowed accepts the roles that let agent mint tokens as a
// service account: its own service-agent role and Token Creator.
func impersonationRoleAllowed(agent gcpnames.Agent, role string) error {
	if role == agent.Role || role == tokenCreatorRole {
		return nil
	}
	return fmt.Errorf("role %q does not let the %s service agent mint tokens as the service account. "+
		"Use %q (the default: the agent's own role, which carries iam.serviceAccounts.getAccessToken and getOpenIdToken) "+
		"or %q (Service Account Token Creator). Roles such as roles/iam.serviceAccountUser only allow actAs, "+
		"which lets a principal attach the account to a job, not the agent mint tokens for it.",
		role, agent.Product, agent.Role, tokenCreatorRole)
}

// impersonationAccount resolves a service_account value to the account's
// project (or "-") and policy resource name.
func impersonationAccount(serviceAccount, defaultProject string) (project, name string, err error) {
	project, email, err := gcpnames.ParseServiceAccountID(serviceAccount, defaultProject)
	if err != nil {
		return "", "", err
	}
	return project, gcpnames.ServiceAccountName(project, email), nil
}

func (r *serviceAgentImpersonationResource) defaultProject() string {
	if r.pd == nil {
		return ""
	}
	return r.pd.Client.Project()
}

// ModifyPlan fills in the defaults (project from the account, role from the
// agent) and the ID, keeps the looked-up values while project and agent are
// unchanged, and replaces the resource when the project changes.
func (r *serviceAgentImpersonationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var config, plan impersonationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	saKnown := !plan.ServiceAccount.IsUnknown() && !plan.ServiceAccount.IsNull()
	var accountProject string
	if saKnown {
		p, _, err := impersonationAccount(plan.ServiceAccount.ValueString(), r.defaultProject())
		if err != nil {
			return // the attribute's validator reports it
		}
		accountProject = p
		if config.Project.IsNull() {
			if accountProject == "-" {
				resp.Diagnostics.AddAttributeError(path.Root("project"), "Cannot tell which project's service agent to use",
					fmt.Sprintf("The service account %q does not name its project in its email, and neither the resource nor the "+
						"provider sets `project`. Set `project` to the ID of the project the job, queue or workflow lives in.",
						plan.ServiceAccount.ValueString()))
				return
			}
			plan.Project = types.StringValue(accountProject)
		}
	} else if config.Project.IsNull() {
		plan.Project = types.StringUnknown()
	}
	if config.Role.IsNull() {
		plan.Role = types.StringUnknown()
		if !plan.Agent.IsUnknown() {
			if a, err := gcpnames.LookupAgent(plan.Agent.ValueString()); err == nil {
				plan.Role = types.StringValue(a.Role)
			}
		}
	}
	plan.ID = types.StringUnknown()
	if saKnown && !plan.Agent.IsUnknown() && !plan.Role.IsUnknown() && !plan.Project.IsUnknown() {
		plan.ID = types.StringValue(impersonationID(plan.ServiceAccount.ValueString(), accountProject, plan.Agent.ValueString(), plan.Role.ValueString(), plan.Project.ValueString()))
	}

	plan.AgentEmail, plan.ProjectNumber = types.StringUnknown(), types.StringUnknown()
	if !req.State.Raw.IsNull() {
		var state impersonationModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.Project.Equal(state.Project) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("project"))
		} else if plan.Agent.Equal(state.Agent) {
			plan.AgentEmail, plan.ProjectNumber = state.AgentEmail, state.ProjectNumber
			if plan.ServiceAccount.Equal(state.ServiceAccount) && plan.Role.Equal(state.Role) && !state.ID.IsNull() {
				plan.ID = state.ID // the same binding keeps its id (also one written in an older form)
			}
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// impersonationID is the resource ID, also a valid import ID:
// "<service_account> <agent> <role>", the service account as the
// configuration writes it (email or resource name: an import stores it as
// the ID gives it, and it must match the configuration), with the agent's
// project as a fourth part when it is not the account's own (a job in one
// project calling with an account of another), since the agent cannot be
// found without it.
func impersonationID(serviceAccount, accountProject, agent, role, project string) string {
	id := serviceAccount + " " + agent + " " + role
	if project != "" && project != accountProject {
		id += " " + project
	}
	return id
}

// impersonationBinding is a resolved impersonation: the account's policy,
// and the member and role to bind on it.
type impersonationBinding struct {
	target  iamengine.Target
	account string // projects/P/serviceAccounts/EMAIL
	member  string // serviceAccount:AGENT_EMAIL
}

// resolve looks up the project number when m has none, fills in the agent's
// email and builds the policy target.
func (r *serviceAgentImpersonationResource) resolve(ctx context.Context, m *impersonationModel) (*impersonationBinding, diag.Diagnostics) {
	var diags diag.Diagnostics
	accountProject, name, err := impersonationAccount(m.ServiceAccount.ValueString(), r.defaultProject())
	if err != nil {
		diags.AddAttributeError(path.Root("service_account"), "Invalid service account", err.Error())
		return nil, diags
	}
	if m.ProjectNumber.ValueString() == "" {
		number, d := lookupProjectNumber(ctx, r.pd.Client, m.Project.ValueString(), path.Root("project"))
		diags.Append(d...)
		if diags.HasError() {
			return nil, diags
		}
		m.ProjectNumber = types.StringValue(number)
	}
	email, err := gcpnames.ServiceAgentEmail(m.ProjectNumber.ValueString(), m.Agent.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("project"), "Cannot name the service agent", err.Error())
		return nil, diags
	}
	m.AgentEmail = types.StringValue(email)
	m.ID = types.StringValue(impersonationID(m.ServiceAccount.ValueString(), accountProject, m.Agent.ValueString(), m.Role.ValueString(), m.Project.ValueString()))
	svc, err := r.pd.Client.IAM(ctx)
	if err != nil {
		diags.AddError(gcpclient.Describe(err, "iam.serviceAccounts.getIamPolicy", "service account "+name))
		return nil, diags
	}
	return &impersonationBinding{
		target:  iamengine.NewServiceAccountTarget(svc, name),
		account: name,
		member:  "serviceAccount:" + email,
	}, diags
}

func (r *serviceAgentImpersonationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan impersonationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, impersonationCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	b, diags := r.resolve(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := r.pd.IAM.Apply(ctx, b.target, iampolicy.AddMembers(plan.Role.ValueString(), nil, b.member)); err != nil {
		addAccountError(&resp.Diagnostics, err, "iam.serviceAccounts.setIamPolicy", b.account)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *serviceAgentImpersonationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state impersonationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, impersonationReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	b, diags := r.resolve(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	policy, err := r.pd.IAM.Read(ctx, b.target)
	if err != nil {
		if gcperr.IsNotFound(err) { // the account is gone, and the binding with it
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.getIamPolicy", "service account "+b.account))
		return
	}
	if !policy.HasMember(state.Role.ValueString(), b.member, nil) {
		resp.State.RemoveResource(ctx) // removed outside Terraform: plan re-adds it
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *serviceAgentImpersonationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state impersonationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, impersonationUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	plan.ProjectNumber = state.ProjectNumber
	b, diags := r.resolve(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if oldRole, newRole := state.Role.ValueString(), plan.Role.ValueString(); oldRole != newRole {
		m := append(iampolicy.AddMembers(newRole, nil, b.member), iampolicy.RemoveMembers(oldRole, nil, b.member)...)
		if _, err := r.pd.IAM.Apply(ctx, b.target, m); err != nil {
			addAccountError(&resp.Diagnostics, err, "iam.serviceAccounts.setIamPolicy", b.account)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *serviceAgentImpersonationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state impersonationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, impersonationDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	b, diags := r.resolve(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := r.pd.IAM.Apply(ctx, b.target, iampolicy.RemoveMembers(state.Role.ValueString(), nil, b.member))
	if err != nil && !gcperr.IsNotFound(err) { // a deleted account has no bindings left
		addAccountError(&resp.Diagnostics, err, "iam.serviceAccounts.setIamPolicy", b.account)
	}
}

// ImportState accepts "<service_account> <agent>",
// "<service_account> <agent> <role>" and, for the service agent of another
// project than the account's, "<service_account> <agent> <role> <project>".
func (r *serviceAgentImpersonationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	sa, agent, role, project, err := parseImpersonationImportID(req.ID, r.defaultProject())
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s.\n\nThe import ID is \"<service_account> <agent>\", "+
			"\"<service_account> <agent> <role>\", or \"<service_account> <agent> <role> <project>\" when the agent is the one of "+
			"another project than the account's, e.g. \"invoker@my-project.iam.gserviceaccount.com cloudscheduler\" or "+
			"\"invoker@shared.iam.gserviceaccount.com cloudscheduler roles/cloudscheduler.serviceAgent jobs-project\".", err))
		return
	}
	for attr, v := range map[string]string{"service_account": sa, "agent": agent, "role": role, "project": project} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}

// parseImpersonationImportID splits and checks an import ID; the role
// defaults to the agent's, the project to the account's.
func parseImpersonationImportID(id, defaultProject string) (sa, agent, role, project string, err error) {
	f := strings.Fields(id)
	if len(f) < 2 || len(f) > 4 {
		return "", "", "", "", fmt.Errorf("import ID %q has %d space-separated parts, want 2, 3 or 4", id, len(f))
	}
	sa = f[0]
	project, _, err = impersonationAccount(sa, defaultProject)
	if err != nil {
		return "", "", "", "", err
	}
	a, err := gcpnames.LookupAgent(f[1])
	if err != nil {
		return "", "", "", "", err
	}
	role = a.Role
	if len(f) >= 3 {
		role = f[2]
		if err := impersonationRoleAllowed(a, role); err != nil {
			return "", "", "", "", err
		}
	}
	if len(f) == 4 {
		project = f[3]
		if err := gcpnames.ProjectIDValid(project); err != nil {
			return "", "", "", "", fmt.Errorf("the fourth part names the agent's project: %w", err)
		}
	} else if project == "-" {
		return "", "", "", "", fmt.Errorf("cannot tell the project of %q; set the provider's project, import it as "+
			"projects/PROJECT_ID/serviceAccounts/EMAIL, or give the agent's project as the fourth part", sa)
	}
	return sa, a.Name, role, project, nil
}

// impersonationModel is the state of gcpinvoke_service_agent_impersonation.
type impersonationModel struct {
	ID             types.String   `tfsdk:"id"`
	ServiceAccount types.String   `tfsdk:"service_account"`
	Agent          types.String   `tfsdk:"agent"`
	Project        types.String   `tfsdk:"project"`
	Role           types.String   `tfsdk:"role"`
	AgentEmail     types.String   `tfsdk:"agent_email"`
	ProjectNumber  types.String   `tfsdk:"project_number"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// addAccountError reports a failed call on the service account's policy; a
// service account that does not exist is an error on service_account.
func addAccountError(diags *diag.Diagnostics, err error, method, account string) {
	summary, detail := gcpclient.Describe(err, method, "service account "+account)
	if gcperr.IsNotFound(err) {
		diags.AddAttributeError(path.Root("service_account"), summary, detail)
		return
	}
	diags.AddError(summary, detail)
}
