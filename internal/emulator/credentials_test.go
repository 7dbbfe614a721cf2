package emulator

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	crm "google.golang.org/api/cloudresourcemanager/v1"
	"google.golang.org/api/iamcredentials/v1"
)

func TestCredentialGenerateIDTokenRoundTrip(t *testing.T) {
	clock := newManualClock()
	env := newIAMTestEmulator(t, Options{Now: clock.Now})
	sa := env.createSA(t, "scheduler-invoker")
	const aud = "http://hello-abc123-uc.a.run.localhost:8787"

	resp, err := env.creds.Projects.ServiceAccounts.GenerateIdToken("projects/-/serviceAccounts/"+sa.Email, &iamcredentials.GenerateIdTokenRequest{Audience: aud, IncludeEmail: true}).Do()
	if err != nil {
		t.Fatal(err)
	}
	claims, err := env.e.verifyIDToken(resp.Token)
	if err != nil {
		t.Fatalf("verifyIDToken: %v", err)
	}
	want := idClaims{Issuer: env.srv.URL, Audience: aud, Subject: sa.UniqueId, Email: sa.Email, IssuedAt: clock.Now(), Expiry: clock.Now().Add(time.Hour)}
	if *claims != want {
		t.Fatalf("claims = %+v\nwant %+v", *claims, want)
	}

	// Without includeEmail the token carries no email, as at Google.
	resp, err = env.creds.Projects.ServiceAccounts.GenerateIdToken("projects/-/serviceAccounts/"+sa.UniqueId, &iamcredentials.GenerateIdTokenRequest{Audience: aud}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if claims, err := env.e.verifyIDToken(resp.Token); err != nil || claims.Email != "" || claims.Subject != sa.UniqueId {
		t.Fatalf("token without includeEmail: %+v, %v", claims, err)
	}

	_, err = env.creds.Projects.ServiceAccounts.GenerateIdToken("projects/-/serviceAccounts/ghost@demo-project.iam.gserviceaccount.com", &iamcredentials.GenerateIdTokenRequest{Audience: aud}).Do()
	wantAPIError(t, err, 404, "ghost@demo-project.iam.gserviceaccount.com")
	_, err = env.creds.Projects.ServiceAccounts.GenerateIdToken("projects/-/serviceAccounts/"+sa.Email, &iamcredentials.GenerateIdTokenRequest{}).Do()
	wantAPIError(t, err, 400, "audience")
	if n := env.e.Calls()["iamcredentials.serviceAccounts.generateIdToken"]; n != 4 {
		t.Fatalf("generateIdToken counted %d times, want 4", n)
	}
}

func TestCredentialIDTokenVerifiesWithServedJWKS(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	sa := env.createSA(t, "jwks-check")
	tok, err := env.e.mintIDToken(sa.Email, "https://example.com")
	if err != nil {
		t.Fatal(err)
	}

	var disco struct {
		Issuer  string   `json:"issuer"`
		JWKSURI string   `json:"jwks_uri"`
		Algs    []string `json:"id_token_signing_alg_values_supported"`
	}
	getJSON(t, env.srv.URL+"/.well-known/openid-configuration", &disco)
	if disco.Issuer != env.srv.URL || disco.JWKSURI != env.srv.URL+"/oauth2/v3/certs" || len(disco.Algs) != 1 || disco.Algs[0] != "RS256" {
		t.Fatalf("discovery = %+v", disco)
	}
	var set struct {
		Keys []struct{ Kty, Alg, Kid, N, E string } `json:"keys"`
	}
	getJSON(t, disco.JWKSURI, &set)
	if len(set.Keys) != 1 || set.Keys[0].Kty != "RSA" || set.Keys[0].Alg != "RS256" {
		t.Fatalf("jwks = %+v", set)
	}
	k := set.Keys[0]
	n, errN := base64.RawURLEncoding.DecodeString(k.N)
	e, errE := base64.RawURLEncoding.DecodeString(k.E)
	if errN != nil || errE != nil {
		t.Fatalf("key is not base64url: %v %v", errN, errE)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if pub.N.BitLen() != 2048 {
		t.Fatalf("key has %d bits, want 2048", pub.N.BitLen())
	}

	parts := strings.Split(tok, ".")
	var header struct{ Alg, Kid string }
	decodeTestSegment(t, parts[0], &header)
	if header.Alg != "RS256" || header.Kid != k.Kid {
		t.Fatalf("header = %+v, want RS256 with kid %s", header, k.Kid)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("signature does not verify with the served key: %v", err)
	}
	var claims map[string]any
	decodeTestSegment(t, parts[1], &claims)
	for _, c := range []string{"iss", "aud", "sub", "azp", "email", "email_verified", "iat", "exp"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("claim %s missing from %v", c, claims)
		}
	}
}

func TestCredentialVerifyIDTokenRejects(t *testing.T) {
	clock := newManualClock()
	env := newIAMTestEmulator(t, Options{Now: clock.Now})
	sa := env.createSA(t, "verify-me")
	good, err := env.e.mintIDToken(sa.Email, "https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	otherClaims := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + env.srv.URL + `","aud":"https://evil.example","sub":"1","iat":1,"exp":99999999999}`))
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))

	tests := []struct {
		name    string
		tok     string
		advance time.Duration
		want    error
	}{
		{"garbage", "not-a-jwt", 0, errIDTokenMalformed},
		{"tampered claims", parts[0] + "." + otherClaims + "." + parts[2], 0, errIDTokenSignature},
		{"alg none", noneHeader + "." + parts[1] + ".", 0, errIDTokenSignature},
		{"bad signature encoding", parts[0] + "." + parts[1] + ".%%%", 0, errIDTokenMalformed},
		{"expired after one hour", good, time.Hour, errIDTokenExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock.Advance(tc.advance)
			_, err := env.e.verifyIDToken(tc.tok)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), parts[2]) || (len(tc.tok) > 20 && strings.Contains(err.Error(), tc.tok)) {
				t.Fatalf("error echoes the token: %v", err)
			}
		})
	}

	// Another emulator (another base URL) does not accept this one's tokens.
	other := newIAMTestEmulator(t, Options{Now: clock.Now})
	fresh, err := env.e.mintIDToken(sa.Email, "https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.e.verifyIDToken(fresh); !errors.Is(err, errIDTokenIssuer) {
		t.Fatalf("foreign issuer: got %v, want %v", err, errIDTokenIssuer)
	}
}

func TestCredentialGenerateAccessToken(t *testing.T) {
	clock := newManualClock()
	env := newIAMTestEmulator(t, Options{Now: clock.Now, Token: "test-token"})
	sa := env.createSA(t, "oauth-caller")
	name := "projects/-/serviceAccounts/" + sa.Email

	resp, err := env.creds.Projects.ServiceAccounts.GenerateAccessToken(name, &iamcredentials.GenerateAccessTokenRequest{
		Scope: []string{"https://www.googleapis.com/auth/cloud-platform"}, Lifetime: "600s",
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(resp.AccessToken, "ya29.emulator-") || resp.ExpireTime != clock.Now().Add(10*time.Minute).Format(time.RFC3339) {
		t.Fatalf("response = %+v", resp)
	}
	if who, ok := env.e.accessTokenIdentity(resp.AccessToken); !ok || who != sa.Email {
		t.Fatalf("accessTokenIdentity = %q, %v", who, ok)
	}

	// The minted token is accepted even though Options.Token restricts tokens.
	_, asSA, _ := env.clients(t, iamTestAuth(resp.AccessToken)...)
	if _, err := asSA.Projects.GetIamPolicy("demo-project", &crm.GetIamPolicyRequest{}).Do(); err != nil {
		t.Fatalf("call with minted token: %v", err)
	}
	clock.Advance(10 * time.Minute)
	if _, ok := env.e.accessTokenIdentity(resp.AccessToken); ok {
		t.Fatal("expired access token still known")
	}
	_, err = asSA.Projects.GetIamPolicy("demo-project", &crm.GetIamPolicyRequest{}).Do()
	wantAPIError(t, err, 401, "invalid authentication credentials")

	tests := []struct {
		name, account, lifetime string
		scopes                  []string
		code                    int
		msg                     string
	}{
		{"unknown account", "ghost@demo-project.iam.gserviceaccount.com", "", []string{"s"}, 404, "Not found"},
		{"no scope", sa.Email, "", nil, 400, "Scope required"},
		{"lifetime too long", sa.Email, "7200s", []string{"s"}, 400, "out of range"},
		{"lifetime not a duration", sa.Email, "1h", []string{"s"}, 400, "duration must end with 's'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.creds.Projects.ServiceAccounts.GenerateAccessToken("projects/-/serviceAccounts/"+tc.account, &iamcredentials.GenerateAccessTokenRequest{Scope: tc.scopes, Lifetime: tc.lifetime}).Do()
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}

	tok, exp, err := env.e.mintAccessToken(sa.UniqueId, nil)
	if err != nil || exp != clock.Now().Add(time.Hour) {
		t.Fatalf("mintAccessToken = %v, %v", exp, err)
	}
	if who, ok := env.e.accessTokenIdentity(tok); !ok || who != sa.Email {
		t.Fatalf("identity of internally minted token = %q, %v", who, ok)
	}
	if _, _, err := env.e.mintAccessToken("ghost@demo-project.iam.gserviceaccount.com", nil); err == nil {
		t.Fatal("minted an access token for a missing account")
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func decodeTestSegment(t *testing.T, seg string, v any) {
	t.Helper()
	data, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
