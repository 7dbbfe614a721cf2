package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// iamRequiresReplaceUnlessSameTarget is RequiresReplace for an attribute
// naming the IAM target, except when the old and new values are two
// spellings of the same target (same(state, plan)): then the plan is an
// in-place update that only records the configuration's spelling. An import
// by the other spelling than the configuration's thus plans no replacement.
func iamRequiresReplaceUnlessSameTarget(same func(a, b string) bool) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !same(req.StateValue.ValueString(), req.PlanValue.ValueString())
		},
		"Changing it to another target replaces the resource; another spelling of the same target is updated in place.",
		"Changing it to another target replaces the resource; another spelling of the same target is updated in place.",
	)
}
