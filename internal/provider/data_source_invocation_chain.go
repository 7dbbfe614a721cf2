package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"google.golang.org/api/googleapi"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/chain"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/serviceaccountemailvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/urlvalidator"
)

var (
	_ datasource.DataSourceWithConfigure        = (*invocationChainDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*invocationChainDataSource)(nil)
)

// NewInvocationChainDataSource returns the gcpinvoke_invocation_chain data source.
func NewInvocationChainDataSource() datasource.DataSource { return &invocationChainDataSource{} }

// invocationChainDataSource checks caller → service account → target
// against the live IAM policies (internal/chain).
type invocationChainDataSource struct {
	pd *providerData
}

func (d *invocationChainDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_invocation_chain"
}

// findingAttrTypes is the object type of one element of `findings`.
var findingAttrTypes = map[string]attr.Type{
	"code": types.StringType, "severity": types.StringType, "link": types.StringType,
	"problem": types.StringType, "fix": types.StringType,
}

func (d *invocationChainDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks, against the live IAM policies, that a caller (Cloud Scheduler, Cloud Tasks, Workflows or any " +
			"IAM member) can call a Cloud Run service, a Cloud Function or a Google API with a service account's token: the caller may " +
			"mint tokens for the account (impersonation), the account holds the invoker role on the target (service, function or " +
			"project level), the OIDC audience is one the target accepts, and OAuth tokens go only to `*.googleapis.com`. It also " +
			"reports targets that are public anyway. `ok` is false when a call would fail; `findings` says which link is broken and how " +
			"to fix it. Use it in a `check` block so `terraform apply` warns when the chain is broken. With `probe = true` it mints an " +
			"ID token for the account (the identity Terraform runs as needs `roles/iam.serviceAccountOpenIdTokenCreator` on it) and " +
			"calls the target; the token is never stored or shown.",
		Attributes: map[string]schema.Attribute{
			"caller": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Who mints the tokens: `cloudscheduler`, `cloudtasks` or `workflows` (the project's service agent), " +
					"or an IAM member such as `serviceAccount:ci@my-project.iam.gserviceaccount.com`.",
			},
			"service_account": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Email (or `projects/{project}/serviceAccounts/{email}`) of the account whose tokens are sent.",
				Validators:          []validator.String{serviceaccountemailvalidator.EmailOrName()},
			},
			"target_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "URL called (a job's `http_target.uri`). A Cloud Run URL is matched against the services of the " +
					"project; a Cloud Functions URL names its function; a `*.googleapis.com` URL is a Google API.",
				Validators: []validator.String{urlvalidator.HTTP()},
			},
			"run_service": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Cloud Run service, as `projects/{project}/locations/{location}/services/{service}`, " +
					"`{project}/{location}/{service}`, `{location}/{service}` or `{service}`. Use it for a service behind a custom domain.",
				Validators: []validator.String{gcpnamevalidator.RunServiceName(gcpnamevalidator.AllowShortIDs())},
			},
			"function": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The Cloud Function (gen1 or gen2), in the same forms as `run_service`.",
				Validators:          []validator.String{gcpnamevalidator.FunctionName(gcpnamevalidator.AllowShortIDs())},
			},
			"audience": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "OIDC audience the caller sends. Unset means what Cloud Scheduler does without one: the " +
					"target URL as written, path and query included.",
			},
			"token_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "`oidc` (default; Cloud Run, Cloud Functions, your endpoints) or `oauth` (Google APIs only).",
				Validators:          []validator.String{stringvalidator.OneOf(chain.TokenOIDC, chain.TokenOAuth)},
			},
			"project": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The caller's project (whose service agent calls) and the default for short names. " +
					"Defaults to the provider's `project`, else the service account's.",
				Validators: []validator.String{gcpnamevalidator.ProjectID()},
			},
			"location": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Default location for short names. Defaults to the provider's `region`; URLs are looked up in every location.",
				Validators:          []validator.String{gcpnamevalidator.Location()},
			},
			"probe": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Also mint a token for the account and call the target once with `GET`, reporting the status in `probe_status`.",
			},
			"ok": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "True when no finding is an error: the caller's calls would get through.",
			},
			"findings": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "What is wrong, in chain order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"code":     schema.StringAttribute{Computed: true, MarkdownDescription: "Kind of problem, e.g. `missing_impersonation`, `missing_invoker`, `audience_not_accepted`, `oauth_non_google_host`, `target_public`, `invoker_iam_disabled`, `probe_failed`."},
					"severity": schema.StringAttribute{Computed: true, MarkdownDescription: "`error` (calls fail), `warning` (calls work, but look) or `info` (how a link works, nothing to fix)."},
					"link":     schema.StringAttribute{Computed: true, MarkdownDescription: "Part of the chain: `service_account`, `impersonation`, `token`, `audience`, `invoker`, `target` or `probe`."},
					"problem":  schema.StringAttribute{Computed: true, MarkdownDescription: "What is wrong."},
					"fix":      schema.StringAttribute{Computed: true, MarkdownDescription: "What to change."},
				}},
			},
			"summary": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The findings as text, one paragraph each (empty when there are none): handy as a `check` block's `error_message`.",
			},
			"caller_member": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The IAM member that mints the tokens, e.g. the service agent's `serviceAccount:service-…@gcp-sa-cloudscheduler.iam.gserviceaccount.com`.",
			},
			"effective_audience": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The OIDC audience the caller sends (null for OAuth).",
			},
			"target_kind": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "What the target resolved to: `run_service`, `function_gen1`, `function_gen2`, `google_api`, or null.",
			},
			"target_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The resource holding the invoker binding (for a gen2 function, its Cloud Run service).",
			},
			"accepted_audiences": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The OIDC audiences the target accepts.",
			},
			"probe_status": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "HTTP status the probe call got (null without `probe`, 0 when nothing was sent).",
			},
		},
	}
}

func (d *invocationChainDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("target_url"), path.MatchRoot("run_service"), path.MatchRoot("function")),
		datasourcevalidator.Conflicting(path.MatchRoot("run_service"), path.MatchRoot("function")),
	}
}

func (d *invocationChainDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.pd = pd
}

func (d *invocationChainDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m invocationChainModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checker := &chain.Checker{Client: d.pd.Client, Engine: d.pd.IAM}
	res, err := checker.Check(ctx, chain.Input{
		Caller:         m.Caller.ValueString(),
		ServiceAccount: m.ServiceAccount.ValueString(),
		TargetURL:      m.TargetURL.ValueString(),
		RunService:     m.RunService.ValueString(),
		Function:       m.Function.ValueString(),
		Audience:       m.Audience.ValueString(),
		TokenType:      m.TokenType.ValueString(),
		Project:        m.Project.ValueString(),
		Location:       m.Location.ValueString(),
		Probe:          m.Probe.ValueBool(),
	})
	if err != nil {
		var apiErr *googleapi.Error
		at, ok := chainErrorAttribute(err)
		switch {
		case ok && !errors.As(err, &apiErr):
			// Bad input: say so, on its attribute.
			resp.Diagnostics.AddAttributeError(at, "Invalid "+strings.ReplaceAll(at.String(), "_", " "), err.Error())
		case ok:
			summary, detail := gcpclient.Describe(err, "", "")
			resp.Diagnostics.AddAttributeError(at, "Cannot check the invocation chain: "+summary, detail)
		default:
			summary, detail := gcpclient.Describe(err, "", "")
			resp.Diagnostics.AddError("Cannot check the invocation chain: "+summary, detail)
		}
		return
	}
	resp.Diagnostics.Append(m.fill(res)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// chainErrorAttribute is the attribute an error of chain.Checker.Check is
// about, read from the input name it starts with ("caller ...",
// "service_account: ...", "target URL ...", "run service: ...",
// "function: ...", "token type ...").
func chainErrorAttribute(err error) (path.Path, bool) {
	msg := err.Error()
	for _, p := range []struct{ prefix, attr string }{
		{"caller", "caller"}, {"service_account", "service_account"}, {"reading service account", "service_account"},
		{"target URL", "target_url"}, {"run service", "run_service"}, {"reading Cloud Run service", "run_service"},
		{"function", "function"}, {"reading Cloud Function", "function"}, {"Cloud Function", "function"},
		{"token type", "token_type"}, {"reading project", "project"},
	} {
		if strings.HasPrefix(msg, p.prefix) {
			return path.Root(p.attr), true
		}
	}
	return path.Empty(), false
}

// fill sets the computed attributes from a check result.
func (m *invocationChainModel) fill(res *chain.Result) (diags diag.Diagnostics) {
	objType := types.ObjectType{AttrTypes: findingAttrTypes}
	elems := make([]attr.Value, 0, len(res.Findings))
	var summary []string
	for _, f := range res.Findings {
		obj, d := types.ObjectValue(findingAttrTypes, map[string]attr.Value{
			"code": types.StringValue(f.Code), "severity": types.StringValue(string(f.Severity)),
			"link": types.StringValue(f.Link), "problem": types.StringValue(f.Problem), "fix": types.StringValue(f.Fix),
		})
		diags.Append(d...)
		elems = append(elems, obj)
		summary = append(summary, fmt.Sprintf("[%s] %s: %s\nFix: %s", f.Severity, f.Link, f.Problem, f.Fix))
	}
	list, d := types.ListValue(objType, elems)
	diags.Append(d...)
	m.Findings = list
	m.OK = types.BoolValue(res.OK)
	m.Summary = types.StringValue(strings.Join(summary, "\n\n"))
	m.CallerMember = chainStringOrNull(res.CallerMember)
	m.EffectiveAudience = chainStringOrNull(res.Audience)
	m.TargetKind, m.TargetName = types.StringNull(), types.StringNull()
	var auds []attr.Value
	if t := res.Target; t != nil {
		m.TargetKind, m.TargetName = types.StringValue(t.Kind), chainStringOrNull(t.Name)
		for _, a := range t.Audiences {
			auds = append(auds, types.StringValue(a))
		}
	}
	if auds == nil {
		auds = []attr.Value{}
	}
	m.AcceptedAudiences, d = types.ListValue(types.StringType, auds)
	diags.Append(d...)
	m.ProbeStatus = types.Int64Null()
	if res.Probe != nil {
		m.ProbeStatus = types.Int64Value(int64(res.Probe.StatusCode))
	}
	return diags
}

func chainStringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// invocationChainModel is the state of data.gcpinvoke_invocation_chain.
type invocationChainModel struct {
	Caller            types.String `tfsdk:"caller"`
	ServiceAccount    types.String `tfsdk:"service_account"`
	TargetURL         types.String `tfsdk:"target_url"`
	RunService        types.String `tfsdk:"run_service"`
	Function          types.String `tfsdk:"function"`
	Audience          types.String `tfsdk:"audience"`
	TokenType         types.String `tfsdk:"token_type"`
	Project           types.String `tfsdk:"project"`
	Location          types.String `tfsdk:"location"`
	Probe             types.Bool   `tfsdk:"probe"`
	OK                types.Bool   `tfsdk:"ok"`
	Findings          types.List   `tfsdk:"findings"`
	Summary           types.String `tfsdk:"summary"`
	CallerMember      types.String `tfsdk:"caller_member"`
	EffectiveAudience types.String `tfsdk:"effective_audience"`
	TargetKind        types.String `tfsdk:"target_kind"`
	TargetName        types.String `tfsdk:"target_name"`
	AcceptedAudiences types.List   `tfsdk:"accepted_audiences"`
	ProbeStatus       types.Int64  `tfsdk:"probe_status"`
}
