package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrNotPlan is wrapped by every error ReadPlan returns for input that is not
// the JSON form of a Terraform plan.
var ErrNotPlan = errors.New("not a Terraform plan")

// expectedInput tells the user what ReadPlan wants.
const expectedInput = "expected the output of `terraform show -json PLANFILE` " +
	"(a JSON object with format_version and resource_changes)"

// Plan is the subset of Terraform's plan JSON representation that review reads.
type Plan struct {
	FormatVersion    string           `json:"format_version"`
	TerraformVersion string           `json:"terraform_version"`
	ResourceChanges  []ResourceChange `json:"resource_changes"`
	PlannedValues    *Values          `json:"planned_values"`
	PriorState       *State           `json:"prior_state"`
	Configuration    *Configuration   `json:"configuration"`
}

// ResourceChange is one entry of resource_changes.
type ResourceChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Change  Change `json:"change"`
}

// Change holds the before/after values of a resource change. Before and
// After are decoded JSON values (objects are map[string]any, blocks of the
// Google provider []any); AfterUnknown mirrors After with true where a value
// is known only after apply.
type Change struct {
	Actions      []string `json:"actions"`
	Before       any      `json:"before"`
	After        any      `json:"after"`
	AfterUnknown any      `json:"after_unknown"`
}

// State is prior_state: the state Terraform refreshed before planning.
type State struct {
	Values *Values `json:"values"`
}

// Values is a values representation (planned_values or state values).
type Values struct {
	RootModule *Module `json:"root_module"`
}

// Module is one module of a values representation.
type Module struct {
	Address      string          `json:"address"`
	Resources    []StateResource `json:"resources"`
	ChildModules []*Module       `json:"child_modules"`
}

// StateResource is one resource instance in a values representation.
type StateResource struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Values  any    `json:"values"`
}

// Configuration is the configuration section of plan JSON; review reads
// expression references from it to follow values known only after apply.
type Configuration struct {
	RootModule *ConfigModule `json:"root_module"`
}

// ConfigModule is one module of the configuration representation.
type ConfigModule struct {
	Resources   []ConfigResource      `json:"resources"`
	ModuleCalls map[string]ModuleCall `json:"module_calls"`
}

// ModuleCall is a module block of the configuration representation.
type ModuleCall struct {
	Module *ConfigModule `json:"module"`
}

// ConfigResource is a resource block with its attribute expressions.
type ConfigResource struct {
	Address     string         `json:"address"`
	Mode        string         `json:"mode"`
	Type        string         `json:"type"`
	Expressions map[string]any `json:"expressions"`
}

// Action returns the change's actions joined the way a reader expects:
// "create", "update", "delete", "replace", "no-op" or "read".
func (c Change) Action() string {
	switch {
	case len(c.Actions) == 2:
		return "replace"
	case len(c.Actions) == 1:
		return c.Actions[0]
	default:
		return "no-op"
	}
}

// ReadPlan decodes the output of `terraform show -json PLANFILE`. Input that
// is not JSON, not an object, state JSON, or any other JSON document yields
// an error wrapping ErrNotPlan that says what was expected.
func ReadPlan(data []byte) (*Plan, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the input is empty; %s", ErrNotPlan, expectedInput)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, fmt.Errorf("%w: the input is a binary plan file; convert it with `terraform show -json PLANFILE > plan.json`; %s", ErrNotPlan, expectedInput)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%w: the input is not valid JSON (offset %d: %v); %s", ErrNotPlan, syn.Offset, err, expectedInput)
		}
		return nil, fmt.Errorf("%w: the input is not a JSON object; %s", ErrNotPlan, expectedInput)
	}
	fv, hasFV := top["format_version"]
	_, hasRC := top["resource_changes"]
	_, hasPV := top["planned_values"]
	_, hasValues := top["values"]
	switch {
	case hasFV && hasValues && !hasRC && !hasPV:
		return nil, fmt.Errorf("%w: the input is Terraform state JSON (`terraform show -json` without a plan file); "+
			"run `terraform plan -out=PLANFILE` first; %s", ErrNotPlan, expectedInput)
	case !hasFV:
		return nil, fmt.Errorf("%w: the input has no format_version; %s", ErrNotPlan, expectedInput)
	case !hasRC && !hasPV:
		return nil, fmt.Errorf("%w: the input has neither resource_changes nor planned_values; %s", ErrNotPlan, expectedInput)
	}
	var version string
	if err := json.Unmarshal(fv, &version); err != nil || !strings.HasPrefix(version, "1.") {
		return nil, fmt.Errorf("%w: unsupported format_version %s (this tool reads 1.x); %s", ErrNotPlan, truncate(string(fv), 20), expectedInput)
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: the input does not have the shape of plan JSON (%v); %s", ErrNotPlan, err, expectedInput)
	}
	return &p, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
