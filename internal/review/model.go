package review

import (
	"fmt"
	"strings"
)

// Unknown is how a value known only after apply is shown.
const Unknown = "(known after apply)"

// TargetKind says what an IAM binding is on.
type TargetKind string

// Target kinds.
const (
	KindRunService     TargetKind = "run_service"
	KindFunction       TargetKind = "function"
	KindServiceAccount TargetKind = "service_account"
	KindProject        TargetKind = "project"
)

// Target is the resource an IAM binding is on, or the resource a job calls.
// Fields are empty when not known from the plan; Name is Unknown when the
// name is known only after apply.
type Target struct {
	Kind     TargetKind `json:"kind"`
	Project  string     `json:"project,omitempty"`
	Location string     `json:"location,omitempty"`
	Name     string     `json:"name"`
	// Ref is the address of the resource the name comes from, when the name
	// is known only after apply (from the configuration's references).
	Ref string `json:"ref,omitempty"`

	src string // key of the resource the target was read from, for matching
}

// String is the target as shown in reports, e.g.
// "Cloud Run service demo-project/us-central1/hello".
func (t Target) String() string {
	var parts []string
	for _, p := range []string{t.Project, t.Location, t.Name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	id := strings.Join(parts, "/")
	if t.Name == Unknown && t.Ref != "" {
		id = t.Ref + " " + Unknown
	}
	return kindLabel[t.Kind] + " " + id
}

var kindLabel = map[TargetKind]string{
	KindRunService:     "Cloud Run service",
	KindFunction:       "Cloud Function",
	KindServiceAccount: "service account",
	KindProject:        "project",
}

// Action is what a plan does to one binding.
type Action string

// Binding actions.
const (
	Grant  Action = "grant"
	Revoke Action = "revoke"
)

// Binding is one (target, role, member) that the plan grants or revokes.
type Binding struct {
	Action Action `json:"action"`
	Target Target `json:"target"`
	Role   string `json:"role"`
	// Member is the IAM member ("serviceAccount:…", "allUsers", …) or Unknown.
	Member string `json:"member"`
	// MemberRef is the configuration reference the member comes from, when
	// the member is known only after apply.
	MemberRef string `json:"member_ref,omitempty"`
	Condition string `json:"condition,omitempty"`
	// Address is the resource address that makes the change.
	Address string `json:"address"`
	// Authoritative is true when the resource owns the whole role (binding,
	// exclusive members) or the whole policy, removing members it does not list.
	Authoritative bool `json:"authoritative"`

	// Because says why Terraform replaces or deletes the resource making
	// the change (from the plan's action_reason and replace_paths), e.g.
	// "replace because member cannot be updated in place".
	Because string `json:"because,omitempty"`

	keys        []string // principal identities for matching (see principalKeys)
	sealed      bool     // Member is Sensitive; keys[0] is the digest of the value
	invokerRole bool     // role unknown but defaults to the target's invoker role
}

// Job is a caller: a Cloud Scheduler job or a Cloud Tasks queue with an HTTP
// target, or one authenticated http call of a workflow.
type Job struct {
	Address string `json:"address"`
	// Caller is "scheduler", "tasks" or "workflows".
	Caller string `json:"caller"`
	// Step is the workflow step making the call ("" for other callers).
	Step string `json:"step,omitempty"`
	// Action is the plan action on the job: create, update, replace, no-op,
	// forget.
	Action string `json:"action"`
	// Because says why Terraform replaces the job (action_reason).
	Because           string `json:"because,omitempty"`
	ServiceAccount    string `json:"service_account"`
	ServiceAccountRef string `json:"service_account_ref,omitempty"`
	URL               string `json:"url"`
	URLRef            string `json:"url_ref,omitempty"`
	// Token is "oidc", "oauth" or "none".
	Token    string `json:"token"`
	Audience string `json:"audience,omitempty"`
	// AudienceDefaulted is true when no audience is set and Google uses the
	// target URL (path and query included).
	AudienceDefaulted bool   `json:"audience_defaulted,omitempty"`
	Scope             string `json:"scope,omitempty"`
	// Targets are the resources the URL points at (a gen2 function is both a
	// function and the Cloud Run service behind it); empty when unidentified.
	Targets []Target `json:"targets"`
	// InvokerVia is the address of a resource granting the job's service
	// account an invoker role on a target, "" when none was found.
	InvokerVia string `json:"invoker_via,omitempty"`
	// ImpersonationVia is the address of a resource letting the caller's
	// service agent mint tokens as the service account ("" when the plan and
	// state have none; Google usually grants it at project level).
	ImpersonationVia string `json:"impersonation_via,omitempty"`

	saKeys     []string
	existed    bool // the job exists before apply (a caller that stays)
	runtimeURL bool // a workflow call whose URL is an expression evaluated at run time
}

// Severity ranks findings.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Medium
	High
)

func (s Severity) String() string {
	switch s {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Info:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity parses "high", "medium" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "high":
		return High, nil
	case "medium":
		return Medium, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q: want high, medium or info", s)
}

// Finding is one problem in the plan with a one-line fix.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is a stable identifier, e.g. "public-invoker".
	Code    string `json:"code"`
	Address string `json:"address"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// Neutral kinds: changes that do nothing in Google Cloud.
const (
	NeutralForget = "forget" // removed { lifecycle { destroy = false } }: Terraform lets go of the object
	NeutralImport = "import" // import block: Terraform starts managing an existing object
	NeutralMove   = "move"   // moved block: the object gets a new address
)

// Neutral is a change to Terraform's state only: the object in Google Cloud
// stays as it is (an import that also updates the object is listed here and
// its update among the grants and revocations).
type Neutral struct {
	Kind    string `json:"kind"`
	Address string `json:"address"`
	// From is the previous address of a moved resource.
	From string `json:"from,omitempty"`
	// ImportID is the ID an imported resource is read with.
	ImportID string `json:"import_id,omitempty"`
	// Action is what the plan does to the object besides (no-op when nothing).
	Action string `json:"action"`
}

// Deferred is a resource change Terraform postponed to a later plan; it
// makes no change in this apply.
type Deferred struct {
	Address string `json:"address"`
	Action  string `json:"action"`
	// Reason is Terraform's reason code, e.g. "resource_config_unknown".
	Reason string `json:"reason"`
}

// Report is the result of Analyze.
type Report struct {
	TerraformVersion string
	// Neutral are changes to Terraform's state only, sorted by kind, address.
	Neutral []Neutral
	// Deferred are changes postponed to a later plan, sorted by address.
	Deferred []Deferred
	// Bindings are the grants and revocations, sorted by target, action,
	// role, member, address.
	Bindings []Binding
	// Jobs are the callers that exist after apply, sorted by address.
	Jobs []Job
	// Findings are sorted by severity (highest first), code, address.
	Findings []Finding
}

// Count returns how many bindings have the action.
func (r *Report) Count(a Action) int {
	n := 0
	for _, b := range r.Bindings {
		if b.Action == a {
			n++
		}
	}
	return n
}

// CountSeverity returns how many findings have exactly severity s.
func (r *Report) CountSeverity(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Fails reports whether some finding is at least as severe as threshold.
func (r *Report) Fails(threshold Severity) bool {
	for _, f := range r.Findings {
		if f.Severity >= threshold {
			return true
		}
	}
	return false
}
