package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
)

// clearEnv unsets every environment variable the provider reads, so the
// developer's or CI's shell cannot change a test's outcome.
func clearEnv(t *testing.T) {
	t.Helper()
	all := [][]string{envProject, envRegion, envCredentials, envAccessToken, envImpersonate, envEmulator}
	for _, e := range endpointSettings {
		all = append(all, []string{e.env})
	}
	for _, envs := range all {
		for _, e := range envs {
			t.Setenv(e, "")
		}
	}
}

func providerSchema(t *testing.T) provider.SchemaResponse {
	t.Helper()
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp
}

// configValue builds the provider block with the given string attributes set
// (an attribute mapped to nil is unknown) and every other attribute null.
func configValue(t *testing.T, attrs map[string]any) (tftypes.Object, tftypes.Value) {
	t.Helper()
	typ := providerSchema(t).Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(tftypes.String, nil)
	}
	for name, v := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q in the provider schema", name)
		}
		if v == nil {
			vals[name] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
			continue
		}
		vals[name] = tftypes.NewValue(tftypes.String, v.(string))
	}
	return typ, tftypes.NewValue(typ, vals)
}

// validate runs ValidateProviderConfig through the protocol server, as
// `terraform validate` does.
func validate(t *testing.T, attrs map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	typ, val := configValue(t, attrs)
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		t.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// configure runs Configure on the given attributes.
func configure(t *testing.T, attrs map[string]any, deferral bool) *provider.ConfigureResponse {
	t.Helper()
	_, val := configValue(t, attrs)
	req := provider.ConfigureRequest{
		TerraformVersion:   "1.11.4",
		Config:             tfsdk.Config{Schema: providerSchema(t).Schema, Raw: val},
		ClientCapabilities: provider.ConfigureProviderClientCapabilities{DeferralAllowed: deferral},
	}
	resp := &provider.ConfigureResponse{}
	New("1.2.3")().Configure(context.Background(), req, resp)
	return resp
}

func clientOf(t *testing.T, resp *provider.ConfigureResponse) *gcpclient.Client {
	t.Helper()
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", resp.Diagnostics)
	}
	pd, diags := providerDataFrom(resp.ResourceData)
	if diags.HasError() || pd == nil || pd.Client == nil {
		t.Fatalf("ResourceData = %#v (%v)", resp.ResourceData, diags)
	}
	if resp.DataSourceData != resp.ResourceData {
		t.Error("data sources get different provider data than resources")
	}
	return pd.Client
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail)
		if d.Attribute != nil {
			b.WriteString(" @" + d.Attribute.String())
		}
		b.WriteString("\n")
	}
	return b.String()
}

func frameworkDiagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestProviderMetadataAndSchema(t *testing.T) {
	var md provider.MetadataResponse
	New("9.9.9")().Metadata(context.Background(), provider.MetadataRequest{}, &md)
	if md.TypeName != "gcpinvoke" || md.Version != "9.9.9" {
		t.Errorf("metadata = %+v", md)
	}
	s := providerSchema(t).Schema
	if diags := s.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("schema implementation: %v", diags)
	}
	for name, attr := range s.Attributes {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("attribute %q has no description", name)
		}
		if attr.IsRequired() {
			t.Errorf("attribute %q is required; every provider setting must be optional", name)
		}
	}
	for _, name := range []string{"credentials", "access_token"} {
		if !s.Attributes[name].IsSensitive() {
			t.Errorf("%s must be sensitive", name)
		}
	}
	if len(s.Attributes) != 15 {
		t.Errorf("schema has %d attributes, want 15", len(s.Attributes))
	}
}

func TestValidateProviderConfig(t *testing.T) {
	tests := []struct {
		name    string
		attrs   map[string]any
		wantErr []string // substrings of the diagnostics; none = valid
	}{
		{name: "empty block is valid", attrs: nil},
		{name: "full valid block", attrs: map[string]any{
			"project": "demo-project", "region": "us-central1", "credentials": "/k.json", "impersonate_service_account": "d@p.iam.gserviceaccount.com",
			"request_timeout": "90s", "emulator_host": "127.0.0.1:8085", "run_custom_endpoint": "https://run.googleapis.com/v2/",
			"workflows_custom_endpoint": "http://127.0.0.1:8085/",
		}},
		{name: "credentials and access_token conflict", attrs: map[string]any{"credentials": "/k.json", "access_token": "tok"},
			wantErr: []string{"credentials", "access_token"}},
		{name: "bare host:port endpoint", attrs: map[string]any{"iam_custom_endpoint": "127.0.0.1:8085"},
			wantErr: []string{"Invalid URL", "iam_custom_endpoint"}},
		{name: "endpoint with another scheme", attrs: map[string]any{"cloudtasks_custom_endpoint": "ftp://h/"},
			wantErr: []string{"cloudtasks_custom_endpoint"}},
		{name: "emulator host without port", attrs: map[string]any{"emulator_host": "localhost"},
			wantErr: []string{"Invalid emulator host", "HOST:PORT"}},
		{name: "request timeout not a duration", attrs: map[string]any{"request_timeout": "5 minutes"},
			wantErr: []string{"request_timeout"}},
		{name: "request timeout too long", attrs: map[string]any{"request_timeout": "2h"},
			wantErr: []string{"request_timeout"}},
		{name: "project that is not a project ID", attrs: map[string]any{"project": "p"},
			wantErr: []string{"Invalid project ID", `project ID "p" has 1 characters`}},
		{name: "region that is a zone", attrs: map[string]any{"region": "us-central1-a"},
			wantErr: []string{"Invalid location", `use its region "us-central1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := validate(t, tt.attrs)
			text := diagText(diags)
			if len(tt.wantErr) == 0 {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostics, got:\n%s", text)
				}
				return
			}
			if len(diags) == 0 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
				t.Fatalf("want an error, got:\n%s", text)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestConfigureEnvironmentFallbacks(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		attrs       map[string]any
		wantProject string
		wantRegion  string
		wantMode    string
	}{
		{name: "nothing set", wantMode: gcpclient.AuthApplicationDefault},
		{name: "GOOGLE_CLOUD_PROJECT", env: map[string]string{"GOOGLE_CLOUD_PROJECT": "p2", "CLOUDSDK_COMPUTE_REGION": "europe-west1"},
			wantProject: "p2", wantRegion: "europe-west1", wantMode: gcpclient.AuthApplicationDefault},
		{name: "GOOGLE_PROJECT wins over the others", env: map[string]string{"GOOGLE_PROJECT": "p1", "GOOGLE_CLOUD_PROJECT": "p2", "CLOUDSDK_CORE_PROJECT": "p4"},
			wantProject: "p1", wantMode: gcpclient.AuthApplicationDefault},
		{name: "configuration wins over environment", env: map[string]string{"GOOGLE_PROJECT": "env-p", "GOOGLE_REGION": "env-r"},
			attrs: map[string]any{"project": "cfg-p", "region": "cfg-r"}, wantProject: "cfg-p", wantRegion: "cfg-r", wantMode: gcpclient.AuthApplicationDefault},
		{name: "access token from env", env: map[string]string{"GOOGLE_OAUTH_ACCESS_TOKEN": "t"}, wantMode: gcpclient.AuthAccessToken},
		{name: "credentials from env", env: map[string]string{"GOOGLE_CREDENTIALS": "/k.json"}, wantMode: gcpclient.AuthCredentials},
		{name: "configured credentials beat the token variable", env: map[string]string{"GOOGLE_OAUTH_ACCESS_TOKEN": "t"},
			attrs: map[string]any{"credentials": "/k.json"}, wantMode: gcpclient.AuthCredentials},
		{name: "configured token beats the credentials variable", env: map[string]string{"GOOGLE_CREDENTIALS": "/k.json"},
			attrs: map[string]any{"access_token": "t"}, wantMode: gcpclient.AuthAccessToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c := clientOf(t, configure(t, tt.attrs, false))
			if c.Project() != tt.wantProject || c.Region() != tt.wantRegion || c.AuthMode() != tt.wantMode {
				t.Errorf("project=%q region=%q mode=%q; want %q %q %q", c.Project(), c.Region(), c.AuthMode(), tt.wantProject, tt.wantRegion, tt.wantMode)
			}
		})
	}
}

func TestConfigureEmulatorHostFromEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv(EmulatorHostEnv, "127.0.0.1:8085")
	t.Setenv("GOOGLE_WORKFLOWS_CUSTOM_ENDPOINT", "http://127.0.0.1:9999/wf/")
	c := clientOf(t, configure(t, map[string]any{"request_timeout": "45s"}, false))
	if c.EmulatorBaseURL() != "http://127.0.0.1:8085/" || c.AuthMode() != gcpclient.AuthEmulator {
		t.Fatalf("emulator = %q mode = %q", c.EmulatorBaseURL(), c.AuthMode())
	}
	ep := c.Endpoints()
	if ep.Run != "http://127.0.0.1:8085/" || ep.IAM != "http://127.0.0.1:8085/" || ep.Workflows != "http://127.0.0.1:9999/wf/" {
		t.Errorf("endpoints = %+v", ep)
	}
	if c.RequestTimeout().String() != "45s" {
		t.Errorf("request timeout = %s", c.RequestTimeout())
	}
	if ua := c.UserAgent(); ua != "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-gcpinvoke/1.2.3" {
		t.Errorf("user agent = %q", ua)
	}
}

func TestConfigureErrors(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		attrs map[string]any
		want  []string
	}{
		{name: "both credential variables", env: map[string]string{"GOOGLE_CREDENTIALS": "/k.json", "GOOGLE_OAUTH_ACCESS_TOKEN": "secret-tok"},
			want: []string{"Conflicting credentials", "`credentials` (from environment variable GOOGLE_CREDENTIALS)", "`access_token` (from environment variable GOOGLE_OAUTH_ACCESS_TOKEN)"}},
		{name: "bad endpoint variable", env: map[string]string{"GOOGLE_CLOUDSCHEDULER_CUSTOM_ENDPOINT": "cloudscheduler.googleapis.com"},
			want: []string{"Invalid custom endpoint", "GOOGLE_CLOUDSCHEDULER_CUSTOM_ENDPOINT", "absolute http:// or https:// URL"}},
		{name: "bad emulator variable", env: map[string]string{EmulatorHostEnv: "http://x"},
			want: []string{"Invalid emulator host", EmulatorHostEnv}},
		{name: "unknown setting without deferral", attrs: map[string]any{"project": nil},
			want: []string{"Provider setting unknown at plan time", "`project`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			resp := configure(t, tt.attrs, false)
			text := frameworkDiagText(resp.Diagnostics)
			if !resp.Diagnostics.HasError() || resp.ResourceData != nil {
				t.Fatalf("want an error and no provider data, got %q", text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "secret-tok") {
				t.Error("diagnostics contain the access token")
			}
		})
	}
}

func TestConfigureDefersUnknownSettings(t *testing.T) {
	clearEnv(t)
	resp := configure(t, map[string]any{"emulator_host": nil}, true)
	if resp.Diagnostics.HasError() || resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown {
		t.Fatalf("deferred = %+v diags = %v", resp.Deferred, resp.Diagnostics)
	}
}

func TestConfigureResolvesNoCredentials(t *testing.T) {
	clearEnv(t)
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", garbage)
	t.Setenv("GOOGLE_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
	// validate/plan without gcpinvoke resources needs no credentials.
	c := clientOf(t, configure(t, nil, false))
	if c.AuthMode() != gcpclient.AuthCredentials {
		t.Errorf("mode = %q", c.AuthMode())
	}
}

func TestProviderDataFrom(t *testing.T) {
	if pd, diags := providerDataFrom(nil); pd != nil || diags.HasError() {
		t.Errorf("nil data: %v %v", pd, diags)
	}
	if _, diags := providerDataFrom("wrong"); !diags.HasError() || !strings.Contains(frameworkDiagText(diags), "string") {
		t.Errorf("wrong type: %v", diags)
	}
	want := &providerData{}
	if pd, diags := providerDataFrom(want); pd != want || diags.HasError() {
		t.Errorf("right type: %v %v", pd, diags)
	}
}
