package gcpnames

import (
	"strings"
	"testing"
)

func TestSuggestAbsoluteURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.com/x", "https://example.com/x"},
		{"//example.com", "https://example.com"},
		{"https:/example.com", "https://example.com"},
		{"https:example.com", "https://example.com"},
		{"https//example.com", "https://example.com"},
		{"HTTPS://", "https://HOST"},
		{"https://", "https://HOST"},
		{"http:///x", "http://x"},
		{"ftp://example.com/f", "https://example.com/f"},
		{"/run/me", "https://HOST/run/me"},
	}
	for _, tt := range tests {
		got := SuggestAbsoluteURL(tt.in)
		if got != tt.want {
			t.Errorf("SuggestAbsoluteURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Count(strings.ToLower(got), "://") != 1 {
			t.Errorf("SuggestAbsoluteURL(%q) = %q has more than one scheme", tt.in, got)
		}
	}
}

func TestWithHTTPS(t *testing.T) {
	for in, want := range map[string]string{
		"http://pubsub.googleapis.com/v1":  "https://pubsub.googleapis.com/v1",
		"HTTP://pubsub.googleapis.com/v1":  "https://pubsub.googleapis.com/v1",
		"Http://www.googleapis.com/auth/x": "https://www.googleapis.com/auth/x",
		"pubsub.googleapis.com":            "https://pubsub.googleapis.com",
	} {
		if got := WithHTTPS(in); got != want {
			t.Errorf("WithHTTPS(%q) = %q, want %q", in, got, want)
		}
	}
}
