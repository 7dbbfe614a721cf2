package emulator

import (
	"fmt"
	"net/url"
	"strings"
)

// outboundAuthorization checks impersonation and mints the call's token. It
// returns the Authorization header value ("" for none) and whether an OAuth
// token was left out because the target is not a Google API host.
func (e *Emulator) outboundAuthorization(c outboundCall, u *url.URL, a *Attempt) (string, bool, error) {
	switch c.Token.Kind {
	case "":
		return "", false, nil
	case "oauth":
		if !googleAPIHostname(u.Host) {
			return "", true, nil
		}
	case "oidc":
	default:
		return "", false, fmt.Errorf("INVALID_ARGUMENT: unknown token kind %q", c.Token.Kind)
	}
	email := strings.ToLower(c.Token.ServiceAccount)
	if err := e.checkImpersonation(c, email); err != nil {
		return "", false, err
	}
	if c.Token.Kind == "oidc" {
		aud := c.Token.Audience
		if aud == "" {
			aud = c.URL
		}
		tok, err := e.mintIDToken(email, aud)
		if err != nil {
			return "", false, fmt.Errorf("PERMISSION_DENIED: could not mint an ID token for %s: %v; nothing was sent", email, err)
		}
		a.TokenType, a.Identity, a.Audience = "oidc", email, aud
		return "Bearer " + tok, false, nil
	}
	scopes := c.Token.Scopes
	if len(scopes) == 0 {
		scopes = []string{defaultAccessScope}
	}
	tok, _, err := e.mintAccessToken(email, scopes)
	if err != nil {
		return "", false, fmt.Errorf("PERMISSION_DENIED: could not mint an access token for %s: %v; nothing was sent", email, err)
	}
	a.TokenType, a.Identity = "oauth", email
	return "Bearer " + tok, false, nil
}

// impersonationRoles are the roles that let a service agent mint tokens
// for an account.
func impersonationRoles(caller string) []string {
	return []string{"roles/iam.serviceAccountTokenCreator", "roles/" + caller + ".serviceAgent"}
}

// checkImpersonation verifies, as Google does before attaching a token,
// that the account exists and that the caller's service agent may mint
// tokens for it: a token-creator or service-agent role on the account's
// policy or on its project's policy.
func (e *Emulator) checkImpersonation(c outboundCall, email string) error {
	product := callerNames[c.Caller]
	if product == "" {
		product = c.Caller
	}
	return e.read(func(st *State) error {
		sa := st.serviceAccount(email)
		if sa == nil {
			return fmt.Errorf("PERMISSION_DENIED: service account %s does not exist, so %s cannot mint a token for it; nothing was sent", email, product)
		}
		if sa.Disabled {
			return fmt.Errorf("PERMISSION_DENIED: service account %s is disabled, so %s cannot mint a token for it; nothing was sent", email, product)
		}
		if c.AgentProject == "" {
			return nil
		}
		p := st.project(c.AgentProject)
		if p == nil {
			return fmt.Errorf("PERMISSION_DENIED: project %s does not exist; nothing was sent", c.AgentProject)
		}
		agent := serviceAgentEmail(p.ProjectNumber, c.Caller)
		member := "serviceAccount:" + agent
		roles := impersonationRoles(c.Caller)
		for _, res := range []string{sa.Name, "projects/" + sa.ProjectId} {
			for _, role := range roles {
				if st.hasRole(res, role, member) {
					return nil
				}
			}
		}
		return fmt.Errorf("PERMISSION_DENIED: the %s service agent %s may not mint tokens for %s: grant it %s (or %s) on %s, or on project %s; nothing was sent",
			product, agent, email, roles[0], roles[1], sa.Name, sa.ProjectId)
	})
}
