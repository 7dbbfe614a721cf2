package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// The OIDC audience of an http_target: its default and the warning about an
// explicit audience the target will refuse.

// checkTargetAudience warns about an explicit audience the target will refuse.
func checkTargetAudience(uri, aud string) diag.Diagnostics {
	var diags diag.Diagnostics
	want, err := gcpnames.DefaultOIDCAudience(uri)
	if err != nil || aud == want {
		return diags
	}
	if gcpnames.IsGen1FunctionURL(uri) {
		diags.AddAttributeWarning(pathTargetAud, "Audience is not the function URL",
			fmt.Sprintf("oidc_token.audience is %q, but a 1st gen Cloud Function accepts tokens whose audience is its URL %q: "+
				"other audiences get HTTP 401. Remove audience to use the function URL.", aud, want))
		return diags
	}
	if gcpnames.HasPathOrQuery(aud) {
		diags.AddAttributeWarning(pathTargetAud, "Audience has a path or query",
			fmt.Sprintf("oidc_token.audience %q carries a path or query. Cloud Run and 2nd gen functions accept only the service's root URL "+
				"(or a configured custom audience) and answer HTTP 401 to anything else. Remove audience to use the root URL %q, "+
				"or set it with provider::gcpinvoke::oidc_audience(uri).", aud, want))
	}
	return diags
}

// targetAudienceDefault plans oidc_token.audience from http_target.uri when
// the configuration leaves it out.
type targetAudienceDefault struct{}

func (targetAudienceDefault) Description(context.Context) string {
	return "defaults to the root URL of http_target.uri (the function URL for 1st gen functions)"
}

func (m targetAudienceDefault) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (targetAudienceDefault) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var uri types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, pathTargetURI, &uri)...)
	if uri.IsUnknown() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	if aud, err := gcpnames.DefaultOIDCAudience(uri.ValueString()); err == nil {
		resp.PlanValue = types.StringValue(aud)
	}
}
