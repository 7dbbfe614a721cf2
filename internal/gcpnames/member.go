package gcpnames

import (
	"fmt"
	"strings"
)

// Member kinds, spelled as IAM spells them.
const (
	KindUser                  = "user"
	KindServiceAccount        = "serviceAccount"
	KindGroup                 = "group"
	KindDomain                = "domain"
	KindAllUsers              = "allUsers"
	KindAllAuthenticatedUsers = "allAuthenticatedUsers"
	KindPrincipal             = "principal"
	KindPrincipalSet          = "principalSet"
)

// MemberKinds lists the kinds Member accepts.
var MemberKinds = []string{
	KindUser, KindServiceAccount, KindGroup, KindDomain,
	KindAllUsers, KindAllAuthenticatedUsers, KindPrincipal, KindPrincipalSet,
}

// Member builds an IAM member string from a kind and an id, validating both:
//
//	Member("serviceAccount", "Invoker@P.iam.gserviceaccount.com") == "serviceAccount:invoker@p.iam.gserviceaccount.com"
//	Member("allUsers", "") == "allUsers"
//	Member("principalSet", "//iam.googleapis.com/...") == "principalSet://iam.googleapis.com/..."
//
// The kind is matched case-insensitively; emails and domains are lower-cased.
func Member(kind, id string) (string, error) {
	k, err := canonicalKind(kind)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(strings.ToLower(id), strings.ToLower(k)+":") {
		return "", fmt.Errorf("id %q already starts with %q; pass only %q", id, k+":", id[len(k)+1:])
	}
	switch k {
	case KindAllUsers, KindAllAuthenticatedUsers:
		if id != "" {
			return "", fmt.Errorf("member kind %s takes no id; pass an empty string instead of %q", k, id)
		}
		return k, nil
	case KindUser, KindGroup:
		email, err := normalizeEmail(k+" email", id)
		if err != nil {
			return "", err
		}
		if isServiceAccountDomain(email) {
			return "", fmt.Errorf("%q is a service account; use member kind serviceAccount, not %s", id, k)
		}
		return k + ":" + email, nil
	case KindServiceAccount:
		email, err := normalizeServiceAccountEmail(id)
		if err != nil {
			return "", err
		}
		return k + ":" + email, nil
	case KindDomain:
		d := strings.ToLower(id)
		if strings.Contains(d, "@") {
			return "", fmt.Errorf("domain %q contains @; for one account use member kind user, for a domain pass only the part after @", id)
		}
		if !strings.Contains(d, ".") || !validHostname(d) || strings.HasSuffix(d, ".") {
			return "", fmt.Errorf("domain %q is not a domain name such as \"example.com\"", id)
		}
		return k + ":" + d, nil
	default: // principal, principalSet
		if !strings.HasPrefix(id, "//") || len(id) < 3 {
			return "", fmt.Errorf("%s id %q must be a resource URI starting with //, "+
				"e.g. \"//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/...\"", k, id)
		}
		if strings.ContainsAny(id, " \t\r\n") {
			return "", fmt.Errorf("%s id %q contains white space; remove it", k, id)
		}
		return k + ":" + id, nil
	}
}

// MemberKind returns the IAM spelling of a member kind matched
// case-insensitively ("serviceaccount" -> "serviceAccount"), or an error
// listing the kinds.
func MemberKind(kind string) (string, error) { return canonicalKind(kind) }

func canonicalKind(kind string) (string, error) {
	for _, k := range MemberKinds {
		if strings.EqualFold(k, kind) {
			return k, nil
		}
	}
	hint := ""
	switch strings.ToLower(strings.ReplaceAll(kind, "_", "")) {
	case "serviceaccount", "sa":
		hint = " (did you mean serviceAccount?)"
	case "allusers", "public":
		hint = " (did you mean allUsers?)"
	}
	return "", fmt.Errorf("unknown member kind %q%s; use one of %s", kind, hint, strings.Join(MemberKinds, ", "))
}

func isServiceAccountDomain(email string) bool {
	_, domain, _ := strings.Cut(email, "@")
	return domain == "gserviceaccount.com" || strings.HasSuffix(domain, ".gserviceaccount.com")
}
