package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Google API hosts (*.googleapis.com) as job targets. There is no internet,
// so the executor's calls to them are answered here, in process: the call
// needs an access token minted by the emulator (what Cloud Scheduler attaches
// for an oauthToken job) and gets a JSON echo of who called.
//
//	{"host": "compute.googleapis.com", "caller": "sa@p.iam.gserviceaccount.com",
//	 "method": "POST", "path": "/compute/v1/…", "body": "…"}
//
// Without a valid access token the answer is Google's 401 in the
// google.rpc envelope.

func init() {
	registerHostHandler(func(e *Emulator, host string) (http.Handler, bool) {
		if gcpnames.IsGoogleAPIHost(host) {
			return http.HandlerFunc(e.serveGoogleAPI), true
		}
		return nil, false
	})
}

func (e *Emulator) serveGoogleAPI(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		writeError(w, errUnauthenticated("Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."))
		return
	}
	email, ok := e.accessTokenIdentity(strings.TrimSpace(tok))
	if !ok {
		writeError(w, errUnauthenticated("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."))
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"host":   hostNoPort(r.Host),
		"caller": email,
		"method": r.Method,
		"path":   r.URL.Path,
		"body":   string(body),
	})
}
