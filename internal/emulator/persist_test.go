package emulator

import (
	"os"
	"path/filepath"
	"testing"

	iamv1 "google.golang.org/api/iam/v1"
)

func TestPersistStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")

	first := newIAMTestEmulator(t, Options{StatePath: path})
	sa := first.createSA(t, "persisted-sa")
	set, err := first.iam.Projects.ServiceAccounts.SetIamPolicy(sa.Name, &iamv1.SetIamPolicyRequest{Policy: &iamv1.Policy{
		Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountTokenCreator", Members: []string{"serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"}}},
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	first.srv.Close()
	first.e.Close()

	second := newIAMTestEmulator(t, Options{StatePath: path})
	got, err := second.iam.Projects.ServiceAccounts.Get("projects/-/serviceAccounts/" + sa.UniqueId).Do()
	if err != nil {
		t.Fatalf("account after restart: %v", err)
	}
	if got.Email != sa.Email || got.DisplayName != sa.DisplayName {
		t.Fatalf("account after restart = %+v, want %+v", got, sa)
	}
	pol, err := second.iam.Projects.ServiceAccounts.GetIamPolicy(sa.Name).Do()
	if err != nil {
		t.Fatal(err)
	}
	if pol.Etag != set.Etag || len(pol.Bindings) != 1 || pol.Bindings[0].Role != "roles/iam.serviceAccountTokenCreator" {
		t.Fatalf("policy after restart = %+v, want etag %s with the token creator binding", pol, set.Etag)
	}
	// A write on the restarted emulator still detects a stale etag.
	_, err = second.iam.Projects.ServiceAccounts.SetIamPolicy(sa.Name, &iamv1.SetIamPolicyRequest{Policy: &iamv1.Policy{Etag: "ACAB"}}).Do()
	wantAPIError(t, err, 409, "concurrent policy changes")

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "state.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("state directory holds %v, want only state.json (atomic writes leave no temp file)", names)
	}
}

func TestPersistRejectsCorruptStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StatePath: path}); err == nil {
		t.Fatal("New accepted a corrupt state file")
	}
}
