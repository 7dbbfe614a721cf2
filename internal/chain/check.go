package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// Checker reads live policies through a client and an IAM engine.
type Checker struct {
	// Client builds the Google API services.
	Client *gcpclient.Client
	// Engine reads IAM policies (shared and cached with other readers).
	Engine *iamengine.Engine
}

// Check analyses the chain described by in. It returns an error for invalid
// input or when a read fails for another reason than the chain being
// broken (for example no permission to read a policy).
func (c *Checker) Check(ctx context.Context, in Input) (*Result, error) {
	cl, err := parseCaller(in.Caller)
	if err != nil {
		return nil, err
	}
	tt, err := tokenType(in.TokenType)
	if err != nil {
		return nil, err
	}
	saProject, email, err := gcpnames.ParseServiceAccountID(strings.TrimSpace(in.ServiceAccount), "")
	if err != nil {
		return nil, fmt.Errorf("service_account: %w", err)
	}
	if in.TargetURL == "" && in.RunService == "" && in.Function == "" {
		return nil, errors.New("no target: set the target URL, a Cloud Run service or a function")
	}
	project := firstNonEmpty(in.Project, c.Client.Project(), strings.TrimPrefix(saProject, "-"))
	location := firstNonEmpty(in.Location, c.Client.Region())
	res := &Result{ServiceAccount: email}

	if err := c.checkImpersonation(ctx, res, cl, tt, project, saProject, email); err != nil {
		return nil, err
	}
	t, err := c.resolve(ctx, res, in, project, location)
	if err != nil {
		return nil, err
	}
	res.Target = t
	targetURL := in.TargetURL
	if targetURL == "" && t != nil {
		targetURL = t.URL
	}
	if tt == TokenOIDC {
		res.Audience = firstNonEmpty(in.Audience, targetURL)
	}
	c.checkTokenKind(res, t, tt, targetURL)

	open := false // anyone may call: the invoker binding and audience do not matter
	if t != nil && t.Kind != KindGoogleAPI {
		if open, err = c.checkInvoker(ctx, res, t, email); err != nil {
			return nil, err
		}
		if tt == TokenOIDC {
			checkAudience(res, t, in.Audience != "", targetURL, open)
		}
	}
	if in.Probe {
		c.probe(ctx, res, tt, targetURL, t)
	}
	res.finish()
	return res, nil
}

// checkImpersonation checks the account exists and the caller may mint
// its tokens.
func (c *Checker) checkImpersonation(ctx context.Context, res *Result, cl caller, tt, project, saProject, email string) error {
	iamSvc, err := c.Client.IAM(ctx)
	if err != nil {
		return err
	}
	saName := gcpnames.ServiceAccountName(saProject, email)
	sa, err := iamSvc.Projects.ServiceAccounts.Get(saName).Context(ctx).Do()
	switch {
	case gcperr.IsNotFound(err) || (saProject == "-" && gcperr.IsPermissionDenied(err)):
		res.add(Finding{Code: CodeServiceAccountMissing, Severity: SeverityError, Link: LinkServiceAccount,
			Problem: fmt.Sprintf("Service account %s does not exist, so no token can be minted for it.", email),
			Fix:     fmt.Sprintf("Create it (resource \"gcpinvoke_service_account\" with account_id = %q) or fix the email.", strings.SplitN(email, "@", 2)[0])})
		return nil
	case err != nil:
		return fmt.Errorf("reading service account %s: %w", email, err)
	case sa.Disabled:
		res.add(Finding{Code: CodeServiceAccountMissing, Severity: SeverityError, Link: LinkServiceAccount,
			Problem: fmt.Sprintf("Service account %s is disabled, so no token can be minted for it.", email),
			Fix:     "Enable it: gcloud iam service-accounts enable " + email})
		return nil
	}
	saName = gcpnames.ServiceAccountName(sa.ProjectId, email)

	var who, member string
	if cl.agent != nil && cl.agent.Name == "workflows" {
		// Workflows mints no token through its service agent: an execution
		// runs as the workflow's own service account. What stands in for
		// impersonation is iam.serviceAccounts.actAs, checked when the
		// workflow is deployed, on whoever deploys it.
		res.CallerMember = "serviceAccount:" + email
		res.add(Finding{Code: CodeRunsAsAccount, Severity: SeverityInfo, Link: LinkImpersonation,
			Problem: fmt.Sprintf("Workflows runs as %s itself, so its service agent needs no grant on the account; Google checks instead, when the workflow is deployed, that the deployer may act as the account (iam.serviceAccounts.actAs).", email),
			Fix:     fmt.Sprintf("Nothing to fix here. Give whoever deploys the workflow roles/iam.serviceAccountUser on %s (resource \"gcpinvoke_service_account_iam_member\").", email)})
		return nil
	}
	if cl.agent != nil {
		if project == "" {
			return fmt.Errorf("caller %q: set the project whose %s service agent calls", cl.agent.Name, cl.agent.Product)
		}
		number, err := c.projectNumber(ctx, project)
		if err != nil {
			return err
		}
		agentEmail, err := gcpnames.ServiceAgentEmail(number, cl.agent.Name)
		if err != nil {
			return err
		}
		member = "serviceAccount:" + agentEmail
		who = fmt.Sprintf("The %s service agent %s", cl.agent.Product, agentEmail)
	} else {
		member = cl.member
		who = "The caller " + member
	}
	res.CallerMember = member
	if strings.EqualFold(member, "serviceAccount:"+email) {
		return nil // it acts as itself
	}
	roles := ImpersonationRoles(cl.agent, tt)
	g, skipped, err := c.Impersonation(ctx, member, saName, sa.ProjectId, roles)
	if err != nil {
		return err
	}
	if g.Found {
		return nil
	}
	problem := fmt.Sprintf("%s may not mint tokens for %s: it holds none of %s on the account or on project %s.",
		who, email, strings.Join(roles, ", "), sa.ProjectId)
	if len(skipped) > 0 {
		problem += fmt.Sprintf(" (%s could not be read, so grants there were not considered.)", strings.Join(skipped, ", "))
	}
	var fix string
	if cl.agent != nil {
		fix = fmt.Sprintf("resource \"gcpinvoke_service_agent_impersonation\" \"this\" {\n  service_account = %q\n  agent           = %q\n}", email, cl.agent.Name)
	} else {
		fix = fmt.Sprintf("resource \"gcpinvoke_service_account_iam_member\" \"this\" {\n  service_account = %q\n  role            = %q\n  member          = %q\n}", email, roles[0], member)
	}
	if g.Conditional != "" {
		res.add(Finding{Code: CodeConditionalGrant, Severity: SeverityWarning, Link: LinkImpersonation,
			Problem: fmt.Sprintf("%s may mint tokens for %s only under the condition %s on %s; calls fail whenever it does not hold.", who, email, g.Conditional, g.Resource),
			Fix:     "Make sure the condition holds when the caller runs, or grant the role without a condition:\n" + fix})
		return nil
	}
	res.add(Finding{Code: CodeMissingImpersonation, Severity: SeverityError, Link: LinkImpersonation, Problem: problem, Fix: fix})
	return nil
}

// resolve finds the target; a missing or unknown target is a finding.
func (c *Checker) resolve(ctx context.Context, res *Result, in Input, project, location string) (*Target, error) {
	var t *Target
	var err error
	switch {
	case in.RunService != "":
		t, err = c.ResolveRunService(ctx, in.RunService, project, location)
	case in.Function != "":
		t, err = c.ResolveFunction(ctx, in.Function, project, location)
	default:
		t, err = c.ResolveURL(ctx, in.TargetURL, project, location)
	}
	var nf *NotFoundError
	switch {
	case errors.As(err, &nf):
		res.add(Finding{Code: CodeTargetNotFound, Severity: SeverityError, Link: LinkTarget,
			Problem: capitalize(nf.What) + ", so every call fails (404).",
			Fix:     "Check the URL, project and location, or deploy the target first."})
		return nil, nil
	case err != nil:
		return nil, err
	case t == nil:
		res.add(Finding{Code: CodeTargetUnresolved, Severity: SeverityWarning, Link: LinkTarget,
			Problem: fmt.Sprintf("%s is not the URL of a Cloud Run service in project %s or of a Cloud Function, so its invoker binding and accepted audiences were not checked.", in.TargetURL, project),
			Fix:     "If it is a Cloud Run service behind a custom domain, set run_service instead of (or with) target_url."})
	}
	return t, nil
}

// checkTokenKind flags OAuth tokens to non-Google hosts and OIDC tokens to
// Google APIs.
func (c *Checker) checkTokenKind(res *Result, t *Target, tt, targetURL string) {
	google := gcpnames.IsGoogleAPIURL(targetURL)
	switch {
	case tt == TokenOAuth && !google:
		fix := "Use an OIDC token instead: token_type = \"oidc\" (in the job: http_target.oidc_token)"
		if t != nil && len(t.Audiences) > 0 {
			fix += fmt.Sprintf(" with audience = %q", t.Audiences[0])
		}
		res.add(Finding{Code: CodeOAuthNonGoogleHost, Severity: SeverityError, Link: LinkToken,
			Problem: fmt.Sprintf("OAuth access tokens are only attached to *.googleapis.com targets, and %s is not one: the call goes out without a token.", hostOf(targetURL)),
			Fix:     fix + "."})
	case tt == TokenOIDC && google:
		res.add(Finding{Code: CodeOIDCToGoogleAPI, Severity: SeverityError, Link: LinkToken,
			Problem: fmt.Sprintf("%s is a Google API, which accepts OAuth access tokens, not OIDC ID tokens.", hostOf(targetURL)),
			Fix:     "Use token_type = \"oauth\" (in the job: http_target.oauth_token with the scope the API needs)."})
	}
}

// checkInvoker checks that the account may invoke t and reports targets
// anyone may call. It returns whether the target is open to everyone.
func (c *Checker) checkInvoker(ctx context.Context, res *Result, t *Target, email string) (bool, error) {
	if t.InvokerIAMDisabled {
		res.add(Finding{Code: CodeInvokerIAMDisabled, Severity: SeverityWarning, Link: LinkTarget,
			Problem: fmt.Sprintf("%s has the invoker IAM check disabled (invokerIamDisabled): anyone who can reach it may call it, with or without a token.", t.Name),
			Fix:     "If it should be private, turn the check back on (gcloud run services update --invoker-iam-check) and keep the invoker binding for " + email + "."})
		return true, nil
	}
	public, err := c.IsPublic(ctx, t)
	if err != nil {
		return false, err
	}
	if public {
		res.add(Finding{Code: CodeTargetPublic, Severity: SeverityWarning, Link: LinkTarget,
			Problem: fmt.Sprintf("allUsers holds %s on %s: it is public, so the chain's token is not needed and anyone may call it.", t.InvokerRole, t.Name),
			Fix:     fmt.Sprintf("If it should be private, remove the allUsers binding of %s and keep the one for serviceAccount:%s.", t.InvokerRole, email)})
		return true, nil
	}
	member := "serviceAccount:" + email
	g, skipped, err := c.Invoker(ctx, t, []string{member, "allAuthenticatedUsers"})
	if err != nil {
		return false, err
	}
	if g.Found {
		return false, nil
	}
	fix := invokerFix(t, member)
	if g.Conditional != "" {
		res.add(Finding{Code: CodeConditionalGrant, Severity: SeverityWarning, Link: LinkInvoker,
			Problem: fmt.Sprintf("%s holds %s on %s only under the condition %s; calls fail whenever it does not hold.", member, t.InvokerRole, g.Resource, g.Conditional),
			Fix:     "Make sure the condition holds when the caller runs, or grant the role without a condition:\n" + fix})
		return false, nil
	}
	what := t.Name
	if t.Kind == KindFunctionGen2 {
		what = fmt.Sprintf("%s (the Cloud Run service of function %s; a gen2 function is invoked through it)", t.Name, t.Function)
	}
	problem := fmt.Sprintf("%s does not hold %s on %s or on project %s, so calls are refused (403).", member, t.InvokerRole, what, t.Project)
	if len(skipped) > 0 {
		problem += fmt.Sprintf(" (%s could not be read, so grants there were not considered.)", strings.Join(skipped, ", "))
	}
	res.add(Finding{Code: CodeMissingInvoker, Severity: SeverityError, Link: LinkInvoker, Problem: problem, Fix: fix})
	return false, nil
}

func invokerFix(t *Target, member string) string {
	if t.Function != "" {
		p, l, f := splitName(t.Function)
		return fmt.Sprintf("resource \"gcpinvoke_cloudfunctions_function_iam_member\" \"invoker\" {\n  project  = %q\n  location = %q\n  function = %q\n  member   = %q\n}", p, l, f, member)
	}
	p, l, s := splitName(t.Name)
	return fmt.Sprintf("resource \"gcpinvoke_run_service_iam_member\" \"invoker\" {\n  project  = %q\n  location = %q\n  service  = %q\n  member   = %q\n}", p, l, s, member)
}

// checkAudience checks the OIDC audience the caller sends is accepted.
func checkAudience(res *Result, t *Target, audienceSet bool, targetURL string, open bool) {
	aud := res.Audience
	if len(t.Audiences) == 0 || audienceAccepted(aud, t.Audiences) {
		return
	}
	want := t.Audiences[0]
	if root, err := gcpnames.OIDCAudience(targetURL); err == nil && audienceAccepted(root, t.Audiences) {
		want = root
	}
	sev := SeverityError
	consequence := "so calls are refused (401)"
	if open {
		sev, consequence = SeverityWarning, "which would be refused (401) once the target is private"
	}
	problem := fmt.Sprintf("The OIDC audience %q is not accepted by %s, %s. Accepted: %s.", aud, t.Name, consequence, strings.Join(t.Audiences, ", "))
	if !audienceSet {
		problem += " No audience is set, so the target URL with its path and query is used."
	}
	if gcpnames.HasPathOrQuery(aud) {
		problem += " An audience is the root URL, without path or query."
	}
	res.add(Finding{Code: CodeAudienceNotAccepted, Severity: sev, Link: LinkAudience, Problem: problem,
		Fix: fmt.Sprintf("Set the audience to the root URL: http_target = { oidc_token = { audience = %q } } (or provider::gcpinvoke::oidc_audience(url)).", want)})
}

// audienceAccepted compares an audience with the accepted ones; a trailing
// slash on the root URL is tolerated, as Google does.
func audienceAccepted(aud string, accepted []string) bool {
	for _, a := range accepted {
		if aud == a || aud == a+"/" {
			return true
		}
	}
	return false
}

// projectNumber reads a project's number.
func (c *Checker) projectNumber(ctx context.Context, project string) (string, error) {
	if gcpnames.ValidateProjectNumber(project) == nil {
		return project, nil
	}
	n, err := c.Client.ProjectNumber(ctx, project)
	if err != nil {
		return "", fmt.Errorf("reading project %s: %w", project, err)
	}
	return n, nil
}

func splitName(name string) (project, location, id string) {
	parts := strings.Split(name, "/")
	if len(parts) != 6 {
		return "", "", name
	}
	return parts[1], parts[3], parts[5]
}

func hostOf(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		rest := rawURL[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return rawURL
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
