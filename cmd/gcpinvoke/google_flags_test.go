package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

func TestGoogleFlagsClientConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    gcpclient.Config
		wantErr []string // substrings of the error; nil means no error
	}{
		{name: "nothing set: application default credentials", want: gcpclient.Config{}},
		{name: "flags map onto the config",
			args: []string{"--project", "p-flag", "--credentials", "/keys/sa.json", "--impersonate-service-account", "deployer@p.iam.gserviceaccount.com", "--emulator-host", "127.0.0.1:9"},
			want: gcpclient.Config{Project: "p-flag", Credentials: "/keys/sa.json", ImpersonateServiceAccount: "deployer@p.iam.gserviceaccount.com", EmulatorHost: "127.0.0.1:9"}},
		{name: "environment fills unset flags",
			env:  map[string]string{"GOOGLE_CLOUD_PROJECT": "p-env", "GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.env", "GOOGLE_IMPERSONATE_SERVICE_ACCOUNT": "sa@p-env.iam.gserviceaccount.com", emulatorHostEnv: "localhost:8787"},
			want: gcpclient.Config{Project: "p-env", AccessToken: "ya29.env", ImpersonateServiceAccount: "sa@p-env.iam.gserviceaccount.com", EmulatorHost: "localhost:8787"}},
		{name: "project variables in the provider's order",
			env:  map[string]string{"GOOGLE_CLOUD_PROJECT": "second", "CLOUDSDK_CORE_PROJECT": "fourth", "GOOGLE_PROJECT": "first"},
			want: gcpclient.Config{Project: "first"}},
		{name: "CLOUDSDK_CORE_PROJECT alone",
			env:  map[string]string{"CLOUDSDK_CORE_PROJECT": "from-gcloud"},
			want: gcpclient.Config{Project: "from-gcloud"}},
		{name: "flag beats environment",
			args: []string{"--project", "p-flag", "--impersonate-service-account", "a@p.iam.gserviceaccount.com"},
			env:  map[string]string{"GOOGLE_PROJECT": "p-env", "GOOGLE_IMPERSONATE_SERVICE_ACCOUNT": "b@p.iam.gserviceaccount.com"},
			want: gcpclient.Config{Project: "p-flag", ImpersonateServiceAccount: "a@p.iam.gserviceaccount.com"}},
		{name: "credentials JSON from the environment",
			env:  map[string]string{"GOOGLE_CREDENTIALS": `{"type":"service_account"}`},
			want: gcpclient.Config{Credentials: `{"type":"service_account"}`}},
		{name: "blank values count as unset",
			args: []string{"--project", " "},
			env:  map[string]string{"GOOGLE_PROJECT": "  ", "GOOGLE_CLOUD_PROJECT": "p-env", "GOOGLE_OAUTH_ACCESS_TOKEN": " "},
			want: gcpclient.Config{Project: "p-env"}},
		{name: "--access-token beats GOOGLE_CREDENTIALS",
			args: []string{"--access-token", "ya29.flag"},
			env:  map[string]string{"GOOGLE_CREDENTIALS": "/keys/sa.json"},
			want: gcpclient.Config{AccessToken: "ya29.flag"}},
		{name: "--credentials beats GOOGLE_OAUTH_ACCESS_TOKEN",
			args: []string{"--credentials", "/keys/sa.json"},
			env:  map[string]string{"GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.env"},
			want: gcpclient.Config{Credentials: "/keys/sa.json"}},
		{name: "both flags conflict",
			args:    []string{"--credentials", "/keys/sa.json", "--access-token", "ya29.flag"},
			wantErr: []string{"--credentials and --access-token are both set"}},
		{name: "both environment variables conflict",
			env:     map[string]string{"GOOGLE_CREDENTIALS": "/keys/sa.json", "GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.env"},
			wantErr: []string{"--credentials (from GOOGLE_CREDENTIALS)", "--access-token (from GOOGLE_OAUTH_ACCESS_TOKEN)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var g googleFlags
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			g.register(fs, "project")
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			got, err := g.clientConfig(func(k string) string { return tc.env[k] })
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("config %+v, want an error", got)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				for _, secret := range []string{"ya29", "/keys/sa.json"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q reveals a credential value", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("config\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSetupCredentialConflictIsUsageError(t *testing.T) {
	code, out, errOut := runCLI(t, "setup", "scheduler-to-run", "--project", "demo-project", "--location", "us-central1",
		"--service", "hello", "--service-account", "invoker", "--credentials", `{"type":"service_account"}`, "--access-token", "tok-secret-1")
	if code != 2 || !strings.Contains(errOut, "--credentials") || !strings.Contains(errOut, "--access-token") {
		t.Fatalf("exit %d, stderr %q; want 2 naming --credentials and --access-token", code, errOut)
	}
	if strings.Contains(out+errOut, "tok-secret-1") || strings.Contains(out+errOut, "service_account") {
		t.Fatalf("a credential value is printed:\n%s%s", out, errOut)
	}
}

func TestSetupAccessToken(t *testing.T) {
	fx := gcpinvoketesting.StartEmulator(t, emulator.Options{Token: "tok-123"})
	base := []string{"setup", "scheduler-to-run", "--emulator-host", fx.Host, "--location", "us-central1", "--service", "hello", "--service-account", "invoker"}
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		code  int
		want  string
		token string // must appear in neither stdout nor stderr
	}{
		{"the emulator's token", []string{"--project", "demo-project", "--access-token", "tok-123"}, nil, 0, "3 of 4 steps to do", "tok-123"},
		{"token and project from the environment", nil,
			map[string]string{"GOOGLE_OAUTH_ACCESS_TOKEN": "tok-123", "CLOUDSDK_CORE_PROJECT": "demo-project"}, 0, "3 of 4 steps to do", "tok-123"},
		{"another token", []string{"--project", "demo-project", "--access-token", "tok-wrong-456"}, nil, 1, "Authentication failed", "tok-wrong-456"},
		{"no token: the emulator default is refused", []string{"--project", "demo-project"}, nil, 1, "Authentication failed", "tok-123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range append(append(append([]string{}, envProject...), envAccessToken...), envCredentials...) {
				t.Setenv(k, tc.env[k])
			}
			code, out, errOut := runCLI(t, append(append([]string{}, base...), tc.args...)...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d (want %d), want output containing %q:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
			if strings.Contains(out+errOut, tc.token) {
				t.Fatalf("the access token is printed:\n%s%s", out, errOut)
			}
		})
	}
}
