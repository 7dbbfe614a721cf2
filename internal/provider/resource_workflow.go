package provider

import (
	"context"
	"fmt"
	"regexp"
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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	workflows "google.golang.org/api/workflows/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/workflowsrc"
)

var (
	_ resource.ResourceWithConfigure      = (*workflowResource)(nil)
	_ resource.ResourceWithImportState    = (*workflowResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*workflowResource)(nil)
	_ resource.ResourceWithValidateConfig = (*workflowResource)(nil)
)

// NewWorkflowResource returns the gcpinvoke_workflow resource.
func NewWorkflowResource() resource.Resource { return &workflowResource{} }

// workflowResource is a Workflows workflow. Its source is checked at plan
// time for HTTP calls that cannot reach a private service.
type workflowResource struct {
	data *providerData
}

const defaultWorkflowTimeout = 10 * time.Minute

var (
	workflowIDPattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	workflowSAPattern  = regexp.MustCompile(`^(projects/[^/]+/serviceAccounts/)?[^/@\s]+@[^/@\s]+$`)
	pathWorkflowSource = path.Root("source")
)

func (r *workflowResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workflow"
}

func (r *workflowResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Workflows workflow that runs as `service_account`. At plan time the provider reads `source` and reports " +
			"HTTP calls that cannot reach a private service: a call to a Cloud Run (`*.run.app`) or Cloud Functions (`*.cloudfunctions.net`) URL " +
			"without `auth` (error), an OIDC audience with a path or query (warning: use the root URL), and `type: OAuth2` to a host that is not a " +
			"Google API (error). Workflows mints the tokens as the workflow's own service account, so that account needs the invoker role on " +
			"the services it calls, and whoever deploys the workflow needs `iam.serviceAccounts.actAs` on it (no service agent is involved).",
		Attributes: map[string]schema.Attribute{
			"id":       locatedIDAttribute("workflows"),
			"project":  locatedProjectAttribute("workflow"),
			"location": locatedLocationAttribute("workflow"),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Workflow ID: a letter, then letters, digits, hyphens or underscores, at most 64 characters. Changing it replaces the workflow.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(workflowIDPattern,
					"must start with a letter and have at most 64 letters, digits, hyphens (-) or underscores (_), e.g. \"call-hello\"")},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Description of the workflow, at most 1000 characters.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 1000)},
			},
			"service_account": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Service account the workflow runs as and mints its HTTP calls' tokens for: an email or " +
					"`projects/{project}/serviceAccounts/{email}`. Defaults to the Compute Engine default service account. " +
					"Both forms of the same account cause no diff.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators: []validator.String{stringvalidator.RegexMatches(workflowSAPattern,
					"must be a service account email or \"projects/PROJECT/serviceAccounts/EMAIL\"")},
			},
			"source": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The workflow definition in YAML or JSON (e.g. `file(\"workflow.yaml\")` or a heredoc). An HTTP step calling a " +
					"private service authenticates with `args: {url: ..., auth: {type: OIDC, audience: ROOT_URL}}`.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 128*1024)},
			},
			"revision_id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Revision of the deployed workflow, e.g. `000002-a4b`. Changes when `source` or `service_account` " +
					"changes; executions run the latest revision.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *workflowResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func describeWorkflowError(err error, action, name string) (string, string) {
	return gcpclient.Describe(err, action, fmt.Sprintf("workflow %q", name))
}

// ValidateConfig reports the source's problems at validate and plan time.
func (r *workflowResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var src types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathWorkflowSource, &src)...)
	if resp.Diagnostics.HasError() || src.IsNull() || src.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(workflowSourceDiagnostics(src.ValueString())...)
}

// workflowSourceDiagnostics parses a source and turns the findings of
// workflowsrc.Lint into diagnostics on the source attribute.
func workflowSourceDiagnostics(src string) diag.Diagnostics {
	var diags diag.Diagnostics
	w, err := workflowsrc.Parse(src)
	if err != nil {
		diags.AddAttributeError(pathWorkflowSource, "Workflow source does not parse",
			fmt.Sprintf("%v.\n\nWorkflows would refuse to deploy it. A source is a list of steps, or a map of subworkflows with \"main\".", err))
		return diags
	}
	for _, f := range workflowsrc.Lint(w, workflowsrc.LintOptions{}) {
		if f.Severity == workflowsrc.Error {
			diags.AddAttributeError(pathWorkflowSource, f.Summary, f.Detail)
		} else {
			diags.AddAttributeWarning(pathWorkflowSource, f.Summary, f.Detail)
		}
	}
	return diags
}

// ModifyPlan fills project and location, plans id, and marks revision_id
// unknown when the change makes a new revision.
func (r *workflowResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	values := planLocationDefaults(ctx, req, resp, r.data, "workflow")
	var plan workflowModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, l := values["project"], values["location"]
	if !p.IsUnknown() && !l.IsUnknown() && !plan.Name.IsUnknown() {
		id := "projects/" + p.ValueString() + "/locations/" + l.ValueString() + "/workflows/" + plan.Name.ValueString()
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), id)...)
	}
	if req.State.Raw.IsNull() {
		return
	}
	var state workflowModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	newRevision := !plan.Source.Equal(state.Source) ||
		(!plan.ServiceAccount.IsUnknown() && !sameWorkflowSA(plan.ServiceAccount.ValueString(), state.ServiceAccount.ValueString()))
	rev := state.RevisionID
	if newRevision {
		rev = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("revision_id"), rev)...)
}

// sameWorkflowSA compares two service account forms (email or resource name).
func sameWorkflowSA(a, b string) bool {
	return strings.EqualFold(workflowSAEmail(a), workflowSAEmail(b))
}

func workflowSAEmail(sa string) string { return sa[strings.LastIndex(sa, "/")+1:] }

func (r *workflowResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workflowModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWorkflowTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.workflowName()
	svc, err := r.data.Client.Workflows(ctx)
	if err == nil {
		parent := "projects/" + plan.Project.ValueString() + "/locations/" + plan.Location.ValueString()
		err = waitWorkflowOp(ctx, svc)(svc.Projects.Locations.Workflows.Create(parent, plan.toAPI()).WorkflowId(plan.Name.ValueString()).Context(ctx).Do())
	}
	if err != nil {
		resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.create", name))
		return
	}
	resp.Diagnostics.Append(saveWorkflow(ctx, svc, name, &plan, &resp.State)...)
}

func (r *workflowResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workflowModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.workflowName()
	svc, err := r.data.Client.Workflows(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.get", name))
		return
	}
	got, err := svc.Projects.Locations.Workflows.Get(name).Context(ctx).Do()
	if gcperr.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.get", name))
		return
	}
	state.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *workflowResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workflowModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultWorkflowTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.workflowName()
	svc, err := r.data.Client.Workflows(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.patch", name))
		return
	}
	var mask []string
	if !plan.Description.Equal(state.Description) {
		mask = append(mask, "description")
	}
	if !plan.Source.Equal(state.Source) {
		mask = append(mask, "sourceContents")
	}
	if !plan.ServiceAccount.IsUnknown() && !sameWorkflowSA(plan.ServiceAccount.ValueString(), state.ServiceAccount.ValueString()) {
		mask = append(mask, "serviceAccount")
	}
	if len(mask) > 0 {
		wf := plan.toAPI()
		err := waitWorkflowOp(ctx, svc)(svc.Projects.Locations.Workflows.Patch(name, wf).UpdateMask(strings.Join(mask, ",")).Context(ctx).Do())
		if err != nil {
			resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.patch", name))
			return
		}
	}
	resp.Diagnostics.Append(saveWorkflow(ctx, svc, name, &plan, &resp.State)...)
}

func (r *workflowResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workflowModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultWorkflowTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	svc, err := r.data.Client.Workflows(ctx)
	if err == nil {
		err = waitWorkflowOp(ctx, svc)(svc.Projects.Locations.Workflows.Delete(state.workflowName()).Context(ctx).Do())
	}
	if err != nil && !gcperr.IsNotFound(err) {
		resp.Diagnostics.AddError(describeWorkflowError(err, "workflows.workflows.delete", state.workflowName()))
	}
}

// ImportState accepts projects/P/locations/L/workflows/N, P/L/N, L/N or N.
func (r *workflowResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importLocated(ctx, r.data, req, resp, "gcpinvoke_workflow", gcpnames.ParseWorkflowID)
}

// waitWorkflowOp returns a function that waits for the operation a call
// started, or passes on the call's error.
func waitWorkflowOp(ctx context.Context, svc *workflows.Service) func(*workflows.Operation, error) error {
	return func(op *workflows.Operation, err error) error {
		if err == nil {
			_, err = gcpclient.WaitWorkflowsOperation(ctx, svc, op)
		}
		return err
	}
}

// saveWorkflow reads the workflow back into m and stores m in state.
func saveWorkflow(ctx context.Context, svc *workflows.Service, name string, m *workflowModel, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	got, err := svc.Projects.Locations.Workflows.Get(name).Context(ctx).Do()
	if err != nil {
		diags.AddError(describeWorkflowError(err, "workflows.workflows.get", name))
		return diags
	}
	m.fromAPI(got)
	return append(diags, state.Set(ctx, m)...)
}

func (m *workflowModel) workflowName() string {
	return "projects/" + m.Project.ValueString() + "/locations/" + m.Location.ValueString() + "/workflows/" + m.Name.ValueString()
}

// toAPI builds the Workflow to send (no name: create takes workflowId).
func (m *workflowModel) toAPI() *workflows.Workflow {
	wf := &workflows.Workflow{Description: m.Description.ValueString(), SourceContents: m.Source.ValueString()}
	if !m.ServiceAccount.IsUnknown() {
		wf.ServiceAccount = m.ServiceAccount.ValueString()
	}
	return wf
}

// fromAPI copies a workflow as the API returned it into m. The service
// account keeps the form in m when it names the same account; otherwise
// (import, change outside Terraform) it is the email.
func (m *workflowModel) fromAPI(wf *workflows.Workflow) {
	if project, location, name, err := gcpnames.ParseWorkflowID(wf.Name, "", ""); err == nil {
		m.Project, m.Location, m.Name = types.StringValue(project), types.StringValue(location), types.StringValue(name)
	}
	m.ID = types.StringValue(wf.Name)
	m.Description = nullIfEmpty(wf.Description)
	m.Source = types.StringValue(wf.SourceContents)
	if m.ServiceAccount.IsNull() || m.ServiceAccount.IsUnknown() || !sameWorkflowSA(m.ServiceAccount.ValueString(), wf.ServiceAccount) {
		m.ServiceAccount = nullIfEmpty(workflowSAEmail(wf.ServiceAccount))
	}
	m.RevisionID = types.StringValue(wf.RevisionId)
}

// workflowModel is the state of gcpinvoke_workflow.
type workflowModel struct {
	ID             types.String   `tfsdk:"id"`
	Project        types.String   `tfsdk:"project"`
	Location       types.String   `tfsdk:"location"`
	Name           types.String   `tfsdk:"name"`
	Description    types.String   `tfsdk:"description"`
	ServiceAccount types.String   `tfsdk:"service_account"`
	Source         types.String   `tfsdk:"source"`
	RevisionID     types.String   `tfsdk:"revision_id"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}
