package review

import (
	"net/url"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// isGoogleAPIHost reports whether host may receive an OAuth access token.
var isGoogleAPIHost = gcpnames.IsGoogleAPIHost

// Roles that let a member call a target, by target kind. Project-level grants
// of any of them apply to every target of the project.
var invokerRoles = map[TargetKind]map[string]bool{
	KindRunService: {"roles/run.invoker": true, "roles/run.servicesInvoker": true, "roles/run.admin": true, "roles/owner": true},
	KindFunction:   {"roles/cloudfunctions.invoker": true, "roles/cloudfunctions.admin": true, "roles/run.invoker": true, "roles/owner": true},
}

// impersonationRoles let a member mint tokens for, or act as, a service
// account. The service agents' own roles (roles/cloudscheduler.serviceAgent,
// …) carry the token-minting permissions too.
var impersonationRoles = func() map[string]bool {
	m := map[string]bool{
		"roles/iam.serviceAccountTokenCreator":       true,
		"roles/iam.serviceAccountUser":               true,
		"roles/iam.serviceAccountOpenIdTokenCreator": true,
		"roles/iam.workloadIdentityUser":             true,
	}
	for _, a := range gcpnames.Agents {
		m[a.Role] = true
	}
	return m
}()

// tokenMintingRole reports whether role lets a service agent mint a job's
// tokens as its service account (actAs alone does not).
func tokenMintingRole(role string) bool {
	return impersonationRoles[role] && role != "roles/iam.serviceAccountUser" && role != "roles/iam.workloadIdentityUser"
}

// agentOfCaller is the service agent that mints a caller's tokens; "" for
// workflows, which call as their own service account.
var agentOfCaller = map[string]string{"scheduler": "cloudscheduler", "tasks": "cloudtasks"}

// isInvokerRole reports whether role lets its members call a target of kind.
func isInvokerRole(kind TargetKind, role string) bool {
	if kind == KindProject {
		return invokerRoles[KindRunService][role] || invokerRoles[KindFunction][role]
	}
	return invokerRoles[kind][role]
}

// projectRoleRelevant reports whether a project-level role changes who can
// invoke or impersonate (other project roles are not reported).
func projectRoleRelevant(role string) bool {
	return isInvokerRole(KindProject, role) || impersonationRoles[role] || role == "roles/editor" ||
		role == Unknown || strings.HasPrefix(role, "projects/") || strings.HasPrefix(role, "organizations/")
}

// isBroad reports whether member stands for many principals: the public and
// whole domains (iampolicy.IsBroad), and, stricter than the provider's guard
// rail because a review only reports, a workload identity pool set.
func isBroad(member string) bool {
	return iampolicy.IsBroad(member) || strings.HasPrefix(member, "principalSet://")
}

// audienceProblem says what is wrong with an OIDC audience ("" when none):
// Cloud Run accepts only the service's root URL; a gen1 function on
// REGION-PROJECT.cloudfunctions.net only its URL, /FUNCTION included.
func audienceProblem(aud string) string {
	u, err := url.Parse(aud)
	if err != nil || u.Host == "" {
		return ""
	}
	allowed := ""
	if gcpnames.IsGen1FunctionHost(u.Host) {
		allowed = "/" + strings.Split(strings.TrimPrefix(u.Path, "/"), "/")[0]
	}
	var what []string
	if p := strings.TrimSuffix(u.Path, "/"); p != "" && p != allowed {
		what = append(what, "path "+u.Path)
	}
	if u.RawQuery != "" || u.ForceQuery {
		what = append(what, "query ?"+u.RawQuery)
	}
	if u.Fragment != "" {
		what = append(what, "fragment #"+u.Fragment)
	}
	return strings.Join(what, " and ")
}

// expectedAudience is the audience a target behind aud accepts.
func expectedAudience(aud string) string {
	u, err := url.Parse(aud)
	if err != nil || u.Host == "" || !gcpnames.IsGen1FunctionHost(u.Host) {
		return rootURL(aud)
	}
	return rootURL(aud) + "/" + strings.Split(strings.TrimPrefix(u.Path, "/"), "/")[0]
}

// rootURL returns scheme://host[:port] of raw, or raw when it does not parse.
func rootURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// parseName reads "projects/P/locations/L/<collection>/N" (or a shorter
// "P/L/N", "L/N", "N") into target fields; ok is false for other shapes.
func parseName(name, collection string) (project, location, short string) {
	parts := strings.Split(name, "/")
	if len(parts) == 6 && parts[0] == "projects" && parts[2] == "locations" && parts[4] == collection {
		return parts[1], parts[3], parts[5]
	}
	switch len(parts) {
	case 3:
		return parts[0], parts[1], parts[2]
	case 2:
		return "", parts[0], parts[1]
	}
	return "", "", name
}

// parseServiceAccount reads "projects/P/serviceAccounts/EMAIL" or an email.
func parseServiceAccount(id string) (project, email string) {
	parts := strings.Split(id, "/")
	if len(parts) == 4 && parts[0] == "projects" && parts[2] == "serviceAccounts" {
		if parts[1] != "-" {
			project = parts[1]
		}
		return project, parts[3]
	}
	return "", id
}

// memberKey normalises an IAM member for comparison.
func memberKey(member string) string {
	return strings.ToLower(strings.TrimSpace(member))
}

// saKey is the comparison key of a service account email.
func saKey(email string) string {
	return "serviceaccount:" + strings.ToLower(strings.TrimSpace(email))
}

// agentEmail is the service agent of a Google product in a project.
func agentEmail(projectNumber, agent string) string {
	return "service-" + projectNumber + "@gcp-sa-" + agent + ".iam.gserviceaccount.com"
}
