package iampolicy

import "slices"

// Removal is what one apply of a set-of-members resource may take away from
// a binding (role + condition).
type Removal struct {
	// Members are the members to remove, canonical and sorted.
	Members []string
	// AllOthers means every holder of the binding not in the wanted set
	// is removed: the resource is authoritative for the binding.
	AllOthers bool
}

// MayRemove is the one rule deciding which members a set-of-members
// resource may remove from its binding:
//
//   - exclusive: every holder not in want (the resource owns the binding);
//   - otherwise: the members it managed before (managed: the members its
//     configuration listed at the last apply, that still held the role at
//     the last refresh) that want no longer lists. Someone else's member is
//     never in managed, so it is never removed, whatever the current policy
//     holds.
//
// A destroy is MayRemove(managed, nil, false): the managed members only.
func MayRemove(managed, want []string, exclusive bool) Removal {
	if exclusive {
		return Removal{AllOthers: true}
	}
	return Removal{Members: Subtract(managed, want)}
}

// Subtract returns the members of a not in b, canonical, sorted, without
// duplicates (members compare as Google does: case-insensitive emails).
func Subtract(a, b []string) []string {
	return filterMembers(a, b, false)
}

// Intersect returns the members of a also in b, canonical, sorted, without
// duplicates.
func Intersect(a, b []string) []string {
	return filterMembers(a, b, true)
}

func filterMembers(a, b []string, keep bool) []string {
	in := make(map[string]bool, len(b))
	for _, s := range b {
		in[CanonicalMember(s)] = true
	}
	out := []string{}
	for _, s := range a {
		c := CanonicalMember(s)
		if in[c] == keep {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Canonical returns members canonical, sorted, without duplicates.
func Canonical(members []string) []string { return canonicalSet(members) }
