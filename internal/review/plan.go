package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
)

// ErrNotPlan is wrapped by every error ReadPlan returns for input that is not
// the JSON form of a Terraform plan.
var ErrNotPlan = errors.New("not a Terraform plan")

// expectedInput tells the user what ReadPlan wants.
const expectedInput = "expected the output of `terraform show -json PLANFILE` " +
	"(a JSON object with format_version and resource_changes)"

// Plan is a Terraform plan as hashicorp/terraform-json decodes it, plus the
// one field of resource_changes that terraform-json does not decode:
// action_reason (why Terraform replaces or deletes a resource).
type Plan struct {
	*tfjson.Plan

	// actionReasons maps a resource change (address, and deposed key when
	// set) to its action_reason.
	actionReasons map[string]string
}

// actionReason returns the action_reason of a resource change, "" when the
// plan gives none.
func (p *Plan) actionReason(rc *tfjson.ResourceChange) string {
	return p.actionReasons[changeKey(rc.Address, rc.DeposedKey)]
}

func changeKey(address, deposed string) string { return address + "\x00" + deposed }

// ReadPlan decodes the output of `terraform show -json PLANFILE` with
// terraform-json (whose Validate checks the format version). Input that is
// not JSON, not an object, state JSON, or any other JSON document yields an
// error wrapping ErrNotPlan that says what was expected.
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
	if err := json.Unmarshal(fv, &version); err != nil {
		return nil, fmt.Errorf("%w: unsupported format_version %s (this tool reads 1.x); %s", ErrNotPlan, truncate(string(fv), 20), expectedInput)
	}
	probe := tfjson.Plan{FormatVersion: version}
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("%w: unsupported format_version %q (%v); %s", ErrNotPlan, truncate(version, 20), err, expectedInput)
	}
	var tp tfjson.Plan
	if err := json.Unmarshal(data, &tp); err != nil {
		return nil, fmt.Errorf("%w: the input does not have the shape of plan JSON (%v); %s", ErrNotPlan, err, expectedInput)
	}
	var reasons struct {
		ResourceChanges []struct {
			Address      string `json:"address"`
			Deposed      string `json:"deposed"`
			ActionReason string `json:"action_reason"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &reasons); err != nil {
		return nil, fmt.Errorf("%w: the input does not have the shape of plan JSON (%v); %s", ErrNotPlan, err, expectedInput)
	}
	p := &Plan{Plan: &tp, actionReasons: map[string]string{}}
	for _, rc := range reasons.ResourceChanges {
		if rc.ActionReason != "" {
			p.actionReasons[changeKey(rc.Address, rc.Deposed)] = rc.ActionReason
		}
	}
	for i, rc := range tp.ResourceChanges {
		if rc == nil || rc.Change == nil {
			return nil, fmt.Errorf("%w: resource_changes[%d] has no change; %s", ErrNotPlan, i, expectedInput)
		}
	}
	return p, nil
}

// actionOf returns a change's actions the way a reader expects: "create",
// "update", "delete", "replace", "forget", "no-op" or "read".
func actionOf(c *tfjson.Change) string {
	switch a := c.Actions; {
	case a.Replace():
		return "replace"
	case len(a) == 1:
		return string(a[0])
	case len(a) == 2 && a[0] == tfjson.ActionCreate && a[1] == tfjson.ActionForget,
		len(a) == 2 && a[0] == tfjson.ActionForget && a[1] == tfjson.ActionCreate:
		// create-then-forget: a new object replaces one Terraform lets go of.
		return "create"
	default:
		return "no-op"
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
