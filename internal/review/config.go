package review

import (
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// config indexes the configuration's attribute expressions by resource key:
// the address with module prefixes kept and instance keys dropped
// (module.a.google_x.y for module.a["k"].google_x.y[0]).
type config map[string]map[string]*tfjson.Expression

func buildConfig(c *tfjson.Config) config {
	out := config{}
	if c != nil {
		out.add("", c.RootModule)
	}
	return out
}

func (c config) add(prefix string, m *tfjson.ConfigModule) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		c[prefix+r.Address] = r.Expressions
	}
	for name, call := range m.ModuleCalls {
		if call != nil {
			c.add(prefix+"module."+name+".", call.Module)
		}
	}
}

// resourceKey drops instance keys ([0], ["a.b"]) from an address.
func resourceKey(address string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(address); i++ {
		ch := address[i]
		switch {
		case quoted:
			if ch == '\\' {
				i++
			} else if ch == '"' {
				quoted = false
			}
		case ch == '"' && depth > 0:
			quoted = true
		case ch == '[':
			depth++
		case ch == ']':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// modulePrefix is the "module.a.module.b." part of a resource key.
func modulePrefix(key string) string {
	prefix := ""
	for strings.HasPrefix(key, "module.") {
		rest := key[len("module."):]
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return prefix
		}
		prefix += "module." + rest[:i+1]
		key = rest[i+1:]
	}
	return prefix
}

// refs returns the references made by the expression at path of the
// resource at address, made absolute (module prefix added). When path runs
// into a whole-attribute expression (our nested objects) all of its
// references are returned; callers filter them by resource type.
func (c config) refs(address string, path ...string) []string {
	key := resourceKey(address)
	exprs, ok := c[key]
	if !ok {
		return nil
	}
	var raw []string
	collectRefs(exprs, path, &raw)
	prefix := modulePrefix(key)
	seen := map[string]bool{}
	var out []string
	for _, r := range raw {
		r = prefix + r
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

func collectRefs(exprs map[string]*tfjson.Expression, path []string, out *[]string) {
	if len(path) > 0 {
		collectExpr(exprs[path[0]], path[1:], out)
		return
	}
	keys := make([]string, 0, len(exprs))
	for k := range exprs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		collectExpr(exprs[k], nil, out)
	}
}

// collectExpr adds the references of one expression. A whole-attribute
// expression (our nested objects) gives all of its references whatever the
// rest of the path; nested blocks (the Google provider's) are followed.
func collectExpr(e *tfjson.Expression, path []string, out *[]string) {
	if e == nil || e.ExpressionData == nil {
		return
	}
	if len(e.NestedBlocks) == 0 {
		*out = append(*out, e.References...)
		return
	}
	for _, block := range e.NestedBlocks {
		collectRefs(block, path, out)
	}
}

// refResource returns the resource key a reference points into
// ("google_service_account.sa" for "google_service_account.sa[0].email"),
// and the resource type; "" for var., local., each. and other references.
func refResource(ref string) (key, typ string) {
	prefix := modulePrefix(ref)
	rest := resourceKey(ref[len(prefix):])
	parts := strings.Split(rest, ".")
	data := false
	if len(parts) > 0 && parts[0] == "data" {
		data = true
		parts = parts[1:]
	}
	if len(parts) < 2 {
		return "", ""
	}
	switch parts[0] {
	case "var", "local", "each", "count", "path", "terraform", "self", "module":
		return "", ""
	}
	typ = parts[0]
	key = prefix + parts[0] + "." + parts[1]
	if data {
		key = prefix + "data." + parts[0] + "." + parts[1]
	}
	return key, typ
}

// firstRef returns the first reference whose resource type satisfies keep.
func firstRef(refs []string, keep func(typ string) bool) string {
	for _, r := range refs {
		if _, typ := refResource(r); typ != "" && keep(typ) {
			return r
		}
	}
	return ""
}
