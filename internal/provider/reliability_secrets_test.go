package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// secretsChain is a full invocation chain (service account, invoker
// binding, agent impersonation, OIDC job): every resource kind's requests
// and responses pass through the logs.
func secretsChain(serviceURI string) string {
	return fmt.Sprintf(`
resource "gcpinvoke_service_account" "caller" {
  account_id = "secrets-caller"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = %[1]q
  member  = gcpinvoke_service_account.caller.member
}

resource "gcpinvoke_run_service_iam_members" "readers" {
  service = %[1]q
  role    = "roles/run.invoker"
  members = ["user:secrets-reader@example.com"]
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.caller.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "job" {
  name     = "secrets-job"
  schedule = "0 * * * *"
  http_target = {
    uri = %[2]q
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.invoker, gcpinvoke_service_agent_impersonation.scheduler]
}
`, reliabilityService(0), serviceURI)
}

// serviceAccountKey writes a service account key file (a fresh RSA key,
// token_uri at tokenURL) and returns its path and the secrets it holds.
func serviceAccountKey(t *testing.T, tokenURL string) (path string, secrets []string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	keyID := "5ecre7k3y1d0000000000000000000000000000a"
	doc := map[string]string{
		"type":           "service_account",
		"project_id":     gcpinvoketesting.Project,
		"private_key_id": keyID,
		"private_key":    pemKey,
		"client_email":   "terraform@" + gcpinvoketesting.Project + ".iam.gserviceaccount.com",
		"client_id":      "100000000000000000001",
		"token_uri":      tokenURL,
	}
	data, _ := json.Marshal(doc)
	path = filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// A line from the middle of the PEM body: any leak of the key shows it.
	lines := strings.Split(pemKey, "\n")
	return path, []string{keyID, lines[len(lines)/2], `"private_key"`, "BEGIN PRIVATE KEY"}
}

// TestAccReliability_secretsNeverWritten runs a full apply, a plan saved
// to a file and a destroy with TF_LOG=TRACE, authenticating once with an
// access token in the provider block and once with a service account key
// file whose token endpoint is local, and asserts that neither the token,
// nor the private key, nor the key's id appears in the trace log, the
// plan JSON, the state or the CLI output.
func TestAccReliability_secretsNeverWritten(t *testing.T) {
	const blockToken = "ya29.a0-gcpinvoke-BLOCK-TOKEN-must-not-leak-7f3a9c"
	const keyToken = "ya29.c0-gcpinvoke-MINTED-TOKEN-must-not-leak-2b8d1e"
	const envToken = "ya29.b0-gcpinvoke-ENV-TOKEN-must-not-leak-4c6e0d"
	tests := []struct {
		name  string
		token string // the only token the emulator accepts
		env   []string
		// literalInConfig: the secret is a literal in the configuration,
		// so the plan JSON's "configuration" section (Terraform's copy of
		// the configuration text, which the provider never sees) holds
		// it; everything else in the plan must not.
		literalInConfig bool
		block           func(t *testing.T, emulatorURL string) (block string, secrets []string)
	}{
		{
			name:            "access_token in the provider block",
			token:           blockToken,
			literalInConfig: true,
			block: func(t *testing.T, emulatorURL string) (string, []string) {
				host := strings.TrimPrefix(emulatorURL, "http://")
				return fmt.Sprintf("provider \"gcpinvoke\" {\n  emulator_host = %q\n  access_token  = %q\n  project       = %q\n  region        = %q\n}\n",
					host, blockToken, gcpinvoketesting.Project, gcpinvoketesting.Location), []string{blockToken}
			},
		},
		{
			name:  "GOOGLE_OAUTH_ACCESS_TOKEN",
			token: envToken,
			env:   []string{"GOOGLE_OAUTH_ACCESS_TOKEN=" + envToken},
			block: func(t *testing.T, emulatorURL string) (string, []string) {
				host := strings.TrimPrefix(emulatorURL, "http://")
				return fmt.Sprintf("provider \"gcpinvoke\" {\n  emulator_host = %q\n  project       = %q\n  region        = %q\n}\n",
					host, gcpinvoketesting.Project, gcpinvoketesting.Location), []string{envToken}
			},
		},
		{
			name:  "credentials file",
			token: keyToken,
			block: func(t *testing.T, emulatorURL string) (string, []string) {
				tokSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"access_token": %q, "token_type": "Bearer", "expires_in": 3600}`, keyToken)
				}))
				t.Cleanup(tokSrv.Close)
				path, secrets := serviceAccountKey(t, tokSrv.URL+"/token")
				var b strings.Builder
				fmt.Fprintf(&b, "provider \"gcpinvoke\" {\n  credentials = %q\n  project     = %q\n  region      = %q\n", path, gcpinvoketesting.Project, gcpinvoketesting.Location)
				for _, e := range endpointSettings {
					fmt.Fprintf(&b, "  %s = %q\n", e.attr, emulatorURL+"/")
				}
				b.WriteString("}\n")
				return b.String(), append(secrets, keyToken)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logPath := filepath.Join(t.TempDir(), "trace.log")
			h := newTFHarness(t, append([]string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logPath}, tt.env...)...)
			e, err := emulator.New(emulator.Options{Seed: reliabilitySeed(1), Token: tt.token})
			if err != nil {
				t.Fatal(err)
			}
			host := serveEmulator(t, e, nil)
			url := "http://" + host
			block, secrets := tt.block(t, url)
			f := &gcpinvoketesting.Fixture{Emulator: e, URL: url, Host: host}
			uri := reliabilityServiceURIWithToken(t, f, reliabilityService(0), tt.token)
			h.writeConfig(block + secretsChain(uri))

			var cli strings.Builder
			cli.WriteString(h.mustRun("plan", "-out=tfplan", "-no-color"))
			planJSON := h.mustRun("show", "-json", "tfplan")
			if tt.literalInConfig {
				planJSON = withoutConfiguration(t, planJSON)
			}
			cli.WriteString(h.mustRun("apply", "-auto-approve", "-no-color", "tfplan"))
			state, err := os.ReadFile(filepath.Join(h.dir, "terraform.tfstate"))
			if err != nil {
				t.Fatal(err)
			}
			cli.WriteString(h.mustRun("plan", "-no-color", "-detailed-exitcode"))
			cli.WriteString(h.mustRun("destroy", "-auto-approve", "-no-color"))
			trace, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			// The log must really hold the provider's API traffic, or
			// the scan proves nothing.
			for _, want := range []string{"setIamPolicy", "cloudscheduler", "serviceAccounts"} {
				if !strings.Contains(string(trace), want) {
					t.Fatalf("the TRACE log (%d bytes) has no %q: it does not hold the provider's requests", len(trace), want)
				}
			}
			if len(e.Snapshot().Jobs) != 0 || len(f.Calls()) == 0 {
				t.Fatalf("destroy left jobs behind or no API call was made")
			}
			for name, text := range map[string]string{"TRACE log": string(trace), "plan JSON": planJSON, "state": string(state), "CLI output": cli.String()} {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						i := strings.Index(text, s)
						t.Errorf("%s contains the secret %q at byte %d: …%s…", name, s, i, excerpt(text, i))
					}
				}
			}
		})
	}
}

// reliabilityServiceURIWithToken is reliabilityServiceURI for an emulator
// that accepts one token only.
func reliabilityServiceURIWithToken(t *testing.T, f *gcpinvoketesting.Fixture, name, token string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v2/projects/%s/locations/%s/services/%s", f.URL, gcpinvoketesting.Project, gcpinvoketesting.Location, name), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var svc struct {
		URI string `json:"uri"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&svc); err != nil || svc.URI == "" {
		t.Fatalf("reading service %s: HTTP %d, %v", name, resp.StatusCode, err)
	}
	f.ResetCalls()
	return svc.URI
}

// withoutConfiguration drops the "configuration" section of a plan JSON
// document: Terraform's rendering of the configuration's own text.
func withoutConfiguration(t *testing.T, planJSON string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(planJSON), &doc); err != nil {
		t.Fatalf("plan JSON: %v", err)
	}
	if _, ok := doc["configuration"]; !ok {
		t.Fatalf("plan JSON has no configuration section: %.200s", planJSON)
	}
	delete(doc, "configuration")
	out, _ := json.Marshal(doc)
	return string(out)
}

// excerpt is up to 60 bytes around i, for a failure message (the secret
// is a test value).
func excerpt(s string, i int) string {
	lo, hi := max(0, i-30), min(len(s), i+30)
	return s[lo:hi]
}
