package setup

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// hclLabel turns a name into a resource label.
func hclLabel(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := b.String()
	if out == "" || (out[0] >= '0' && out[0] <= '9') {
		out = "r_" + out
	}
	return out
}

// attr is one attribute of a rendered resource: a literal value, a
// reference to another resource's attribute, or a nested object.
type attr struct {
	name  string
	val   cty.Value // literal; cty.NilVal for ref and block
	ref   string    // absolute traversal, e.g. gcpinvoke_service_account.sa.email
	block []attr    // nested object attribute (written as name = { … })
}

// lit is a string attribute. hclwrite escapes what HCL needs (quotes,
// backslashes, `${` and `%{`, control characters); invalid UTF-8 becomes
// U+FFFD, as it does in Google's JSON.
func lit(name, value string) attr { return attr{name: name, val: cty.StringVal(value)} }

func num(name string, n int64) attr { return attr{name: name, val: cty.NumberIntVal(n)} }

func boolean(name string, b bool) attr { return attr{name: name, val: cty.BoolVal(b)} }

// strMap is a map(string) attribute.
func strMap(name string, m map[string]string) attr {
	vals := make(map[string]cty.Value, len(m))
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	if len(vals) == 0 {
		return attr{name: name, val: cty.MapValEmpty(cty.String)}
	}
	return attr{name: name, val: cty.MapVal(vals)}
}

// expr is a reference to another resource's attribute.
func expr(name, ref string) attr { return attr{name: name, ref: ref} }

func obj(name string, attrs ...attr) attr {
	return attr{name: name, block: attrs}
}

// tokens renders an attribute's value.
func (a attr) tokens() hclwrite.Tokens {
	switch {
	case a.block != nil:
		items := make([]hclwrite.ObjectAttrTokens, 0, len(a.block))
		for _, c := range a.block {
			items = append(items, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(c.name), Value: c.tokens()})
		}
		return hclwrite.TokensForObject(items)
	case a.ref != "":
		tr, diags := hclsyntax.ParseTraversalAbs([]byte(a.ref), "", hcl.InitialPos)
		if diags.HasErrors() {
			panic(fmt.Sprintf("setup: invalid reference %q: %s", a.ref, diags.Error()))
		}
		return hclwrite.TokensForTraversal(tr)
	}
	if a.val.Type().IsMapType() && a.val.LengthInt() > 0 {
		// One entry per line, keys sorted, as terraform fmt writes them.
		m := a.val.AsValueMap()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		items := make([]hclwrite.ObjectAttrTokens, 0, len(keys))
		for _, k := range keys {
			items = append(items, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(k)), Value: hclwrite.TokensForValue(m[k])})
		}
		return hclwrite.TokensForObject(items)
	}
	return hclwrite.TokensForValue(a.val)
}

// writeAttrs sets attrs on body in order.
func writeAttrs(body *hclwrite.Body, attrs []attr) {
	for _, a := range attrs {
		body.SetAttributeRaw(a.name, a.tokens())
	}
}

// resourceBlock renders a resource, followed by an import block when
// importID is not empty, formatted as terraform fmt would.
func resourceBlock(typ, name string, attrs []attr, importID string) string {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	writeAttrs(body.AppendNewBlock("resource", []string{typ, name}).Body(), attrs)
	if importID != "" {
		body.AppendNewline()
		imp := body.AppendNewBlock("import", nil).Body()
		imp.SetAttributeTraversal("to", hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}})
		imp.SetAttributeValue("id", cty.StringVal(importID))
	}
	return string(hclwrite.Format(f.Bytes()))
}

// comment renders lines as HCL comments.
func comment(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			b.WriteString("#\n")
			continue
		}
		fmt.Fprintf(&b, "# %s\n", strings.Join(strings.Fields(l), " "))
	}
	return b.String()
}
