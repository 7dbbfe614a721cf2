package discovery

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// compile turns the method's flat path (or its path, when the document has
// no flat path) into a regular expression over the request path without its
// custom verb. {x} matches one segment; {+x} (reserved expansion) matches
// what the parameter's pattern allows, or any run of segments.
func (m *Method) compile() error {
	tmpl := m.FlatPath
	if tmpl == "" {
		tmpl = m.Path
	}
	m.template, m.verb = splitVerb("/" + strings.TrimPrefix(tmpl, "/"))
	var b strings.Builder
	b.WriteString("^")
	rest := m.template
	for rest != "" {
		i := strings.Index(rest, "{")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			m.literals += len(rest)
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		m.literals += i
		j := strings.Index(rest[i:], "}")
		if j < 0 {
			return fmt.Errorf("unterminated parameter in %q", tmpl)
		}
		name := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		if strings.HasPrefix(name, "+") {
			expr := ".+"
			if p := m.Parameters[name[1:]]; p != nil && p.Pattern != "" {
				expr = strings.TrimSuffix(strings.TrimPrefix(p.Pattern, "^"), "$")
			}
			b.WriteString("(?:" + expr + ")")
			continue
		}
		b.WriteString("[^/]+")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return err
	}
	m.re = re
	return nil
}

// splitVerb splits a custom verb (":getIamPolicy") off the last segment of
// a path, as Google's HTTP mapping does.
func splitVerb(path string) (string, string) {
	last := strings.LastIndex(path, "/")
	if i := strings.Index(path[last+1:], ":"); i >= 0 {
		return path[:last+1+i], path[last+2+i:]
	}
	return path, ""
}

// Template is the method's path template with a leading slash, as matched:
// "/v2/projects/{projectsId}/locations/{locationsId}/services/{servicesId}:getIamPolicy".
func (m *Method) Template() string {
	if m.verb == "" {
		return m.template
	}
	return m.template + ":" + m.verb
}

// Matches reports whether an HTTP verb and request path (URL path, no
// query) address this method.
func (m *Method) Matches(httpMethod, path string) bool {
	p, verb := splitVerb(path)
	return strings.EqualFold(httpMethod, m.HTTPMethod) && verb == m.verb && m.re.MatchString(p)
}

// Match finds the method an HTTP request addresses. When several match (a
// flat path with a parameter where another has a literal), the one with the
// most literal characters wins; between APIs that share a path (v2
// operations of Run and Cloud Functions) the first document wins. It
// returns nil when no document has it.
func (reg *Registry) Match(httpMethod, path string) *Method {
	if all := reg.MatchAll(httpMethod, path); len(all) > 0 {
		return all[0]
	}
	return nil
}

// MatchAll returns every most specific method an HTTP request addresses:
// several only when APIs served from different hosts share a path, as the
// operations of Run v2 and Cloud Functions v2 do (the emulator serves every
// API from one host).
func (reg *Registry) MatchAll(httpMethod, path string) []*Method {
	var best []*Method
	for _, d := range reg.Docs {
		for _, m := range d.methods {
			if !m.Matches(httpMethod, path) {
				continue
			}
			switch {
			case len(best) == 0 || m.literals > best[0].literals:
				best = []*Method{m}
			case m.literals == best[0].literals:
				best = append(best, m)
			}
		}
	}
	return best
}

// Method finds a method by its ID ("run.projects.locations.services.get").
func (reg *Registry) Method(id string) *Method {
	for _, d := range reg.Docs {
		for _, m := range d.methods {
			if m.ID == id {
				return m
			}
		}
	}
	return nil
}

// QueryParameter returns the definition of a query parameter of the method:
// its own query parameters, then the document's standard parameters
// (alt, prettyPrint, fields, $.xgafv, …). Google also accepts the standard
// ("system") parameters with a leading '$' ($alt, $fields), so those are
// found too. Nil means the method has no such query parameter.
func (m *Method) QueryParameter(name string) *Parameter {
	if p := m.Parameters[name]; p != nil && p.Location == "query" {
		return p
	}
	if p := m.Doc.Parameters[name]; p != nil {
		return p
	}
	if rest, ok := strings.CutPrefix(name, "$"); ok {
		if p := m.Doc.Parameters[rest]; p != nil {
			return p
		}
	}
	return nil
}

// CheckQuery checks every query parameter of a request against the method:
// known name, value of the declared type/format/enum, repeated only when
// declared so, and required parameters present.
func (m *Method) CheckQuery(q url.Values) []Problem {
	var out []Problem
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		p := m.QueryParameter(name)
		if p == nil {
			out = append(out, Problem{Path: "?" + name, Msg: "unknown query parameter (Google answers 400 \"Cannot bind query parameter\")"})
			continue
		}
		vals := q[name]
		if len(vals) > 1 && !p.Repeated {
			out = append(out, Problem{Path: "?" + name, Msg: fmt.Sprintf("given %d times, the parameter is not repeated", len(vals))})
		}
		for _, v := range vals {
			if name == "alt" || name == "$alt" {
				// The cloud.google.com/go REST clients send
				// $alt=json;enum-encoding=int: options after ';'.
				v, _, _ = strings.Cut(v, ";")
			}
			if msg := checkScalar(p.Type, p.Format, p.Enum, v); msg != "" {
				out = append(out, Problem{Path: "?" + name, Msg: msg})
			}
		}
	}
	for name, p := range m.Parameters {
		if p.Location == "query" && p.Required && !q.Has(name) {
			out = append(out, Problem{Path: "?" + name, Msg: "required query parameter is missing"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// checkScalar checks a query parameter value (always text on the wire).
func checkScalar(typ, format string, enum []string, v string) string {
	switch typ {
	case "integer":
		var err error
		if format == "uint32" {
			_, err = strconv.ParseUint(v, 10, 32)
		} else {
			_, err = strconv.ParseInt(v, 10, 32)
		}
		if err != nil {
			return fmt.Sprintf("%q is not a %s", v, or(format, "int32"))
		}
	case "boolean":
		if v != "true" && v != "false" {
			return fmt.Sprintf("%q is not a boolean (true or false)", v)
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Sprintf("%q is not a number", v)
		}
	case "string":
		if msg := checkStringFormat(format, v); msg != "" {
			return msg
		}
	}
	if len(enum) > 0 && !contains(enum, v) {
		return fmt.Sprintf("%q is not one of the enum values %s", v, strings.Join(enum, ", "))
	}
	return ""
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// Key names the method uniquely across documents: its ID and the API
// version ("cloudfunctions.projects.locations.functions.get@v2"); v1 and v2
// of an API share method IDs.
func (m *Method) Key() string { return m.ID + "@" + m.Doc.Version }
