package rolevalidator

import (
	"fmt"
	"slices"
	"strings"
)

// Predefined is the catalogue of Google's predefined roles for the services
// this provider works with, by service prefix ("" holds the basic roles).
// Names are from Google's role reference
// (https://cloud.google.com/iam/docs/roles-permissions/<service>: run,
// cloudfunctions, iam, cloudscheduler, cloudtasks, workflows) and the basic
// roles (https://cloud.google.com/iam/docs/roles-overview#basic).
//
// A role "roles/<prefix>.<name>" whose prefix is catalogued here must be one
// of the listed names: anything else is a typo or a role Google does not
// have, and Google would reject it at apply time. A prefix that is not
// catalogued (roles/pubsub.publisher, ...) is not judged, so valid use of
// other services is never blocked; a role Google adds to a catalogued
// service later needs an entry here (or a custom role meanwhile).
var Predefined = map[string][]string{
	"": {"browser", "editor", "owner", "viewer"},
	"run": {
		"admin", "builder", "developer", "invoker", "jobsExecutor", "jobsExecutorWithOverrides",
		"serviceAgent", "servicesInvoker", "sourceDeveloper", "sourceViewer", "viewer",
	},
	"cloudfunctions": {"admin", "developer", "invoker", "serviceAgent", "viewer"},
	"iam": {
		"denyAdmin", "denyReviewer", "oauthClientAdmin", "oauthClientViewer", "organizationRoleAdmin",
		"organizationRoleViewer", "roleAdmin", "roleViewer", "securityAdmin", "securityReviewer",
		"serviceAccountAdmin", "serviceAccountCreator", "serviceAccountDeleter", "serviceAccountKeyAdmin",
		"serviceAccountOpenIdTokenCreator", "serviceAccountTokenCreator", "serviceAccountUser",
		"serviceAccountViewer", "workforcePoolAdmin", "workforcePoolEditor", "workforcePoolViewer",
		"workloadIdentityPoolAdmin", "workloadIdentityPoolViewer", "workloadIdentityUser",
	},
	"cloudscheduler": {"admin", "jobRunner", "serviceAgent", "viewer"},
	"cloudtasks":     {"admin", "enqueuer", "queueAdmin", "serviceAgent", "taskDeleter", "taskRunner", "viewer"},
	"workflows":      {"admin", "editor", "invoker", "serviceAgent", "viewer"},
}

// Roles that apply to each kind of IAM target of this provider, from the
// "lowest-level resources where you can grant this role" of Google's role
// reference. They are what a suggestion prefers.
var (
	// RunServiceRoles can be granted on a Cloud Run service.
	RunServiceRoles = []string{
		"roles/run.invoker", "roles/run.servicesInvoker", "roles/run.viewer", "roles/run.developer", "roles/run.admin",
	}
	// FunctionRoles can be granted on a 1st gen Cloud Function (a 2nd gen
	// function's binding is on its Cloud Run service: RunServiceRoles).
	FunctionRoles = []string{
		"roles/cloudfunctions.invoker", "roles/cloudfunctions.viewer", "roles/cloudfunctions.developer", "roles/cloudfunctions.admin",
	}
	// ServiceAccountRoles can be granted on a service account.
	ServiceAccountRoles = []string{
		"roles/iam.serviceAccountTokenCreator", "roles/iam.serviceAccountUser", "roles/iam.serviceAccountOpenIdTokenCreator",
		"roles/iam.workloadIdentityUser", "roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountViewer",
		"roles/iam.serviceAccountKeyAdmin",
	}
)

// CheckPredefined reports a predefined role that does not exist, with the
// closest catalogued role: for a catalogued prefix any unknown name, for
// another prefix only a near miss of a catalogued role
// ("roles/cloudfunction.invoker"). Custom roles and other valid forms pass.
func CheckPredefined(role string) error {
	name, ok := strings.CutPrefix(role, "roles/")
	if !ok || name == "" {
		return nil
	}
	prefix, _, _ := strings.Cut(name, ".")
	if !strings.Contains(name, ".") {
		prefix = ""
	}
	known, catalogued := Predefined[prefix]
	if catalogued {
		for _, k := range known {
			if roleName(prefix, k) == name {
				return nil
			}
		}
	}
	best, dist := closest(role)
	switch {
	case catalogued && best != "":
		return fmt.Errorf("%q is not a predefined role: did you mean %q? (custom roles are written projects/PROJECT/roles/NAME "+
			"or organizations/ORG/roles/NAME)", role, best)
	case catalogued:
		return fmt.Errorf("%q is not a predefined role of %s", role, prefixName(prefix))
	case best != "" && dist <= 2:
		return fmt.Errorf("%q is not a predefined role: did you mean %q?", role, best)
	}
	return nil
}

func roleName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func prefixName(prefix string) string {
	if prefix == "" {
		return "the basic roles (roles/owner, roles/editor, roles/viewer, roles/browser)"
	}
	return "roles/" + prefix + ".*"
}

// closest returns the catalogued role nearest to role (edit distance,
// case-insensitive); ties go to the alphabetically first.
func closest(role string) (string, int) {
	var all []string
	for prefix, names := range Predefined {
		for _, n := range names {
			all = append(all, "roles/"+roleName(prefix, n))
		}
	}
	slices.Sort(all)
	best, bestDist := "", -1
	for _, c := range all {
		d := editDistance(strings.ToLower(role), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	// A suggestion further away than a quarter of the name helps nobody.
	if bestDist > max(2, len(strings.TrimPrefix(role, "roles/"))/4) {
		return "", bestDist
	}
	return best, bestDist
}

// editDistance is the Levenshtein distance of a and b (bytes: role names
// are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
