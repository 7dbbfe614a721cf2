// Package stringcheck turns a func(string) error into a framework string
// validator, so each domain validator package is a few lines.
package stringcheck

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Check is a validator.String that runs Fn on known, non-null values and
// reports an error as an attribute diagnostic with Summary and the error text
// (plus Hint) as detail.
type Check struct {
	// Summary is the diagnostic summary, e.g. "Invalid cron schedule".
	Summary string
	// Desc is the plain-text description of what a valid value looks like.
	Desc string
	// MarkdownDesc is the Markdown description; Desc is used when empty.
	MarkdownDesc string
	// Hint is appended to the error text in the diagnostic detail, if set.
	Hint string
	// Fn validates a value; a nil error means valid.
	Fn func(string) error
}

var _ validator.String = Check{}

// Description implements validator.Describer.
func (c Check) Description(context.Context) string { return c.Desc }

// MarkdownDescription implements validator.Describer.
func (c Check) MarkdownDescription(context.Context) string {
	if c.MarkdownDesc != "" {
		return c.MarkdownDesc
	}
	return c.Desc
}

// ValidateString implements validator.String. Null and unknown values are
// skipped so that plans with values known only after apply still validate.
func (c Check) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := c.Fn(req.ConfigValue.ValueString()); err != nil {
		detail := err.Error()
		if c.Hint != "" {
			detail += ". " + c.Hint
		}
		resp.Diagnostics.AddAttributeError(req.Path, c.Summary, detail)
	}
}
