package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDispatcher(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"no command", nil, 2, nil, []string{"Usage: gcpinvoke <command>", "review", "version"}},
		{"help lists commands", []string{"help"}, 0, []string{"review", "version", "help"}, nil},
		{"help for a command", []string{"help", "review"}, 0, nil, []string{"Usage: gcpinvoke review", "-fail-on", "-format"}},
		{"help for an unknown command", []string{"help", "nope"}, 2, nil, []string{`unknown command "nope"`}},
		{"unknown command", []string{"deploy"}, 2, nil, []string{`unknown command "deploy"`, "gcpinvoke help"}},
		{"version", []string{"version"}, 0, []string{"gcpinvoke dev"}, nil},
		{"--version", []string{"--version"}, 0, []string{"gcpinvoke dev"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout %q does not contain %q", out, w)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	register("review", command{})
}
