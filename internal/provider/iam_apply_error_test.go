package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"google.golang.org/api/googleapi"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// Each engine error lands on the attribute holding the offender, with
// Google's reason and the fix.
func TestIAMAddApplyError(t *testing.T) {
	google := &googleapi.Error{Code: http.StatusBadRequest, Message: "User ghost@example.com does not exist."}
	res := &iamResolved{api: "run.services", describe: `Cloud Run service "projects/p/locations/l/services/s"`}
	rejectedMember := &iamengine.RejectedError{Target: "s", Member: "user:ghost@example.com", Role: "roles/run.invoker", Err: google}
	rejectedRole := &iamengine.RejectedError{Target: "s", Role: "roles/run.developer",
		Err: &googleapi.Error{Code: http.StatusBadRequest, Message: "Role roles/run.developer is not supported for this resource."}}
	conflict := &iamengine.ConflictError{Target: "s", Role: "roles/run.invoker",
		Change: `gcpinvoke_run_service_iam_member "s roles/run.invoker user:a@example.com": add user:a@example.com`,
		Other:  `gcpinvoke_run_service_iam_members "s roles/run.invoker" (members user:b@example.com): set user:b@example.com`}
	tests := []struct {
		name  string
		multi bool
		err   error
		at    *path.Path // nil: no attribute
		want  []string   // substrings of summary + detail
	}{
		{"refused member", false, rejectedMember, &iamPathMember,
			[]string{"Google refused member user:ghost@example.com", "User ghost@example.com does not exist.", "Fix the member", "other changes to this policy"}},
		{"refused member of a set", true, rejectedMember, &iamPathMembers,
			[]string{"Google refused member user:ghost@example.com", "User ghost@example.com does not exist."}},
		{"refused role", true, rejectedRole, &iamPathRole,
			[]string{"Google refused role roles/run.developer", "is not supported for this resource", "Use a role this kind of resource supports"}},
		{"conflict", false, conflict, &iamPathMember,
			[]string{"Conflicting IAM changes on roles/run.invoker", "gcpinvoke_run_service_iam_member ", "gcpinvoke_run_service_iam_members ", "exclusive = false"}},
		{"conflict on a set", true, conflict, &iamPathMembers, []string{"Conflicting IAM changes"}},
		{"other error", false, errors.New("boom"), nil, []string{"boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &iamResource{kind: runServiceIAM, multi: tt.multi}
			var diags diag.Diagnostics
			r.addApplyError(&diags, tt.err, res)
			if len(diags) != 1 || diags.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", diags)
			}
			d := diags[0]
			wp, onAttr := d.(diag.DiagnosticWithPath)
			switch {
			case tt.at == nil && onAttr:
				t.Errorf("diagnostic on %s, want none", wp.Path())
			case tt.at != nil && (!onAttr || !wp.Path().Equal(*tt.at)):
				t.Errorf("diagnostic %q not on %s", d.Summary(), *tt.at)
			}
			text := d.Summary() + "\n" + d.Detail()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostic lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
