package plaintextbodyvalidator

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestWarn(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name  string
		value types.String
		warn  bool
	}{
		{"base64encode of JSON", types.StringValue(b64(`{"report":"daily"}`)), true},
		{"base64encode of a word", types.StringValue(b64("test")), true},
		{"base64 of multi-line text", types.StringValue(b64("line one\nline two\n")), true},
		{"plain JSON", types.StringValue(`{"report":"daily"}`), false},
		{"plain word that is valid base64 of bytes", types.StringValue("abcd1234"), false},
		{"plain word", types.StringValue("hello"), false},
		{"short base64", types.StringValue(b64("hi")), false},
		{"base64 of binary", types.StringValue(base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 0x10, 0x80, 0x01, 0x02})), false},
		{"null", types.StringNull(), false},
		{"unknown", types.StringUnknown(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := path.Root("http_target").AtName("body")
			resp := &validator.StringResponse{}
			Warn().ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: tt.value}, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("errors: %v", resp.Diagnostics)
			}
			if got := resp.Diagnostics.WarningsCount() == 1; got != tt.warn {
				t.Fatalf("warned = %v, want %v (%v)", got, tt.warn, resp.Diagnostics)
			}
			if tt.warn {
				d := resp.Diagnostics.Warnings()[0]
				if d.Summary() != "Body looks base64-encoded" {
					t.Errorf("summary = %q", d.Summary())
				}
			}
		})
	}
}
