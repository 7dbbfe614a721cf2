package setup

import (
	"fmt"
	"strings"
)

// hclString quotes s as an HCL string literal (no interpolation).
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

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

// attr is one attribute line: a literal value (already HCL) or a nested block.
type attr struct {
	name  string
	value string // HCL expression; empty with nested
	block []attr // nested object attribute (written as name = { … })
}

func lit(name, value string) attr  { return attr{name: name, value: hclString(value)} }
func expr(name, value string) attr { return attr{name: name, value: value} }
func obj(name string, attrs ...attr) attr {
	return attr{name: name, block: attrs}
}

// writeAttrs writes attrs at indent, aligning the "=" of consecutive
// single-line attributes as terraform fmt does.
func writeAttrs(b *strings.Builder, indent string, attrs []attr) {
	width := 0
	for _, a := range attrs {
		if a.block == nil && len(a.name) > width {
			width = len(a.name)
		}
	}
	for _, a := range attrs {
		if a.block != nil {
			fmt.Fprintf(b, "%s%s = {\n", indent, a.name)
			writeAttrs(b, indent+"  ", a.block)
			fmt.Fprintf(b, "%s}\n", indent)
			continue
		}
		fmt.Fprintf(b, "%s%-*s = %s\n", indent, width, a.name, a.value)
	}
}

// resourceBlock renders a resource, followed by an import block when
// importID is not empty.
func resourceBlock(typ, name string, attrs []attr, importID string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n", typ, name)
	writeAttrs(&b, "  ", attrs)
	b.WriteString("}\n")
	if importID != "" {
		fmt.Fprintf(&b, "\nimport {\n  to = %s.%s\n  id = %s\n}\n", typ, name, hclString(importID))
	}
	return b.String()
}

// comment renders lines as HCL comments.
func comment(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			b.WriteString("#\n")
			continue
		}
		fmt.Fprintf(&b, "# %s\n", l)
	}
	return b.String()
}
