package urlvalidator

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestHTTP(t *testing.T) {
	validatortest.Describes(t, HTTP())
	validatortest.Run(t, HTTP(), []validatortest.Case{
		{Name: "https with path", Value: types.StringValue("https://hello-abc-uc.a.run.app/tasks?x=1")},
		{Name: "http with port", Value: types.StringValue("http://svc-abc-uc.a.run.localhost:8080/")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "no scheme", Value: types.StringValue("hello-abc-uc.a.run.app/tasks"),
			WantSummary: "Invalid URL", WantDetail: `is not an absolute URL; write it with its scheme and host, e.g. "https://hello-abc-uc.a.run.app/tasks"`},
		{Name: "scheme only: no second scheme in the hint", Value: types.StringValue("https://"),
			WantSummary: "Invalid URL", WantDetail: `"https://" is not an absolute URL; write it with its scheme and host, e.g. "https://HOST"`},
		{Name: "one slash after the scheme", Value: types.StringValue("https:/example.com/x"),
			WantSummary: "Invalid URL", WantDetail: `e.g. "https://example.com/x"`},
		{Name: "colon missing after the scheme", Value: types.StringValue("https//example.com"),
			WantSummary: "Invalid URL", WantDetail: `e.g. "https://example.com"`},
		{Name: "path only", Value: types.StringValue("/run/me"),
			WantSummary: "Invalid URL", WantDetail: `e.g. "https://HOST/run/me"`},
		{Name: "ftp", Value: types.StringValue("ftp://files.example.com/"),
			WantSummary: "Invalid URL", WantDetail: `has scheme "ftp"`},
		{Name: "empty", Value: types.StringValue(""),
			WantSummary: "Invalid URL", WantDetail: "URL is empty"},
		{Name: "spaces", Value: types.StringValue(" https://a.example.com"),
			WantSummary: "Invalid URL", WantDetail: "leading or trailing spaces"},
		{Name: "port only", Value: types.StringValue("https://:443/"),
			WantSummary: "Invalid URL", WantDetail: "has no host name"},
		{Name: "bad escape", Value: types.StringValue("https://a.example.com/%zz"),
			WantSummary: "Invalid URL", WantDetail: "is not a valid URL"},
	})
}

func TestHTTPRejectsCredentialsWithoutEchoingThem(t *testing.T) {
	validatortest.Run(t, HTTP(), []validatortest.Case{
		{Name: "user info", Value: types.StringValue("https://bob:hunter2@a.example.com/"),
			WantSummary: "Invalid URL", WantDetail: "must not contain user info"},
	})
	// The detail of that case is a fixed sentence; check it carries no password.
	if err := check("https://bob:hunter2@a.example.com/", options{}); err == nil || contains(err.Error(), "hunter2") {
		t.Errorf("error %v shows the password", err)
	}
	if err := check("https://bob:hunter2@a.example.com/%zz", options{}); err == nil || contains(err.Error(), "hunter2") {
		t.Errorf("error %v shows the password", err)
	}
}

func TestHTTPRequireHTTPS(t *testing.T) {
	v := HTTP(RequireHTTPS())
	validatortest.Describes(t, v)
	validatortest.Run(t, v, []validatortest.Case{
		{Name: "https", Value: types.StringValue("https://hello-abc-uc.a.run.app")},
		{Name: "http", Value: types.StringValue("http://hello-abc-uc.a.run.app/x"),
			WantSummary: "Invalid URL", WantDetail: `uses http; write "https://hello-abc-uc.a.run.app/x"`},
		{Name: "HTTP in capitals: one scheme in the hint", Value: types.StringValue("HTTP://hello-abc-uc.a.run.app/x"),
			WantSummary: "Invalid URL", WantDetail: `uses http; write "https://hello-abc-uc.a.run.app/x"`},
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
