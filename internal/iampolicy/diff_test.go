package iampolicy

import (
	"reflect"
	"strings"
	"testing"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new *Policy
		want     []Change
	}{
		{"equal", policy(bind(invoker, nil, alice)), policy(bind(invoker, nil, "user:ALICE@example.com")), nil},
		{"both nil", nil, nil, nil},
		{"grant into nil", nil, policy(bind(invoker, nil, alice)), []Change{{Grant, invoker, alice, nil}}},
		{"revoke all", policy(bind(invoker, nil, alice, bob)), &Policy{}, []Change{{Revoke, invoker, alice, nil}, {Revoke, invoker, bob, nil}}},
		{"swap member and role", policy(bind(invoker, nil, alice), bind(viewer, nil, bob)), policy(bind(invoker, nil, bob), bind(viewer, nil, bob)),
			[]Change{{Revoke, invoker, alice, nil}, {Grant, invoker, bob, nil}}},
		{"condition change is revoke plus grant", policy(bind(invoker, nil, alice)), policy(bind(invoker, workHours, alice)),
			[]Change{{Revoke, invoker, alice, nil}, {Grant, invoker, alice, workHours}}},
		{"duplicate bindings do not matter", policy(bind(invoker, nil, alice), bind(invoker, nil, alice)), policy(bind(invoker, nil, alice)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.old, tt.new); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
