package workflowsrc

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// HTTPCall is one `call: http.*` found anywhere in a source, including
// inside steps this package does not model (try, switch, for, parallel).
type HTTPCall struct {
	Step     string // name of the step that makes the call
	Line     int    // line of the `call:` key
	Function string // http.get, http.post, http.request, …
	// Method is the HTTP method: from the function name, or from
	// args.method for http.request ("" when it is an expression).
	Method string
	// URL is args.url as written: a literal URL or an expression "${…}".
	URL string
	// Auth is args.auth, nil when the call sends no token.
	Auth *Auth
}

// URLIsExpression reports whether the URL is computed at run time, so no
// host can be read from the source.
func (c HTTPCall) URLIsExpression() bool { return IsExpression(c.URL) }

// Auth is the auth block of an http call.
type Auth struct {
	Type     string // OIDC or OAuth2 as written
	Audience string // OIDC audience, "" for the default (the call's URL)
	Scopes   []string
}

// httpMethods maps the http.* shortcuts to their methods.
var httpMethods = map[string]string{
	"http.get": "GET", "http.post": "POST", "http.put": "PUT", "http.patch": "PATCH",
	"http.delete": "DELETE", "http.request": "",
}

// IsHTTPFunction reports whether call names one of the http.* functions
// that make a request.
func IsHTTPFunction(call string) bool {
	_, ok := httpMethods[call]
	return ok
}

// HTTPMethodOf returns the method of an http.* function ("" for
// http.request, whose method comes from args).
func HTTPMethodOf(call string) string { return httpMethods[call] }

// IsExpression reports whether a value is a Workflows expression "${…}".
func IsExpression(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "${") && strings.HasSuffix(t, "}")
}

// HTTPCalls lists the HTTP calls of the workflow in source order.
func (w *Workflow) HTTPCalls() []HTTPCall {
	var out []HTTPCall
	walkCalls(w.root, "", &out)
	return out
}

// walkCalls visits every node; step tracks the name of the innermost step.
func walkCalls(n *yaml.Node, step string, out *[]HTTPCall) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, item := range n.Content {
			s := step
			if item.Kind == yaml.MappingNode && len(item.Content) == 2 && item.Content[1].Kind == yaml.MappingNode {
				s = item.Content[0].Value
			}
			walkCalls(item, s, out)
		}
	case yaml.MappingNode:
		if c, ok := httpCallAt(n, step); ok {
			*out = append(*out, c)
		}
		for i := 1; i < len(n.Content); i += 2 {
			walkCalls(n.Content[i], step, out)
		}
	}
}

// httpCallAt reads a mapping that has `call: http.*`.
func httpCallAt(n *yaml.Node, step string) (HTTPCall, bool) {
	var c HTTPCall
	var args *yaml.Node
	found := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "call":
			if v.Kind == yaml.ScalarNode && IsHTTPFunction(v.Value) {
				found = true
				c.Function, c.Line = v.Value, k.Line
				c.Method = HTTPMethodOf(v.Value)
			}
		case "args":
			args = v
		}
	}
	if !found {
		return c, false
	}
	c.Step = step
	if args == nil || args.Kind != yaml.MappingNode {
		return c, true
	}
	for i := 0; i+1 < len(args.Content); i += 2 {
		k, v := args.Content[i].Value, args.Content[i+1]
		switch k {
		case "url":
			if v.Kind == yaml.ScalarNode {
				c.URL = v.Value
			}
		case "method":
			if c.Function == "http.request" && v.Kind == yaml.ScalarNode && !IsExpression(v.Value) {
				c.Method = strings.ToUpper(v.Value)
			}
		case "auth":
			c.Auth = readAuth(v)
		}
	}
	return c, true
}

func readAuth(v *yaml.Node) *Auth {
	a := &Auth{}
	if v.Kind != yaml.MappingNode {
		return a
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i].Value, v.Content[i+1]
		switch k {
		case "type":
			a.Type = val.Value
		case "audience":
			a.Audience = val.Value
		case "scopes", "scope":
			switch val.Kind {
			case yaml.ScalarNode:
				a.Scopes = append(a.Scopes, val.Value)
			case yaml.SequenceNode:
				for _, s := range val.Content {
					a.Scopes = append(a.Scopes, s.Value)
				}
			}
		}
	}
	return a
}

// String is a short description used in messages: "step callHello (line 4): http.get https://…".
func (c HTTPCall) String() string {
	return fmt.Sprintf("step %q (line %d): %s %s", c.Step, c.Line, c.Function, c.URL)
}
