package gcpnames

import "testing"

func TestIsGoogleAPIHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"googleapis.com", false}, // *.googleapis.com only, as Google documents
		{"my_api.googleapis.com", false},
		{"run.googleapis.com", true},
		{"Run.GoogleAPIs.com", true},
		{"run.googleapis.com:443", true},
		{"cloudscheduler.googleapis.com.", true},
		{"us-central1-run.googleapis.com", true},
		{"googleapis.com.evil.io", false},
		{"evilgoogleapis.com", false},
		{"googleapis.co", false},
		{".googleapis.com", false},
		{"a..googleapis.com", false},
		{"hello-abc-uc.a.run.app", false},
		{"", false},
		{"[::1]:443", false},
	}
	for _, tt := range tests {
		if got := IsGoogleAPIHost(tt.host); got != tt.want {
			t.Errorf("IsGoogleAPIHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestIsGoogleAPIURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://run.googleapis.com/v2/projects/p/locations/l/services", true},
		{"https://cloudscheduler.googleapis.com:443/v1/x", true},
		{"https://googleapis.com.evil.io/x", false},
		{"https://hello-abc-uc.a.run.app/", false},
		{"run.googleapis.com/v2", false}, // not absolute
		{"https://user@evil.io/?h=run.googleapis.com", false},
	}
	for _, tt := range tests {
		if got := IsGoogleAPIURL(tt.url); got != tt.want {
			t.Errorf("IsGoogleAPIURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
