package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The warnings and errors of http_target, as `terraform plan` shows them.
func TestCheckJobTarget(t *testing.T) {
	const run = "https://hello-abc-uc.a.run.app"
	known := func(c httpTargetConfig) httpTargetConfig {
		c.URIKnown, c.MethodKnown = true, true
		if c.Method == "" {
			c.Method = "POST"
		}
		if c.Audience != "" {
			c.AudienceKnown = true
		}
		return c
	}
	cases := []struct {
		name     string
		in       httpTargetConfig
		errors   []string // substrings, one per expected error
		warnings []string
	}{
		{name: "unauthenticated target", in: known(httpTargetConfig{URI: run + "/x"})},
		{name: "oidc to run, default audience", in: known(httpTargetConfig{URI: run + "/x?y=1", OIDC: true})},
		{name: "oidc with root audience", in: known(httpTargetConfig{URI: run + "/x", OIDC: true, Audience: run})},
		{name: "oidc with custom audience without path", in: known(httpTargetConfig{URI: run + "/x", OIDC: true, Audience: "my-audience"})},
		{name: "oidc audience with path", in: known(httpTargetConfig{URI: run + "/x", OIDC: true, Audience: run + "/x"}),
			warnings: []string{`"https://hello-abc-uc.a.run.app/x" carries a path or query`}},
		{name: "oidc audience with query", in: known(httpTargetConfig{URI: run, OIDC: true, Audience: run + "?a=1"}),
			warnings: []string{"HTTP 401"}},
		{name: "gen1 function url audience", in: known(httpTargetConfig{URI: "https://r-p.cloudfunctions.net/fn?x=1", OIDC: true, Audience: "https://r-p.cloudfunctions.net/fn"})},
		{name: "gen1 function root audience", in: known(httpTargetConfig{URI: "https://r-p.cloudfunctions.net/fn", OIDC: true, Audience: "https://r-p.cloudfunctions.net"}),
			warnings: []string{`accepts tokens whose audience is its URL "https://r-p.cloudfunctions.net/fn"`}},
		{name: "oidc to google api", in: known(httpTargetConfig{URI: "https://compute.googleapis.com/x", OIDC: true}),
			warnings: []string{"Use oauth_token"}},
		{name: "oauth to google api", in: known(httpTargetConfig{URI: "https://compute.googleapis.com/x", OAuth: true})},
		{name: "oauth to run", in: known(httpTargetConfig{URI: run, OAuth: true}),
			errors: []string{"never attaches OAuth access tokens"}},
		{name: "oauth to unknown uri", in: httpTargetConfig{OAuth: true}},
		{name: "both tokens", in: known(httpTargetConfig{URI: "https://compute.googleapis.com/x", OAuth: true, OIDC: true}),
			errors: []string{"both oidc_token and oauth_token"}, warnings: []string{"Use oauth_token"}},
		{name: "body with DELETE", in: known(httpTargetConfig{URI: run, Method: "DELETE", BodySet: true}),
			errors: []string{"http_method is DELETE"}},
		{name: "body with PATCH", in: known(httpTargetConfig{URI: run, Method: "PATCH", BodySet: true})},
		{name: "body with unknown method", in: httpTargetConfig{URI: run, URIKnown: true, BodySet: true}},
		{name: "headers", in: known(httpTargetConfig{URI: run, OIDC: true,
			Headers: []string{"Authorization", "Content-Type", "HOST", "X-AppEngine-Country", "X-CloudScheduler-JobName", "X-Custom"}}),
			errors: []string{`"Authorization"`, `"HOST"`, `"X-AppEngine-Country"`, `"X-CloudScheduler-JobName"`}},
		{name: "authorization without token", in: known(httpTargetConfig{URI: run, Headers: []string{"Authorization"}})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := jobHTTPTarget.check(c.in)
			assertDiags(t, "error", diags.Errors(), c.errors)
			assertDiags(t, "warning", diags.Warnings(), c.warnings)
		})
	}
}

func assertDiags(t *testing.T, kind string, got diag.Diagnostics, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d %ss, want %d: %v", len(got), kind, len(want), got)
	}
	for i, w := range want {
		if text := got[i].Summary() + ": " + got[i].Detail(); !strings.Contains(text, w) {
			t.Errorf("%s %d = %q, want it to contain %q", kind, i, text, w)
		}
	}
}
