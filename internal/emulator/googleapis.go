package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Google API hosts (*.googleapis.com) as job targets. There is no internet,
// so the executor's calls to them are answered here, in process, and
// authorized the way Google does at the level the emulator can know:
//
//  1. the call needs an access token minted by the emulator (what Cloud
//     Scheduler / Cloud Tasks attach for an oauthToken, Workflows for
//     auth type OAuth2); none or another → 401 UNAUTHENTICATED;
//  2. the target project is the one the path names (…/projects/P/…), else
//     the `project` query parameter, else the account's own project; a
//     project the emulator does not hold → 403 PERMISSION_DENIED;
//  3. the account needs, on that project's policy (unconditional bindings),
//     roles/owner, roles/editor or a roles/SERVICE.* role, SERVICE derived
//     from the host (compute.googleapis.com → roles/compute.*;
//     us-central1-aiplatform.googleapis.com → roles/aiplatform.*);
//     roles/viewer is enough for GET and HEAD. Otherwise 403
//     PERMISSION_DENIED naming the account and the project.
//
// The emulator knows no API's permissions, resources or answers: a call let
// through gets 200 and a JSON echo of the whole request, credentials left
// out:
//
//	{"host": "compute.googleapis.com", "caller": "sa@p.iam.gserviceaccount.com",
//	 "project": "p", "method": "POST", "path": "/compute/v1/…", "query": "a=b",
//	 "headers": {…}, "body": "…"}

func init() {
	registerHostHandler(func(e *Emulator, host string) (http.Handler, bool) {
		if gcpnames.IsGoogleAPIHost(host) {
			return http.HandlerFunc(e.serveGoogleAPI), true
		}
		return nil, false
	})
}

// regionalHostRe matches regional endpoints ("us-central1-aiplatform").
var regionalHostRe = regexp.MustCompile(`^[a-z]+-[a-z]+[0-9]+-(.+)$`)

// roleServiceAliases maps an API host name to the role prefix of its
// predefined roles where the two differ.
var roleServiceAliases = map[string]string{
	"cloudresourcemanager": "resourcemanager",
	"iamcredentials":       "iam",
	"workflowexecutions":   "workflows",
	"storage-component":    "storage",
}

// googleAPIService is the service name roles of a Google API host carry
// ("compute" for compute.googleapis.com).
func googleAPIService(host string) string {
	// The service is the first label: SERVICE.googleapis.com, regional
	// endpoints SERVICE.REGION.rep.googleapis.com and REGION-SERVICE.….
	h, _, _ := strings.Cut(strings.TrimSuffix(hostNoPort(host), ".googleapis.com"), ".")
	if m := regionalHostRe.FindStringSubmatch(h); m != nil {
		h = m[1]
	}
	if a, ok := roleServiceAliases[h]; ok {
		return a
	}
	return h
}

// googleAPIProject is the project a Google API call addresses: the
// projects/P segment of the path, else ?project=, else "".
func googleAPIProject(r *http.Request) string {
	segs := strings.Split(r.URL.Path, "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "projects" && segs[i+1] != "" && segs[i+1] != "-" && segs[i+1] != "_" {
			p, _, _ := strings.Cut(segs[i+1], ":")
			return p
		}
	}
	return r.URL.Query().Get("project")
}

// googleAPIAllowed reports whether member holds a role on the project that
// grants the service's API (see the comment at the top of the file).
func googleAPIAllowed(st *State, project, member, service, method string) bool {
	pol, ok := st.Policies["projects/"+project]
	if !ok {
		return false
	}
	readOnly := method == http.MethodGet || method == http.MethodHead
	for _, b := range pol.Bindings {
		if b.Condition != nil {
			continue
		}
		granted := b.Role == "roles/owner" || b.Role == "roles/editor" ||
			(readOnly && b.Role == "roles/viewer") ||
			strings.HasPrefix(b.Role, "roles/"+service+".")
		if !granted {
			continue
		}
		for _, m := range b.Members {
			if m == member {
				return true
			}
		}
	}
	return false
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
	host := hostNoPort(r.Host)
	service := googleAPIService(host)
	project := googleAPIProject(r)
	var denied error
	_ = e.read(func(st *State) error {
		if project == "" {
			if sa := st.serviceAccount(email); sa != nil {
				project = sa.ProjectId
			}
		}
		p := st.project(project)
		if p == nil {
			denied = errPermission("Permission denied on resource project %s (or it may not exist): the emulator holds no such project, so %s cannot call %s there.", project, email, host)
			return nil
		}
		project = p.ProjectID
		if !googleAPIAllowed(st, project, "serviceAccount:"+email, service, r.Method) {
			denied = errPermission("Permission denied: %s holds no role on project %s that grants %s (roles/owner, roles/editor or a roles/%s.* role; roles/viewer for GET).", email, project, host, service)
		}
		return nil
	})
	if denied != nil {
		ae := denied.(*apiError)
		ae.Reason, ae.Domain = "IAM_PERMISSION_DENIED", "iam.googleapis.com"
		writeError(w, ae)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"host":    host,
		"caller":  email,
		"project": project,
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   r.URL.RawQuery,
		"headers": echoHeaders(r.Header),
		"body":    string(body),
	})
}
