package emulator

import (
	"fmt"
	"regexp"
	"strings"
)

// Principals that do not exist. Google refuses a setIamPolicy naming a user,
// group or service account it does not know with 400 INVALID_ARGUMENT
// "User x does not exist." / "Group x does not exist." / "Service account x
// does not exist.". The emulator cannot know who exists outside its
// projects, so a seed ("nonexistentPrincipals") or the emulator's
// --nonexistent-principal flag declares them:
//
//	"user:ghost@example.com"                         never existed
//	"deleted:group:old-team@example.com?uid=1234567" was deleted
//
// A deleted principal is refused in its live form (group:old-team@…), and
// accepted in the form Google shows it with in policies after the deletion
// (deleted:group:old-team@example.com?uid=1234567), so a policy still
// holding it can be read, rewritten and cleaned up.
//
// Service accounts of emulated projects need no declaration: one that is
// not in the emulator's state does not exist.

var nonexistentPrincipalRe = regexp.MustCompile(`^(deleted:)?(user|group|serviceAccount):([^:?\s]+@[^:?\s]+)(\?uid=[0-9]+)?$`)

// parseNonexistentPrincipal checks one declaration and returns the live
// member it makes unknown ("group:old-team@example.com").
func parseNonexistentPrincipal(s string) (string, error) {
	m := nonexistentPrincipalRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] != "") != (m[4] != "") {
		return "", fmt.Errorf("nonexistent principal %q: want user:EMAIL, group:EMAIL or serviceAccount:EMAIL, or deleted:KIND:EMAIL?uid=NUMBER for a deleted one", s)
	}
	return m[2] + ":" + strings.ToLower(m[3]), nil
}

// nonexistentSet builds the set of live members that do not exist.
func nonexistentSet(decls []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, d := range decls {
		m, err := parseNonexistentPrincipal(d)
		if err != nil {
			return nil, err
		}
		out[m] = true
	}
	return out, nil
}

// principalMissing reports whether a (normalised) member was declared
// nonexistent or deleted.
func (e *Emulator) principalMissing(member string) bool { return e.missing[member] }

// errPrincipalMissing is Google's answer to a policy naming a principal it
// does not know.
func errPrincipalMissing(kind, email string) error {
	switch kind {
	case "user":
		return errInvalid("User %s does not exist.", email)
	case "group":
		return errInvalid("Group %s does not exist.", email)
	default:
		return errInvalid("Service account %s does not exist.", email)
	}
}
