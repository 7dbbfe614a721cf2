package iammodifier

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	a       = "user:a@example.com"
	b       = "user:b@example.com"
	foreign = "user:foreign@example.com"
)

func TestKeptMembers(t *testing.T) {
	tests := []struct {
		name                 string
		prior, want, managed []string
		kept                 []string
	}{
		{"exclusive true to false: foreign holder shown in state is kept", []string{a, foreign}, []string{a}, []string{a}, []string{foreign}},
		{"member removed from config is removed, not kept", []string{a, b}, []string{a}, []string{a, b}, []string{}},
		{"both at once", []string{a, b, foreign}, []string{a}, []string{a, b}, []string{foreign}},
		{"nothing leaves", []string{a}, []string{a, b}, []string{a}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeptMembers(tt.prior, tt.want, tt.managed); !reflect.DeepEqual(got, tt.kept) {
				t.Fatalf("KeptMembers = %v, want %v", got, tt.kept)
			}
		})
	}
}

// The modifier itself: a plan that only drops never-managed members from
// state warns, on `members`; without a private record the state's members
// count as managed (older state), so a plain removal does not warn.
func TestKeptMembersWarning(t *testing.T) {
	ctx := context.Background()
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"members":   schema.SetAttribute{ElementType: types.StringType, Required: true},
		"exclusive": schema.BoolAttribute{Optional: true},
	}}
	set := func(ms ...string) types.Set {
		var el []attr.Value
		for _, m := range ms {
			el = append(el, types.StringValue(m))
		}
		return types.SetValueMust(types.StringType, el)
	}
	plan := func(exclusive bool, members types.Set) tfsdk.Plan {
		p := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		p.SetAttribute(ctx, path.Root("members"), members)
		p.SetAttribute(ctx, path.Root("exclusive"), exclusive)
		return p
	}
	tests := []struct {
		name        string
		state, want types.Set
		exclusive   bool
		warn        string
	}{
		{"exclusive kept, nothing to explain", set(a, foreign), set(a), true, ""},
		{"create", types.SetNull(types.StringType), set(a), false, ""},
		{"older state: members in state are managed", set(a, b), set(a), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := planmodifier.SetRequest{Path: path.Root("members"), Plan: plan(tt.exclusive, tt.want), StateValue: tt.state, PlanValue: tt.want}
			var resp planmodifier.SetResponse
			KeptMembersWarning().PlanModifySet(ctx, req, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			w := resp.Diagnostics.Warnings()
			switch {
			case tt.warn == "" && len(w) != 0:
				t.Fatalf("want no warning, got %v", w)
			case tt.warn != "" && (len(w) != 1 || !strings.Contains(w[0].Detail(), tt.warn)):
				t.Fatalf("want one warning containing %q, got %v", tt.warn, w)
			}
		})
	}
}
