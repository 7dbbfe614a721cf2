package discovery

import (
	"fmt"
	"regexp"
	"strings"
)

var routeParamRE = regexp.MustCompile(`\{[^}]+\}`)

// MatchRoute finds the methods a server route template serves: the HTTP
// verb and a path template with {name} segments, e.g.
// "/v2/projects/{project}/locations/{location}/services/{service}:getIamPolicy".
// The route must have the method's shape: the same literal segments and a
// parameter wherever the method's flat path has one, and read only query
// parameters the method has. Several methods come back when APIs share the
// path (see MatchAll). Problems say what does not fit.
func (reg *Registry) MatchRoute(httpMethod, template string, queryRead []string) ([]*Method, []Problem) {
	sample := routeParamRE.ReplaceAllString(template, "x1")
	ms := reg.MatchAll(httpMethod, sample)
	if len(ms) == 0 {
		return nil, []Problem{{Msg: fmt.Sprintf("%s %s is not a method of any discovery document", httpMethod, template)}}
	}
	var out []Problem
	for _, m := range ms {
		if m.FlatPath != "" && shape(template) != shape("/"+strings.TrimPrefix(m.FlatPath, "/")) {
			out = append(out, Problem{Msg: fmt.Sprintf("%s %s matches %s only partly: the document's path is %s", httpMethod, template, m.Key(), m.FlatPath)})
		}
		for _, q := range queryRead {
			if m.QueryParameter(q) == nil {
				out = append(out, Problem{Path: "?" + q, Msg: fmt.Sprintf("the emulator reads query parameter %q, which %s does not have", q, m.Key())})
			}
		}
	}
	return ms, out
}

// shape replaces every {parameter} by {} so templates with differently
// named parameters compare equal.
func shape(t string) string { return routeParamRE.ReplaceAllString(t, "{}") }
