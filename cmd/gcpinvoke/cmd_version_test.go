package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	withVersion := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/gcpinvoke/terraform-provider-gcpinvoke", Version: v}}
	}
	tests := []struct {
		name, ldflags string
		info          *debug.BuildInfo
		ok            bool
		want          string
	}{
		{"go install module@version", "dev", withVersion("v1.4.0"), true, "v1.4.0"},
		{"pseudo-version", "dev", withVersion("v0.0.0-20260101000000-abcdef123456"), true, "v0.0.0-20260101000000-abcdef123456"},
		{"build from a work tree", "dev", withVersion("(devel)"), true, "dev"},
		{"no build info", "dev", nil, false, "dev"},
		{"-ldflags wins", "v2.0.0", withVersion("v1.4.0"), true, "v2.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolveVersion(tt.ldflags, tt.info, tt.ok); got != tt.want {
				t.Errorf("resolveVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionRejectsFlagsAndArguments(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"version", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"version", "extra"}, 2, `takes no arguments, got ["extra"]`},
		{[]string{"version", "-h"}, 0, "Usage: gcpinvoke version"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.wantStderr) {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q (want %q)", tt.args, code, tt.code, out, errOut, tt.wantStderr)
		}
		if tt.code != 0 && out != "" {
			t.Errorf("%v printed a version anyway: %q", tt.args, out)
		}
	}
}
