package emulator

import (
	"slices"
	"testing"

	crm "google.golang.org/api/cloudresourcemanager/v1"
)

func TestProjectGet(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	tests := []struct {
		name, id string
		code     int
	}{
		{"by id", "demo-project", 0},
		{"by number", "123456789012", 0},
		{"unknown project is 403 like Google", "no-such-project", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := env.crm.Projects.Get(tc.id).Do()
			if tc.code != 0 {
				wantAPIError(t, err, tc.code, "The caller does not have permission")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// projectNumber is an int64 sent as a JSON string; the client
			// decodes it only in that form.
			if p.ProjectNumber != 123456789012 || p.ProjectId != "demo-project" || p.LifecycleState != "ACTIVE" || p.Name != "demo-project" || p.CreateTime == "" {
				t.Fatalf("project = %+v", p)
			}
		})
	}
}

func TestProjectIAMPolicy(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	pol, err := env.crm.Projects.GetIamPolicy("demo-project", &crm.GetIamPolicyRequest{Options: &crm.GetPolicyOptions{RequestedPolicyVersion: 3}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	agent := "serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
	if !policyHas(pol, "roles/cloudscheduler.serviceAgent", agent) {
		t.Fatalf("seeded project policy lacks the scheduler service agent: %+v", pol.Bindings)
	}

	pol.Bindings = append(pol.Bindings, &crm.Binding{Role: "roles/run.invoker", Members: []string{"user:dev@example.com"}})
	set, err := env.crm.Projects.SetIamPolicy("demo-project", &crm.SetIamPolicyRequest{Policy: pol}).Do()
	if err != nil {
		t.Fatal(err)
	}
	// Addressed by number, stored under projects/ID.
	byNumber, err := env.crm.Projects.GetIamPolicy("123456789012", &crm.GetIamPolicyRequest{}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if byNumber.Etag != set.Etag || !policyHas(byNumber, "roles/run.invoker", "user:dev@example.com") {
		t.Fatalf("policy read by number = %+v, want the one just set (etag %s)", byNumber, set.Etag)
	}

	_, err = env.crm.Projects.SetIamPolicy("demo-project", &crm.SetIamPolicyRequest{Policy: pol}).Do()
	wantAPIError(t, err, 409, "There were concurrent policy changes")
	_, err = env.crm.Projects.GetIamPolicy("no-such-project", &crm.GetIamPolicyRequest{}).Do()
	wantAPIError(t, err, 403, "The caller does not have permission")

	perms, err := env.crm.Projects.TestIamPermissions("demo-project", &crm.TestIamPermissionsRequest{Permissions: []string{"resourcemanager.projects.get", "nope.nope.nope"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(perms.Permissions, []string{"resourcemanager.projects.get"}) {
		t.Fatalf("testIamPermissions = %v", perms.Permissions)
	}
}

func TestProjectConcurrentWriterUsesViewer(t *testing.T) {
	env := newIAMTestEmulator(t, Options{Faults: Faults{ConcurrentWriterRate: 1}})
	pol, err := env.crm.Projects.GetIamPolicy("demo-project", &crm.GetIamPolicyRequest{}).Do()
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.crm.Projects.SetIamPolicy("demo-project", &crm.SetIamPolicyRequest{Policy: pol}).Do()
	wantAPIError(t, err, 409, "concurrent policy changes")
	writes := env.e.ConcurrentWrites()
	if len(writes) != 1 || writes[0].Role != "roles/viewer" || writes[0].Resource != "projects/demo-project" {
		t.Fatalf("concurrent writes = %+v", writes)
	}
}

func policyHas(p *crm.Policy, role, member string) bool {
	for _, b := range p.Bindings {
		if b.Role == role && slices.Contains(b.Members, member) {
			return true
		}
	}
	return false
}
