// Package iammodifier holds the named plan modifiers of the IAM resources
// and the one record they share with the resources: the members a
// set-of-members resource manages, kept in its private state.
package iammodifier

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// managedKey is the private-state key of the managed members.
const managedKey = "managed_members"

// PrivateGetter is the read side of a resource's private state.
type PrivateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// PrivateSetter is the write side of a resource's private state.
type PrivateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// Managed returns the members recorded as managed: the members the
// configuration listed at the last apply that still held the role at the
// last refresh. ok is false when no record exists (state written before the
// record was introduced, or moved from another resource); callers then fall
// back to the `members` in state.
func Managed(ctx context.Context, p PrivateGetter) (members []string, ok bool, diags diag.Diagnostics) {
	if p == nil {
		return nil, false, nil
	}
	raw, diags := p.GetKey(ctx, managedKey)
	if diags.HasError() || len(raw) == 0 {
		return nil, false, diags
	}
	if err := json.Unmarshal(raw, &members); err != nil {
		diags.AddError("Corrupt private state", "The record of the members this resource manages cannot be read: "+err.Error())
		return nil, false, diags
	}
	return members, true, diags
}

// SetManaged records members as managed.
func SetManaged(ctx context.Context, p PrivateSetter, members []string) diag.Diagnostics {
	if members == nil {
		members = []string{}
	}
	raw, err := json.Marshal(members)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot record managed members", err.Error())
		return diags
	}
	return p.SetKey(ctx, managedKey, raw)
}
