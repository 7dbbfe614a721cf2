package gcpclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/iamcredentials/v1"
	"google.golang.org/api/option"
)

// CloudPlatformScope is the OAuth scope requested for every credential.
const CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

// Authentication modes reported by Client.AuthMode.
const (
	AuthEmulator           = "emulator"
	AuthAccessToken        = "access_token"
	AuthCredentials        = "credentials"
	AuthApplicationDefault = "application_default_credentials"
)

// CredentialsError reports that no usable Google credentials could be found
// or loaded. Its message never contains secret material.
type CredentialsError struct {
	// Source says where the credentials were looked for.
	Source string
	// Err is the underlying failure.
	Err error
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("loading Google credentials from %s: %s", e.Source, scrub(e.Err.Error()))
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// allowedCredentialTypes are the credential JSON kinds accepted in
// Config.Credentials.
var allowedCredentialTypes = map[string]google.CredentialsType{
	string(google.ServiceAccount):                google.ServiceAccount,
	string(google.AuthorizedUser):                google.AuthorizedUser,
	string(google.ExternalAccount):               google.ExternalAccount,
	string(google.ExternalAccountAuthorizedUser): google.ExternalAccountAuthorizedUser,
	string(google.ImpersonatedServiceAccount):    google.ImpersonatedServiceAccount,
}

// authMode reports which credential source cfg selects, without any I/O.
func authMode(cfg Config, emulatorBase string) string {
	switch {
	case cfg.AccessToken != "":
		return AuthAccessToken
	case emulatorBase != "":
		return AuthEmulator
	case cfg.Credentials != "":
		return AuthCredentials
	default:
		return AuthApplicationDefault
	}
}

// baseTokenSource resolves the credential named by cfg. ctx must not be
// cancelled for the life of the token source (tokens are refreshed with it).
func baseTokenSource(ctx context.Context, cfg Config, mode string) (oauth2.TokenSource, error) {
	switch mode {
	case AuthAccessToken:
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.AccessToken, TokenType: "Bearer"}), nil
	case AuthEmulator:
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: EmulatorToken, TokenType: "Bearer"}), nil
	case AuthCredentials:
		data, source, err := credentialsJSON(cfg.Credentials)
		if err != nil {
			return nil, &CredentialsError{Source: source, Err: err}
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, &CredentialsError{Source: source, Err: fmt.Errorf("not valid JSON (%s)", jsonSyntaxHint(err))}
		}
		typ, ok := allowedCredentialTypes[head.Type]
		if !ok {
			return nil, &CredentialsError{Source: source, Err: fmt.Errorf("unsupported credential type %q (want service_account, authorized_user, external_account, external_account_authorized_user or impersonated_service_account)", head.Type)}
		}
		creds, err := google.CredentialsFromJSONWithType(ctx, data, typ, CloudPlatformScope)
		if err != nil {
			return nil, &CredentialsError{Source: source, Err: err}
		}
		return creds.TokenSource, nil
	default:
		creds, err := google.FindDefaultCredentials(ctx, CloudPlatformScope)
		if err != nil {
			return nil, &CredentialsError{Source: "Application Default Credentials", Err: err}
		}
		return creds.TokenSource, nil
	}
}

// credentialsJSON returns the credential JSON named by s (JSON text, or a
// path to a file holding it) and a description of its source that is safe to
// show.
func credentialsJSON(s string) ([]byte, string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		return []byte(s), "the credentials JSON", nil
	}
	path := s
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	source := fmt.Sprintf("credentials file %q", path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, source, fmt.Errorf("cannot read the file: %w", unwrapPathError(err))
	}
	return data, source, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func jsonSyntaxHint(err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return "cannot decode"
}

// impersonatedSource mints short-lived access tokens for a target service
// account through the IAM Credentials API (honouring its endpoint override).
type impersonatedSource struct {
	ctx    context.Context
	svc    *iamcredentials.Service
	target string
}

// newImpersonatedSource returns a refreshing token source for target whose
// calls go through hc (authenticated with the base credentials).
func newImpersonatedSource(ctx context.Context, hc *http.Client, endpoint, userAgent, target string) (oauth2.TokenSource, error) {
	opts := []option.ClientOption{option.WithHTTPClient(hc), option.WithUserAgent(userAgent)}
	if endpoint != "" {
		opts = append(opts, option.WithEndpoint(endpoint))
	}
	svc, err := iamcredentials.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return oauth2.ReuseTokenSource(nil, &impersonatedSource{ctx: ctx, svc: svc, target: target}), nil
}

// Token implements oauth2.TokenSource.
func (s *impersonatedSource) Token() (*oauth2.Token, error) {
	name := "projects/-/serviceAccounts/" + s.target
	resp, err := s.svc.Projects.ServiceAccounts.GenerateAccessToken(name, &iamcredentials.GenerateAccessTokenRequest{
		Scope:    []string{CloudPlatformScope},
		Lifetime: "3600s",
	}).Context(s.ctx).Do()
	if err != nil {
		return nil, &CredentialsError{Source: fmt.Sprintf("impersonation of %s", s.target), Err: err}
	}
	tok := &oauth2.Token{AccessToken: resp.AccessToken, TokenType: "Bearer"}
	if t, err := time.Parse(time.RFC3339, resp.ExpireTime); err == nil {
		tok.Expiry = t
	}
	return tok, nil
}
