package gcpnames

import (
	"fmt"
	"net/url"
	"strings"
)

// Naming rules of the resources a configuration names. Sources (Google's, not
// ours):
//
//   - Project ID: Resource Manager's Project.projectId ("6 to 30 lowercase
//     letters, digits, or hyphens. It must start with a letter. Trailing
//     hyphens are prohibited.", cloudresourcemanager v3 discovery document).
//     Old domain-scoped projects are written DOMAIN:ID ("example.com:my-app").
//   - Cloud Run service ID: run v2 services.create serviceId ("must begin with
//     letter, and cannot end with hyphen; must contain fewer than 50
//     characters"; the parent's "Only lowercase characters, digits, and
//     hyphens"), i.e. ^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$.
//   - Cloud Functions: a 2nd gen function is a Cloud Run service, named by
//     functions.create functionId ("4-63 characters, valid characters
//     /a-z-/", cloudfunctions v2 discovery document) and Google's deploy
//     docs (lower-case letters, digits and hyphens, starts with a letter, no
//     trailing hyphen); a 1st gen function name may also hold upper-case
//     letters and underscores ("must start with a letter, contain only
//     letters, numbers, underscores and hyphens, and end with a letter or a
//     number", at most 63 characters). The generation is not known at plan
//     time, so FunctionNameValid accepts the 1st gen superset.
//   - Location: a region such as "us-central1" (lower-case letters, digits
//     and hyphens).
const (
	projectIDRule = "a project ID is 6-30 lower-case letters, digits and hyphens, starts with a letter and does not " +
		"end with a hyphen (^[a-z][-a-z0-9]{4,28}[a-z0-9]$)"
	runServiceRule = "a Cloud Run service name is 1-49 lower-case letters, digits and hyphens, starts with a letter " +
		"and does not end with a hyphen (^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$)"
	functionRule = "a function name is 1-63 letters, digits, hyphens and underscores, starts with a letter and ends " +
		"with a letter or digit (2nd gen: lower-case letters, digits and hyphens only)"
	locationRule = "a location is a region such as \"us-central1\": lower-case letters, digits and hyphens"
)

// ProjectIDValid checks a project ID (see the rules above). A project number,
// a resource name (projects/ID) or a name with upper-case letters gets the
// fix in the error.
func ProjectIDValid(id string) error {
	if err := noSpaces("project ID", id); err != nil {
		return err
	}
	if rest, ok := strings.CutPrefix(id, "projects/"); ok && rest != "" && !strings.Contains(rest, "/") {
		return fmt.Errorf("project ID %q is a resource name; write only the ID %q", id, rest)
	}
	if strings.Contains(id, "/") {
		return fmt.Errorf("project ID %q contains \"/\"; %s", id, projectIDRule)
	}
	if ValidateProjectNumber(id) == nil {
		return fmt.Errorf("%q is a project number; write the project ID (e.g. \"my-project\"), "+
			"shown by `gcloud projects describe %s --format='value(projectId)'`", id, id)
	}
	if domain, local, ok := strings.Cut(id, ":"); ok {
		if !validHostname(domain) || !strings.Contains(domain, ".") {
			return fmt.Errorf("project ID %q: %q before \":\" is not a domain; %s", id, domain, projectIDRule)
		}
		id = local // domain-scoped project: DOMAIN:ID
	}
	if lower := strings.ToLower(id); lower != id && checkDNSLabel(lower, 6, 30, false) == "" {
		return fmt.Errorf("project ID %q must be lower-case; write %q", id, lower)
	}
	if why := checkDNSLabel(id, 6, 30, false); why != "" {
		return fmt.Errorf("project ID %q %s; %s", id, why, projectIDRule)
	}
	return nil
}

// RunServiceIDValid checks a Cloud Run service given in any import-ID form:
// projects/{p}/locations/{l}/services/{s}, {p}/{l}/{s}, {l}/{s} or {s}.
func RunServiceIDValid(id string) error {
	return checkIDForms(id, "services", func(n string) error { return RunServiceNameValid(n, true) })
}

// FunctionIDValid checks a function given in any import-ID form (see
// RunServiceIDValid).
func FunctionIDValid(id string) error {
	return checkIDForms(id, "functions", func(n string) error { return FunctionNameValid(n, true) })
}

func checkIDForms(id, collection string, checkName func(string) error) error {
	parts := strings.Split(id, "/")
	if strings.Contains(id, "://") || parts[0] == "projects" || len(parts) > 3 {
		if err := checkName(id); err != nil {
			return fmt.Errorf("%w (short forms {project}/{location}/{name} and {location}/{name} are accepted too)", err)
		}
		return nil
	}
	if len(parts) == 3 {
		if err := ProjectIDValid(parts[0]); err != nil {
			return fmt.Errorf("%q: %w", id, err)
		}
	}
	if len(parts) >= 2 {
		if err := LocationValid(parts[len(parts)-2]); err != nil {
			return fmt.Errorf("%q: %w", id, err)
		}
	}
	return checkName(parts[len(parts)-1])
}

// RunServiceNameValid checks a Cloud Run service name. With allowResourceName,
// the full resource name projects/{project}/locations/{location}/services/{name}
// is accepted too (each part checked). A URL or any other "/" is an error
// that suggests the name.
func RunServiceNameValid(name string, allowResourceName bool) error {
	return checkNamed(name, "services", "Cloud Run service name", allowResourceName, func(n string) error {
		if lower := strings.ToLower(n); lower != n && checkDNSLabel(lower, 1, 49, false) == "" {
			return fmt.Errorf("Cloud Run service name %q must be lower-case; write %q", n, lower)
		}
		if why := checkDNSLabel(n, 1, 49, false); why != "" {
			return fmt.Errorf("Cloud Run service name %q %s; %s", n, why, runServiceRule)
		}
		return nil
	})
}

// FunctionNameValid checks a Cloud Functions function name (1st or 2nd gen).
// With allowResourceName, projects/{project}/locations/{location}/functions/{name}
// is accepted too.
func FunctionNameValid(name string, allowResourceName bool) error {
	return checkNamed(name, "functions", "function name", allowResourceName, func(n string) error {
		if why := checkDNSLabel(n, 1, 63, true); why != "" {
			return fmt.Errorf("function name %q %s; %s", n, why, functionRule)
		}
		return nil
	})
}

// LocationValid checks a location (region) name. A zone gets its region as
// the fix.
func LocationValid(loc string) error {
	if err := noSpaces("location", loc); err != nil {
		return err
	}
	if strings.Contains(loc, "/") {
		if _, rest, ok := strings.Cut(loc, "locations/"); ok && rest != "" && !strings.Contains(rest, "/") {
			return fmt.Errorf("location %q is a resource name; write only the region %q", loc, rest)
		}
		return fmt.Errorf("location %q contains \"/\"; %s", loc, locationRule)
	}
	if lower := strings.ToLower(loc); lower != loc {
		return fmt.Errorf("location %q must be lower-case; write %q", loc, lower)
	}
	if why := checkDNSLabel(loc, 2, 63, false); why != "" {
		return fmt.Errorf("location %q %s; %s", loc, why, locationRule)
	}
	// A zone is REGION-LETTER (us-central1-a); the APIs want the region.
	if i := strings.LastIndexByte(loc, '-'); i > 0 && len(loc)-i == 2 {
		region := loc[:i]
		if c := region[len(region)-1]; c >= '0' && c <= '9' {
			return fmt.Errorf("location %q is a zone; use its region %q", loc, region)
		}
	}
	return nil
}

// checkNamed handles what service and function names share: empty values,
// spaces, URLs, resource names and stray "/" (a name like "svc1/../svc2"
// would otherwise be sent as part of the request path).
func checkNamed(name, collection, what string, allowResourceName bool, checkName func(string) error) error {
	if err := noSpaces(what, name); err != nil {
		return err
	}
	if strings.Contains(name, "://") {
		if n := NameFromURL(name); n != "" {
			return fmt.Errorf("%s %q is a URL; write the name %q", what, name, n)
		}
		return fmt.Errorf("%s %q is a URL; write the name (see `gcloud run services list` or `gcloud functions list`)", what, name)
	}
	if !strings.Contains(name, "/") {
		return checkName(name)
	}
	parts := strings.Split(name, "/")
	if len(parts) == 6 && parts[0] == "projects" && parts[2] == "locations" && parts[4] == collection {
		if !allowResourceName {
			return fmt.Errorf("%s %q is a resource name; write only the name %q (and set project = %q, location = %q)",
				what, name, parts[5], parts[1], parts[3])
		}
		if err := ProjectIDValid(parts[1]); err != nil {
			return fmt.Errorf("%s %q: %w", what, name, err)
		}
		if err := LocationValid(parts[3]); err != nil {
			return fmt.Errorf("%s %q: %w", what, name, err)
		}
		return checkName(parts[5])
	}
	if allowResourceName {
		return fmt.Errorf("%s %q contains \"/\": write the name alone or projects/{project}/locations/{location}/%s/{name}",
			what, name, collection)
	}
	return fmt.Errorf("%s %q contains \"/\": write the name alone", what, name)
}

// NameFromURL returns the service or function name a Cloud Run or Cloud
// Functions URL is most likely for, or "" if it cannot tell:
//
//	https://hello-abc123def4-uc.a.run.app      → hello (NAME-HASH-REGIONCODE.a.run.app)
//	https://hello-123456789012.us-central1.run.app → hello (NAME-PROJECTNUMBER.REGION.run.app)
//	https://us-central1-my-project.cloudfunctions.net/fn → fn
//
// The emulator's .run.localhost and .cloudfunctions.localhost hosts are read
// the same way.
func NameFromURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := bareHost(u.Host)
	switch {
	case IsGen1FunctionHost(host):
		fn, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		return fn
	case IsCloudRunHost(host):
		labels := strings.Split(host, ".")
		first := strings.Split(labels[0], "-")
		if len(labels) > 1 && labels[1] == "a" && len(first) >= 3 {
			return strings.Join(first[:len(first)-2], "-") // NAME-HASH-REGIONCODE.a.run.app
		}
		if len(first) >= 2 && ValidateProjectNumber(first[len(first)-1]) == nil {
			return strings.Join(first[:len(first)-1], "-") // NAME-PROJECTNUMBER.REGION.run.app
		}
	}
	return ""
}

// checkDNSLabel returns why s is not min-max characters of lower-case letters,
// digits and hyphens (with withUpperUnderscore also upper-case letters and
// underscores) that start with a letter and end with a letter or digit; ""
// if it is.
func checkDNSLabel(s string, minLen, maxLen int, withUpperUnderscore bool) string {
	if n := len(s); n < minLen || n > maxLen {
		return fmt.Sprintf("has %d characters, want %d-%d", n, minLen, maxLen)
	}
	letter := func(r byte) bool { return r >= 'a' && r <= 'z' || withUpperUnderscore && r >= 'A' && r <= 'Z' }
	if !letter(s[0]) {
		return "does not start with a letter"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(letter(c) || c >= '0' && c <= '9' || c == '-' || withUpperUnderscore && c == '_') {
			return fmt.Sprintf("contains %q", rune(c))
		}
	}
	if c := s[len(s)-1]; c == '-' || c == '_' {
		return fmt.Sprintf("ends with %q", rune(c))
	}
	return ""
}

// noSpaces rejects empty values and white space anywhere.
func noSpaces(what, s string) error {
	if s == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return fmt.Errorf("%s %q contains white space; remove it", what, s)
	}
	return nil
}
