package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
)

// backoffOrder is the retry_config rule Cloud Scheduler and Cloud Tasks
// share: min_backoff must not be longer than max_backoff (Google refuses the
// job or queue with 400 INVALID_ARGUMENT otherwise). A side left out of the
// configuration is Google's default for it.
type backoffOrder struct {
	defaultMin, defaultMax string
}

var _ resource.ConfigValidator = backoffOrder{}

var (
	pathMinBackoff = path.Root("retry_config").AtName("min_backoff")
	pathMaxBackoff = path.Root("retry_config").AtName("max_backoff")
)

// Description implements resource.ConfigValidator.
func (v backoffOrder) Description(context.Context) string {
	return "retry_config.min_backoff must not be longer than retry_config.max_backoff"
}

// MarkdownDescription implements resource.ConfigValidator.
func (v backoffOrder) MarkdownDescription(ctx context.Context) string {
	return "`retry_config.min_backoff` must not be longer than `retry_config.max_backoff`"
}

// ValidateResource implements resource.ConfigValidator.
func (v backoffOrder) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var minB, maxB types.String
	var rc types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("retry_config"), &rc)...)
	if resp.Diagnostics.HasError() || rc.IsNull() || rc.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathMinBackoff, &minB)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathMaxBackoff, &maxB)...)
	if resp.Diagnostics.HasError() || minB.IsUnknown() || maxB.IsUnknown() || (minB.IsNull() && maxB.IsNull()) {
		return
	}
	minS, maxS := orDefault(minB.ValueString(), v.defaultMin), orDefault(maxB.ValueString(), v.defaultMax)
	minD, err1 := durationvalidator.Parse(minS)
	maxD, err2 := durationvalidator.Parse(maxS)
	if err1 != nil || err2 != nil || minD <= maxD {
		return // a malformed duration is reported by its own validator
	}
	at, other := pathMinBackoff, "max_backoff"
	if minB.IsNull() {
		at, other = pathMaxBackoff, "min_backoff"
	}
	shownMax := fmt.Sprintf("%q", maxS)
	if maxB.IsNull() {
		shownMax += " (the default)"
	}
	shownMin := fmt.Sprintf("%q", minS)
	if minB.IsNull() {
		shownMin += " (the default)"
	}
	resp.Diagnostics.AddAttributeError(at, "min_backoff is longer than max_backoff",
		fmt.Sprintf("retry_config.min_backoff %s is longer than retry_config.max_backoff %s, which Google refuses. "+
			"Write retry_config = { min_backoff = ..., max_backoff = ... } with min_backoff at most max_backoff "+
			"(set %s too if you rely on its default).", shownMin, shownMax, other))
}
