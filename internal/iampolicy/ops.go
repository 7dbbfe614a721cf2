package iampolicy

import "slices"

// AddMember grants role to member under cond (nil: unconditional). It
// reports whether the policy changed: false when the member already had
// exactly that binding. Members compare in canonical form (CanonicalMember)
// and are stored in it.
func (p *Policy) AddMember(role, member string, cond *Condition) (changed bool) {
	member = CanonicalMember(member)
	k := keyOf(role, cond)
	first := -1
	for i, b := range p.Bindings {
		if keyOf(b.Role, b.Condition) != k {
			continue
		}
		if first < 0 {
			first = i
		}
		if containsMember(b.Members, member) {
			return false
		}
	}
	if first >= 0 {
		p.Bindings[first].Members = append(p.Bindings[first].Members, member)
	} else {
		p.Bindings = append(p.Bindings, Binding{Role: role, Members: []string{member}, Condition: k.condition()})
	}
	p.fixVersion()
	return true
}

// RemoveMember revokes role from member under cond. It reports whether the
// policy changed. A binding left without members is dropped, as Google does.
func (p *Policy) RemoveMember(role, member string, cond *Condition) (changed bool) {
	member = CanonicalMember(member)
	k := keyOf(role, cond)
	out := p.Bindings[:0]
	for _, b := range p.Bindings {
		if keyOf(b.Role, b.Condition) == k {
			kept := b.Members[:0]
			for _, m := range b.Members {
				if CanonicalMember(m) == member {
					changed = true
					continue
				}
				kept = append(kept, m)
			}
			b.Members = kept
			if len(b.Members) == 0 {
				changed = true
				continue
			}
		}
		out = append(out, b)
	}
	clear(p.Bindings[len(out):])
	p.Bindings = out
	return changed
}

// HasMember reports whether member holds role under exactly cond.
func (p *Policy) HasMember(role, member string, cond *Condition) bool {
	if p == nil {
		return false
	}
	member = CanonicalMember(member)
	k := keyOf(role, cond)
	for _, b := range p.Bindings {
		if keyOf(b.Role, b.Condition) == k && containsMember(b.Members, member) {
			return true
		}
	}
	return false
}

// Members returns the canonical members holding role under exactly cond,
// sorted and deduplicated; nil when there are none.
func (p *Policy) Members(role string, cond *Condition) []string {
	if p == nil {
		return nil
	}
	k := keyOf(role, cond)
	var all []string
	for _, b := range p.Bindings {
		if keyOf(b.Role, b.Condition) == k {
			all = append(all, b.Members...)
		}
	}
	if len(all) == 0 {
		return nil
	}
	return canonicalSet(all)
}

// SetMembers makes members the complete list of holders of role under cond
// (authoritative for that one role and condition; other bindings are left
// alone). It returns the canonical members added and removed, sorted; both
// empty means nothing changed. An empty members list removes the binding.
func (p *Policy) SetMembers(role string, cond *Condition, members []string) (added, removed []string) {
	want := canonicalSet(members)
	have := p.Members(role, cond)
	for _, m := range want {
		if _, found := slices.BinarySearch(have, m); !found {
			added = append(added, m)
		}
	}
	for _, m := range have {
		if _, found := slices.BinarySearch(want, m); !found {
			removed = append(removed, m)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return nil, nil
	}
	k := keyOf(role, cond)
	out := p.Bindings[:0]
	at := -1
	for _, b := range p.Bindings {
		if keyOf(b.Role, b.Condition) == k {
			if at < 0 {
				at = len(out)
				b.Members = want
				out = append(out, b)
			}
			continue
		}
		out = append(out, b)
	}
	clear(p.Bindings[len(out):])
	p.Bindings = out
	switch {
	case at < 0:
		p.Bindings = append(p.Bindings, Binding{Role: role, Members: want, Condition: k.condition()})
	case len(want) == 0:
		p.Bindings = slices.Delete(p.Bindings, at, at+1)
	}
	p.fixVersion()
	return added, removed
}

func containsMember(members []string, canonical string) bool {
	for _, m := range members {
		if CanonicalMember(m) == canonical {
			return true
		}
	}
	return false
}
