package iampolicy

import (
	"reflect"
	"strings"
	"testing"
)

func TestMutationApply(t *testing.T) {
	tests := []struct {
		name        string
		start       *Policy
		m           Mutation
		wantChanged bool
		want        *Policy
	}{
		{"add", policy(), AddMembers(invoker, nil, alice, bob), true, policy(bind(invoker, nil, alice, bob))},
		{"add present", policy(bind(invoker, nil, alice)), AddMembers(invoker, nil, alice), false, policy(bind(invoker, nil, alice))},
		{"remove absent", policy(bind(invoker, nil, alice)), RemoveMembers(invoker, nil, bob), false, policy(bind(invoker, nil, alice))},
		{"remove", policy(bind(invoker, nil, alice, bob)), RemoveMembers(invoker, nil, bob), true, policy(bind(invoker, nil, alice))},
		{"set keeps other roles", policy(bind(invoker, nil, alice), bind(viewer, nil, alice)), SetAuthoritative(invoker, nil, bob), true,
			policy(bind(invoker, nil, bob), bind(viewer, nil, alice))},
		{"ops apply in order", policy(), append(AddMembers(invoker, nil, alice), RemoveMembers(invoker, nil, alice)...), true, policy()},
		{"add then remove of a present member nets a change", policy(bind(invoker, nil, alice)),
			append(RemoveMembers(invoker, nil, alice), AddMembers(invoker, nil, alice)...), true, policy(bind(invoker, nil, alice))},
		{"empty mutation", policy(bind(invoker, nil, alice)), nil, false, policy(bind(invoker, nil, alice))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.start.Clone()
			if got := tt.m.Apply(p); got != tt.wantChanged {
				t.Errorf("changed = %v, want %v", got, tt.wantChanged)
			}
			p.Normalize()
			want := tt.want.Clone()
			want.Normalize()
			if !reflect.DeepEqual(p, want) {
				t.Errorf("policy:\n got %+v\nwant %+v", p, want)
			}
		})
	}
}

// A mutation re-applied on top of a policy that a concurrent writer changed
// keeps that writer's members: the property the IAM engine's retry needs.
func TestMutationReapplyKeepsForeignMembers(t *testing.T) {
	m := append(AddMembers(invoker, nil, alice), RemoveMembers(viewer, nil, bob)...)
	base := policy(bind(viewer, nil, bob))
	first := base.Clone()
	m.Apply(first)

	reread := policy(bind(viewer, nil, bob, "group:ops@example.com"), bind(invoker, nil, sched))
	if !m.Apply(reread) {
		t.Fatal("re-apply reported no change")
	}
	want := policy(bind(viewer, nil, "group:ops@example.com"), bind(invoker, nil, sched, alice))
	reread.Normalize()
	want.Normalize()
	if !reflect.DeepEqual(reread, want) {
		t.Errorf("got %+v\nwant %+v", reread, want)
	}
	if m.Apply(reread) {
		t.Error("Apply is not idempotent")
	}
}

func TestMutationValidate(t *testing.T) {
	if err := append(AddMembers(invoker, workHours, alice), SetAuthoritative("projects/p/roles/x", nil)...).Validate(); err != nil {
		t.Errorf("valid mutation: %v", err)
	}
	bad := Mutation{
		{Kind: OpAdd, Role: "run.invoker", Members: []string{"alice@example.com"}},
		{Kind: OpKind(9), Role: invoker},
		{Kind: OpRemove, Role: invoker, Condition: &Condition{Title: "t"}},
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("invalid mutation validated")
	}
	for _, want := range []string{`"roles/run.invoker"`, `"user:alice@example.com"`, "unknown IAM operation kind 9", "no expression"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if OpAdd.String() != "add" || OpSetAuthoritative.String() != "set" || OpRemove.String() != "remove" {
		t.Error("OpKind names")
	}
}
