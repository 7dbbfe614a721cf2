package gcpnames

import (
	"fmt"
	"strings"
)

// normalizeEmail checks the shape of an email address and returns it
// lower-cased. what names the value in messages ("user email").
func normalizeEmail(what, email string) (string, error) {
	if email == "" {
		return "", fmt.Errorf("%s is empty", what)
	}
	if strings.TrimSpace(email) != email {
		return "", fmt.Errorf("%s %q has leading or trailing spaces; remove them", what, email)
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return "", fmt.Errorf("%s %q has no @; write the full address, e.g. \"name@example.com\"", what, email)
	}
	if local == "" || strings.Contains(domain, "@") {
		return "", fmt.Errorf("%s %q is not a single address of the form name@domain", what, email)
	}
	for _, r := range local {
		if !emailLocalRune(r) {
			return "", fmt.Errorf("%s %q contains %q, which is not allowed in the part before @", what, email, r)
		}
	}
	domain = strings.ToLower(domain)
	if !strings.Contains(domain, ".") || !validHostname(domain) || strings.HasSuffix(domain, ".") {
		return "", fmt.Errorf("%s %q has an invalid domain %q", what, email, domain)
	}
	return strings.ToLower(local) + "@" + domain, nil
}

func emailLocalRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r)
}

// ValidateServiceAccountEmail checks that email is a lower-case service
// account email such as "invoker@my-project.iam.gserviceaccount.com" (any
// domain ending in gserviceaccount.com, so service agents and default
// compute accounts qualify).
func ValidateServiceAccountEmail(email string) error {
	if strings.HasPrefix(email, "projects/") {
		return fmt.Errorf("%q is a resource name; write only the email %q", email, email[strings.LastIndexByte(email, '/')+1:])
	}
	if email != "" && !strings.Contains(email, "@") && AccountIDValid(email) == nil {
		return fmt.Errorf("service account email %q looks like an account ID; write the email, "+
			"e.g. \"%s@PROJECT_ID.iam.gserviceaccount.com\"", email, email)
	}
	norm, err := normalizeEmail("service account email", email)
	if err != nil {
		return err
	}
	if norm != email {
		return fmt.Errorf("service account email %q must be lower-case; write %q", email, norm)
	}
	local, domain, _ := strings.Cut(norm, "@")
	if domain != "gserviceaccount.com" && !strings.HasSuffix(domain, ".gserviceaccount.com") {
		return fmt.Errorf("%q is not a service account email (those end in .gserviceaccount.com, "+
			"e.g. \"invoker@PROJECT_ID.iam.gserviceaccount.com\"); for a person or group use the user: or group: member kind", email)
	}
	for _, r := range local {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("service account email %q: the part before @ may only contain lower-case letters, digits and hyphens", email)
		}
	}
	return nil
}

// AccountIDValid checks a service account ID (the part before @): 6 to 30
// characters matching ^[a-z]([-a-z0-9]*[a-z0-9])$. The error names the rule.
func AccountIDValid(id string) error {
	const rule = "it must be 6-30 characters of lower-case letters, digits and hyphens, " +
		"start with a letter and not end with a hyphen (^[a-z]([-a-z0-9]*[a-z0-9])$)"
	if strings.Contains(id, "@") {
		local, _, _ := strings.Cut(id, "@")
		return fmt.Errorf("account ID %q is an email; use only the part before @ (%q)", id, local)
	}
	if n := len(id); n < 6 || n > 30 {
		return fmt.Errorf("account ID %q has %d characters; %s", id, n, rule)
	}
	if id[0] < 'a' || id[0] > 'z' {
		return fmt.Errorf("account ID %q does not start with a lower-case letter; %s", id, rule)
	}
	if id[len(id)-1] == '-' {
		return fmt.Errorf("account ID %q ends with a hyphen; %s", id, rule)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("account ID %q contains %q; %s", id, r, rule)
		}
	}
	return nil
}

// normalizeServiceAccountEmail lower-cases a service account email and
// validates it with ValidateServiceAccountEmail.
func normalizeServiceAccountEmail(raw string) (string, error) {
	if !strings.Contains(raw, "@") {
		return "", ValidateServiceAccountEmail(raw) // explains what is missing
	}
	email, err := normalizeEmail("service account email", raw)
	if err != nil {
		return "", err
	}
	if err := ValidateServiceAccountEmail(email); err != nil {
		return "", err
	}
	return email, nil
}
