package gcpclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"google.golang.org/api/iamcredentials/v1"
)

func TestLogsNeverContainTokens(t *testing.T) {
	const (
		configured = "ya29.configured-secret-token"
		minted     = "minted-secret-value"
		idToken    = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
	)
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":{"code":503,"message":"busy"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"accessToken":"`+minted+`","expireTime":"2099-01-01T00:00:00Z","nested":{"token":"`+minted+`","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"}}`)
	}))
	defer srv.Close()

	c, err := New(Config{EmulatorHost: strings.TrimPrefix(srv.URL, "http://"), AccessToken: configured})
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	c.retry.sleep, c.retry.now = clock.sleep, clock.now

	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	svc, err := c.IAMCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := svc.Projects.ServiceAccounts.GenerateAccessToken("projects/-/serviceAccounts/a@p.iam.gserviceaccount.com",
		&iamcredentials.GenerateAccessTokenRequest{Scope: []string{CloudPlatformScope}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if resp.AccessToken != minted {
		t.Fatalf("logging must not alter the response: got %q", resp.AccessToken)
	}

	// A call to an invocation target carries an ID token chosen by the caller.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/?access_token="+minted, nil)
	req.Header.Set("Authorization", "Bearer "+idToken)
	if tr, err := c.TargetHTTPClient().Do(req); err == nil {
		tr.Body.Close()
	}

	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(logs.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var statuses []float64
	var sawTrace, sawRetry, sawMaskedAuth bool
	for _, e := range entries {
		if e["@level"] == "trace" {
			sawTrace = true
		}
		if e["@message"] == "retrying HTTP request" {
			sawRetry = true
		}
		if e["@message"] == "HTTP request" && e["kind"] == "api" {
			statuses = append(statuses, e["status"].(float64))
			if e["method"] != "POST" || !strings.Contains(e["url"].(string), ":generateAccessToken") {
				t.Errorf("debug entry lacks method/url: %v", e)
			}
			if _, ok := e["latency_ms"]; !ok {
				t.Errorf("debug entry lacks latency: %v", e)
			}
		}
		if h, ok := e["request_headers"].(map[string]any); ok && h["Authorization"] == "Bearer ***" {
			sawMaskedAuth = true
		}
	}
	text := logs.String()
	for _, secret := range []string{configured, minted, idToken, "MIIE", "configured-secret"} {
		if strings.Contains(text, secret) {
			t.Errorf("captured log contains secret %q", secret)
		}
	}
	if !sawTrace || !sawRetry || !sawMaskedAuth {
		t.Errorf("trace=%v retry=%v maskedAuth=%v; want all (log: %s)", sawTrace, sawRetry, sawMaskedAuth, text)
	}
	if len(statuses) != 2 || statuses[0] != 503 || statuses[1] != 200 {
		t.Errorf("logged API statuses = %v, want [503 200]", statuses)
	}
}

func TestMaskBody(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		want                    []string
		notWant                 []string
	}{
		{"json fields", `{"access_token":"A1","id_token":"B2","refreshToken":"C3","policy":{"etag":"E"},"nextPageToken":"N"}`, "application/json",
			[]string{`"access_token":"***"`, `"etag":"E"`, `"nextPageToken":"N"`}, []string{"A1", "B2", "C3"}},
		{"json array", `[{"token":"T1"}]`, "application/json", []string{`"token":"***"`}, []string{"T1"}},
		{"form", "grant_type=jwt&assertion=SIGNED&client_secret=S", "application/x-www-form-urlencoded",
			[]string{"grant_type=jwt", "assertion=***"}, []string{"SIGNED", "=S"}},
		{"text with bearer", "header Authorization: Bearer abc.def", "text/plain", []string{"Bearer ***"}, []string{"abc.def"}},
		{"scheduler header value in json", `{"httpTarget":{"headers":{"Authorization":"Bearer zzz"}}}`, "application/json", []string{"Bearer ***"}, []string{"zzz"}},
	}
	for _, tt := range tests {
		got := maskBody([]byte(tt.body), tt.contentType)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.name, got, w)
			}
		}
		for _, nw := range tt.notWant {
			if strings.Contains(got, nw) {
				t.Errorf("%s: %q leaks %q", tt.name, got, nw)
			}
		}
	}
}

func TestMaskURLAndHeaders(t *testing.T) {
	u, _ := url.Parse("https://user:pw@h/v1/x?access_token=SECRET&key=APIKEY&pageSize=5")
	got := maskURL(u)
	if strings.Contains(got, "SECRET") || strings.Contains(got, "APIKEY") || strings.Contains(got, "pw") || !strings.Contains(got, "pageSize=5") {
		t.Errorf("maskURL = %q", got)
	}
	h := maskHeaders(http.Header{"Authorization": {"Bearer T"}, "Cookie": {"sid=1"}, "Content-Type": {"application/json"}})
	if h["Authorization"] != "Bearer ***" || h["Cookie"] != "***" || h["Content-Type"] != "application/json" {
		t.Errorf("maskHeaders = %v", h)
	}
}
