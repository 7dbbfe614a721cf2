package review

import (
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Finding codes (stable; part of the JSON schema).
const (
	CodePublicInvoker        = "public-invoker"
	CodeBroadImpersonation   = "broad-impersonation"
	CodeOAuthNonGoogle       = "oauth-non-google-host"
	CodeAuthoritativeRemoval = "authoritative-removal"
	CodeAudiencePath         = "audience-path"
	CodeNoInvoker            = "no-invoker-binding"
	CodeBrokenChain          = "broken-chain"
)

// grantFindings checks one grant: the public as invoker, or a broad
// principal allowed to mint tokens for / act as service accounts.
func grantFindings(b Binding) []Finding {
	var out []Finding
	public := iampolicy.IsPublic(b.Member)
	switch {
	case public && (b.Target.Kind == KindRunService || b.Target.Kind == KindFunction):
		out = append(out, Finding{
			Severity: High, Code: CodePublicInvoker, Address: b.Address,
			Message: fmt.Sprintf("%s gets %s on %s: anyone on the internet can call it", b.Member, b.Role, b.Target),
			Fix:     "Grant the invoker role to the calling service account (serviceAccount:…) instead of " + b.Member + ".",
		})
	case public && b.Target.Kind == KindProject && isInvokerRole(KindProject, b.Role):
		out = append(out, Finding{
			Severity: High, Code: CodePublicInvoker, Address: b.Address,
			Message: fmt.Sprintf("%s gets %s on %s: anyone can call every service in the project", b.Member, b.Role, b.Target),
			Fix:     "Remove the project-level grant and give the invoker role on the one service to the calling service account.",
		})
	}
	if impersonationRoles[b.Role] && isBroad(b.Member) && (b.Target.Kind == KindServiceAccount || b.Target.Kind == KindProject) {
		out = append(out, Finding{
			Severity: High, Code: CodeBroadImpersonation, Address: b.Address,
			Message: fmt.Sprintf("%s gets %s on %s: every principal it covers can mint tokens as or act as the service account(s)", b.Member, b.Role, b.Target),
			Fix:     "Grant " + b.Role + " only to the one principal that needs it (for a scheduler/tasks service agent: gcpinvoke_service_agent_impersonation).",
		})
	}
	return out
}

// authoritativeRemoval reports an authoritative resource (binding, policy,
// exclusive members) whose change removes members.
func authoritativeRemoval(address, action string, revokes []Binding) (Finding, bool) {
	var removed []string
	var roles []string
	var target Target
	for _, b := range revokes {
		if !b.Authoritative {
			continue
		}
		removed = append(removed, b.Member)
		if len(roles) == 0 || roles[len(roles)-1] != b.Role {
			roles = append(roles, b.Role)
		}
		target = b.Target
	}
	if len(removed) == 0 {
		return Finding{}, false
	}
	verb := "update"
	if action == "delete" {
		verb = "deletion"
	}
	return Finding{
		Severity: Medium, Code: CodeAuthoritativeRemoval, Address: address,
		Message: fmt.Sprintf("authoritative %s removes %s from %s on %s", verb, strings.Join(removed, ", "),
			strings.Join(roles, ", "), target),
		Fix: "Use a non-authoritative *_iam_member resource per member, or list the removed members if they must keep access.",
	}, true
}

// jobFindings checks one caller: OAuth tokens to non-Google hosts and OIDC
// audiences with a path or query (for jobs this plan creates or changes), and
// a service account without an invoker binding on the target (any job, but
// not a workflow call whose URL is computed at run time).
//
// broken is true when a broken-chain finding already explains the job's
// missing invoker binding.
func jobFindings(j Job, broken bool) []Finding {
	var out []Finding
	changed := j.Action == "create" || j.Action == "update" || j.Action == "replace"
	host := jobHost(j)
	step := ""
	if j.Step != "" {
		step = "step " + j.Step + ": "
	}
	if changed && j.Token == "oauth" && host != "" && !isGoogleAPIHost(host) {
		// The hint uses the syntax of the resource: nested attributes for
		// ours, blocks for the Google provider's.
		fix := fmt.Sprintf("Replace oauth_token with oidc_token = { audience = %q }.", rootURL(j.URL))
		if isGoogleProviderAddress(j.Address) {
			fix = fmt.Sprintf("Replace the oauth_token block with oidc_token { audience = %q }.", rootURL(j.URL))
		}
		if j.Caller == "workflows" {
			fix = fmt.Sprintf("In step %s use auth: {type: OIDC, audience: %q}.", j.Step, rootURL(j.URL))
		}
		out = append(out, Finding{
			Severity: High, Code: CodeOAuthNonGoogle, Address: j.Address,
			Message: fmt.Sprintf("%ssends an OAuth access token of %s to %s, which is not a Google API host: the receiver can use the token against Google APIs", step, j.ServiceAccount, host),
			Fix:     fix,
		})
	}
	if changed && j.Token == "oidc" && j.Audience != Unknown {
		if what := audienceProblem(j.Audience); what != "" {
			want := expectedAudience(j.Audience)
			msg := fmt.Sprintf("%sOIDC audience %s has a %s; the target accepts only %s, so calls fail with 401", step, j.Audience, what, want)
			if j.AudienceDefaulted {
				msg = fmt.Sprintf("%sno OIDC audience is set, so Google uses the target URI %s, which has a %s; the target accepts only %s, so calls fail with 401", step, j.Audience, what, want)
			}
			fix := fmt.Sprintf("Set the audience: http_target = { oidc_token = { audience = %q } }.", want)
			if isGoogleProviderAddress(j.Address) {
				fix = fmt.Sprintf("Set the audience: http_target { oidc_token { audience = %q } }.", want)
			}
			if j.Caller == "workflows" {
				fix = fmt.Sprintf("In step %s set auth.audience: %q.", j.Step, want)
			}
			out = append(out, Finding{
				Severity: Medium, Code: CodeAudiencePath, Address: j.Address, Message: msg, Fix: fix,
			})
		}
	}
	if !broken && j.Token == "oidc" && j.InvokerVia == "" && !(host != "" && isGoogleAPIHost(host)) && !j.runtimeURL {
		sa, member := j.ServiceAccount, "serviceAccount:"+j.ServiceAccount
		if sa == Unknown && j.ServiceAccountRef != "" {
			sa, member = j.ServiceAccountRef, "serviceAccount:${"+j.ServiceAccountRef+"}"
		}
		target, resource := j.URL, "gcpinvoke_run_service_iam_member"
		if target == Unknown && j.URLRef != "" {
			target = j.URLRef
		}
		if len(j.Targets) > 0 {
			target = j.Targets[0].String()
			if j.Targets[0].Kind == KindFunction {
				resource = "gcpinvoke_cloudfunctions_function_iam_member"
			}
		}
		out = append(out, Finding{
			Severity: Info, Code: CodeNoInvoker, Address: j.Address,
			Message: fmt.Sprintf(step+"no invoker binding for %s on %s anywhere in the plan or state (it may be granted outside this configuration)", sa, target),
			Fix:     fmt.Sprintf("Add a %s with member = %q on the target.", resource, member),
		})
	}
	return out
}

// isGoogleProviderAddress reports a resource of the Google provider
// (google_*), whose nested settings are blocks, unlike ours.
func isGoogleProviderAddress(addr string) bool {
	return strings.HasPrefix(addr, "google_") || strings.Contains(addr, ".google_")
}
