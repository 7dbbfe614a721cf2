package review

import (
	"encoding/json"
	"net/url"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// resources indexes every resource instance the plan knows about — prior
// state, planned values and the changes' after values — so a reference or a
// URL can be resolved to the resource behind it.
type resources struct {
	byAddr map[string]resource
	byKey  map[string][]string // resource key (no instance keys) → addresses
	order  []string
}

type resource struct {
	typ string
	a   attrs
}

func buildResources(p *Plan) *resources {
	r := &resources{byAddr: map[string]resource{}, byKey: map[string][]string{}}
	if p.PriorState != nil && p.PriorState.Values != nil {
		r.addModule(p.PriorState.Values.RootModule)
	}
	if p.PlannedValues != nil {
		r.addModule(p.PlannedValues.RootModule)
	}
	for _, rc := range p.ResourceChanges {
		if rc.Change.After != nil {
			r.put(rc.Address, rc.Type, afterAttrs(rc.Change))
		}
	}
	return r
}

// afterAttrs and beforeAttrs read one side of a change with its unknown and
// sensitive marks.
func afterAttrs(c *tfjson.Change) attrs {
	return attrs{v: c.After, u: c.AfterUnknown, s: c.AfterSensitive}
}

func beforeAttrs(c *tfjson.Change) attrs {
	return attrs{v: c.Before, s: c.BeforeSensitive}
}

// stateAttrs reads a resource of a values representation (prior state or
// planned values) with its sensitive_values marks.
func stateAttrs(res *tfjson.StateResource) attrs {
	a := attrs{}
	if res.AttributeValues != nil {
		a.v = map[string]any(res.AttributeValues)
	}
	if len(res.SensitiveValues) > 0 {
		var s any
		if json.Unmarshal(res.SensitiveValues, &s) == nil {
			a.s = s
		}
	}
	return a
}

func (r *resources) addModule(m *tfjson.StateModule) {
	if m == nil {
		return
	}
	for _, res := range m.Resources {
		if res != nil {
			r.put(res.Address, res.Type, stateAttrs(res))
		}
	}
	for _, c := range m.ChildModules {
		r.addModule(c)
	}
}

func (r *resources) put(addr, typ string, a attrs) {
	if addr == "" {
		return
	}
	if _, ok := r.byAddr[addr]; !ok {
		key := resourceKey(addr)
		r.byKey[key] = append(r.byKey[key], addr)
		r.order = append(r.order, addr)
	}
	r.byAddr[addr] = resource{typ: typ, a: a}
}

// lookup returns the first instance of the resource a reference points into.
func (r *resources) lookup(ref string) (resource, bool) {
	key, _ := refResource(ref)
	if key == "" {
		return resource{}, false
	}
	addrs := r.byKey[key]
	if len(addrs) == 0 {
		return resource{}, false
	}
	res, ok := r.byAddr[addrs[0]]
	return res, ok
}

// Service account resource types and the attributes holding the email.
var saTypes = map[string]bool{
	"google_service_account":    true,
	"gcpinvoke_service_account": true,
}

// isSAType reports whether typ is a service account resource or data source.
func isSAType(typ string) bool { return saTypes[typ] }

// isTargetType reports whether typ is a callable resource or data source.
func isTargetType(typ string) bool {
	switch typ {
	case "google_cloud_run_v2_service", "google_cloud_run_service", "google_cloudfunctions_function",
		"google_cloudfunctions2_function", "gcpinvoke_run_service":
		return true
	}
	return false
}

// saEmail returns the email of a service account resource, derived from
// account_id and project when the email itself is known only after apply.
func saEmail(res resource) string {
	if e, ok := res.a.str("email"); ok && e != "" {
		return e
	}
	id, ok1 := res.a.str("account_id")
	project, ok2 := res.a.str("project")
	if ok1 && ok2 && id != "" && project != "" {
		return id + "@" + project + ".iam.gserviceaccount.com"
	}
	return ""
}

// targetsOf returns what a callable resource is, as IAM targets: a gen2
// function is also the Cloud Run service behind it.
func targetsOf(res resource) []Target {
	name, _ := res.a.str("name")
	if name == "" {
		name, _ = res.a.str("service")
	}
	project, _ := res.a.str("project")
	location, _ := res.a.str("location")
	switch res.typ {
	case "google_cloud_run_v2_service", "google_cloud_run_service", "gcpinvoke_run_service":
		p, l, n := parseName(name, "services")
		return []Target{{Kind: KindRunService, Project: first(project, p), Location: first(location, l), Name: n}}
	case "google_cloudfunctions_function":
		region, _ := res.a.str("region")
		return []Target{{Kind: KindFunction, Project: project, Location: region, Name: name}}
	case "google_cloudfunctions2_function":
		out := []Target{{Kind: KindFunction, Project: project, Location: location, Name: name}}
		svc, _ := res.a.str("service_config", "service")
		if svc != "" {
			p, l, n := parseName(svc, "services")
			out = append(out, Target{Kind: KindRunService, Project: first(p, project), Location: first(l, location), Name: n})
		} else if name != "" {
			out = append(out, Target{Kind: KindRunService, Project: project, Location: location, Name: strings.ToLower(name)})
		}
		return out
	}
	return nil
}

// urlsOf returns the URLs a callable resource answers on.
func urlsOf(res resource) []string {
	var out []string
	for _, path := range [][]string{{"uri"}, {"url"}, {"https_trigger_url"}, {"service_config", "uri"}, {"status", "url"}} {
		if s, ok := res.a.str(path...); ok && s != "" {
			out = append(out, s)
		}
	}
	urls, _ := res.a.strs("urls")
	return append(out, urls...)
}

// urlServes reports whether a request to raw reaches the resource URL base:
// same root, and when base has a path (functions on cloudfunctions.net share
// a host) raw's path starts with it.
func urlServes(base, raw string) bool {
	if rootURL(base) != rootURL(raw) {
		return false
	}
	bp, rp := urlPath(base), urlPath(raw)
	if bp == "" || bp == "/" {
		return true
	}
	bp = strings.TrimSuffix(bp, "/")
	return rp == bp || strings.HasPrefix(rp, bp+"/")
}

func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// targetsByURL returns the targets of every callable resource that serves
// the URL.
func (r *resources) targetsByURL(raw string) []Target {
	var out []Target
	for _, addr := range r.order {
		res := r.byAddr[addr]
		if !isTargetType(res.typ) {
			continue
		}
		for _, u := range urlsOf(res) {
			if urlServes(u, raw) {
				out = appendTargets(out, withSource(targetsOf(res), resourceKey(addr))...)
				break
			}
		}
	}
	return out
}

func withSource(ts []Target, key string) []Target {
	for i := range ts {
		ts[i].src = key
	}
	return ts
}

func appendTargets(list []Target, ts ...Target) []Target {
	for _, t := range ts {
		dup := false
		for _, have := range list {
			if have == t {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, t)
		}
	}
	return list
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
