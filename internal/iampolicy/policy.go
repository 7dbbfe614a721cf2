// Package iampolicy is the pure model of a Google IAM policy: members, roles,
// conditions, and the operations the provider performs on them (add, remove,
// authoritative set, diff, normalisation). It does no I/O.
//
// Bindings are keyed by role plus condition (title, description, expression),
// as Google keys them: the same role with two different conditions is two
// bindings.
package iampolicy

import (
	"cmp"
	"slices"
)

// ConditionalVersion is the policy version Google requires as soon as one
// binding carries a condition.
const ConditionalVersion = 3

// Policy is an IAM policy in Google's wire format; it marshals to and from
// the JSON every Google API uses.
type Policy struct {
	Version  int       `json:"version,omitempty"`
	Etag     string    `json:"etag,omitempty"`
	Bindings []Binding `json:"bindings,omitempty"`
}

// Binding grants Role to Members, under Condition when it is not nil.
type Binding struct {
	Role      string     `json:"role"`
	Members   []string   `json:"members,omitempty"`
	Condition *Condition `json:"condition,omitempty"`
}

// Clone returns a deep copy of p (nil for nil).
func (p *Policy) Clone() *Policy {
	if p == nil {
		return nil
	}
	out := &Policy{Version: p.Version, Etag: p.Etag}
	if p.Bindings != nil {
		out.Bindings = make([]Binding, len(p.Bindings))
		for i, b := range p.Bindings {
			out.Bindings[i] = b.clone()
		}
	}
	return out
}

func (b Binding) clone() Binding {
	out := Binding{Role: b.Role, Condition: b.Condition.clone()}
	if b.Members != nil {
		out.Members = slices.Clone(b.Members)
	}
	return out
}

// Normalize puts p in canonical form, in place: members in canonical
// spelling (see CanonicalMember), deduplicated and sorted; bindings with the
// same role and condition merged; empty bindings dropped; bindings sorted by
// role then condition; Version raised to 3 when a binding has a condition.
// Two policies granting the same access normalise to equal values (Etag
// aside).
func (p *Policy) Normalize() {
	if p == nil {
		return
	}
	byKey := map[bindingKey]int{}
	var merged []Binding
	for _, b := range p.Bindings {
		k := keyOf(b.Role, b.Condition)
		i, ok := byKey[k]
		if !ok {
			i = len(merged)
			byKey[k] = i
			merged = append(merged, Binding{Role: b.Role, Condition: k.condition()})
		}
		merged[i].Members = append(merged[i].Members, b.Members...)
	}
	out := merged[:0]
	for _, b := range merged {
		b.Members = canonicalSet(b.Members)
		if len(b.Members) > 0 {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b Binding) int {
		return cmp.Compare(keyOf(a.Role, a.Condition).String(), keyOf(b.Role, b.Condition).String())
	})
	if len(out) == 0 {
		out = nil
	}
	p.Bindings = out
	p.fixVersion()
}

// fixVersion raises Version to 3 when any binding has a condition.
func (p *Policy) fixVersion() {
	for _, b := range p.Bindings {
		if !b.Condition.isZero() {
			if p.Version < ConditionalVersion {
				p.Version = ConditionalVersion
			}
			return
		}
	}
}

// canonicalSet returns the canonical members of in, deduplicated and sorted.
func canonicalSet(in []string) []string {
	out := make([]string, 0, len(in))
	for _, m := range in {
		out = append(out, CanonicalMember(m))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
