package emulator

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"

	run "google.golang.org/api/run/v2"
)

// Emulated public URLs. Google serves a Cloud Run service at
// https://SVC-HASH-REGIONCODE.a.run.app and https://SVC-PROJECTNUMBER.REGION.run.app,
// and a gen1 function at https://REGION-PROJECT.cloudfunctions.net/FUNCTION.
// The emulator answers the same names under the loopback .localhost TLD on
// its own port. URLs are never stored: they are computed on every response
// from the current port, so a restart on another port gives right URLs.

// runRegionCodes are the short region codes Google puts in run.app host
// names. Regions not listed get the initials of their first two words.
var runRegionCodes = map[string]string{
	"us-central1":             "uc",
	"us-east1":                "ue",
	"us-east4":                "uk",
	"us-west1":                "uw",
	"us-west2":                "wl",
	"europe-west1":            "ew",
	"europe-west2":            "nw",
	"europe-west3":            "ey",
	"europe-west4":            "ez",
	"europe-north1":           "lz",
	"asia-east1":              "de",
	"asia-northeast1":         "an",
	"asia-southeast1":         "as",
	"australia-southeast1":    "ts",
	"northamerica-northeast1": "nn",
	"southamerica-east1":      "rj",
}

func runRegionCode(region string) string {
	if c, ok := runRegionCodes[region]; ok {
		return c
	}
	parts := strings.Split(region, "-")
	code := ""
	for _, p := range parts {
		if len(code) == 2 {
			break
		}
		if p != "" {
			code += p[:1]
		}
	}
	for len(code) < 2 {
		code += "x"
	}
	return code
}

// runProjectHash is the 10-character hash Google derives from a project and
// region for run.app host names.
func runProjectHash(projectID, region string) string {
	sum := sha256.Sum256([]byte(projectID + "/" + region))
	return strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:10]
}

// runHostNames are the two host names (without port) of a service.
func runHostNames(p *Project, region, service string) [2]string {
	return [2]string{
		service + "-" + runProjectHash(p.ProjectID, region) + "-" + runRegionCode(region) + ".a.run.localhost",
		service + "-" + p.ProjectNumber + "." + region + ".run.localhost",
	}
}

// gen1FunctionHost is the host name (without port) of gen1 functions of a
// project and region.
func gen1FunctionHost(p *Project, region string) string {
	return region + "-" + p.ProjectID + ".cloudfunctions.localhost"
}

// runServiceURLs returns a service's URLs, the deterministic hash form
// first (that is the service's uri).
func (e *Emulator) runServiceURLs(st *State, svc *run.GoogleCloudRunV2Service) []string {
	n, ok := parseRunServiceName(svc.Name)
	if !ok {
		return nil
	}
	p := st.project(n.project)
	if p == nil {
		return nil
	}
	port := e.Port()
	hosts := runHostNames(p, n.location, n.id)
	return []string{"http://" + hosts[0] + ":" + port, "http://" + hosts[1] + ":" + port}
}

// runServiceForHost finds the service a Host header addresses, in either URL
// form. host may include a port.
func (e *Emulator) runServiceForHost(st *State, host string) *run.GoogleCloudRunV2Service {
	h := hostNoPort(host)
	if !strings.HasSuffix(h, ".run.localhost") {
		return nil
	}
	for _, svc := range st.RunServices {
		n, ok := parseRunServiceName(svc.Name)
		if !ok {
			continue
		}
		p := st.project(n.project)
		if p == nil {
			continue
		}
		for _, name := range runHostNames(p, n.location, n.id) {
			if name == h {
				return svc
			}
		}
	}
	return nil
}

// functionName is the resource name of a function of either generation.
func (f *Function) functionName() string {
	if f.Generation == "GEN_1" && f.V1 != nil {
		return f.V1.Name
	}
	if f.V2 != nil {
		return f.V2.Name
	}
	return ""
}

// functionURL is a function's cloudfunctions URL
// (https://REGION-PROJECT.cloudfunctions.net/FUNCTION, emulated under
// .cloudfunctions.localhost). Both generations have one: Google keeps the
// cloudfunctions.net URL for functions made with the Cloud Functions v2 API
// (it is the v2 Function's `url`; the upgrade guide for 1st gen functions
// says the 2nd gen copy "has the same cloudfunctions.net URL … and also a
// run.app Cloud Run URL"). A 2nd gen function is also served at the URLs of
// its Cloud Run service (serviceConfig.uri), see gen2RunURL.
func (e *Emulator) functionURL(st *State, f *Function) string {
	n, ok := parseFunctionName(f.functionName())
	if !ok {
		return ""
	}
	if f.Generation == "GEN_1" && (f.V1 == nil || f.V1.HttpsTrigger == nil) {
		return ""
	}
	p := st.project(n.project)
	if p == nil {
		return ""
	}
	return "http://" + gen1FunctionHost(p, n.location) + ":" + e.Port() + "/" + n.id
}

// gen2RunURL is the uri of the Cloud Run service of a 2nd gen function
// (its serviceConfig.uri, a run.app URL at Google).
func (e *Emulator) gen2RunURL(st *State, f *Function) string {
	if f.V2 == nil || f.V2.ServiceConfig == nil {
		return ""
	}
	urls := e.runServiceURLs(st, &run.GoogleCloudRunV2Service{Name: f.V2.ServiceConfig.Service})
	if len(urls) == 0 {
		return ""
	}
	return urls[0]
}

// functionForURL finds the function (either generation) a request
// addresses: host REGION-PROJECT.cloudfunctions.localhost[:PORT] and path
// /FUNCTION[/...].
func (e *Emulator) functionForURL(st *State, host, path string) *Function {
	h := hostNoPort(host)
	if !strings.HasSuffix(h, ".cloudfunctions.localhost") {
		return nil
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if id == "" {
		return nil
	}
	for _, f := range st.Functions {
		n, ok := parseFunctionName(f.functionName())
		if !ok || n.id != id {
			continue
		}
		if p := st.project(n.project); p != nil && gen1FunctionHost(p, n.location) == h {
			return f
		}
	}
	return nil
}

// hostNoPort lower-cases a host and drops its port.
func hostNoPort(host string) string {
	h := strings.ToLower(host)
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return h
}

// locatedName is a parsed projects/P/locations/L/<collection>/ID name.
type locatedName struct {
	project, location, id string
}

func parseLocatedName(name, collection string) (locatedName, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 6 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != collection {
		return locatedName{}, false
	}
	if parts[1] == "" || parts[3] == "" || parts[5] == "" {
		return locatedName{}, false
	}
	return locatedName{project: parts[1], location: parts[3], id: parts[5]}, true
}

func parseRunServiceName(name string) (locatedName, bool) { return parseLocatedName(name, "services") }

func parseFunctionName(name string) (locatedName, bool) { return parseLocatedName(name, "functions") }
