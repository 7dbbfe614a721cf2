package emulator

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"sort"
	"strings"

	run "google.golang.org/api/run/v2"
)

// The gateway is the front door of emulated Cloud Run services and gen1
// Cloud Functions (hosts *.run.localhost and *.cloudfunctions.localhost). It
// enforces what Google's front end does before a request reaches the code:
//
//   - ingress: INTERNAL_ONLY / INTERNAL_LOAD_BALANCER (functions:
//     ALLOW_INTERNAL_ONLY / ALLOW_INTERNAL_AND_GCLB) answer 404 to direct
//     requests; calls made by Cloud Scheduler, Cloud Tasks and Workflows
//     count as internal only when the job, queue or workflow is in the
//     service's project (Google also admits them from inside the same VPC
//     Service Controls perimeter; perimeters are not modelled), otherwise
//     they get the same 404 as a direct request;
//   - public targets (invokerIamDisabled, or allUsers holding the invoker
//     role) let anyone in;
//   - otherwise an ID token is needed (Authorization or
//     X-Serverless-Authorization: Bearer JWT): none → 403; not a valid
//     token of this emulator (bad signature, expired, an opaque access
//     token) → 401; aud not one of the service URLs or customAudiences (a
//     path or query in the audience) → 401; the identity lacks the invoker
//     role on the target or its project → 403.
//
// A request let through gets a 200 JSON echo of who called. Refusals carry
// the GFE-style HTML body and an X-Emulator-Reason header saying why.

// gatewayReasonHeader explains a refusal; the job executor copies it into
// the attempt.
const gatewayReasonHeader = "X-Emulator-Reason"

func init() {
	registerHostHandler(func(e *Emulator, host string) (http.Handler, bool) {
		h := hostNoPort(host)
		if strings.HasSuffix(h, ".run.localhost") || strings.HasSuffix(h, ".cloudfunctions.localhost") {
			return http.HandlerFunc(e.serveGateway), true
		}
		return nil, false
	})
}

// gatewayTarget is what the gateway needs to know about a service or
// function, copied under the state lock.
type gatewayTarget struct {
	kind      string // "run" or "function"
	name      string // resource name, holds the invoker policy
	project   string // project id, holds the project policy
	audiences []string
	internal  bool // ingress admits internal traffic only
	public    bool
}

// invokerRoles are the roles that carry the invoke permission
// (run.routes.invoke, cloudfunctions.functions.invoke).
var invokerRoles = map[string][]string{
	"run":      {"roles/run.invoker", "roles/run.servicesInvoker", "roles/run.admin", "roles/run.developer", "roles/owner", "roles/editor"},
	"function": {"roles/cloudfunctions.invoker", "roles/cloudfunctions.admin", "roles/cloudfunctions.developer", "roles/owner", "roles/editor"},
}

// lookupGatewayTarget finds the service or gen1 function a request addresses.
func (e *Emulator) lookupGatewayTarget(st *State, r *http.Request) *gatewayTarget {
	if svc := e.runServiceForHost(st, r.Host); svc != nil {
		t := e.runGatewayTarget(st, svc)
		// The run.app URLs of a 2nd gen function's service also accept
		// the function's cloudfunctions URL as audience.
		for _, f := range st.Functions {
			if f.Generation == "GEN_2" && f.V2 != nil && f.V2.ServiceConfig != nil && f.V2.ServiceConfig.Service == svc.Name {
				t.audiences = append(t.audiences, e.functionURL(st, f))
			}
		}
		return t
	}
	if f := e.functionForURL(st, r.Host, r.URL.Path); f != nil && f.Generation == "GEN_2" {
		// A 2nd gen function answers at its cloudfunctions URL too, with
		// its Cloud Run service's rules (ingress, run.invoker on the
		// service); the function URL is accepted as audience beside the
		// service's URLs.
		if f.V2 == nil || f.V2.ServiceConfig == nil {
			return nil
		}
		svc := st.RunServices[f.V2.ServiceConfig.Service]
		if svc == nil {
			return nil
		}
		t := e.runGatewayTarget(st, svc)
		t.audiences = append(t.audiences, e.functionURL(st, f))
		return t
	}
	if f := e.functionForURL(st, r.Host, r.URL.Path); f != nil && f.V1 != nil {
		n, _ := parseFunctionName(f.V1.Name)
		t := &gatewayTarget{kind: "function", name: f.V1.Name, project: n.project}
		if p := st.project(n.project); p != nil {
			t.project = p.ProjectID
		}
		t.audiences = []string{e.functionURL(st, f)}
		t.internal = f.V1.IngressSettings != "" && f.V1.IngressSettings != "ALLOW_ALL"
		t.public = st.hasRole(f.V1.Name, "roles/cloudfunctions.invoker", "allUsers")
		return t
	}
	return nil
}

// runGatewayTarget is the gateway's view of a Cloud Run service.
func (e *Emulator) runGatewayTarget(st *State, svc *run.GoogleCloudRunV2Service) *gatewayTarget {
	n, _ := parseRunServiceName(svc.Name)
	t := &gatewayTarget{kind: "run", name: svc.Name, project: n.project}
	if p := st.project(n.project); p != nil {
		t.project = p.ProjectID
	}
	t.audiences = append(e.runServiceURLs(st, svc), svc.CustomAudiences...)
	t.internal = svc.Ingress != "" && svc.Ingress != "INGRESS_TRAFFIC_ALL"
	t.public = svc.InvokerIamDisabled || st.hasRole(svc.Name, "roles/run.invoker", "allUsers")
	return t
}

// mayInvoke reports whether a principal holds an invoker role on the target
// or its project.
func (t *gatewayTarget) mayInvoke(st *State, members []string) bool {
	for _, res := range []string{t.name, "projects/" + t.project} {
		for _, role := range invokerRoles[t.kind] {
			for _, m := range members {
				if st.hasRole(res, role, m) {
					return true
				}
			}
		}
	}
	return false
}

func (e *Emulator) serveGateway(w http.ResponseWriter, r *http.Request) {
	var t *gatewayTarget
	_ = e.read(func(st *State) error {
		t = e.lookupGatewayTarget(st, r)
		return nil
	})
	if t == nil {
		gatewayRefuse(w, r, http.StatusNotFound, fmt.Sprintf("no emulated Cloud Run service or function answers at %s%s", r.Host, r.URL.Path))
		return
	}
	if t.internal {
		src, internal := internalCallSource(r)
		if !internal {
			gatewayRefuse(w, r, http.StatusNotFound, fmt.Sprintf("%s admits internal traffic only (ingress); a direct request gets 404", t.name))
			return
		}
		same := false
		_ = e.read(func(st *State) error {
			p := st.project(src.Project)
			same = p != nil && p.ProjectID == t.project
			return nil
		})
		if !same {
			gatewayRefuse(w, r, http.StatusNotFound, fmt.Sprintf("%s admits internal traffic only (ingress); %s in project %s is internal only for services of its own project (%s is in project %s; VPC Service Controls perimeters are not modelled)",
				t.name, callerNames[src.Caller], src.Project, t.name, t.project))
			return
		}
	}
	claims, tokErr := e.gatewayToken(r)
	if t.public {
		gatewayEcho(w, r, t, claims)
		return
	}
	if tokErr == errNoGatewayToken {
		gatewayRefuse(w, r, http.StatusForbidden, "no ID token: send Authorization: Bearer <ID token> (an OIDC token whose audience is the service URL)")
		return
	}
	if tokErr != nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token" error_description="The access token could not be verified"`)
		gatewayRefuse(w, r, http.StatusUnauthorized, tokErr.Error())
		return
	}
	if !audienceAccepted(claims.Audience, t.audiences) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token" error_description="The access token could not be verified"`)
		gatewayRefuse(w, r, http.StatusUnauthorized, fmt.Sprintf("the token's audience %q is not accepted by %s; accepted: %s (the root URL, without path or query)",
			claims.Audience, t.name, strings.Join(t.audiences, ", ")))
		return
	}
	role := invokerRoles[t.kind][0]
	members := principalMembers(claims.Email)
	allowed := false
	_ = e.read(func(st *State) error {
		allowed = t.mayInvoke(st, members)
		return nil
	})
	if !allowed {
		gatewayRefuse(w, r, http.StatusForbidden, fmt.Sprintf("%s does not hold %s on %s or on project %s", members[0], role, t.name, t.project))
		return
	}
	gatewayEcho(w, r, t, claims)
}

// errNoGatewayToken means the request carried no bearer token.
var errNoGatewayToken = fmt.Errorf("no bearer token")

// gatewayToken reads and verifies the ID token of a request. Cloud Run reads
// X-Serverless-Authorization first when present.
func (e *Emulator) gatewayToken(r *http.Request) (*idClaims, error) {
	h := r.Header.Get("X-Serverless-Authorization")
	if h == "" {
		h = r.Header.Get("Authorization")
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, errNoGatewayToken
	}
	if _, isAccess := e.accessTokenIdentity(tok); isAccess {
		return nil, fmt.Errorf("an OAuth access token was presented; Cloud Run and Cloud Functions accept only ID (OIDC) tokens")
	}
	c, err := e.verifyIDToken(strings.TrimSpace(tok))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// audienceAccepted compares an aud claim with the accepted audiences; a
// trailing slash on the root URL is tolerated.
func audienceAccepted(aud string, accepted []string) bool {
	for _, a := range accepted {
		if aud == a || aud == a+"/" {
			return true
		}
	}
	return false
}

// principalMembers are the policy members that match a token's identity.
func principalMembers(email string) []string {
	kind := "user:"
	if strings.HasSuffix(email, ".gserviceaccount.com") {
		kind = "serviceAccount:"
	}
	return []string{kind + strings.ToLower(email), "allAuthenticatedUsers", "allUsers"}
}

// gatewayRefuse writes a refusal shaped like Google's front end.
func gatewayRefuse(w http.ResponseWriter, r *http.Request, code int, reason string) {
	w.Header().Set(gatewayReasonHeader, reason)
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(code)
	path := html.EscapeString(r.URL.Path)
	var title, h1, h2 string
	switch code {
	case http.StatusUnauthorized:
		title, h1, h2 = "401 Unauthorized", "Error: Unauthorized", "Your client does not have permission to the requested URL <code>"+path+"</code>."
	case http.StatusForbidden:
		title, h1, h2 = "403 Forbidden", "Error: Forbidden", "Your client does not have permission to get URL <code>"+path+"</code> from this server."
	default:
		title, h1, h2 = "404 Page not found", "Error: Page not found", "The requested URL was not found on this server."
	}
	fmt.Fprintf(w, "\n<html><head>\n<meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n<title>%s</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>%s</h1>\n<h2>%s</h2>\n<h2></h2>\n</body></html>\n", title, h1, h2)
}

// gatewayEcho answers a request that got through with who called.
func gatewayEcho(w http.ResponseWriter, r *http.Request, t *gatewayTarget, c *idClaims) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	out := map[string]any{
		"service": t.name,
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   r.URL.RawQuery,
		"headers": echoHeaders(r.Header),
		"body":    string(body),
	}
	if c != nil {
		out["caller"] = c.Email
		out["audience"] = c.Audience
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out)
}

// echoHeaders returns the request headers without credentials.
func echoHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch strings.ToLower(k) {
		case "authorization", "x-serverless-authorization", "cookie":
			continue
		}
		out[k] = strings.Join(h[k], ", ")
	}
	return out
}
