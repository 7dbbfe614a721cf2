package gcpclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
)

func apiErr(code int, status, message string, details ...any) error {
	body := fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":%q}}`, code, message, status)
	return fmt.Errorf("wrapped: %w", &googleapi.Error{Code: code, Message: message, Body: body, Details: details})
}

func TestDescribe(t *testing.T) {
	const svc = `Cloud Run service "projects/p/locations/l/services/s"`
	tests := []struct {
		name         string
		err          error
		action       string
		resource     string
		wantSummary  string
		detailHas    []string
		detailHasNot []string
	}{
		{
			name: "403 permission from table", err: apiErr(403, "PERMISSION_DENIED", "The caller does not have permission"),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary: `Permission denied while changing the IAM policy of ` + svc,
			detailHas:   []string{"The caller does not have permission", "`run.services.setIamPolicy`", "`roles/run.admin`", "impersonate_service_account"},
		},
		{
			name: "403 permission named by Google wins", err: apiErr(403, "PERMISSION_DENIED", `The principal (user or service account) lacks IAM permission "iam.serviceAccounts.actAs" for the resource "x".`),
			action: "cloudscheduler.jobs.create", resource: `Cloud Scheduler job "j"`,
			wantSummary: `Permission denied while creating Cloud Scheduler job "j"`,
			detailHas:   []string{"`iam.serviceAccounts.actAs`", "`roles/iam.serviceAccountUser`"},
		},
		{
			name: "403 permission from ErrorInfo", err: apiErr(403, "PERMISSION_DENIED", "denied",
				map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "IAM_PERMISSION_DENIED", "metadata": map[string]any{"permission": "cloudscheduler.jobs.create"}}),
			action: "creating", resource: "the job",
			wantSummary: "Permission denied while creating the job",
			detailHas:   []string{"`cloudscheduler.jobs.create`", "roles/cloudscheduler.admin"},
		},
		{
			name: "403 on service account hints at missing account", err: apiErr(403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getIamPolicy' denied on resource"),
			action: "iam.serviceAccounts.getIamPolicy", resource: `service account "a@p.iam.gserviceaccount.com"`,
			wantSummary: `Permission denied while reading the IAM policy of service account "a@p.iam.gserviceaccount.com"`,
			detailHas:   []string{"`iam.serviceAccounts.getIamPolicy`", "does not exist"},
		},
		{
			name: "403 API disabled", err: apiErr(403, "PERMISSION_DENIED", "Cloud Scheduler API has not been used in project 123 before or it is disabled.",
				map[string]any{"reason": "SERVICE_DISABLED", "metadata": map[string]any{"service": "cloudscheduler.googleapis.com"}}),
			action: "cloudscheduler.jobs.create", resource: "job",
			wantSummary: "API not enabled while creating job",
			detailHas:   []string{"gcloud services enable cloudscheduler.googleapis.com"},
		},
		{
			name: "404", err: apiErr(404, "NOT_FOUND", "Resource 'projects/p/locations/l/services/s' was not found"),
			action: "run.services.get", resource: svc,
			wantSummary: "Not found while reading " + svc,
			detailHas:   []string{"was not found", "does not exist", "project, location and name"},
		},
		{
			name: "409 aborted", err: apiErr(409, "ABORTED", "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary: "Concurrent change while changing the IAM policy of " + svc,
			detailHas:   []string{"at the same time", "etag"},
		},
		{
			// The engine's read got 409 ABORTED through every retry: only a
			// read was made, so no word about an etag changing.
			name: "409 aborted on getIamPolicy within an IAM change",
			err: fmt.Errorf("reading IAM policy of x: %w", &gcperr.CallError{Method: "getIamPolicy",
				Err: apiErr(409, "ABORTED", "The operation was aborted.")}),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary:  "Request aborted while changing the IAM policy of " + svc,
			detailHas:    []string{"aborted reading " + svc, "Nothing was written", "request_timeout"},
			detailHasNot: []string{"etag", "between read and write"},
		},
		{
			name: "409 aborted on a read action", err: apiErr(409, "ABORTED", "The operation was aborted."),
			action: "run.services.getIamPolicy", resource: svc,
			wantSummary:  "Request aborted while reading the IAM policy of " + svc,
			detailHasNot: []string{"etag"},
		},
		{
			name:   "400 missing service account, looked up",
			err:    fmt.Errorf("%w (%w)", apiErr(400, "INVALID_ARGUMENT", "Service account ghost@p.iam.gserviceaccount.com does not exist."), gcperr.ErrServiceAccountMissing),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary:  "Service account does not exist while changing the IAM policy of " + svc,
			detailHas:    []string{"ghost@p.iam.gserviceaccount.com does not exist: it was looked up", "Create the account or fix the member"},
			detailHasNot: []string{"moments ago"},
		},
		{
			name:   "400 missing service account, not looked up",
			err:    apiErr(400, "INVALID_ARGUMENT", "Service account ghost@p.iam.gserviceaccount.com does not exist."),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary: "Service account does not exist while changing the IAM policy of " + svc,
			detailHas:   []string{"created moments ago"},
		},
		{
			name: "409 already exists", err: apiErr(409, "ALREADY_EXISTS", "Job projects/p/locations/l/jobs/j already exists."),
			action: "cloudscheduler.jobs.create", resource: `Cloud Scheduler job "j"`,
			wantSummary: `Already exists while creating Cloud Scheduler job "j"`,
			detailHas:   []string{"import"},
		},
		{
			name: "400 message passed through", err: apiErr(400, "INVALID_ARGUMENT", "Schedule has more than 5 fields"),
			action: "cloudscheduler.jobs.create", resource: "job",
			wantSummary: "Invalid request while creating job",
			detailHas:   []string{"Schedule has more than 5 fields"},
		},
		{
			name: "400 missing service account", err: apiErr(400, "INVALID_ARGUMENT", "Service account new@p.iam.gserviceaccount.com does not exist."),
			action: "run.services.setIamPolicy", resource: svc,
			wantSummary: "Service account does not exist while changing the IAM policy of " + svc,
			detailHas:   []string{"new@p.iam.gserviceaccount.com", "eventually consistent"},
		},
		{
			name: "401", err: apiErr(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Bearer ya29.leaked-token"),
			action: "run.services.get", resource: svc,
			wantSummary:  "Authentication failed while reading " + svc,
			detailHas:    []string{"gcloud auth application-default login", "access_token"},
			detailHasNot: []string{"ya29.leaked-token", "leaked"},
		},
		{
			name: "429", err: apiErr(429, "RESOURCE_EXHAUSTED", "Quota exceeded"),
			action: "run.services.get", resource: svc,
			wantSummary: "Quota exceeded while reading " + svc, detailHas: []string{"-parallelism"},
		},
		{
			name: "503", err: apiErr(503, "UNAVAILABLE", "backend error"),
			action: "iam.serviceAccounts.create", resource: "account",
			wantSummary: "Google API unavailable while creating account", detailHas: []string{"Apply again later"},
		},
		{
			name: "deadline", err: fmt.Errorf("Get: %w", context.DeadlineExceeded),
			action: "run.services.get", resource: svc,
			wantSummary: "Timed out while reading " + svc, detailHas: []string{"`timeouts`", "request_timeout"},
		},
		{
			name: "credentials", err: fmt.Errorf("x: %w", &CredentialsError{Source: "Application Default Credentials", Err: errors.New("could not find default credentials")}),
			action: "run.services.get", resource: svc,
			wantSummary: "No usable Google credentials while reading " + svc,
			detailHas:   []string{"gcloud auth application-default login", "GOOGLE_CREDENTIALS"},
		},
		{
			name: "impersonation credentials", err: &CredentialsError{Source: "impersonation of d@p.iam.gserviceaccount.com", Err: apiErr(403, "PERMISSION_DENIED", "denied")},
			action: "", resource: "",
			wantSummary: "No usable Google credentials",
			detailHas:   []string{"roles/iam.serviceAccountTokenCreator", "impersonate_service_account"},
		},
		{
			name: "operation already exists", err: &OperationError{Operation: "op", Code: 6, Message: "Service s already exists"},
			action: "run.services.create", resource: "service s",
			wantSummary: "Already exists while creating service s",
		},
		{
			name: "plain error scrubbed", err: errors.New("dial failed with Authorization: Bearer abc123"),
			action: "reading", resource: "x",
			wantSummary: "Request failed while reading x", detailHasNot: []string{"abc123"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			summary, detail := Describe(tt.err, tt.action, tt.resource)
			if summary != tt.wantSummary {
				t.Errorf("summary = %q, want %q", summary, tt.wantSummary)
			}
			for _, s := range tt.detailHas {
				if !strings.Contains(detail, s) {
					t.Errorf("detail lacks %q:\n%s", s, detail)
				}
			}
			for _, s := range tt.detailHasNot {
				if strings.Contains(detail, s) || strings.Contains(summary, s) {
					t.Errorf("output contains %q:\n%s", s, detail)
				}
			}
		})
	}
	if s, d := Describe(nil, "x", "y"); s != "" || d != "" {
		t.Errorf("Describe(nil) = %q, %q", s, d)
	}
}

func TestPermissionTable(t *testing.T) {
	for action, want := range map[string]string{
		"run.services.setIamPolicy":                      "run.services.setIamPolicy",
		"iam.serviceAccounts.setIamPolicy":               "iam.serviceAccounts.setIamPolicy",
		"cloudscheduler.jobs.create":                     "cloudscheduler.jobs.create",
		"cloudscheduler.jobs.resume":                     "cloudscheduler.jobs.enable",
		"iamcredentials.serviceAccounts.generateIdToken": "iam.serviceAccounts.getOpenIdToken",
		"cloudfunctions.v1.functions.setIamPolicy":       "cloudfunctions.functions.setIamPolicy",
	} {
		if got, ok := Permission(action); !ok || got != want {
			t.Errorf("Permission(%q) = %q, %v; want %q", action, got, ok, want)
		}
	}
	if _, ok := Permission("made.up.method"); ok {
		t.Error("unknown action reported as known")
	}
}
