package iamengine

import (
	"encoding/json"
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// requestedPolicyVersion is the policy version every adapter asks for, so
// conditional bindings are returned rather than refused.
const requestedPolicyVersion = 3

// updateMask limits setIamPolicy to what iampolicy models: audit configs
// (which it does not) are left as they are.
const updateMask = "bindings,etag"

// toAPI converts p to an API's policy type T through their shared JSON wire
// format. The caller still has to force "bindings" to be sent when empty.
func toAPI[T any](p *iampolicy.Policy) (*T, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encoding IAM policy: %w", err)
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("converting IAM policy: %w", err)
	}
	return out, nil
}

// fromAPI converts an API's policy value to iampolicy.Policy.
func fromAPI(v any) (*iampolicy.Policy, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding IAM policy: %w", err)
	}
	var p iampolicy.Policy
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("decoding IAM policy: %w", err)
	}
	return &p, nil
}

// forceBindings returns the ForceSendFields that make an empty binding list
// go on the wire as "bindings":[] (otherwise it is omitted, and removing the
// last member would not remove it).
func forceBindings(p *iampolicy.Policy, fields []string) []string {
	if len(p.Bindings) == 0 {
		return append(fields, "Bindings")
	}
	return fields
}
