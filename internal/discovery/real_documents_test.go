package discovery

import (
	"strings"
	"testing"
)

func TestDefaultRegistryHasTheAPIs(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range reg.Docs {
		got = append(got, d.Title())
	}
	want := "cloudfunctions v1, cloudfunctions v2, cloudresourcemanager v1, cloudscheduler v1, cloudtasks v2, iam v1, iamcredentials v1, run v2, workflowexecutions v1, workflows v1"
	if strings.Join(got, ", ") != want {
		t.Fatalf("documents = %s, want %s", strings.Join(got, ", "), want)
	}
}

// TestMatchRealDocuments: requests as the Go clients send them map to the
// methods of Google's documents.
func TestMatchRealDocuments(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const loc = "/projects/p/locations/us-central1"
	tests := []struct {
		verb, path string
		want       string // Keys, comma-separated; "" = no method
	}{
		{"GET", "/v2" + loc + "/services/hello", "run.projects.locations.services.get@v2"},
		{"GET", "/v2" + loc + "/services", "run.projects.locations.services.list@v2"},
		{"GET", "/v2" + loc + "/services/hello:getIamPolicy", "run.projects.locations.services.getIamPolicy@v2"},
		{"POST", "/v2" + loc + "/services/hello:setIamPolicy", "run.projects.locations.services.setIamPolicy@v2"},
		{"POST", "/v2" + loc + "/services/hello:getIamPolicy", ""}, // Run's getIamPolicy is GET
		{"POST", "/v1/projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com:getIamPolicy", "iam.projects.serviceAccounts.getIamPolicy@v1"},
		{"GET", "/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com", "iam.projects.serviceAccounts.get@v1"},
		{"POST", "/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateIdToken", "iamcredentials.projects.serviceAccounts.generateIdToken@v1"},
		{"GET", "/v1/projects/p", "cloudresourcemanager.projects.get@v1"},
		{"POST", "/v1/projects/p:getIamPolicy", "cloudresourcemanager.projects.getIamPolicy@v1"},
		{"POST", "/v1" + loc + "/jobs/j:resume", "cloudscheduler.projects.locations.jobs.resume@v1"},
		{"PATCH", "/v1" + loc + "/jobs/j", "cloudscheduler.projects.locations.jobs.patch@v1"},
		{"GET", "/v1" + loc + "/functions/f", "cloudfunctions.projects.locations.functions.get@v1"},
		{"GET", "/v2" + loc + "/functions/f", "cloudfunctions.projects.locations.functions.get@v2"},
		{"GET", "/v1/operations/abc", "cloudfunctions.operations.get@v1, cloudresourcemanager.operations.get@v1"},
		{"POST", "/v2" + loc + "/queues/q/tasks/t:run", "cloudtasks.projects.locations.queues.tasks.run@v2"},
		{"POST", "/v2" + loc + "/queues/q:getIamPolicy", "cloudtasks.projects.locations.queues.getIamPolicy@v2"},
		{"POST", "/v1" + loc + "/workflows/w/executions", "workflowexecutions.projects.locations.workflows.executions.create@v1"},
		{"POST", "/v1" + loc + "/workflows?workflowId=w", "workflows.projects.locations.workflows.create@v1"},
		// One path, several APIs (they live on different hosts at Google).
		{"GET", "/v2" + loc + "/operations/o", "cloudfunctions.projects.locations.operations.get@v2, cloudtasks.projects.locations.operations.get@v2, run.projects.locations.operations.get@v2"},
		{"GET", "/v1" + loc + "/operations/o", "cloudscheduler.projects.locations.operations.get@v1, workflows.projects.locations.operations.get@v1"},
		{"GET", "/v2" + loc + "/services/hello:frobnicate", ""},
		{"DELETE", "/v1/projects/p:getIamPolicy", ""},
		{"GET", "/v3/projects/p", ""},
	}
	for _, tt := range tests {
		var keys []string
		for _, m := range reg.MatchAll(tt.verb, strings.Split(tt.path, "?")[0]) {
			keys = append(keys, m.Key())
		}
		if got := strings.Join(keys, ", "); got != tt.want {
			t.Errorf("MatchAll(%s %s) = %q, want %q", tt.verb, tt.path, got, tt.want)
		}
	}
}

// TestValidateRealSchedulerJob: the Cloud Scheduler Job schema of Google's
// document catches what a hand-written emulator could get wrong.
func TestValidateRealSchedulerJob(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	create := reg.Method("cloudscheduler.projects.locations.jobs.create")
	tests := []struct {
		name, body string
		want       []string
	}{
		{"a job as the provider sends it", `{"name":"projects/p/locations/l/jobs/j","schedule":"*/5 * * * *","timeZone":"Etc/UTC",
			"attemptDeadline":"180s","retryConfig":{"retryCount":3,"maxRetryDuration":"0s","minBackoffDuration":"5s","maxDoublings":5},
			"httpTarget":{"uri":"https://hello-abc-uc.a.run.app","httpMethod":"POST","body":"e30=","headers":{"Content-Type":"application/json"},
			"oidcToken":{"serviceAccountEmail":"sa@p.iam.gserviceaccount.com","audience":"https://hello-abc-uc.a.run.app"}}}`, nil},
		{"duration without unit", `{"attemptDeadline":"180"}`, []string{"attemptDeadline: \"180\" is not a google-duration"}},
		{"http method outside the enum", `{"httpTarget":{"httpMethod":"FETCH"}}`, []string{"httpTarget.httpMethod: \"FETCH\" is not one of the enum values"}},
		{"body not base64", `{"httpTarget":{"body":"{}"}}`, []string{"httpTarget.body: \"{}\" is not base64"}},
		{"retry count as a string", `{"retryConfig":{"retryCount":"3"}}`, []string{"retryConfig.retryCount: is a string \"3\", want a JSON number"}},
		{"snake_case field", `{"time_zone":"UTC"}`, []string{"time_zone: unknown field (not in Job)"}},
		{"state outside the enum", `{"state":"RUNNING"}`, []string{"state: \"RUNNING\" is not one of the enum values"}},
		{"user update time not RFC 3339", `{"userUpdateTime":"yesterday"}`, []string{"userUpdateTime: \"yesterday\" is not a google-datetime"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblems(t, create.Doc.ValidateBody(create.Request, []byte(tt.body)), tt.want)
		})
	}
}
