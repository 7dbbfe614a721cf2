package gcpnames

import (
	"strings"
	"testing"
)

func TestOIDCAudience(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{"https://hello-abc-uc.a.run.app/tasks?x=1", "https://hello-abc-uc.a.run.app", ""},
		{"https://hello-abc-uc.a.run.app", "https://hello-abc-uc.a.run.app", ""},
		{"https://hello-abc-uc.a.run.app/", "https://hello-abc-uc.a.run.app", ""},
		{"HTTPS://Hello-ABC-uc.A.run.app/Path", "https://hello-abc-uc.a.run.app", ""},
		{"https://user:secret@hello.a.run.app/x#frag", "https://hello.a.run.app", ""},
		{"https://hello.a.run.app:443/x", "https://hello.a.run.app", ""},
		{"http://hello.a.run.app:80/x", "http://hello.a.run.app", ""},
		{"http://svc-abc-uc.a.run.localhost:8080/run", "http://svc-abc-uc.a.run.localhost:8080", ""},
		{"https://hello.a.run.app:8443", "https://hello.a.run.app:8443", ""},
		{"http://hello.a.run.app:443/", "http://hello.a.run.app:443", ""},
		{"http://127.0.0.1:0080/x", "http://127.0.0.1", ""},
		{"http://127.0.0.1:08080/x", "http://127.0.0.1:8080", ""},
		{"http://[::1]:8080/x", "http://[::1]:8080", ""},
		{"http://[0:0::1]/x", "http://[::1]", ""},
		{"https://us-central1-demo.cloudfunctions.net/hello", "https://us-central1-demo.cloudfunctions.net", ""},
		{"  https://a.example.com/x  ", "https://a.example.com", ""},
		{"", "", "URL is empty"},
		{"hello-abc-uc.a.run.app/tasks", "", `is not an absolute URL; write it with its scheme, e.g. "https://hello-abc-uc.a.run.app/tasks"`},
		{"/tasks", "", "is not an absolute URL"},
		{"ftp://files.example.com/x", "", `has scheme "ftp"; the audience of a service URL needs http or https`},
		{"https://", "", `"https://" is not an absolute URL; write it with its scheme, e.g. "https://HOST"`},
		{"https://a.example.com:99999/", "", `port "99999" is not a number from 1 to 65535`},
		{"https://a_b..example.com/", "", "is not a valid host name"},
		{"http://[fe80::1%25en0]/", "", "is not a valid IPv6 address"},
		{"https://exa mple.com/", "", "is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := OIDCAudience(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("OIDCAudience(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("OIDCAudience(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestOIDCAudienceErrorHidesPassword(t *testing.T) {
	// A user-info password must not be echoed in a message about the host.
	for _, in := range []string{"https://user:s3cret@bad..host/", "ftp://user:s3cret@h/", "https://user:s3cret@h:99999/", "https://user:s3cret@exa mple/"} {
		_, err := OIDCAudience(in)
		if err == nil {
			t.Fatalf("OIDCAudience(%q) succeeded, want error", in)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error for %q shows the password: %v", in, err)
		}
	}
}

func TestHasPathOrQuery(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://hello.a.run.app", false},
		{"https://hello.a.run.app/", false},
		{"https://hello.a.run.app/tasks", true},
		{"https://hello.a.run.app?x=1", true},
		{"https://hello.a.run.app/?", true},
		{"https://hello.a.run.app#f", true},
		{"my-custom-audience", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := HasPathOrQuery(tt.in); got != tt.want {
			t.Errorf("HasPathOrQuery(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzOIDCAudience(f *testing.F) {
	for _, s := range []string{
		"https://hello-abc-uc.a.run.app/tasks?x=1", "http://[::1]:8080/x", "HTTP://A.B:80", "https://u:p@h/#x",
		"ftp://x", "", "//h/p", "http://[fe80::1%25en0]/", "https://a.example.com:0", "http://h:/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		aud, err := OIDCAudience(in)
		if err != nil {
			return
		}
		if HasPathOrQuery(aud) || strings.Count(aud, "/") != 2 || strings.Contains(aud, "@") {
			t.Fatalf("OIDCAudience(%q) = %q carries a path, query or user info", in, aud)
		}
		again, err := OIDCAudience(aud)
		if err != nil || again != aud {
			t.Fatalf("not idempotent: OIDCAudience(%q) = %q, then %q, %v", in, aud, again, err)
		}
	})
}
