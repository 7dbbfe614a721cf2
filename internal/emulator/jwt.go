package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// OIDC ID tokens are RS256 JWTs signed with one RSA-2048 key per process,
// generated on first use (generation is slow, and tests build many
// emulators). Every emulator publishes the key at /oauth2/v3/certs; tokens
// are still bound to one emulator by their issuer, its base URL.

// idTokenLifetime is how long minted ID tokens are valid, as at Google.
const idTokenLifetime = time.Hour

// idTokenMaxSkew is how far in the future an ID token's iat may be.
const idTokenMaxSkew = 5 * time.Minute

// oidcKey is the signing key and its key id.
type oidcKey struct {
	priv *rsa.PrivateKey
	kid  string
}

var (
	processKeyOnce sync.Once
	processKey     *oidcKey
	processKeyErr  error
)

// signingKey returns the process's OIDC signing key.
func signingKey() (*oidcKey, error) {
	processKeyOnce.Do(func() {
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			processKeyErr = fmt.Errorf("generating the OIDC signing key: %w", err)
			return
		}
		sum := sha256.Sum256(priv.N.Bytes())
		processKey = &oidcKey{priv: priv, kid: hex.EncodeToString(sum[:20])}
	})
	return processKey, processKeyErr
}

// idClaims are the verified claims of an ID token.
type idClaims struct {
	Issuer, Audience, Subject, Email string
	IssuedAt, Expiry                 time.Time
}

// jwtHeader is the JOSE header of the tokens the emulator signs.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	Typ string `json:"typ,omitempty"`
}

// jwtClaims is the payload of a Google-style service account ID token.
type jwtClaims struct {
	Iss           string `json:"iss"`
	Aud           string `json:"aud"`
	Azp           string `json:"azp,omitempty"`
	Sub           string `json:"sub"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified,omitempty"`
	Iat           int64  `json:"iat"`
	Exp           int64  `json:"exp"`
}

var b64 = base64.RawURLEncoding

// signJWT signs claims with RS256.
func signJWT(k *oidcKey, claims any) (string, error) {
	h, err := json.Marshal(jwtHeader{Alg: "RS256", Kid: k.kid, Typ: "JWT"})
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signingInput := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	digest := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.priv, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("signing ID token: %w", err)
	}
	return signingInput + "." + b64.EncodeToString(sig), nil
}

// Errors of verifyIDToken, wrapped with details that never include the token.
var (
	errIDTokenMalformed = errors.New("ID token is malformed")
	errIDTokenSignature = errors.New("ID token signature is invalid")
	errIDTokenExpired   = errors.New("ID token has expired")
	errIDTokenIssuer    = errors.New("ID token has the wrong issuer")
)

// verifyIDToken checks an ID token minted by this emulator: structure,
// algorithm, key id, signature, issuer (the base URL) and time validity
// against the emulator's clock. The audience is returned for the caller to
// check. Errors say what is wrong without echoing the token.
func (e *Emulator) verifyIDToken(tok string) (*idClaims, error) {
	k, err := signingKey()
	if err != nil {
		return nil, err
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: want 3 dot-separated parts, got %d", errIDTokenMalformed, len(parts))
	}
	var h jwtHeader
	if err := decodeSegment(parts[0], &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", errIDTokenMalformed, err)
	}
	if h.Alg != "RS256" {
		return nil, fmt.Errorf("%w: algorithm %q is not RS256", errIDTokenSignature, h.Alg)
	}
	if h.Kid != "" && h.Kid != k.kid {
		return nil, fmt.Errorf("%w: unknown key id %q", errIDTokenSignature, h.Kid)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not base64url", errIDTokenMalformed)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&k.priv.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		return nil, errIDTokenSignature
	}
	var c jwtClaims
	if err := decodeSegment(parts[1], &c); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", errIDTokenMalformed, err)
	}
	if want := e.BaseURL(); c.Iss != want {
		return nil, fmt.Errorf("%w: %q, want %q", errIDTokenIssuer, c.Iss, want)
	}
	now := e.now()
	exp, iat := time.Unix(c.Exp, 0).UTC(), time.Unix(c.Iat, 0).UTC()
	if c.Exp == 0 || !now.Before(exp) {
		return nil, fmt.Errorf("%w: it expired at %s (now %s)", errIDTokenExpired, exp.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if iat.After(now.Add(idTokenMaxSkew)) {
		return nil, fmt.Errorf("%w: issued in the future (%s)", errIDTokenMalformed, iat.Format(time.RFC3339))
	}
	return &idClaims{Issuer: c.Iss, Audience: c.Aud, Subject: c.Sub, Email: c.Email, IssuedAt: iat, Expiry: exp}, nil
}

func decodeSegment(seg string, v any) error {
	data, err := b64.DecodeString(seg)
	if err != nil {
		return errors.New("not base64url")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errors.New("not a JSON object")
	}
	return nil
}

// jwks is the JSON Web Key Set published at /oauth2/v3/certs.
func jwks(k *oidcKey) map[string]any {
	pub := k.priv.PublicKey
	return map[string]any{"keys": []any{map[string]any{
		"kty": "RSA",
		"alg": "RS256",
		"use": "sig",
		"kid": k.kid,
		"n":   b64.EncodeToString(pub.N.Bytes()),
		"e":   b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}
