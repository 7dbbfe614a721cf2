package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	iam "google.golang.org/api/iam/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/accountidvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
)

var (
	_ resource.ResourceWithConfigure   = (*serviceAccountResource)(nil)
	_ resource.ResourceWithImportState = (*serviceAccountResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*serviceAccountResource)(nil)
)

// Default timeouts of gcpinvoke_service_account. Create includes waiting
// until IAM sees the new account.
const (
	serviceAccountCreateTimeout = 5 * time.Minute
	serviceAccountReadTimeout   = 2 * time.Minute
	serviceAccountUpdateTimeout = 2 * time.Minute
	serviceAccountDeleteTimeout = 2 * time.Minute
)

// NewServiceAccountResource returns the gcpinvoke_service_account resource.
func NewServiceAccountResource() resource.Resource { return &serviceAccountResource{} }

// serviceAccountResource manages one user-managed service account.
type serviceAccountResource struct {
	pd *providerData
}

func (r *serviceAccountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_account"
}

func (r *serviceAccountResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user-managed service account: the identity a Cloud Scheduler job, Cloud Tasks queue or workflow " +
			"authenticates as when it calls a private service.\n\n" +
			"Create waits until IAM can see the new account (IAM is eventually consistent), so bindings naming it in the same " +
			"apply succeed without `time_sleep` workarounds. Creating an account that already exists fails with the `terraform import` " +
			"command that adopts it. An account deleted outside Terraform is planned for re-creation.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The resource name, `projects/{project}/serviceAccounts/{email}`.",
				PlanModifiers:       keep,
			},
			"account_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The account ID, the part of the email before `@`: 6-30 lower-case letters, digits and hyphens, " +
					"starting with a letter and not ending with a hyphen (`^[a-z]([-a-z0-9]*[a-z0-9])$`). Changing it replaces the account.",
				Validators:    []validator.String{accountidvalidator.Valid()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"project": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "ID of the project the account belongs to. Defaults to the provider's `project`. " +
					"Changing it replaces the account.",
				Validators: []validator.String{gcpnamevalidator.ProjectID()},
			},
			"display_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A human-readable name (at most 100 characters). Updated in place.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "What the account is for (at most 256 characters). Updated in place.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"email": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The account's email, `{account_id}@{project}.iam.gserviceaccount.com`. Known at plan time.",
				PlanModifiers:       keep,
			},
			"name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The resource name, `projects/{project}/serviceAccounts/{email}`.",
				PlanModifiers:       keep,
			},
			"unique_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The numeric unique ID Google assigned. A re-created account with the same email gets a new one.",
				PlanModifiers:       keep,
			},
			"member": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The IAM member naming the account, `serviceAccount:{email}`, ready for `member` or `members` of IAM resources.",
				PlanModifiers:       keep,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *serviceAccountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.pd = pd
}

// ModifyPlan fills in the default project and, when the account ID and
// project are known, the email and names derived from them, so resources
// that depend on the account can plan with its email.
func (r *serviceAccountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	var config, plan serviceAccountModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.Project.IsNull() {
		p := r.pd.Client.Project()
		if p == "" {
			resp.Diagnostics.AddAttributeError(path.Root("project"), "No project for the service account",
				"Neither the resource nor the provider sets `project`. Set `project` on the resource, or `project` in the "+
					"provider block (or the GOOGLE_PROJECT environment variable).")
			return
		}
		plan.Project = types.StringValue(p)
	}
	if !req.State.Raw.IsNull() {
		var state serviceAccountModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.Project.Equal(state.Project) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("project"))
		}
	}
	if email, ok := plannedServiceAccountEmail(plan.AccountID, plan.Project); ok {
		name := gcpnames.ServiceAccountName(plan.Project.ValueString(), email)
		plan.Email = types.StringValue(email)
		plan.Name = types.StringValue(name)
		plan.ID = types.StringValue(name)
		plan.Member = types.StringValue("serviceAccount:" + email)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// plannedServiceAccountEmail is the email Google will give the account, when
// it can be told in advance: both values known and the project not
// domain-scoped ("example.com:proj" accounts get another domain).
func plannedServiceAccountEmail(accountID, project types.String) (string, bool) {
	if accountID.IsUnknown() || accountID.IsNull() || project.IsUnknown() || project.IsNull() {
		return "", false
	}
	if strings.Contains(project.ValueString(), ":") {
		return "", false
	}
	return accountID.ValueString() + "@" + project.ValueString() + ".iam.gserviceaccount.com", true
}

func (r *serviceAccountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan serviceAccountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, serviceAccountCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	project, accountID := plan.Project.ValueString(), plan.AccountID.ValueString()
	what := fmt.Sprintf("service account %q in project %q", accountID, project)
	svc, err := r.pd.Client.IAM(ctx)
	if err != nil {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.create", what))
		return
	}
	created, err := svc.Projects.ServiceAccounts.Create("projects/"+project, &iam.CreateServiceAccountRequest{
		AccountId: accountID,
		ServiceAccount: &iam.ServiceAccount{
			DisplayName: plan.DisplayName.ValueString(),
			Description: plan.Description.ValueString(),
		},
	}).Context(ctx).Do()
	if err != nil {
		if gcperr.IsAlreadyExists(err) {
			email := accountID + "@" + project + ".iam.gserviceaccount.com"
			resp.Diagnostics.AddAttributeError(path.Root("account_id"), "Service account already exists",
				fmt.Sprintf("Google answered: %s\n\nThe service account %s already exists, so Terraform cannot create it. "+
					"To manage the existing account, import it (replace ADDRESS with this resource's address, e.g. gcpinvoke_service_account.invoker):\n\n"+
					"  terraform import ADDRESS %s\n\n"+
					"or add an import block:\n\n  import {\n    to = ADDRESS\n    id = %q\n  }\n\n"+
					"Otherwise choose another `account_id`.",
					gcperr.Message(err), email, gcpnames.ServiceAccountName(project, email), gcpnames.ServiceAccountName(project, email)))
			return
		}
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.create", what))
		return
	}

	// IAM is eventually consistent: wait until the account can be read, so
	// bindings naming it later in this apply find it.
	var visible *iam.ServiceAccount
	err = gcpclient.WaitOperation(ctx, func(ctx context.Context) (bool, error) {
		got, err := svc.Projects.ServiceAccounts.Get(created.Name).Context(ctx).Do()
		switch {
		case err == nil:
			visible = got
			return true, nil
		case gcperr.Code(err) == http.StatusNotFound || gcperr.Code(err) == http.StatusForbidden:
			return false, nil
		default:
			return false, err
		}
	}, gcpclient.WaitOptions{})
	if err != nil {
		summary, detail := gcpclient.Describe(err, "waiting for", "service account "+created.Email+" to become visible")
		resp.Diagnostics.AddError(summary, detail+
			"\n\nThe account was created; a later apply adopts it after `terraform import`, or finds it visible by then.")
		return
	}
	plan.fromAPI(visible)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *serviceAccountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serviceAccountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, serviceAccountReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	name := state.Name.ValueString()
	if name == "" {
		name = state.ID.ValueString()
	}
	svc, err := r.pd.Client.IAM(ctx)
	if err != nil {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.get", "service account "+name))
		return
	}
	got, err := svc.Projects.ServiceAccounts.Get(name).Context(ctx).Do()
	if err != nil {
		if gcperr.IsNotFound(err) {
			resp.State.RemoveResource(ctx) // deleted outside Terraform: plan re-creates it
			return
		}
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.get", "service account "+name))
		return
	}
	state.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *serviceAccountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state serviceAccountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, serviceAccountUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	patch := &iam.ServiceAccount{DisplayName: plan.DisplayName.ValueString(), Description: plan.Description.ValueString()}
	var mask []string
	if !plan.DisplayName.Equal(state.DisplayName) {
		mask = append(mask, "display_name")
		patch.ForceSendFields = append(patch.ForceSendFields, "DisplayName") // "" clears it
	}
	if !plan.Description.Equal(state.Description) {
		mask = append(mask, "description")
		patch.ForceSendFields = append(patch.ForceSendFields, "Description")
	}
	if len(mask) > 0 {
		name := state.Name.ValueString()
		svc, err := r.pd.Client.IAM(ctx)
		if err != nil {
			resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.patch", "service account "+name))
			return
		}
		_, err = svc.Projects.ServiceAccounts.Patch(name, &iam.PatchServiceAccountRequest{
			ServiceAccount: patch,
			UpdateMask:     strings.Join(mask, ","),
		}).Context(ctx).Do()
		if err != nil {
			resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.patch", "service account "+name))
			return
		}
	}
	// The patch answer is only guaranteed to carry the patched fields; the
	// rest cannot change without replacement.
	plan.UniqueID = state.UniqueID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *serviceAccountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceAccountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, serviceAccountDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	name := state.Name.ValueString()
	svc, err := r.pd.Client.IAM(ctx)
	if err != nil {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.delete", "service account "+name))
		return
	}
	if _, err := svc.Projects.ServiceAccounts.Delete(name).Context(ctx).Do(); err != nil && !gcperr.IsNotFound(err) {
		resp.Diagnostics.AddError(gcpclient.Describe(err, "iam.serviceAccounts.delete", "service account "+name))
	}
}

// ImportState accepts the email or projects/{project}/serviceAccounts/{email}.
func (r *serviceAccountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	defaultProject := ""
	if r.pd != nil {
		defaultProject = r.pd.Client.Project()
	}
	project, email, err := gcpnames.ParseServiceAccountID(strings.TrimSpace(req.ID), defaultProject)
	if err == nil && project == "-" {
		err = fmt.Errorf("cannot tell the project of %q; import it as projects/PROJECT_ID/serviceAccounts/%s", req.ID, email)
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%s.\n\nImport a service account by its email (\"invoker@my-project.iam.gserviceaccount.com\") "+
				"or resource name (\"projects/my-project/serviceAccounts/invoker@my-project.iam.gserviceaccount.com\").", err))
		return
	}
	name := gcpnames.ServiceAccountName(project, email)
	accountID, _, _ := strings.Cut(email, "@")
	for attr, v := range map[string]string{"id": name, "name": name, "project": project, "email": email, "account_id": accountID} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}

// serviceAccountModel is the state of gcpinvoke_service_account.
type serviceAccountModel struct {
	ID          types.String   `tfsdk:"id"`
	AccountID   types.String   `tfsdk:"account_id"`
	Project     types.String   `tfsdk:"project"`
	DisplayName types.String   `tfsdk:"display_name"`
	Description types.String   `tfsdk:"description"`
	Email       types.String   `tfsdk:"email"`
	Name        types.String   `tfsdk:"name"`
	UniqueID    types.String   `tfsdk:"unique_id"`
	Member      types.String   `tfsdk:"member"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// fromAPI copies what Google stores into m; empty texts become null, as
// they are when not configured.
func (m *serviceAccountModel) fromAPI(sa *iam.ServiceAccount) {
	m.ID = types.StringValue(sa.Name)
	m.Name = types.StringValue(sa.Name)
	m.Email = types.StringValue(sa.Email)
	m.Member = types.StringValue("serviceAccount:" + sa.Email)
	m.UniqueID = types.StringValue(sa.UniqueId)
	if sa.ProjectId != "" {
		m.Project = types.StringValue(sa.ProjectId)
	}
	if id, _, ok := strings.Cut(sa.Email, "@"); ok {
		m.AccountID = types.StringValue(id)
	}
	m.DisplayName = saNullIfEmpty(sa.DisplayName)
	m.Description = saNullIfEmpty(sa.Description)
}

// saNullIfEmpty maps "" to null.
func saNullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
