package provider

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Plan-time rules of gcpinvoke_scheduler_job: everything that can be known
// wrong before an API call is reported at validate/plan time, with the
// attribute path and the fix.

var (
	pathJobHTTPTarget = path.Root("http_target")
	pathJobURI        = pathJobHTTPTarget.AtName("uri")
	pathJobOIDC       = pathJobHTTPTarget.AtName("oidc_token")
	pathJobOAuth      = pathJobHTTPTarget.AtName("oauth_token")
	pathJobAud        = pathJobOIDC.AtName("audience")
)

// jobTargetConfig is the part of http_target the plan rules look at. An
// unknown value is "" with its known flag false.
type jobTargetConfig struct {
	URI, Method, Body, Audience          string
	URIKnown, MethodKnown, AudienceKnown bool
	BodySet, OIDC, OAuth                 bool
	Headers                              []string // names, nil when unknown
}

// ValidateConfig implements resource.ResourceWithValidateConfig.
func (r *schedulerJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var target types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathJobHTTPTarget, &target)...)
	if resp.Diagnostics.HasError() || target.IsNull() || target.IsUnknown() {
		return
	}
	cfg, diags := readJobTargetConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(checkJobTarget(cfg)...)
}

// readJobTargetConfig reads the http_target attributes the rules need.
func readJobTargetConfig(ctx context.Context, c tfsdk.Config) (jobTargetConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	var uri, method, body, aud types.String
	var oidc, oauth types.Object
	var headers types.Map
	diags.Append(c.GetAttribute(ctx, pathJobURI, &uri)...)
	diags.Append(c.GetAttribute(ctx, pathJobHTTPTarget.AtName("http_method"), &method)...)
	diags.Append(c.GetAttribute(ctx, pathJobHTTPTarget.AtName("body"), &body)...)
	diags.Append(c.GetAttribute(ctx, pathJobHTTPTarget.AtName("headers"), &headers)...)
	diags.Append(c.GetAttribute(ctx, pathJobOIDC, &oidc)...)
	diags.Append(c.GetAttribute(ctx, pathJobOAuth, &oauth)...)
	if !oidc.IsNull() && !oidc.IsUnknown() {
		diags.Append(c.GetAttribute(ctx, pathJobAud, &aud)...)
	}
	if diags.HasError() {
		return jobTargetConfig{}, diags
	}
	cfg := jobTargetConfig{
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
		for k := range headers.Elements() {
			cfg.Headers = append(cfg.Headers, k)
		}
		sort.Strings(cfg.Headers)
	}
	return cfg, diags
}

// checkJobTarget applies the plan-time rules to an http_target.
func checkJobTarget(c jobTargetConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	if c.OIDC && c.OAuth {
		diags.AddAttributeError(pathJobOAuth, "Two kinds of token configured",
			"http_target sets both oidc_token and oauth_token, but a job sends one token at most. Keep oidc_token for Cloud Run, "+
				"Cloud Functions and your own endpoints, or oauth_token for Google APIs (https://*.googleapis.com); remove the other.")
	}
	if c.OAuth && c.URIKnown && !gcpnames.IsGoogleAPIURL(c.URI) {
		diags.AddAttributeError(pathJobOAuth, "OAuth token for a non-Google target",
			fmt.Sprintf("http_target.uri %q is not a Google API (https://*.googleapis.com). Cloud Scheduler never attaches OAuth access tokens "+
				"to other hosts, so the job would call the service unauthenticated (Cloud Run and Cloud Functions answer 403). "+
				"Use oidc_token { service_account_email = ... } instead: its audience defaults to the service's root URL.", c.URI))
	}
	if c.OIDC && c.URIKnown && gcpnames.IsGoogleAPIURL(c.URI) {
		diags.AddAttributeWarning(pathJobOIDC, "OIDC token for a Google API",
			fmt.Sprintf("http_target.uri %q is a Google API, and Google APIs expect an OAuth access token, not an OIDC ID token: "+
				"the call will most likely fail with 401. Use oauth_token { service_account_email = ... } for *.googleapis.com targets.", c.URI))
	}
	if c.OIDC && c.AudienceKnown && c.URIKnown {
		diags.Append(checkJobAudience(c.URI, c.Audience)...)
	}
	if c.BodySet && c.MethodKnown {
		switch c.Method {
		case "POST", "PUT", "PATCH":
		default:
			diags.AddAttributeError(pathJobHTTPTarget.AtName("body"), "Body not allowed for this HTTP method",
				fmt.Sprintf("Cloud Scheduler sends a body only with POST, PUT or PATCH, and http_method is %s. "+
					"Set http_method to POST, PUT or PATCH, or remove body.", c.Method))
		}
	}
	for _, h := range c.Headers {
		if why := jobForbiddenHeader(h, c.OIDC || c.OAuth); why != "" {
			diags.AddAttributeError(pathJobHTTPTarget.AtName("headers").AtMapKey(h), "Header not allowed",
				fmt.Sprintf("Header %q cannot be set on a Cloud Scheduler job: %s Remove it from http_target.headers.", h, why))
		}
	}
	return diags
}

// checkJobAudience warns about an explicit audience the target will refuse.
func checkJobAudience(uri, aud string) diag.Diagnostics {
	var diags diag.Diagnostics
	want, err := jobDefaultAudience(uri)
	if err != nil || aud == want {
		return diags
	}
	if jobIsGen1FunctionURL(uri) {
		diags.AddAttributeWarning(pathJobAud, "Audience is not the function URL",
			fmt.Sprintf("oidc_token.audience is %q, but a 1st gen Cloud Function accepts tokens whose audience is its URL %q: "+
				"other audiences get HTTP 401. Remove audience to use the function URL.", aud, want))
		return diags
	}
	if gcpnames.HasPathOrQuery(aud) {
		diags.AddAttributeWarning(pathJobAud, "Audience has a path or query",
			fmt.Sprintf("oidc_token.audience %q carries a path or query. Cloud Run and 2nd gen functions accept only the service's root URL "+
				"(or a configured custom audience) and answer HTTP 401 to anything else. Remove audience to use the root URL %q, "+
				"or set it with provider::gcpinvoke::oidc_audience(uri).", aud, want))
	}
	return diags
}

// jobForbiddenHeader says why Cloud Scheduler refuses or overwrites a
// header ("" when it may be set).
func jobForbiddenHeader(h string, token bool) string {
	l := strings.ToLower(h)
	switch {
	case l == "host":
		return "Cloud Scheduler computes it from http_target.uri."
	case l == "content-length":
		return "Cloud Scheduler computes it from the body."
	case l == "user-agent":
		return "Cloud Scheduler overwrites it with \"Google-Cloud-Scheduler\"."
	case strings.HasPrefix(l, "x-google-"), strings.HasPrefix(l, "x-appengine-"):
		return "X-Google-* and X-AppEngine-* headers are reserved for Google."
	case strings.HasPrefix(l, "x-cloudscheduler"):
		return "Cloud Scheduler sets the X-CloudScheduler* headers itself."
	case l == "authorization" && token:
		return "the job's oidc_token or oauth_token sets Authorization."
	}
	return ""
}

// jobDefaultAudience is the audience used when oidc_token.audience is not
// set: the root URL of uri, or for a 1st gen function URL
// (https://REGION-PROJECT.cloudfunctions.net/FUNCTION) the function URL.
func jobDefaultAudience(uri string) (string, error) {
	root, err := gcpnames.OIDCAudience(uri)
	if err != nil {
		return "", err
	}
	if jobIsGen1FunctionURL(uri) {
		u, _ := url.Parse(strings.TrimSpace(uri))
		if fn, _, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/"); fn != "" {
			return root + "/" + fn, nil
		}
	}
	return root, nil
}

// jobIsGen1FunctionURL reports whether uri addresses a 1st gen Cloud
// Function (*.cloudfunctions.net, or the emulator's *.cloudfunctions.localhost).
func jobIsGen1FunctionURL(uri string) bool {
	u, err := url.Parse(strings.TrimSpace(uri))
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.HasSuffix(h, ".cloudfunctions.net") || strings.HasSuffix(h, ".cloudfunctions.localhost")
}

// jobAudienceDefault plans oidc_token.audience from http_target.uri when
// the configuration leaves it out.
type jobAudienceDefault struct{}

func (jobAudienceDefault) Description(context.Context) string {
	return "defaults to the root URL of http_target.uri (the function URL for 1st gen functions)"
}

func (m jobAudienceDefault) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (jobAudienceDefault) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var uri types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, pathJobURI, &uri)...)
	if uri.IsUnknown() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	if aud, err := jobDefaultAudience(uri.ValueString()); err == nil {
		resp.PlanValue = types.StringValue(aud)
	}
}

// ModifyPlan implements resource.ResourceWithModifyPlan: project and
// location from the provider defaults, and the computed id and state.
func (r *schedulerJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	defaults := map[string]string{"project": r.data.Client.Project(), "location": r.data.Client.Region()}
	providerSetting := map[string]string{"project": "project", "location": "region"}
	values := map[string]types.String{}
	for _, attr := range []string{"project", "location"} {
		var cfg, st types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attr), &cfg)...)
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(attr), &st)...)
		}
		v := cfg
		if cfg.IsNull() {
			if defaults[attr] == "" {
				resp.Diagnostics.AddAttributeError(path.Root(attr), "No "+attr+" for the job",
					fmt.Sprintf("Set %s on the resource, or %s in the provider block (or its environment variable).", attr, providerSetting[attr]))
				continue
			}
			v = types.StringValue(defaults[attr])
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attr), v)...)
			if !st.IsNull() && !st.Equal(v) {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attr))
			}
		}
		values[attr] = v
	}
	var name types.String
	var paused types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("paused"), &paused)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, l := values["project"], values["location"]
	if !p.IsUnknown() && !l.IsUnknown() && !name.IsUnknown() {
		id := "projects/" + p.ValueString() + "/locations/" + l.ValueString() + "/jobs/" + name.ValueString()
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), id)...)
	}
	if !req.State.Raw.IsNull() && !paused.IsUnknown() {
		var prior types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("state"), &prior)...)
		state := prior
		if wasPaused := prior.ValueString() == "PAUSED"; wasPaused != paused.ValueBool() || prior.IsNull() {
			state = types.StringValue(map[bool]string{true: "PAUSED", false: "ENABLED"}[paused.ValueBool()])
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("state"), state)...)
	} else if !paused.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("state"), map[bool]string{true: "PAUSED", false: "ENABLED"}[paused.ValueBool()])...)
	}
}
