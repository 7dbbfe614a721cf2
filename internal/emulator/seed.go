package emulator

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"

	iam "google.golang.org/api/iam/v1"
)

// Seed declares what exists when the emulator starts without a state file.
//
//	{
//	  "projects": [{"projectId": "demo-project", "projectNumber": "123456789012"}],
//	  "serviceAccounts": [{"project": "demo-project", "accountId": "invoker"}],
//	  "runServices": [{"project": "demo-project", "location": "us-central1", "name": "hello"}],
//	  "functions": [{"project": "demo-project", "location": "us-central1", "name": "fn", "generation": "GEN_2"}],
//	  "nonexistentPrincipals": ["user:ghost@example.com", "deleted:group:old-team@example.com?uid=1234567"]
//	}
type Seed struct {
	Projects        []SeedProject        `json:"projects"`
	ServiceAccounts []SeedServiceAccount `json:"serviceAccounts,omitempty"`
	RunServices     []SeedRunService     `json:"runServices,omitempty"`
	Functions       []SeedFunction       `json:"functions,omitempty"`
	// NonexistentPrincipals are principals setIamPolicy refuses with
	// Google's 400 "User x does not exist." (and Group / Service account):
	// "user:EMAIL", "group:EMAIL", "serviceAccount:EMAIL" for ones that never
	// existed, "deleted:KIND:EMAIL?uid=NUMBER" for deleted ones (their live
	// form is refused, the deleted: form accepted). See principals.go.
	NonexistentPrincipals []string `json:"nonexistentPrincipals,omitempty"`
}

// SeedProject is a project. WithoutServiceAgentGrants leaves out the
// project-level roles Google grants the Scheduler/Tasks service agents when
// their API is enabled.
type SeedProject struct {
	ProjectID                 string `json:"projectId"`
	ProjectNumber             string `json:"projectNumber"`
	WithoutServiceAgentGrants bool   `json:"withoutServiceAgentGrants,omitempty"`
	// Bindings are extra roles on the project's policy, e.g. the
	// roles/compute.* role an account needs before its OAuth calls to
	// compute.googleapis.com are let through (googleapis.go).
	Bindings []SeedBinding `json:"bindings,omitempty"`
}

// SeedBinding grants a role on a project to members.
type SeedBinding struct {
	Role    string   `json:"role"`
	Members []string `json:"members"`
}

// SeedServiceAccount is a service account that exists from the start.
type SeedServiceAccount struct {
	Project     string `json:"project"`
	AccountID   string `json:"accountId"`
	DisplayName string `json:"displayName,omitempty"`
}

// SeedRunService is a Cloud Run service.
type SeedRunService struct {
	Project            string   `json:"project"`
	Location           string   `json:"location"`
	Name               string   `json:"name"`
	Ingress            string   `json:"ingress,omitempty"`
	InvokerIAMDisabled bool     `json:"invokerIamDisabled,omitempty"`
	CustomAudiences    []string `json:"customAudiences,omitempty"`
	ServiceAccount     string   `json:"serviceAccount,omitempty"`
}

// SeedFunction is a Cloud Function; a GEN_2 function also gets its Cloud Run
// service, named like the function.
type SeedFunction struct {
	Project    string `json:"project"`
	Location   string `json:"location"`
	Name       string `json:"name"`
	Generation string `json:"generation"` // GEN_1 (default) or GEN_2
}

// DefaultSeed is what the emulator holds without a seed file: project
// demo-project (number 123456789012) with a Cloud Run service "hello", a
// gen2 function "hello-fn" and a gen1 function "legacy-fn" in us-central1.
func DefaultSeed() *Seed {
	return &Seed{
		Projects:    []SeedProject{{ProjectID: "demo-project", ProjectNumber: "123456789012"}},
		RunServices: []SeedRunService{{Project: "demo-project", Location: "us-central1", Name: "hello"}},
		Functions: []SeedFunction{
			{Project: "demo-project", Location: "us-central1", Name: "hello-fn", Generation: "GEN_2"},
			{Project: "demo-project", Location: "us-central1", Name: "legacy-fn", Generation: "GEN_1"},
		},
	}
}

// LoadSeed reads a seed file.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seed: %w", err)
	}
	s, err := ParseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

var (
	projectIDRe = regexp.MustCompile(`^[a-z][-a-z0-9]{4,28}[a-z0-9]$`)
	accountIDRe = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])$`)
)

// seeders add seeded resources of other APIs (Run services, functions).
var seeders []func(e *Emulator, st *State, s *Seed) error

func registerSeeder(f func(e *Emulator, st *State, s *Seed) error) { seeders = append(seeders, f) }

func (e *Emulator) applySeed(st *State, s *Seed) error {
	if len(s.Projects) == 0 {
		return fmt.Errorf("seed declares no project")
	}
	for _, p := range s.Projects {
		if !projectIDRe.MatchString(p.ProjectID) {
			return fmt.Errorf("seed: project id %q is not a valid project id", p.ProjectID)
		}
		if _, err := strconv.ParseUint(p.ProjectNumber, 10, 64); err != nil {
			return fmt.Errorf("seed: project %s: projectNumber %q must be digits", p.ProjectID, p.ProjectNumber)
		}
		st.addProject(&Project{ProjectID: p.ProjectID, ProjectNumber: p.ProjectNumber, Name: p.ProjectID, WithoutServiceAgentGrants: p.WithoutServiceAgentGrants})
		pol := st.Policies["projects/"+p.ProjectID]
		for _, b := range p.Bindings {
			if !projectKind.roleSupported(b.Role) || len(b.Members) == 0 {
				return fmt.Errorf("seed: project %s: binding %q: want a role the emulator knows and at least one member", p.ProjectID, b.Role)
			}
			pol.Bindings = append(pol.Bindings, &Binding{Role: b.Role, Members: append([]string(nil), b.Members...)})
		}
	}
	for _, sa := range s.ServiceAccounts {
		if _, err := st.createServiceAccount(sa.Project, sa.AccountID, sa.DisplayName, "", time.Time{}); err != nil {
			return fmt.Errorf("seed: %v", err)
		}
	}
	for _, f := range seeders {
		if err := f(e, st, s); err != nil {
			return fmt.Errorf("seed: %v", err)
		}
	}
	return nil
}

// addProject stores a project and its IAM policy, granting the service
// agents their project-level roles unless the project opts out.
func (st *State) addProject(p *Project) {
	st.Projects[p.ProjectID] = p
	pol := &Policy{Version: 1}
	pol.Bindings = append(pol.Bindings, &Binding{Role: "roles/owner", Members: []string{"user:owner@example.com"}})
	if !p.WithoutServiceAgentGrants {
		pol.Bindings = append(pol.Bindings,
			&Binding{Role: "roles/cloudscheduler.serviceAgent", Members: []string{"serviceAccount:" + serviceAgentEmail(p.ProjectNumber, "cloudscheduler")}},
			&Binding{Role: "roles/cloudtasks.serviceAgent", Members: []string{"serviceAccount:" + serviceAgentEmail(p.ProjectNumber, "cloudtasks")}},
			&Binding{Role: "roles/workflows.serviceAgent", Members: []string{"serviceAccount:" + serviceAgentEmail(p.ProjectNumber, "workflows")}},
		)
	}
	pol.Etag = st.newEtag()
	st.Policies["projects/"+p.ProjectID] = pol
}

// serviceAgentEmail is the Google-managed service agent of an API.
func serviceAgentEmail(projectNumber, agent string) string {
	return fmt.Sprintf("service-%s@gcp-sa-%s.iam.gserviceaccount.com", projectNumber, agent)
}

// project finds a project by id or number.
func (st *State) project(idOrNumber string) *Project {
	if p, ok := st.Projects[idOrNumber]; ok {
		return p
	}
	for _, p := range st.Projects {
		if p.ProjectNumber == idOrNumber {
			return p
		}
	}
	return nil
}

// requireProject returns the project or the 403 Google gives for a project
// that does not exist or that the caller cannot see.
func (st *State) requireProject(idOrNumber, permission string) (*Project, error) {
	if p := st.project(idOrNumber); p != nil {
		return p, nil
	}
	e := errPermission("Permission '%s' denied on resource 'projects/%s' (or it may not exist).", permission, idOrNumber)
	e.Reason, e.Domain = "IAM_PERMISSION_DENIED", "iam.googleapis.com"
	return nil, e
}

// createServiceAccount adds an account; created is when it was made (the zero
// time for seeded accounts, which are visible at once).
func (st *State) createServiceAccount(project, accountID, displayName, description string, created time.Time) (*iam.ServiceAccount, error) {
	p := st.project(project)
	if p == nil {
		return nil, errPermission("Permission 'iam.serviceAccounts.create' denied on resource 'projects/%s' (or it may not exist).", project)
	}
	if len(accountID) < 6 || len(accountID) > 30 || !accountIDRe.MatchString(accountID) {
		return nil, errInvalid("Invalid account ID %q: it must be 6-30 characters, start with a lower case letter and contain only lower case letters, digits and dashes, and not end with a dash.", accountID)
	}
	email := fmt.Sprintf("%s@%s.iam.gserviceaccount.com", accountID, p.ProjectID)
	if _, ok := st.ServiceAccounts[email]; ok {
		return nil, errAlreadyExists("Service account %s already exists within project projects/%s.", accountID, p.ProjectID)
	}
	uid := fmt.Sprintf("1%020d", st.nextSeq()*7919+int64(len(st.ServiceAccounts)))
	sa := &iam.ServiceAccount{
		Name:           fmt.Sprintf("projects/%s/serviceAccounts/%s", p.ProjectID, email),
		ProjectId:      p.ProjectID,
		UniqueId:       uid,
		Email:          email,
		DisplayName:    displayName,
		Description:    description,
		Oauth2ClientId: uid,
		Etag:           "MDEwMjE5MjA=",
	}
	st.ServiceAccounts[email] = sa
	st.SACreated[email] = created
	return sa, nil
}

// serviceAccount finds an account by email or unique id.
func (st *State) serviceAccount(emailOrID string) *iam.ServiceAccount {
	if sa, ok := st.ServiceAccounts[emailOrID]; ok {
		return sa
	}
	for _, sa := range st.ServiceAccounts {
		if sa.UniqueId == emailOrID {
			return sa
		}
	}
	return nil
}
