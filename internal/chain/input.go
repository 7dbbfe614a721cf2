package chain

import (
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Token types.
const (
	TokenOIDC  = "oidc"
	TokenOAuth = "oauth"
)

// DefaultOAuthScope is the scope of OAuth tokens minted by the probe (and
// Cloud Scheduler's default).
const DefaultOAuthScope = "https://www.googleapis.com/auth/cloud-platform"

// Input describes the chain to check.
type Input struct {
	// Caller mints the tokens: "cloudscheduler", "cloudtasks", "workflows"
	// (the project's service agent) or an IAM member such as
	// "serviceAccount:ci@p.iam.gserviceaccount.com".
	Caller string
	// ServiceAccount is the account whose tokens are sent: an email or
	// projects/P/serviceAccounts/EMAIL.
	ServiceAccount string
	// TargetURL is the URL called. One of TargetURL, RunService and
	// Function is needed; with a service or function and no URL, its URL
	// is called.
	TargetURL string
	// RunService is a Cloud Run service: projects/P/locations/L/services/S,
	// P/L/S, L/S or S.
	RunService string
	// Function is a Cloud Function (either generation), in the same forms.
	Function string
	// Audience is the OIDC audience the caller sends. Empty means what Cloud
	// Scheduler does: the target URL as written.
	Audience string
	// TokenType is "oidc" (default) or "oauth".
	TokenType string
	// Project is the caller's project (the project of the service agent and
	// the default for short names). Default: the client's project, else
	// the service account's.
	Project string
	// Location is the default location for short names and URL lookups.
	// Default: the client's region.
	Location string
	// Probe mints a token for the account and calls the target.
	Probe bool
}

// caller is a validated Input.Caller.
type caller struct {
	agent  *gcpnames.Agent // nil for a member caller
	member string          // member caller, canonical
}

func parseCaller(s string) (caller, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return caller{}, fmt.Errorf("caller is empty; use %s or an IAM member such as \"serviceAccount:ci@my-project.iam.gserviceaccount.com\"", strings.Join(gcpnames.AgentNames(), ", "))
	}
	if !strings.Contains(s, ":") {
		a, err := gcpnames.LookupAgent(s)
		if err != nil {
			return caller{}, fmt.Errorf("caller %q is neither a service agent nor an IAM member: %v, or a member such as \"serviceAccount:EMAIL\"", s, err)
		}
		return caller{agent: &a}, nil
	}
	m, err := iampolicy.NormalizeMember(s)
	if err != nil {
		return caller{}, fmt.Errorf("caller %q: %v", s, err)
	}
	if iampolicy.IsBroad(m) {
		return caller{}, fmt.Errorf("caller %q names no single identity; name the identity that triggers the call", s)
	}
	return caller{member: m}, nil
}

// tokenType validates and defaults Input.TokenType.
func tokenType(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", TokenOIDC:
		return TokenOIDC, nil
	case TokenOAuth:
		return TokenOAuth, nil
	}
	return "", fmt.Errorf("token type %q: use %q or %q", s, TokenOIDC, TokenOAuth)
}
