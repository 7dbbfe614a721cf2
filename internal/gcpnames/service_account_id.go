package gcpnames

import (
	"fmt"
	"strings"
)

// ParseServiceAccountID parses a service account given as an email or as
// projects/{p}/serviceAccounts/{email}. It returns the lower-cased email and
// the project: the one in the resource name unless it is "-", else the one
// in an @{p}.iam.gserviceaccount.com email, else defaultProject, else "-"
// (the wildcard the IAM API accepts).
func ParseServiceAccountID(id, defaultProject string) (project, email string, err error) {
	raw := id
	var pathProject string
	if strings.HasPrefix(id, "projects/") {
		parts := strings.Split(id, "/")
		if len(parts) != 4 || parts[2] != "serviceAccounts" || parts[1] == "" {
			return "", "", fmt.Errorf("service account %q does not match projects/{project}/serviceAccounts/{email}", id)
		}
		pathProject, raw = parts[1], parts[3]
	} else if strings.Contains(id, "/") {
		return "", "", fmt.Errorf("service account %q is neither an email nor projects/{project}/serviceAccounts/{email}", id)
	}
	email, err = normalizeServiceAccountEmail(raw)
	if err != nil {
		return "", "", err
	}
	emailProject := ProjectFromServiceAccountEmail(email)
	switch {
	case pathProject != "" && pathProject != "-":
		if emailProject != "" && emailProject != pathProject {
			return "", "", fmt.Errorf("service account %q: the email belongs to project %q, not %q; "+
				"use projects/%s/serviceAccounts/%s or just the email", id, emailProject, pathProject, emailProject, email)
		}
		project = pathProject
	case emailProject != "":
		project = emailProject
	case defaultProject != "":
		project = defaultProject
	default:
		project = "-"
	}
	return project, email, nil
}

// ProjectFromServiceAccountEmail returns P for a user-managed service account
// NAME@P.iam.gserviceaccount.com, and "" for other emails (service agents
// in gcp-sa-* domains, default compute and App Engine accounts).
func ProjectFromServiceAccountEmail(email string) string {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok {
		return ""
	}
	p, ok := strings.CutSuffix(domain, ".iam.gserviceaccount.com")
	if !ok || p == "" || strings.Contains(p, ".") || strings.HasPrefix(p, "gcp-sa-") {
		return ""
	}
	return p
}

// ServiceAccountName returns projects/{project}/serviceAccounts/{email}.
func ServiceAccountName(project, email string) string {
	if project == "" {
		project = "-"
	}
	return "projects/" + project + "/serviceAccounts/" + email
}
