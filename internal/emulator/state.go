package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	cfv1 "google.golang.org/api/cloudfunctions/v1"
	cfv2 "google.golang.org/api/cloudfunctions/v2"
	scheduler "google.golang.org/api/cloudscheduler/v1"
	tasks "google.golang.org/api/cloudtasks/v2"
	iam "google.golang.org/api/iam/v1"
	run "google.golang.org/api/run/v2"
	workflows "google.golang.org/api/workflows/v1"
)

// State is everything the emulator stores. Resources are kept in the
// google.golang.org/api types, so what is stored is exactly what Google
// would answer. Maps are keyed by full resource name unless noted.
type State struct {
	Seq int64 `json:"seq"` // source of ids and etags

	Projects        map[string]*Project                     `json:"projects"`        // by project id
	ServiceAccounts map[string]*iam.ServiceAccount          `json:"serviceAccounts"` // by email
	SACreated       map[string]time.Time                    `json:"saCreated"`       // by email, for IAM propagation delay
	RunServices     map[string]*run.GoogleCloudRunV2Service `json:"runServices"`
	Functions       map[string]*Function                    `json:"functions"`
	Policies        map[string]*Policy                      `json:"policies"` // by resource name
	Operations      map[string]*Operation                   `json:"operations"`
	Jobs            map[string]*scheduler.Job               `json:"jobs"`
	Queues          map[string]*tasks.Queue                 `json:"queues"`
	Tasks           map[string]*tasks.Task                  `json:"tasks"`
	Workflows       map[string]*workflows.Workflow          `json:"workflows"`
	Executions      map[string]*Execution                   `json:"executions"`
	Attempts        []*Attempt                              `json:"attempts"`
	// ConcurrentWrites lists members added by the simulated concurrent
	// writer, so tests can assert none was lost.
	ConcurrentWrites []ConcurrentWrite `json:"concurrentWrites"`
}

// Project is an emulated project.
type Project struct {
	ProjectID     string `json:"projectId"`
	ProjectNumber string `json:"projectNumber"`
	Name          string `json:"name"`
	// WithoutServiceAgentGrants means the Cloud Scheduler / Tasks service
	// agents do not hold their project-level roles (the seed walkthrough's
	// project where the impersonation policy must be set on the account).
	WithoutServiceAgentGrants bool `json:"withoutServiceAgentGrants,omitempty"`
}

// Function is a Cloud Function of either generation, stored in the form its
// API version returns.
type Function struct {
	Generation string              `json:"generation"` // GEN_1 or GEN_2
	V1         *cfv1.CloudFunction `json:"v1,omitempty"`
	V2         *cfv2.Function      `json:"v2,omitempty"`
}

// Execution is a Workflows execution.
type Execution struct {
	Name      string    `json:"name"`
	State     string    `json:"state"`
	Argument  string    `json:"argument,omitempty"`
	Result    string    `json:"result,omitempty"`
	Error     string    `json:"error,omitempty"`
	StartTime time.Time `json:"startTime"`
	EndTime   time.Time `json:"endTime"`
}

// Attempt records one execution of a job, task or workflow call: what was
// called, as whom, and what the target answered.
type Attempt struct {
	Caller     string    `json:"caller"` // cloudscheduler, cloudtasks, workflows
	Source     string    `json:"source"` // job, task or execution name
	Time       time.Time `json:"time"`
	URL        string    `json:"url"`
	Method     string    `json:"method"`
	TokenType  string    `json:"tokenType,omitempty"` // oidc, oauth or ""
	Identity   string    `json:"identity,omitempty"`  // service account the token was minted for
	Audience   string    `json:"audience,omitempty"`
	StatusCode int       `json:"statusCode"` // HTTP status of the target, 0 if nothing was sent
	Error      string    `json:"error,omitempty"`
	Response   string    `json:"response,omitempty"` // first bytes of the target's answer
}

// ConcurrentWrite is one member added behind a client's back.
type ConcurrentWrite struct {
	Resource string `json:"resource"`
	Role     string `json:"role"`
	Member   string `json:"member"`
}

func newState() *State {
	return &State{
		Projects:        map[string]*Project{},
		ServiceAccounts: map[string]*iam.ServiceAccount{},
		SACreated:       map[string]time.Time{},
		RunServices:     map[string]*run.GoogleCloudRunV2Service{},
		Functions:       map[string]*Function{},
		Policies:        map[string]*Policy{},
		Operations:      map[string]*Operation{},
		Jobs:            map[string]*scheduler.Job{},
		Queues:          map[string]*tasks.Queue{},
		Tasks:           map[string]*tasks.Task{},
		Workflows:       map[string]*workflows.Workflow{},
		Executions:      map[string]*Execution{},
	}
}

// nextSeq returns a fresh sequence number. Call with the state locked.
func (st *State) nextSeq() int64 {
	st.Seq++
	return st.Seq
}

// loadOrSeed loads the state file when there is one, else applies the seed.
func (e *Emulator) loadOrSeed() (*State, error) {
	if e.opts.StatePath != "" {
		data, err := os.ReadFile(e.opts.StatePath)
		switch {
		case err == nil:
			st := newState()
			if err := json.Unmarshal(data, st); err != nil {
				return nil, fmt.Errorf("emulator state %s is not valid JSON: %w", e.opts.StatePath, err)
			}
			st.fillNilMaps()
			return st, nil
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("reading emulator state: %w", err)
		}
	}
	seed := e.opts.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	st := newState()
	if err := e.applySeed(st, seed); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.state = st
	if err := e.persistLocked(); err != nil {
		return nil, err
	}
	return st, nil
}

// fillNilMaps makes a state loaded from an older file usable.
func (st *State) fillNilMaps() {
	fresh := newState()
	if st.Projects == nil {
		st.Projects = fresh.Projects
	}
	if st.ServiceAccounts == nil {
		st.ServiceAccounts = fresh.ServiceAccounts
	}
	if st.SACreated == nil {
		st.SACreated = fresh.SACreated
	}
	if st.RunServices == nil {
		st.RunServices = fresh.RunServices
	}
	if st.Functions == nil {
		st.Functions = fresh.Functions
	}
	if st.Policies == nil {
		st.Policies = fresh.Policies
	}
	if st.Operations == nil {
		st.Operations = fresh.Operations
	}
	if st.Jobs == nil {
		st.Jobs = fresh.Jobs
	}
	if st.Queues == nil {
		st.Queues = fresh.Queues
	}
	if st.Tasks == nil {
		st.Tasks = fresh.Tasks
	}
	if st.Workflows == nil {
		st.Workflows = fresh.Workflows
	}
	if st.Executions == nil {
		st.Executions = fresh.Executions
	}
}

// persistLocked writes the state file atomically (temp file + rename). Call
// with e.mu held.
func (e *Emulator) persistLocked() error {
	if e.opts.StatePath == "" || e.state == nil {
		return nil
	}
	data, err := json.MarshalIndent(e.state, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding emulator state: %w", err)
	}
	dir := filepath.Dir(e.opts.StatePath)
	tmp, err := os.CreateTemp(dir, ".emulator-state-*")
	if err != nil {
		return fmt.Errorf("writing emulator state: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("writing emulator state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing emulator state: %w", err)
	}
	if err := os.Rename(tmp.Name(), e.opts.StatePath); err != nil {
		return fmt.Errorf("writing emulator state: %w", err)
	}
	return nil
}

// Snapshot returns a deep copy of the state (as JSON round trip), for tests
// and the /_emulator/state dump.
func (e *Emulator) Snapshot() *State {
	e.mu.Lock()
	data, _ := json.Marshal(e.state)
	e.mu.Unlock()
	st := newState()
	_ = json.Unmarshal(data, st)
	return st
}
