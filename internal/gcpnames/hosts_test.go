package gcpnames

import "testing"

func TestServiceHosts(t *testing.T) {
	tests := []struct {
		host          string
		run, function bool
	}{
		{"hello-abc-uc.a.run.app", true, false},
		{"HELLO-123.us-central1.run.app:443", true, false},
		{"hello-x-uc.a.run.localhost:8787", true, false},
		{"us-central1-p.cloudfunctions.net", false, true},
		{"us-central1-p.cloudfunctions.net.", false, true},
		{"us-central1-demo-project.cloudfunctions.localhost:8787", false, true},
		{"example.com", false, false},
		{"run.app.example.com", false, false},
		{"run.googleapis.com", false, false},
		{"cloudfunctions.net.attacker.example", false, false},
	}
	for _, tc := range tests {
		if got := IsCloudRunHost(tc.host); got != tc.run {
			t.Errorf("IsCloudRunHost(%q) = %v, want %v", tc.host, got, tc.run)
		}
		if got := IsGen1FunctionHost(tc.host); got != tc.function {
			t.Errorf("IsGen1FunctionHost(%q) = %v, want %v", tc.host, got, tc.function)
		}
		if got := IsPrivateServiceHost(tc.host); got != (tc.run || tc.function) {
			t.Errorf("IsPrivateServiceHost(%q) = %v", tc.host, got)
		}
	}
}

func TestDefaultOIDCAudience(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"https://hello-abc-uc.a.run.app", "https://hello-abc-uc.a.run.app"},
		{"https://hello-abc-uc.a.run.app/", "https://hello-abc-uc.a.run.app"},
		{"https://hello-abc-uc.a.run.app/tasks/run?x=1#f", "https://hello-abc-uc.a.run.app"},
		{"HTTPS://Hello-ABC-uc.a.run.app:443/x", "https://hello-abc-uc.a.run.app"},
		{"http://hello-abc-uc.a.run.localhost:8787/p?q=1", "http://hello-abc-uc.a.run.localhost:8787"},
		// 1st gen functions expect the function URL, without query.
		{"https://us-central1-demo.cloudfunctions.net/legacy-fn/sub/path?x=1", "https://us-central1-demo.cloudfunctions.net/legacy-fn"},
		{"https://us-central1-demo.cloudfunctions.net/", "https://us-central1-demo.cloudfunctions.net"},
		{"https://us-central1-p.cloudfunctions.net/fn/sub?x=1", "https://us-central1-p.cloudfunctions.net/fn"},
		{"https://us-central1-p.cloudfunctions.net", "https://us-central1-p.cloudfunctions.net"},
		{"http://us-central1-demo-project.cloudfunctions.localhost:8787/legacy-fn", "http://us-central1-demo-project.cloudfunctions.localhost:8787/legacy-fn"},
		{"https://example.com:443/hook", "https://example.com"},
	}
	for _, tc := range tests {
		got, err := DefaultOIDCAudience(tc.uri)
		if err != nil || got != tc.want {
			t.Errorf("DefaultOIDCAudience(%q) = %q, %v; want %q", tc.uri, got, err, tc.want)
		}
	}
	if _, err := DefaultOIDCAudience("/relative"); err == nil {
		t.Error("DefaultOIDCAudience of a relative URL: want an error")
	}
}
