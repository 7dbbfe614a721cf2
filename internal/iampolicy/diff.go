package iampolicy

import (
	"cmp"
	"slices"
)

// Action is what a Change does.
type Action string

// Actions of a Change.
const (
	Grant  Action = "grant"
	Revoke Action = "revoke"
)

// Change is one member gaining or losing one role under one condition.
type Change struct {
	Action    Action
	Role      string
	Member    string
	Condition *Condition
}

// Diff lists the grants and revocations that turn old into new, compared by
// role, condition and canonical member. The result is sorted by role,
// condition, member, then action; nil when the policies grant the same access.
// Either policy may be nil (no bindings).
func Diff(old, new *Policy) []Change {
	before := grants(old)
	after := grants(new)
	var out []Change
	for g := range after {
		if !before[g] {
			out = append(out, Change{Action: Grant, Role: g.key.role, Member: g.member, Condition: g.key.condition()})
		}
	}
	for g := range before {
		if !after[g] {
			out = append(out, Change{Action: Revoke, Role: g.key.role, Member: g.member, Condition: g.key.condition()})
		}
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(keyOf(a.Role, a.Condition).String(), keyOf(b.Role, b.Condition).String()),
			cmp.Compare(a.Member, b.Member),
			cmp.Compare(a.Action, b.Action),
		)
	})
	return out
}

type grant struct {
	key    bindingKey
	member string
}

func grants(p *Policy) map[grant]bool {
	out := map[grant]bool{}
	if p == nil {
		return out
	}
	for _, b := range p.Bindings {
		k := keyOf(b.Role, b.Condition)
		for _, m := range b.Members {
			out[grant{k, CanonicalMember(m)}] = true
		}
	}
	return out
}
