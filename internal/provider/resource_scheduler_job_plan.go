package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plan-time rules of gcpinvoke_scheduler_job: everything that can be known
// wrong before an API call is reported at validate/plan time, with the
// attribute path and the fix (the http_target rules: http_target.go).

// ValidateConfig implements resource.ResourceWithValidateConfig.
func (r *schedulerJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	jobHTTPTarget.validateConfig(ctx, req, resp)
}

// ConfigValidators implements resource.ResourceWithConfigValidators.
func (r *schedulerJobResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{backoffOrder{defaultMin: defaultJobMinBackoff, defaultMax: defaultJobMaxBackoff}}
}

// ModifyPlan implements resource.ResourceWithModifyPlan: project and
// location from the provider defaults, and the computed id and state.
func (r *schedulerJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	values := planLocationDefaults(ctx, req, resp, r.data, "job")
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
