package gcpclient

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeEndpoint(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "", want: ""},
		{in: "https://run.googleapis.com", want: "https://run.googleapis.com/"},
		{in: "https://run.googleapis.com/", want: "https://run.googleapis.com/"},
		{in: "https://run.googleapis.com/v2/", want: "https://run.googleapis.com/"},
		{in: "https://cloudfunctions.googleapis.com/v1beta2", want: "https://cloudfunctions.googleapis.com/"},
		{in: "http://127.0.0.1:8787/run", want: "http://127.0.0.1:8787/run/"},
		{in: "http://127.0.0.1:8787/run/v2/", want: "http://127.0.0.1:8787/run/"},
		{in: "  http://h:1/  ", want: "http://h:1/"},
		{in: "127.0.0.1:8787", wantErr: "not an absolute http:// or https:// URL"},
		{in: "run.googleapis.com", wantErr: "not an absolute"},
		{in: "ftp://h/", wantErr: "not an absolute"},
		{in: "https://h/?x=1", wantErr: "must not carry a query"},
	}
	for _, tt := range tests {
		got, err := NormalizeEndpoint(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NormalizeEndpoint(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEndpoint(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeEmulatorHost(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "", want: ""},
		{in: "127.0.0.1:8787", want: "http://127.0.0.1:8787/"},
		{in: "localhost:9000", want: "http://localhost:9000/"},
		{in: "http://127.0.0.1:8787/", want: "http://127.0.0.1:8787/"},
		{in: "[::1]:8787", want: "http://[::1]:8787/"},
		{in: "127.0.0.1", wantErr: "must be HOST:PORT"},
		{in: "https://127.0.0.1:8787", wantErr: "must be HOST:PORT"},
		{in: "127.0.0.1:0", wantErr: "invalid port"},
		{in: "127.0.0.1:http", wantErr: "invalid port"},
		{in: "h:1/x", wantErr: "must be HOST:PORT"},
	}
	for _, tt := range tests {
		got, err := NormalizeEmulatorHost(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NormalizeEmulatorHost(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmulatorHost(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNewResolvesEndpointsAndDefaults(t *testing.T) {
	c, err := New(Config{
		EmulatorHost: "127.0.0.1:9",
		Endpoints:    Endpoints{Run: "http://other:1/run/v2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ep := c.Endpoints()
	if ep.Run != "http://other:1/run/" {
		t.Errorf("explicit endpoint = %q, want it to win over the emulator host", ep.Run)
	}
	for name, got := range map[string]string{"iam": ep.IAM, "scheduler": ep.CloudScheduler, "workflows": ep.Workflows, "tasks": ep.CloudTasks,
		"functions": ep.CloudFunctions, "crm": ep.ResourceManager, "iamcredentials": ep.IAMCredentials} {
		if got != "http://127.0.0.1:9/" {
			t.Errorf("%s endpoint = %q, want emulator base", name, got)
		}
	}
	if c.AuthMode() != AuthEmulator || c.RequestTimeout() != DefaultRequestTimeout || !strings.HasPrefix(c.UserAgent(), "terraform-provider-gcpinvoke/") {
		t.Errorf("mode=%q timeout=%s ua=%q", c.AuthMode(), c.RequestTimeout(), c.UserAgent())
	}

	google, err := New(Config{Project: "p", Region: "r", RequestTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if google.Endpoints() != (Endpoints{}) || google.Project() != "p" || google.Region() != "r" || google.RequestTimeout() != time.Second {
		t.Errorf("Google defaults changed: %+v", google.Endpoints())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"bare host endpoint": {Endpoints: Endpoints{IAM: "iam.googleapis.com:443"}},
		"bad emulator":       {EmulatorHost: "nope"},
		"negative timeout":   {RequestTimeout: -time.Second},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded, want error", name)
		}
	}
	_, err := New(Config{Endpoints: Endpoints{IAM: "iam.googleapis.com"}})
	if err == nil || !strings.Contains(err.Error(), "iam endpoint") {
		t.Errorf("error %v should name the iam endpoint", err)
	}
}

func TestAuthModeSelection(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, AuthApplicationDefault},
		{Config{Credentials: "/x.json"}, AuthCredentials},
		{Config{AccessToken: "t"}, AuthAccessToken},
		{Config{EmulatorHost: "127.0.0.1:1", Credentials: "/x.json"}, AuthEmulator},
		{Config{EmulatorHost: "127.0.0.1:1", AccessToken: "t"}, AuthAccessToken},
	}
	for _, tt := range tests {
		c, err := New(tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.AuthMode(); got != tt.want {
			t.Errorf("AuthMode(%+v) = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}
