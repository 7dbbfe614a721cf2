// Package validatortest runs framework string validators in table tests.
package validatortest

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Case is one row of a validator table test.
type Case struct {
	Name  string
	Value types.String
	// WantSummary and WantDetail are substrings of the single expected error
	// diagnostic; both empty means the value must be accepted.
	WantSummary string
	WantDetail  string
}

// Run validates each case's value at attribute path "attr" and checks the
// diagnostics a user would see.
func Run(t *testing.T, v validator.String, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			req := validator.StringRequest{
				Path:           path.Root("attr"),
				PathExpression: path.MatchRoot("attr"),
				ConfigValue:    tc.Value,
			}
			resp := &validator.StringResponse{}
			v.ValidateString(context.Background(), req, resp)
			if tc.WantSummary == "" && tc.WantDetail == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("value %s rejected: %v", tc.Value, resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("value %s: got %d errors (%v), want 1", tc.Value, resp.Diagnostics.ErrorsCount(), resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			if !strings.Contains(d.Summary(), tc.WantSummary) || !strings.Contains(d.Detail(), tc.WantDetail) {
				t.Errorf("value %s: diagnostic %q / %q, want summary containing %q and detail containing %q",
					tc.Value, d.Summary(), d.Detail(), tc.WantSummary, tc.WantDetail)
			}
			wp, ok := d.(interface{ Path() path.Path })
			if !ok || !wp.Path().Equal(path.Root("attr")) {
				t.Errorf("diagnostic is not attached to the attribute path")
			}
		})
	}
}

// Describes checks that the validator has plain and Markdown descriptions.
func Describes(t *testing.T, v validator.String) {
	t.Helper()
	ctx := context.Background()
	if v.Description(ctx) == "" || v.MarkdownDescription(ctx) == "" {
		t.Errorf("validator %T has an empty description", v)
	}
}
