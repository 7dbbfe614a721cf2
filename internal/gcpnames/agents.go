package gcpnames

import (
	"fmt"
	"strings"
)

// Agent describes a Google-managed service agent that calls targets on a
// project's behalf and must be allowed to impersonate the caller's service
// account.
type Agent struct {
	// Name is the short name users write: "cloudscheduler", "cloudtasks" or "workflows".
	Name string
	// Domain is the email domain of the agent, e.g. "gcp-sa-cloudscheduler.iam.gserviceaccount.com".
	Domain string
	// Role is the project-level role Google grants the agent when the API is enabled.
	Role string
	// Product is the product name for messages, e.g. "Cloud Scheduler".
	Product string
}

// Agents lists the service agents this provider knows, in a stable order.
var Agents = []Agent{
	{Name: "cloudscheduler", Domain: "gcp-sa-cloudscheduler.iam.gserviceaccount.com",
		Role: "roles/cloudscheduler.serviceAgent", Product: "Cloud Scheduler"},
	{Name: "cloudtasks", Domain: "gcp-sa-cloudtasks.iam.gserviceaccount.com",
		Role: "roles/cloudtasks.serviceAgent", Product: "Cloud Tasks"},
	{Name: "workflows", Domain: "gcp-sa-workflows.iam.gserviceaccount.com",
		Role: "roles/workflows.serviceAgent", Product: "Workflows"},
}

// AgentNames returns the names of Agents, e.g. for schema validators.
func AgentNames() []string {
	names := make([]string, len(Agents))
	for i, a := range Agents {
		names[i] = a.Name
	}
	return names
}

// LookupAgent returns the agent with the given name (case-insensitive).
func LookupAgent(name string) (Agent, error) {
	for _, a := range Agents {
		if strings.EqualFold(a.Name, strings.TrimSpace(name)) {
			return a, nil
		}
	}
	return Agent{}, fmt.Errorf("unknown service agent %q; use one of %s", name, quoteList(AgentNames()))
}

// ServiceAgentEmail returns the email of a project's service agent, e.g.
// "service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com".
func ServiceAgentEmail(projectNumber, agent string) (string, error) {
	if err := ValidateProjectNumber(projectNumber); err != nil {
		return "", err
	}
	a, err := LookupAgent(agent)
	if err != nil {
		return "", err
	}
	return "service-" + projectNumber + "@" + a.Domain, nil
}

// ValidateProjectNumber checks that n is a project number: digits only,
// not starting with 0. A project ID in its place gets a hint on how to find
// the number.
func ValidateProjectNumber(n string) error {
	if n == "" {
		return fmt.Errorf("project number is empty; pass the numeric project number, e.g. \"123456789012\"")
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return fmt.Errorf("project number %q must contain only digits; if it is a project ID, look up its number with "+
				"`gcloud projects describe %s --format='value(projectNumber)'` or data.google_project", n, n)
		}
	}
	if n[0] == '0' || len(n) > 19 {
		return fmt.Errorf("project number %q is not a valid project number (no leading zero, at most 19 digits)", n)
	}
	return nil
}

// quoteList formats names as `"a", "b" or "c"`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
