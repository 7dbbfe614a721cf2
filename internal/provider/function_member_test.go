package provider

import (
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

func TestMemberFunction(t *testing.T) {
	name, def := functionDefinition(NewMemberFunction())
	if name != "member" || def.Summary == "" || def.MarkdownDescription == "" || len(def.Parameters) != 2 ||
		def.Parameters[0].GetName() != "kind" || def.Parameters[1].GetName() != "id" {
		t.Errorf("definition of %q is incomplete: %+v", name, def)
	}
	runFunctionCases(t, NewMemberFunction(), []functionCase{
		{args: []string{"serviceAccount", "Invoker@demo-project.iam.gserviceaccount.com"}, want: "serviceAccount:invoker@demo-project.iam.gserviceaccount.com"},
		{args: []string{"user", "jane@example.com"}, want: "user:jane@example.com"},
		{args: []string{"allUsers", ""}, want: "allUsers"},
		{args: []string{"domain", "Example.com"}, want: "domain:example.com"},
		{args: []string{"robot", "a@b.com"}, wantArg: 0, wantErr: `kind: unknown member kind "robot"; use one of user, serviceAccount`},
		{args: []string{"allUsers", "x"}, wantArg: 1, wantErr: "id: member kind allUsers takes no id; pass an empty string"},
		{args: []string{"serviceAccount", "invoker"}, wantArg: 1, wantErr: "id: service account email \"invoker\" looks like an account ID"},
	})
}

// What member() returns must be what the IAM policy engine stores, or plans
// would show a diff after every apply.
func TestMemberFunctionOutputIsCanonical(t *testing.T) {
	for _, args := range [][]string{
		{"serviceAccount", "Invoker@Demo-Project.iam.gserviceaccount.com"},
		{"user", "Jane@Example.com"},
		{"group", "ops@example.com"},
		{"domain", "EXAMPLE.com"},
		{"allAuthenticatedUsers", ""},
		{"principalSet", "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*"},
	} {
		got, ferr := callStringFunction(t, NewMemberFunction(), args...)
		if ferr != nil {
			t.Fatalf("member(%q) error: %s", args, ferr.Text)
		}
		canonical, err := iampolicy.NormalizeMember(got)
		if err != nil || canonical != got {
			t.Errorf("member(%q) = %q, but iampolicy normalizes it to %q (%v)", args, got, canonical, err)
		}
	}
}
