package iamengine

import (
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// conflict is one request of a batch whose change another request of the
// same batch undoes (or that undoes another's).
type conflict struct {
	r   *request
	err *ConflictError
}

// grantKey is one member under one role binding.
type grantKey struct {
	role   string
	cond   iampolicy.Condition
	member string
}

func keyOfGrant(role string, cond *iampolicy.Condition, member string) grantKey {
	k := grantKey{role: role, member: iampolicy.CanonicalMember(member)}
	if cond != nil {
		k.cond = *cond
	}
	return k
}

// effective returns the mutation each request contributes to a batch: its
// own, except that a Remove leaves out a member that another request of the
// batch grants under the same binding. A Remove says "this resource no
// longer grants the member", not "nobody may": when one resource is renamed
// (destroy + create of the same member) or a member moves from one resource
// to another in one apply, the member stays, whatever order the changes
// arrived in.
func effective(reqs []*request) map[*request]iampolicy.Mutation {
	granted := map[grantKey]map[*request]bool{}
	for _, r := range reqs {
		for _, op := range r.m {
			if op.Kind != iampolicy.OpAdd && op.Kind != iampolicy.OpSetAuthoritative {
				continue
			}
			for _, m := range op.Members {
				k := keyOfGrant(op.Role, op.Condition, m)
				if granted[k] == nil {
					granted[k] = map[*request]bool{}
				}
				granted[k][r] = true
			}
		}
	}
	out := make(map[*request]iampolicy.Mutation, len(reqs))
	for _, r := range reqs {
		m, copied := r.m, false
		for i, op := range r.m {
			if op.Kind != iampolicy.OpRemove {
				continue
			}
			var keep []string
			for _, member := range op.Members {
				by := granted[keyOfGrant(op.Role, op.Condition, member)]
				if len(by) == 0 || (len(by) == 1 && by[r]) {
					keep = append(keep, member)
				}
			}
			if len(keep) != len(op.Members) {
				if !copied {
					m, copied = append(iampolicy.Mutation(nil), r.m...), true
				}
				m[i].Members = keep
			}
		}
		out[r] = m
	}
	return out
}

// conflicts finds the requests of a batch, applied in order to base, whose
// intent does not hold in the result: applying the request's (effective)
// mutation again would change the policy, so a later request in the same
// write undid it (an authoritative set leaving out a member another request
// adds, two different authoritative sets, ...). Both sides of each such pair
// are returned, each with an error naming the other; nil when every intent
// holds.
func conflicts(t Target, base *iampolicy.Policy, reqs []*request, muts map[*request]iampolicy.Mutation) []conflict {
	if len(reqs) < 2 {
		return nil
	}
	all := base.Clone()
	for _, r := range reqs {
		muts[r].Apply(all)
	}
	var out []conflict
	seen := map[*request]bool{}
	add := func(r, other *request, binding iampolicy.Op) {
		if seen[r] {
			return
		}
		seen[r] = true
		out = append(out, conflict{r: r, err: &ConflictError{
			Target: t.String(), Role: binding.Role, Condition: binding.Condition,
			Change: describe(r), Other: describe(other),
		}})
	}
	for i, r := range reqs {
		if holds(muts[r], all) {
			continue
		}
		// Find who undid it: a later request that, applied right after r,
		// breaks r's intent.
		for _, s := range reqs[i+1:] {
			p := base.Clone()
			muts[r].Apply(p)
			muts[s].Apply(p)
			if holds(muts[r], p) {
				continue
			}
			op := sharedBinding(r.m, s.m)
			add(r, s, op)
			add(s, r, op)
		}
		if !seen[r] {
			// Only the combination of several later changes undoes it.
			seen[r] = true
			out = append(out, conflict{r: r, err: &ConflictError{
				Target: t.String(), Role: r.m[0].Role, Condition: r.m[0].Condition,
				Change: describe(r), Other: "the other changes to this policy in the same apply",
			}})
		}
	}
	return out
}

// holds reports whether m's intent is in effect in p: applying m again
// would not change who holds what.
func holds(m iampolicy.Mutation, p *iampolicy.Policy) bool {
	again := p.Clone()
	m.Apply(again)
	return len(iampolicy.Diff(p, again)) == 0
}

// sharedBinding returns an op of a naming a binding (role and condition)
// that b touches too; a's first op when there is none.
func sharedBinding(a, b iampolicy.Mutation) iampolicy.Op {
	for _, x := range a {
		for _, y := range b {
			if x.Role == y.Role && x.Condition.Equal(y.Condition) {
				return x
			}
		}
	}
	return a[0]
}

// describe says what a request's change does, prefixed by its caller label.
func describe(r *request) string {
	var parts []string
	for _, op := range r.m {
		members := strings.Join(op.Members, ", ")
		var s string
		switch op.Kind {
		case iampolicy.OpAdd:
			s = fmt.Sprintf("grants %s to %s", op.Role, members)
		case iampolicy.OpRemove:
			s = fmt.Sprintf("revokes %s from %s", op.Role, members)
		case iampolicy.OpSetAuthoritative:
			s = fmt.Sprintf("makes [%s] the only holders of %s (exclusive)", members, op.Role)
		default:
			s = op.Kind.String() + " " + op.Role
		}
		if op.Condition != nil {
			s += fmt.Sprintf(" under condition %q", op.Condition.Title)
		}
		parts = append(parts, s)
	}
	desc := strings.Join(parts, "; ")
	if label := callerOf(r.ctx); label != "" {
		return label + ": " + desc
	}
	return desc
}
