package emulator

// Cloud Resource Manager v1 projects:
//
//	GET  /v1/projects/{projectId}
//	POST /v1/projects/{projectId}:getIamPolicy | :setIamPolicy | :testIamPermissions

// projectKind is the IAM kind of a project: every predefined role the
// emulator knows (roles.go) may be granted on it.
var projectKind = &iamKind{
	name:  "cloudresourcemanager.projects",
	roles: projectGrantable,
	permissions: map[string]string{
		"resourcemanager.projects.get":          "roles/viewer",
		"resourcemanager.projects.getIamPolicy": "roles/viewer",
		"resourcemanager.projects.setIamPolicy": "roles/owner",
		"iam.serviceAccounts.create":            "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.list":              "roles/viewer",
		"run.services.getIamPolicy":             "roles/viewer",
		"run.services.setIamPolicy":             "roles/owner",
		"cloudfunctions.functions.getIamPolicy": "roles/viewer",
		"cloudfunctions.functions.setIamPolicy": "roles/owner",
		"cloudscheduler.jobs.create":            "roles/editor",
		"cloudtasks.queues.create":              "roles/editor",
		"workflows.workflows.create":            "roles/editor",
	},
	writerRole: "roles/viewer",
}

// projectCreateTime is the creation time every emulated project reports.
const projectCreateTime = "2024-01-01T00:00:00.000Z"

// crmProject is a project in Resource Manager v1's wire form (the project
// number is an int64 and so a JSON string).
type crmProject struct {
	ProjectNumber  string `json:"projectNumber"`
	ProjectID      string `json:"projectId"`
	Name           string `json:"name"`
	LifecycleState string `json:"lifecycleState"`
	CreateTime     string `json:"createTime"`
}

func init() {
	registerAPI(func(e *Emulator) {
		const item = "/v1/projects/{project}"
		e.handle("GET", item, "cloudresourcemanager.projects.get", e.crmGetProject)
		e.registerIAMMethods("cloudresourcemanager.projects", item, "POST", projectKind, e.projectPolicyName,
			func(r *request) func(st *State) error {
				return func(st *State) error {
					_, err := lookupProject(st, r.Param("project"))
					return err
				}
			})
	})
}

// lookupProject finds a project by id or number, answering a missing one
// the way Resource Manager does: 403, not 404. Call with the state locked.
func lookupProject(st *State, idOrNumber string) (*Project, error) {
	if p := st.project(idOrNumber); p != nil {
		return p, nil
	}
	return nil, errPermission("The caller does not have permission")
}

// projectPolicyName is the canonical policy resource (projects/ID) even
// when the request names the project by number.
func (e *Emulator) projectPolicyName(r *request) string {
	name := "projects/" + r.Param("project")
	_ = e.read(func(st *State) error {
		if p := st.project(r.Param("project")); p != nil {
			name = "projects/" + p.ProjectID
		}
		return nil
	})
	return name
}

func (e *Emulator) crmGetProject(r *request) (any, error) {
	var out *crmProject
	err := e.read(func(st *State) error {
		p, err := lookupProject(st, r.Param("project"))
		if err != nil {
			return err
		}
		name := p.Name
		if name == "" {
			name = p.ProjectID
		}
		out = &crmProject{
			ProjectNumber:  p.ProjectNumber,
			ProjectID:      p.ProjectID,
			Name:           name,
			LifecycleState: "ACTIVE",
			CreateTime:     projectCreateTime,
		}
		return nil
	})
	return out, err
}
