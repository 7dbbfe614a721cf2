// Package plaintextbodyvalidator warns when a request body that the
// provider sends as plain text looks base64-encoded already: the
// google_cloud_scheduler_job habit of writing body = base64encode("…")
// (the Google provider sends body as given, so it must be base64) would make
// this provider encode it a second time, and the target would receive the
// base64 text instead of the payload.
package plaintextbodyvalidator

import (
	"context"
	"encoding/base64"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Warn returns the validator. It warns (never fails: a body may really be
// base64 text) when the whole value is standard padded base64 of at least
// 8 characters that decodes to printable UTF-8 text, which a payload meant
// as plain text almost never is (a word like "test" is not valid base64 of
// text; "dGVzdA==" is).
func Warn() validator.String { return warn{} }

type warn struct{}

func (warn) Description(context.Context) string {
	return "warns when the value looks like base64 of text (the body is sent as plain text)"
}

func (w warn) MarkdownDescription(ctx context.Context) string { return w.Description(ctx) }

func (warn) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !LooksBase64Text(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Body looks base64-encoded",
		"This body is valid base64 of text. Unlike google_cloud_scheduler_job, this resource's body is plain text: the provider "+
			"base64-encodes it on the wire, so the target will receive the base64 text itself, not what it decodes to. "+
			"If it comes from base64encode(\"…\"), write the plain string instead (body = \"…\"); if the target really expects "+
			"base64 text, ignore this warning.")
}

// LooksBase64Text reports whether s is standard padded base64 (at least 8
// characters) of printable UTF-8 text.
func LooksBase64Text(s string) bool {
	if len(s) < 8 || len(s)%4 != 0 {
		return false
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || !utf8.Valid(raw) {
		return false
	}
	for _, r := range string(raw) {
		if !unicode.IsPrint(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}
