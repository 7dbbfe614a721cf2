package emulator

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	cfv1 "google.golang.org/api/cloudfunctions/v1"
	cfv2 "google.golang.org/api/cloudfunctions/v2"
	run "google.golang.org/api/run/v2"
)

// Cloud Functions v1 and v2: functions (get, list, create, delete), their
// operations and IAM policies. The v1 API sees gen1 functions only; the v2
// API sees both generations. A gen2 function runs on a Cloud Run service
// of the same (lower-cased) name, created and deleted with it; its url is
// that service's uri.

const (
	fnV1Type     = "type.googleapis.com/google.cloud.functions.v1.CloudFunction"
	fnV1MetaType = "type.googleapis.com/google.cloud.functions.v1.OperationMetadataV1"
	fnV2Type     = "type.googleapis.com/google.cloud.functions.v2.Function"
	fnV2MetaType = "type.googleapis.com/google.cloud.functions.v2.OperationMetadata"
	fnEmptyType  = "type.googleapis.com/google.protobuf.Empty"
)

// functionIAM lists the roles Cloud Functions accepts on a function (both
// API versions): roles/run.invoker is refused, as Google does.
var functionIAM = &iamKind{
	name:  "cloudfunctions.function",
	roles: functionGrantable,
	permissions: map[string]string{
		"cloudfunctions.functions.invoke":       "roles/cloudfunctions.invoker",
		"cloudfunctions.functions.call":         "roles/cloudfunctions.developer",
		"cloudfunctions.functions.get":          "roles/cloudfunctions.viewer",
		"cloudfunctions.functions.update":       "roles/cloudfunctions.developer",
		"cloudfunctions.functions.delete":       "roles/cloudfunctions.developer",
		"cloudfunctions.functions.getIamPolicy": "roles/cloudfunctions.viewer",
		"cloudfunctions.functions.setIamPolicy": "roles/cloudfunctions.admin",
	},
	writerRole: "roles/cloudfunctions.invoker",
}

var (
	functionIDRe = regexp.MustCompile(`^[A-Za-z]([-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$`)
	fnIngress    = map[string]bool{"ALLOW_ALL": true, "ALLOW_INTERNAL_ONLY": true, "ALLOW_INTERNAL_AND_GCLB": true}
	fnSecurity   = map[string]bool{"SECURE_ALWAYS": true, "SECURE_OPTIONAL": true}
	// fnRunIngress maps a function's ingress to its Cloud Run service's.
	fnRunIngress = map[string]string{
		"ALLOW_ALL":               "INGRESS_TRAFFIC_ALL",
		"ALLOW_INTERNAL_ONLY":     "INGRESS_TRAFFIC_INTERNAL_ONLY",
		"ALLOW_INTERNAL_AND_GCLB": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
	}
)

func init() {
	registerAPI(func(e *Emulator) {
		const v1 = "/v1/projects/{project}/locations/{location}/functions"
		e.handle("GET", v1, "cloudfunctions.v1.functions.list", e.fnV1List)
		e.handle("POST", v1, "cloudfunctions.v1.functions.create", e.fnV1Create)
		e.handle("GET", v1+"/{function}", "cloudfunctions.v1.functions.get", e.fnV1Get)
		e.handle("DELETE", v1+"/{function}", "cloudfunctions.v1.functions.delete", e.fnDelete(1))
		e.handle("GET", "/v1/operations/{operation}", "cloudfunctions.v1.operations.get", func(r *request) (any, error) {
			return e.getOperation("operations/" + r.Param("operation"))
		})
		e.registerIAMMethods("cloudfunctions.v1.functions", v1+"/{function}", "GET", functionIAM, e.fnResource, e.fnExists(1))

		const v2 = "/v2/projects/{project}/locations/{location}/functions"
		e.handle("GET", v2, "cloudfunctions.v2.functions.list", e.fnV2List)
		e.handle("POST", v2, "cloudfunctions.v2.functions.create", e.fnV2Create)
		e.handle("GET", v2+"/{function}", "cloudfunctions.v2.functions.get", e.fnV2Get)
		e.handle("DELETE", v2+"/{function}", "cloudfunctions.v2.functions.delete", e.fnDelete(2))
		e.registerIAMMethods("cloudfunctions.v2.functions", v2+"/{function}", "GET", functionIAM, e.fnResource, e.fnExists(2))
	})
	registerSeeder(seedFunctions)
}

// fnPermission turns a route name ("cloudfunctions.v2.functions.get") into
// the IAM permission it needs ("cloudfunctions.functions.get").
func fnPermission(method string) string {
	return strings.Replace(strings.Replace(method, ".v1.", ".", 1), ".v2.", ".", 1)
}

// fnNotFound is the 404 of each API version.
func fnNotFound(version int, name string) error {
	if version == 1 {
		n, _ := parseFunctionName(name)
		return errNotFound("Function %s in region %s in project %s does not exist", n.id, n.location, n.project)
	}
	return errNotFound("Resource '%s' was not found", name)
}

// fnLookup finds the function a request names as an API version sees it:
// v1 does not see gen2 functions.
func fnLookup(st *State, r *request, version int) (*Function, string, error) {
	_, parent, err := runLocation(st, r, fnPermission(r.method), false)
	if err != nil {
		return nil, "", err
	}
	name := parent + "/functions/" + r.Param("function")
	f, ok := st.Functions[name]
	if !ok || (version == 1 && f.Generation != "GEN_1") {
		return nil, name, fnNotFound(version, name)
	}
	return f, name, nil
}

// fnResource is the IAM resource name of the function a request names.
func (e *Emulator) fnResource(r *request) string {
	project := r.Param("project")
	_ = e.read(func(st *State) error {
		if p := st.project(project); p != nil {
			project = p.ProjectID
		}
		return nil
	})
	return "projects/" + project + "/locations/" + r.Param("location") + "/functions/" + r.Param("function")
}

func (e *Emulator) fnExists(version int) func(r *request) func(st *State) error {
	return func(r *request) func(st *State) error {
		return func(st *State) error {
			_, _, err := fnLookup(st, r, version)
			return err
		}
	}
}

// fnV1View is a gen1 function in the v1 shape, its URL computed.
func (e *Emulator) fnV1View(st *State, f *Function) *cfv1.CloudFunction {
	out := deepCopyJSON(f.V1)
	if out.HttpsTrigger != nil {
		out.HttpsTrigger.Url = e.functionURL(st, f)
	}
	return out
}

// fnV2View is a function of either generation in the v2 shape.
func (e *Emulator) fnV2View(st *State, f *Function) *cfv2.Function {
	if f.Generation == "GEN_2" {
		out := deepCopyJSON(f.V2)
		out.Url = e.functionURL(st, f)
		if out.ServiceConfig != nil {
			out.ServiceConfig.Uri = e.gen2RunURL(st, f)
		}
		return out
	}
	v1 := f.V1
	out := &cfv2.Function{
		Name:        v1.Name,
		Environment: "GEN_1",
		State:       "ACTIVE",
		Description: v1.Description,
		Labels:      v1.Labels,
		UpdateTime:  v1.UpdateTime,
		BuildConfig: &cfv2.BuildConfig{Runtime: v1.Runtime, EntryPoint: v1.EntryPoint},
		ServiceConfig: &cfv2.ServiceConfig{
			ServiceAccountEmail: v1.ServiceAccountEmail,
			IngressSettings:     v1.IngressSettings,
		},
	}
	if v1.Status != "ACTIVE" {
		out.State = "FAILED"
	}
	if v1.HttpsTrigger != nil {
		out.Url = e.functionURL(st, f)
		out.ServiceConfig.Uri = out.Url
		out.ServiceConfig.SecurityLevel = v1.HttpsTrigger.SecurityLevel
	}
	return deepCopyJSON(out)
}

func (e *Emulator) fnV1Get(r *request) (any, error) {
	var out *cfv1.CloudFunction
	err := e.read(func(st *State) error {
		f, _, err := fnLookup(st, r, 1)
		if err == nil {
			out = e.fnV1View(st, f)
		}
		return err
	})
	return out, err
}

func (e *Emulator) fnV2Get(r *request) (any, error) {
	var out *cfv2.Function
	err := e.read(func(st *State) error {
		f, _, err := fnLookup(st, r, 2)
		if err == nil {
			out = e.fnV2View(st, f)
		}
		return err
	})
	return out, err
}

// fnPage lists one page of the functions under a request's parent that an
// API version sees.
func fnPage(st *State, r *request, version int) ([]*Function, string, error) {
	_, parent, err := runLocation(st, r, fnPermission(r.method), true)
	if err != nil {
		return nil, "", err
	}
	var names []string
	for _, name := range namesInParent(st.Functions, parent, "functions") {
		if version == 2 || st.Functions[name].Generation == "GEN_1" {
			names = append(names, name)
		}
	}
	page, next, err := pageOfNames(names, r.Query("pageSize"), r.Query("pageToken"))
	if err != nil {
		return nil, "", err
	}
	out := make([]*Function, len(page))
	for i, name := range page {
		out[i] = st.Functions[name]
	}
	return out, next, nil
}

func (e *Emulator) fnV1List(r *request) (any, error) {
	resp := &cfv1.ListFunctionsResponse{}
	err := e.read(func(st *State) error {
		page, next, err := fnPage(st, r, 1)
		for _, f := range page {
			resp.Functions = append(resp.Functions, e.fnV1View(st, f))
		}
		resp.NextPageToken = next
		return err
	})
	return resp, err
}

func (e *Emulator) fnV2List(r *request) (any, error) {
	resp := &cfv2.ListFunctionsResponse{}
	err := e.read(func(st *State) error {
		page, next, err := fnPage(st, r, 2)
		for _, f := range page {
			resp.Functions = append(resp.Functions, e.fnV2View(st, f))
		}
		resp.NextPageToken = next
		return err
	})
	return resp, err
}

// fnV1Create answers POST v1/{location}/functions: the function's full
// name is in the body.
func (e *Emulator) fnV1Create(r *request) (any, error) {
	var body cfv1.CloudFunction
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	var out any
	err := e.mutate(func(st *State) error {
		p, _, err := runLocation(st, r, "cloudfunctions.functions.create", false)
		if err != nil {
			return err
		}
		n, ok := parseFunctionName(body.Name)
		if !ok {
			return errInvalid("Invalid function name %q: it must be projects/{project}/locations/{location}/functions/{function}.", body.Name)
		}
		if np := st.project(n.project); np != p || n.location != r.Param("location") {
			return errInvalid("Function name %s is not in location projects/%s/locations/%s.", body.Name, r.Param("project"), r.Param("location"))
		}
		f, err := e.fnInsertGen1(st, p, n.location, n.id, &body)
		if err != nil {
			return err
		}
		meta := map[string]any{
			"target": f.V1.Name, "type": "CREATE_FUNCTION",
			"versionId": fmt.Sprint(f.V1.VersionId), "updateTime": f.V1.UpdateTime,
		}
		out = e.newOperation(st, "", fnV1MetaType, meta, fnV1Type, e.fnV1View(st, f), nil).wire(e.now())
		return nil
	})
	return out, err
}

// fnV2Create answers POST v2/{parent}/functions?functionId=.
func (e *Emulator) fnV2Create(r *request) (any, error) {
	var body cfv2.Function
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	var out any
	err := e.mutate(func(st *State) error {
		p, parent, err := runLocation(st, r, "cloudfunctions.functions.create", false)
		if err != nil {
			return err
		}
		id := r.Query("functionId")
		var f *Function
		switch body.Environment {
		case "", "ENVIRONMENT_UNSPECIFIED", "GEN_2":
			f, err = e.fnInsertGen2(st, p, r.Param("location"), id, &body)
		case "GEN_1":
			f, err = e.fnInsertGen1(st, p, r.Param("location"), id, fnV1FromV2(&body))
		default:
			err = errInvalid("Invalid value at 'function.environment' (type.googleapis.com/google.cloud.functions.v2.Environment), %q", body.Environment)
		}
		if err != nil {
			return err
		}
		view := e.fnV2View(st, f)
		meta := map[string]any{"target": view.Name, "verb": "create", "apiVersion": "v2", "createTime": e.now().UTC().Format(time.RFC3339Nano)}
		out = e.newOperation(st, parent, fnV2MetaType, meta, fnV2Type, view, nil).wire(e.now())
		return nil
	})
	return out, err
}

// fnV1FromV2 is the gen1 form of a v2 create request with environment GEN_1.
func fnV1FromV2(in *cfv2.Function) *cfv1.CloudFunction {
	out := &cfv1.CloudFunction{Description: in.Description, Labels: in.Labels, HttpsTrigger: &cfv1.HttpsTrigger{}}
	if in.BuildConfig != nil {
		out.Runtime, out.EntryPoint = in.BuildConfig.Runtime, in.BuildConfig.EntryPoint
	}
	if sc := in.ServiceConfig; sc != nil {
		out.ServiceAccountEmail, out.IngressSettings = sc.ServiceAccountEmail, sc.IngressSettings
		out.HttpsTrigger.SecurityLevel = sc.SecurityLevel
	}
	return out
}

// fnCheckNew validates a new function's id and that its name is free.
func fnCheckNew(st *State, p *Project, location, id string) (string, error) {
	if id == "" {
		return "", errInvalid("Function id must be set.")
	}
	if !functionIDRe.MatchString(id) {
		return "", errInvalid("Invalid function id %q: it must start with a letter, end with a letter or digit, contain only letters, digits, hyphens and underscores, and be at most 63 characters.", id)
	}
	if !runLocationRe.MatchString(location) {
		return "", errInvalid("Location '%s' is not a valid location.", location)
	}
	name := "projects/" + p.ProjectID + "/locations/" + location + "/functions/" + id
	if _, ok := st.Functions[name]; ok {
		return "", errAlreadyExists("Function %s in region %s in project %s already exists", id, location, p.ProjectID)
	}
	return name, nil
}

// fnInsertGen1 validates and stores a new gen1 function.
func (e *Emulator) fnInsertGen1(st *State, p *Project, location, id string, in *cfv1.CloudFunction) (*Function, error) {
	name, err := fnCheckNew(st, p, location, id)
	if err != nil {
		return nil, err
	}
	v1 := deepCopyJSON(in)
	v1.Name = name
	v1.Status = "ACTIVE"
	v1.VersionId = 1
	v1.UpdateTime = e.now().UTC().Format(time.RFC3339Nano)
	if v1.IngressSettings == "" || v1.IngressSettings == "INGRESS_SETTINGS_UNSPECIFIED" {
		v1.IngressSettings = "ALLOW_ALL"
	}
	if !fnIngress[v1.IngressSettings] {
		return nil, errInvalid("Invalid value at 'function.ingress_settings', %q", v1.IngressSettings)
	}
	if v1.ServiceAccountEmail == "" {
		v1.ServiceAccountEmail = p.ProjectID + "@appspot.gserviceaccount.com"
	}
	if v1.HttpsTrigger == nil && v1.EventTrigger == nil {
		v1.HttpsTrigger = &cfv1.HttpsTrigger{}
	}
	if t := v1.HttpsTrigger; t != nil {
		t.Url = ""
		if t.SecurityLevel == "" || t.SecurityLevel == "SECURITY_LEVEL_UNSPECIFIED" {
			t.SecurityLevel = "SECURE_OPTIONAL"
		}
		if !fnSecurity[t.SecurityLevel] {
			return nil, errInvalid("Invalid value at 'function.https_trigger.security_level', %q", t.SecurityLevel)
		}
	}
	f := &Function{Generation: "GEN_1", V1: v1}
	st.Functions[name] = f
	return f, nil
}

// fnInsertGen2 validates and stores a new gen2 function and creates its
// Cloud Run service.
func (e *Emulator) fnInsertGen2(st *State, p *Project, location, id string, in *cfv2.Function) (*Function, error) {
	name, err := fnCheckNew(st, p, location, id)
	if err != nil {
		return nil, err
	}
	v2 := deepCopyJSON(in)
	now := e.now().UTC().Format(time.RFC3339Nano)
	v2.Name, v2.Environment, v2.State = name, "GEN_2", "ACTIVE"
	v2.CreateTime, v2.UpdateTime, v2.Url = now, now, ""
	if v2.ServiceConfig == nil {
		v2.ServiceConfig = &cfv2.ServiceConfig{}
	}
	sc := v2.ServiceConfig
	if sc.IngressSettings == "" || sc.IngressSettings == "INGRESS_SETTINGS_UNSPECIFIED" {
		sc.IngressSettings = "ALLOW_ALL"
	}
	if !fnIngress[sc.IngressSettings] {
		return nil, errInvalid("Invalid value at 'function.service_config.ingress_settings', %q", sc.IngressSettings)
	}
	if sc.SecurityLevel == "" || sc.SecurityLevel == "SECURITY_LEVEL_UNSPECIFIED" {
		sc.SecurityLevel = "SECURE_ALWAYS"
	}
	if sc.ServiceAccountEmail == "" {
		sc.ServiceAccountEmail = p.ProjectNumber + "-compute@developer.gserviceaccount.com"
	}
	svcID := strings.ReplaceAll(strings.ToLower(id), "_", "-")
	svcName := "projects/" + p.ProjectID + "/locations/" + location + "/services/" + svcID
	if _, ok := st.RunServices[svcName]; ok {
		return nil, errAlreadyExists("Could not create Cloud Run service %s: a service with that name already exists.", svcID)
	}
	svc, err := e.runInsertService(st, p, location, svcID, &run.GoogleCloudRunV2Service{
		Ingress:  fnRunIngress[sc.IngressSettings],
		Labels:   map[string]string{"goog-managed-by": "cloudfunctions"},
		Template: &run.GoogleCloudRunV2RevisionTemplate{ServiceAccount: sc.ServiceAccountEmail},
	})
	if err != nil {
		return nil, err
	}
	sc.Service, sc.Uri = svcName, ""
	sc.Revision = path.Base(svc.LatestReadyRevision)
	sc.AllTrafficOnLatestRevision = true
	f := &Function{Generation: "GEN_2", V2: v2}
	st.Functions[name] = f
	return f, nil
}

// fnDelete answers functions.delete of an API version; deleting a gen2
// function deletes its Cloud Run service too.
func (e *Emulator) fnDelete(version int) handlerFunc {
	return func(r *request) (any, error) {
		var out any
		err := e.mutate(func(st *State) error {
			f, name, err := fnLookup(st, r, version)
			if err != nil {
				return err
			}
			delete(st.Functions, name)
			delete(st.Policies, name)
			if f.Generation == "GEN_2" && f.V2.ServiceConfig != nil {
				delete(st.RunServices, f.V2.ServiceConfig.Service)
				delete(st.Policies, f.V2.ServiceConfig.Service)
			}
			if version == 1 {
				meta := map[string]any{"target": name, "type": "DELETE_FUNCTION", "updateTime": e.now().UTC().Format(time.RFC3339Nano)}
				out = e.newOperation(st, "", fnV1MetaType, meta, fnEmptyType, nil, nil).wire(e.now())
				return nil
			}
			n, _ := parseFunctionName(name)
			meta := map[string]any{"target": name, "verb": "delete", "apiVersion": "v2", "createTime": e.now().UTC().Format(time.RFC3339Nano)}
			out = e.newOperation(st, "projects/"+n.project+"/locations/"+n.location, fnV2MetaType, meta, fnEmptyType, nil, nil).wire(e.now())
			return nil
		})
		return out, err
	}
}

// seedFunctions adds the seed's functions (a GEN_2 one with its service).
func seedFunctions(e *Emulator, st *State, s *Seed) error {
	for _, sf := range s.Functions {
		p := st.project(sf.Project)
		if p == nil {
			return fmt.Errorf("function %s: project %q is not declared", sf.Name, sf.Project)
		}
		var err error
		switch sf.Generation {
		case "", "GEN_1":
			_, err = e.fnInsertGen1(st, p, sf.Location, sf.Name, &cfv1.CloudFunction{Runtime: "nodejs20", EntryPoint: "handler"})
		case "GEN_2":
			_, err = e.fnInsertGen2(st, p, sf.Location, sf.Name, &cfv2.Function{BuildConfig: &cfv2.BuildConfig{Runtime: "nodejs20", EntryPoint: "handler"}})
		default:
			err = fmt.Errorf("generation %q must be GEN_1 or GEN_2", sf.Generation)
		}
		if err != nil {
			return fmt.Errorf("function %s: %w", sf.Name, err)
		}
	}
	return nil
}
