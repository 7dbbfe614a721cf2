package iamengine

import (
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// culprit is one request blamed for a refused write, with what it
// introduced that Google named.
type culprit struct {
	r      *request
	member string // as spelled in r's mutation; "" when the role is named
	role   string
}

// blame finds the requests whose change introduced what Google's 400 answer
// names: a member (by its full form, its email or id, or a resource name
// ending in it: "user:a@x.com", "a@x.com", "projects/-/serviceAccounts/a@x.com")
// granted by an Add or authoritative set, else a role such an operation
// grants. Google names one offender per answer, so every request that
// introduced that offender is blamed; nil when the answer names nothing in
// the batch (the fault is elsewhere, e.g. already in the stored policy).
func blame(reqs []*request, err error) []culprit {
	return blameTokens(reqs, messageTokens(gcperr.Messages(err)))
}

// blameAccount returns the requests whose Add or authoritative set grants a
// role to the service account email.
func blameAccount(reqs []*request, email string) []culprit {
	return blameTokens(reqs, map[string]bool{strings.ToLower(email): true})
}

func blameTokens(reqs []*request, tokens map[string]bool) []culprit {
	if len(tokens) == 0 {
		return nil
	}
	var byMember, byRole []culprit
	for _, r := range reqs {
		var mc, rc *culprit
		for _, op := range r.m {
			if op.Kind == iampolicy.OpRemove || len(op.Members) == 0 {
				continue
			}
			for _, member := range op.Members {
				if mc == nil && mentionsMember(tokens, member) {
					mc = &culprit{r: r, member: member, role: op.Role}
				}
			}
			if rc == nil && tokens[op.Role] {
				rc = &culprit{r: r, role: op.Role}
			}
		}
		if mc != nil {
			byMember = append(byMember, *mc)
		}
		if rc != nil {
			byRole = append(byRole, *rc)
		}
	}
	if len(byMember) > 0 {
		return byMember
	}
	return byRole
}

// messageTokens splits messages into words with surrounding quotes,
// brackets and sentence punctuation removed. Member tokens are lower-cased
// too (emails are case-insensitive); roles keep their case.
func messageTokens(msgs []string) map[string]bool {
	out := map[string]bool{}
	for _, m := range msgs {
		for _, w := range strings.FieldsFunc(m, func(r rune) bool {
			return strings.ContainsRune(" \t\n\"'`‘’“”()[]{}<>,;", r)
		}) {
			w = strings.TrimRight(w, ".:!?")
			if w == "" {
				continue
			}
			out[w] = true
			out[strings.ToLower(w)] = true
		}
	}
	return out
}

// mentionsMember reports whether tokens name member: in full, by the part
// after its type prefix, or as the last segment of a resource name.
func mentionsMember(tokens map[string]bool, member string) bool {
	full := strings.ToLower(iampolicy.CanonicalMember(member))
	if tokens[full] {
		return true
	}
	_, id, ok := strings.Cut(full, ":")
	if !ok || id == "" {
		return false
	}
	if tokens[id] {
		return true
	}
	for t := range tokens {
		if strings.HasSuffix(t, "/"+id) {
			return true
		}
	}
	return false
}
