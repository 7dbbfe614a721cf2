// Package migrate rewrites a Terraform configuration's Google provider
// resources that manage an invocation chain (IAM members and bindings on
// Cloud Run services, Cloud Functions and service accounts, service
// accounts, Cloud Scheduler jobs, Cloud Tasks queues, Workflows) into the
// gcpinvoke provider's, with a `moved` block for each, so that the next
// plan only moves state (the provider's MoveState does the rest).
//
// Edits are made on the source text at the ranges hclsyntax reports, so
// comments and layout survive; each changed file is then formatted with
// hclwrite. Nothing here touches the network or the state.
package migrate

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Result is what a migration of a directory would change.
type Result struct {
	// Files are the new contents of the files that change, by path.
	Files map[string][]byte
	// Old are the current contents of those files.
	Old map[string][]byte
	// Converted are "google_x.a -> gcpinvoke_y.a" lines, in file order.
	Converted []string
	// Skipped are one line per resource that could not be converted: its
	// address and why.
	Skipped []string
	// Notes are converted resources whose first plan will show a change,
	// and why.
	Notes []string
}

// BadInputError is an input the migration cannot read (no directory, no
// .tf file, an HCL syntax error).
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }

// file is one parsed .tf file and its pending edits.
type file struct {
	path  string
	src   []byte
	body  *hclsyntax.Body
	edits []edit
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

func (f *file) replace(r hcl.Range, text string) {
	f.edits = append(f.edits, edit{r.Start.Byte, r.End.Byte, text})
}

func (f *file) text(r hcl.Range) string { return string(f.src[r.Start.Byte:r.End.Byte]) }

// apply returns the source with the edits made; an edit overlapping one
// already made (a reference inside a rewritten expression) is dropped.
func (f *file) apply() []byte {
	sort.SliceStable(f.edits, func(i, j int) bool { return f.edits[i].start > f.edits[j].start })
	out := append([]byte(nil), f.src...)
	lowest := len(out) + 1
	for _, e := range f.edits {
		if e.end > lowest {
			continue
		}
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
		lowest = e.start
	}
	return out
}

// Dir computes the migration of the .tf files directly in dir.
func Dir(dir string) (*Result, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, &BadInputError{fmt.Sprintf("%s is not a directory", dir)}
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	if len(paths) == 0 {
		return nil, &BadInputError{fmt.Sprintf("%s holds no .tf file", dir)}
	}
	sort.Strings(paths)
	var files []*file
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, &BadInputError{err.Error()}
		}
		parsed, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, &BadInputError{diags.Error()}
		}
		files = append(files, &file{path: p, src: src, body: parsed.Body.(*hclsyntax.Body)})
	}
	return migrate(files), nil
}

// renamed is a converted resource: its new type and the attribute renames
// references to it follow.
type renamed struct {
	newType string
	attrs   map[string]string
}

func migrate(files []*file) *Result {
	res := &Result{Files: map[string][]byte{}, Old: map[string][]byte{}}
	moves := map[string]renamed{} // "google_x.a" → new type

	// 1. Resources.
	for _, f := range files {
		var moved strings.Builder
		for _, b := range f.body.Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 {
				continue
			}
			conv, ok := conversions[b.Labels[0]]
			if !ok {
				continue
			}
			addr := b.Labels[0] + "." + b.Labels[1]
			c := &converter{f: f, conv: conv}
			if why := c.check(b); why != "" {
				res.Skipped = append(res.Skipped, addr+": "+why)
				continue
			}
			c.rewrite(b)
			if note := c.note(b); note != "" {
				res.Notes = append(res.Notes, addr+": "+note)
			}
			f.replace(b.LabelRanges[0], `"`+conv.to+`"`)
			moves[addr] = renamed{newType: conv.to, attrs: conv.renames}
			newAddr := conv.to + "." + b.Labels[1]
			res.Converted = append(res.Converted, addr+" -> "+newAddr)
			fmt.Fprintf(&moved, "\nmoved {\n  from = %s\n  to   = %s\n}\n", addr, newAddr)
		}
		if moved.Len() > 0 {
			f.edits = append(f.edits, edit{len(f.src), len(f.src), moved.String()})
		}
	}
	if len(moves) == 0 {
		return res
	}

	// 2. References to the old addresses, in every file.
	for _, f := range files {
		_ = hclsyntax.VisitAll(f.body, func(n hclsyntax.Node) hcl.Diagnostics {
			e, ok := n.(*hclsyntax.ScopeTraversalExpr)
			if !ok || len(e.Traversal) < 2 {
				return nil
			}
			root, ok1 := e.Traversal[0].(hcl.TraverseRoot)
			name, ok2 := e.Traversal[1].(hcl.TraverseAttr)
			if !ok1 || !ok2 {
				return nil
			}
			mv, ok := moves[root.Name+"."+name.Name]
			if !ok {
				return nil
			}
			f.replace(root.SrcRange, mv.newType)
			if len(e.Traversal) > 2 {
				if a, ok := e.Traversal[2].(hcl.TraverseAttr); ok {
					if to, ok := mv.attrs[a.Name]; ok {
						f.replace(a.SrcRange, "."+to)
					}
				}
			}
			return nil
		})
	}

	// 3. required_providers and the provider block.
	providers(files)

	for _, f := range files {
		if len(f.edits) == 0 {
			continue
		}
		res.Old[f.path] = f.src
		res.Files[f.path] = hclwrite.Format(f.apply())
	}
	return res
}

// providers adds gcpinvoke to required_providers (or a terraform block
// saying so) and, unless there is one, a provider "gcpinvoke" block made
// from the google provider block's settings.
func providers(files []*file) {
	var googleBlock *hclsyntax.Block
	var googleFile *file
	haveOurs, haveRequired := false, false
	for _, f := range files {
		for _, b := range f.body.Blocks {
			switch {
			case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "gcpinvoke":
				haveOurs = true
			case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "google" && googleBlock == nil:
				if _, aliased := b.Body.Attributes["alias"]; !aliased {
					googleBlock, googleFile = b, f
				}
			case b.Type == "terraform":
				for _, rp := range b.Body.Blocks {
					if rp.Type != "required_providers" {
						continue
					}
					haveRequired = true
					if _, ok := rp.Body.Attributes["gcpinvoke"]; !ok {
						f.edits = append(f.edits, edit{rp.CloseBraceRange.Start.Byte, rp.CloseBraceRange.Start.Byte,
							"  gcpinvoke = {\n      source = \"gcpinvoke/gcpinvoke\"\n    }\n  "})
					}
				}
			}
		}
	}
	first := files[0]
	if !haveRequired {
		first.edits = append(first.edits, edit{0, 0,
			"terraform {\n  required_providers {\n    gcpinvoke = {\n      source = \"gcpinvoke/gcpinvoke\"\n    }\n  }\n}\n\n"})
	}
	if haveOurs {
		return
	}
	var b strings.Builder
	b.WriteString("\n\nprovider \"gcpinvoke\" {\n")
	if googleBlock != nil {
		for _, name := range []string{"project", "region", "credentials", "access_token", "impersonate_service_account"} {
			if a, ok := googleBlock.Body.Attributes[name]; ok {
				fmt.Fprintf(&b, "  %s = %s\n", name, googleFile.text(a.Expr.Range()))
			}
		}
	}
	b.WriteString("}")
	f := first
	at := 0
	if googleBlock != nil {
		f, at = googleFile, googleBlock.Range().End.Byte
	} else {
		at = len(first.src)
		b.WriteString("\n")
	}
	f.edits = append(f.edits, edit{at, at, b.String()})
}

// converter rewrites one resource block.
type converter struct {
	f    *file
	conv conversion
}

// check returns why the block cannot be converted ("" if it can).
func (c *converter) check(b *hclsyntax.Block) string {
	if a, ok := b.Body.Attributes["provider"]; ok {
		if e, ok := a.Expr.(*hclsyntax.ScopeTraversalExpr); ok && len(e.Traversal) > 1 {
			return fmt.Sprintf("it uses the aliased provider %s: add provider \"gcpinvoke\" { alias = ... } with its settings and convert it by hand",
				strings.TrimSpace(c.f.text(a.Expr.Range())))
		}
	}
	if c.conv.refuseIf != nil {
		if why := c.conv.refuseIf(c, b); why != "" {
			return why
		}
	}
	return c.checkBody(b.Body, "", c.conv.attrs)
}

func (c *converter) checkBody(body *hclsyntax.Body, prefix string, allowed map[string]bool) string {
	names := make([]string, 0, len(body.Attributes))
	for n := range body.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if metaArgs[n] {
			continue
		}
		if !allowed[prefix+n] {
			if why, ok := c.conv.refuse[prefix+n]; ok {
				return why
			}
			return fmt.Sprintf("%s%s has no equivalent in %s", prefix, n, c.conv.to)
		}
	}
	if a, ok := body.Attributes["body"]; ok && prefix == "http_target." {
		if _, why := c.bodyText(a.Expr); why != "" {
			return why
		}
	}
	for _, nb := range body.Blocks {
		p := prefix + nb.Type
		if nb.Type == "lifecycle" && prefix == "" || nb.Type == "timeouts" && prefix == "" {
			continue
		}
		if why, ok := c.conv.refuse[p]; ok {
			return why
		}
		if !c.conv.blocks[p] {
			return fmt.Sprintf("block %s has no equivalent in %s", p, c.conv.to)
		}
		if special, ok := c.conv.special[p]; ok {
			if _, why := special(c, nb); why != "" {
				return why
			}
			continue
		}
		if why := c.checkBody(nb.Body, p+".", allowed); why != "" {
			return why
		}
	}
	return ""
}

// note says what the first plan after the move will change, if anything:
// a job's OIDC token without audience (Google then uses the whole URI,
// gcpinvoke the service's root URL).
func (c *converter) note(b *hclsyntax.Block) string {
	if c.conv.to != "gcpinvoke_scheduler_job" && c.conv.to != "gcpinvoke_cloud_tasks_queue" {
		return ""
	}
	for _, ht := range b.Body.Blocks {
		if ht.Type != "http_target" {
			continue
		}
		for _, tok := range ht.Body.Blocks {
			if _, ok := tok.Body.Attributes["audience"]; tok.Type == "oidc_token" && !ok {
				return "oidc_token has no audience: Google uses the whole target URL (path and query included), gcpinvoke " +
					"defaults to the service's root URL, which Cloud Run accepts; the first plan updates the audience"
			}
		}
	}
	return ""
}

// metaArgs are Terraform's meta-arguments, kept as they are.
var metaArgs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}

// rewrite queues the edits of the block's body.
func (c *converter) rewrite(b *hclsyntax.Block) {
	c.rewriteBody(b.Body, "")
	for _, n := range append([]string{"provider"}, c.conv.drop...) {
		if a, ok := b.Body.Attributes[n]; ok {
			c.removeLine(a.SrcRange)
		}
	}
	add := c.conv.add
	if c.conv.publicGuard {
		// Ours asks to acknowledge a public grant.
		for _, n := range []string{"member", "members"} {
			if a, ok := b.Body.Attributes[n]; ok && (strings.Contains(c.f.text(a.Expr.Range()), "allUsers") ||
				strings.Contains(c.f.text(a.Expr.Range()), "allAuthenticatedUsers")) {
				add = append(add, "allow_public = true")
			}
		}
	}
	if len(add) > 0 {
		at := b.CloseBraceRange.Start.Byte
		c.f.edits = append(c.f.edits, edit{at, at, "  " + strings.Join(add, "\n  ") + "\n"})
	}
}

// removeLine removes the line(s) of r.
func (c *converter) removeLine(r hcl.Range) {
	start, end := r.Start.Byte, r.End.Byte
	for start > 0 && (c.f.src[start-1] == ' ' || c.f.src[start-1] == '\t') {
		start--
	}
	if end < len(c.f.src) && c.f.src[end] == '\n' {
		end++
	}
	c.f.edits = append(c.f.edits, edit{start, end, ""})
}

func (c *converter) rewriteBody(body *hclsyntax.Body, prefix string) {
	for n, a := range body.Attributes {
		if to, ok := c.conv.renames[prefix+n]; ok {
			c.f.replace(a.NameRange, to)
		}
		if n == "body" && prefix == "http_target." {
			text, _ := c.bodyText(a.Expr)
			c.f.replace(a.Expr.Range(), text)
		}
	}
	for _, nb := range body.Blocks {
		p := prefix + nb.Type
		if prefix == "" && (nb.Type == "lifecycle" || nb.Type == "timeouts") {
			continue
		}
		if special, ok := c.conv.special[p]; ok {
			text, _ := special(c, nb)
			c.f.replace(nb.Range(), text)
			continue
		}
		name := nb.Type
		if to, ok := c.conv.renames[p]; ok {
			name = to
		}
		// `name {` becomes `name = {`: the body's `key = value` lines are
		// already an object constructor's items.
		c.f.replace(nb.TypeRange, name+" =")
		c.rewriteBody(nb.Body, p+".")
	}
}

// bodyText is the plain-text form of a Google scheduler job body: the
// argument of base64encode(...), file(...) for filebase64(...), a base64
// literal decoded, anything else wrapped in base64decode(...).
func (c *converter) bodyText(e hclsyntax.Expression) (string, string) {
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok && len(call.Args) == 1 {
		switch call.Name {
		case "base64encode":
			return c.f.text(call.Args[0].Range()), ""
		case "filebase64":
			return "file(" + c.f.text(call.Args[0].Range()) + ")", ""
		}
	}
	if v, diags := e.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		raw, err := base64.StdEncoding.DecodeString(v.AsString())
		if err != nil || !utf8.Valid(raw) {
			return "", "http_target.body is not base64 of UTF-8 text (gcpinvoke_scheduler_job's body is plain text)"
		}
		return string(hclwrite.TokensForValue(cty.StringVal(string(raw))).Bytes()), ""
	}
	return "base64decode(" + c.f.text(e.Range()) + ")", ""
}

// Diff is a unified diff of old and new contents of path.
func Diff(path string, old, new []byte) string {
	a, b := splitLines(old), splitLines(new)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", path, path)
	for _, h := range hunks(a, b, 3) {
		out.WriteString(h)
	}
	return out.String()
}

func splitLines(s []byte) []string {
	if len(s) == 0 {
		return nil
	}
	l := strings.SplitAfter(string(s), "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}
