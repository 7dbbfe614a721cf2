package setup

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// TestResourceBlockRoundTrips: strings Google may hand back (descriptions,
// header values, bodies) come out as HCL that parses and reads back to the
// same value. `%q` wrote Go escapes HCL does not have (\x00, \a) and left
// template sequences live.
func TestResourceBlockRoundTrips(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" means in
	}{
		{"quotes and backslashes", `say "hi" \ C:\path\n`, ""},
		{"interpolation", "${var.secret} and $${escaped}", ""},
		{"directive", "%{ if true }yes%{ endif } %%{x}", ""},
		{"dollar before interpolation", "$${x} $$${y}", ""},
		{"control characters", "a\x00b\x07c\x1bd\x7f\te\r\nf", ""},
		{"unicode", "héllo — ☃ 🎉 \u200b", ""},
		{"invalid UTF-8", "ok\xff\xfebad\xc3", "ok\uFFFD\uFFFDbad\uFFFD"},
		{"heredoc lookalike", "<<EOT\nx\nEOT", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == "" {
				want = tc.in
			}
			text := resourceBlock("gcpinvoke_scheduler_job", "j", []attr{
				lit("description", tc.in),
				obj("http_target", lit("body", tc.in), strMap("headers", map[string]string{"X-Value": tc.in, "X-\"Odd\" ${key}": "v"})),
			}, "id "+tc.in)
			f, diags := hclparse.NewParser().ParseHCL([]byte(text), "main.tf")
			if diags.HasErrors() {
				t.Fatalf("emitted HCL does not parse: %s\n%s", diags.Error(), text)
			}
			content, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
				{Type: "resource", LabelNames: []string{"type", "name"}}, {Type: "import"}}})
			if diags.HasErrors() || len(content.Blocks) != 2 {
				t.Fatalf("blocks: %v (%d)\n%s", diags, len(content.Blocks), text)
			}
			attrs, _ := content.Blocks[0].Body.JustAttributes()
			desc := eval(t, attrs["description"].Expr)
			if desc.AsString() != want {
				t.Errorf("description reads back as %q, want %q\n%s", desc.AsString(), want, text)
			}
			target := eval(t, attrs["http_target"].Expr)
			if got := target.GetAttr("body").AsString(); got != want {
				t.Errorf("body reads back as %q, want %q", got, want)
			}
			headers := target.GetAttr("headers").AsValueMap()
			if got := headers["X-Value"].AsString(); got != want {
				t.Errorf("header reads back as %q, want %q", got, want)
			}
			if _, ok := headers["X-\"Odd\" ${key}"]; !ok {
				t.Errorf("header key with quotes and ${ lost: %v", headers)
			}
			impAttrs, _ := content.Blocks[1].Body.JustAttributes()
			if got := eval(t, impAttrs["id"].Expr).AsString(); got != "id "+want {
				t.Errorf("import id reads back as %q, want %q", got, "id "+want)
			}
		})
	}
}

func eval(t *testing.T, e hcl.Expression) cty.Value {
	t.Helper()
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("evaluating %v: %s", e.Range(), diags.Error())
	}
	return v
}
