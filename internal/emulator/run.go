package emulator

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	run "google.golang.org/api/run/v2"
)

// Cloud Run Admin API v2: services (get, list, create, patch, delete), their
// long-running operations and their IAM policies.

const runServiceType = "type.googleapis.com/google.cloud.run.v2.Service"

// runServiceIAM lists the roles Cloud Run accepts on a service.
var runServiceIAM = &iamKind{
	name:  "run.service",
	roles: runServiceGrantable,
	permissions: map[string]string{
		"run.routes.invoke":              "roles/run.invoker",
		"run.services.get":               "roles/run.viewer",
		"run.services.update":            "roles/run.developer",
		"run.services.delete":            "roles/run.developer",
		"run.services.getIamPolicy":      "roles/run.viewer",
		"run.services.setIamPolicy":      "roles/run.admin",
		"run.services.listEffectiveTags": "roles/run.viewer",
	},
	writerRole: "roles/run.invoker",
}

var (
	runServiceIDRe = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$`)
	runLocationRe  = regexp.MustCompile(`^[a-z]+(-[a-z]+)*[0-9]+$`)
	runIngress     = map[string]bool{
		"INGRESS_TRAFFIC_ALL": true, "INGRESS_TRAFFIC_INTERNAL_ONLY": true,
		"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER": true, "INGRESS_TRAFFIC_NONE": true,
	}
)

func init() {
	registerAPI(func(e *Emulator) {
		const services = "/v2/projects/{project}/locations/{location}/services"
		e.handle("GET", services, "run.services.list", e.runListServices)
		e.handle("POST", services, "run.services.create", e.runCreateService)
		e.handle("GET", services+"/{service}", "run.services.get", e.runGetService)
		e.handle("PATCH", services+"/{service}", "run.services.patch", e.runPatchService)
		e.handle("DELETE", services+"/{service}", "run.services.delete", e.runDeleteService)
		// Cloud Functions v2 operations live under the same path; both
		// APIs' operations are answered (and counted) here.
		const ops = "/v2/projects/{project}/locations/{location}/operations/{operation}"
		e.handle("GET", ops, "run.operations.get", e.runGetOperation)
		e.handle("POST", ops+":wait", "run.operations.wait", e.runWaitOperation)
		e.registerIAMMethods("run.services", services+"/{service}", "GET", runServiceIAM, e.runServiceResource, e.runServiceExists)
	})
	registerSeeder(seedRunServices)
}

// runLocation resolves the project of a request (403 when unknown) and
// checks the location; it returns the canonical parent name.
func runLocation(st *State, r *request, permission string, allowWildcard bool) (*Project, string, error) {
	p, err := st.requireProject(r.Param("project"), permission)
	if err != nil {
		return nil, "", err
	}
	loc := r.Param("location")
	if !(allowWildcard && loc == "-") && !runLocationRe.MatchString(loc) {
		return nil, "", errInvalid("Location '%s' is not a valid location.", loc)
	}
	return p, "projects/" + p.ProjectID + "/locations/" + loc, nil
}

// runServiceLookup finds the service a request names, with Google's 403
// for an unknown project and 404 for an unknown service.
func runServiceLookup(st *State, r *request, permission string) (*run.GoogleCloudRunV2Service, string, error) {
	_, parent, err := runLocation(st, r, permission, false)
	if err != nil {
		return nil, "", err
	}
	name := parent + "/services/" + r.Param("service")
	svc, ok := st.RunServices[name]
	if !ok {
		return nil, name, runServiceNotFound(name)
	}
	return svc, name, nil
}

func runServiceNotFound(name string) error {
	n, _ := parseRunServiceName(name)
	return errNotFound("Resource '%s' of kind 'SERVICE' in region '%s' in project '%s' does not exist.", n.id, n.location, n.project)
}

// runServiceResource is the IAM resource name of the service a request
// names (project numbers resolved to ids).
func (e *Emulator) runServiceResource(r *request) string {
	project := r.Param("project")
	_ = e.read(func(st *State) error {
		if p := st.project(project); p != nil {
			project = p.ProjectID
		}
		return nil
	})
	return "projects/" + project + "/locations/" + r.Param("location") + "/services/" + r.Param("service")
}

func (e *Emulator) runServiceExists(r *request) func(st *State) error {
	return func(st *State) error {
		_, _, err := runServiceLookup(st, r, r.method)
		return err
	}
}

// runServiceView is a service as returned to a client: a deep copy with
// its URLs computed from the emulator's current port.
func (e *Emulator) runServiceView(st *State, svc *run.GoogleCloudRunV2Service) *run.GoogleCloudRunV2Service {
	out := deepCopyJSON(svc)
	if urls := e.runServiceURLs(st, svc); len(urls) > 0 && !out.DefaultUriDisabled {
		out.Uri, out.Urls = urls[0], urls
	}
	return out
}

func (e *Emulator) runGetService(r *request) (any, error) {
	return readOne(e, func(st *State) (*run.GoogleCloudRunV2Service, error) {
		svc, _, err := runServiceLookup(st, r, "run.services.get")
		if err != nil {
			return nil, err
		}
		return e.runServiceView(st, svc), nil
	})
}

func (e *Emulator) runListServices(r *request) (any, error) {
	resp := &run.GoogleCloudRunV2ListServicesResponse{}
	err := e.read(func(st *State) error {
		_, parent, err := runLocation(st, r, "run.services.list", true)
		if err != nil {
			return err
		}
		names := namesInParent(st.RunServices, parent, "services")
		page, next, err := pageOfNames(names, r.Query("pageSize"), r.Query("pageToken"))
		if err != nil {
			return err
		}
		for _, name := range page {
			resp.Services = append(resp.Services, e.runServiceView(st, st.RunServices[name]))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (e *Emulator) runCreateService(r *request) (any, error) {
	var body run.GoogleCloudRunV2Service
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	var out any
	err := e.mutate(func(st *State) error {
		p, parent, err := runLocation(st, r, "run.services.create", false)
		if err != nil {
			return err
		}
		svc, err := e.runInsertService(st, p, r.Param("location"), r.Query("serviceId"), &body)
		if err != nil {
			return err
		}
		view := e.runServiceView(st, svc)
		out = e.newOperation(st, parent, runServiceType, view, runServiceType, view, nil).wire(e.now())
		return nil
	})
	return out, err
}

// runInsertService validates and stores a new service; in carries the
// caller's fields (output-only ones are replaced).
func (e *Emulator) runInsertService(st *State, p *Project, location, id string, in *run.GoogleCloudRunV2Service) (*run.GoogleCloudRunV2Service, error) {
	if id == "" {
		return nil, errInvalid("service_id must be set: the request URL needs ?serviceId=.")
	}
	if !runServiceIDRe.MatchString(id) {
		return nil, errInvalid("Invalid value specified for service_id %q: it must be at most 49 characters, start with a lowercase letter, contain only lowercase letters, digits and hyphens, and not end with a hyphen.", id)
	}
	if !runLocationRe.MatchString(location) {
		return nil, errInvalid("Location '%s' is not a valid location.", location)
	}
	name := "projects/" + p.ProjectID + "/locations/" + location + "/services/" + id
	if _, ok := st.RunServices[name]; ok {
		return nil, errAlreadyExists("Resource '%s' already exists.", id)
	}
	svc := deepCopyJSON(in)
	if svc.Ingress == "" || svc.Ingress == "INGRESS_TRAFFIC_UNSPECIFIED" {
		svc.Ingress = "INGRESS_TRAFFIC_ALL"
	}
	if !runIngress[svc.Ingress] {
		return nil, errInvalid("Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), %q", svc.Ingress)
	}
	now := e.now().UTC().Format(time.RFC3339Nano)
	svc.Name = name
	svc.Uid = runUID(st.nextSeq(), name)
	svc.CreateTime = now
	svc.Generation = 0
	if svc.LaunchStage == "" {
		svc.LaunchStage = "GA"
	}
	if svc.Template == nil {
		svc.Template = &run.GoogleCloudRunV2RevisionTemplate{}
	}
	if len(svc.Template.Containers) == 0 {
		svc.Template.Containers = []*run.GoogleCloudRunV2Container{{Image: "us-docker.pkg.dev/cloudrun/container/hello"}}
	}
	if svc.Template.ServiceAccount == "" {
		svc.Template.ServiceAccount = p.ProjectNumber + "-compute@developer.gserviceaccount.com"
	}
	e.runNewRevision(st, svc, now)
	st.RunServices[name] = svc
	return svc, nil
}

// runNewRevision bumps a service's generation and marks its new revision
// ready and serving all traffic.
func (e *Emulator) runNewRevision(st *State, svc *run.GoogleCloudRunV2Service, now string) {
	n, _ := parseRunServiceName(svc.Name)
	svc.Generation++
	svc.ObservedGeneration = svc.Generation
	svc.UpdateTime = now
	svc.Etag = `"` + strings.TrimRight(st.newEtag(), "=") + `"`
	svc.Reconciling = false
	sum := sha256.Sum256([]byte(svc.Uid + strconv.FormatInt(svc.Generation, 10)))
	suffix := strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:3]
	revName := fmt.Sprintf("%s/revisions/%s-%05d-%s", svc.Name, n.id, svc.Generation, suffix)
	svc.LatestCreatedRevision, svc.LatestReadyRevision = revName, revName
	if len(svc.Traffic) == 0 {
		svc.Traffic = []*run.GoogleCloudRunV2TrafficTarget{{Type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", Percent: 100}}
	}
	svc.TrafficStatuses = nil
	for _, t := range svc.Traffic {
		svc.TrafficStatuses = append(svc.TrafficStatuses, &run.GoogleCloudRunV2TrafficTargetStatus{Type: t.Type, Percent: t.Percent, Revision: t.Revision, Tag: t.Tag})
	}
	ready := func(typ string) *run.GoogleCloudRunV2Condition {
		return &run.GoogleCloudRunV2Condition{Type: typ, State: "CONDITION_SUCCEEDED", LastTransitionTime: now}
	}
	svc.TerminalCondition = ready("Ready")
	svc.Conditions = []*run.GoogleCloudRunV2Condition{ready("RoutesReady"), ready("ConfigurationsReady")}
}

// runUID is a stable UUID-shaped id.
func runUID(seq int64, name string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d/%s", seq, name)))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// runOutputOnly are service fields a client cannot set.
var runOutputOnly = map[string]bool{
	"name": true, "uid": true, "generation": true, "createTime": true, "updateTime": true,
	"deleteTime": true, "expireTime": true, "creator": true, "lastModifier": true,
	"observedGeneration": true, "terminalCondition": true, "conditions": true,
	"latestReadyRevision": true, "latestCreatedRevision": true, "trafficStatuses": true,
	"uri": true, "urls": true, "reconciling": true, "etag": true, "satisfiesPzs": true,
}

func (e *Emulator) runPatchService(r *request) (any, error) {
	var body run.GoogleCloudRunV2Service
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	allowMissing := r.Query("allowMissing") == "true"
	var out any
	err := e.mutate(func(st *State) error {
		p, parent, err := runLocation(st, r, "run.services.update", false)
		if err != nil {
			return err
		}
		name := parent + "/services/" + r.Param("service")
		cur, ok := st.RunServices[name]
		if !ok {
			if !allowMissing {
				return runServiceNotFound(name)
			}
			svc, err := e.runInsertService(st, p, r.Param("location"), r.Param("service"), &body)
			if err != nil {
				return err
			}
			view := e.runServiceView(st, svc)
			out = e.newOperation(st, parent, runServiceType, view, runServiceType, view, nil).wire(e.now())
			return nil
		}
		if body.Etag != "" && body.Etag != cur.Etag {
			return errAborted("The etag of service %s does not match: the service was changed since it was read.", name)
		}
		updated, err := applyUpdateMask(cur, &body, r.Query("updateMask"), runOutputOnly)
		if err != nil {
			return err
		}
		if updated.Ingress == "" || updated.Ingress == "INGRESS_TRAFFIC_UNSPECIFIED" {
			updated.Ingress = "INGRESS_TRAFFIC_ALL"
		}
		if !runIngress[updated.Ingress] {
			return errInvalid("Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), %q", updated.Ingress)
		}
		if updated.Template == nil {
			updated.Template = cur.Template
		}
		e.runNewRevision(st, updated, e.now().UTC().Format(time.RFC3339Nano))
		st.RunServices[name] = updated
		view := e.runServiceView(st, updated)
		out = e.newOperation(st, parent, runServiceType, view, runServiceType, view, nil).wire(e.now())
		return nil
	})
	return out, err
}

func (e *Emulator) runDeleteService(r *request) (any, error) {
	var out any
	err := e.mutate(func(st *State) error {
		svc, name, err := runServiceLookup(st, r, "run.services.delete")
		if err != nil {
			return err
		}
		if etag := r.Query("etag"); etag != "" && etag != svc.Etag {
			return errAborted("The etag of service %s does not match: the service was changed since it was read.", name)
		}
		view := e.runServiceView(st, svc)
		view.DeleteTime = e.now().UTC().Format(time.RFC3339Nano)
		delete(st.RunServices, name)
		delete(st.Policies, name)
		n, _ := parseRunServiceName(name)
		out = e.newOperation(st, "projects/"+n.project+"/locations/"+n.location, runServiceType, view, runServiceType, view, nil).wire(e.now())
		return nil
	})
	return out, err
}

// runOperationName is the operation a request names, the project resolved
// to its id.
func (e *Emulator) runOperationName(r *request) (string, error) {
	var name string
	err := e.read(func(st *State) error {
		_, parent, err := runLocation(st, r, "run.operations.get", false)
		name = parent + "/operations/" + r.Param("operation")
		return err
	})
	return name, err
}

func (e *Emulator) runGetOperation(r *request) (any, error) {
	name, err := e.runOperationName(r)
	if err != nil {
		return nil, err
	}
	return e.getOperation(name)
}

// runWaitOperation answers operations.wait: it returns once the operation
// is done or the requested timeout (default and cap 60s) has passed.
func (e *Emulator) runWaitOperation(r *request) (any, error) {
	var body run.GoogleLongrunningWaitOperationRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	timeout := 60 * time.Second
	if body.Timeout != "" {
		d, err := time.ParseDuration(body.Timeout)
		if err != nil || d < 0 {
			return nil, errInvalid("Invalid value at 'timeout' (type.googleapis.com/google.protobuf.Duration), %q", body.Timeout)
		}
		timeout = min(d, timeout)
	}
	name, err := e.runOperationName(r)
	if err != nil {
		return nil, err
	}
	var doneAt time.Time
	if err := e.read(func(st *State) error {
		op, ok := st.Operations[name]
		if !ok {
			return errNotFound("Operation %s not found.", name)
		}
		doneAt = op.DoneAt
		return nil
	}); err != nil {
		return nil, err
	}
	if wait := min(doneAt.Sub(e.now()), timeout); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
		case <-e.done:
		}
	}
	return e.getOperation(name)
}

// seedRunServices adds the seed's Cloud Run services.
func seedRunServices(e *Emulator, st *State, s *Seed) error {
	for _, rs := range s.RunServices {
		p := st.project(rs.Project)
		if p == nil {
			return fmt.Errorf("run service %s: project %q is not declared", rs.Name, rs.Project)
		}
		in := &run.GoogleCloudRunV2Service{
			Ingress:            rs.Ingress,
			InvokerIamDisabled: rs.InvokerIAMDisabled,
			CustomAudiences:    rs.CustomAudiences,
		}
		if rs.ServiceAccount != "" {
			in.Template = &run.GoogleCloudRunV2RevisionTemplate{ServiceAccount: rs.ServiceAccount}
		}
		if _, err := e.runInsertService(st, p, rs.Location, rs.Name, in); err != nil {
			return fmt.Errorf("run service %s: %w", rs.Name, err)
		}
	}
	return nil
}

// deepCopyJSON copies a google.golang.org/api value through its JSON form,
// so what a handler returns shares nothing with the stored state.
func deepCopyJSON[T any](v *T) *T {
	out := new(T)
	if v == nil {
		return out
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emulator: copying %T: %v", v, err))
	}
	if err := json.Unmarshal(data, out); err != nil {
		panic(fmt.Sprintf("emulator: copying %T: %v", v, err))
	}
	return out
}

// applyUpdateMask returns a copy of cur with the fields named by mask (comma
// separated, camelCase or snake_case, dotted for nested fields) taken from
// in. An empty mask replaces every field the client may set.
func applyUpdateMask[T any](cur, in *T, mask string, outputOnly map[string]bool) (*T, error) {
	curMap, inMap := map[string]any{}, map[string]any{}
	for _, pair := range []struct {
		v any
		m *map[string]any
	}{{cur, &curMap}, {in, &inMap}} {
		data, err := json.Marshal(pair.v)
		if err != nil {
			return nil, errInvalid("Invalid resource: %v", err)
		}
		if err := json.Unmarshal(data, pair.m); err != nil {
			return nil, errInvalid("Invalid resource: %v", err)
		}
	}
	var paths [][]string
	if strings.TrimSpace(mask) == "" {
		keys := map[string]bool{}
		for k := range curMap {
			keys[k] = true
		}
		for k := range inMap {
			keys[k] = true
		}
		for k := range keys {
			if !outputOnly[k] {
				paths = append(paths, []string{k})
			}
		}
	} else {
		for _, p := range strings.Split(mask, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			parts := strings.Split(p, ".")
			for i := range parts {
				parts[i] = maskFieldCamel(parts[i])
			}
			if outputOnly[parts[0]] {
				return nil, errInvalid("Invalid update mask: field %q is output only.", p)
			}
			paths = append(paths, parts)
		}
	}
	for _, path := range paths {
		maskCopyPath(curMap, inMap, path)
	}
	data, err := json.Marshal(curMap)
	if err != nil {
		return nil, errInvalid("Invalid resource: %v", err)
	}
	out := new(T)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, errInvalid("Invalid update mask: %v", err)
	}
	return out, nil
}

// maskCopyPath copies the value at path from src into dst, deleting it from dst
// when src does not have it.
func maskCopyPath(dst, src map[string]any, path []string) {
	for len(path) > 1 {
		next, _ := src[path[0]].(map[string]any)
		if next == nil {
			next = map[string]any{}
		}
		d, _ := dst[path[0]].(map[string]any)
		if d == nil {
			d = map[string]any{}
			dst[path[0]] = d
		}
		dst, src, path = d, next, path[1:]
	}
	if v, ok := src[path[0]]; ok {
		dst[path[0]] = v
	} else {
		delete(dst, path[0])
	}
}

func maskFieldCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// namesInParent lists the keys of m that are children of parent in
// collection; location "-" in parent matches every location.
func namesInParent[V any](m map[string]V, parent, collection string) []string {
	var names []string
	all := strings.HasSuffix(parent, "/locations/-")
	for name := range m {
		if all {
			n, ok := parseLocatedName(name, collection)
			if ok && strings.HasPrefix(parent, "projects/"+n.project+"/") {
				names = append(names, name)
			}
		} else if strings.HasPrefix(name, parent+"/"+collection+"/") {
			names = append(names, name)
		}
	}
	return names
}

// pageOfNames sorts names and returns one page of them plus the token of
// the next page. The token is the last name returned, encoded.
func pageOfNames(names []string, pageSize, pageToken string) ([]string, string, error) {
	sort.Strings(names)
	size := 100
	if pageSize != "" {
		n, err := strconv.Atoi(pageSize)
		if err != nil || n < 0 {
			return nil, "", errInvalid("Invalid value at 'page_size' (TYPE_INT32), %q", pageSize)
		}
		if n > 0 {
			size = min(n, 1000)
		}
	}
	start := 0
	if pageToken != "" {
		after, err := base64.RawURLEncoding.DecodeString(pageToken)
		if err != nil {
			return nil, "", errInvalid("Invalid page token %q.", pageToken)
		}
		start = sort.SearchStrings(names, string(after))
		if start < len(names) && names[start] == string(after) {
			start++
		}
	}
	end := min(start+size, len(names))
	page := names[start:end]
	next := ""
	if end < len(names) {
		next = base64.RawURLEncoding.EncodeToString([]byte(names[end-1]))
	}
	return page, next, nil
}
