package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"debug/elf"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	iam "google.golang.org/api/iam/v1"
	iamcredentials "google.golang.org/api/iamcredentials/v1"
	"google.golang.org/api/option"
	runv2 "google.golang.org/api/run/v2"
)

// TestEmulatorBinaryBehindProxyWithPublicURL builds the binary the container
// image runs (CGO_ENABLED=0, static), starts it with the image's ENTRYPOINT
// arguments (listening on all interfaces, on a free port) and with
// --public-url naming a reverse proxy on another port, and drives everything
// through the proxy: the service URL carries the proxy's port, a Cloud
// Scheduler job reaches the service with an OIDC token, and that token's
// issuer and signing keys are the ones published under the public URL.
func TestEmulatorBinaryBehindProxyWithPublicURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // the CGO_ENABLED=0 build is slow on a loaded machine the first time
	defer cancel()
	bin := buildStaticCLI(ctx, t)

	// The reverse proxy in front of the emulator keeps the Host header, as
	// a port mapping or an HTTP proxy does; the emulator routes the
	// emulated services by it.
	var target atomic.Pointer[url.URL]
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target.Load())
		pr.Out.Host = pr.In.Host
	}})
	defer proxy.Close()
	public := proxy.URL
	_, publicPort, _ := net.SplitHostPort(strings.TrimPrefix(public, "http://"))

	// The arguments of the image's ENTRYPOINT, on a free port, plus what
	// `docker run IMAGE ARGS...` would add.
	args := dockerEntrypointArgs(t)
	listen := startCLIProcess(t, bin, append(args, "--public-url", public+"/", "--quiet")...)
	if strings.HasSuffix(listen, ":"+publicPort) {
		t.Fatalf("emulator listens on the proxy's port %s", publicPort)
	}
	u, _ := url.Parse("http://" + listen)
	target.Store(u)

	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			// *.localhost is loopback (RFC 6761); not every resolver knows.
			if h, p, err := net.SplitHostPort(addr); err == nil && strings.HasSuffix(h, ".localhost") {
				addr = net.JoinHostPort("127.0.0.1", p)
			}
			return (&net.Dialer{}).DialContext(ctx, "tcp4", addr)
		},
	}}
	getJSON := func(rawURL, token string, into any) int {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, "GET", rawURL, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", rawURL, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if into != nil && resp.StatusCode == 200 {
			if err := json.Unmarshal(body, into); err != nil {
				t.Fatalf("GET %s: %v in %s", rawURL, err, body)
			}
		}
		return resp.StatusCode
	}

	var health struct{ Status, BaseURL string }
	if code := getJSON(public+"/_emulator/health", "", &health); code != 200 || health.Status != "ok" || health.BaseURL != public {
		t.Fatalf("health through the proxy: HTTP %d %+v, want 200 ok with baseUrl %s", code, health, public)
	}

	// Google API clients pointed at the public URL.
	opts := []option.ClientOption{option.WithEndpoint(public + "/"), option.WithHTTPClient(&http.Client{
		Timeout: 30 * time.Second, Transport: bearer{"any-token", hc.Transport}})}
	runSvc, err := runv2.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	iamSvc, _ := iam.NewService(ctx, opts...)
	credSvc, _ := iamcredentials.NewService(ctx, opts...)
	schedSvc, _ := cloudscheduler.NewService(ctx, opts...)

	const svcName = "projects/demo-project/locations/us-central1/services/hello"
	hello, err := runSvc.Projects.Locations.Services.Get(svcName).Do()
	if err != nil {
		t.Fatalf("get hello through the proxy: %v", err)
	}
	if !strings.HasSuffix(hello.Uri, ".run.localhost:"+publicPort) {
		t.Fatalf("service uri %s: want the public port %s", hello.Uri, publicPort)
	}
	sa, err := iamSvc.Projects.ServiceAccounts.Create("projects/demo-project", &iam.CreateServiceAccountRequest{AccountId: "scheduler-caller"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	pol, err := runSvc.Projects.Locations.Services.GetIamPolicy(svcName).Do()
	if err != nil {
		t.Fatal(err)
	}
	pol.Bindings = append(pol.Bindings, &runv2.GoogleIamV1Binding{Role: "roles/run.invoker", Members: []string{"serviceAccount:" + sa.Email}})
	if _, err := runSvc.Projects.Locations.Services.SetIamPolicy(svcName, &runv2.GoogleIamV1SetIamPolicyRequest{Policy: pol}).Do(); err != nil {
		t.Fatal(err)
	}

	// A job targeting the service URL runs and gets through the gateway.
	job, err := schedSvc.Projects.Locations.Jobs.Create("projects/demo-project/locations/us-central1", &cloudscheduler.Job{
		Name:     "projects/demo-project/locations/us-central1/jobs/ping",
		Schedule: "0 * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{Uri: hello.Uri + "/ping",
			OidcToken: &cloudscheduler.OidcToken{ServiceAccountEmail: sa.Email, Audience: hello.Uri}},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedSvc.Projects.Locations.Jobs.Run(job.Name, &cloudscheduler.RunJobRequest{}).Do(); err != nil {
		t.Fatal(err)
	}
	var attempts struct {
		Attempts []struct {
			Source, URL, Identity, Audience, Error, Response string
			StatusCode                                       int
		}
	}
	getJSON(public+"/_emulator/attempts", "", &attempts)
	if len(attempts.Attempts) != 1 {
		t.Fatalf("attempts = %+v, want the one job run", attempts.Attempts)
	}
	a := attempts.Attempts[0]
	if a.StatusCode != 200 || a.Identity != sa.Email || a.Audience != hello.Uri || a.URL != hello.Uri+"/ping" {
		t.Fatalf("job attempt = %+v, want 200 as %s with audience %s", a, sa.Email, hello.Uri)
	}

	// The token the emulator mints verifies against the issuer and keys
	// published under the public URL.
	tok, err := credSvc.Projects.ServiceAccounts.GenerateIdToken("projects/-/serviceAccounts/"+sa.Email,
		&iamcredentials.GenerateIdTokenRequest{Audience: hello.Uri, IncludeEmail: true}).Do()
	if err != nil {
		t.Fatal(err)
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if code := getJSON(public+"/.well-known/openid-configuration", "", &disc); code != 200 || disc.Issuer != public || disc.JWKSURI != public+"/oauth2/v3/certs" {
		t.Fatalf("discovery through the proxy: HTTP %d %+v, want issuer %s", code, disc, public)
	}
	var jwks struct {
		Keys []struct{ Kid, N, E string }
	}
	if code := getJSON(disc.JWKSURI, "", &jwks); code != 200 {
		t.Fatalf("JWKS: HTTP %d", code)
	}
	claims := verifyRS256(t, tok.Token, jwks.Keys)
	if claims["iss"] != public || claims["aud"] != hello.Uri || claims["email"] != sa.Email {
		t.Fatalf("token claims %v: want iss %s, aud %s, email %s", claims, public, hello.Uri, sa.Email)
	}

	// The service URL itself works through the proxy: with the token the
	// gateway lets the call through; without one Cloud Run answers 403.
	var echo struct{ Caller, Path string }
	if code := getJSON(hello.Uri+"/direct", tok.Token, &echo); code != 200 || echo.Caller != sa.Email || echo.Path != "/direct" {
		t.Fatalf("call the service URL with the token: HTTP %d %+v", code, echo)
	}
	if code := getJSON(hello.Uri+"/direct", "", nil); code != http.StatusForbidden {
		t.Fatalf("call the service URL without a token: HTTP %d, want 403", code)
	}
}

// TestPublicURLUsageErrors: --public-url takes a plain base URL.
func TestPublicURLUsageErrors(t *testing.T) {
	tests := []struct{ arg, msg string }{
		{"127.0.0.1:18787", "want an http:// URL"},
		{"https://emulator.example:443", "want an http:// URL"},
		{"http://127.0.0.1", "explicit port"},
		{"http://127.0.0.1:18787/api", "without path"},
		{"http://127.0.0.1:18787/?x=1", "without path"},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"emulator", "--listen", "127.0.0.1:0", "--public-url", tc.arg}, &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), "--public-url") || !strings.Contains(stderr.String(), tc.msg) {
				t.Fatalf("exit %d, stderr %q; want 2 naming --public-url and %q", code, stderr.String(), tc.msg)
			}
		})
	}
}

// dockerEntrypointArgs reads the Dockerfile the image is built from: its
// final stage must run as a non-root user and start `/gcpinvoke emulator
// --listen 0.0.0.0:8787`. It returns the arguments after the binary, with
// the port replaced by 0 (a free one).
func dockerEntrypointArgs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages := strings.Split(string(data), "\nFROM ")
	final := stages[len(stages)-1]
	var entry []string
	user := ""
	for _, line := range strings.Split(final, "\n") {
		if rest, ok := strings.CutPrefix(line, "ENTRYPOINT "); ok {
			if err := json.Unmarshal([]byte(rest), &entry); err != nil {
				t.Fatalf("Dockerfile ENTRYPOINT %s is not the JSON (exec) form: %v", rest, err)
			}
		}
		if rest, ok := strings.CutPrefix(line, "USER "); ok {
			user = strings.TrimSpace(rest)
		}
	}
	if user == "" || user == "root" || strings.HasPrefix(user, "0:") || user == "0" {
		t.Fatalf("the image's final stage runs as %q; want a non-root USER", user)
	}
	if !strings.Contains(string(data), "CGO_ENABLED=0") {
		t.Fatal("the Dockerfile does not build with CGO_ENABLED=0; the scratch base has no libc")
	}
	want := []string{"/gcpinvoke", "emulator", "--listen", "0.0.0.0:8787"}
	if strings.Join(entry, " ") != strings.Join(want, " ") {
		t.Fatalf("Dockerfile ENTRYPOINT = %q, want %q", entry, want)
	}
	return []string{"emulator", "--listen", "0.0.0.0:0"}
}

// buildStaticCLI builds cmd/gcpinvoke as the Dockerfile does and checks it
// is statically linked (no ELF interpreter) on Linux.
func buildStaticCLI(ctx context.Context, t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gcpinvoke")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build (CGO_ENABLED=0): %v\n%s", err, out)
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Fatalf("%s is dynamically linked (has an ELF interpreter); the image's scratch base has no libc", bin)
			}
		}
	}
	return bin
}

// startCLIProcess runs the binary until the test ends (SIGINT, then a
// bounded wait) and returns the address it announced.
func startCLIProcess(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("emulator exited with %v after SIGINT; stderr %s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("emulator did not stop within 30s of SIGINT")
		}
	})
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("emulator exited before announcing its address; stderr %s", stderr.String())
			}
			if addr, found := strings.CutPrefix(l, "gcpinvoke emulator listening on http://"); found {
				return addr
			}
		case <-deadline:
			t.Fatalf("emulator did not announce its address within 2 minutes; stderr %s", stderr.String())
		}
	}
}

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

// verifyRS256 checks a JWT's signature with the JWKS key its header names
// and returns its claims.
func verifyRS256(t *testing.T, jwt string, keys []struct{ Kid, N, E string }) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token is not a JWS compact serialization")
	}
	var hdr struct{ Alg, Kid string }
	var claims map[string]any
	for i, into := range []any{&hdr, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(raw, into) != nil {
			t.Fatalf("token part %d is not base64url JSON", i)
		}
	}
	if hdr.Alg != "RS256" {
		t.Fatalf("alg %q, want RS256", hdr.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	for _, k := range keys {
		if k.Kid != hdr.Kid {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			t.Fatalf("JWKS key %s is not base64url", k.Kid)
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
			t.Fatalf("token signature does not verify with the published key %s: %v", k.Kid, err)
		}
		return claims
	}
	t.Fatalf("no published key has the token's kid %q (keys: %v)", hdr.Kid, keys)
	return nil
}

// A misspelled key in a --seed file stops the emulator with the file and
// the key's path, instead of starting without the resource.
func TestEmulatorCommandSeedUnknownKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.json")
	doc := `{"projects": [{"projectId": "demo-project", "projectNumber": "123456789012"}],
	  "runServices": [{"project": "demo-project", "location": "us-central1", "service": "hello"}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"emulator", "--listen", "127.0.0.1:0", "--seed", path}, &stdout, &stderr)
	want := `seed ` + path + `: unknown field "runServices[0].service" (allowed there: project, location, name,`
	if code != 1 || !strings.Contains(stderr.String(), want) {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
	}
}

// GET /_emulator/health answers 200 JSON without a token, for container
// and orchestration probes.
func TestEmulatorCommandHealth(t *testing.T) {
	host, stop, _ := startEmulatorCommand(t, "--listen", "127.0.0.1:0", "--quiet")
	code, body := emulatorGet(t, "http://"+host+"/_emulator/health", "")
	if code != 200 || body["status"] != "ok" || body["baseUrl"] != "http://"+host {
		t.Fatalf("health: HTTP %d %v", code, body)
	}
	if c := stop(); c != 0 {
		t.Fatalf("exit code %d", c)
	}
}
