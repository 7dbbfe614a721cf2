package iamengine

import (
	"errors"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Two changes in one batch that cannot both hold on the same role binding
// are both refused, each naming the other; no caller is told "written" for a
// change the same write undid. The rest of the batch is written.
func TestApplyConflictingChangesInOneBatch(t *testing.T) {
	const (
		carol  = "user:carol@example.com"
		viewer = "roles/run.developer" // the bystander's role
	)
	tests := []struct {
		name         string
		first, other iampolicy.Mutation
		conflict     bool
		want         []string // invoker holders afterwards
	}{
		{"add, then exclusive set leaving it out", iampolicy.AddMembers(invoker, nil, alice), iampolicy.SetAuthoritative(invoker, nil, carol), true, nil},
		{"exclusive set, then add of another member", iampolicy.SetAuthoritative(invoker, nil, carol), iampolicy.AddMembers(invoker, nil, alice), true, nil},
		// A Remove stops this resource granting the member; another change
		// granting it in the same apply wins whatever the order (renaming a
		// resource is a destroy and a create of the same member).
		{"add, then remove of the same member", iampolicy.AddMembers(invoker, nil, alice), iampolicy.RemoveMembers(invoker, nil, alice), false, []string{alice}},
		{"remove, then add of the same member", iampolicy.RemoveMembers(invoker, nil, alice), iampolicy.AddMembers(invoker, nil, alice), false, []string{alice}},
		{"exclusive set listing a member another change removes", iampolicy.SetAuthoritative(invoker, nil, alice, carol), iampolicy.RemoveMembers(invoker, nil, alice), false, []string{alice, carol}},
		{"two different exclusive sets", iampolicy.SetAuthoritative(invoker, nil, alice), iampolicy.SetAuthoritative(invoker, nil, carol), true, nil},
		{"add of a member the exclusive set lists", iampolicy.AddMembers(invoker, nil, alice), iampolicy.SetAuthoritative(invoker, nil, alice, carol, bob), false, []string{alice, carol}},
		{"same member added twice", iampolicy.AddMembers(invoker, nil, alice), iampolicy.AddMembers(invoker, nil, alice), false, []string{alice}},
		{"add and exclusive set on different roles", iampolicy.AddMembers("roles/run.viewer", nil, alice), iampolicy.SetAuthoritative(invoker, nil, carol, bob), false, []string{carol}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			b := newBatchEngine(t, Options{})
			res := b.applyAll(t, f,
				batchCall{caller: `resource "first"`, m: tt.first},
				batchCall{caller: `bystander`, m: iampolicy.AddMembers(viewer, nil, bob)},
				batchCall{caller: `resource "other"`, m: tt.other},
			)
			if res[1].err != nil {
				t.Errorf("bystander failed: %v", res[1].err)
			}
			got := f.stored()
			if !got.HasMember(viewer, bob, nil) {
				t.Errorf("bystander's change not written: %+v", got.Bindings)
			}
			if !tt.conflict {
				if res[0].err != nil || res[2].err != nil {
					t.Fatalf("compatible changes failed: %v / %v", res[0].err, res[2].err)
				}
				for _, m := range tt.want {
					if !got.HasMember(invoker, m, nil) {
						t.Errorf("stored %+v lacks %s", got.Bindings, m)
					}
				}
				return
			}
			for i, other := range map[int]string{0: `resource "other"`, 2: `resource "first"`} {
				var ce *ConflictError
				if !errors.As(res[i].err, &ce) {
					t.Fatalf("caller %d: got %v, want a *ConflictError", i, res[i].err)
				}
				if ce.Role != invoker || !strings.HasPrefix(ce.Other, other+": ") {
					t.Errorf("caller %d: ConflictError{Role %q, Other %q}, want role %s and the other change named %s", i, ce.Role, ce.Other, invoker, other)
				}
				if msg := ce.Error(); !strings.Contains(msg, "neither was written") || !strings.Contains(msg, ce.Change) {
					t.Errorf("caller %d: message %q does not say what happened", i, msg)
				}
			}
			// Neither conflicting change was written.
			if members := got.Members(invoker, nil); len(members) != 0 {
				t.Errorf("invoker holders %v, want none", members)
			}
			if _, sets := f.counts(); sets != 1 {
				t.Errorf("sets=%d, want 1 (the conflict is found before writing)", sets)
			}
		})
	}
}
