package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Moving state from the Google provider (`moved { from = google_X.a  to =
// gcpinvoke_Y.a }`, Terraform 1.8+): Terraform hands the target resource the
// source resource's raw state (JSON in the Google provider's shape: nested
// blocks are lists of objects, unset strings are ""), and each resource's
// MoveState (the *_move_state.go files) maps it onto its own attributes. The
// plan that follows refreshes the moved resource against the API, so the
// state only has to name the object correctly; every configurable value is
// still carried over so that a plan with -refresh=false shows no change
// either. A source value this provider cannot represent fails the move with
// an error naming the source attribute, never a silent drop.

// googleProviderAddresses are the provider source addresses moves are
// accepted from (the Google provider and its beta).
var googleProviderAddresses = []string{
	"registry.terraform.io/hashicorp/google",
	"registry.terraform.io/hashicorp/google-beta",
}

// isGoogleProvider reports whether addr is the Google provider (or beta).
func isGoogleProvider(addr string) bool {
	for _, a := range googleProviderAddresses {
		if strings.EqualFold(addr, a) {
			return true
		}
	}
	return false
}

// googleState is one object of a Google provider state: a resource's
// attributes or a nested block.
type googleState map[string]any

// googleSource decodes req's raw state when it comes from the Google
// provider's resource of one of the types; ok is false (and nothing is
// reported) when the move is not from one of them, so the next StateMover
// gets its chance.
func googleSource(req resource.MoveStateRequest, resp *resource.MoveStateResponse, types ...string) (googleState, bool) {
	if !isGoogleProvider(req.SourceProviderAddress) {
		return nil, false
	}
	found := false
	for _, t := range types {
		found = found || req.SourceTypeName == t
	}
	if !found {
		return nil, false
	}
	if req.SourceRawState == nil || req.SourceRawState.JSON == nil {
		resp.Diagnostics.AddError("Cannot move "+req.SourceTypeName,
			"The state of "+req.SourceTypeName+" has no JSON form (it was written by a Terraform older than 0.12). "+
				"Run `terraform apply -refresh-only` with the Google provider first, then move it.")
		return nil, false
	}
	var s googleState
	if err := json.Unmarshal(req.SourceRawState.JSON, &s); err != nil {
		resp.Diagnostics.AddError("Cannot move "+req.SourceTypeName, "Its state is not a JSON object: "+err.Error())
		return nil, false
	}
	return s, true
}

// str is a string attribute ("" when unset or null).
func (s googleState) str(name string) string {
	v, _ := s[name].(string)
	return v
}

// num is a number attribute (0 when unset).
func (s googleState) num(name string) float64 {
	v, _ := s[name].(float64)
	return v
}

// boolean is a bool attribute (false when unset).
func (s googleState) boolean(name string) bool {
	v, _ := s[name].(bool)
	return v
}

// block is the single object of a MaxItems:1 block, nil when absent.
func (s googleState) block(name string) googleState {
	l, _ := s[name].([]any)
	if len(l) == 0 {
		return nil
	}
	o, _ := l[0].(map[string]any)
	return o
}

// set reports whether an attribute holds a value other than the Google
// provider's empty forms ("", 0, false, [], {}).
func (s googleState) set(name string) bool {
	switch v := s[name].(type) {
	case nil:
		return false
	case string:
		return v != ""
	case float64:
		return v != 0
	case bool:
		return v
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

// strings is a list or set of strings.
func (s googleState) strings(name string) []string {
	l, _ := s[name].([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if v, ok := e.(string); ok {
			out = append(out, v)
		}
	}
	return out
}

// stringMap is a map of strings (nil when empty).
func (s googleState) stringMap(name string) map[string]string {
	m, _ := s[name].(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k], _ = v.(string)
	}
	return out
}

// strOrNull is a string attribute, null when empty.
func (s googleState) strOrNull(name string) types.String { return nullIfEmpty(s.str(name)) }

// moveRefuse reports a source attribute that cannot be moved: the move (and
// so the plan) fails naming it, why, and what to do.
func moveRefuse(resp *resource.MoveStateResponse, source, field, why string) {
	resp.Diagnostics.AddError(
		fmt.Sprintf("Cannot move %s: %s is set", source, field),
		fmt.Sprintf("%s.%s: %s\n\nKeep this resource on the Google provider (remove the moved block), or change it there "+
			"so that %s is unset, apply, and move it then.", source, field, why, field))
}

// moveSetter writes the target state attribute by attribute.
type moveSetter struct {
	ctx  context.Context
	resp *resource.MoveStateResponse
}

func newMoveSetter(ctx context.Context, resp *resource.MoveStateResponse) *moveSetter {
	return &moveSetter{ctx: ctx, resp: resp}
}

// set writes one attribute (p is a path.Path or a root attribute name).
func (m *moveSetter) set(p any, v any) {
	var at path.Path
	switch p := p.(type) {
	case string:
		at = path.Root(p)
	case path.Path:
		at = p
	}
	m.resp.Diagnostics.Append(m.resp.TargetState.SetAttribute(m.ctx, at, v)...)
}

// lastSegment is the part of a resource name after its last "/".
func lastSegment(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}
