package gcpclient

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// recorder is an httptest handler that records requests and answers JSON.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	answer   func(w http.ResponseWriter, r *http.Request)
}

type recorded struct {
	method, path, auth, userAgent, host, body string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.requests = append(rec.requests, recorded{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("User-Agent"), r.Host, string(b)})
	rec.mu.Unlock()
	if rec.answer != nil {
		rec.answer(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"name":"x","uri":"http://svc.localhost"}`)
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.requests...)
}

func newServer(t *testing.T, rec *recorder) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, strings.TrimPrefix(srv.URL, "http://")
}

func TestNewResolvesNoCredentials(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte("not json at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", garbage)

	c, err := New(Config{Project: "p"})
	if err != nil {
		t.Fatalf("New must not look at credentials, got %v", err)
	}
	if c.AuthMode() != AuthApplicationDefault {
		t.Fatalf("AuthMode = %q", c.AuthMode())
	}
	// The lookup happens on first use, and its failure is a CredentialsError
	// that says where it looked.
	_, err = c.Run(context.Background())
	var credErr *CredentialsError
	if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "Application Default Credentials") {
		t.Fatalf("first use error = %v, want *CredentialsError about ADC", err)
	}
}

func TestCredentialsFileErrorsAreClear(t *testing.T) {
	dir := t.TempDir()
	badType := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badType, []byte(`{"type":"weird","private_key":"SECRET"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		creds, want string
	}{
		{filepath.Join(dir, "missing.json"), "cannot read the file"},
		{badType, `unsupported credential type "weird"`},
		{`{"type":`, "not valid JSON"},
	}
	for _, tt := range tests {
		c, err := New(Config{Credentials: tt.creds})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.IAM(context.Background())
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("credentials %q: error %v, want containing %q and no secret", tt.creds, err, tt.want)
		}
	}
}

func TestEmulatorHostRoutesEveryAPIWithStaticToken(t *testing.T) {
	rec := &recorder{}
	_, host := newServer(t, rec)
	c, err := New(Config{EmulatorHost: host, UserAgent: "terraform-provider-gcpinvoke/1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	runSvc, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runSvc.Projects.Locations.Services.Get("projects/p/locations/l/services/s").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	crm, err := c.ResourceManager(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crm.Projects.Get("p").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	sched, err := c.Scheduler(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sched.Projects.Locations.Jobs.Get("projects/p/locations/l/jobs/j").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	fn1, err := c.CloudFunctionsV1(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fn1.Projects.Locations.Functions.Get("projects/p/locations/l/functions/f").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}

	got := rec.all()
	wantPaths := []string{"/v2/projects/p/locations/l/services/s", "/v1/projects/p", "/v1/projects/p/locations/l/jobs/j", "/v1/projects/p/locations/l/functions/f"}
	if len(got) != len(wantPaths) {
		t.Fatalf("got %d requests, want %d: %+v", len(got), len(wantPaths), got)
	}
	for i, r := range got {
		if r.path != wantPaths[i] {
			t.Errorf("request %d path = %q, want %q", i, r.path, wantPaths[i])
		}
		if r.auth != "Bearer emulator" {
			t.Errorf("request %d Authorization = %q, want the emulator token", i, r.auth)
		}
		if !strings.Contains(r.userAgent, "terraform-provider-gcpinvoke/1.2.3") {
			t.Errorf("request %d User-Agent = %q", i, r.userAgent)
		}
	}
}

func TestEndpointOverrideWinsAndAccessTokenIsSent(t *testing.T) {
	emu := &recorder{}
	_, emuHost := newServer(t, emu)
	other := &recorder{}
	otherSrv, _ := newServer(t, other)

	c, err := New(Config{
		EmulatorHost: emuHost,
		AccessToken:  "tok-123",
		Endpoints:    Endpoints{IAM: otherSrv.URL + "/iam"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	iamSvc, err := c.IAM(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iamSvc.Projects.ServiceAccounts.Get("projects/p/serviceAccounts/a@p.iam.gserviceaccount.com").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if n := len(emu.all()); n != 0 {
		t.Errorf("emulator got %d requests, want 0 (IAM endpoint overridden)", n)
	}
	got := other.all()
	if len(got) != 1 || got[0].path != "/iam/v1/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com" || got[0].auth != "Bearer tok-123" {
		t.Fatalf("override server got %+v", got)
	}
}

func TestServicesAreMemoised(t *testing.T) {
	c, err := New(Config{EmulatorHost: "127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Workflows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Workflows(context.Background())
	if a != b {
		t.Error("Workflows returned a new service on the second call")
	}
	h1, _ := c.HTTPClient(context.Background())
	h2, _ := c.HTTPClient(context.Background())
	if h1 != h2 {
		t.Error("HTTPClient not memoised")
	}
}

func TestServiceAccountKeyCredentials(t *testing.T) {
	tokenSrv := &recorder{answer: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"sa-token-xyz","token_type":"Bearer","expires_in":3600}`)
	}}
	tokSrv, _ := newServer(t, tokenSrv)
	api := &recorder{}
	apiSrv, _ := newServer(t, api)

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: mustPKCS8(t, key)})
	creds, _ := json.Marshal(map[string]string{
		"type":           "service_account",
		"project_id":     "p",
		"private_key_id": "k1",
		"private_key":    string(pemKey),
		"client_email":   "tf@p.iam.gserviceaccount.com",
		"client_id":      "1",
		"token_uri":      tokSrv.URL + "/token",
	})
	path := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(path, creds, 0o600); err != nil {
		t.Fatal(err)
	}

	for name, value := range map[string]string{"path": path, "json": string(creds)} {
		t.Run(name, func(t *testing.T) {
			c, err := New(Config{Credentials: value, Endpoints: Endpoints{ResourceManager: apiSrv.URL}})
			if err != nil {
				t.Fatal(err)
			}
			crm, err := c.ResourceManager(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := crm.Projects.Get("p").Do(); err != nil {
				t.Fatal(err)
			}
			reqs := api.all()
			if last := reqs[len(reqs)-1]; last.auth != "Bearer sa-token-xyz" {
				t.Errorf("Authorization = %q, want the token minted from the key", last.auth)
			}
		})
	}
}

func mustPKCS8(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	b, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImpersonationUsesIAMCredentialsEndpoint(t *testing.T) {
	rec := &recorder{answer: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, ":generateAccessToken") {
			_, _ = io.WriteString(w, `{"accessToken":"impersonated-tok","expireTime":"2099-01-01T00:00:00Z"}`)
			return
		}
		_, _ = io.WriteString(w, `{}`)
	}}
	_, host := newServer(t, rec)
	c, err := New(Config{EmulatorHost: host, AccessToken: "base-tok", ImpersonateServiceAccount: "deployer@p.iam.gserviceaccount.com"})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := c.Scheduler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := sched.Projects.Locations.Jobs.Get("projects/p/locations/l/jobs/j").Do(); err != nil {
			t.Fatal(err)
		}
	}
	got := rec.all()
	if len(got) != 3 {
		t.Fatalf("want 1 token exchange + 2 calls (token reused), got %+v", got)
	}
	if got[0].path != "/v1/projects/-/serviceAccounts/deployer@p.iam.gserviceaccount.com:generateAccessToken" || got[0].auth != "Bearer base-tok" {
		t.Errorf("token exchange = %+v", got[0])
	}
	for _, r := range got[1:] {
		if r.auth != "Bearer impersonated-tok" {
			t.Errorf("API call Authorization = %q, want the impersonated token", r.auth)
		}
	}
}

func TestTargetHTTPClientDialsLocalhostNamesToLoopback(t *testing.T) {
	rec := &recorder{}
	srv, _ := newServer(t, rec)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))

	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://hello-abc123-uc.a.run.localhost:"+port+"/run?x=1", strings.NewReader("hi"))
	req.Header.Set("Authorization", "Bearer id-token")
	resp, err := c.TargetHTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := rec.all()
	if len(got) != 1 || got[0].host != "hello-abc123-uc.a.run.localhost:"+port || got[0].auth != "Bearer id-token" || got[0].body != "hi" {
		t.Fatalf("target got %+v", got)
	}
	for _, h := range []string{"localhost", "a.localhost", "X.LOCALHOST.", "svc-1.us-central1.run.localhost"} {
		if !IsLocalhostName(h) {
			t.Errorf("IsLocalhostName(%q) = false", h)
		}
	}
	for _, h := range []string{"localhost.example.com", "run.app", "notlocalhost"} {
		if IsLocalhostName(h) {
			t.Errorf("IsLocalhostName(%q) = true", h)
		}
	}
}
