package gcpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// ProjectNumber answers the number Resource Manager gives, asks once per
// project, and does not keep failures.
func TestProjectNumber(t *testing.T) {
	numbers := map[string]string{"/v1/projects/demo": `{"projectId":"demo","projectNumber":"123456789012"}`,
		"/v1/projects/nonumber": `{"projectId":"nonumber"}`}
	rec := &recorder{answer: func(w http.ResponseWriter, r *http.Request) {
		body, ok := numbers[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}}
	_, host := newServer(t, rec)
	c, err := New(Config{EmulatorHost: host})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cases := []struct {
		project, want, wantErr string
		requests               int // total requests seen after the call
	}{
		{project: "demo", want: "123456789012", requests: 1},
		{project: "demo", want: "123456789012", requests: 1},
		{project: "missing", wantErr: "denied", requests: 2},
		{project: "missing", wantErr: "denied", requests: 3},
		{project: "nonumber", wantErr: "without a project number", requests: 4},
	}
	for i, tc := range cases {
		got, err := c.ProjectNumber(ctx, tc.project)
		switch {
		case tc.wantErr == "" && (err != nil || got != tc.want):
			t.Errorf("%d: ProjectNumber(%q) = %q, %v; want %q", i, tc.project, got, err, tc.want)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%d: ProjectNumber(%q) error = %v; want containing %q", i, tc.project, err, tc.wantErr)
		}
		if n := len(rec.all()); n != tc.requests {
			t.Errorf("%d: %d requests after ProjectNumber(%q), want %d", i, n, tc.project, tc.requests)
		}
	}
	if _, err := c.ProjectNumber(ctx, "nonumber"); !errors.Is(err, ErrNoProjectNumber) {
		t.Errorf("project without number: error %v, want ErrNoProjectNumber", err)
	}
}
