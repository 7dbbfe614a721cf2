package emulator

import (
	"fmt"
	"slices"
	"testing"
	"time"

	iamv1 "google.golang.org/api/iam/v1"
)

func TestServiceAccountCRUD(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	sas := env.iam.Projects.ServiceAccounts
	created, err := sas.Create("projects/demo-project", &iamv1.CreateServiceAccountRequest{
		AccountId:      "invoker",
		ServiceAccount: &iamv1.ServiceAccount{DisplayName: "Invoker", Description: "calls hello"},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	const email = "invoker@demo-project.iam.gserviceaccount.com"
	if created.Email != email || created.Name != "projects/demo-project/serviceAccounts/"+email ||
		created.ProjectId != "demo-project" || created.UniqueId == "" || created.DisplayName != "Invoker" || created.Description != "calls hello" {
		t.Fatalf("created = %+v", created)
	}

	for _, name := range []string{
		"projects/demo-project/serviceAccounts/" + email,
		"projects/-/serviceAccounts/" + email,
		"projects/demo-project/serviceAccounts/" + created.UniqueId,
		"projects/-/serviceAccounts/" + created.UniqueId,
	} {
		got, err := sas.Get(name).Do()
		if err != nil {
			t.Fatalf("get %s: %v", name, err)
		}
		if got.Email != email || got.UniqueId != created.UniqueId {
			t.Fatalf("get %s = %s/%s", name, got.Email, got.UniqueId)
		}
	}

	patched, err := sas.Patch(created.Name, &iamv1.PatchServiceAccountRequest{
		ServiceAccount: &iamv1.ServiceAccount{DisplayName: "Renamed", Description: "ignored by the mask"},
		UpdateMask:     "display_name",
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if patched.DisplayName != "Renamed" || patched.Description != "calls hello" {
		t.Fatalf("patch with mask display_name = %q/%q", patched.DisplayName, patched.Description)
	}

	if _, err := sas.Delete(created.Name).Do(); err != nil {
		t.Fatal(err)
	}
	_, err = sas.Get(created.Name).Do()
	wantAPIError(t, err, 404, "Service account projects/demo-project/serviceAccounts/"+email+" does not exist.")
	_, err = sas.Get("projects/-/serviceAccounts/" + email).Do()
	wantAPIError(t, err, 403, "Permission 'iam.serviceAccounts.get' denied")
	_, err = sas.Delete(created.Name).Do()
	wantAPIError(t, err, 404, "does not exist")
}

func TestServiceAccountCreateErrors(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	env.createSA(t, "existing")
	tests := []struct {
		name, project, accountID string
		code                     int
		msg                      string
	}{
		{"duplicate", "demo-project", "existing", 409, "already exists"},
		{"too short", "demo-project", "abc", 400, "Invalid account ID"},
		{"upper case", "demo-project", "Invoker-sa", 400, "Invalid account ID"},
		{"trailing dash", "demo-project", "invoker-", 400, "Invalid account ID"},
		{"too long", "demo-project", "a123456789012345678901234567890", 400, "Invalid account ID"},
		{"unknown project", "no-such-project", "invoker", 403, "iam.serviceAccounts.create"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.iam.Projects.ServiceAccounts.Create("projects/"+tc.project, &iamv1.CreateServiceAccountRequest{AccountId: tc.accountID}).Do()
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
}

func TestServiceAccountListPaging(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	var want []string
	for i := range 7 {
		want = append(want, env.createSA(t, fmt.Sprintf("paged-%02d", i)).Email)
	}
	var got []string
	pages := 0
	token := ""
	for {
		call := env.iam.Projects.ServiceAccounts.List("projects/demo-project").PageSize(3)
		if token != "" {
			call = call.PageToken(token)
		}
		resp, err := call.Do()
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(resp.Accounts) > 3 {
			t.Fatalf("page of %d accounts, want at most 3", len(resp.Accounts))
		}
		for _, a := range resp.Accounts {
			got = append(got, a.Email)
		}
		if token = resp.NextPageToken; token == "" {
			break
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("%d pages, accounts %v; want 3 pages, %v", pages, got, want)
	}

	_, err := env.iam.Projects.ServiceAccounts.List("projects/demo-project").PageToken("!!not-a-token").Do()
	wantAPIError(t, err, 400, "Invalid page token")
	_, err = env.iam.Projects.ServiceAccounts.List("projects/no-such-project").Do()
	wantAPIError(t, err, 403, "iam.serviceAccounts.list")
}

func TestServiceAccountIAMPolicy(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	sas := env.iam.Projects.ServiceAccounts
	target := env.createSA(t, "target-sa")
	caller := env.createSA(t, "caller-sa")
	byUniqueID := "projects/-/serviceAccounts/" + target.UniqueId

	empty, err := sas.GetIamPolicy(byUniqueID).Do()
	if err != nil {
		t.Fatal(err)
	}
	if empty.Etag != "ACAB" || len(empty.Bindings) != 0 || empty.Version != 1 {
		t.Fatalf("empty policy = %+v, want version 1 etag ACAB", empty)
	}

	grant := &iamv1.Policy{Etag: empty.Etag, Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountTokenCreator", Members: []string{"serviceAccount:" + caller.Email}}}}
	set, err := sas.SetIamPolicy(byUniqueID, &iamv1.SetIamPolicyRequest{Policy: grant}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if set.Etag == empty.Etag {
		t.Fatal("setIamPolicy kept the old etag")
	}
	// Stored under the canonical name, whatever the request called it.
	if !env.e.Snapshot().hasRole(target.Name, "roles/iam.serviceAccountTokenCreator", "serviceAccount:"+caller.Email) {
		t.Fatalf("binding not stored under %s", target.Name)
	}

	tests := []struct {
		name string
		pol  *iamv1.Policy
		code int
		msg  string
	}{
		{"stale etag", &iamv1.Policy{Etag: empty.Etag, Bindings: grant.Bindings}, 409, "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."},
		{"conditional binding needs version 3", &iamv1.Policy{Version: 1, Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"user:a@example.com"}, Condition: &iamv1.Expr{Title: "t", Expression: "request.time < timestamp('2030-01-01T00:00:00Z')"}}}}, 400, "must specify version 3"},
		{"malformed member", &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"alice@example.com"}}}}, 400, "unknown type"},
		{"missing service account of an emulated project", &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"serviceAccount:ghost-sa@demo-project.iam.gserviceaccount.com"}}}}, 400, "Service account ghost-sa@demo-project.iam.gserviceaccount.com does not exist."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sas.SetIamPolicy(target.Name, &iamv1.SetIamPolicyRequest{Policy: tc.pol}).Do()
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}

	// A blind write (no etag) overwrites; a version 3 conditional binding is
	// then readable at version 3 only.
	cond := &iamv1.Policy{Version: 3, Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"user:a@example.com"}, Condition: &iamv1.Expr{Title: "until 2030", Expression: "request.time < timestamp('2030-01-01T00:00:00Z')"}}}}
	if _, err := sas.SetIamPolicy(target.Name, &iamv1.SetIamPolicyRequest{Policy: cond}).Do(); err != nil {
		t.Fatalf("blind conditional write: %v", err)
	}
	v3, err := sas.GetIamPolicy(target.Name).OptionsRequestedPolicyVersion(3).Do()
	if err != nil {
		t.Fatal(err)
	}
	if v3.Version != 3 || len(v3.Bindings) != 1 || v3.Bindings[0].Condition == nil || v3.Bindings[0].Role != "roles/iam.serviceAccountUser" {
		t.Fatalf("v3 read = %+v", v3)
	}

	perms, err := sas.TestIamPermissions(target.Name, &iamv1.TestIamPermissionsRequest{Permissions: []string{"iam.serviceAccounts.actAs", "made.up.permission"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(perms.Permissions, []string{"iam.serviceAccounts.actAs"}) {
		t.Fatalf("testIamPermissions = %v", perms.Permissions)
	}

	_, err = sas.GetIamPolicy("projects/-/serviceAccounts/ghost-sa@demo-project.iam.gserviceaccount.com").Do()
	wantAPIError(t, err, 403, "iam.serviceAccounts.getIamPolicy")
}

func TestServiceAccountDeleteDropsPolicyAndMarksMembersDeleted(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	sas := env.iam.Projects.ServiceAccounts
	target := env.createSA(t, "target-sa")
	gone := env.createSA(t, "doomed-sa")
	if _, err := sas.SetIamPolicy(gone.Name, &iamv1.SetIamPolicyRequest{Policy: &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"user:a@example.com"}}}}}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := sas.SetIamPolicy(target.Name, &iamv1.SetIamPolicyRequest{Policy: &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountTokenCreator", Members: []string{"serviceAccount:" + gone.Email}}}}}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := sas.Delete(gone.Name).Do(); err != nil {
		t.Fatal(err)
	}
	if _, ok := env.e.Snapshot().Policies[gone.Name]; ok {
		t.Fatal("the deleted account's policy is still stored")
	}
	// Re-creating the account gives an empty policy, not the old one.
	again := env.createSA(t, "doomed-sa")
	pol, err := sas.GetIamPolicy(again.Name).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Bindings) != 0 {
		t.Fatalf("re-created account inherited bindings %+v", pol.Bindings)
	}
	tp, err := sas.GetIamPolicy(target.Name).Do()
	if err != nil {
		t.Fatal(err)
	}
	want := "deleted:serviceAccount:" + gone.Email + "?uid=" + gone.UniqueId
	if len(tp.Bindings) != 1 || !slices.Equal(tp.Bindings[0].Members, []string{want}) {
		t.Fatalf("binding naming the deleted account = %+v, want member %s", tp.Bindings, want)
	}
}

func TestServiceAccountIAMPropagationDelay(t *testing.T) {
	clock := newManualClock()
	env := newIAMTestEmulator(t, Options{Now: clock.Now, IAMPropagationDelay: 30 * time.Second})
	target := env.createSA(t, "target-sa")
	fresh := env.createSA(t, "fresh-sa")
	set := func() error {
		_, err := env.iam.Projects.ServiceAccounts.SetIamPolicy(target.Name, &iamv1.SetIamPolicyRequest{Policy: &iamv1.Policy{
			Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"serviceAccount:" + fresh.Email}}},
		}}).Do()
		return err
	}
	wantAPIError(t, set(), 400, "Service account "+fresh.Email+" does not exist.")
	clock.Advance(29 * time.Second)
	wantAPIError(t, set(), 400, "does not exist")
	clock.Advance(time.Second)
	if err := set(); err != nil {
		t.Fatalf("after the propagation delay: %v", err)
	}
}

func TestServiceAccountDisableBlocksTokens(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	sa := env.createSA(t, "disable-me")
	if _, err := env.iam.Projects.ServiceAccounts.Disable(sa.Name, &iamv1.DisableServiceAccountRequest{}).Do(); err != nil {
		t.Fatal(err)
	}
	got, err := env.iam.Projects.ServiceAccounts.Get(sa.Name).Do()
	if err != nil || !got.Disabled {
		t.Fatalf("get after disable = %+v, %v; want disabled", got, err)
	}
	if _, err := env.e.mintIDToken(sa.Email, "http://example.com"); err == nil {
		t.Fatal("minted an ID token for a disabled account")
	}
	if _, err := env.iam.Projects.ServiceAccounts.Enable(sa.Name, &iamv1.EnableServiceAccountRequest{}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := env.e.mintIDToken(sa.Email, "http://example.com"); err != nil {
		t.Fatalf("mint after enable: %v", err)
	}
}
