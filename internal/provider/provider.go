// Package provider implements the gcpinvoke Terraform provider: schemas,
// plan checks and state mapping on top of internal/gcpclient.
package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/urlvalidator"
)

var (
	_ provider.Provider                     = (*gcpinvokeProvider)(nil)
	_ provider.ProviderWithConfigValidators = (*gcpinvokeProvider)(nil)
	_ provider.ProviderWithFunctions        = (*gcpinvokeProvider)(nil)
)

// resources lists the provider's resources: add one line per resource.
var resources = []func() resource.Resource{
	NewSchedulerJobResource,
	NewServiceAccountResource,
	NewServiceAgentImpersonationResource,
	NewRunServiceIAMMemberResource,
	NewRunServiceIAMMembersResource,
	NewCloudFunctionsFunctionIAMMemberResource,
	NewCloudFunctionsFunctionIAMMembersResource,
	NewServiceAccountIAMMemberResource,
	NewServiceAccountIAMMembersResource,
	NewCloudTasksQueueResource,
	NewWorkflowResource,
}

// dataSources lists the provider's data sources: add one line per data source.
var dataSources = []func() datasource.DataSource{
	NewServiceAgentDataSource,
	NewRunServiceDataSource,
	NewInvocationChainDataSource,
}

// functions lists the provider-defined functions: add one line per function.
var functions = []func() function.Function{
	NewServiceAgentEmailFunction,
	NewOIDCAudienceFunction,
	NewMemberFunction,
}

// EmulatorHostEnv names the environment variable that points the provider at
// a local emulator ("HOST:PORT").
const EmulatorHostEnv = "GCPINVOKE_EMULATOR_HOST"

// New returns the provider factory for version (set by goreleaser).
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &gcpinvokeProvider{version: version}
	}
}

// gcpinvokeProvider is the gcpinvoke provider.
type gcpinvokeProvider struct {
	version string
}

// Metadata implements provider.Provider.
func (p *gcpinvokeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "gcpinvoke"
	resp.Version = p.version
}

// Schema implements provider.Provider.
func (p *gcpinvokeProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"project": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Default project ID for resources that set none. Falls back to the environment variables " + envList(envProject) + ".",
			Validators:          []validator.String{gcpnamevalidator.ProjectID()},
		},
		"region": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Default location (region) for resources that set none, e.g. `us-central1`. Falls back to " + envList(envRegion) + ".",
			Validators:          []validator.String{gcpnamevalidator.Location()},
		},
		"credentials": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			MarkdownDescription: "Path to a Google credentials JSON file (service account key, `gcloud` user credentials, workload identity " +
				"federation config), or the JSON itself. Falls back to `GOOGLE_CREDENTIALS`; without it and `access_token`, " +
				"[Application Default Credentials](https://cloud.google.com/docs/authentication/application-default-credentials) are used " +
				"(`gcloud auth application-default login` or `GOOGLE_APPLICATION_CREDENTIALS`). Conflicts with `access_token`.",
		},
		"access_token": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			MarkdownDescription: "An OAuth 2.0 access token used as is (it is never refreshed, so it lasts about an hour), e.g. from " +
				"`gcloud auth print-access-token`. Falls back to `GOOGLE_OAUTH_ACCESS_TOKEN`. Conflicts with `credentials`.",
		},
		"impersonate_service_account": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Email of a service account to act as: every call uses its short-lived tokens, minted with the " +
				"base credentials (which need `roles/iam.serviceAccountTokenCreator` on it). Falls back to `GOOGLE_IMPERSONATE_SERVICE_ACCOUNT`.",
		},
		"request_timeout": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Upper bound of one API call including its retries of 429/5xx answers and dropped connections, "+
				"as a duration such as `90s` or `5m` (1s to 1h). Defaults to `%s`. Long-running operations are bounded by each resource's `timeouts` instead.",
				durationvalidator.Format(gcpclient.DefaultRequestTimeout)),
			Validators: []validator.String{durationvalidator.Between(time.Second, time.Hour)},
		},
		"emulator_host": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "`HOST:PORT` of a local emulator of the Google APIs (`gcpinvoke emulator`). Every API without a " +
				"`*_custom_endpoint` is then called at `http://HOST:PORT/` with a static bearer token (`access_token` if set, else " +
				"`emulator`), and no Google credentials are looked up. Falls back to `" + EmulatorHostEnv + "`.",
			Validators: []validator.String{emulatorHostValidator{}},
		},
	}
	for _, e := range endpointSettings {
		attrs[e.attr] = schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Base URL of the %s API, e.g. `%s`. Defaults to Google's endpoint. A trailing API "+
				"version segment (`/v1/`, `/v2/`) is removed, since the client adds it. Falls back to `%s`.", e.product, e.example, e.env),
			Validators: []validator.String{urlvalidator.HTTP()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `gcpinvoke` provider declares and verifies the IAM chain that lets Cloud Scheduler, Cloud Tasks " +
			"and Workflows call a private Cloud Run service or Cloud Function. Every setting is optional.",
		Attributes: attrs,
	}
}

// ConfigValidators implements provider.ProviderWithConfigValidators: the
// checks that run at validate and plan time.
func (p *gcpinvokeProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.Conflicting(path.MatchRoot("credentials"), path.MatchRoot("access_token")),
	}
}

// Configure implements provider.Provider: it builds the (lazy) client; no
// credentials are resolved here.
func (p *gcpinvokeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := m.unknownAttributes(); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, attr := range unknown {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Provider setting unknown at plan time",
				fmt.Sprintf("The provider's `%s` depends on a value known only after apply, but the provider needs it to plan. "+
					"Use a value known at plan time (a variable or literal), or apply the resource it depends on first (`terraform apply -target=...`).", attr))
		}
		return
	}

	cfg, diags := m.clientConfig(os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = userAgent(req.TerraformVersion, p.version)
	client, err := gcpclient.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "configured gcpinvoke provider", map[string]any{
		"project":     client.Project(),
		"region":      client.Region(),
		"auth_mode":   client.AuthMode(),
		"emulator":    client.EmulatorBaseURL(),
		"impersonate": client.ImpersonatedServiceAccount(),
	})
	data := &providerData{Client: client, IAM: iamengine.New(iamengine.Options{})}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

// Resources implements provider.Provider.
func (p *gcpinvokeProvider) Resources(context.Context) []func() resource.Resource {
	return resources
}

// DataSources implements provider.Provider.
func (p *gcpinvokeProvider) DataSources(context.Context) []func() datasource.DataSource {
	return dataSources
}

// Functions implements provider.ProviderWithFunctions.
func (p *gcpinvokeProvider) Functions(context.Context) []func() function.Function {
	return functions
}

// userAgent follows the Google provider's form:
// "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-gcpinvoke/1.0.0".
func userAgent(terraformVersion, version string) string {
	if version == "" {
		version = "dev"
	}
	ua := "terraform-provider-gcpinvoke/" + version
	if terraformVersion != "" {
		ua = fmt.Sprintf("Terraform/%s (+https://www.terraform.io) %s", terraformVersion, ua)
	}
	return ua
}

// Environment variables read when a setting is not in the configuration, in
// order of precedence.
var (
	envProject     = []string{"GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"}
	envRegion      = []string{"GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"}
	envCredentials = []string{"GOOGLE_CREDENTIALS"}
	envAccessToken = []string{"GOOGLE_OAUTH_ACCESS_TOKEN"}
	envImpersonate = []string{"GOOGLE_IMPERSONATE_SERVICE_ACCOUNT"}
	envEmulator    = []string{EmulatorHostEnv}
)

// endpointSetting describes one `*_custom_endpoint` attribute.
type endpointSetting struct {
	attr, env, product, example string
	field                       func(*gcpclient.Endpoints) *string
	value                       func(*providerModel) types.String
}

var endpointSettings = []endpointSetting{
	{"run_custom_endpoint", "GOOGLE_RUN_CUSTOM_ENDPOINT", "Cloud Run Admin", "https://run.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.Run }, func(m *providerModel) types.String { return m.RunCustomEndpoint }},
	{"cloudfunctions_custom_endpoint", "GOOGLE_CLOUDFUNCTIONS_CUSTOM_ENDPOINT", "Cloud Functions (v1 and v2)", "https://cloudfunctions.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.CloudFunctions }, func(m *providerModel) types.String { return m.CloudFunctionsCustomEndpoint }},
	{"iam_custom_endpoint", "GOOGLE_IAM_CUSTOM_ENDPOINT", "IAM", "https://iam.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.IAM }, func(m *providerModel) types.String { return m.IAMCustomEndpoint }},
	{"resourcemanager_custom_endpoint", "GOOGLE_RESOURCEMANAGER_CUSTOM_ENDPOINT", "Cloud Resource Manager", "https://cloudresourcemanager.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.ResourceManager }, func(m *providerModel) types.String { return m.ResourceManagerCustomEndpoint }},
	{"cloudscheduler_custom_endpoint", "GOOGLE_CLOUDSCHEDULER_CUSTOM_ENDPOINT", "Cloud Scheduler", "https://cloudscheduler.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.CloudScheduler }, func(m *providerModel) types.String { return m.CloudSchedulerCustomEndpoint }},
	{"iamcredentials_custom_endpoint", "GOOGLE_IAMCREDENTIALS_CUSTOM_ENDPOINT", "IAM Service Account Credentials", "https://iamcredentials.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.IAMCredentials }, func(m *providerModel) types.String { return m.IAMCredentialsCustomEndpoint }},
	{"cloudtasks_custom_endpoint", "GOOGLE_CLOUDTASKS_CUSTOM_ENDPOINT", "Cloud Tasks", "https://cloudtasks.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.CloudTasks }, func(m *providerModel) types.String { return m.CloudTasksCustomEndpoint }},
	{"workflows_custom_endpoint", "GOOGLE_WORKFLOWS_CUSTOM_ENDPOINT", "Workflows", "https://workflows.googleapis.com/",
		func(e *gcpclient.Endpoints) *string { return &e.Workflows }, func(m *providerModel) types.String { return m.WorkflowsCustomEndpoint }},
}

// providerModel is the provider block.
type providerModel struct {
	Project                       types.String `tfsdk:"project"`
	Region                        types.String `tfsdk:"region"`
	Credentials                   types.String `tfsdk:"credentials"`
	AccessToken                   types.String `tfsdk:"access_token"`
	ImpersonateServiceAccount     types.String `tfsdk:"impersonate_service_account"`
	RequestTimeout                types.String `tfsdk:"request_timeout"`
	EmulatorHost                  types.String `tfsdk:"emulator_host"`
	RunCustomEndpoint             types.String `tfsdk:"run_custom_endpoint"`
	CloudFunctionsCustomEndpoint  types.String `tfsdk:"cloudfunctions_custom_endpoint"`
	IAMCustomEndpoint             types.String `tfsdk:"iam_custom_endpoint"`
	ResourceManagerCustomEndpoint types.String `tfsdk:"resourcemanager_custom_endpoint"`
	CloudSchedulerCustomEndpoint  types.String `tfsdk:"cloudscheduler_custom_endpoint"`
	IAMCredentialsCustomEndpoint  types.String `tfsdk:"iamcredentials_custom_endpoint"`
	CloudTasksCustomEndpoint      types.String `tfsdk:"cloudtasks_custom_endpoint"`
	WorkflowsCustomEndpoint       types.String `tfsdk:"workflows_custom_endpoint"`
}
