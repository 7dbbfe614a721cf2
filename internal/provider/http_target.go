package provider

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/oauthscopevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/serviceaccountemailvalidator"
)

// The http_target shared by gcpinvoke_scheduler_job and
// gcpinvoke_cloud_tasks_queue: the token attributes of its schema, and the
// plan-time rules (one kind of token, OAuth only to Google APIs, the OIDC
// audience, headers the product sets itself), worded per product.

// defaultOAuthScope is Google's default scope of an OAuth token.
const defaultOAuthScope = "https://www.googleapis.com/auth/cloud-platform"

var (
	pathHTTPTarget = path.Root("http_target")
	pathTargetURI  = pathHTTPTarget.AtName("uri")
	pathTargetOIDC = pathHTTPTarget.AtName("oidc_token")
	pathTargetAuth = pathHTTPTarget.AtName("oauth_token")
	pathTargetAud  = pathTargetOIDC.AtName("audience")
)

// httpTargetKind is the wording and shape of one product's http_target.
type httpTargetKind struct {
	product      string // "Cloud Scheduler"
	owner        string // what the resource is: "job"
	caller       string // who would call unauthenticated: "the job"
	failing      string // what fails with a wrong token: "the call"
	hostFrom     string // where the product takes Host from
	userAgent    string // the User-Agent the product sends
	headerPrefix string // lower-case prefix of the product's own headers
	headerShown  string // that prefix as the docs write it
	emailDoc     string // description of service_account_email
	audienceDoc  string // end of the description of oidc_token.audience
	hasBody      bool   // http_target has http_method with a default and body
	uriOptional  bool   // uri may be left out (each call then names its URL)
}

// jobHTTPTarget is the http_target of gcpinvoke_scheduler_job.
var jobHTTPTarget = httpTargetKind{
	product: "Cloud Scheduler", owner: "job", caller: "the job", failing: "the call",
	hostFrom: "http_target.uri", userAgent: "Google-Cloud-Scheduler",
	headerPrefix: "x-cloudscheduler", headerShown: "X-CloudScheduler*",
	emailDoc: "Email of the service account the token is minted for. The Cloud Scheduler service agent needs `roles/iam.serviceAccountTokenCreator` on it (see `gcpinvoke_service_agent_impersonation`).",
	audienceDoc: "; for a gen1 function URL (`*.cloudfunctions.net`) to the function URL without query. " +
		"An audience with a path or query makes Cloud Run answer 401.",
	hasBody: true,
}

// queueHTTPTarget is the http_target of gcpinvoke_cloud_tasks_queue.
var queueHTTPTarget = httpTargetKind{
	product: "Cloud Tasks", owner: "queue", caller: "every task", failing: "tasks",
	hostFrom: "the URL", userAgent: "Google-Cloud-Tasks",
	headerPrefix: "x-cloudtasks-", headerShown: "X-CloudTasks-*",
	emailDoc: "Email of the service account the token is minted for. The Cloud Tasks service agent " +
		"(`service-PROJECT_NUMBER@gcp-sa-cloudtasks.iam.gserviceaccount.com`) needs `roles/iam.serviceAccountTokenCreator` on it " +
		"(see `gcpinvoke_service_agent_impersonation` with `agent = \"cloudtasks\"`), and whoever creates tasks needs `iam.serviceAccounts.actAs`.",
	audienceDoc: ". Without `uri`, Cloud Tasks uses each task's full URL, which Cloud Run refuses " +
		"when it has a path: set the audience then.",
	uriOptional: true,
}

// ---- schema ----

func (k httpTargetKind) tokenEmailAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: k.emailDoc,
		Validators:          []validator.String{serviceaccountemailvalidator.Valid()},
	}
}

// headersAttribute is http_target.headers; intro starts its description.
func (k httpTargetKind) headersAttribute(intro string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType,
		Optional:    true,
		MarkdownDescription: intro + "Headers " + k.product + " sets itself are refused: `Host`, `Content-Length`, " +
			"`User-Agent`, `X-Google-*`, `X-AppEngine-*`, `" + k.headerShown + "`, and `Authorization` when a token is configured.",
		Validators: []validator.Map{mapvalidator.SizeAtLeast(1)},
	}
}

// oidcTokenAttribute is http_target.oidc_token.
func (k httpTargetKind) oidcTokenAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Send an OIDC ID token minted for a service account: for Cloud Run, Cloud Functions and your own endpoints. " +
			"Conflicts with `oauth_token`.",
		Attributes: map[string]schema.Attribute{
			"service_account_email": k.tokenEmailAttribute(),
			"audience": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The token's `aud` claim. Defaults to the **root URL** of `uri` (scheme and host, no path or query), " +
					"which Cloud Run and gen2 functions accept" + k.audienceDoc,
				PlanModifiers: []planmodifier.String{targetAudienceDefault{}},
			},
		},
	}
}

// oauthTokenAttribute is http_target.oauth_token.
func (k httpTargetKind) oauthTokenAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Send an OAuth 2.0 access token minted for a service account. Google attaches it only to Google API " +
			"hosts (`https://*.googleapis.com`), so it is refused for other targets and over `http://`. Conflicts with `oidc_token`.",
		Attributes: map[string]schema.Attribute{
			"service_account_email": k.tokenEmailAttribute(),
			"scope": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "OAuth scope of the token: one scope URL, `https://www.googleapis.com/auth/NAME`. Defaults to `" + defaultOAuthScope + "`.",
				Default:             stringdefault.StaticString(defaultOAuthScope),
				Validators:          []validator.String{oauthscopevalidator.Valid()},
			},
		},
	}
}

// ---- plan-time rules ----

// httpTargetConfig is the part of http_target the plan rules look at. An
// unknown value is "" with its known flag false.
type httpTargetConfig struct {
	URI, Method, Body, Audience          string
	URIKnown, MethodKnown, AudienceKnown bool
	BodySet, OIDC, OAuth                 bool
	Headers                              []string // names, nil when unknown
}

// validateConfig is the ValidateConfig of a resource with this http_target.
func (k httpTargetKind) validateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var target types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathHTTPTarget, &target)...)
	if resp.Diagnostics.HasError() || target.IsNull() || target.IsUnknown() {
		return
	}
	cfg, diags := k.readConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(k.check(cfg)...)
}

// readConfig reads the http_target attributes the rules need.
func (k httpTargetKind) readConfig(ctx context.Context, c tfsdk.Config) (httpTargetConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	var uri, method, body, aud types.String
	var oidc, oauth types.Object
	var headers types.Map
	diags.Append(c.GetAttribute(ctx, pathTargetURI, &uri)...)
	if k.hasBody {
		diags.Append(c.GetAttribute(ctx, pathHTTPTarget.AtName("http_method"), &method)...)
		diags.Append(c.GetAttribute(ctx, pathHTTPTarget.AtName("body"), &body)...)
	}
	diags.Append(c.GetAttribute(ctx, pathHTTPTarget.AtName("headers"), &headers)...)
	diags.Append(c.GetAttribute(ctx, pathTargetOIDC, &oidc)...)
	diags.Append(c.GetAttribute(ctx, pathTargetAuth, &oauth)...)
	if !oidc.IsNull() && !oidc.IsUnknown() {
		diags.Append(c.GetAttribute(ctx, pathTargetAud, &aud)...)
	}
	if diags.HasError() {
		return httpTargetConfig{}, diags
	}
	cfg := httpTargetConfig{
		URI: uri.ValueString(), URIKnown: !uri.IsUnknown() && !uri.IsNull(),
		Method: method.ValueString(), MethodKnown: !method.IsUnknown(),
		Body: body.ValueString(), BodySet: !body.IsNull(),
		Audience: aud.ValueString(), AudienceKnown: !aud.IsUnknown() && !aud.IsNull(),
		OIDC: !oidc.IsNull(), OAuth: !oauth.IsNull(),
	}
	if cfg.MethodKnown && method.IsNull() {
		cfg.Method = defaultJobHTTPMethod
	}
	if !headers.IsUnknown() {
		cfg.Headers = []string{}
		for h := range headers.Elements() {
			cfg.Headers = append(cfg.Headers, h)
		}
		sort.Strings(cfg.Headers)
	}
	return cfg, diags
}

// check applies the plan-time rules to an http_target.
func (k httpTargetKind) check(c httpTargetConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	if c.OIDC && c.OAuth {
		diags.AddAttributeError(pathTargetAuth, "Two kinds of token configured",
			"http_target sets both oidc_token and oauth_token, but a "+k.owner+" sends one token at most. Keep oidc_token for Cloud Run, "+
				"Cloud Functions and your own endpoints, or oauth_token for Google APIs (https://*.googleapis.com); remove the other.")
	}
	if c.OAuth && c.URIKnown && gcpnames.IsGoogleAPIURL(c.URI) {
		if u, err := url.Parse(strings.TrimSpace(c.URI)); err == nil && !strings.EqualFold(u.Scheme, "https") {
			diags.AddAttributeError(pathTargetURI, "OAuth token over plain HTTP",
				fmt.Sprintf("http_target.uri %q uses %s, but an OAuth access token may only be sent over https "+
					"(Google APIs answer only https). Write %q.", c.URI, u.Scheme, gcpnames.WithHTTPS(c.URI)))
		}
	}
	if c.OAuth && c.URIKnown && !gcpnames.IsGoogleAPIURL(c.URI) {
		diags.AddAttributeError(pathTargetAuth, "OAuth token for a non-Google target",
			fmt.Sprintf("http_target.uri %q is not a Google API (https://*.googleapis.com). %s never attaches OAuth access tokens "+
				"to other hosts, so %s would call the service unauthenticated (Cloud Run and Cloud Functions answer 403). "+
				"Use oidc_token { service_account_email = ... } instead: its audience defaults to the service's root URL.", c.URI, k.product, k.caller))
	}
	if c.OIDC && c.URIKnown && gcpnames.IsGoogleAPIURL(c.URI) {
		diags.AddAttributeWarning(pathTargetOIDC, "OIDC token for a Google API",
			fmt.Sprintf("http_target.uri %q is a Google API, and Google APIs expect an OAuth access token, not an OIDC ID token: "+
				"%s will most likely fail with 401. Use oauth_token { service_account_email = ... } for *.googleapis.com targets.", c.URI, k.failing))
	}
	if c.OIDC && c.AudienceKnown && c.URIKnown {
		diags.Append(checkTargetAudience(c.URI, c.Audience)...)
	}
	if k.uriOptional && c.OIDC && !c.URIKnown && c.AudienceKnown && gcpnames.HasPathOrQuery(c.Audience) {
		root, _ := gcpnames.OIDCAudience(c.Audience)
		diags.AddAttributeWarning(pathTargetAud, "Audience has a path or query",
			fmt.Sprintf("oidc_token.audience %q carries a path or query. Cloud Run and 2nd gen functions accept only the service's root URL "+
				"and answer HTTP 401 to anything else: use %q.", c.Audience, root))
	}
	if c.BodySet && c.MethodKnown {
		switch c.Method {
		case "POST", "PUT", "PATCH":
		default:
			diags.AddAttributeError(pathHTTPTarget.AtName("body"), "Body not allowed for this HTTP method",
				fmt.Sprintf("%s sends a body only with POST, PUT or PATCH, and http_method is %s. "+
					"Set http_method to POST, PUT or PATCH, or remove body.", k.product, c.Method))
		}
	}
	for _, h := range c.Headers {
		if why := k.forbiddenHeader(h, c.OIDC || c.OAuth); why != "" {
			diags.AddAttributeError(pathHTTPTarget.AtName("headers").AtMapKey(h), "Header not allowed",
				fmt.Sprintf("Header %q cannot be set on a %s %s: %s Remove it from http_target.headers.", h, k.product, k.owner, why))
		}
	}
	return diags
}

// forbiddenHeader says why the product refuses or overwrites a header (""
// when it may be set).
func (k httpTargetKind) forbiddenHeader(h string, token bool) string {
	l := strings.ToLower(h)
	switch {
	case l == "host":
		return k.product + " computes it from " + k.hostFrom + "."
	case l == "content-length":
		return k.product + " computes it from the body."
	case l == "user-agent":
		return k.product + " overwrites it with \"" + k.userAgent + "\"."
	case strings.HasPrefix(l, "x-google-"), strings.HasPrefix(l, "x-appengine-"):
		return "X-Google-* and X-AppEngine-* headers are reserved for Google."
	case strings.HasPrefix(l, k.headerPrefix):
		return k.product + " sets the " + k.headerShown + " headers itself."
	case l == "authorization" && token:
		return "the " + k.owner + "'s oidc_token or oauth_token sets Authorization."
	}
	return ""
}
