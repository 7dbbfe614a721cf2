package gcperr

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
)

// apiErr builds the error the Go client returns for an HTTP response with the
// given status and body (the same path the generated clients take).
func apiErr(t *testing.T, code int, body string) error {
	t.Helper()
	res := &http.Response{
		StatusCode: code,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
	}
	err := googleapi.CheckResponse(res)
	if err == nil {
		t.Fatalf("CheckResponse(%d) returned nil", code)
	}
	return err
}

func envelope(code int, status, message string) string {
	return fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":%q}}`, code, message, status)
}

const concurrentMsg = "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."

func TestClassification(t *testing.T) {
	type want struct {
		code                                                   int
		notFound, denied, concurrent, exists, saMissing, retry bool
		account                                                string
	}
	tests := []struct {
		name string
		err  func(t *testing.T) error
		want want
	}{
		{"nil", func(*testing.T) error { return nil }, want{}},
		{"plain error", func(*testing.T) error { return errors.New("dial tcp: refused") }, want{}},
		{"stale etag 409 ABORTED", func(t *testing.T) error {
			return apiErr(t, 409, envelope(409, "ABORTED", concurrentMsg))
		}, want{code: 409, concurrent: true}},
		{"412 precondition", func(t *testing.T) error {
			return apiErr(t, 412, envelope(412, "FAILED_PRECONDITION", "etag mismatch"))
		}, want{code: 412, concurrent: true}},
		{"409 ALREADY_EXISTS", func(t *testing.T) error {
			return apiErr(t, 409, envelope(409, "ALREADY_EXISTS", "Service account sa already exists within project projects/p."))
		}, want{code: 409, exists: true}},
		{"409 already exists without status", func(t *testing.T) error {
			return apiErr(t, 409, `{"error":{"code":409,"message":"Resource 'q' already exists"}}`)
		}, want{code: 409, exists: true}},
		{"409 without body", func(t *testing.T) error { return apiErr(t, 409, "conflict") }, want{code: 409, concurrent: true}},
		{"404", func(t *testing.T) error {
			return apiErr(t, 404, envelope(404, "NOT_FOUND", "Resource 'projects/p/locations/l/services/s' was not found"))
		}, want{code: 404, notFound: true}},
		{"403", func(t *testing.T) error {
			return apiErr(t, 403, envelope(403, "PERMISSION_DENIED", "Permission 'run.services.setIamPolicy' denied"))
		}, want{code: 403, denied: true}},
		{"400 service account missing", func(t *testing.T) error {
			return apiErr(t, 400, envelope(400, "INVALID_ARGUMENT", "Service account sched@demo-project.iam.gserviceaccount.com does not exist."))
		}, want{code: 400, saMissing: true, account: "sched@demo-project.iam.gserviceaccount.com"}},
		{"400 service account missing in legacy errors", func(t *testing.T) error {
			return apiErr(t, 400, `{"error":{"code":400,"errors":[{"reason":"badRequest","message":"Service account x@p.iam.gserviceaccount.com does not exist."}]}}`)
		}, want{code: 400, saMissing: true, account: "x@p.iam.gserviceaccount.com"}},
		{"400 other", func(t *testing.T) error {
			return apiErr(t, 400, envelope(400, "INVALID_ARGUMENT", "Invalid member 'foo'"))
		}, want{code: 400}},
		{"429", func(t *testing.T) error {
			return apiErr(t, 429, envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded"))
		}, want{code: 429, retry: true}},
		{"500", func(t *testing.T) error { return apiErr(t, 500, envelope(500, "INTERNAL", "oops")) }, want{code: 500, retry: true}},
		{"502 html", func(t *testing.T) error { return apiErr(t, 502, "<html>bad gateway</html>") }, want{code: 502, retry: true}},
		{"503", func(t *testing.T) error { return apiErr(t, 503, envelope(503, "UNAVAILABLE", "try later")) }, want{code: 503, retry: true}},
		{"504", func(t *testing.T) error { return apiErr(t, 504, envelope(504, "DEADLINE_EXCEEDED", "slow")) }, want{code: 504, retry: true}},
		{"501 not retryable", func(t *testing.T) error { return apiErr(t, 501, envelope(501, "UNIMPLEMENTED", "no")) }, want{code: 501}},
		{"wrapped 409", func(t *testing.T) error {
			return fmt.Errorf("setting IAM policy on x: %w", apiErr(t, 409, envelope(409, "ABORTED", concurrentMsg)))
		}, want{code: 409, concurrent: true}},
		{"wrapped 404 twice", func(t *testing.T) error {
			return fmt.Errorf("a: %w", fmt.Errorf("b: %w", apiErr(t, 404, envelope(404, "NOT_FOUND", "gone"))))
		}, want{code: 404, notFound: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			got := want{
				code:       Code(err),
				notFound:   IsNotFound(err),
				denied:     IsPermissionDenied(err),
				concurrent: IsConcurrentPolicyChange(err),
				exists:     IsAlreadyExists(err),
				saMissing:  IsServiceAccountNotFound(err),
				retry:      IsRetryableTransient(err),
			}
			got.account, _ = MissingServiceAccount(err)
			if got != tt.want {
				t.Errorf("classification of %v:\n got %+v\nwant %+v", err, got, tt.want)
			}
		})
	}
}

func TestStatusAndMessage(t *testing.T) {
	err := fmt.Errorf("wrap: %w", apiErr(t, 409, envelope(409, "ABORTED", concurrentMsg)))
	if got := Status(err); got != "ABORTED" {
		t.Errorf("Status = %q, want ABORTED", got)
	}
	if got := Message(err); got != concurrentMsg {
		t.Errorf("Message = %q", got)
	}
	if got := Status(apiErr(t, 502, "<html/>")); got != "" {
		t.Errorf("Status of non-JSON body = %q, want empty", got)
	}
	if got := Status(errors.New("x")); got != "" {
		t.Errorf("Status of plain error = %q", got)
	}
	legacy := apiErr(t, 400, `{"error":{"code":400,"errors":[{"reason":"badRequest","message":"bad thing"}]}}`)
	if got := Message(legacy); got != "bad thing" {
		t.Errorf("Message of legacy error = %q, want %q", got, "bad thing")
	}
}

func TestCallErrorAndMessages(t *testing.T) {
	google := apiErr(t, 409, envelope(409, "ABORTED", "The operation was aborted."))
	err := fmt.Errorf("reading IAM policy of x: %w", &CallError{Method: "getIamPolicy", Err: google})
	if got := Method(err); got != "getIamPolicy" {
		t.Errorf("Method = %q, want getIamPolicy", got)
	}
	if Method(google) != "" || Method(nil) != "" {
		t.Error("Method of an error without CallError is not empty")
	}
	// Classification looks through CallError.
	if !IsConcurrentPolicyChange(err) || Code(err) != 409 || Status(err) != "ABORTED" {
		t.Errorf("classification lost through CallError: code %d status %q", Code(err), Status(err))
	}
	if got := Messages(err); len(got) != 1 || got[0] != "The operation was aborted." {
		t.Errorf("Messages = %q", got)
	}
	if Messages(errors.New("plain")) != nil {
		t.Error("Messages of a plain error is not nil")
	}
	bad := apiErr(t, 400, envelope(400, "INVALID_ARGUMENT", "User ghost@example.com does not exist."))
	if !IsInvalidArgument(bad) || IsInvalidArgument(google) || IsInvalidArgument(nil) {
		t.Error("IsInvalidArgument misclassifies")
	}
}
