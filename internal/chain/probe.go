package chain

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"google.golang.org/api/iamcredentials/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// probe mints a token for the account as the caller would and calls the
// target with it, recording the status. The token is never kept, logged or
// put in a message.
func (c *Checker) probe(ctx context.Context, res *Result, tt, targetURL string, t *Target) {
	pr := &ProbeResult{URL: targetURL}
	res.Probe = pr
	notRun := func(why, fix string) {
		pr.Status = "not sent: " + why
		res.add(Finding{Code: CodeProbeNotRun, Severity: SeverityWarning, Link: LinkProbe,
			Problem: "The probe call was not made: " + why, Fix: fix})
	}
	if targetURL == "" {
		notRun("the target has no URL.", "Set target_url.")
		return
	}
	if res.hasError(CodeServiceAccountMissing) {
		notRun("the service account does not exist.", "Fix the service account first.")
		return
	}
	var bearer string
	// An OAuth token is attached only for Google API hosts, as the callers do.
	if tt == TokenOIDC || gcpnames.IsGoogleAPIURL(targetURL) {
		tok, err := c.mint(ctx, tt, res.ServiceAccount, res.Audience)
		if err != nil {
			summary, detail := gcpclient.Describe(err, mintAction(tt), res.ServiceAccount)
			notRun(summary+".", detail+"\n\nThe probe mints the token with the identity Terraform runs as, which needs "+
				"roles/iam.serviceAccountOpenIdTokenCreator (OIDC) or roles/iam.serviceAccountTokenCreator (OAuth) on the account.")
			return
		}
		bearer = tok
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, targetURL, nil)
	if err != nil {
		notRun(fmt.Sprintf("%q is not a valid URL.", targetURL), "Fix target_url.")
		return
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Client.TargetHTTPClient().Do(req)
	if err != nil {
		pr.Status = "no answer: " + err.Error()
		res.add(Finding{Code: CodeProbeFailed, Severity: SeverityError, Link: LinkProbe,
			Problem: fmt.Sprintf("GET %s got no answer: %v", targetURL, err),
			Fix:     "Check that the URL is right and reachable from where Terraform runs (ingress settings, VPC)."})
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	pr.StatusCode, pr.Status = resp.StatusCode, resp.Status
	if resp.StatusCode < 400 {
		return
	}
	res.add(Finding{Code: CodeProbeFailed, Severity: SeverityError, Link: LinkProbe,
		Problem: fmt.Sprintf("GET %s with a token of %s answered %s.", targetURL, res.ServiceAccount, resp.Status),
		Fix:     probeFix(resp.StatusCode, t)})
}

func probeFix(code int, t *Target) string {
	switch code {
	case http.StatusUnauthorized:
		return "The token was refused: check the audience (the root URL of the service) and the token type (OIDC for Cloud Run and Cloud Functions)."
	case http.StatusForbidden:
		return "The identity may not invoke the target: grant the invoker role to the service account on the service or function."
	case http.StatusNotFound:
		if t != nil && t.Ingress != "" && t.Ingress != "INGRESS_TRAFFIC_ALL" && t.Ingress != "ALLOW_ALL" {
			return fmt.Sprintf("The target admits internal traffic only (ingress %s), so a probe from outside gets 404 while Cloud Scheduler, Cloud Tasks and Workflows may still get through; check the path otherwise.", t.Ingress)
		}
		return "Nothing answers at this URL: check the path, or the target's ingress settings."
	}
	return "The target answered with an error: look at its logs."
}

func mintAction(tt string) string {
	if tt == TokenOAuth {
		return "iamcredentials.serviceAccounts.generateAccessToken"
	}
	return "iamcredentials.serviceAccounts.generateIdToken"
}

// mint returns a fresh ID token (audience aud) or access token for email.
func (c *Checker) mint(ctx context.Context, tt, email, aud string) (string, error) {
	svc, err := c.Client.IAMCredentials(ctx)
	if err != nil {
		return "", err
	}
	name := "projects/-/serviceAccounts/" + email
	if tt == TokenOAuth {
		resp, err := svc.Projects.ServiceAccounts.GenerateAccessToken(name, &iamcredentials.GenerateAccessTokenRequest{
			Scope: []string{DefaultOAuthScope}, Lifetime: "300s",
		}).Context(ctx).Do()
		if err != nil {
			return "", err
		}
		return resp.AccessToken, nil
	}
	resp, err := svc.Projects.ServiceAccounts.GenerateIdToken(name, &iamcredentials.GenerateIdTokenRequest{
		Audience: aud, IncludeEmail: true,
	}).Context(ctx).Do()
	if err != nil {
		return "", err
	}
	return resp.Token, nil
}
