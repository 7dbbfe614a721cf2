package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// request is what an API handler sees: the HTTP request, the path
// parameters and helpers to read the body and query.
type request struct {
	*http.Request
	params map[string]string
	method string // API method name, e.g. "run.services.get"
	route  *route
}

// Param returns the path parameter captured by {name}.
func (r *request) Param(name string) string { return r.params[name] }

// Query returns a query parameter. The route remembers which parameters its
// handler reads (Routes), so tests can hold them to the discovery documents.
func (r *request) Query(name string) string {
	if r.route != nil {
		r.route.readQuery(name)
	}
	return r.URL.Query().Get(name)
}

// maxRequestBytes is the largest request body Google's API front end takes
// (10 MiB). Above it the answer is 400 INVALID_ARGUMENT "Request payload
// size exceeds the limit: 10485760 bytes." whatever the body holds, as
// Google's JSON APIs answer (the message is the front end's, seen on every
// googleapis.com API).
const maxRequestBytes = 10 << 20

// Decode reads the JSON body into v. An empty body leaves v unchanged.
func (r *request) Decode(v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		return errInvalid("could not read request body: %v", err)
	}
	if len(data) > maxRequestBytes {
		return errInvalid("Request payload size exceeds the limit: %d bytes.", maxRequestBytes)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errInvalid("Invalid JSON payload received. %v", err)
	}
	return nil
}

// handlerFunc answers one API method. It returns the response body (written
// as JSON with status 200) or an error (written in the google.rpc envelope).
type handlerFunc func(r *request) (any, error)

type route struct {
	httpMethod string
	segs       []string // literal segments or "{name}"
	verb       string   // custom method after ':' in the last segment, "" for none
	name       string   // API method name used by counters and faults
	public     bool     // no Authorization needed (discovery documents)
	h          handlerFunc

	queryMu   sync.Mutex
	queryRead map[string]bool // query parameters the handler has read
}

func (r *route) readQuery(name string) {
	r.queryMu.Lock()
	defer r.queryMu.Unlock()
	if r.queryRead == nil {
		r.queryRead = map[string]bool{}
	}
	r.queryRead[name] = true
}

// Route describes one API route the emulator serves.
type Route struct {
	HTTPMethod string // "GET"
	// Path is the template, "/v2/projects/{project}/locations/{location}/services/{service}:getIamPolicy".
	Path string
	Name string // the emulator's method name, as counted by Calls
	// Public routes need no Authorization (OpenID discovery, JWKS).
	Public bool
	// QueryRead lists the query parameters the handler has read so far
	// (sorted); it grows as the route serves requests.
	QueryRead []string
}

// Routes lists every API route, in registration order. Emulated hosts (the
// Cloud Run gateway, function URLs, Google API hosts) and the /_emulator/
// introspection API are not routes.
func (e *Emulator) Routes() []Route {
	out := make([]Route, 0, len(e.router.routes))
	for _, r := range e.router.routes {
		path := "/" + strings.Join(r.segs, "/")
		if r.verb != "" {
			path += ":" + r.verb
		}
		r.queryMu.Lock()
		var q []string
		for k := range r.queryRead {
			q = append(q, k)
		}
		r.queryMu.Unlock()
		sort.Strings(q)
		out = append(out, Route{HTTPMethod: r.httpMethod, Path: path, Name: r.name, Public: r.public, QueryRead: q})
	}
	return out
}

// router matches paths as the google.golang.org/api clients send them:
// /v2/projects/p/locations/l/services/s:getIamPolicy.
type router struct{ routes []*route }

func (rt *router) add(httpMethod, pattern, name string, h handlerFunc) *route {
	path, verb := splitVerb(pattern)
	r := &route{httpMethod: httpMethod, segs: strings.Split(strings.Trim(path, "/"), "/"), verb: verb, name: name, h: h}
	rt.routes = append(rt.routes, r)
	return r
}

// splitVerb splits a custom method (":run") off the last path segment.
func splitVerb(path string) (string, string) {
	last := strings.LastIndex(path, "/")
	if i := strings.Index(path[last+1:], ":"); i >= 0 {
		return path[:last+1+i], path[last+2+i:]
	}
	return path, ""
}

// match finds the route for a request. It reports whether the path exists
// with another HTTP method, so the caller can answer 405-like errors as 404
// the way Google does.
func (rt *router) match(method, path string) (*route, map[string]string) {
	p, verb := splitVerb(path)
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for _, r := range rt.routes {
		if r.httpMethod != method || r.verb != verb || len(r.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, s := range r.segs {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[s[1:len(s)-1]] = segs[i]
				continue
			}
			if s != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return r, params
		}
	}
	return nil, nil
}

// apiRegistrars are called by New to add each API's routes. Each API file
// registers itself in init(), so adding an API touches one file.
var apiRegistrars []func(e *Emulator)

func registerAPI(f func(e *Emulator)) { apiRegistrars = append(apiRegistrars, f) }

// hostHandlers answer requests addressed to emulated hosts (Cloud Run
// service URLs, function URLs), routed by the Host header.
var hostHandlers []func(e *Emulator, host string) (http.Handler, bool)

func registerHostHandler(f func(e *Emulator, host string) (http.Handler, bool)) {
	hostHandlers = append(hostHandlers, f)
}
