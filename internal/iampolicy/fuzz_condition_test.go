package iampolicy

import (
	"strings"
	"testing"
)

// FuzzConditionAndRole checks the condition and role validators and the
// policy operations that key bindings by (role, condition): whatever a user
// writes, validation never panics, accepts exactly what Google requires, and
// a member added under a valid (role, condition) is found there, under no
// other condition, and is gone after removal.
func FuzzConditionAndRole(f *testing.F) {
	for _, s := range []struct{ role, title, desc, expr string }{
		{"roles/run.invoker", "until 2030", "", `request.time < timestamp("2030-01-01T00:00:00Z")`},
		{"roles/run.invoker", "", "", ""},
		{"projects/p/roles/custom_1", "t", "d", "true"},
		{"organizations/123/roles/x.y", " ", "", "e"},
		{"roles/", "t", "", " "},
		{"run.invoker", "t", "", "e"},
		{"roles/a b", "\x00", "\xff", "resource.name.startsWith(\"projects/\")"},
		{"projects//roles/x", "t", "", "e"},
	} {
		f.Add(s.role, s.title, s.desc, s.expr)
	}
	f.Fuzz(func(t *testing.T, role, title, desc, expr string) {
		c := &Condition{Title: title, Description: desc, Expression: expr}
		cerr := ValidateCondition(c)
		zero := title == "" && desc == "" && expr == ""
		wantValid := zero || (strings.TrimSpace(title) != "" && strings.TrimSpace(expr) != "")
		if (cerr == nil) != wantValid {
			t.Fatalf("ValidateCondition(%+v) = %v, want valid=%v", c, cerr, wantValid)
		}
		if cerr != nil && cerr.Error() == "" {
			t.Fatal("empty condition error")
		}
		if !c.Equal(c.clone()) {
			t.Fatalf("condition %+v is not equal to its copy", c)
		}
		rerr := ValidateRole(role)
		if rerr != nil {
			if rerr.Error() == "" {
				t.Fatal("empty role error")
			}
			return
		}
		if !strings.Contains(role, "roles/") {
			t.Fatalf("ValidateRole accepted %q, which names no role", role)
		}
		if cerr != nil {
			return
		}
		const member = "user:fuzz@example.com"
		p := &Policy{}
		if !AddMembers(role, c, member).Apply(p) {
			t.Fatalf("adding %s to %q under %+v changed nothing", member, role, c)
		}
		if !p.HasMember(role, member, c) {
			t.Fatalf("%s not found under (%q, %+v) after adding it: %+v", member, role, c, p)
		}
		if !zero && p.HasMember(role, member, nil) {
			t.Fatalf("%s added under condition %+v is also found unconditionally", member, c)
		}
		if AddMembers(role, c, member).Apply(p) {
			t.Fatal("adding the same member twice changed the policy")
		}
		if !RemoveMembers(role, c, member).Apply(p) || p.HasMember(role, member, c) {
			t.Fatalf("removing %s under (%q, %+v) failed: %+v", member, role, c, p)
		}
	})
}
