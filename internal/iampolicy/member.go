package iampolicy

import (
	"fmt"
	"strings"
)

// Member types as they appear before the first colon of a member string
// (allUsers and allAuthenticatedUsers are the whole member).
const (
	TypeUser                  = "user"
	TypeServiceAccount        = "serviceAccount"
	TypeGroup                 = "group"
	TypeDomain                = "domain"
	TypeAllUsers              = "allUsers"
	TypeAllAuthenticatedUsers = "allAuthenticatedUsers"
	TypePrincipal             = "principal"
	TypePrincipalSet          = "principalSet"
	TypeDeleted               = "deleted"
	TypeProjectOwner          = "projectOwner"
	TypeProjectEditor         = "projectEditor"
	TypeProjectViewer         = "projectViewer"
)

// knownTypes maps each type, lower-cased, to its exact spelling, so a wrong
// case can be answered with the right one.
var knownTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{TypeUser, TypeServiceAccount, TypeGroup, TypeDomain, TypeAllUsers,
		TypeAllAuthenticatedUsers, TypePrincipal, TypePrincipalSet, TypeDeleted, TypeProjectOwner,
		TypeProjectEditor, TypeProjectViewer} {
		m[strings.ToLower(t)] = t
	}
	return m
}()

const memberForms = `user:EMAIL, serviceAccount:EMAIL, group:EMAIL, domain:DOMAIN, allUsers, allAuthenticatedUsers, principal://..., principalSet://..., or deleted:TYPE:EMAIL?uid=ID`

// Member is a parsed IAM member.
type Member struct {
	// Type is one of the Type* constants.
	Type string
	// ID is the email (user, serviceAccount, group, and deleted members),
	// the domain, the project ID (projectOwner/Editor/Viewer) or the part
	// after "principal://" / "principalSet://"; empty for allUsers and
	// allAuthenticatedUsers.
	ID string
	// DeletedType is the type of a deleted member: user, serviceAccount or
	// group. Empty for other types.
	DeletedType string
	// UID is the numeric unique ID of a deleted member.
	UID string
}

// String returns the member in Google's wire form.
func (m Member) String() string {
	switch m.Type {
	case TypeAllUsers, TypeAllAuthenticatedUsers:
		return m.Type
	case TypePrincipal, TypePrincipalSet:
		return m.Type + "://" + m.ID
	case TypeDeleted:
		return TypeDeleted + ":" + m.DeletedType + ":" + m.ID + "?uid=" + m.UID
	default:
		return m.Type + ":" + m.ID
	}
}

// ParseMember parses and normalises an IAM member the way Google stores it:
// emails and domains are lower-cased; type prefixes are case-sensitive and a
// wrong case is an error naming the right spelling. Errors are sentences a
// user can act on.
func ParseMember(s string) (Member, error) {
	if s == "" {
		return Member{}, fmt.Errorf("member is empty: use one of %s", memberForms)
	}
	if strings.TrimSpace(s) != s {
		return Member{}, fmt.Errorf("member %q has leading or trailing spaces: write %q", s, strings.TrimSpace(s))
	}
	typ, rest, hasColon := strings.Cut(s, ":")
	if !hasColon {
		return parseBare(s)
	}
	if exact, ok := knownTypes[strings.ToLower(typ)]; ok && exact != typ {
		return Member{}, fmt.Errorf("member %q: the type prefix is case-sensitive: write %q", s, exact+":"+rest)
	}
	switch typ {
	case TypeUser, TypeServiceAccount, TypeGroup:
		email, err := parseEmail(s, typ, rest)
		if err != nil {
			return Member{}, err
		}
		return Member{Type: typ, ID: email}, nil
	case TypeDomain:
		return parseDomain(s, rest)
	case TypePrincipal, TypePrincipalSet:
		return parsePrincipal(s, typ, rest)
	case TypeDeleted:
		return parseDeleted(s, rest)
	case TypeProjectOwner, TypeProjectEditor, TypeProjectViewer:
		if rest == "" || !printableASCII(rest) || strings.ContainsAny(rest, ":/@") {
			return Member{}, fmt.Errorf("member %q: %s needs a project ID, as in %q", s, typ, typ+":my-project")
		}
		return Member{Type: typ, ID: strings.ToLower(rest)}, nil
	case TypeAllUsers, TypeAllAuthenticatedUsers:
		return Member{}, fmt.Errorf("member %q: %s takes no value: write %q", s, typ, typ)
	default:
		return Member{}, fmt.Errorf("member %q has unknown type %q: use one of %s", s, typ, memberForms)
	}
}

// parseBare handles a member without a colon.
func parseBare(s string) (Member, error) {
	switch s {
	case TypeAllUsers, TypeAllAuthenticatedUsers:
		return Member{Type: s}, nil
	}
	if exact, ok := knownTypes[strings.ToLower(s)]; ok {
		if exact == TypeAllUsers || exact == TypeAllAuthenticatedUsers {
			return Member{}, fmt.Errorf("member %q: the name is case-sensitive: write %q", s, exact)
		}
		return Member{}, fmt.Errorf("member %q has a type but no value: write %q", s, exact+":VALUE")
	}
	if strings.Contains(s, "@") {
		if isServiceAccountEmail(s) {
			return Member{}, fmt.Errorf("member %q has no type prefix: write %q", s, "serviceAccount:"+strings.ToLower(s))
		}
		return Member{}, fmt.Errorf("member %q has no type prefix: write %q or %q", s, "user:"+s, "serviceAccount:"+s)
	}
	return Member{}, fmt.Errorf("member %q is not a valid IAM member: use one of %s", s, memberForms)
}

// isServiceAccountEmail reports an address in a Google service-account domain.
func isServiceAccountEmail(email string) bool {
	return strings.HasSuffix(strings.ToLower(email), ".gserviceaccount.com")
}

// parseEmail validates the email of a user/serviceAccount/group member and
// returns it lower-cased.
func parseEmail(s, typ, email string) (string, error) {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") ||
		!strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		!printableASCII(email) || strings.ContainsAny(email, ",;:<>()[]\\\"?") {
		return "", fmt.Errorf("member %q: %q is not an email address: write %s:NAME@DOMAIN", s, email, typ)
	}
	return strings.ToLower(email), nil
}

func parseDomain(s, domain string) (Member, error) {
	if strings.Contains(domain, "@") {
		return Member{}, fmt.Errorf("member %q names an email, not a domain: write %q for one account, or %q for the whole domain",
			s, "user:"+domain, "domain:"+domain[strings.LastIndex(domain, "@")+1:])
	}
	if domain == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		!printableASCII(domain) || strings.ContainsAny(domain, "/:?,;") {
		return Member{}, fmt.Errorf("member %q: %q is not a domain name: write domain:example.com", s, domain)
	}
	return Member{Type: TypeDomain, ID: strings.ToLower(domain)}, nil
}

func parsePrincipal(s, typ, rest string) (Member, error) {
	id, ok := strings.CutPrefix(rest, "//")
	if !ok || id == "" || !printableASCII(id) {
		return Member{}, fmt.Errorf("member %q: %s members are URIs such as %q", s, typ,
			typ+"://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/...")
	}
	return Member{Type: typ, ID: id}, nil
}

// parseDeleted parses the rest of "deleted:TYPE:EMAIL?uid=ID".
func parseDeleted(s, rest string) (Member, error) {
	bad := func() (Member, error) {
		return Member{}, fmt.Errorf("member %q: deleted members look like %q (type user, serviceAccount or group)",
			s, "deleted:serviceAccount:NAME@PROJECT.iam.gserviceaccount.com?uid=123456789012345678901")
	}
	typ, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return bad()
	}
	if exact, known := knownTypes[strings.ToLower(typ)]; known && exact != typ {
		return Member{}, fmt.Errorf("member %q: the type prefix is case-sensitive: write %q", s, "deleted:"+exact+":"+rest)
	}
	switch typ {
	case TypeUser, TypeServiceAccount, TypeGroup:
	default:
		return bad()
	}
	email, uid, ok := strings.Cut(rest, "?uid=")
	if !ok || uid == "" || strings.Trim(uid, "0123456789") != "" {
		return bad()
	}
	email, err := parseEmail(s, "deleted:"+typ, email)
	if err != nil {
		return Member{}, err
	}
	return Member{Type: TypeDeleted, DeletedType: typ, ID: email, UID: uid}, nil
}

// NormalizeMember returns the canonical spelling of a valid member, or the
// error ParseMember gives.
func NormalizeMember(s string) (string, error) {
	m, err := ParseMember(s)
	if err != nil {
		return "", err
	}
	return m.String(), nil
}

// CanonicalMember is NormalizeMember without the error: an unparseable member
// (for instance a form Google added after this code) is returned unchanged.
// Policy operations compare members through it, so "user:A@x.com" and
// "user:a@x.com" are the same member.
func CanonicalMember(s string) string {
	if n, err := NormalizeMember(s); err == nil {
		return n
	}
	return s
}

// IsPublic reports members that grant access to anyone on the internet
// (allUsers) or anyone with a Google account (allAuthenticatedUsers).
func IsPublic(member string) bool {
	return member == TypeAllUsers || member == TypeAllAuthenticatedUsers
}

// IsBroad reports members that name no single identity: the public ones and
// whole domains.
func IsBroad(member string) bool {
	return IsPublic(member) || strings.HasPrefix(member, TypeDomain+":")
}

// IsDeleted reports members Google rewrote after the identity was deleted.
func IsDeleted(member string) bool {
	return strings.HasPrefix(member, TypeDeleted+":")
}

// printableASCII reports a non-empty string of visible ASCII characters (no
// spaces or controls): the alphabet of emails, domains and URIs in policies.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return s != ""
}
