package emulator

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"

	iam "google.golang.org/api/iam/v1"
)

// IAM Credentials v1 (generateIdToken, generateAccessToken) and the OIDC
// discovery documents relying parties use to verify the ID tokens:
//
//	GET  /.well-known/openid-configuration        (no auth)
//	GET  /oauth2/v3/certs                         (no auth)
//	POST /v1/projects/-/serviceAccounts/{email}:generateIdToken
//	POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken

// defaultAccessScope is the scope used when a caller names none.
const defaultAccessScope = "https://www.googleapis.com/auth/cloud-platform"

// maxAccessTokenLifetime is the longest lifetime generateAccessToken grants
// without the org-policy exception.
const maxAccessTokenLifetime = time.Hour

// credentials holds what the IAM Credentials API minted for one emulator.
type credentials struct {
	mu     sync.Mutex
	tokens map[string]mintedToken // by access token
}

type mintedToken struct {
	email  string
	scopes []string
	expiry time.Time
}

func init() {
	mintedAccessTokenCheck = func(e *Emulator, tok string) bool {
		_, ok := e.accessTokenIdentity(tok)
		return ok
	}
	registerAPI(func(e *Emulator) {
		e.creds = &credentials{tokens: map[string]mintedToken{}}
		e.handlePublic("GET", "/.well-known/openid-configuration", "oidc.openidConfiguration", e.oidcDiscovery)
		e.handlePublic("GET", "/oauth2/v3/certs", "oidc.certs", e.oidcCerts)
		const sa = "/v1/projects/{project}/serviceAccounts/{account}"
		e.handle("POST", sa+":generateIdToken", "iamcredentials.serviceAccounts.generateIdToken", e.credGenerateIDToken)
		e.handle("POST", sa+":generateAccessToken", "iamcredentials.serviceAccounts.generateAccessToken", e.credGenerateAccessToken)
	})
}

func (e *Emulator) oidcDiscovery(r *request) (any, error) {
	base := e.BaseURL()
	return map[string]any{
		"issuer":                                base,
		"jwks_uri":                              base + "/oauth2/v3/certs",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"claims_supported":                      []string{"aud", "azp", "email", "email_verified", "exp", "iat", "iss", "sub"},
	}, nil
}

func (e *Emulator) oidcCerts(r *request) (any, error) {
	k, err := signingKey()
	if err != nil {
		return nil, err
	}
	return jwks(k), nil
}

// tokenAccount finds the account a token is minted for. Call with the state
// locked.
func tokenAccount(st *State, emailOrID string) (*iam.ServiceAccount, error) {
	sa := st.serviceAccount(strings.ToLower(emailOrID))
	if sa == nil {
		sa = st.serviceAccount(emailOrID)
	}
	if sa == nil {
		return nil, errNotFound("Not found; Gaia id not found for email %s", emailOrID)
	}
	if sa.Disabled {
		return nil, errFailedPrecondition("Service account %s is disabled.", sa.Email)
	}
	return sa, nil
}

type generateIDTokenRequest struct {
	Audience     string   `json:"audience"`
	IncludeEmail bool     `json:"includeEmail"`
	Delegates    []string `json:"delegates"`
}

func (e *Emulator) credGenerateIDToken(r *request) (any, error) {
	var body generateIDTokenRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	if strings.TrimSpace(body.Audience) == "" {
		return nil, errInvalid("Invalid value for \"audience\": the audience must not be empty.")
	}
	var tok string
	err := e.read(func(st *State) error {
		sa, err := tokenAccount(st, r.Param("account"))
		if err != nil {
			return err
		}
		tok, err = e.signIDToken(sa, body.Audience, body.IncludeEmail)
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"token": tok}, nil
}

type generateAccessTokenRequest struct {
	Scope     []string `json:"scope"`
	Lifetime  string   `json:"lifetime"`
	Delegates []string `json:"delegates"`
}

func (e *Emulator) credGenerateAccessToken(r *request) (any, error) {
	var body generateAccessTokenRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	if len(body.Scope) == 0 {
		return nil, errInvalid("Scope required.")
	}
	lifetime := maxAccessTokenLifetime
	if body.Lifetime != "" {
		d, err := time.ParseDuration(body.Lifetime)
		if err != nil || !strings.HasSuffix(body.Lifetime, "s") {
			return nil, errInvalid("Invalid value at 'lifetime' (type.googleapis.com/google.protobuf.Duration), Field 'lifetime', Illegal duration format; duration must end with 's'")
		}
		if d <= 0 || d > maxAccessTokenLifetime {
			return nil, errInvalid("The lifetime %s is out of range: it must be between 1s and 3600s.", body.Lifetime)
		}
		lifetime = d
	}
	var email string
	err := e.read(func(st *State) error {
		sa, err := tokenAccount(st, r.Param("account"))
		if err != nil {
			return err
		}
		email = sa.Email
		return nil
	})
	if err != nil {
		return nil, err
	}
	tok, exp := e.storeAccessToken(email, body.Scope, lifetime)
	return map[string]any{"accessToken": tok, "expireTime": exp.UTC().Format(time.RFC3339)}, nil
}

// signIDToken mints an ID token for an account found under the state lock.
func (e *Emulator) signIDToken(sa *iam.ServiceAccount, audience string, includeEmail bool) (string, error) {
	k, err := signingKey()
	if err != nil {
		return "", err
	}
	now := e.now()
	c := jwtClaims{
		Iss: e.BaseURL(),
		Aud: audience,
		Azp: sa.UniqueId,
		Sub: sa.UniqueId,
		Iat: now.Unix(),
		Exp: now.Add(idTokenLifetime).Unix(),
	}
	if includeEmail {
		c.Email, c.EmailVerified = sa.Email, true
	}
	return signJWT(k, c)
}

// mintIDToken mints an OIDC ID token (RS256, iss = base URL, sub = the
// account's unique id, email included, valid one hour) for a service
// account, as Cloud Scheduler, Cloud Tasks and Workflows do. It takes the
// state lock: callers already holding it use mintIDTokenLocked.
func (e *Emulator) mintIDToken(email, audience string) (string, error) {
	var tok string
	err := e.read(func(st *State) error {
		var err error
		tok, err = e.mintIDTokenLocked(st, email, audience)
		return err
	})
	return tok, err
}

// mintIDTokenLocked is mintIDToken for callers holding the state lock.
func (e *Emulator) mintIDTokenLocked(st *State, email, audience string) (string, error) {
	sa, err := tokenAccount(st, email)
	if err != nil {
		return "", err
	}
	return e.signIDToken(sa, audience, true)
}

// mintAccessToken mints an opaque OAuth access token for a service account,
// valid one hour, remembered in memory so accessTokenIdentity (and the
// emulator's own authentication) recognise it. It takes the state lock.
func (e *Emulator) mintAccessToken(email string, scopes []string) (string, time.Time, error) {
	var canonical string
	err := e.read(func(st *State) error {
		sa, err := tokenAccount(st, email)
		if err != nil {
			return err
		}
		canonical = sa.Email
		return nil
	})
	if err != nil {
		return "", time.Time{}, err
	}
	if len(scopes) == 0 {
		scopes = []string{defaultAccessScope}
	}
	tok, exp := e.storeAccessToken(canonical, scopes, maxAccessTokenLifetime)
	return tok, exp, nil
}

func (e *Emulator) storeAccessToken(email string, scopes []string, lifetime time.Duration) (string, time.Time) {
	now := e.now()
	exp := now.Add(lifetime)
	tok := "ya29.emulator-" + rand.Text()
	c := e.creds
	c.mu.Lock()
	defer c.mu.Unlock()
	for t, m := range c.tokens {
		if !now.Before(m.expiry) {
			delete(c.tokens, t)
		}
	}
	c.tokens[tok] = mintedToken{email: email, scopes: append([]string(nil), scopes...), expiry: exp}
	return tok, exp
}

// accessTokenIdentity reports the service account an access token minted by
// this emulator stands for, if it is known and not expired.
func (e *Emulator) accessTokenIdentity(tok string) (string, bool) {
	c := e.creds
	if c == nil || !strings.HasPrefix(tok, "ya29.emulator-") {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.tokens[tok]
	if !ok || !e.now().Before(m.expiry) {
		return "", false
	}
	return m.email, true
}
