package discovery

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sort"
	"sync"
)

// Recorder is HTTP middleware for tests: it passes every request to the
// handler it wraps (the emulator) and checks the request and the response
// against the discovery documents. Problems are collected; the test fixture
// reports them with t.Errorf when the test ends.
//
// What is checked, for every request that is not exempt (see Exemptions):
//   - the route (verb, path, custom verb) is a method of a document, whatever
//     the emulator answered (a client calling a URL no API has would take
//     the 404 for a deleted resource);
//   - a request the emulator accepted (2xx): every query parameter is the
//     method's or a standard one, with a value of its type; the body fits
//     the method's request schema (field names, JSON types, formats, enums);
//     a method without request body got none. A request the emulator
//     refused (4xx) may be malformed: tests send such requests on purpose;
//   - a 2xx response fits the method's response schema (a method without
//     response schema answers an empty body or {});
//   - every error response is the google.rpc.Status envelope.
type Recorder struct {
	reg  *Registry
	next http.Handler

	mu       sync.Mutex
	problems []string
	calls    map[string]int // method Key → requests
}

// NewRecorder wraps next with the embedded documents.
func NewRecorder(next http.Handler) (*Recorder, error) {
	reg, err := Default()
	if err != nil {
		return nil, err
	}
	return NewRecorderWith(reg, next), nil
}

// NewRecorderWith wraps next with the documents of reg.
func NewRecorderWith(reg *Registry, next http.Handler) *Recorder {
	return &Recorder{reg: reg, next: next, calls: map[string]int{}}
}

// Registry is the set of documents the recorder checks against.
func (rec *Recorder) Registry() *Registry { return rec.reg }

// Problems returns every conformance problem seen so far, one line each:
// method ID (or the route), direction, JSON path and what is wrong.
func (rec *Recorder) Problems() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.problems...)
}

// Calls returns how many requests each method got.
func (rec *Recorder) Calls() map[string]int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make(map[string]int, len(rec.calls))
	for k, v := range rec.calls {
		out[k] = v
	}
	return out
}

func (rec *Recorder) report(who, direction string, ps []Problem) {
	if len(ps) == 0 {
		return
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, p := range ps {
		rec.problems = append(rec.problems, fmt.Sprintf("%s %s: %s", who, direction, p))
	}
}

// ServeHTTP implements http.Handler.
func (rec *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if Exempt(r) != "" {
		rec.next.ServeHTTP(w, r)
		return
	}
	var reqBody []byte
	if r.Body != nil {
		reqBody, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	cw := &capture{ResponseWriter: w, status: http.StatusOK}
	rec.next.ServeHTTP(cw, r)
	rec.check(r, reqBody, cw.status, cw.Header().Get("Content-Type"), cw.body.Bytes())
}

// check validates one exchange.
func (rec *Recorder) check(r *http.Request, reqBody []byte, status int, contentType string, respBody []byte) {
	ms := rec.reg.MatchAll(r.Method, r.URL.Path)
	route := r.Method + " " + r.URL.Path
	ok := status >= 200 && status < 300
	if ct, _, _ := mime.ParseMediaType(contentType); ct != "application/json" && len(respBody) > 0 {
		rec.report(route, "response", []Problem{{Msg: fmt.Sprintf("Content-Type %q, want application/json", contentType)}})
	}
	if !ok {
		rec.report(route, fmt.Sprintf("error response %d", status), ValidateError(status, respBody))
	}
	if len(ms) == 0 {
		// Even when the emulator answers 404: a client calling a URL no API
		// has would read "not found" as "the resource is gone".
		rec.report(route, "route", []Problem{{Msg: fmt.Sprintf("no discovery document has this method (the emulator answered %d)", status)}})
		return
	}
	rec.mu.Lock()
	rec.calls[ms[0].Key()]++
	rec.mu.Unlock()
	if !ok {
		return
	}
	// APIs that share a path (operations): the exchange must fit one of them.
	var best []exchangeProblem
	for i, m := range ms {
		ps := checkExchange(m, r, reqBody, respBody)
		if i == 0 || len(ps) < len(best) {
			best = ps
		}
		if len(ps) == 0 {
			return
		}
	}
	for _, p := range best {
		rec.report(p.who, p.direction, []Problem{p.Problem})
	}
}

type exchangeProblem struct {
	who, direction string
	Problem
}

func checkExchange(m *Method, r *http.Request, reqBody, respBody []byte) []exchangeProblem {
	who := m.Key() + " (" + r.Method + " " + r.URL.Path + ")"
	var out []exchangeProblem
	add := func(direction string, ps []Problem) {
		for _, p := range ps {
			out = append(out, exchangeProblem{who, direction, p})
		}
	}
	add("request query", m.CheckQuery(r.URL.Query()))
	if m.Request != nil {
		add("request body", m.Doc.ValidateBody(m.Request, reqBody))
	} else if b := bytes.TrimSpace(reqBody); len(b) > 0 && string(b) != "{}" {
		add("request body", []Problem{{Msg: "the method takes no request body"}})
	}
	if m.Response != nil {
		add("response body", m.Doc.ValidateBody(m.Response, respBody))
	} else if b := bytes.TrimSpace(respBody); len(b) > 0 && string(b) != "{}" {
		add("response body", []Problem{{Msg: "the method has no response message, want an empty body or {}"}})
	}
	return out
}

// SortedProblems is Problems sorted, for stable test output.
func (rec *Recorder) SortedProblems() []string {
	p := rec.Problems()
	sort.Strings(p)
	return p
}

// capture copies the response while passing it through.
type capture struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	if !c.wrote {
		c.status, c.wrote = code, true
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(p []byte) (int, error) {
	c.wrote = true
	if c.body.Len() < 32<<20 {
		c.body.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

func (c *capture) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (c *capture) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := c.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, fmt.Errorf("hijack not supported")
}
