package oauthscopevalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	const s = "Invalid OAuth scope"
	bad := func(name, v, detail string) validatortest.Case {
		return validatortest.Case{Name: name, Value: types.StringValue(v), WantSummary: s, WantDetail: detail}
	}
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "cloud-platform", Value: types.StringValue("https://www.googleapis.com/auth/cloud-platform")},
		{Name: "narrow scope", Value: types.StringValue("https://www.googleapis.com/auth/devstorage.read_only")},
		{Name: "Gmail's own scope", Value: types.StringValue("https://mail.google.com/")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		bad("bare name", "cloud-platform", `scope "cloud-platform" is not a scope URL; write "https://www.googleapis.com/auth/cloud-platform"`),
		bad("auth/ prefix", "auth/pubsub", `write "https://www.googleapis.com/auth/pubsub"`),
		bad("http", "http://www.googleapis.com/auth/pubsub", `must use https; write "https://www.googleapis.com/auth/pubsub"`),
		bad("HTTP in capitals", "HTTP://www.googleapis.com/auth/pubsub", `must use https; write "https://www.googleapis.com/auth/pubsub"`),
		bad("two scopes", "https://www.googleapis.com/auth/pubsub https://www.googleapis.com/auth/bigquery", `holds more than one value`),
		bad("not Google", "https://example.com/auth/x", `is not a Google OAuth scope (its host is "example.com")`),
		bad("no /auth/ path", "https://www.googleapis.com/pubsub", `Google API scopes are https://www.googleapis.com/auth/NAME`),
		bad("API URL instead of scope", "https://pubsub.googleapis.com/v1/projects/p/topics/t:publish", `is an API URL, not a scope`),
		bad("empty", "", `scope is empty`),
	})
}
