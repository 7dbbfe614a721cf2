package review

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Location is where a resource block is declared: a file (slash-separated,
// relative to the configuration directory given to Locate, joined to it)
// and the line of the block's header.
type Location struct {
	File   string
	Line   int
	Column int
}

// Locations maps resource keys (addresses without instance keys, module
// prefixes kept: module.app.gcpinvoke_scheduler_job.call) to where the
// block is declared.
type Locations map[string]Location

// Locate parses the Terraform configuration in dir (every *.tf file) with
// hcl/v2 and records where each resource and data block is declared. Module
// calls with a local source ("./…", "../…") are followed, so resources in
// them get their module.NAME. prefix; modules from a registry or a VCS are
// not on disk and are skipped.
func Locate(dir string) (Locations, error) {
	locs := Locations{}
	if err := locateModule(locs, hclparse.NewParser(), dir, dir, "", map[string]bool{}); err != nil {
		return nil, err
	}
	return locs, nil
}

func locateModule(locs Locations, parser *hclparse.Parser, root, dir, prefix string, visiting map[string]bool) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if visiting[abs] {
		return fmt.Errorf("module %s calls itself (through %s)", strings.TrimSuffix(prefix, "."), dir)
	}
	visiting[abs] = true
	defer delete(visiting, abs)

	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return err
	}
	if len(files) == 0 && prefix == "" {
		return fmt.Errorf("no Terraform files (*.tf) in %s", dir)
	}
	sort.Strings(files)
	for _, file := range files {
		f, diags := parser.ParseHCLFile(file)
		if diags.HasErrors() {
			return fmt.Errorf("parsing %s: %s", file, diags.Error())
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		shown := filepath.ToSlash(filepath.Clean(file))
		for _, block := range body.Blocks {
			pos := block.DefRange().Start
			loc := Location{File: shown, Line: pos.Line, Column: pos.Column}
			switch {
			case block.Type == "resource" && len(block.Labels) == 2:
				locs[prefix+block.Labels[0]+"."+block.Labels[1]] = loc
			case block.Type == "data" && len(block.Labels) == 2:
				locs[prefix+"data."+block.Labels[0]+"."+block.Labels[1]] = loc
			case block.Type == "module" && len(block.Labels) == 1:
				source := moduleSource(block)
				if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
					continue
				}
				child := filepath.Join(dir, filepath.FromSlash(source))
				if err := locateModule(locs, parser, root, child, prefix+"module."+block.Labels[0]+".", visiting); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// moduleSource is a module block's literal source, "" when it is not a
// plain string.
func moduleSource(block *hclsyntax.Block) string {
	attr, ok := block.Body.Attributes["source"]
	if !ok {
		return ""
	}
	v, diags := attr.Expr.Value(&hcl.EvalContext{})
	if diags.HasErrors() || !v.Type().Equals(cty.String) || v.IsNull() {
		return ""
	}
	return v.AsString()
}

// lookup returns where the resource at address (instance keys allowed) is
// declared.
func (l Locations) lookup(address string) (Location, bool) {
	loc, ok := l[resourceKey(address)]
	return loc, ok
}
