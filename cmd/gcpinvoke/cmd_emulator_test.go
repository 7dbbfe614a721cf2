package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// syncBuffer is a bytes.Buffer safe for the command's log writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startEmulatorCommand runs `gcpinvoke emulator ARGS` in-process and
// returns the announced host:port, a function that stops it (cancelling
// its context, like SIGINT) and returns the exit code, and its stderr.
func startEmulatorCommand(t *testing.T, args ...string) (host string, stop func() int, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), emulatorHandlerKey{},
		func(e *emulator.Emulator) http.Handler { return gcpinvoketesting.Conformance(t, e) }))
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"emulator"}, args...), pw, stderr)
		pw.Close()
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var out []string
	timeout := time.After(20 * time.Second)
	for len(out) < 2 {
		select {
		case l, ok := <-lines:
			if !ok {
				cancel()
				t.Fatalf("emulator exited with %d before announcing; stdout %q, stderr %q", <-code, out, stderr.String())
			}
			out = append(out, l)
		case <-timeout:
			cancel()
			t.Fatalf("emulator did not announce itself; stderr %q", stderr.String())
		}
	}
	url, ok := strings.CutPrefix(out[0], "gcpinvoke emulator listening on http://")
	if !ok || !strings.Contains(out[1], "export GCPINVOKE_EMULATOR_HOST="+url) {
		cancel()
		t.Fatalf("banner = %q", out)
	}
	stopped := false
	stop = func() int {
		stopped = true
		cancel()
		go func() {
			for range lines {
			}
		}()
		select {
		case c := <-code:
			return c
		case <-time.After(20 * time.Second):
			t.Fatal("emulator did not stop after its context was cancelled")
			return -1
		}
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return url, stop, stderr
}

func emulatorGet(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v", url, err)
	}
	return resp.StatusCode, body
}

func TestEmulatorCommandServesAndStops(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	host, stop, stderr := startEmulatorCommand(t, "--listen", "127.0.0.1:0", "--token", "sekret-token", "--state", state)
	if strings.HasSuffix(host, ":0") {
		t.Fatalf("announced %s, want the real port", host)
	}
	base := "http://" + host

	code, body := emulatorGet(t, base+"/v2/projects/demo-project/locations/us-central1/services", "sekret-token")
	if code != 200 {
		t.Fatalf("list services: HTTP %d %v", code, body)
	}
	if _, ok := body["services"]; !ok {
		t.Fatalf("list services body = %v, want a services list", body)
	}
	code, body = emulatorGet(t, base+"/v1/projects/demo-project", "sekret-token")
	if code != 200 || body["projectNumber"] != "123456789012" {
		t.Fatalf("project get: HTTP %d %v", code, body)
	}
	code, body = emulatorGet(t, base+"/v1/projects/demo-project", "wrong-token")
	if code != 401 {
		t.Fatalf("wrong token: HTTP %d %v, want 401", code, body)
	}
	code, body = emulatorGet(t, base+"/.well-known/openid-configuration", "")
	if code != 200 || body["issuer"] != base {
		t.Fatalf("discovery: HTTP %d %v, want issuer %s", code, body, base)
	}

	if c := stop(); c != 0 {
		t.Fatalf("exit code after cancel = %d, want 0; stderr %s", c, stderr.String())
	}
	logs := stderr.String()
	if !strings.Contains(logs, "GET /v1/projects/demo-project 200") || !strings.Contains(logs, "GET /v1/projects/demo-project 401") {
		t.Fatalf("request log lacks method/path/status lines:\n%s", logs)
	}
	if strings.Contains(logs, "sekret-token") {
		t.Fatal("the token appears in the logs")
	}
	if _, err := http.Get(base + "/_emulator/calls"); err == nil {
		t.Fatal("the emulator still answers after shutdown")
	}
}

func TestEmulatorCommandQuiet(t *testing.T) {
	host, stop, stderr := startEmulatorCommand(t, "--listen", "127.0.0.1:0", "--quiet")
	if code, _ := emulatorGet(t, "http://"+host+"/v1/projects/demo-project", "t"); code != 200 {
		t.Fatalf("HTTP %d", code)
	}
	if c := stop(); c != 0 {
		t.Fatalf("exit code %d", c)
	}
	if strings.Contains(stderr.String(), "/v1/projects/demo-project") {
		t.Fatalf("--quiet still logged requests: %s", stderr.String())
	}
}

func TestEmulatorCommandUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"error rate above 1", []string{"--error-rate", "1.5"}, 2, "between 0 and 1"},
		{"positional argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"method error rate without a rate", []string{"--method-error-rate", "run.services.get"}, 2, "want METHOD=RATE"},
		{"method error rate above 1", []string{"--method-error-rate", "run.services.get=2"}, 2, "between 0 and 1"},
		{"method error rate not a number", []string{"--method-error-rate", "run.services.get=often"}, 2, "between 0 and 1"},
		{"wildcard in the middle", []string{"--method-error-rate", "run.*.get=1"}, 2, `only allowed as "*.METHOD"`},
		{"error code not an error", []string{"--error-codes", "429,200"}, 2, `"200": want comma-separated HTTP error codes`},
		{"error codes not numbers", []string{"--error-codes", "429;503"}, 2, "want comma-separated HTTP error codes"},
		{"malformed nonexistent principal", []string{"--nonexistent-principal", "ghost@example.com"}, 1, `nonexistent principal "ghost@example.com"`},
		{"missing seed file", []string{"--seed", filepath.Join(t.TempDir(), "missing.json")}, 1, "reading seed"},
		{"address in use or invalid", []string{"--listen", "256.0.0.1:1"}, 1, "listen"},
		{"help", []string{"-h"}, 0, "Usage: gcpinvoke emulator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"emulator"}, tc.args...), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Fatalf("exit %d, stderr %q; want %d containing %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}

func TestEmulatorCommandNonexistentPrincipalFlag(t *testing.T) {
	host, _, _ := startEmulatorCommand(t, "--listen", "127.0.0.1:0", "--quiet",
		"--nonexistent-principal", "user:ghost@example.com",
		"--nonexistent-principal", "deleted:serviceAccount:old@elsewhere.iam.gserviceaccount.com?uid=42")
	set := func(member string) (int, string) {
		body := `{"policy":{"bindings":[{"role":"roles/run.invoker","members":["` + member + `"]}]}}`
		req, _ := http.NewRequest("POST", "http://"+host+"/v2/projects/demo-project/locations/us-central1/services/hello:setIamPolicy", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	tests := []struct {
		member string
		code   int
		msg    string
	}{
		{"user:ghost@example.com", 400, "User ghost@example.com does not exist."},
		{"serviceAccount:old@elsewhere.iam.gserviceaccount.com", 400, "Service account old@elsewhere.iam.gserviceaccount.com does not exist."},
		{"deleted:serviceAccount:old@elsewhere.iam.gserviceaccount.com?uid=42", 200, ""},
		{"user:alice@example.com", 200, ""},
	}
	for _, tc := range tests {
		code, body := set(tc.member)
		if code != tc.code || !strings.Contains(body, tc.msg) {
			t.Errorf("setIamPolicy with %s: HTTP %d %s; want %d %q", tc.member, code, body, tc.code, tc.msg)
		}
	}
}
